#!/usr/bin/env python3
"""Writes hostile SIP captures that SIPAUTH must survive: huge, repetitive, odd or out-of-order input.

Usage: gen_hostile.py [OUTDIR]   (default: tests/robust/pcaps/ next to this script)
Output is reproducible byte for byte (fixed timestamps and identifiers). The captures are big
(some MB in all): generate them where they are used rather than committing them.
"""
import os
import struct
import sys

EPOCH = 1700000000
UA, PROXY = "10.1.0.1", "10.1.0.254"
UA_MAC, PROXY_MAC = b"\x02\x00\x00\x00\x00\x01", b"\x02\x00\x00\x00\x00\xfe"


# ------------------------------------------------------------------------------------------------
# Packet building: Ethernet / IPv4 (with fragmentation) / UDP and TCP

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def ip_bytes(addr):
    return bytes(int(part) for part in addr.split("."))


def ethernet(src_mac, dst_mac, payload):
    return dst_mac + src_mac + b"\x08\x00" + payload


def ipv4_packets(src, dst, proto, payload, ident, mtu=1500):
    """One IPv4 packet, or its fragments when it does not fit the MTU (payload offsets in 8-byte units)."""
    max_data = (mtu - 20) // 8 * 8
    chunks = [payload[i:i + max_data] for i in range(0, len(payload), max_data)] or [b""]
    packets = []
    for n, chunk in enumerate(chunks):
        more = 0x2000 if n < len(chunks) - 1 else 0
        offset = n * max_data // 8
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(chunk), ident & 0xffff, more | offset, 64, proto,
                             0, ip_bytes(src), ip_bytes(dst))
        header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
        packets.append(header + chunk)
    return packets


def udp(src, dst, sport, dport, data):
    header = struct.pack("!HHHH", sport, dport, 8 + len(data), 0)
    pseudo = ip_bytes(src) + ip_bytes(dst) + struct.pack("!BBH", 0, 17, 8 + len(data))
    csum = checksum(pseudo + header + data) or 0xffff
    return header[:6] + struct.pack("!H", csum) + data


def tcp(src, dst, sport, dport, seq, ack, flags, data):
    header = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xffffffff, ack & 0xffffffff, 5 << 4, flags,
                         65535, 0, 0)
    pseudo = ip_bytes(src) + ip_bytes(dst) + struct.pack("!BBH", 0, 6, len(header) + len(data))
    csum = checksum(pseudo + header + data)
    return header[:16] + struct.pack("!H", csum) + header[18:] + data


class Capture:
    """Collects frames with their times and writes a classic pcap (microsecond timestamps)."""

    def __init__(self):
        self.frames = []
        self.time = float(EPOCH)
        self.ident = 1

    def add(self, frame, dt=0.001, at=None):
        if at is not None:
            self.time = at
        else:
            self.time += dt
        self.frames.append((self.time, frame))

    def udp(self, src, dst, data, dt=0.001, at=None, sport=5060, dport=5060):
        src_mac, dst_mac = (UA_MAC, PROXY_MAC) if src == UA else (PROXY_MAC, UA_MAC)
        self.ident += 1
        for n, packet in enumerate(ipv4_packets(src, dst, 17, udp(src, dst, sport, dport, data), self.ident)):
            self.add(ethernet(src_mac, dst_mac, packet), dt if n == 0 else 0.0, at if n == 0 else None)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
            for t, frame in self.frames:
                sec = int(t)
                usec = int(round((t - sec) * 1e6))
                if usec >= 1000000:
                    sec, usec = sec + 1, usec - 1000000
                f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
                f.write(frame)


class TcpConnection:
    """A TCP connection UA:sport <-> PROXY:5060 with a handshake; sends whole SIP messages as MSS segments."""

    def __init__(self, cap, sport=40000, mss=1460):
        self.cap, self.sport, self.mss = cap, sport, mss
        self.seq = {UA: 1000, PROXY: 5000}
        self._segment(UA, 0x02, b"")            # SYN
        self.seq[UA] += 1
        self._segment(PROXY, 0x12, b"")         # SYN ACK
        self.seq[PROXY] += 1
        self._segment(UA, 0x10, b"")            # ACK

    def _segment(self, src, flags, data, dt=0.0001):
        dst = PROXY if src == UA else UA
        sport, dport = (self.sport, 5060) if src == UA else (5060, self.sport)
        segment = tcp(src, dst, sport, dport, self.seq[src], self.seq[dst], flags, data)
        self.cap.ident += 1
        src_mac, dst_mac = (UA_MAC, PROXY_MAC) if src == UA else (PROXY_MAC, UA_MAC)
        for packet in ipv4_packets(src, dst, 6, segment, self.cap.ident):
            self.cap.add(ethernet(src_mac, dst_mac, packet), dt)

    def send(self, src, data, dt=0.001):
        first = True
        for i in range(0, len(data), self.mss):
            chunk = data[i:i + self.mss]
            last = i + self.mss >= len(data)
            self._segment(src, 0x18 if last else 0x10, chunk, dt if first else 0.0001)
            self.seq[src] += len(chunk)
            first = False


# ------------------------------------------------------------------------------------------------
# SIP messages

def sip_request(method, call_id, cseq, branch, headers=(), transport="UDP", cseq_method=None, from_tag="ua1"):
    lines = ["%s sip:bob@example.com SIP/2.0" % method,
             "Via: SIP/2.0/%s %s:5060;branch=%s" % (transport, UA, branch),
             "Max-Forwards: 70",
             "From: <sip:alice@example.com>;tag=%s" % from_tag,
             "To: <sip:bob@example.com>",
             "Call-ID: %s" % call_id,
             "CSeq: %s %s" % (cseq, cseq_method or method),
             "Contact: <sip:alice@%s:5060>" % UA]
    lines += list(headers)
    lines += ["Content-Length: 0", "", ""]
    return "\r\n".join(lines)


def sip_response(code, reason, method, call_id, cseq, branch, headers=(), transport="UDP", from_tag="ua1"):
    lines = ["SIP/2.0 %d %s" % (code, reason),
             "Via: SIP/2.0/%s %s:5060;branch=%s" % (transport, UA, branch),
             "From: <sip:alice@example.com>;tag=%s" % from_tag,
             "To: <sip:bob@example.com>;tag=px1",
             "Call-ID: %s" % call_id,
             "CSeq: %s %s" % (cseq, method)]
    lines += list(headers)
    lines += ["Content-Length: 0", "", ""]
    return "\r\n".join(lines)


def enc(text):
    """SIP text with raw bytes: code points 0x80-0xff stand for those bytes (latin-1 on the wire)."""
    return text.encode("latin-1")


def challenge(realm="example.com", nonce="n0", stale=False, header="Proxy-Authenticate"):
    value = 'Digest realm="%s", nonce="%s", algorithm=MD5, qop="auth"' % (realm, nonce)
    if stale:
        value += ", stale=TRUE"
    return "%s: %s" % (header, value)


def credentials(realm="example.com", nonce="n0", user="alice", header="Proxy-Authorization"):
    return ('%s: Digest username="%s", realm="%s", nonce="%s", uri="sip:bob@example.com", '
            'response="6629fae49393a05397450978507c4ef1", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0"'
            % (header, user, realm, nonce))


def invite_flow(send, call_id, cseq=1, branch="z9hG4bK-h1", nonce="n0", retry_cseq=None, transport="UDP"):
    """request, 407, ACK, authenticated retry, 200: each through send(src, bytes)."""
    send(UA, enc(sip_request("INVITE", call_id, cseq, branch, transport=transport)))
    send(PROXY, enc(sip_response(407, "Proxy Authentication Required", "INVITE", call_id, cseq, branch,
                                 [challenge(nonce=nonce)], transport=transport)))
    send(UA, enc(sip_request("ACK", call_id, cseq, branch, transport=transport, cseq_method="ACK")))
    retry = retry_cseq if retry_cseq is not None else cseq + 1
    send(UA, enc(sip_request("INVITE", call_id, retry, branch + "-r", [credentials(nonce=nonce)], transport)))
    send(PROXY, enc(sip_response(200, "OK", "INVITE", call_id, retry, branch + "-r", transport=transport)))


# ------------------------------------------------------------------------------------------------
# The hostile captures

def huge_call_id_tcp():
    """A 64 KiB Call-ID on TCP: every message is reassembled from ~45 segments."""
    cap = Capture()
    conn = TcpConnection(cap)
    call_id = ("x" * 65536) + "@ua"
    invite_flow(lambda src, data: conn.send(src, data), call_id, transport="TCP")
    return cap


def huge_call_id_udp_fragments():
    """A 60,000-byte Call-ID in UDP datagrams of ~60 KB: each is ~41 IPv4 fragments."""
    cap = Capture()
    call_id = ("y" * 60000) + "@ua"
    invite_flow(lambda src, data: cap.udp(src, PROXY if src == UA else UA, data), call_id)
    return cap


def many_challenge_headers():
    """A 407 with 5,000 Proxy-Authenticate headers (~400 KB on TCP), and a retry answering one of them."""
    cap = Capture()
    conn = TcpConnection(cap, sport=40001)
    call_id = "many-headers@ua"
    headers = [challenge(realm="realm%d.example.com" % i, nonce="nonce%d" % i) for i in range(5000)]
    conn.send(UA, enc(sip_request("INVITE", call_id, 1, "z9hG4bK-mh", transport="TCP")))
    conn.send(PROXY, enc(sip_response(407, "Proxy Authentication Required", "INVITE", call_id, 1, "z9hG4bK-mh",
                                      headers, "TCP")))
    conn.send(UA, enc(sip_request("ACK", call_id, 1, "z9hG4bK-mh", transport="TCP", cseq_method="ACK")))
    creds = [credentials(realm="realm%d.example.com" % i, nonce="nonce%d" % i) for i in (4999, 3, 0)]
    conn.send(UA, enc(sip_request("INVITE", call_id, 2, "z9hG4bK-mh2", creds, "TCP")))
    conn.send(PROXY, enc(sip_response(200, "OK", "INVITE", call_id, 2, "z9hG4bK-mh2", transport="TCP")))
    return cap


def cseq_extremes():
    """CSeq 0, 4294967295 (the largest 32-bit value), and numbers beyond 32 bits."""
    cap = Capture()

    def send(src, data):
        cap.udp(src, PROXY if src == UA else UA, data)
    invite_flow(send, "cseq-zero@ua", cseq=0, branch="z9hG4bK-c0")
    invite_flow(send, "cseq-max@ua", cseq=4294967295, branch="z9hG4bK-cmax", retry_cseq=4294967295)
    invite_flow(send, "cseq-wrap@ua", cseq=4294967295, branch="z9hG4bK-cwrap", retry_cseq=0)
    invite_flow(send, "cseq-beyond@ua", cseq=4294967296, branch="z9hG4bK-cbig", retry_cseq=99999999999999999999)
    invite_flow(send, "cseq-negative@ua", cseq=-1, branch="z9hG4bK-cneg", retry_cseq=1)
    return cap


def non_utf8_params():
    """Raw non-UTF-8 bytes (and NUL, control characters) inside realm, nonce and username."""
    cap = Capture()

    def send(src, data):
        cap.udp(src, PROXY if src == UA else UA, data)
    odd = [("\xff\xfe\xfd", "\x80\x81\x82"), ("r\xc3\x28alm", "n\xe2\x82"), ("\xc0\xaf", "\xed\xa0\x80"),
           ("tab\tand\x01ctl", "nul\x00inside"), ("\"\\\"", "\\")]
    for i, (realm, nonce) in enumerate(odd):
        call_id = "utf8-%d@ua" % i
        branch = "z9hG4bK-u%d" % i
        send(UA, enc(sip_request("REGISTER", call_id, 1, branch)))
        send(PROXY, enc(sip_response(401, "Unauthorized", "REGISTER", call_id, 1, branch,
                                     [challenge(realm=realm, nonce=nonce, header="WWW-Authenticate")])))
        send(UA, enc(sip_request("REGISTER", call_id, 2, branch + "r",
                                 [credentials(realm=realm, nonce=nonce, user="\xe9\xff" + realm,
                                              header="Authorization")])))
        send(PROXY, enc(sip_response(200, "OK", "REGISTER", call_id, 2, branch + "r")))
    return cap


def only_challenges():
    """5,000 frames, every one a 407 whose request was never captured."""
    cap = Capture()
    for i in range(5000):
        call_id = "orphan-%d@ua" % i
        cap.udp(PROXY, UA, enc(sip_response(407, "Proxy Authentication Required", "INVITE", call_id, 1,
                                            "z9hG4bK-o%d" % i, headers=[challenge(nonce="o%d" % i)])), dt=0.0005)
    return cap


def ten_thousand_challenges():
    """One flow: a REGISTER challenged 10,000 times in a row (credentials refused every time)."""
    cap = Capture()
    call_id = "endless@ua"
    cap.udp(UA, PROXY, enc(sip_request("REGISTER", call_id, 1, "z9hG4bK-e0")), dt=0.001)
    for i in range(1, 10001):
        branch = "z9hG4bK-e%d" % (i - 1)
        cap.udp(PROXY, UA, enc(sip_response(401, "Unauthorized", "REGISTER", call_id, i, branch,
                                            [challenge(nonce="e%d" % i, header="WWW-Authenticate")])), dt=0.001)
        if i < 10000:
            cap.udp(UA, PROXY, enc(sip_request("REGISTER", call_id, i + 1, "z9hG4bK-e%d" % i,
                                               [credentials(nonce="e%d" % i, header="Authorization")])), dt=0.001)
    return cap


def backwards_time():
    """Timestamps that go backwards: within a flow, across flows, and to before 1970 + 1 s."""
    cap = Capture()
    t = [EPOCH + 100.0]

    def send_back(src, data):
        t[0] -= 0.75
        cap.udp(src, PROXY if src == UA else UA, data, at=t[0])
    invite_flow(send_back, "back-1@ua", branch="z9hG4bK-b1")
    # A retry "before" its challenge by 40 s: beyond the retry timeout, in the wrong direction.
    cap.udp(UA, PROXY, enc(sip_request("MESSAGE", "back-2@ua", 1, "z9hG4bK-b2")), at=EPOCH + 200.0)
    cap.udp(PROXY, UA, enc(sip_response(407, "Proxy Authentication Required", "MESSAGE", "back-2@ua", 1,
                                        "z9hG4bK-b2", [challenge(nonce="b2")])), at=EPOCH + 200.1)
    cap.udp(UA, PROXY, enc(sip_request("MESSAGE", "back-2@ua", 2, "z9hG4bK-b2r", [credentials(nonce="x")])),
            at=EPOCH + 160.0)
    cap.udp(PROXY, UA, enc(sip_response(202, "Accepted", "MESSAGE", "back-2@ua", 2, "z9hG4bK-b2r")), at=1.0)
    # Jump far ahead, then far back again.
    invite_flow(lambda src, data: cap.udp(src, PROXY if src == UA else UA, data, dt=86400.0 * 365),
                "back-3@ua", branch="z9hG4bK-b3")
    invite_flow(lambda src, data: cap.udp(src, PROXY if src == UA else UA, data, at=2.0 + len(cap.frames)),
                "back-4@ua", branch="z9hG4bK-b4")
    return cap


def many_messages_one_segment():
    """Each TCP segment carries 100 complete SIP messages (more than a frame is expected to hold)."""
    cap = Capture()
    conn = TcpConnection(cap, sport=40002, mss=65000)
    requests, responses, retries, finals = [], [], [], []
    for i in range(100):
        call_id, branch = "bulk-%d@ua" % i, "z9hG4bK-k%d" % i
        requests.append(sip_request("INVITE", call_id, 1, branch, transport="TCP"))
        responses.append(sip_response(407, "Proxy Authentication Required", "INVITE", call_id, 1, branch,
                                      [challenge(nonce="k%d" % i)], "TCP"))
        retries.append(sip_request("ACK", call_id, 1, branch, transport="TCP", cseq_method="ACK")
                       + sip_request("INVITE", call_id, 2, branch + "r", [credentials(nonce="k%d" % i)], "TCP"))
        finals.append(sip_response(200, "OK", "INVITE", call_id, 2, branch + "r", transport="TCP"))
    for src, batch in ((UA, requests), (PROXY, responses), (UA, retries), (PROXY, finals)):
        conn.send(src, enc("".join(batch)))
    return cap


def deep_via_and_truncated():
    """A request with 900 Via entries in one header and 250 Via headers (~55 KB, fragmented); then frames cut mid-header."""
    cap = Capture()

    def send(src, data, dt=0.001):
        cap.udp(src, PROXY if src == UA else UA, data, dt=dt)
    vias = ", ".join("SIP/2.0/UDP 10.9.%d.%d;branch=z9hG4bK-v%d" % (i // 250, i % 250, i) for i in range(900))
    extra = ["Via: SIP/2.0/UDP 10.8.%d.%d;branch=z9hG4bK-w%d" % (i // 250, i % 250, i) for i in range(250)]
    request = sip_request("INVITE", "deep-via@ua", 1, "z9hG4bK-deep", headers=["Via: " + vias] + extra)
    send(UA, enc(request))
    response = sip_response(407, "Proxy Authentication Required", "INVITE", "deep-via@ua", 1, "z9hG4bK-deep",
                            headers=["Via: " + vias] + extra + [challenge(nonce="deep")])
    send(PROXY, enc(response))
    # Truncated 407s: each frame is the start of a 407 only, cut at a different place.
    full = enc(sip_response(407, "Proxy Authentication Required", "INVITE", "cut@ua", 1, "z9hG4bK-cut",
                            [challenge(nonce="cut")]))
    for cut in range(20, len(full), 37):
        send(PROXY, full[:cut])
    return cap


CAPTURES = {
    "huge-call-id-tcp": huge_call_id_tcp,
    "huge-call-id-udp-fragments": huge_call_id_udp_fragments,
    "many-challenge-headers": many_challenge_headers,
    "cseq-extremes": cseq_extremes,
    "non-utf8-params": non_utf8_params,
    "only-challenges": only_challenges,
    "ten-thousand-challenges": ten_thousand_challenges,
    "backwards-time": backwards_time,
    "many-messages-one-segment": many_messages_one_segment,
    "deep-via-and-truncated": deep_via_and_truncated,
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "pcaps")
    os.makedirs(out, exist_ok=True)
    for name, build in CAPTURES.items():
        cap = build()
        cap.write(os.path.join(out, name + ".pcap"))
        print("%-28s %6d frames" % (name, len(cap.frames)))
    print("wrote %d captures to %s" % (len(CAPTURES), out))


if __name__ == "__main__":
    main()
