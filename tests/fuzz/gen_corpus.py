#!/usr/bin/env python3
"""Writes the seed corpus of the tracker fuzzer: call flows encoded in fuzz_tracker.c's input format.

Usage: gen_corpus.py [DIR]   (default: tests/fuzz/corpus/ next to this script)
The tables below mirror those of fuzz_tracker.c; each seed is one realistic flow, so that the fuzzer
starts from inputs that reach challenges, retries, ACKs, results and the heuristic.
"""
import os
import sys

METHODS = ["REGISTER", "INVITE", "ACK", "CANCEL", "BYE", "MESSAGE", "SUBSCRIBE", "OPTIONS",
           "register", "INFO", "X-ODD", ""]
STATUSES = [100, 180, 183, 200, 202, 401, 407, 401, 407, 403, 404, 408, 481, 486, 488, 500, 503, 603,
            0, 1, 199, 299, 300, 699, 700, 999, 65535, 4294967295]
CALL_IDS = ["c1@ua", "c2@ua", "c3@ua", "c1@UA", ""]
CSEQ_NUMBERS = ["1", "2", "3", "0", "4294967295", "4294967296", "-1", "18446744073709551617", "02", " 7"]
HOSTS = ["10.0.0.1", "10.0.0.2", "[2001:db8::1]", "pcscf.ims", "", "10.0.0.1:5061"]
BRANCHES = ["z9hG4bKa", "z9hG4bKb", "z9hG4bKc", "z9hG4bK", "rfc2543", "", "z9hG4bKa;received=1.2.3.4"]
FROM_URIS = ["<sip:alice@example.com>", "\"A\" <sip:alice@example.com>", "sip:bob@example.com",
             "<sip:alice@example.com;transport=tcp>"]
TAGS = ["t1", "t2", "", None]
REALMS = ["example.com", "ims.example", "", "\\\"odd\\\"", "example.com\x01"]
NONCES = ["n1", "n2", "n3", "", "n1\\\"x", "n\xff\xfe"]


def find(pred):
    for b in range(256):
        if pred(b):
            return b
    raise ValueError("no byte encodes this choice")


def enc_via(entries):
    """entries: list of (host, branch or None, tcp)."""
    out = [find(lambda c: c % 32 != 31 and 1 + c % 3 == len(entries))]
    for host, branch, tcp in entries:
        h = HOSTS.index(host)
        out.append(find(lambda e: (e & 1) == tcp and (e >> 1) % len(HOSTS) == h
                        and bool(e & 0x80) == (branch is not None) and not e & 0x40))
        if branch is not None:
            out.append(BRANCHES.index(branch))
    return out


def enc_auth(realm=None, nonce=None, username=False, response=False, stale=False, auts=False):
    """One Digest header; response and stale share a bit in the format, so ask for one of them."""
    which = 0
    which |= 0x01 if username else 0
    which |= 0x02 if realm is not None else 0
    which |= 0x04 if nonce is not None else 0
    which |= 0x08 if response else 0
    which |= 0x10 if stale else 0
    which |= 0x20 if auts else 0
    which |= 0x40
    r = REALMS.index(realm) if realm is not None else 0
    n = NONCES.index(nonce) if nonce is not None else 0
    one = bool(response or stale)
    choice = find(lambda c: c < 0xf0 and c & 0x80 and (c >> 2) % len(REALMS) == r
                  and (c >> 4) % len(NONCES) == n and bool(c & 2) == bool(username) and (c & 1) == one)
    return [choice, which]


def record(step_frames=1, dt=0.25, method=None, status=None, call="c1@ua", cseq=("1", None),
           from_=None, vias=(("10.0.0.1", "z9hG4bKa", 0),), www=(), proxy=(), authz=(), proxy_authz=()):
    """dt: seconds, multiple of 0.25 up to 1.75, or 20..140 by 20, or negative multiples of 0.5."""
    auth_lists = (www, proxy, authz, proxy_authz)
    op = (method is not None) | (from_ is not None) << 1 | any(auth_lists) << 2
    if len(vias) == 3:
        op |= 0x80
    out = [op]
    if dt >= 20:
        k = int(dt // 20)
        step = 4 << 5 | k << 2
    elif dt < 0:
        step = 5 << 5 | int(-dt / 0.5) << 2
    else:
        step = 1 << 5 | int(dt / 0.25) << 2
    out.append(step | (step_frames - 1))
    if method is not None:
        out.append(METHODS.index(method))
    else:
        out.append(STATUSES.index(status))
    out.append(CALL_IDS.index(call))
    number, cseq_method = cseq
    num = CSEQ_NUMBERS.index(number)
    cseq_method = cseq_method or method or "INVITE"
    out.append(find(lambda c: c % 16 < 14 and (c >> 4) % len(CSEQ_NUMBERS) == num and c & 0x80))
    out.append(METHODS.index(cseq_method))
    if from_ is not None:
        uri, tag = from_
        u, t = FROM_URIS.index(uri), TAGS.index(tag)
        out.append(find(lambda c: c % 16 < 14 and c % 4 == u and (c >> 4) % 4 == t))
    n = len(vias)
    counts = {0: 3, 1: 0, 2: 2, 3: 2}[n]
    out.append(counts)
    for v in vias:
        out += enc_via([v])
    if op & 4:
        if any(len(lst) > 3 for lst in auth_lists):
            raise ValueError("at most 3 headers per list")
        out.append(len(www) | len(proxy) << 2 | len(authz) << 4 | len(proxy_authz) << 6)
        for lst in auth_lists:
            for header in lst:
                out += header
    return bytes(out)


UA = ("10.0.0.1", "z9hG4bKa", 0)
UA_B = ("10.0.0.1", "z9hG4bKb", 0)
UA_C = ("10.0.0.1", "z9hG4bKc", 0)
CH = enc_auth(realm="example.com", nonce="n1")
CH2 = enc_auth(realm="example.com", nonce="n2")
STALE = enc_auth(realm="example.com", nonce="n2", stale=True)
CR = enc_auth(realm="example.com", nonce="n1", username=True, response=True)
CR2 = enc_auth(realm="example.com", nonce="n2", username=True, response=True)
EMPTY = enc_auth(realm="ims.example", nonce="", username=True)
AUTS = enc_auth(realm="ims.example", nonce="n1", username=True, response=True, auts=True)
# Config byte: bit 0 ignores 401, bit 1 turns the heuristic off, bits 2-3 loop threshold, bit 4 + bits 5-7 timeout.
CONFIGS = {"": 0x0c, "-no401-noheur-loop1": 0x07, "-timeout1s": 0x3c}


def seeds():
    s = {}
    s["register-401-ok"] = [
        record(method="REGISTER", vias=(UA,)),
        record(status=401, cseq=("1", "REGISTER"), vias=(UA,), www=(CH,)),
        record(method="REGISTER", cseq=("2", None), vias=(UA_B,), authz=(CR,)),
        record(status=200, cseq=("2", "REGISTER"), vias=(UA_B,)),
    ]
    s["invite-407-ack-ok"] = [
        record(method="INVITE"),
        record(status=100),
        record(status=407, proxy=(CH,)),
        record(method="ACK", cseq=("1", "ACK")),
        record(method="INVITE", cseq=("2", None), vias=(UA_B,), proxy_authz=(CR,)),
        record(status=200, cseq=("2", None), vias=(UA_B,)),
    ]
    s["invite-407-no-retry"] = [
        record(method="INVITE"),
        record(status=407, proxy=(CH,)),
        record(method="ACK", cseq=("1", "ACK")),
        record(dt=40, method="BYE", cseq=("2", "BYE"), vias=(UA_B,)),
    ]
    s["loop"] = [
        record(method="INVITE"),
        record(status=407, proxy=(CH,)),
        record(method="INVITE", cseq=("2", None), vias=(UA_B,), proxy_authz=(CR,)),
        record(status=407, cseq=("2", None), vias=(UA_B,), proxy=(CH2,)),
        record(method="INVITE", cseq=("3", None), vias=(UA_C,), proxy_authz=(CR2,)),
        record(status=407, cseq=("3", None), vias=(UA_C,), proxy=(CH,)),
    ]
    s["stale-refresh"] = [
        record(method="REGISTER"),
        record(status=401, cseq=("1", "REGISTER"), www=(CH,)),
        record(method="REGISTER", cseq=("2", None), vias=(UA_B,), authz=(CR,)),
        record(status=401, cseq=("2", "REGISTER"), vias=(UA_B,), www=(STALE,)),
        record(method="REGISTER", cseq=("3", None), vias=(UA_C,), authz=(CR2,)),
        record(status=200, cseq=("3", "REGISTER"), vias=(UA_C,)),
    ]
    s["retransmissions"] = [
        record(method="INVITE"),
        record(dt=0.5, method="INVITE"),
        record(status=407, proxy=(CH,)),
        record(dt=0.5, status=407, proxy=(CH,)),
        record(method="ACK", cseq=("1", "ACK")),
        record(method="INVITE", cseq=("2", None), vias=(UA_B,), proxy_authz=(CR,)),
        record(dt=0.5, method="INVITE", cseq=("2", None), vias=(UA_B,), proxy_authz=(CR,)),
        record(status=403, cseq=("2", None), vias=(UA_B,)),
    ]
    s["new-call-id"] = [
        record(method="MESSAGE", from_=(FROM_URIS[0], "t1")),
        record(status=407, cseq=("1", "MESSAGE"), proxy=(CH,)),
        record(method="MESSAGE", call="c2@ua", cseq=("1", None), vias=(UA_B,), from_=(FROM_URIS[0], "t2"),
               proxy_authz=(CR,)),
        record(status=202, call="c2@ua", cseq=("1", "MESSAGE"), vias=(UA_B,)),
    ]
    s["ims-aka"] = [
        record(method="REGISTER", vias=(("pcscf.ims", "z9hG4bKa", 0), UA), authz=(EMPTY,)),
        record(status=401, cseq=("1", "REGISTER"), vias=(("pcscf.ims", "z9hG4bKa", 0), UA), www=(CH,)),
        record(method="REGISTER", cseq=("2", None), vias=(("pcscf.ims", "z9hG4bKb", 1), UA_B), authz=(AUTS,)),
        record(status=401, cseq=("2", "REGISTER"), vias=(("pcscf.ims", "z9hG4bKb", 1), UA_B), www=(CH2,)),
        record(method="REGISTER", cseq=("3", None), vias=(("pcscf.ims", "z9hG4bKc", 1), UA_C), authz=(CR2,)),
        record(status=200, cseq=("3", "REGISTER"), vias=(("pcscf.ims", "z9hG4bKc", 1), UA_C)),
    ]
    s["reordered-and-backwards"] = [
        record(status=407, proxy=(CH,)),
        record(dt=-1, method="INVITE"),
        record(method="INVITE", cseq=("2", None), vias=(UA_B,), proxy_authz=(CR,)),
        record(dt=-2, status=200, cseq=("2", None), vias=(UA_B,)),
    ]
    s["rfc2543-no-branch"] = [
        record(method="REGISTER", from_=(FROM_URIS[2], "t1"), vias=(("10.0.0.2", None, 0),)),
        record(status=401, cseq=("1", "REGISTER"), from_=(FROM_URIS[2], "t1"), vias=(("10.0.0.2", None, 0),),
               www=(CH,)),
        record(dt=60, method="REGISTER", cseq=("2", None), from_=(FROM_URIS[2], "t1"),
               vias=(("10.0.0.2", None, 0),), authz=(CR,)),
    ]
    s["cseq-extremes"] = [
        record(method="INVITE", cseq=("4294967295", None)),
        record(status=407, cseq=("4294967295", None), proxy=(CH,)),
        record(method="INVITE", cseq=("0", None), vias=(UA_B,), authz=(CR,)),
        record(status=486, cseq=("0", None), vias=(UA_B,)),
    ]
    s["missing-challenge-header"] = [
        record(method="SUBSCRIBE"),
        record(status=407, cseq=("1", "SUBSCRIBE")),
        record(method="SUBSCRIBE", cseq=("2", None), vias=(UA_B,), proxy_authz=(CR,)),
    ]
    # Regression: the challenged request seen only after the retry (late copy from another capture point).
    s["late-original-request"] = [
        record(status=407, proxy=(CH,)),
        record(method="INVITE", cseq=("2", None), vias=(UA_B,), proxy_authz=(CR,)),
        record(method="INVITE"),
        record(status=200, cseq=("2", None), vias=(UA_B,)),
    ]
    return s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    count = 0
    for name, records in sorted(seeds().items()):
        for suffix, cfg in CONFIGS.items():
            with open(os.path.join(out, name + suffix), "wb") as f:
                f.write(bytes([cfg]) + b"".join(records))
            count += 1
    print("wrote %d seeds to %s" % (count, out))


if __name__ == "__main__":
    main()
