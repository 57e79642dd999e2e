#!/usr/bin/env python3
"""Writes the Diameter Cx captures pcaps/ims/cx-*.pcap (SPEC section 11, the HSS) and their known answers.

Each capture is a P-CSCF (10.0.0.10) registering users at an S-CSCF (10.0.0.20, SIP over UDP 5060) that asks the
HSS (10.0.0.30) over Diameter Cx (application 16777216, TCP or SCTP port 3868): MAR/MAA for the vector before
the 401, SAR/SAA after the accepted retry. The AKA vectors are random (RAND, AUTN, XRES): the MAA carries
RAND||AUTN in SIP-Authenticate and XRES in SIP-Authorization, the 401's nonce is base64(RAND||AUTN) and the UE's
response is the Digest one with XRES as the password (RFC 3310), so the MAA alone verifies it.

The answers (pcaps/ims/cx-expected.json) say, per capture, mode and frame, what the plugin must show. The
roles, verdicts and the findings that are not Cx ones come from what the plugin showed before it knew Cx
(tests/ims/cx/cx-baseline.json, written with --record WRAPPER PLUGIN); the Cx fields and findings are added here
by the placement rules (see cx_answers()). Modes: two-pass (-2), single-pass, no-diameter (-2 with
-o sipauth.diameter:FALSE: the baseline as it is, without Cx).
Usage: gen_cx_captures.py [--out pcaps/ims] [--record WRAPPER PLUGIN]
"""
import argparse
import base64
import json
import os
import random
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
import gen_pcaps as G  # noqa: E402  (frames, TCP, pcap writing, Digest arithmetic)

REALM = "ims.mnc001.mcc001.3gppnetwork.org"
ADDRS = {4: ("10.0.0.10", "10.0.0.20", "10.0.0.30"), 6: ("2001:db8:0:1::10", "2001:db8:0:1::20", "2001:db8:0:1::30")}
BASELINE = os.path.join(HERE, "cx-baseline.json")
MODES = ("two-pass", "single-pass", "no-diameter")
MODE_ARGS = {"two-pass": ["-2"], "single-pass": [], "no-diameter": ["-2", "-o", "sipauth.diameter:FALSE"]}

# Diameter (RFC 6733) and Cx (TS 29.228/29.229)
CX_APP, VENDOR_3GPP = 16777216, 10415
CMD_UAR, CMD_SAR, CMD_MAR = 300, 301, 303
AVP = dict(user_name=1, digest_realm=104, digest_qop=110, digest_algorithm=111, digest_ha1=121, vsai=260,
           auth_app_id=258, session_id=263, origin_host=264, vendor_id=266, result_code=268, auth_session_state=277,
           destination_realm=283, origin_realm=296, experimental_result=297, experimental_result_code=298,
           destination_host=293)
AVP3 = dict(public_identity=601, server_name=602, sip_auth_scheme=608, sip_authenticate=609, sip_authorization=610,
            sip_number_auth_items=607, sip_auth_data_item=612, sip_item_number=613, server_assignment_type=614,
            user_data_already_available=624, confidentiality_key=625, integrity_key=626,
            sip_digest_authenticate=635)
AKA_SCHEME, DIGEST_SCHEME = "Digest-AKAv1-MD5", "SIP Digest"


def pad4(b):
    return b + bytes(-len(b) % 4)


def avp(code, data, vendor=None, mandatory=True, length=None):
    """One AVP, padded; length overrides the header's length field (for broken items)."""
    if isinstance(data, str):
        data = data.encode()
    flags = (0x80 if vendor else 0) | (0x40 if mandatory else 0)
    head = 12 if vendor else 8
    n = head + len(data) if length is None else length
    out = struct.pack("!IB", code, flags) + n.to_bytes(3, "big")
    if vendor:
        out += struct.pack("!I", vendor)
    return pad4(out + data)


def a(name, data):
    """A base AVP by name, or a 3GPP one (V flag, vendor 10415)."""
    if name in AVP:
        return avp(AVP[name], data)
    return avp(AVP3[name], data, vendor=VENDOR_3GPP)


def u32(v):
    return struct.pack("!I", v)


def diameter(cmd, request, hbh, e2e, avps):
    body = b"".join(avps)
    flags = 0xC0 if request else 0x40            # R and P: Cx commands are proxiable
    return (bytes([1]) + (20 + len(body)).to_bytes(3, "big") + bytes([flags]) + cmd.to_bytes(3, "big")
            + struct.pack("!III", CX_APP, hbh, e2e) + body)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283      # the CRC-32C check value (RFC 3720 B.4)


class Sctp:
    """One SCTP association as seen mid-life: DATA chunks (PPID 46, Diameter) with TSNs and the CRC32c."""

    def __init__(self, cap, client, server):
        self.cap, self.client, self.server = cap, client, server
        self.tsn = {client: 0x1000, server: 0x9000}
        self.ssn = {client: 0, server: 0}
        self.vtag = {client: 0x0A0B0C0D, server: 0x01020304}   # the tag the receiver expects

    def send(self, t, from_client, payload):
        src, dst = (self.client, self.server) if from_client else (self.server, self.client)
        chunk = struct.pack("!BBHIHHI", 0, 0x03, 16 + len(payload), self.tsn[src], 0, self.ssn[src], 46) + payload
        chunk = pad4(chunk)
        self.tsn[src] += 1
        self.ssn[src] = (self.ssn[src] + 1) & 0xFFFF
        common = struct.pack("!HHII", src[1], dst[1], self.vtag[dst], 0)
        packet = common + chunk
        packet = packet[:8] + struct.pack("<I", crc32c(packet)) + packet[12:]     # stored as SCTP stacks do
        ip = self.cap.ip_packet(src[0], dst[0], 132, packet)
        return self.cap.add_frame(t, self.cap.ethernet(src[0], dst[0], ip))


class Tcp:
    """Diameter over one TCP connection (handshake first)."""

    def __init__(self, cap, t, client, server):
        self.conn = G.TcpConnection(cap, t, client, server)

    def send(self, t, from_client, payload):
        return self.conn._segment(t, self.conn.client if from_client else self.conn.server, 0x18, payload)


def host(ip):
    return "[%s]" % ip if ":" in ip else ip


class User:
    def __init__(self, name):
        self.impi = "%s@%s" % (name, REALM)
        self.impu = "sip:%s@%s" % (name, REALM)
        self.tag = G.token("tag", name, length=8)
        self.cid = G.token("cid", name, length=16) + "@pcscf"


class Flow:
    """One capture: the three hosts, Diameter's transport, the frames and the facts the answers need."""

    def __init__(self, name, family=4, transport="tcp", seed=None, t_cx=0.0):
        self.name = name
        self.cap = G.Capture(name, name)
        self.pcscf, self.scscf, self.hss = ADDRS[family]
        self.rng = random.Random(seed or name)
        self.transport, self.t_cx, self.dia = transport, t_cx, None
        self.hbh = 0x2000
        self.session = 0
        self.branch = 0
        self.facts = {"challenges": [], "retries": [], "results": [], "cx_errors": [], "maa": [], "sar": []}

    def bytes(self, n):
        return bytes(self.rng.getrandbits(8) for _ in range(n))

    # -- SIP
    def sip(self, t, to_pcscf, text):
        src, dst = ((self.scscf, 5060), (self.pcscf, 5060)) if to_pcscf else ((self.pcscf, 5060), (self.scscf, 5060))
        return self.cap.udp(t, src, dst, text)

    def register(self, user, cseq, auth, body=""):
        self.branch += 1
        lines = ["REGISTER sip:%s SIP/2.0" % REALM,
                 "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s" % (host(self.pcscf), G.token("br", self.name, self.branch,
                                                                                     length=12)),
                 "Max-Forwards: 69",
                 "From: <%s>;tag=%s" % (user.impu, user.tag), "To: <%s>" % user.impu,
                 "Call-ID: " + user.cid, "CSeq: %d REGISTER" % cseq,
                 "Contact: <sip:%s@10.45.0.2:5060>;expires=600000" % user.impi.split("@")[0],
                 "Path: <sip:term@pcscf.%s;lr>" % REALM,
                 "Authorization: " + auth, "Expires: 600000"]
        if body:
            lines.append("Content-Type: text/plain")
        return "\r\n".join(lines + ["Content-Length: %d" % len(body.encode()), "", body])

    @staticmethod
    def response(request, code, reason, extra=()):
        head = request.split("\r\n")
        keep = [l for l in head if l.split(":", 1)[0] in ("Via", "From", "Call-ID", "CSeq")]
        to = [l for l in head if l.startswith("To:")][0] + ";tag=scscf" + G.token("t", request, length=6)
        lines = ["SIP/2.0 %d %s" % (code, reason)] + keep[:2] + [to] + keep[2:] + list(extra)
        return "\r\n".join(lines + ["Server: S-CSCF", "Content-Length: 0", "", ""])

    # -- Diameter
    def cx(self, t, request, payload):
        if self.dia is None:
            if self.transport == "tcp":
                self.dia = Tcp(self.cap, t - 0.001, (self.scscf, 45000 + self.rng.randrange(1000)), (self.hss, 3868))
            else:
                self.dia = Sctp(self.cap, (self.scscf, 3868), (self.hss, 3868))
        return self.dia.send(t, request, payload)

    def common(self, session, request):
        host = "scscf" if request else "hss"
        out = [a("session_id", session), a("vsai", a("vendor_id", u32(VENDOR_3GPP)) + a("auth_app_id", u32(CX_APP))),
               a("auth_session_state", u32(1)), a("origin_host", "%s.%s" % (host, REALM)), a("origin_realm", REALM)]
        if request:
            out.append(a("destination_realm", REALM))
        return out

    def exchange(self, t, cmd, req_avps, ans_avps, delay):
        self.session += 1
        session = "scscf.%s;%d;%d" % (REALM, 1700000000, self.session)
        self.hbh += 1
        fr = self.cx(t, True, diameter(cmd, True, self.hbh, self.hbh + 0x10000, self.common(session, True) + req_avps))
        fa = self.cx(t + delay, False, diameter(cmd, False, self.hbh, self.hbh + 0x10000,
                                               self.common(session, False) + ans_avps))
        return fr, fa

    def mar(self, t, user, scheme=AKA_SCHEME, authorization=None, answer_items=(), result=2001, experimental=False,
            delay=0.0045):
        item = a("sip_auth_scheme", scheme)
        if authorization is not None:
            item += a("sip_authorization", authorization)
        req = [a("user_name", user.impi), a("public_identity", user.impu), a("sip_number_auth_items", u32(1)),
               a("sip_auth_data_item", item), a("server_name", "sip:scscf.%s:6060" % REALM)]
        ans = [result_avp(result, experimental), a("user_name", user.impi), a("public_identity", user.impu)]
        if answer_items:
            ans.append(a("sip_number_auth_items", u32(len(answer_items))))
            ans += list(answer_items)
        fr, fa = self.exchange(t, CMD_MAR, req, ans, delay)
        self.facts["maa"].append(dict(mar=fr, maa=fa, user=user.impu, result=result, time=delay))
        if result >= 3000:
            self.facts["cx_errors"].append(dict(frame=fa, result=result, fields=dict(mar_frame=fr, maa_frame=fa,
                                                                                     hss_time=delay)))
        return fr, fa

    def sar(self, t, user, result=2001, experimental=False, delay=0.006):
        req = [a("user_name", user.impi), a("public_identity", user.impu),
               a("server_name", "sip:scscf.%s:6060" % REALM), a("server_assignment_type", u32(1)),
               a("user_data_already_available", u32(0))]
        ans = [result_avp(result, experimental), a("user_name", user.impi)]
        fr, fa = self.exchange(t, CMD_SAR, req, ans, delay)
        self.facts["sar"].append(dict(sar=fr, saa=fa, user=user.impu, result=result))
        if result >= 3000:
            self.facts["cx_errors"].append(dict(frame=fa, result=result, fields=dict(sar_frame=fr, saa_frame=fa,
                                                                                     hss_time=delay)))
        return fr, fa


def result_avp(code, experimental):
    if experimental:
        return a("experimental_result", a("vendor_id", u32(VENDOR_3GPP)) + a("experimental_result_code", u32(code)))
    return a("result_code", u32(code))


def aka_item(number, rand, autn, xres, ck, ik):
    return a("sip_auth_data_item", a("sip_item_number", u32(number)) + a("sip_auth_scheme", AKA_SCHEME)
             + a("sip_authenticate", rand + autn) + a("sip_authorization", xres)
             + a("confidentiality_key", ck) + a("integrity_key", ik))


def digest_item(number, realm, ha1):
    inner = (a("digest_realm", realm) + a("digest_algorithm", "MD5") + a("digest_qop", "auth")
             + a("digest_ha1", ha1))
    return a("sip_auth_data_item", a("sip_item_number", u32(number)) + a("sip_auth_scheme", DIGEST_SCHEME)
             + a("sip_digest_authenticate", inner))


class Vector:
    def __init__(self, flow):
        self.rand, self.autn, self.xres = flow.bytes(16), flow.bytes(16), flow.bytes(8)
        self.ck, self.ik = flow.bytes(16), flow.bytes(16)
        self.nonce = base64.b64encode(self.rand + self.autn).decode()

    def item(self, number=1):
        return aka_item(number, self.rand, self.autn, self.xres, self.ck, self.ik)


def empty_auth(user):
    return 'Digest username="%s", realm="%s", uri="sip:%s", nonce="", response=""' % (user.impi, REALM, REALM)


def aka_challenge(nonce, qop="auth"):
    return ("WWW-Authenticate: Digest realm=\"%s\", nonce=\"%s\", algorithm=AKAv1-MD5, qop=\"%s\"" % (REALM, nonce, qop))


def credentials(user, nonce, password, algorithm="AKAv1-MD5", qop="auth", body="", auts=None, ha1=None, realm=REALM,
                cnonce="0a1b2c3d4e5f6071"):
    uri = "sip:" + REALM
    if auts is not None:
        password = b""      # RFC 3310 section 3.4: the resynchronisation request's password is empty
    response = G.digest_response_of(algorithm, user.impi, realm, "REGISTER", uri, nonce, password=password, ha1=ha1,
                                    qop=qop, nc="00000001", cnonce=cnonce, body=body.encode())
    text = ('Digest username="%s", realm="%s", uri="%s", nonce="%s", response="%s", algorithm=%s, cnonce="%s", '
            'qop=%s, nc=00000001' % (user.impi, realm, uri, nonce, response, algorithm, cnonce, qop))
    if auts is not None:
        text += ', auts="%s"' % auts
    return text


# -- scenarios: each returns its Flow with facts filled (frames of every step)

def ok_flow(f, user, t, qop="auth", wrong=False, sar_result=None, final=None):
    """REGISTER -> MAR -> MAA(2001) -> 401 -> retry -> [SAR -> SAA] -> final."""
    v = Vector(f)
    req = f.register(user, 1, empty_auth(user))
    f.sip(t, False, req)
    f.mar(t + 0.002, user, answer_items=[v.item()])
    chal = f.response(req, 401, "Unauthorized", [aka_challenge(v.nonce, qop)])
    fc = f.sip(t + 0.010, True, chal)
    f.facts["challenges"].append(dict(frame=fc, maa=len(f.facts["maa"]) - 1, user=user.impu))
    body = "registration body for integrity\r\n" if qop == "auth-int" else ""
    xres = f.bytes(8) if wrong else v.xres
    retry = f.register(user, 2, credentials(user, v.nonce, xres, qop=qop, body=body), body=body)
    fr = f.sip(t + 0.300, False, retry)
    f.facts["retries"].append(dict(frame=fr, credentials="wrong" if wrong else "correct"))
    if wrong:
        ff = f.sip(t + 0.305, True, f.response(retry, 403, "Forbidden"))
        f.facts["results"].append(dict(frame=ff, user=user.impu, maa=len(f.facts["maa"]) - 1))
        return
    code = sar_result or 2001
    f.sar(t + 0.302, user, result=code)
    final = final or ((200, "OK") if code < 3000 else (500, "Server Internal Error"))
    ff = f.sip(t + 0.312, True, f.response(retry, final[0], final[1]))
    f.facts["results"].append(dict(frame=ff, user=user.impu, maa=len(f.facts["maa"]) - 1))


def s_ok(name, transport):
    f = Flow(name, transport=transport)
    ok_flow(f, User("001010000000001"), 0.010)
    return f


def s_auth_int():
    f = Flow("cx-auth-int")
    ok_flow(f, User("001010000000002"), 0.010, qop="auth-int")
    return f


def s_digest_ha1():
    f = Flow("cx-digest-ha1")
    user, t = User("alice"), 0.010
    password = "Pw-alice-" + f.bytes(4).hex()
    ha1 = G.md5("%s:%s:%s" % (user.impi, REALM, password))
    req = f.register(user, 1, empty_auth(user))
    f.sip(t, False, req)
    f.mar(t + 0.002, user, scheme=DIGEST_SCHEME, answer_items=[digest_item(1, REALM, ha1)])
    nonce = f.bytes(16).hex()
    chal = f.response(req, 401, "Unauthorized", ['WWW-Authenticate: Digest realm="%s", nonce="%s", algorithm=MD5, '
                                                 'qop="auth"' % (REALM, nonce)])
    fc = f.sip(t + 0.010, True, chal)
    f.facts["challenges"].append(dict(frame=fc, maa=0, user=user.impu))
    retry = f.register(user, 2, credentials(user, nonce, password, algorithm="MD5"))
    fr = f.sip(t + 0.300, False, retry)
    f.facts["retries"].append(dict(frame=fr, credentials="correct"))
    f.sar(t + 0.302, user)
    ff = f.sip(t + 0.312, True, f.response(retry, 200, "OK"))
    f.facts["results"].append(dict(frame=ff, user=user.impu, maa=0))
    return f


def s_wrong():
    f = Flow("cx-wrong-response")
    ok_flow(f, User("001010000000003"), 0.010, wrong=True)
    return f


def s_user_unknown(name, transport):
    f = Flow(name, transport=transport)
    user, t = User("001010000000099"), 0.010
    req = f.register(user, 1, empty_auth(user))
    f.sip(t, False, req)
    f.mar(t + 0.002, user, result=5001, experimental=True)
    f.sip(t + 0.010, True, f.response(req, 403, "Forbidden"))
    return f


def s_sar_failure():
    f = Flow("cx-sar-failure")
    ok_flow(f, User("001010000000004"), 0.010, sar_result=5012)
    return f


def auts_of(f):
    return base64.b64encode(f.bytes(14)).decode()


def resync(name, family, loops):
    """401 #1, then `loops` auts retries each answered by a resync MAR/MAA and a fresh 401; after the last one
    either the UE answers right (loops == 1) or gives up."""
    f = Flow(name, family=family)
    user, t = User("001010000000005"), 0.010
    v = Vector(f)
    req = f.register(user, 1, empty_auth(user))
    f.sip(t, False, req)
    f.mar(t + 0.002, user, answer_items=[v.item()])
    prev = f.response(req, 401, "Unauthorized", [aka_challenge(v.nonce)])
    fc = f.sip(t + 0.010, True, prev)
    f.facts["challenges"].append(dict(frame=fc, maa=0, user=user.impu))
    cseq = 1
    for n in range(loops):
        t += 0.400
        cseq += 1
        auts = auts_of(f)
        retry = f.register(user, cseq, credentials(user, v.nonce, b"", auts=auts))
        fr = f.sip(t, False, retry)
        f.facts["retries"].append(dict(frame=fr, credentials="cannot check", auts=n + 1))
        old, v = v, Vector(f)
        # TS 29.229 6.3.13: the resynchronisation MAR carries RAND || AUTS in SIP-Authorization.
        f.mar(t + 0.002, user, authorization=old.rand + base64.b64decode(auts), answer_items=[v.item()])
        fc = f.sip(t + 0.010, True, f.response(retry, 401, "Unauthorized", [aka_challenge(v.nonce)]))
        f.facts["challenges"].append(dict(frame=fc, maa=len(f.facts["maa"]) - 1, user=user.impu))
    if loops == 1:
        retry = f.register(user, cseq + 1, credentials(user, v.nonce, v.xres))
        fr = f.sip(t + 0.300, False, retry)
        f.facts["retries"].append(dict(frame=fr, credentials="correct"))
        f.sar(t + 0.302, user)
        ff = f.sip(t + 0.312, True, f.response(retry, 200, "OK"))
        f.facts["results"].append(dict(frame=ff, user=user.impu, maa=len(f.facts["maa"]) - 1))
    return f


def s_clock_skew():
    """The Cx frames come from a probe whose clock is 3600 s behind: merged by time they all sort first."""
    f = Flow("cx-clock-skew")
    user, t, skew = User("001010000000006"), 0.010, -3600.0
    v = Vector(f)
    f.mar(t + 0.002 + skew, user, answer_items=[v.item()])
    f.sar(t + 0.302 + skew, user)
    req = f.register(user, 1, empty_auth(user))
    f.sip(t, False, req)
    fc = f.sip(t + 0.010, True, f.response(req, 401, "Unauthorized", [aka_challenge(v.nonce)]))
    f.facts["challenges"].append(dict(frame=fc, maa=0, user=user.impu))
    retry = f.register(user, 2, credentials(user, v.nonce, v.xres))
    fr = f.sip(t + 0.300, False, retry)
    f.facts["retries"].append(dict(frame=fr, credentials="correct"))
    ff = f.sip(t + 0.312, True, f.response(retry, 200, "OK"))
    f.facts["results"].append(dict(frame=ff, user=user.impu, maa=0))
    return f


def s_no_vector():
    """User A registers normally (the S-CSCF's Cx traffic is in the capture), then user B is challenged by the same
    S-CSCF with no MAA at all."""
    f = Flow("cx-no-vector")
    ok_flow(f, User("001010000000007"), 0.010)
    user, t = User("001010000000008"), 1.000
    rand_autn = f.bytes(32)
    nonce = base64.b64encode(rand_autn).decode()
    req = f.register(user, 1, empty_auth(user))
    f.sip(t, False, req)
    fc = f.sip(t + 0.010, True, f.response(req, 401, "Unauthorized", [aka_challenge(nonce)]))
    f.facts["challenges"].append(dict(frame=fc, maa=None, user=user.impu))
    retry = f.register(user, 2, credentials(user, nonce, f.bytes(8)))
    fr = f.sip(t + 0.300, False, retry)
    f.facts["retries"].append(dict(frame=fr, credentials=None))       # no MAA: what the plugin says without Cx
    ff = f.sip(t + 0.312, True, f.response(retry, 200, "OK"))
    f.facts["results"].append(dict(frame=ff, user=user.impu, maa=None))
    return f


def s_bad_auth_data():
    """MAAs whose SIP-Auth-Data-Item is broken, each followed by the 401 the S-CSCF would have sent with the vector
    the item meant (RAND||AUTN of 32 bytes): none of them gives a vector, so no 401 links to an MAA."""
    f = Flow("cx-bad-auth-data")
    t = 0.010
    for n, kind in enumerate(("past-end", "zero-length", "three-bytes", "ten-kb"), 10):
        user = User("0010100000000%d" % n)
        v = Vector(f)
        if kind == "past-end":
            # The item's length runs 40 bytes past the end of the message.
            inner = a("sip_item_number", u32(1)) + a("sip_auth_scheme", AKA_SCHEME) + a("sip_authenticate",
                                                                                     v.rand + v.autn)[:20]
            item = avp(AVP3["sip_auth_data_item"], b"", vendor=VENDOR_3GPP, length=12 + len(inner) + 40)[:12] + inner
        elif kind == "zero-length":
            item = avp(AVP3["sip_auth_data_item"], b"", vendor=VENDOR_3GPP, length=0)
        elif kind == "three-bytes":
            item = a("sip_auth_data_item", a("sip_item_number", u32(1)) + a("sip_auth_scheme", AKA_SCHEME)
                     + a("sip_authenticate", v.rand[:3]) + a("sip_authorization", v.xres))
        else:
            item = a("sip_auth_data_item", a("sip_item_number", u32(1)) + a("sip_auth_scheme", AKA_SCHEME)
                     + a("sip_authenticate", v.rand + v.autn + f.bytes(10240 - 32)) + a("sip_authorization", v.xres))
        req = f.register(user, 1, empty_auth(user))
        f.sip(t, False, req)
        f.mar(t + 0.002, user, answer_items=[item])
        fc = f.sip(t + 0.010, True, f.response(req, 401, "Unauthorized", [aka_challenge(v.nonce)]))
        f.facts["challenges"].append(dict(frame=fc, maa=None, user=user.impu, bad=kind))
        t += 1.0
    return f


def s_diameter_only():
    f = Flow("cx-diameter-only")
    user, v = User("001010000000020"), Vector(f)
    f.mar(0.012, user, answer_items=[v.item()])
    f.sar(0.312, user)
    return f


def s_sip_only():
    f = Flow("cx-sip-only-udp")
    user, t, v = User("001010000000021"), 0.010, Vector(f)
    req = f.register(user, 1, empty_auth(user))
    f.sip(t, False, req)
    fc = f.sip(t + 0.010, True, f.response(req, 401, "Unauthorized", [aka_challenge(v.nonce)]))
    f.facts["challenges"].append(dict(frame=fc, maa=None, user=user.impu, no_cx=True))
    retry = f.register(user, 2, credentials(user, v.nonce, v.xres))
    fr = f.sip(t + 0.300, False, retry)
    f.facts["retries"].append(dict(frame=fr, credentials=None))
    ff = f.sip(t + 0.312, True, f.response(retry, 200, "OK"))
    f.facts["results"].append(dict(frame=ff, user=user.impu, maa=None))
    return f


SCENARIOS = [
    lambda: s_ok("cx-ok-tcp", "tcp"),
    lambda: s_ok("cx-ok-sctp", "sctp"),
    s_auth_int,
    s_digest_ha1,
    s_wrong,
    lambda: s_user_unknown("cx-user-unknown-tcp", "tcp"),
    lambda: s_user_unknown("cx-user-unknown-sctp", "sctp"),
    s_sar_failure,
    lambda: resync("cx-resync-ok", 6, 1),
    lambda: resync("cx-resync-loop", 4, 3),
    s_clock_skew,
    s_no_vector,
    s_bad_auth_data,
    s_diameter_only,
    s_sip_only,
]


# -- answers

def cx_answers(f, base):
    """The Cx part by the placement rules, on top of the baseline {frame: values} of one mode (two-pass or
    single-pass alike: every MAA precedes its 401 and every SAR/SAA its final response in the file)."""
    out = {k: dict(v, experts=list(v.get("experts", []))) for k, v in base.items()}

    def frame(n):
        return out.setdefault(str(n), {"experts": []})
    for c in f.facts["challenges"]:
        d = frame(c["frame"])
        if c["maa"] is not None:
            m = f.facts["maa"][c["maa"]]
            d.update(mar_frame=m["mar"], maa_frame=m["maa"], hss_time=round(m["time"], 6), hss_result=m["result"])
        elif f.facts["maa"] and f.facts["maa"][0]["mar"] < c["frame"] and not c.get("bad"):
            # an S-CSCF that sent a MAR earlier in the file; a user whose MAA's item is broken has no missing
            # vector, only an unreadable one
            d["experts"].append("no_auth_vector")
    for r in f.facts["results"]:
        if r["maa"] is None:
            continue
        maa = f.facts["maa"][r["maa"]]["maa"]
        sars = [s for s in f.facts["sar"] if s["user"] == r["user"] and s["sar"] > maa]
        if sars:
            d = frame(r["frame"])
            d.update(sar_frame=sars[0]["sar"], saa_frame=sars[0]["saa"], hss_result=sars[0]["result"])
    for r in f.facts["retries"]:
        d = frame(r["frame"])
        if r["credentials"] is not None:
            d["credentials"] = r["credentials"]
        if r["credentials"] == "correct":
            d["experts"].append("credentials_correct")
        elif r["credentials"] == "wrong":
            d["experts"].append("wrong_credentials")
        if r.get("auts") == 2 and "resync_loop" not in d["experts"]:
            d["experts"].append("resync_loop")   # SIP alone shows it: the baseline may carry it already
    for e in f.facts["cx_errors"]:
        d = frame(e["frame"])
        d.update(hss_result=e["result"], **e["fields"])   # the answer's own exchange, to go to its request
        d["experts"].append("hss_error")
    for d in out.values():
        d["experts"].sort()
    return out


def frame_layout(f):
    facts = f.facts
    parts = []
    for m in facts["maa"]:
        parts.append("MAR %d/MAA %d (%d)" % (m["mar"], m["maa"], m["result"]))
    for s in facts["sar"]:
        parts.append("SAR %d/SAA %d (%d)" % (s["sar"], s["saa"], s["result"]))
    parts.append("401 " + ",".join(str(c["frame"]) for c in facts["challenges"]))
    parts.append("retry " + ",".join(str(r["frame"]) for r in facts["retries"]))
    parts.append("final " + ",".join(str(r["frame"]) for r in facts["results"]))
    return "; ".join(parts)


def record(wrapper, plugin, out_dir, flows):
    """What the plugin shows today, per capture, mode and frame: role, verdict, credentials, experts."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "ims", "cx"))
    from check_cx_captures import shown  # noqa: E402
    baseline = {}
    for f in flows:
        path = os.path.join(out_dir, f.name + ".pcap")
        baseline[f.name + ".pcap"] = {}
        for mode in ("two-pass", "single-pass"):
            # Without Cx: the Cx fields and findings are added by the rules above, never copied from the plugin.
            got = shown(wrapper, plugin, path, MODE_ARGS[mode] + ["-o", "sipauth.diameter:FALSE"])
            baseline[f.name + ".pcap"][mode] = {
                k: {n: v[n] for n in ("role", "verdict", "credentials", "experts") if n in v} for k, v in got.items()}
    with open(BASELINE, "w", encoding="utf-8") as fh:
        json.dump(baseline, fh, indent=1, sort_keys=True)
        fh.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "pcaps", "ims"))
    parser.add_argument("--record", nargs=2, metavar=("WRAPPER", "PLUGIN"),
                        help="record what PLUGIN shows (a build without Cx) as the baseline")
    parser.add_argument("--layout", action="store_true", help="print every capture's frame layout")
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)
    flows = [build() for build in SCENARIOS]
    for f in flows:
        G.write_pcap(f.cap, os.path.join(options.out, f.name + ".pcap"))
        if options.layout:
            print("%s: %s" % (f.name, frame_layout(f)))
    if options.record:
        record(options.record[0], options.record[1], options.out, flows)
    with open(BASELINE, encoding="utf-8") as fh:
        baseline = json.load(fh)
    expected = {}
    for f in flows:
        base = baseline[f.name + ".pcap"]
        expected[f.name + ".pcap"] = {"two-pass": cx_answers(f, base["two-pass"]),
                                      "single-pass": cx_answers(f, base["single-pass"]),
                                      "no-diameter": base["two-pass"]}
    with open(os.path.join(options.out, "cx-expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print("wrote %d captures to %s" % (len(flows), options.out))


if __name__ == "__main__":
    main()
