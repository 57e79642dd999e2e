#!/usr/bin/env python3
"""Writes large interleaved SIP authentication captures (classic pcap) for the sipauth benchmark.

Each flow is a request challenged with 401 (REGISTER) or 407 (INVITE, MESSAGE), the ACK of an
INVITE challenge, the authenticated retry and its final response; some flows lose the retry,
are challenged again or retransmit. Flows start at a steady rate and overlap, so thousands of
Call-IDs are open at once. Stdlib only; frames are streamed through a heap ordered by time, so
memory stays flat whatever the size.

With --cx-share, that share of the REGISTER flows goes to an IMS S-CSCF that fetches an AKA vector from the
HSS over Diameter Cx (TCP 3868, one connection opened with CER/CEA at the start): MAR/MAA with a
3GPP-SIP-Auth-Data-Item (RAND||AUTN, XRES, CK, IK), the 401's nonce base64(RAND||AUTN), the retry's
AKAv1-MD5 response computed with XRES as the password (RFC 3310), and SAR/SAA before the 200.
"""
import argparse
import array
import base64
import hashlib
import heapq
import random
import struct
import sys

SERVER_IP = bytes([192, 0, 2, 10])
SCSCF_IP = bytes([192, 0, 2, 11])    # the Cx flows' registrar: only it talks to the HSS
HSS_IP = bytes([192, 0, 2, 20])
REALM = "bench.example.net"
SCSCF_HOST, HSS_HOST = "scscf." + REALM, "hss." + REALM
ETH = bytes.fromhex("020000000002" "020000000001" "0800")     # dst, src, IPv4
ETH_REV = bytes.fromhex("020000000001" "020000000002" "0800")
PCAP_HEADER = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
REC = struct.Struct("<IIII")
IPH = struct.Struct("!BBHHHBBH4s4s")
UDPH = struct.Struct("!HHHH")
TCPH = struct.Struct("!HHIIBBHHH")

SYN, ACKF, PSH, FIN = 0x02, 0x10, 0x08, 0x01

SDP = ("v=0\r\no=- %(sess)d 1 IN IP4 %(cip)s\r\ns=-\r\nc=IN IP4 %(cip)s\r\nt=0 0\r\n"
       "m=audio %(rtp)d RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
       "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")
TEXT = "Hello from the sipauth benchmark, message %d\r\n"

REQUEST = ("%(method)s %(ruri)s SIP/2.0\r\n"
           "Via: SIP/2.0/%(tp)s %(cip)s:%(cport)d;branch=z9hG4bK%(branch)s;rport\r\n"
           "Max-Forwards: 70\r\n"
           "From: <sip:%(user)s@%(realm)s>;tag=%(ftag)s\r\n"
           "To: %(to)s\r\n"
           "Call-ID: %(callid)s\r\n"
           "CSeq: %(cseq)d %(method)s\r\n"
           "%(extra)s"
           "%(creds)s"
           "User-Agent: sipauth-bench/1.0\r\n"
           "Content-Length: %(clen)d\r\n\r\n%(body)s")
RESPONSE = ("SIP/2.0 %(code)d %(reason)s\r\n"
            "Via: SIP/2.0/%(tp)s %(cip)s:%(cport)d;branch=z9hG4bK%(branch)s;rport=%(cport)d;received=%(cip)s\r\n"
            "From: <sip:%(user)s@%(realm)s>;tag=%(ftag)s\r\n"
            "To: %(to)s;tag=%(ttag)s\r\n"
            "Call-ID: %(callid)s\r\n"
            "CSeq: %(cseq)d %(method)s\r\n"
            "%(extra)s"
            "Server: sipauth-bench-proxy\r\n"
            "Content-Length: 0\r\n\r\n")
CHALLENGE = ('%s: Digest realm="%s", nonce="%s", opaque="%s", algorithm=MD5, qop="auth"%s\r\n')
CREDENTIALS = ('%s: Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", '
               'algorithm=MD5, cnonce="%s", opaque="%s", qop=auth, nc=00000001\r\n')
# The Cx flows' AKA headers (TS 24.229: the initial REGISTER carries the IMPI with an empty nonce and response).
AKA_INITIAL = 'Authorization: Digest username="%s", realm="%s", nonce="", uri="%s", response=""\r\n'
AKA_CHALLENGE = 'WWW-Authenticate: Digest realm="%s", nonce="%s", algorithm=AKAv1-MD5, qop="auth"%s\r\n'
AKA_CREDENTIALS = ('Authorization: Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", '
                   'algorithm=AKAv1-MD5, cnonce="%s", qop=auth, nc=00000001\r\n')
REASONS = {100: "Trying", 200: "OK", 202: "Accepted", 401: "Unauthorized",
           407: "Proxy Authentication Required"}


def csum(data):
    """Internet checksum (RFC 1071)."""
    if len(data) & 1:
        data += b"\0"
    s = sum(array.array("H", data))
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def ip_header(src, dst, proto, length, ident):
    hdr = IPH.pack(0x45, 0, length, ident, 0x4000, 64, proto, 0, src, dst)
    return hdr[:10] + struct.pack("=H", csum(hdr)) + hdr[12:]


class Conn:
    """One client's transport towards a server (the proxy unless told): UDP 5060<->5060, or a TCP connection."""

    def __init__(self, rng, cip, tcp, server=SERVER_IP, sport=5060):
        self.cip = cip
        self.cip_b = bytes(int(x) for x in cip.split("."))
        self.tcp = tcp
        self.server, self.sport = server, sport
        self.ident = [rng.getrandbits(16), rng.getrandbits(16)]
        self.cport = rng.randrange(20000, 60000) if tcp else 5060
        self.seq = [rng.getrandbits(32), rng.getrandbits(32)]   # next seq of client, of server

    def frame(self, to_server, payload, flags=PSH | ACKF):
        d = 0 if to_server else 1
        src, dst = (self.cip_b, self.server) if to_server else (self.server, self.cip_b)
        sport, dport = (self.cport, self.sport) if to_server else (self.sport, self.cport)
        self.ident[d] = (self.ident[d] + 1) & 0xFFFF
        eth = ETH if to_server else ETH_REV
        if not self.tcp:
            udp = UDPH.pack(sport, dport, 8 + len(payload), 0)
            return eth + ip_header(src, dst, 17, 28 + len(payload), self.ident[d]) + udp + payload
        seq, ack = self.seq[d], self.seq[1 - d]
        if flags & SYN and not flags & ACKF:
            ack = 0
        tcp = TCPH.pack(sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
        pseudo = src + dst + struct.pack("!BBH", 0, 6, 20 + len(payload))
        c = csum(pseudo + tcp + payload)
        tcp = tcp[:16] + struct.pack("=H", c) + tcp[18:]
        self.seq[d] = (seq + len(payload) + (1 if flags & (SYN | FIN) else 0)) & 0xFFFFFFFF
        return eth + ip_header(src, dst, 6, 40 + len(payload), self.ident[d]) + tcp + payload


def avp(code, data, vendor=0, mandatory=True):
    """A Diameter AVP (RFC 6733 4.1), V flag and Vendor-Id when vendor is set, padded to 4 bytes."""
    head = struct.pack("!IB", code, (0x80 if vendor else 0) | (0x40 if mandatory else 0))
    head += (len(data) + (12 if vendor else 8)).to_bytes(3, "big") + (struct.pack("!I", vendor) if vendor else b"")
    return head + data + b"\0" * (-len(data) % 4)


def u32(value):
    return struct.pack("!I", value)


TGPP = 10415
CX_APP = 16777216
CX_APP_ID = avp(260, avp(266, u32(TGPP)) + avp(258, u32(CX_APP)))     # Vendor-Specific-Application-Id


def diameter(cmd, request, app, hop, avps):
    """A Diameter message: version 1, flags R (request) and P, end-to-end id = hop-by-hop id."""
    body = b"".join(avps)
    return (b"\1" + (20 + len(body)).to_bytes(3, "big") + bytes([(0x80 if request else 0) | 0x40])
            + cmd.to_bytes(3, "big") + struct.pack("!III", app, hop, hop) + body)


def origin(host):
    return [avp(264, host.encode()), avp(296, REALM.encode())]


class Cx:
    """The S-CSCF's Diameter connection to the HSS. Its frames are built when written, in capture order, so
    that one TCP connection carries every flow's exchange with increasing sequence numbers."""

    def __init__(self, rng):
        self.rng = rng
        self.conn = Conn(rng, ".".join(str(b) for b in SCSCF_IP), True, HSS_IP, 3868)
        self.hop = rng.getrandbits(32)
        self.session = 0

    def next_ids(self):
        self.hop = (self.hop + 1) & 0xFFFFFFFF
        self.session += 1
        return self.hop, avp(263, ("%s;1700000000;%d" % (SCSCF_HOST, self.session)).encode())

    def opening(self):
        """(dt, to_hss, payload, flags) of the handshake and the capabilities exchange (CER/CEA, RFC 6733 5.3)."""
        hop, _ = self.next_ids()
        caps = [avp(257, b"\0\1" + SCSCF_IP), avp(266, u32(0)), avp(269, b"sipauth-bench", mandatory=False),
                avp(265, u32(TGPP)), CX_APP_ID]
        cer = diameter(257, True, 0, hop, origin(SCSCF_HOST) + caps)
        cea = diameter(257, False, 0, hop, [avp(268, u32(2001))] + origin(HSS_HOST)
                       + [avp(257, b"\0\1" + HSS_IP)] + caps[1:])
        return [(0, True, b"", SYN), (0.0002, False, b"", SYN | ACKF), (0.0001, True, b"", ACKF),
                (0.0005, True, cer, PSH | ACKF), (0.001, False, cea, PSH | ACKF)]

    def mar(self, impi, impu):
        """MAR and MAA with one AKA vector: (mar, maa, nonce, xres)."""
        rng = self.rng
        rand, sqn_ak, mac = rng.randbytes(16), rng.randbytes(6), rng.randbytes(8)
        autn = sqn_ak + b"\x80\x00" + mac     # AMF with the separation bit (TS 33.102)
        xres = rng.randbytes(8)
        hop, session = self.next_ids()
        ids = [avp(1, impi.encode()), avp(601, impu.encode(), TGPP)]
        scheme = avp(608, b"Digest-AKAv1-MD5", TGPP)
        req = diameter(303, True, CX_APP, hop, [session] + origin(SCSCF_HOST) + [
            avp(283, REALM.encode()), CX_APP_ID, avp(277, u32(1))] + ids + [
            avp(607, u32(1), TGPP), avp(612, scheme, TGPP),
            avp(602, ("sip:%s:5060" % SCSCF_HOST).encode(), TGPP)])
        item = (avp(613, u32(1), TGPP) + scheme + avp(609, rand + autn, TGPP) + avp(610, xres, TGPP)
                + avp(625, rng.randbytes(16), TGPP) + avp(626, rng.randbytes(16), TGPP))
        ans = diameter(303, False, CX_APP, hop, [session] + origin(HSS_HOST) + [avp(277, u32(1)), CX_APP_ID]
                       + ids + [avp(607, u32(1), TGPP), avp(612, item, TGPP), avp(268, u32(2001))])
        return req, ans, base64.b64encode(rand + autn).decode(), xres

    def sar(self, impi, impu):
        """SAR (REGISTRATION) and its SAA with the user's profile."""
        hop, session = self.next_ids()
        req = diameter(301, True, CX_APP, hop, [session] + origin(SCSCF_HOST) + [
            avp(283, REALM.encode()), CX_APP_ID, avp(277, u32(1)), avp(601, impu.encode(), TGPP),
            avp(602, ("sip:%s:5060" % SCSCF_HOST).encode(), TGPP), avp(1, impi.encode()),
            avp(614, u32(1), TGPP), avp(624, u32(0), TGPP)])
        profile = ('<?xml version="1.0" encoding="UTF-8"?><IMSSubscription><PrivateID>%s</PrivateID>'
                   '<ServiceProfile><PublicIdentity><Identity>%s</Identity></PublicIdentity></ServiceProfile>'
                   '</IMSSubscription>' % (impi, impu))
        ans = diameter(301, False, CX_APP, hop, [session] + origin(HSS_HOST) + [
            avp(277, u32(1)), CX_APP_ID, avp(1, impi.encode()), avp(606, profile.encode(), TGPP),
            avp(268, u32(2001))])
        return req, ans


def md5(data):
    return hashlib.md5(data).hexdigest()


def aka_response(impi, xres, nonce, uri, cnonce):
    """RFC 3310 AKAv1-MD5: RFC 2617 Digest (qop auth, nc 1) with the XRES bytes as the password."""
    ha1 = md5(impi.encode() + b":" + REALM.encode() + b":" + xres)
    ha2 = md5(("REGISTER:" + uri).encode())
    return md5(("%s:%s:00000001:%s:auth:%s" % (ha1, nonce, cnonce, ha2)).encode())


class Generator:
    def __init__(self, args):
        self.a = args
        self.rng = random.Random(args.seed)
        mix = [float(x) for x in args.mix.split(":")]
        if len(mix) != 3 or sum(mix) <= 0:
            sys.exit("gen_big: --mix wants three numbers REGISTER:INVITE:MESSAGE")
        total = sum(mix)
        self.cum = [mix[0] / total, (mix[0] + mix[1]) / total]
        self.frames = 0
        self.kinds = {"ok": 0, "missing": 0, "rechallenge": 0, "retrans": 0, "tcp": 0}
        self.cx = None
        if args.cx_share > 0:     # only then: the output without Cx stays the same byte for byte
            self.kinds["cx"] = 0
            self.cx = Cx(self.rng)

    def hex(self, bits):
        return "%0*x" % (bits // 4, self.rng.getrandbits(bits))

    def flow(self, n, t0):
        """All frames of flow n, as (time, frame bytes) in time order within the flow."""
        rng, a = self.rng, self.a
        r = rng.random()
        method = "REGISTER" if r < self.cum[0] else ("INVITE" if r < self.cum[1] else "MESSAGE")
        tcp = rng.random() < a.tcp_share
        r = rng.random()
        kind = ("missing" if r < a.missing_share else
                "rechallenge" if r < a.missing_share + a.rechallenge_share else "ok")
        retrans = not tcp and rng.random() < a.retrans_share
        cx = self.cx is not None and method == "REGISTER" and rng.random() < a.cx_share
        self.kinds[kind] += 1
        self.kinds["retrans"] += retrans
        self.kinds["tcp"] += tcp
        if cx:
            self.kinds["cx"] += 1

        cip = "10.%d.%d.%d" % ((n // 65024) % 256, (n // 254) % 256, n % 254 + 1)
        conn = Conn(rng, cip, tcp, SCSCF_IP if cx else SERVER_IP)
        user = "u%07d" % (n % 10000000)
        callee = "u%07d" % rng.randrange(10000000)
        code = 401 if method == "REGISTER" else 407
        hdr_chal = "WWW-Authenticate" if code == 401 else "Proxy-Authenticate"
        hdr_cred = "Authorization" if code == 401 else "Proxy-Authorization"
        if method == "REGISTER":
            ruri, to = "sip:" + REALM, "<sip:%s@%s>" % (user, REALM)
        else:
            ruri = "sip:%s@%s" % (callee, REALM)
            to = "<%s>" % ruri
        m = {"method": method, "ruri": ruri, "to": to, "tp": "TCP" if tcp else "UDP",
             "cip": cip, "cport": conn.cport, "user": user, "realm": REALM,
             "ftag": self.hex(32), "callid": "%s@%s" % (self.hex(64), cip), "ttag": self.hex(32)}
        if method == "INVITE":
            body = SDP % {"sess": rng.getrandbits(31), "cip": cip, "rtp": rng.randrange(10000, 20000, 2)}
            extra = "Contact: <sip:%s@%s:%d>\r\nContent-Type: application/sdp\r\n" % (user, cip, conn.cport)
        elif method == "MESSAGE":
            body = TEXT % n
            extra = "Content-Type: text/plain\r\n"
        else:
            body = ""
            extra = "Contact: <sip:%s@%s:%d>\r\nExpires: 3600\r\n" % (user, cip, conn.cport)
        ebody = body.encode()
        opaque = self.hex(32)
        out = []
        t = t0

        def send(dt, to_server, text, raw=b""):
            nonlocal t
            t += dt
            out.append((t, conn.frame(to_server, text.encode() + raw)))

        # A flow only places its Cx messages in time; their TCP segments are made when written (class Cx).
        impi, impu = "%s@%s" % (user, REALM), "sip:%s@%s" % (user, REALM)

        def diameter_exchange(req, ans, answer_delay):
            nonlocal t
            t += 0.0004
            out.append((t, (True, req, PSH | ACKF)))
            t += answer_delay
            out.append((t, (False, ans, PSH | ACKF)))

        def vector():
            """MAR/MAA before a challenge: its nonce and the XRES the retry's response uses."""
            req, ans, aka_nonce, xres = self.cx.mar(impi, impu)
            diameter_exchange(req, ans, rng.uniform(0.002, 0.01))
            return aka_nonce, xres

        def challenge_header(nonce, stale=""):
            if cx:
                return AKA_CHALLENGE % (REALM, nonce, stale)
            return CHALLENGE % (hdr_chal, REALM, nonce, opaque, stale)

        def request(cseq, branch, creds):
            return REQUEST % dict(m, cseq=cseq, branch=branch, extra=extra, creds=creds,
                                  clen=len(ebody), body=""), ebody

        def response(cseq, branch, rcode, rmethod=None, rextra=""):
            return RESPONSE % dict(m, code=rcode, reason=REASONS[rcode], cseq=cseq, branch=branch,
                                   method=rmethod or method, extra=rextra)

        def ack(cseq, branch):
            # ACK of a non-2xx is hop-by-hop: same branch as the INVITE (RFC 3261 17.1.1.3).
            return REQUEST % dict(m, method="ACK", to=to + ";tag=" + m["ttag"], cseq=cseq, branch=branch,
                                  extra="", creds="", clen=0, body="")

        if tcp:
            for dt, to_server, flags in ((0, True, SYN), (0.0004, False, SYN | ACKF), (0.0001, True, ACKF)):
                t += dt
                out.append((t, conn.frame(to_server, b"", flags)))

        cseq, branch = 1, self.hex(64)
        nonce = self.hex(128)
        head, raw = request(cseq, branch, AKA_INITIAL % (impi, REALM, ruri) if cx else "")
        send(0.0005, True, head, raw)
        if cx:
            nonce, xres = vector()
        if retrans and (method != "INVITE" or rng.random() < 0.5):
            send(0.5, True, head, raw)            # request retransmitted after T1: first challenge lost
            retrans = False
        chal = response(cseq, branch, code, rextra=challenge_header(nonce))
        send(rng.uniform(0.0003, 0.001) if cx else rng.uniform(0.005, 0.04), False, chal)
        if retrans:                                # challenge retransmitted: the ACK was lost
            send(0.5, False, chal)
        if method == "INVITE":
            send(0.001, True, ack(cseq, branch))
        if kind == "missing":
            return out, kind

        rounds = 2 if kind == "rechallenge" else 1
        for rnd in range(rounds):
            cseq += 1
            branch = self.hex(64)
            if cx:
                cnonce = self.hex(32)
                creds = AKA_CREDENTIALS % (impi, REALM, nonce, ruri, aka_response(impi, xres, nonce, ruri, cnonce),
                                           cnonce)
            else:
                creds = CREDENTIALS % (hdr_cred, user, REALM, nonce, ruri, self.hex(128), self.hex(32), opaque)
            head, raw = request(cseq, branch, creds)
            send(rng.uniform(0.02, 0.3), True, head, raw)
            if rnd < rounds - 1:
                if cx:
                    # The S-CSCF took the vector as used up: a new one, and stale=true, as the RES was right.
                    nonce, xres = vector()
                    stale = ", stale=true"
                else:
                    nonce = self.hex(128)
                    stale = ", stale=true" if rng.random() < 0.5 else ""
                chal = response(cseq, branch, code, rextra=challenge_header(nonce, stale))
                send(rng.uniform(0.0003, 0.001) if cx else rng.uniform(0.005, 0.04), False, chal)
                if method == "INVITE":
                    send(0.001, True, ack(cseq, branch))
                continue
            if method == "INVITE":
                send(0.002, False, response(cseq, branch, 100))
                send(rng.uniform(0.05, 0.2), False,
                     response(cseq, branch, 200, rextra="Contact: <sip:%s@%s>\r\n" % (callee, REALM)))
                # ACK of a 2xx is its own transaction.
                send(0.001, True, ack(cseq, self.hex(64)))
            elif cx:
                diameter_exchange(*self.cx.sar(impi, impu), rng.uniform(0.005, 0.04))
                send(rng.uniform(0.0003, 0.001), False, response(cseq, branch, 200))
            else:
                send(rng.uniform(0.005, 0.04), False, response(cseq, branch, 200 if method == "REGISTER" else 202))
        return out, kind

    def run(self, fp):
        a, rng = self.a, self.rng
        fp.write(PCAP_HEADER)
        heap, chunk, seq = [], [], 0
        base = 1700000000.0
        n = 0
        if self.cx:
            t = base - 0.01                       # the Diameter connection is up before the first flow
            for dt, to_hss, payload, flags in self.cx.opening():
                t += dt
                seq += 1
                heapq.heappush(heap, (t, seq, (to_hss, payload, flags)))

        def emit(t, frame):
            if isinstance(frame, tuple):          # a Cx message: its TCP segment is made in capture order
                to_hss, payload, flags = frame
                frame = self.cx.conn.frame(to_hss, payload, flags)
            sec = int(t)
            chunk.append(REC.pack(sec, int((t - sec) * 1e6), len(frame), len(frame)))
            chunk.append(frame)
            self.frames += 1
            if len(chunk) >= 8192:
                fp.write(b"".join(chunk))
                chunk.clear()

        while (a.flows and n < a.flows) or (a.frames and self.frames + len(heap) < a.frames):
            t0 = base + n / a.rate + rng.uniform(0, 0.5 / a.rate)
            while heap and heap[0][0] <= t0:
                t, _, frame = heapq.heappop(heap)
                emit(t, frame)
            frames, _ = self.flow(n, t0)
            for t, frame in frames:
                seq += 1
                heapq.heappush(heap, (t, seq, frame))
            n += 1
        while heap:
            t, _, frame = heapq.heappop(heap)
            emit(t, frame)
        fp.write(b"".join(chunk))
        return n


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-o", "--output", required=True, help="pcap file to write ('-' for stdout)")
    size = p.add_mutually_exclusive_group(required=True)
    size.add_argument("--flows", type=int, help="number of flows (challenged requests)")
    size.add_argument("--frames", type=int, help="write flows until about this many frames")
    p.add_argument("--mix", default="60:30:10", help="REGISTER:INVITE:MESSAGE weights (default 60:30:10)")
    p.add_argument("--missing-share", type=float, default=0.05, help="flows with no retry (default 0.05)")
    p.add_argument("--rechallenge-share", type=float, default=0.05,
                   help="flows whose retry is challenged again (default 0.05)")
    p.add_argument("--retrans-share", type=float, default=0.05,
                   help="UDP flows with a request or challenge retransmission (default 0.05)")
    p.add_argument("--tcp-share", type=float, default=0.2, help="flows over TCP (default 0.2)")
    p.add_argument("--cx-share", type=float, default=0.0,
                   help="share of the REGISTER flows whose registrar fetches an AKA vector over Diameter Cx: "
                        "MAR/MAA, SAR/SAA, AKAv1-MD5 (default 0: none)")
    p.add_argument("--rate", type=float, default=2000.0, help="new flows per second (default 2000)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--quiet", action="store_true")
    a = p.parse_args()
    if not 0 <= a.cx_share <= 1:
        sys.exit("gen_big: --cx-share must be between 0 and 1")
    if a.missing_share + a.rechallenge_share > 1:
        sys.exit("gen_big: --missing-share + --rechallenge-share must not exceed 1")
    g = Generator(a)
    if a.output == "-":
        flows = g.run(sys.stdout.buffer)
    else:
        with open(a.output, "wb") as fp:
            flows = g.run(fp)
    if not a.quiet:
        print("gen_big: %d flows, %d frames (%s)" % (
            flows, g.frames, ", ".join("%s %d" % kv for kv in g.kinds.items())), file=sys.stderr)
    print("flows=%d frames=%d %s" % (flows, g.frames, " ".join("%s=%d" % kv for kv in g.kinds.items())))


if __name__ == "__main__":
    main()
