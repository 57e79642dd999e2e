#!/usr/bin/env python3
"""Writes the security agreement captures pcaps/ims/sec-*.pcap (SPEC section 11) and their known answers.

Each capture is one UE registering through a P-CSCF (IPv4 or IPv6): REGISTER with Security-Client, 401 with or
without Security-Server, and a retry that breaks the agreement in one way, or travels inside ESP (ealg null).
The answers (pcaps/ims/sec-expected.json) say, per capture, mode (two-pass, single-pass) and frame, the
fields and expert infos the plugin must show; tshark options a capture needs are given with it.
Usage: gen_sec_captures.py [--out pcaps/ims]
"""
import argparse
import json
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
REALM = "ims.mnc001.mcc001.3gppnetwork.org"
IMPI = "001011234567895@" + REALM
NONCE = "q2xGi7yQk2+Rh1nM0ZsXbq0yVT0YcCIQbqB1S0m3G0o="   # RAND||AUTN in base64, as an HSS gives it
SPI_C, SPI_S, PORT_C, PORT_S = 100, 101, 5100, 6100      # the P-CSCF's
UE_SPI_C, UE_SPI_S, UE_PORT_C, UE_PORT_S = 1111, 2222, 31100, 31101
ADDRS = {4: ("10.45.0.2", "172.22.0.21"), 6: ("2001:db8:cafe::2", "2001:db8:1::21")}
T0 = 1700000000
MECH = "ipsec-3gpp hmac-md5-96 null"


def sec_client():
    return ("Security-Client", "ipsec-3gpp;alg=hmac-md5-96;ealg=null;spi-c=%d;spi-s=%d;port-c=%d;port-s=%d;"
            "prot=esp;mod=trans" % (UE_SPI_C, UE_SPI_S, UE_PORT_C, UE_PORT_S))


def sec_server(spi_s=SPI_S):
    return ("Security-Server", "ipsec-3gpp;q=0.1;alg=hmac-md5-96;ealg=null;spi-c=%d;spi-s=%d;port-c=%d;"
            "port-s=%d;prot=esp;mod=trans" % (SPI_C, spi_s, PORT_C, PORT_S))


def sec_verify(spi_s=SPI_S):
    return ("Security-Verify", sec_server(spi_s)[1])


def host(ip):
    return "[%s]" % ip if ":" in ip else ip


def register(ue, pcscf, cseq, port, extra, auth):
    lines = ["REGISTER sip:%s SIP/2.0" % REALM,
             "Via: SIP/2.0/UDP %s:%d;branch=z9hG4bK-sec-%d;rport" % (host(ue), port, cseq),
             "Max-Forwards: 70",
             "From: <sip:%s>;tag=ue1" % IMPI, "To: <sip:%s>" % IMPI,
             "Call-ID: sec-reg-1@%s" % host(ue), "CSeq: %d REGISTER" % cseq,
             "Contact: <sip:%s@%s:%d>;expires=600000" % (IMPI.split("@")[0], host(ue), port),
             "Authorization: " + auth,
             "Supported: path, sec-agree", "Require: sec-agree", "Proxy-Require: sec-agree"]
    lines += ["%s: %s" % h for h in extra]
    return "\r\n".join(lines + ["Content-Length: 0", "", ""]).encode()


def response(request, code, reason, extra):
    head = request.decode().split("\r\n")
    keep = [l for l in head if l.split(":", 1)[0] in ("Via", "From", "Call-ID", "CSeq")]
    to = [l for l in head if l.startswith("To:")][0] + ";tag=pcscf1"
    lines = ["SIP/2.0 %d %s" % (code, reason)] + keep[:1] + keep[1:2] + [to] + keep[2:]
    lines += ["%s: %s" % h for h in extra]
    return "\r\n".join(lines + ["Content-Length: 0", "", ""]).encode()


INITIAL = 'Digest username="%s", realm="%s", uri="sip:%s", nonce="", response=""' % (IMPI, REALM, REALM)
CHALLENGE = ("WWW-Authenticate", 'Digest realm="%s", nonce="%s", algorithm=AKAv1-MD5, qop="auth", '
             'ck="00112233445566778899aabbccddeeff", ik="ffeeddccbbaa99887766554433221100"' % (REALM, NONCE))
RETRY = ('Digest username="%s", realm="%s", uri="sip:%s", nonce="%s", response="0123456789abcdef0123456789abcdef", '
         'algorithm=AKAv1-MD5, cnonce="c0ffee", nc=00000001, qop=auth' % (IMPI, REALM, REALM, NONCE))


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip_bytes(ip):
    import ipaddress
    return ipaddress.ip_address(ip).packed


def udp(family, src, dst, sport, dport, payload):
    length = 8 + len(payload)
    header = struct.pack("!HHHH", sport, dport, length, 0)
    if family == 4:
        pseudo = ip_bytes(src) + ip_bytes(dst) + struct.pack("!BBH", 0, 17, length)
    else:
        pseudo = ip_bytes(src) + ip_bytes(dst) + struct.pack("!IxxxB", length, 17)
    c = checksum(pseudo + header + payload) or 0xffff
    return struct.pack("!HHHH", sport, dport, length, c) + payload


def esp(spi, seq, inner):
    """ESP in transport mode with NULL encryption and a (fake) HMAC-MD5-96 ICV (RFC 4303, 2410)."""
    pad = (-(len(inner) + 2)) % 4
    return (struct.pack("!II", spi, seq) + inner + bytes(range(1, pad + 1)) + bytes([pad, 17])
            + bytes(12))


def ip_packet(family, src, dst, proto, payload):
    if family == 4:
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, proto, 0,
                             ip_bytes(src), ip_bytes(dst))
        header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
        return b"\x08\x00", header + payload
    header = struct.pack("!IHBB16s16s", 6 << 28, len(payload), proto, 64, ip_bytes(src), ip_bytes(dst))
    return b"\x86\xdd", header + payload


class Capture:
    def __init__(self, name, family):
        self.name, self.family, self.frames = name, family, []
        self.ue, self.pcscf = ADDRS[family]

    def sip(self, t, to_ue, sport, dport, message):
        src, dst = (self.pcscf, self.ue) if to_ue else (self.ue, self.pcscf)
        self.frames.append((t, ip_packet(self.family, src, dst, 17, udp(self.family, src, dst, sport, dport,
                                                                         message))))
        return len(self.frames)

    def esp(self, t, to_ue, spi, seq, sport, dport, message):
        src, dst = (self.pcscf, self.ue) if to_ue else (self.ue, self.pcscf)
        inner = udp(self.family, src, dst, sport, dport, message)
        self.frames.append((t, ip_packet(self.family, src, dst, 50, esp(spi, seq, inner))))
        return len(self.frames)

    def write(self, path):
        with open(path, "wb") as f:
            f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
            for t, (ethertype, packet) in self.frames:
                frame = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + ethertype + packet
                secs = int(t)
                f.write(struct.pack("<IIII", T0 + secs, int(round((t - secs) * 1e6)), len(frame), len(frame)))
                f.write(frame)


def challenge_fields(verdict, **more):
    d = {"role": "challenge", "verdict": verdict, "sec_mechanism": MECH, "spi_c": SPI_C, "spi_s": SPI_S,
         "port_c": PORT_C, "port_s": PORT_S}
    d.update(more)
    return d


def scenario(name, family, server=True, verify="same", retry_port=PORT_S, final=200, hidden=False):
    """One registration; returns (capture, {mode: {frame: expected}}, tshark args by variant)."""
    cap = Capture(name, family)
    req = register(cap.ue, cap.pcscf, 1, 5060, [sec_client()], INITIAL)
    f_req = cap.sip(0.0, False, 5060, 5060, req)
    chal = response(req, 401, "Unauthorized", [CHALLENGE] + ([sec_server()] if server else []))
    f_chal = cap.sip(0.150, True, 5060, 5060, chal)
    extra = [sec_client()]
    if verify == "same":
        extra.append(sec_verify())
    elif verify == "other":
        extra.append(sec_verify(spi_s=SPI_S + 7))
    retry = register(cap.ue, cap.pcscf, 2, UE_PORT_C, extra, RETRY)
    answers = {"two-pass": {}, "single-pass": {}}
    sec = {} if not server else {"sec_mechanism": MECH, "spi_c": SPI_C, "spi_s": SPI_S, "port_c": PORT_C,
                                 "port_s": PORT_S}
    if hidden:
        f_retry = cap.esp(0.400, False, SPI_S, 1, UE_PORT_C, PORT_S, retry)
        f_ok = cap.esp(0.560, True, UE_SPI_C, 1, PORT_S, UE_PORT_C, response(retry, 200, "OK", []))
        two = dict(role="challenge", verdict="retry protected", esp_frame=f_retry, experts=["retry_in_ipsec"], **sec)
        answers["two-pass"][f_chal] = two
        answers["single-pass"][f_chal] = dict(role="challenge", verdict="unknown (single pass)", experts=[], **sec)
        # With the ESP heuristic the retry decodes and links as any other.
        answers["esp-heuristic"] = {
            f_chal: dict(role="challenge", verdict="accepted", retry_frame=f_retry, result_frame=f_ok,
                         experts=["challenge_answered"], **sec),
            f_retry: dict(role="retry", verdict="accepted", result_frame=f_ok, experts=[], **sec)}
        return cap, answers
    f_retry = cap.sip(0.400, False, UE_PORT_C, retry_port, retry)
    reason = {200: "OK", 494: "Security Agreement Required"}[final]
    f_fin = cap.sip(0.560, True, retry_port, UE_PORT_C, response(retry, final, reason, []))
    retry_experts = []
    if server and verify != "same":
        retry_experts.append("sec_verify_mismatch")
    if server and retry_port != PORT_S:
        retry_experts.append("retry_unprotected")
    verdict = "accepted" if final == 200 else "rejected"
    statement = "challenge_answered" if final == 200 else "retry_failed"
    chal_experts = sorted([statement] + ([] if server else ["sec_server_missing:note"]))
    answers["two-pass"][f_chal] = dict(role="challenge", verdict=verdict, retry_frame=f_retry, result_frame=f_fin,
                                       experts=chal_experts, **sec)
    answers["two-pass"][f_retry] = dict(role="retry", verdict=verdict, result_frame=f_fin,
                                        experts=sorted(retry_experts), **sec)
    answers["single-pass"][f_chal] = dict(role="challenge", verdict="unknown (single pass)",
                                          experts=[] if server else ["sec_server_missing:note"], **sec)
    answers["single-pass"][f_retry] = dict(role="retry", verdict="unknown (single pass)",
                                           experts=sorted(retry_experts), **sec)
    if final == 494:
        answers["single-pass"][f_fin] = dict(role="result", verdict="rejected", experts=["retry_failed"])
    return cap, answers


SCENARIOS = [
    ("sec-agreement-ok-ipv4", 4, {}),
    ("sec-server-missing-ipv4", 4, {"server": False}),
    ("sec-verify-missing-ipv4", 4, {"verify": None}),
    ("sec-verify-differs-ipv6", 6, {"verify": "other"}),
    ("sec-retry-unprotected-ipv4", 4, {"retry_port": 5060}),
    ("sec-retry-unprotected-ipv6", 6, {"retry_port": 5060, "verify": None}),
    ("sec-494-ipv4", 4, {"final": 494}),
    ("sec-esp-hidden-ipv4", 4, {"hidden": True}),
    ("sec-esp-hidden-ipv6", 6, {"hidden": True}),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, "pcaps", "ims"))
    options = parser.parse_args()
    os.makedirs(options.out, exist_ok=True)
    expected = {}
    for name, family, kwargs in SCENARIOS:
        cap, answers = scenario(name, family, **kwargs)
        cap.write(os.path.join(options.out, name + ".pcap"))
        expected[name + ".pcap"] = {mode: {str(f): v for f, v in frames.items()} for mode, frames in answers.items()}
    with open(os.path.join(options.out, "sec-expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote %d captures to %s" % (len(SCENARIOS), options.out))


if __name__ == "__main__":
    main()
