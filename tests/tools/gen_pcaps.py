#!/usr/bin/env python3
"""Writes the synthetic SIP authentication captures of pcaps/ and their per-frame expectations.

Usage: gen_pcaps.py [--pcaps DIR] [--cases DIR]   (defaults: pcaps/ and tests/e2e/cases/ of this repository)

Every scenario builds its frames (Ethernet, IPv4/IPv6, UDP or TCP with a real handshake, ICMP, GTP-U)
and says, with message labels instead of frame numbers, what SIPAUTH must show on each SIP message
after a two-pass analysis. Frame numbers and time_to_retry come from the frames actually written;
the single-pass lines are derived from the two-pass ones by the rules of tests/e2e/cases/README.md.
Output is byte-for-byte reproducible: fixed timestamps, identifiers derived from fixed seeds.
"""
import argparse
import base64
import hashlib
import hmac
import ipaddress
import os
import re
import struct
import sys

EPOCH = 1700000000          # 2023-11-14 22:13:20 UTC, start of every capture
LINKTYPE_ETHERNET = 1


# ---------------------------------------------------------------------------------------------
# Identifiers and digest arithmetic

def token(*seed, length=10):
    """A deterministic hex token standing for a random value (branch, tag, nonce, ...)."""
    return hashlib.sha256("/".join(str(s) for s in seed).encode()).hexdigest()[:length]


def branch(*seed):
    return "z9hG4bK" + token("branch", *seed, length=12)


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def digest_response(username, realm, password, method, uri, nonce, cnonce, nc="00000001"):
    """RFC 2617 qop=auth response, so that the credentials are real ones."""
    ha1 = md5("%s:%s:%s" % (username, realm, password))
    ha2 = md5("%s:%s" % (method, uri))
    return md5("%s:%s:%s:%s:auth:%s" % (ha1, nonce, nc, cnonce, ha2))


def challenge_header(realm, nonce, stale=False, algorithm="MD5", extra=""):
    value = 'Digest realm="%s", nonce="%s", opaque="%s", algorithm=%s, qop="auth"' % (
        realm, nonce, opaque_of(realm), algorithm)
    if stale:
        value += ", stale=true"
    return value + extra


def opaque_of(realm):
    """The opaque challenge_header() puts in a challenge of realm."""
    return token("opaque", realm, length=16)


def credentials_header(username, realm, nonce, uri, method, password="secret", cnonce_seed="c", nc="00000001",
                       algorithm="MD5", response=None, extra="", opaque=None):
    """Credentials answering challenge_header(realm, nonce): qop=auth, and the challenge's opaque echoed
    (RFC 7616 section 3.4: unchanged); opaque names the realm of the challenge when it is not realm."""
    cnonce = token("cnonce", cnonce_seed, nonce, length=16)
    if response is None:
        response = digest_response(username, realm, password, method, uri, nonce, cnonce, nc)
    return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", algorithm=%s, '
            'cnonce="%s", qop=auth, nc=%s, opaque="%s"%s' % (username, realm, nonce, uri, response, algorithm, cnonce,
                                                           nc, opaque_of(opaque or realm), extra))


# ---------------------------------------------------------------------------------------------
# Credentials (SPEC section 10), written from the RFCs and 3GPP TS 35.206/35.208, independently of core/verify.c
# and core/credcheck.c: RFC 7616's Digest arithmetic with RFC 8760's algorithms, userhash and auth-int, AKA's
# passwords (RFC 3310, RFC 4169), MILENAGE over a plain AES-128, a tolerant reader of header values, the checks
# that need no secret and the verification with a credentials table. write_case() holds every retry's stated
# expectation to them.

ALG_HASH = {"md5": "md5", "md5-sess": "md5", "sha-256": "sha256", "sha-256-sess": "sha256",
            "sha-512-256": "sha512_256", "sha-512-256-sess": "sha512_256", "akav1-md5": "md5", "akav2-md5": "md5"}
ALG_STRENGTH = {"md5": 1, "md5-sess": 1, "sha-256": 2, "sha-256-sess": 2, "sha-512-256": 3, "sha-512-256-sess": 3}
AKAV2_LABEL = b"http-digest-akav2-password"
CRED_FINDINGS = ("uri_mismatch", "algorithm_not_offered", "algorithm_downgrade", "qop_mismatch", "nc_not_incremented",
                 "opaque_mismatch", "response_malformed", "username_changed")
CREDENTIAL_VALUES = ("correct", "wrong", "not_checked", "cannot_check")
# Why credentials cannot be checked: the keys of run_e2e.py, the enum names of include/sipauth/verify.h's
# SA_CHECK_REASONS in lower case (the tree shows their text).
CHECK_REASONS = ("scheme", "algorithm", "qop", "body_cut", "malformed_response", "missing_parameter", "resync",
                 "aka_nonce", "secret", "user")


def hash_hex(algorithm, data):
    """H(data) in lower-case hex for a Digest algorithm's hash (RFC 7616 section 3.2)."""
    return hashlib.new(ALG_HASH[algorithm.lower()], data if isinstance(data, bytes) else data.encode()).hexdigest()


def digest_response_of(algorithm, username, realm, method, uri, nonce, password=None, ha1=None, qop=None, nc=None,
                       cnonce=None, body=b""):
    """RFC 7616 section 3.4.1 (and RFC 2069's form without qop): the response the UA computes. username is the plain
    one (userhash changes only what is sent); password is bytes (AKA's RES) or text; ha1 replaces it."""
    h = lambda data: hash_hex(algorithm, data)
    if ha1 is None:
        secret = password if isinstance(password, bytes) else password.encode()
        ha1 = h(("%s:%s:" % (username, realm)).encode() + secret)
    if algorithm.lower().endswith("-sess"):
        ha1 = h("%s:%s:%s" % (ha1, nonce, cnonce))
    a2 = "%s:%s" % (method, uri)
    if qop == "auth-int":
        a2 += ":" + h(body if isinstance(body, bytes) else body.encode())
    if qop:
        return h("%s:%s:%s:%s:%s:%s" % (ha1, nonce, nc, cnonce, qop, h(a2)))
    return h("%s:%s:%s" % (ha1, nonce, h(a2)))


# RFC 2617 section 3.5 and RFC 7616 section 3.9.1: the examples the arithmetic must give.
assert digest_response_of("MD5", "Mufasa", "testrealm@host.com", "GET", "/dir/index.html",
                          "dcd98b7102dd2f0e8b11d0f600bfb0c093", "Circle Of Life", qop="auth", nc="00000001",
                          cnonce="0a4f113b") == "6629fae49393a05397450978507c4ef1"
for _alg, _want in (("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
                    ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")):
    assert digest_response_of(_alg, "Mufasa", "http-auth@example.org", "GET", "/dir/index.html",
                              "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "Circle of Life", qop="auth",
                              nc="00000001", cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ") == _want


# -- MILENAGE (3GPP TS 35.206) over AES-128 (FIPS 197), enough for a test generator

def _xtime(a):
    a <<= 1
    return (a ^ 0x11B) & 0xFF if a & 0x100 else a


def _gf_mul(a, b):
    p = 0
    while b:
        if b & 1:
            p ^= a
        a, b = _xtime(a), b >> 1
    return p


def _aes_sbox():
    inverse = [0] + [next(y for y in range(1, 256) if _gf_mul(x, y) == 1) for x in range(1, 256)]
    box = []
    for x in range(256):
        b = s = inverse[x]
        for _ in range(4):
            b = ((b << 1) | (b >> 7)) & 0xFF
            s ^= b
        box.append(s ^ 0x63)
    return box


AES_SBOX = _aes_sbox()


def aes128_encrypt(key, block):
    words = [list(key[i:i + 4]) for i in range(0, 16, 4)]
    rcon = 1
    for i in range(4, 44):
        t = list(words[i - 1])
        if i % 4 == 0:
            t = [AES_SBOX[b] for b in t[1:] + t[:1]]
            t[0] ^= rcon
            rcon = _xtime(rcon)
        words.append([a ^ b for a, b in zip(words[i - 4], t)])
    state = [b ^ k for b, k in zip(block, sum(words[0:4], []))]
    for rnd in range(1, 11):
        state = [AES_SBOX[b] for b in state]
        state = [state[(i + 4 * (i % 4)) % 16] for i in range(16)]           # ShiftRows, column-major state
        if rnd < 10:
            mixed = []
            for c in range(4):
                col = state[4 * c:4 * c + 4]
                x = col[0] ^ col[1] ^ col[2] ^ col[3]
                mixed += [col[i] ^ x ^ _xtime(col[i] ^ col[(i + 1) % 4]) for i in range(4)]
            state = mixed
        state = [b ^ k for b, k in zip(state, sum(words[4 * rnd:4 * rnd + 4], []))]
    return bytes(state)


def _xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def _rot(block, bits):
    return block[bits // 8:] + block[:bits // 8]


def milenage_opc(k, op):
    return _xor(aes128_encrypt(k, op), op)


def milenage(k, opc, rand, sqn, amf):
    """{mac_a, mac_s, res, ck, ik, ak, ak_star}: f1, f1*, f2, f3, f4, f5, f5* (TS 35.206 section 4.1)."""
    temp = aes128_encrypt(k, _xor(rand, opc))
    out1 = _xor(aes128_encrypt(k, _xor(temp, _rot(_xor(sqn + amf + sqn + amf, opc), 64))), opc)

    def out(r, c):
        t = _rot(_xor(temp, opc), r)
        return _xor(aes128_encrypt(k, t[:15] + bytes([t[15] ^ c])), opc)
    out2, out3, out4, out5 = out(0, 1), out(32, 2), out(64, 4), out(96, 8)
    return dict(mac_a=out1[:8], mac_s=out1[8:], res=out2[8:], ck=out3, ik=out4, ak=out2[:6], ak_star=out5[:6])


# 3GPP TS 35.208 test set 1: the keys of the IMS scenarios' USIMs, and the values MILENAGE must give with them.
TS1 = dict(k="465b5ce8b199b49faa5f0a2ee238a6bc", rand="23553cbe9637a89d218ae64dae47bf35", sqn="ff9bb4d0b607",
           amf="b9b9", op="cdc202d5123e20f62b6d676ac72cb318", opc="cd63cb71954a9f4e48a5994e37a02baf",
           mac_a="4a9ffac354dfafb3", res="a54211d5e3ba50bf", ck="b40ba9a3c58b2a05bbf0d987b21bf8cb",
           ik="f769bcd751044604127672711c6d3441", ak="aa689c648370")
_ts1 = {n: bytes.fromhex(v) for n, v in TS1.items()}
assert milenage_opc(_ts1["k"], _ts1["op"]) == _ts1["opc"]
_ts1_out = milenage(_ts1["k"], _ts1["opc"], _ts1["rand"], _ts1["sqn"], _ts1["amf"])
assert all(_ts1_out[n] == _ts1[n] for n in ("mac_a", "res", "ck", "ik", "ak")), "MILENAGE against TS 35.208 test set 1"


def aka_challenge(k, opc, rand, sqn, amf, flip_mac_bit=False):
    """What the HSS mints for RAND and SQN: the vectors, AUTN = (SQN xor AK) || AMF || MAC-A, and the nonce
    base64(RAND || AUTN) (RFC 3310 section 3.2); flip_mac_bit spoils AUTN's MAC (a network with other keys)."""
    v = milenage(k, opc, rand, sqn, amf)
    mac = bytearray(v["mac_a"])
    if flip_mac_bit:
        mac[7] ^= 0x01
    v["autn"] = _xor(sqn, v["ak"]) + amf + bytes(mac)
    v["nonce"] = base64.b64encode(rand + v["autn"]).decode()
    return v


assert aka_challenge(_ts1["k"], _ts1["opc"], _ts1["rand"], _ts1["sqn"], _ts1["amf"])["autn"] == \
    _xor(_ts1["sqn"], _ts1["ak"]) + _ts1["amf"] + _ts1["mac_a"]


def aka_auts(k, opc, rand, sqn_ms):
    """The UE's resynchronisation token (TS 33.102 section 6.3.3): (SQN_MS xor AK*) || MAC-S, AMF zero."""
    v = milenage(k, opc, rand, sqn_ms, b"\x00\x00")
    return base64.b64encode(_xor(sqn_ms, v["ak_star"]) + v["mac_s"]).decode()


def aka_password(algorithm, res, ck, ik):
    """The Digest password of AKA: RES itself for AKAv1 (RFC 3310 section 3.4); for AKAv2 (RFC 4169 section 3)
    base64(PRF(RES || IK || CK, "http-digest-akav2-password")), PRF being HMAC with the algorithm's hash (MD5)."""
    if algorithm.lower() == "akav1-md5":
        return res
    return base64.b64encode(hmac.new(res + ik + ck, AKAV2_LABEL, hashlib.md5).digest())


# -- Reading header values

class AuthValue:
    """A WWW-/Proxy-Authenticate or (Proxy-)Authorization value: scheme and parameters (unquoted, the first of
    duplicates kept), which were duplicated with another value, whether a quoted string ran to the end."""

    def __init__(self, text):
        self.text = text
        self.params, self.duplicated, self.conflicting, self.unterminated = {}, set(), set(), False
        m = re.match(r"\s*([^\s,=\"]+)(?=\s|$)", text)
        self.scheme = m.group(1) if m else ""
        if self.digest:
            self._read(text, m.end())

    @property
    def digest(self):
        return self.scheme.lower() == "digest"

    @property
    def algorithm(self):
        return self.params.get("algorithm", "MD5")

    def _read(self, text, i):
        n = len(text)
        while i < n:
            while i < n and text[i] in " \t\r\n,":
                i += 1
            j = i
            while j < n and text[j] not in " \t\r\n,=\"":
                j += 1
            name, k = text[i:j].lower(), j
            while k < n and text[k] in " \t":
                k += 1
            if not name or k >= n or text[k] != "=":
                i = max(j, i + 1)           # no parameter here: skipped
                continue
            k += 1
            while k < n and text[k] in " \t":
                k += 1
            if k < n and text[k] == '"':
                e, chars = k + 1, []
                while e < n and text[e] != '"':
                    if text[e] == "\\" and e + 1 < n:
                        e += 1
                    chars.append(text[e])
                    e += 1
                self.unterminated |= e >= n
                value, i = "".join(chars), e + 1
            else:
                e = k
                while e < n and text[e] not in " \t\r\n,":
                    e += 1
                value, i = text[k:e], e
            if name in self.params:
                self.duplicated.add(name)
                if self.params[name] != value:
                    self.conflicting.add(name)
            else:
                self.params[name] = value


def qop_set(value):
    return {t.strip().lower() for t in value.split(",") if t.strip()} if value else set()


def nc_value(cred):
    """The nonce count as a number, or None when nc is not 1 to 8 hex digits (RFC 7616: 8LHEX)."""
    nc = cred.params.get("nc")
    return int(nc, 16) if nc and re.fullmatch(r"[0-9A-Fa-f]{1,8}", nc) else None


def sip_uri_equal(a, b):
    """RFC 3261 section 19.1.4, as far as the scenarios need: scheme and host case-insensitive, user part
    case-sensitive after %HH decoding, ports as written, user/ttl/method/maddr/transport in both or neither, other
    parameters in both equal, headers all equal. Other text only byte for byte."""
    def parts(text):
        m = re.fullmatch(r"(?i)(sips?):(?:([^@;?]*)@)?(\[[^\]]*\]|[^:;?]*)(?::(\d+))?((?:;[^?]*)?)(?:\?(.*))?", text)
        if not m:
            return None
        unescape = lambda t: re.sub(r"%([0-9A-Fa-f]{2})", lambda e: chr(int(e.group(1), 16)), t)
        params = {}
        for p in (m.group(5) or "").split(";")[1:]:
            name, _, value = p.partition("=")
            params[unescape(name).lower()] = unescape(value).lower()
        headers = sorted((unescape(h.partition("=")[0]).lower(), unescape(h.partition("=")[2]))
                         for h in (m.group(6) or "").split("&") if h)
        return (m.group(1).lower(), unescape(m.group(2) or ""), unescape(m.group(3)).lower(), m.group(4)), params, headers
    pa, pb = parts(a), parts(b)
    if pa is None or pb is None:
        return a == b
    if pa[0] != pb[0] or pa[2] != pb[2]:
        return False
    special = ("user", "ttl", "method", "maddr", "transport")
    if any((p in pa[1]) != (p in pb[1]) for p in special):
        return False
    return all(pa[1][p] == pb[1][p] for p in set(pa[1]) & set(pb[1]))


# -- The checks of a retry

def auth_kinds(code):
    """(challenge header, credentials header, the other credentials header) after a 401 or a 407."""
    if code == 407:
        return "Proxy-Authenticate", "Proxy-Authorization", "Authorization"
    return "WWW-Authenticate", "Authorization", "Proxy-Authorization"


def answering_credentials(message, code, realms):
    """The credentials that answer the challenge (SPEC section 10): the header of the right kind whose realm is a
    challenged realm; if none, the first credentials."""
    _, right, other = auth_kinds(code)
    values = [AuthValue(v) for v in message.get(right)]
    for value in values:
        if value.digest and value.params.get("realm") in realms:
            return value
    values += [AuthValue(v) for v in message.get(other)]
    return values[0] if values else None


def status_of(message):
    return int(message.start.split()[1])


def credential_checks(retry, challenge, request):
    """(the answering credentials, the set of secret-free findings) of a retry, from the challenge it answers and the
    request that challenge challenged (None when not captured)."""
    code = status_of(challenge)
    ask, right, other = auth_kinds(code)
    offers = [c for c in (AuthValue(v) for v in challenge.get(ask)) if c.digest]
    realms = [c.params.get("realm") for c in offers]
    cred = answering_credentials(retry, code, realms)
    if cred is None or not cred.digest:
        return cred, set()                   # another scheme (Bearer): never judged
    found = set()
    if "uri" not in cred.params or not sip_uri_equal(cred.params["uri"], retry.start.split()[1]):
        found.add("uri_mismatch")
    mine = [c for c in offers if c.params.get("realm") == cred.params.get("realm")]
    if mine:
        offered, used = [c.algorithm.lower() for c in mine], cred.algorithm.lower()
        if used not in offered:
            found.add("algorithm_not_offered")
        if (len(set(offered)) > 1 and used in ALG_STRENGTH
                and any(ALG_STRENGTH.get(o, 0) > ALG_STRENGTH[used] for o in offered)):
            found.add("algorithm_downgrade")
        answered = next((c for c in mine if c.params.get("nonce") == cred.params.get("nonce")), mine[0])
        offered_qop, used_qop = qop_set(answered.params.get("qop")), qop_set(cred.params.get("qop"))
        if ((offered_qop and not used_qop) or (used_qop and not used_qop <= offered_qop)
                or (used_qop and ("cnonce" not in cred.params or nc_value(cred) is None))):
            found.add("qop_mismatch")
        if "opaque" in answered.params and cred.params.get("opaque") != answered.params["opaque"]:
            found.add("opaque_mismatch")
    response, hashed = cred.params.get("response"), ALG_HASH.get(cred.algorithm.lower())
    if response is None or (hashed and not re.fullmatch(r"[0-9A-Fa-f]{%d}" % (32 if hashed == "md5" else 64),
                                                        response)):
        found.add("response_malformed")
    if request is not None:
        before = [c for c in (AuthValue(v) for v in request.get(right) + request.get(other)) if c.digest]
        for earlier in before:
            if earlier.params.get("nonce") and earlier.params.get("nonce") == cred.params.get("nonce"):
                if (nc_value(cred) or 0) <= (nc_value(earlier) or 0):
                    found.add("nc_not_incremented")
        if before and before[0].params.get("username") != cred.params.get("username"):
            found.add("username_changed")
    return cred, found


def table_entry(table, cred):
    """The table's row for the credentials: user (for userhash=true, the one whose H(user:realm) was sent) and
    realm (empty: any)."""
    realm, sent = cred.params.get("realm", ""), cred.params.get("username")
    for row in table:
        if row["realm"] not in ("", realm):
            continue
        if cred.params.get("userhash", "").lower() == "true":
            if cred.algorithm.lower() in ALG_HASH and sent and hash_hex(cred.algorithm, "%s:%s" % (
                    row["username"], realm)) == sent.lower():
                return row
        elif row["username"] == sent:
            return row
    return None


def verify_credentials(cred, method, body, body_cut, table):
    """(credentials value, reason or None, AUTN verdict: None unchecked, True valid, False invalid) of a retry's
    answering credentials against the credentials table."""
    if cred is None or not cred.digest:
        return "cannot_check", "scheme", None
    algorithm = cred.algorithm.lower()
    if algorithm not in ALG_HASH:
        return "cannot_check", "algorithm", None
    row = table_entry(table, cred)
    if row is None:
        return "not_checked", None, None
    autn_ok = None
    password, ha1 = row["password"], row["ha1"] or None
    if algorithm.startswith("aka"):
        if not row["k"]:
            return "cannot_check", "secret", None
        k = bytes.fromhex(row["k"])
        opc = bytes.fromhex(row["opc"]) if row["opc"] else milenage_opc(k, bytes.fromhex(row["op"]))
        raw = base64.b64decode(cred.params["nonce"])
        rand, autn = raw[:16], raw[16:32]
        ak = milenage(k, opc, rand, b"\0" * 6, b"\0\0")["ak"]
        v = milenage(k, opc, rand, _xor(autn[:6], ak), autn[6:8])
        autn_ok = v["mac_a"] == autn[8:16]
        password, ha1 = aka_password(algorithm, v["res"], v["ck"], v["ik"]), None
    elif row["k"]:
        return "cannot_check", "secret", None
    if "auts" in cred.params:
        return "cannot_check", "resync", autn_ok
    qop = cred.params.get("qop")
    if qop is not None and qop.lower() not in ("auth", "auth-int"):
        return "cannot_check", "qop", autn_ok
    if (any(p not in cred.params for p in ("realm", "nonce", "uri"))
            or (qop and ("cnonce" not in cred.params or nc_value(cred) is None))):
        return "cannot_check", "missing_parameter", autn_ok
    response, hashed = cred.params.get("response"), ALG_HASH[algorithm]
    if ("response" in cred.conflicting or response is None
            or not re.fullmatch(r"[0-9A-Fa-f]{%d}" % (32 if hashed == "md5" else 64), response)):
        return "cannot_check", "malformed_response", autn_ok
    if qop == "auth-int" and body_cut:
        return "cannot_check", "body_cut", autn_ok
    expected = digest_response_of(cred.algorithm, row["username"], cred.params["realm"], method, cred.params["uri"],
                                  cred.params["nonce"], password=password, ha1=ha1, qop=qop, nc=cred.params.get("nc"),
                                  cnonce=cred.params.get("cnonce"), body=body)
    return ("correct" if expected == response.lower() else "wrong"), None, autn_ok


def credentials_row(username, realm="", password="", ha1="", k="", op="", opc="", amf=""):
    """One row of the sipauth_credentials table, its eight fields in the UAT's order."""
    return dict(username=username, realm=realm, password=password, ha1=ha1, k=k, op=op, opc=opc, amf=amf)


UAT_FIELDS = ("username", "realm", "password", "ha1", "k", "op", "opc", "amf")


def table_args(table):
    """The tshark arguments that give the table (the args: line of a case; run_e2e.py splits it like a shell)."""
    out = []
    for row in table:
        for name in UAT_FIELDS:
            assert re.fullmatch(r"[A-Za-z0-9@.:_+/=-]*", row[name]), (name, row[name])
        out.append("-o 'uat:sipauth_credentials:%s'" % ",".join('"%s"' % row[name] for name in UAT_FIELDS))
    return " ".join(out)


# ---------------------------------------------------------------------------------------------
# SIP messages

class Sip:
    """One SIP message: start line, ordered headers, body. Content-Length is always computed."""

    def __init__(self, start, headers, body=""):
        self.start = start
        self.headers = list(headers)
        self.body = body

    def get(self, name):
        return [v for n, v in self.headers if n.lower() == name.lower()]

    def encode(self):
        lines = [self.start] + ["%s: %s" % (n, v) for n, v in self.headers if n != "Content-Length"]
        lines.append("Content-Length: %d" % len(self.body.encode()))
        return ("\r\n".join(lines) + "\r\n\r\n" + self.body).encode()


def sdp(ip, port, session):
    family = "IP6" if ":" in ip else "IP4"
    return ("v=0\r\no=- %d %d IN %s %s\r\ns=-\r\nc=IN %s %s\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n"
            % (session, session, family, ip, family, ip, port))


def hostport(ip, port):
    return "[%s]:%d" % (ip, port) if ":" in ip else "%s:%d" % (ip, port)


class UA:
    """A user agent (or a proxy hop) that writes requests; sent-by is what goes into its Via."""

    def __init__(self, user, domain, ip, port=5060, transport="UDP", display=None, agent="Linphone/5.2.0"):
        self.user, self.domain, self.ip, self.port = user, domain, ip, port
        self.transport, self.display, self.agent = transport, display, agent

    @property
    def aor(self):
        return "sip:%s@%s" % (self.user, self.domain)

    def via(self, br, port=None, transport=None):
        return "SIP/2.0/%s %s;branch=%s;rport" % (transport or self.transport,
                                                   hostport(self.ip, port or self.port), br)

    def request(self, method, ruri, call_id, cseq, br, from_tag, to_uri=None, to_tag=None, auth=(),
                extra=(), body="", body_type="application/sdp", via_port=None, transport=None, more_vias=()):
        name = '"%s" ' % self.display if self.display else ""
        to = "<%s>" % (to_uri or ruri) + (";tag=%s" % to_tag if to_tag else "")
        headers = [("Via", self.via(br, via_port, transport))] + [("Via", v) for v in more_vias]
        headers += [("Max-Forwards", "70"),
                    ("From", "%s<%s>;tag=%s" % (name, self.aor, from_tag)),
                    ("To", to),
                    ("Call-ID", call_id),
                    ("CSeq", "%d %s" % (cseq, method))]
        if method not in ("ACK", "BYE", "CANCEL", "MESSAGE"):
            headers.append(("Contact", "<sip:%s@%s;transport=%s>" % (
                self.user, hostport(self.ip, via_port or self.port), (transport or self.transport).lower())))
        headers += list(auth)
        headers += list(extra)
        if method in ("INVITE", "REGISTER", "OPTIONS", "MESSAGE"):
            headers.append(("Allow", "INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE"))
            headers.append(("User-Agent", self.agent))
        if body:
            headers.append(("Content-Type", body_type))
        return Sip("%s %s SIP/2.0" % (method, ruri), headers, body)


def forward(request, proxy_via, max_forwards=69, extra=()):
    """The request as a proxy sends it on: its own Via on top, Max-Forwards decremented."""
    headers = [("Via", proxy_via)]
    for n, v in request.headers:
        if n == "Max-Forwards":
            v = str(max_forwards)
        headers.append((n, v))
    headers += list(extra)
    return Sip(request.start, headers, request.body)


def response(request, code, reason, to_tag=None, extra=(), body="", server="kamailio (5.6.3 (x86_64/linux))",
             drop_vias=0):
    """A response to request: Vias, From, To, Call-ID and CSeq copied, a To tag added unless 100."""
    headers = []
    vias = [v for n, v in request.headers if n == "Via"][drop_vias:]
    headers += [("Via", v) for v in vias]
    for n, v in request.headers:
        if n in ("From", "Call-ID", "CSeq"):
            headers.append((n, v))
        elif n == "To":
            if to_tag and ";tag=" not in v:
                v += ";tag=" + to_tag
            headers.append((n, v))
    order = {"Via": 0, "From": 1, "To": 2, "Call-ID": 3, "CSeq": 4}
    headers.sort(key=lambda h: order[h[0]])
    headers += list(extra)
    if server:
        headers.append(("Server", server))
    if body:
        headers.append(("Content-Type", "application/sdp"))
    return Sip("SIP/2.0 %d %s" % (code, reason), headers, body)


def ack_for(invite, final):
    """ACK for a non-2xx final response: same branch and CSeq number, To tag of the response."""
    to = final.get("To")[0]
    headers = [("Via", invite.get("Via")[0])]
    for n, v in invite.headers:
        if n == "Max-Forwards":
            headers.append((n, v))
        elif n == "From" or n == "Call-ID":
            headers.append((n, v))
        elif n == "To":
            headers.append((n, to))
    number = invite.get("CSeq")[0].split()[0]
    headers.append(("CSeq", "%s ACK" % number))
    order = {"Via": 0, "Max-Forwards": 1, "From": 2, "To": 3, "Call-ID": 4, "CSeq": 5}
    headers.sort(key=lambda h: order[h[0]])
    return Sip("ACK %s SIP/2.0" % invite.start.split()[1], headers)


# ---------------------------------------------------------------------------------------------
# Packets

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return (~total) & 0xFFFF


def mac(ip):
    return b"\x02\x00" + hashlib.sha256(ip.encode()).digest()[:4]


class Capture:
    """Frames of one pcap, plus where each labelled SIP message went."""

    def __init__(self, name, description):
        self.name, self.description = name, description
        self.frames = []            # (microseconds since EPOCH, bytes)
        self.sip_count = []         # SIP messages per frame, as the SIP dissector will see them
        self.marks = {}             # label -> (frame number, index in frame, microseconds)
        self.messages = {}          # label -> the Sip message, to tell which ones hit an analysis bound
        self.expectations = []      # (label, fields)
        self.verdicts = {}          # flow -> the verdict the scenario states (checked against the derived one)
        self.comments = []
        self.ip_id = {}
        self.table = []             # rows of the credentials table the case gives tshark (args: line), or none
        self.snaplen = 65535        # frames longer than this are cut in the file (incl_len < orig_len)
        self.cut_labels = set()     # the labelled messages the scenario means to be cut by the snaplen

    # -- link and network layers

    def _next_id(self, src):
        self.ip_id[src] = (self.ip_id.get(src, 0x1200 + int(token("ipid", src, length=3), 16)) + 1) & 0xFFFF
        return self.ip_id[src]

    def ip_packet(self, src, dst, proto, payload, ttl=64):
        if ":" in src:
            return struct.pack("!IHBB16s16s", 0x60000000, len(payload), proto, ttl,
                               ipaddress.IPv6Address(src).packed, ipaddress.IPv6Address(dst).packed) + payload
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), self._next_id(src), 0x4000, ttl, proto, 0,
                             ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed)
        header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
        return header + payload

    @staticmethod
    def pseudo_header(src, dst, proto, length):
        if ":" in src:
            return (ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed
                    + struct.pack("!IxxxB", length, proto))
        return ipaddress.IPv4Address(src).packed + ipaddress.IPv4Address(dst).packed + struct.pack("!xBH", proto, length)

    def udp_packet(self, src, dst, payload):
        (sip, sport), (dip, dport) = src, dst
        segment = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        value = checksum(self.pseudo_header(sip, dip, 17, len(segment)) + segment) or 0xFFFF
        segment = segment[:6] + struct.pack("!H", value) + segment[8:]
        return self.ip_packet(sip, dip, 17, segment)

    def ethernet(self, src_ip, dst_ip, packet, vlan=None):
        ethertype = 0x86DD if ":" in src_ip else 0x0800
        frame = mac(dst_ip) + mac(src_ip)
        if vlan is not None:
            frame += struct.pack("!HH", 0x8100, vlan)
        return frame + struct.pack("!H", ethertype) + packet

    def add_frame(self, t, data, messages=(), labels=()):
        usec = int(round(t * 1e6))
        assert not self.frames or usec >= self.frames[-1][0], "frames must be in time order"
        self.frames.append((usec, data))
        self.sip_count.append(len(messages))
        number = len(self.frames)
        for index, label in enumerate(labels, 1):
            if label:
                assert label not in self.marks, label
                self.marks[label] = (number, index, usec)
                self.messages[label] = messages[index - 1]
        return number

    # -- what scenarios call

    def udp(self, t, src, dst, message, label=None):
        payload = message.encode()
        return self.add_frame(t, self.ethernet(src[0], dst[0], self.udp_packet(src, dst, payload)), [message], [label])

    def duplicate_in_gtp(self, t, src, dst, message, label=None, teid=0x1a2b3c4d):
        """The same IP packet again, tunnelled in GTP-U between an eNodeB and an SGW (a second capture point)."""
        inner = self.udp_packet(src, dst, message.encode())
        gtp = struct.pack("!BBHI", 0x30, 0xFF, len(inner), teid) + inner
        outer = self.udp_packet(("172.16.0.1", 2152), ("172.16.0.2", 2152), gtp)
        return self.add_frame(t, self.ethernet("172.16.0.1", "172.16.0.2", outer), [message], [label])

    def icmp_port_unreachable(self, t, router, quoted_src, quoted_dst, message):
        """ICMP destination unreachable from router, quoting the whole IPv4/UDP packet that carried message."""
        quoted = self.udp_packet(quoted_src, quoted_dst, message.encode())
        body = struct.pack("!BBHI", 3, 3, 0, 0) + quoted
        body = body[:2] + struct.pack("!H", checksum(body)) + body[4:]
        packet = self.ip_packet(router, quoted_src[0], 1, body)
        return self.add_frame(t, self.ethernet(router, quoted_src[0], packet), [], [])

    def tcp(self, t, client, server, window_scale=None):
        return TcpConnection(self, t, client, server, window_scale)

    # -- expectations

    def expect(self, label, **fields):
        self.expectations.append((label, fields))

    def verdict(self, flow, name):
        """States a flow's verdict (SPEC section 9); write_case checks that the rule gives the same."""
        self.verdicts[flow] = name

    def dns(self, t, src, dst, query_id, name, response=False, answered=True):
        """A DNS query, SRV or PTR by its name (or its response: no answer records), over UDP port 53."""
        flags = (0x8180 if answered else 0x8183) if response else 0x0100
        qname = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\x00"
        payload = struct.pack("!HHHHHH", query_id, flags, 1, 0, 0, 0) + qname + struct.pack("!HH", 12 if name.endswith(".arpa") else 33, 1)
        return self.add_frame(t, self.ethernet(src[0], dst[0], self.udp_packet(src, dst, payload)))

    def frame_of(self, label):
        return self.marks[label][0]

    def time_of(self, label):
        return self.marks[label][2]

    def key(self, number, tree):
        """The case key of the tree-th SIPAUTH tree of frame number (README: F, or F/N in frames of several messages)."""
        return str(number) if self.sip_count[number - 1] == 1 else "%d/%d" % (number, tree)


class TcpConnection:
    """A TCP connection opened with a real 3-way handshake; send() keeps seq/ack numbers right."""

    MSS = b"\x02\x04\x05\xb4"
    MAX_PAYLOAD = 65535 - 20 - 20       # an IPv4 packet's total length holds the IP and TCP headers too

    def __init__(self, capture, t, client, server, window_scale=None):
        self.capture, self.client, self.server = capture, client, server
        self.seq = {client: int(token("isn", client, length=8), 16), server: int(token("isn", server, length=8), 16)}
        # Window scaling (NOP + WS) lets one segment exceed the 64240-byte unscaled window without TCP
        # analysis calling the window full, as on a host with segmentation offload.
        options = self.MSS if window_scale is None else self.MSS + b"\x01\x03\x03" + bytes([window_scale])
        self._segment(t, client, 0x02, b"", ack=0, options=options)
        self.seq[client] += 1
        self._segment(t + 0.000250, server, 0x12, b"", options=options)
        self.seq[server] += 1
        self._segment(t + 0.000500, client, 0x10, b"")

    def send(self, t, from_client, messages, labels=None):
        """One PSH/ACK segment carrying one or more complete SIP messages."""
        labels = labels or [None] * len(messages)
        payload = b"".join(m.encode() for m in messages)
        sender = self.client if from_client else self.server
        return self._segment(t, sender, 0x18, payload, messages=messages, labels=labels)

    def send_stream(self, t, from_client, messages, labels=None, mss=1460, gap=0.000040):
        """The messages back to back, cut into segments of mss bytes sent gap seconds apart: a message cut
        across segments is reassembled by the SIP dissector and belongs to the segment holding its last
        byte. Returns, per message, the frame numbers of its first and last segment."""
        labels = labels or [None] * len(messages)
        stream = b"".join(m.encode() for m in messages)
        ends, end = [], 0
        for m in messages:
            end += len(m.encode())
            ends.append(end)
        sender = self.client if from_client else self.server
        first, last = [None] * len(messages), [None] * len(messages)
        for n, start in enumerate(range(0, len(stream), mss)):
            stop = min(start + mss, len(stream))
            done = [i for i, e in enumerate(ends) if start < e <= stop]
            flags = 0x18 if stop == len(stream) else 0x10      # PSH on the last segment of the write only
            number = self._segment(t + n * gap, sender, flags, stream[start:stop],
                                   messages=[messages[i] for i in done], labels=[labels[i] for i in done])
            for i, e in enumerate(ends):
                begin = e - len(messages[i].encode())
                if first[i] is None and begin < stop:
                    first[i] = number
                if start < e <= stop:
                    last[i] = number
        return list(zip(first, last))

    def _segment(self, t, sender, flags, payload, ack=None, options=b"", messages=(), labels=()):
        receiver = self.server if sender == self.client else self.client
        if ack is None:
            ack = self.seq[receiver] & 0xFFFFFFFF
        (sip, sport), (dip, dport) = sender, receiver
        assert len(payload) <= self.MAX_PAYLOAD, (self.capture.name, len(payload))
        header = struct.pack("!HHIIBBHHH", sport, dport, self.seq[sender] & 0xFFFFFFFF, ack,
                             ((20 + len(options)) // 4) << 4, flags, 64240, 0, 0) + options
        segment = header + payload
        value = checksum(Capture.pseudo_header(sip, dip, 6, len(segment)) + segment)
        segment = segment[:16] + struct.pack("!H", value) + segment[18:]
        packet = self.capture.ip_packet(sip, dip, 6, segment)
        number = self.capture.add_frame(t, self.capture.ethernet(sip, dip, packet), messages, labels)
        self.seq[sender] += len(payload)
        return number


# ---------------------------------------------------------------------------------------------
# Writing

FRAME_FIELDS = ("request_frame", "challenge_frame", "ack_frame", "retry_frame", "result_frame", "dns_frame")
ORDER = ("flow", "role", "attempt", "challenge_code", "request_frame", "challenge_frame", "ack_frame",
         "retry_frame", "result_frame", "result_code", "result_reason", "time_to_retry", "outcome", "heuristic",
         "credentials", "credentials_reason", "algorithm", "qop", "username", "verdict", "first_request_frame", "final_frame", "auth_time", "refusals", "dns_queries", "dns_unanswered",
         "dns_frame", "attack_source", "attack_usernames", "experts")
FINAL_VIEW_EXPERTS = {"missing_retry", "no_ack", "retry_unanswered", "challenge_answered"}

# SPEC section 9: the finding that states each verdict on every challenge of the flow, and the severities
# findings are registered with (include/sipauth/findings.h): above Note, a finding that does not state its
# challenge's verdict shows at Note (":note" in the case files).
STATEMENT = {"accepted": "challenge_answered", "accepted_after_nonce_refresh": "challenge_answered",
             "accepted_after_refusal": "challenge_answered", "refused": "retry_challenged",
             "challenge_loop": "challenge_loop", "no_retry": "missing_retry", "rejected": "retry_failed",
             "retry_unanswered": "retry_unanswered"}
# Single pass, undecided flow: the gravest finding the challenge already shows states what is known.
GRAVEST = ("challenge_loop", "retry_challenged", "missing_challenge_header", "missing_retry", "stale_nonce")
ABOVE_NOTE = {"missing_retry", "retry_challenged", "challenge_loop", "retry_failed", "retry_unanswered",
              "wrong_header", "cseq_not_incremented", "nonce_mismatch", "realm_mismatch",
              "missing_challenge_header", "no_ack", "uri_mismatch", "algorithm_not_offered", "qop_mismatch",
              "nc_not_incremented", "opaque_mismatch", "response_malformed", "wrong_credentials",
              "correct_credentials_refused", "aka_autn_invalid"}
# Findings a single pass cannot show yet on that frame (SPEC section 10): a correct retry's refusal comes later,
# and a challenge learns that its AUTN is invalid from the retry that answers it.
TWO_PASS_ONLY = {"retry": {"correct_credentials_refused"}, "challenge": {"aka_autn_invalid"}}
DECIDED_SO_FAR = {"accepted", "accepted_after_nonce_refresh", "accepted_after_refusal", "rejected"}
SLOW_RETRY_US = 5 * 1000000     # the sipauth.slow_retry default


# The bounds of the analysis (core/tracker.c, include/sipauth/sipmsg.h): a message past one of them is analysed
# with part of it left out, and must say so (expert info sipauth.analysis_truncated).
SA_MAX_STRING = 512         # bytes kept of a Call-ID, tag, branch, URI, realm, nonce or username
SA_MAX_REALMS = 8           # challenges / credentials examined per header kind
SA_MSG_MAX_VIA = 256        # Via lines kept
DIGEST_KEPT = ("realm", "nonce", "username")
AUTH_HEADERS = ("WWW-Authenticate", "Proxy-Authenticate", "Authorization", "Proxy-Authorization")


def digest_params(value):
    """{name: value} of a Digest challenge or credentials header value (quotes removed)."""
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in re.finditer(r'(\w+)\s*=\s*(?:"([^"]*)"|([^",\s]*))', value)}


def hits_analysis_bound(message):
    """Whether the analysis of message hits one of its bounds (so the plugin must flag analysis_truncated)."""
    def too_long(text):
        return text is not None and len(text.encode()) > SA_MAX_STRING
    call_id = message.get("Call-ID")
    if call_id and too_long(call_id[0]):
        return True
    for name in ("From", "To"):
        for value in message.get(name):
            uri = re.search(r"<([^>]*)>", value)
            tag = re.search(r";tag=([^;>\s]*)", value)
            if too_long(uri.group(1) if uri else None) or too_long(tag.group(1) if tag else None):
                return True
    vias = message.get("Via")
    if len(vias) > SA_MSG_MAX_VIA:
        return True
    if vias:
        top = re.search(r";branch=([^;\s]*)", vias[0])
        if too_long(top.group(1) if top else None) or too_long(vias[0].split()[1].split(";")[0]):
            return True
    for name in AUTH_HEADERS:
        values = message.get(name)
        if len(values) > SA_MAX_REALMS:
            return True
        for value in values:
            if any(too_long(v) for k, v in digest_params(value).items() if k in DIGEST_KEPT):
                return True
    return False


def write_pcap(capture, path):
    cut = {capture.marks[label][0] for label in capture.cut_labels}
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, capture.snaplen, LINKTYPE_ETHERNET))
        for number, (usec, data) in enumerate(capture.frames, 1):
            kept = data[:capture.snaplen]
            assert (len(kept) < len(data)) == (number in cut), (capture.name, number, len(data))
            f.write(struct.pack("<IIII", EPOCH + usec // 1000000, usec % 1000000, len(kept), len(data)))
            f.write(kept)


def seconds(delta_us):
    return "%d.%06d000" % (delta_us // 1000000, delta_us % 1000000)


def reason_of(message):
    """The reason phrase of a response, spaces as underscores (the case files' way)."""
    return message.start.split(" ", 2)[2].replace(" ", "_")


def resolve(capture, fields):
    """Labels to frame numbers, ttr=(challenge, retry) to time_to_retry (and slow_retry past 5 s), the
    retry's result label to its reason phrase, roles with spaces to underscores."""
    out = {}
    for name, value in fields.items():
        if name in FRAME_FIELDS and isinstance(value, str):
            out[name] = capture.frame_of(value)
        elif name == "ttr":
            delta = capture.time_of(value[1]) - capture.time_of(value[0])
            out["time_to_retry"] = seconds(delta)
            if delta > SLOW_RETRY_US:
                out.setdefault("dns_queries", 0)
                out["experts_slow"] = True
        elif name == "experts":
            out[name] = sorted(value.split(",")) if value else []
        else:
            out[name] = value
    if fields.get("result_frame") and out["role"] in ("challenge", "retry"):
        out["result_reason"] = reason_of(capture.messages[fields["result_frame"]])
    out.setdefault("experts", [])
    if out.pop("experts_slow", False):
        out["experts"] = sorted(out["experts"] + ["slow_retry"])
    return out


def flow_verdicts(capture, resolved_rows):
    """{flow: its verdict fields}, by SPEC section 9's rule from the flow's challenges as the scenario
    expects them: the last attempt's outcome, read with the refusals and refreshes before it."""
    flows = {}
    resyncs = {frame for frame, fields in resolved_rows
               if fields.get("role") == "retry" and "aka_resync" in fields.get("experts", ())}
    for frame, fields in resolved_rows:
        if fields.get("role") == "challenge":
            flows.setdefault(int(fields["flow"]), []).append((int(fields["attempt"]), frame, fields))
    out = {}
    for flow, challenges in flows.items():
        challenges.sort()
        _, last_frame, last = challenges[-1]
        refusals = [frame for _, frame, c in challenges if "retry_challenged" in c["experts"]]
        # An AKA resynchronisation's next 401 brings the HSS's new vector: a refresh, like stale=true.
        refreshes = [frame for _, frame, c in challenges
                     if "stale_nonce" in c["experts"] or c.get("request_frame") in resyncs]
        looped = any("challenge_loop" in c["experts"] for _, _, c in challenges)
        outcome = last["outcome"]
        if outcome == "accepted":
            verdict = ("accepted_after_refusal" if refusals else
                       "accepted_after_nonce_refresh" if refreshes else "accepted")
        elif looped:
            verdict = "challenge_loop"
        elif outcome == "no_retry":
            verdict = "refused" if "retry_challenged" in last["experts"] else "no_retry"
        else:
            verdict = outcome
        declared = capture.verdicts.get(flow)
        assert declared is None or declared.replace(" ", "_") == verdict, (capture.name, flow, declared, verdict)
        first = challenges[0][2].get("request_frame")
        final = last.get("result_frame") or last_frame
        fields = {"verdict": verdict, "final_frame": final, "refusal_frames": refusals}
        if first:
            fields["first_request_frame"] = first
        if verdict.startswith("accepted") and first:
            fields["auth_time"] = seconds(capture.frames[final - 1][0] - capture.frames[first - 1][0])
        out[flow] = fields
    return out


def capture_verdicts(capture):
    """{flow: verdict name} of a built capture, as its case file states them (for the tables' checks)."""
    rows = [(capture.marks[label][0], resolve(capture, fields)) for label, fields in capture.expectations]
    return {flow: v["verdict"].replace("_", " ") for flow, v in flow_verdicts(capture, rows).items()}


def with_verdict(fields, verdict):
    """A message's expectation with its flow's verdict, and on a challenge the statement and the details."""
    out = dict(fields)
    out.update({k: v for k, v in verdict.items() if k != "refusal_frames"})
    if verdict["refusal_frames"]:
        out["refusals"] = len(verdict["refusal_frames"])
    if out["role"] == "challenge":
        statement = STATEMENT[verdict["verdict"]]
        out["experts"] = mark_details(sorted(set(out["experts"]) | {statement}), statement)
    return out


def mark_details(experts, statement):
    # A credential attack is about the source, not the flow: it keeps its severity (SPEC section 12).
    return sorted(e if e == statement or e not in ABOVE_NOTE or e == "credential_attack" else e + ":note"
                  for e in experts)


def single_pass(frame, fields, verdict):
    """What a single pass shows: no link to a later frame, no outcome, no final-view expert, the verdict only
    once a final answer decided it, refusals counted so far (README)."""
    role = fields["role"]
    if role == "request":
        return None
    if role == "request_retransmission" and fields.get("challenge_frame", 0) > frame:
        return None
    out = dict(fields)
    if role == "challenge":
        for name in ("retry_frame", "result_frame", "result_code", "result_reason", "ack_frame", "time_to_retry",
                     "dns_queries", "dns_unanswered", "dns_frame"):
            out.pop(name, None)
        out["outcome"] = "unknown"
        out["experts"] = [e for e in out["experts"] if e != "slow_retry"]
    if role == "retry":
        for name in ("result_frame", "result_code", "result_reason"):
            out.pop(name, None)
    out["experts"] = [e for e in out["experts"]
                      if e not in FINAL_VIEW_EXPERTS and e not in TWO_PASS_ONLY.get(role, ())]
    if "first_request_frame" in verdict:
        out["first_request_frame"] = verdict["first_request_frame"]
    refusals = sum(1 for f in verdict["refusal_frames"] if f <= frame)
    if refusals:
        out["refusals"] = refusals
    if verdict["verdict"] in DECIDED_SO_FAR and verdict["final_frame"] <= frame:
        out.update({k: v for k, v in verdict.items() if k != "refusal_frames"})
    else:
        out["verdict"] = "unknown"
        out.pop("final_frame", None)
        out.pop("auth_time", None)
    if role == "challenge":
        statement = next((e for e in GRAVEST if e in out["experts"]), None)
        out["experts"] = mark_details(out["experts"], statement)
    return out


def render(fields):
    if fields is None:
        return "none"
    parts = []
    for name in ORDER:
        if name == "experts":
            if fields.get("experts"):
                parts.append("experts=" + ",".join(fields["experts"]))
        elif name in fields:
            parts.append("%s=%s" % (name, fields[name]))
    return " ".join(parts)


def keyed(capture, rows):
    """[(key, fields)] for the rows (frame, fields or None) in message order: a message that shows no tree in
    this mode takes no number, so the trees after it in its frame move up (F/N is the N-th tree shown)."""
    out, trees = [], {}
    for frame, fields in rows:
        if fields is not None:
            trees[frame] = trees.get(frame, 0) + 1
            out.append((capture.key(frame, trees[frame]), fields))
    return out


def with_credentials(capture):
    """The expectations with what each retry's credentials must show (SPEC section 10), checked against the
    scenario: credentials (stated by the scenario whenever the capture has a table; not_checked otherwise unless
    stated), credentials_reason, algorithm, qop and username read from the answering credentials; the secret-free
    findings the scenario states must be the ones credential_checks() finds; credentials_correct or
    wrong_credentials and aka_autn_invalid (on the retry and on the challenge it answers) are added from the
    verification; correct_credentials_refused, stated on the retry, is added to the frame that refused it."""
    out = [(label, dict(fields)) for label, fields in capture.expectations]
    by_label = {label: fields for label, fields in out}
    for label, fields in out:
        if fields.get("role") != "retry":
            continue
        retry = capture.messages[label]
        challenge = capture.messages[fields["challenge_frame"]]
        request = capture.messages.get(fields.get("request_frame"))
        cred, findings = credential_checks(retry, challenge, request)
        body = retry.body.encode()
        cut = label in capture.cut_labels
        value, reason, autn_ok = verify_credentials(cred, retry.start.split()[0], body, cut, capture.table)
        assert not capture.table or "credentials" in fields, (capture.name, label, "state the credentials")
        stated = fields.get("credentials", "not_checked")
        assert stated in CREDENTIAL_VALUES and (stated, fields.get("reason")) == (value, reason), \
            (capture.name, label, "stated", stated, fields.get("reason"), "verified", value, reason)
        fields.pop("reason", None)
        fields["credentials"] = value
        if reason:
            assert reason in CHECK_REASONS, reason
            fields["credentials_reason"] = reason
        if cred is not None and cred.digest:
            fields["algorithm"] = cred.algorithm
            if "qop" in cred.params:
                fields["qop"] = cred.params["qop"]
            if "username" in cred.params:
                fields["username"] = cred.params["username"].replace(" ", "_")
        experts = [e for e in fields.get("experts", "").split(",") if e]
        assert set(experts) & set(CRED_FINDINGS) == findings, (capture.name, label, "stated", experts, "found", findings)
        experts += {"correct": ["credentials_correct"], "wrong": ["wrong_credentials"]}.get(value, [])
        if autn_ok is False:
            experts.append("aka_autn_invalid")
            chal = by_label[fields["challenge_frame"]]
            chal["experts"] = ",".join([e for e in chal.get("experts", "").split(",") if e] + ["aka_autn_invalid"])
        refusing = fields.get("result_frame")
        refused = refusing is not None and (
            status_of(capture.messages[refusing]) == 403
            or (status_of(capture.messages[refusing]) in (401, 407)
                and "retry_challenged" in by_label[refusing].get("experts", "")))
        assert ("correct_credentials_refused" in experts) == (value == "correct" and refused), \
            (capture.name, label, "correct_credentials_refused: a correct retry refused (re-challenged or 403)")
        if "correct_credentials_refused" in experts:
            result = by_label[refusing]
            result["experts"] = ",".join([e for e in result.get("experts", "").split(",") if e]
                                         + ["correct_credentials_refused"])
        fields["experts"] = ",".join(experts)
    return out


def write_case(capture, path):
    lines = ["# %s" % capture.description,
             "# Generated by tests/tools/gen_pcaps.py; edit the scenario there, not this file."]
    lines += ["# %s" % c for c in capture.comments]
    lines += ["pcap: %s.pcap" % capture.name]
    if capture.table:
        lines.append("args: " + table_args(capture.table))
    lines.append("")
    rows = []
    for label, fields in with_credentials(capture):
        resolved = resolve(capture, fields)
        if hits_analysis_bound(capture.messages[label]):
            resolved["experts"] = sorted(resolved.get("experts", []) + ["analysis_truncated"])
        frame, index, _ = capture.marks[label]
        rows.append(((frame, index), frame, resolved))
    rows.sort(key=lambda r: r[0])
    verdicts = flow_verdicts(capture, [(frame, resolved) for _, frame, resolved in rows])
    assert set(capture.verdicts) <= set(verdicts), (capture.name, capture.verdicts)
    two_pass = keyed(capture, [(frame, with_verdict(resolved, verdicts[int(resolved["flow"])]))
                               for _, frame, resolved in rows])
    single = dict(keyed(capture, [(frame, single_pass(frame, resolved, verdicts[int(resolved["flow"])]))
                                  for _, frame, resolved in rows]))
    keys = [key for key, _ in two_pass]
    assert len(set(keys)) == len(keys), (capture.name, keys)
    overrides = []
    for key, resolved in two_pass:
        lines.append("%s %s" % (key, render(resolved)))
        shown = render(single.get(key))
        if shown != render(resolved):
            overrides.append("%s %s" % (key, shown))
    if overrides:
        lines += ["", "[single-pass]"] + overrides
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


# ---------------------------------------------------------------------------------------------
# Common cast

DOMAIN = "example.com"
PROXY = ("192.168.1.1", 5060)            # Kamailio proxy and registrar of example.com
BOB_URI = "sip:bob@example.com"
BOB_CONTACT = "sip:bob@192.168.1.20:5060"


def alice(transport="UDP"):
    return UA("alice", DOMAIN, "192.168.1.10", 5060, transport, display="Alice")


def call_id(name, n=1, host="192.168.1.10"):
    return "%s@%s" % (token("callid", name, n, length=20), host)


def nonce(name, n=1):
    return token("nonce", name, n, length=32)


def invite(ua, cid, cseq, br, tag, auth=()):
    return ua.request("INVITE", BOB_URI, cid, cseq, br, tag, auth=auth, body=sdp(ua.ip, 40000, 4711))


def register(ua, cid, cseq, br, tag, auth=(), extra=(), via_port=None, transport=None, registrar=DOMAIN):
    return ua.request("REGISTER", "sip:" + registrar, cid, cseq, br, tag, to_uri=ua.aor, auth=auth,
                      extra=[("Expires", "3600")] + list(extra), via_port=via_port, transport=transport)


def proxy_auth(ua, realm, nonce_value, method="INVITE", uri=BOB_URI, header="Proxy-Authorization", **kw):
    return (header, credentials_header(ua.user, realm, nonce_value, uri, method, **kw))


def www_auth(ua, realm, nonce_value, method="REGISTER", uri="sip:" + DOMAIN, **kw):
    return ("Authorization", credentials_header(ua.user, realm, nonce_value, uri, method, **kw))


def c407(request, realm, nonce_value, tag, stale=False):
    return response(request, 407, "Proxy Authentication Required", tag,
                    [("Proxy-Authenticate", challenge_header(realm, nonce_value, stale))])


def c401(request, realm, nonce_value, tag, stale=False):
    return response(request, 401, "Unauthorized", tag, [("WWW-Authenticate", challenge_header(realm, nonce_value, stale))])


def ok_register(request, tag, ua):
    return response(request, 200, "OK", tag, [("Contact", "<sip:%s@%s>;expires=3600" % (ua.user, hostport(ua.ip, ua.port)))])


def ok_invite(request, tag):
    return response(request, 200, "OK", tag, [("Contact", "<%s>" % BOB_CONTACT)], body=sdp("192.168.1.20", 30000, 9001))


def options_keepalive(cap, t, ua, n):
    """An unrelated, unchallenged OPTIONS ping with its 200 (own Call-ID): no SIPAUTH tree."""
    src = (ua.ip, ua.port)
    req = ua.request("OPTIONS", "sip:" + DOMAIN, call_id(cap.name, 100 + n), 1, branch(cap.name, "opt", n),
                     token("tag", cap.name, "opt", n, length=8), to_uri="sip:" + DOMAIN)
    cap.udp(t, src, PROXY, req)
    cap.udp(t + 0.002, PROXY, src, response(req, 200, "OK", token("tag", cap.name, "optok", n, length=8)))


def invite_challenged(cap, ua, t, cid, tag, realm="example.com", n=1, label="", cseq=1, trying=True):
    """INVITE (label+'req') -> [100] -> 407 (label+'chal') -> ACK (label+'ack'); returns (invite, 407)."""
    src = (ua.ip, ua.port)
    req = invite(ua, cid, cseq, branch(cap.name, label, "inv", n), tag)
    cap.udp(t, src, PROXY, req, label + "req")
    if trying:
        cap.udp(t + 0.002, PROXY, src, response(req, 100, "Trying"))
    chal = c407(req, realm, nonce(cap.name, label + str(n)), token("tag", cap.name, label, "407", n, length=8))
    cap.udp(t + 0.010, PROXY, src, chal, label + "chal")
    cap.udp(t + 0.011, src, PROXY, ack_for(req, chal), label + "ack")
    return req, chal


# ---------------------------------------------------------------------------------------------
# Scenarios: each returns a Capture with its frames and expectations

def collector(into):
    """A decorator taking a description: it appends (name, description, function) to into, the name being the
    function's with - for _ (the generators' lists of scenarios and cases)."""
    def collect(description):
        def add(fn):
            into.append((fn.__name__.replace("_", "-"), description, fn))
            return fn
        return add
    return collect


SCENARIOS = []
scenario = collector(SCENARIOS)


@scenario("REGISTER -> 401 -> REGISTER CSeq+1 with Authorization -> 200: one accepted flow")
def register_401_ok(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req = register(ua, cid, 1, branch(cap.name, 1), tag)
    cap.udp(0.0, src, PROXY, req, "req")
    chal = c401(req, DOMAIN, nonce(cap.name), token("tag", cap.name, "401", length=8))
    cap.udp(0.004, PROXY, src, chal, "chal")
    retry = register(ua, cid, 2, branch(cap.name, 2), tag, auth=[www_auth(ua, DOMAIN, nonce(cap.name))])
    cap.udp(0.124, src, PROXY, retry, "retry")
    cap.udp(0.130, PROXY, src, ok_register(retry, token("tag", cap.name, "200", length=8), ua), "ok")

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req", retry_frame="retry",
               result_frame="ok", result_code=200, ttr=("chal", "retry"), outcome="accepted", experts="challenge_answered")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="req", challenge_frame="chal",
               result_frame="ok", result_code=200, ttr=("chal", "retry"))
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")


@scenario("INVITE -> 100 -> 407 -> ACK -> INVITE CSeq+1 with Proxy-Authorization -> 100 -> 180 -> 200 -> ACK -> BYE -> 200: "
          "accepted; 1xx, the 2xx ACK and the BYE are not in the flow")
def invite_407_ok(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req, chal = invite_challenged(cap, ua, 0.0, cid, tag)
    retry = invite(ua, cid, 2, branch(cap.name, "retry"), tag,
                   auth=[proxy_auth(ua, DOMAIN, nonce(cap.name, "1"))])
    cap.udp(0.131, src, PROXY, retry, "retry")
    cap.udp(0.133, PROXY, src, response(retry, 100, "Trying"))
    bob_tag = token("tag", cap.name, "bob", length=8)
    cap.udp(0.350, PROXY, src, response(retry, 180, "Ringing", bob_tag, [("Contact", "<%s>" % BOB_CONTACT)]))
    cap.udp(2.480, PROXY, src, ok_invite(retry, bob_tag), "ok")
    cap.udp(2.482, src, PROXY, ua.request("ACK", BOB_CONTACT, cid, 2, branch(cap.name, "ack2xx"), tag, to_uri=BOB_URI,
                                          to_tag=bob_tag, auth=[proxy_auth(ua, DOMAIN, nonce(cap.name, "1"), "ACK",
                                                                           nc="00000002")]))
    bye = ua.request("BYE", BOB_CONTACT, cid, 3, branch(cap.name, "bye"), tag, to_uri=BOB_URI, to_tag=bob_tag)
    cap.udp(12.500, src, PROXY, bye)
    cap.udp(12.530, PROXY, src, response(bye, 200, "OK"))

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=407, request_frame="req", ack_frame="ack",
               retry_frame="retry", result_frame="ok", result_code=200, ttr=("chal", "retry"), outcome="accepted",
               experts="challenge_answered")
    cap.expect("ack", flow=1, role="ACK", request_frame="req", challenge_frame="chal")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=407, request_frame="req", challenge_frame="chal",
               result_frame="ok", result_code=200, ttr=("chal", "retry"))
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")


@scenario("INVITE -> 407 -> ACK, then 40 s of unrelated OPTIONS keepalives: missing retry")
def invite_407_no_retry(cap):
    cap.verdict(1, "no retry")
    ua = alice()
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    invite_challenged(cap, ua, 0.0, cid, tag, trying=False)
    for n in range(4):
        options_keepalive(cap, 10.0 * (n + 1), ua, n)

    cap.expect("req", flow=1, role="request", challenge_frame="chal")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=407, request_frame="req", ack_frame="ack",
               outcome="no_retry", experts="missing_retry")
    cap.expect("ack", flow=1, role="ACK", request_frame="req", challenge_frame="chal")


@scenario("REGISTER -> 401, the UA starts over with a new REGISTER (CSeq+1, no credentials) -> 401 -> retry -> 200: "
          "flow 1 is a missing retry, flow 2 is accepted")
def register_401_no_retry_restart(cap):
    cap.verdict(1, "no retry")
    cap.verdict(2, "accepted")
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req1 = register(ua, cid, 1, branch(cap.name, 1), tag)
    cap.udp(0.0, src, PROXY, req1, "req1")
    cap.udp(0.004, PROXY, src, c401(req1, DOMAIN, nonce(cap.name, 1), token("tag", cap.name, 1, length=8)), "chal1")
    req2 = register(ua, cid, 2, branch(cap.name, 2), tag)
    cap.udp(5.000, src, PROXY, req2, "req2")
    cap.udp(5.004, PROXY, src, c401(req2, DOMAIN, nonce(cap.name, 2), token("tag", cap.name, 2, length=8)), "chal2")
    retry = register(ua, cid, 3, branch(cap.name, 3), tag, auth=[www_auth(ua, DOMAIN, nonce(cap.name, 2))])
    cap.udp(5.104, src, PROXY, retry, "retry")
    cap.udp(5.110, PROXY, src, ok_register(retry, token("tag", cap.name, "200", length=8), ua), "ok")

    cap.expect("req1", flow=1, role="request", challenge_frame="chal1")
    cap.expect("chal1", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req1",
               outcome="no_retry", experts="missing_retry")
    cap.expect("req2", flow=2, role="request", challenge_frame="chal2", retry_frame="retry")
    cap.expect("chal2", flow=2, role="challenge", attempt=1, challenge_code=401, request_frame="req2",
               retry_frame="retry", result_frame="ok", result_code=200, ttr=("chal2", "retry"), outcome="accepted",
               experts="challenge_answered")
    cap.expect("retry", flow=2, role="retry", attempt=1, challenge_code=401, request_frame="req2",
               challenge_frame="chal2", result_frame="ok", result_code=200, ttr=("chal2", "retry"))
    cap.expect("ok", flow=2, role="result", request_frame="retry", challenge_frame="chal2")


@scenario("wrong password: INVITE -> 407 -> ACK, three retries each challenged again (new nonce, not stale), then "
          "the UA gives up: attempts 1-4, challenge_loop from the 3rd challenge on, the last one a missing retry")
def invite_407_loop(cap):
    cap.verdict(1, "challenge loop")
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    requests = {}
    t = 0.0
    for n in range(1, 5):
        prev = "chal%d" % (n - 1)
        auth = [proxy_auth(ua, DOMAIN, nonce(cap.name, n - 1), password="wrong")] if n > 1 else []
        req = invite(ua, cid, n, branch(cap.name, n), tag, auth=auth)
        cap.udp(t, src, PROXY, req, "req%d" % n)
        chal = c407(req, DOMAIN, nonce(cap.name, n), token("tag", cap.name, n, length=8))
        cap.udp(t + 0.008, PROXY, src, chal, "chal%d" % n)
        cap.udp(t + 0.009, src, PROXY, ack_for(req, chal), "ack%d" % n)
        requests[n] = req
        t += 0.158

    cap.expect("req1", flow=1, role="request", challenge_frame="chal1", retry_frame="req2")
    for n in range(1, 5):
        chal, req = "chal%d" % n, "req%d" % n
        experts = []
        if n > 1:
            experts.append("retry_challenged")
        if n >= 3:
            experts.append("challenge_loop")
        fields = dict(flow=1, role="challenge", attempt=n, challenge_code=407, request_frame=req, ack_frame="ack%d" % n)
        if n < 4:
            nxt = "req%d" % (n + 1)
            fields.update(retry_frame=nxt, result_frame="chal%d" % (n + 1), result_code=407, ttr=(chal, nxt),
                          outcome="challenged_again")
            cap.expect(nxt, flow=1, role="retry", attempt=n, challenge_code=407, request_frame=req, challenge_frame=chal,
                       result_frame="chal%d" % (n + 1), result_code=407, ttr=(chal, nxt))
        else:
            fields.update(outcome="no_retry")
            experts.append("missing_retry")
        cap.expect(chal, experts=",".join(experts), **fields)
        cap.expect("ack%d" % n, flow=1, role="ACK", request_frame=req, challenge_frame=chal)


@scenario("REGISTER over TCP -> 401 -> retry -> 401 stale=true with a new nonce -> retry with the new nonce -> 200: "
          "attempt 2 is a stale-nonce refresh, not a refused password")
def register_401_stale(cap):
    cap.verdict(1, "accepted after nonce refresh")
    ua = alice("TCP")
    src = ("192.168.1.10", 50432)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    conn = cap.tcp(0.0, src, PROXY)
    req = register(ua, cid, 1, branch(cap.name, 1), tag)
    conn.send(0.001, True, [req], ["req"])
    conn.send(0.005, False, [c401(req, DOMAIN, nonce(cap.name, 1), token("tag", cap.name, 1, length=8))], ["chal1"])
    retry1 = register(ua, cid, 2, branch(cap.name, 2), tag, auth=[www_auth(ua, DOMAIN, nonce(cap.name, 1))])
    conn.send(0.105, True, [retry1], ["retry1"])
    conn.send(0.109, False, [c401(retry1, DOMAIN, nonce(cap.name, 2), token("tag", cap.name, 2, length=8), stale=True)],
              ["chal2"])
    retry2 = register(ua, cid, 3, branch(cap.name, 3), tag, auth=[www_auth(ua, DOMAIN, nonce(cap.name, 2))])
    conn.send(0.209, True, [retry2], ["retry2"])
    conn.send(0.215, False, [ok_register(retry2, token("tag", cap.name, "200", length=8), ua)], ["ok"])

    cap.expect("req", flow=1, role="request", challenge_frame="chal1", retry_frame="retry1")
    cap.expect("chal1", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req",
               retry_frame="retry1", result_frame="chal2", result_code=401, ttr=("chal1", "retry1"),
               outcome="challenged_again")
    cap.expect("retry1", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="req",
               challenge_frame="chal1", result_frame="chal2", result_code=401, ttr=("chal1", "retry1"))
    cap.expect("chal2", flow=1, role="challenge", attempt=2, challenge_code=401, request_frame="retry1",
               retry_frame="retry2", result_frame="ok", result_code=200, ttr=("chal2", "retry2"), outcome="accepted",
               experts="stale_nonce,challenge_answered")
    cap.expect("retry2", flow=1, role="retry", attempt=2, challenge_code=401, request_frame="retry1",
               challenge_frame="chal2", result_frame="ok", result_code=200, ttr=("chal2", "retry2"))
    cap.expect("ok", flow=1, role="result", request_frame="retry2", challenge_frame="chal2")


@scenario("INVITE -> 407 -> ACK -> retry -> 403 -> ACK: rejected, retry_failed on the 403; the ACK of the 403 "
          "is not in the flow (it acknowledges no challenge)")
def invite_407_retry_403(cap):
    cap.verdict(1, "rejected")
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    invite_challenged(cap, ua, 0.0, cid, tag, trying=False)
    retry = invite(ua, cid, 2, branch(cap.name, "retry"), tag, auth=[proxy_auth(ua, DOMAIN, nonce(cap.name, "1"))])
    cap.udp(0.090, src, PROXY, retry, "retry")
    forbidden = response(retry, 403, "Forbidden", token("tag", cap.name, "403", length=8))
    cap.udp(0.095, PROXY, src, forbidden, "no")
    cap.udp(0.096, src, PROXY, ack_for(retry, forbidden))

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=407, request_frame="req", ack_frame="ack",
               retry_frame="retry", result_frame="no", result_code=403, ttr=("chal", "retry"), outcome="rejected")
    cap.expect("ack", flow=1, role="ACK", request_frame="req", challenge_frame="chal")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=407, request_frame="req", challenge_frame="chal",
               result_frame="no", result_code=403, ttr=("chal", "retry"))
    cap.expect("no", flow=1, role="result", request_frame="retry", challenge_frame="chal", experts="retry_failed")


@scenario("REGISTER -> 401 -> retry, then no response until the end of the capture: retry unanswered")
def register_401_retry_unanswered(cap):
    cap.verdict(1, "retry unanswered")
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req = register(ua, cid, 1, branch(cap.name, 1), tag)
    cap.udp(0.0, src, PROXY, req, "req")
    cap.udp(0.004, PROXY, src, c401(req, DOMAIN, nonce(cap.name), token("tag", cap.name, length=8)), "chal")
    retry = register(ua, cid, 2, branch(cap.name, 2), tag, auth=[www_auth(ua, DOMAIN, nonce(cap.name))])
    cap.udp(0.074, src, PROXY, retry, "retry")

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req", retry_frame="retry",
               ttr=("chal", "retry"), outcome="retry_unanswered")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="req", challenge_frame="chal",
               ttr=("chal", "retry"), experts="retry_unanswered")


@scenario("UDP retransmissions: INVITE twice, 407 twice (+0.5 s), two ACKs, the retry twice, 200: "
          "copies point to the first transmission, the 407 copy is flagged challenge_retransmitted")
def retransmissions(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req = invite(ua, cid, 1, branch(cap.name, 1), tag)
    cap.udp(0.000, src, PROXY, req, "req")
    cap.udp(0.500, src, PROXY, req, "req_rtx")
    chal = c407(req, DOMAIN, nonce(cap.name), token("tag", cap.name, "407", length=8))
    cap.udp(0.520, PROXY, src, chal, "chal")
    cap.udp(1.020, PROXY, src, chal, "chal_rtx")
    ack = ack_for(req, chal)
    cap.udp(1.030, src, PROXY, ack, "ack1")
    cap.udp(1.050, src, PROXY, ack, "ack2")
    retry = invite(ua, cid, 2, branch(cap.name, 2), tag, auth=[proxy_auth(ua, DOMAIN, nonce(cap.name))])
    cap.udp(1.500, src, PROXY, retry, "retry")
    cap.udp(2.000, src, PROXY, retry, "retry_rtx")
    bob_tag = token("tag", cap.name, "bob", length=8)
    cap.udp(2.100, PROXY, src, ok_invite(retry, bob_tag), "ok")
    cap.udp(2.101, src, PROXY, ua.request("ACK", BOB_CONTACT, cid, 2, branch(cap.name, "ack2xx"), tag, to_uri=BOB_URI,
                                          to_tag=bob_tag))

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("req_rtx", flow=1, role="request_retransmission", request_frame="req", challenge_frame="chal")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=407, request_frame="req", ack_frame="ack1",
               retry_frame="retry", result_frame="ok", result_code=200, ttr=("chal", "retry"), outcome="accepted",
               experts="challenge_answered")
    cap.expect("chal_rtx", flow=1, role="challenge_retransmission", attempt=1, challenge_code=407, request_frame="req",
               challenge_frame="chal", experts="challenge_retransmitted")
    cap.expect("ack1", flow=1, role="ACK", request_frame="req", challenge_frame="chal")
    cap.expect("ack2", flow=1, role="ACK", request_frame="req", challenge_frame="chal")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=407, request_frame="req", challenge_frame="chal",
               result_frame="ok", result_code=200, ttr=("chal", "retry"))
    cap.expect("retry_rtx", flow=1, role="request_retransmission", request_frame="retry", challenge_frame="chal")
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")


@scenario("INVITE -> 407 without Proxy-Authenticate -> ACK, no retry: missing_challenge_header and missing_retry")
def missing_challenge_header(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req = invite(ua, cid, 1, branch(cap.name, 1), tag)
    cap.udp(0.0, src, PROXY, req, "req")
    chal = response(req, 407, "Proxy Authentication Required", token("tag", cap.name, "407", length=8))
    cap.udp(0.006, PROXY, src, chal, "chal")
    cap.udp(0.007, src, PROXY, ack_for(req, chal), "ack")

    cap.expect("req", flow=1, role="request", challenge_frame="chal")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=407, request_frame="req", ack_frame="ack",
               outcome="no_retry", experts="missing_challenge_header,missing_retry")
    cap.expect("ack", flow=1, role="ACK", request_frame="req", challenge_frame="chal")


@scenario("INVITE -> 407 -> ACK -> retry carrying Authorization instead of Proxy-Authorization -> 200: "
          "still the retry, flagged wrong_header")
def wrong_header(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    invite_challenged(cap, ua, 0.0, cid, tag, trying=False)
    retry = invite(ua, cid, 2, branch(cap.name, "retry"), tag,
                   auth=[proxy_auth(ua, DOMAIN, nonce(cap.name, "1"), header="Authorization")])
    cap.udp(0.210, src, PROXY, retry, "retry")
    bob_tag = token("tag", cap.name, "bob", length=8)
    cap.udp(1.900, PROXY, src, ok_invite(retry, bob_tag), "ok")
    cap.udp(1.902, src, PROXY, ua.request("ACK", BOB_CONTACT, cid, 2, branch(cap.name, "ack2xx"), tag, to_uri=BOB_URI,
                                          to_tag=bob_tag))

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=407, request_frame="req", ack_frame="ack",
               retry_frame="retry", result_frame="ok", result_code=200, ttr=("chal", "retry"), outcome="accepted",
               experts="challenge_answered")
    cap.expect("ack", flow=1, role="ACK", request_frame="req", challenge_frame="chal")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=407, request_frame="req", challenge_frame="chal",
               result_frame="ok", result_code=200, ttr=("chal", "retry"), experts="wrong_header")
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")


@scenario("REGISTER CSeq 2 -> 401 -> retry with a new branch but CSeq 2 again -> 200: linked, cseq_not_incremented")
def cseq_not_incremented(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req = register(ua, cid, 2, branch(cap.name, 1), tag)
    cap.udp(0.0, src, PROXY, req, "req")
    cap.udp(0.004, PROXY, src, c401(req, DOMAIN, nonce(cap.name), token("tag", cap.name, length=8)), "chal")
    retry = register(ua, cid, 2, branch(cap.name, 2), tag, auth=[www_auth(ua, DOMAIN, nonce(cap.name))])
    cap.udp(0.054, src, PROXY, retry, "retry")
    cap.udp(0.060, PROXY, src, ok_register(retry, token("tag", cap.name, "200", length=8), ua), "ok")

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req", retry_frame="retry",
               result_frame="ok", result_code=200, ttr=("chal", "retry"), outcome="accepted", experts="challenge_answered")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="req", challenge_frame="chal",
               result_frame="ok", result_code=200, ttr=("chal", "retry"), experts="cseq_not_incremented")
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")


@scenario("two Call-IDs: (a) INVITE -> 407 realm a.example -> retry with another nonce -> 200 (nonce_mismatch); "
          "(b) REGISTER -> 401 realm b.example -> retry with realm other.example and the right nonce -> 403 "
          "(realm_mismatch, retry_failed)")
def nonce_realm_mismatch(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid_a, tag_a = call_id(cap.name, "a"), token("tag", cap.name, "a", length=8)
    invite_challenged(cap, ua, 0.0, cid_a, tag_a, realm="a.example", label="a", trying=False)
    retry_a = invite(ua, cid_a, 2, branch(cap.name, "a", "retry"), tag_a, auth=[proxy_auth(ua, "a.example", "deadbeef")])
    cap.udp(0.150, src, PROXY, retry_a, "aretry")
    bob_tag = token("tag", cap.name, "bob", length=8)
    cap.udp(1.150, PROXY, src, ok_invite(retry_a, bob_tag), "aok")
    cap.udp(1.152, src, PROXY, ua.request("ACK", BOB_CONTACT, cid_a, 2, branch(cap.name, "ack2xx"), tag_a,
                                          to_uri=BOB_URI, to_tag=bob_tag))

    cid_b, tag_b = call_id(cap.name, "b"), token("tag", cap.name, "b", length=8)
    req_b = register(ua, cid_b, 1, branch(cap.name, "b", 1), tag_b)
    cap.udp(3.000, src, PROXY, req_b, "breq")
    cap.udp(3.004, PROXY, src, c401(req_b, "b.example", nonce(cap.name, "b"), token("tag", cap.name, "b401", length=8)),
            "bchal")
    retry_b = register(ua, cid_b, 2, branch(cap.name, "b", 2), tag_b,
                       auth=[www_auth(ua, "other.example", nonce(cap.name, "b"), opaque="b.example")])
    cap.udp(3.084, src, PROXY, retry_b, "bretry")
    cap.udp(3.090, PROXY, src, response(retry_b, 403, "Forbidden", token("tag", cap.name, "b403", length=8)), "bno")

    cap.expect("areq", flow=1, role="request", challenge_frame="achal", retry_frame="aretry")
    cap.expect("achal", flow=1, role="challenge", attempt=1, challenge_code=407, request_frame="areq", ack_frame="aack",
               retry_frame="aretry", result_frame="aok", result_code=200, ttr=("achal", "aretry"), outcome="accepted",
               experts="challenge_answered")
    cap.expect("aack", flow=1, role="ACK", request_frame="areq", challenge_frame="achal")
    cap.expect("aretry", flow=1, role="retry", attempt=1, challenge_code=407, request_frame="areq",
               challenge_frame="achal", result_frame="aok", result_code=200, ttr=("achal", "aretry"),
               experts="nonce_mismatch")
    cap.expect("aok", flow=1, role="result", request_frame="aretry", challenge_frame="achal")
    cap.expect("breq", flow=2, role="request", challenge_frame="bchal", retry_frame="bretry")
    cap.expect("bchal", flow=2, role="challenge", attempt=1, challenge_code=401, request_frame="breq",
               retry_frame="bretry", result_frame="bno", result_code=403, ttr=("bchal", "bretry"), outcome="rejected")
    cap.expect("bretry", flow=2, role="retry", attempt=1, challenge_code=401, request_frame="breq",
               challenge_frame="bchal", result_frame="bno", result_code=403, ttr=("bchal", "bretry"),
               experts="realm_mismatch")
    cap.expect("bno", flow=2, role="result", request_frame="bretry", challenge_frame="bchal", experts="retry_failed")


@scenario("forking proxy: INVITE -> one 407 with two Proxy-Authenticate (east.example, west.example) -> ACK -> "
          "retry with two Proxy-Authorization, one per realm -> 200: accepted, no mismatch")
def forking_two_realms(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req = invite(ua, cid, 1, branch(cap.name, 1), tag)
    cap.udp(0.0, src, PROXY, req, "req")
    east, west = nonce(cap.name, "east"), nonce(cap.name, "west")
    chal = response(req, 407, "Proxy Authentication Required", token("tag", cap.name, "407", length=8),
                    [("Proxy-Authenticate", challenge_header("east.example", east)),
                     ("Proxy-Authenticate", challenge_header("west.example", west))])
    cap.udp(0.030, PROXY, src, chal, "chal")
    cap.udp(0.031, src, PROXY, ack_for(req, chal), "ack")
    retry = invite(ua, cid, 2, branch(cap.name, 2), tag,
                   auth=[proxy_auth(ua, "east.example", east), proxy_auth(ua, "west.example", west)])
    cap.udp(0.161, src, PROXY, retry, "retry")
    bob_tag = token("tag", cap.name, "bob", length=8)
    cap.udp(2.000, PROXY, src, ok_invite(retry, bob_tag), "ok")
    cap.udp(2.002, src, PROXY, ua.request("ACK", BOB_CONTACT, cid, 2, branch(cap.name, "ack2xx"), tag, to_uri=BOB_URI,
                                          to_tag=bob_tag))

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=407, request_frame="req", ack_frame="ack",
               retry_frame="retry", result_frame="ok", result_code=200, ttr=("chal", "retry"), outcome="accepted",
               experts="challenge_answered")
    cap.expect("ack", flow=1, role="ACK", request_frame="req", challenge_frame="chal")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=407, request_frame="req", challenge_frame="chal",
               result_frame="ok", result_code=200, ttr=("chal", "retry"))
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")


# ---------------------------------------------------------------------------------------------
# IMS cast (TS 24.229): UE, P-CSCF, I-CSCF of the test PLMN 001/01

IMS_REALM = "ims.mnc001.mcc001.3gppnetwork.org"
PCSCF = ("10.0.0.2", 5060)
ICSCF = ("10.0.0.3", 5060)


def ims_ue(imsi, ip, port=5060, transport="UDP"):
    return UA(imsi, IMS_REALM, ip, port, transport, agent="OpenIMS-UE/1.0 (VoLTE)")


def impi(ue):
    return "%s@%s" % (ue.user, IMS_REALM)


def aka_nonce(*seed):
    """base64(RAND || AUTN), 32 bytes, as an HSS would mint it."""
    return base64.b64encode(hashlib.sha256(("aka/" + "/".join(map(str, seed))).encode()).digest()).decode()


def ims_initial_auth(ue):
    return ("Authorization", 'Digest username="%s", realm="%s", uri="sip:%s", nonce="", response=""'
            % (impi(ue), IMS_REALM, IMS_REALM))


def ims_auth(ue, nonce_value, extra=""):
    return ("Authorization", credentials_header(impi(ue), IMS_REALM, nonce_value, "sip:" + IMS_REALM, "REGISTER",
                                                password=token("res", nonce_value, length=16),
                                                algorithm="AKAv1-MD5", extra=extra))


def ims_challenge(request, nonce_value, tag, with_keys=True, extra=()):
    keys = ""
    if with_keys:
        keys = ', ck="%s", ik="%s"' % (token("ck", nonce_value, length=32), token("ik", nonce_value, length=32))
    return response(request, 401, "Unauthorized", tag,
                    [("WWW-Authenticate", challenge_header(IMS_REALM, nonce_value, algorithm="AKAv1-MD5", extra=keys))]
                    + list(extra), server="Kamailio P-CSCF")


def ims_register(ue, cid, cseq, br, tag, auth, extra=(), via_port=None, transport=None):
    return register(ue, cid, cseq, br, tag, auth=[auth],
                    extra=[("Supported", "path, sec-agree"), ("Require", "sec-agree"),
                           ("Proxy-Require", "sec-agree")] + list(extra),
                    via_port=via_port, transport=transport, registrar=IMS_REALM)


def sec_client(port_c, port_s):
    return ("Security-Client", "ipsec-3gpp;alg=hmac-sha-1-96;ealg=null;spi-c=%d;spi-s=%d;port-c=%d;port-s=%d;prot=esp;mod=trans"
            % (port_c * 10 + 1, port_s * 10 + 2, port_c, port_s))


SEC_SERVER = ("Security-Server", "ipsec-3gpp;q=0.1;alg=hmac-sha-1-96;ealg=null;spi-c=62001;spi-s=62002;"
              "port-c=6200;port-s=6101;prot=esp;mod=trans")
SEC_VERIFY = ("Security-Verify", SEC_SERVER[1])


def ims_ok(request, tag, ue, port):
    return response(request, 200, "OK", tag,
                    [("Contact", "<sip:%s@%s>;expires=600000" % (ue.user, hostport(ue.ip, port))),
                     ("P-Associated-URI", "<sip:%s@%s>, <tel:+15551234567>" % (ue.user, IMS_REALM)),
                     ("Service-Route", "<sip:orig@scscf.%s:6060;lr>" % IMS_REALM)], server="Kamailio P-CSCF")


@scenario("IMS AKA: UE REGISTER with empty credentials -> 401 AKAv1-MD5 (ck, ik) -> retry over TCP from the "
          "protected ports (6100 -> 6101) -> 200; a second UE answers with auts (resync) -> 401 new nonce -> "
          "retry -> 200: empty-nonce REGISTERs are requests, not retries; aka_resync on the auts retry, the new 401 a "
          "refresh (accepted after nonce refresh), not a refusal")
def ims_aka_register(cap):
    ue1 = ims_ue("001011234567895", "10.0.0.1")
    src1 = (ue1.ip, 5060)
    cid1, tag1 = call_id(cap.name, 1, ue1.ip), token("tag", cap.name, 1, length=8)
    req1 = ims_register(ue1, cid1, 1, branch(cap.name, 1, 1), tag1, ims_initial_auth(ue1),
                        extra=[sec_client(6100, 6102)])
    cap.udp(0.0, src1, PCSCF, req1, "req1")
    n1 = aka_nonce(cap.name, 1)
    cap.udp(0.180, PCSCF, src1, ims_challenge(req1, n1, token("tag", cap.name, "401", 1, length=8),
                                               extra=[SEC_SERVER]), "chal1")
    conn = cap.tcp(0.420, (ue1.ip, 6100), ("10.0.0.2", 6101))
    retry1 = ims_register(ue1, cid1, 2, branch(cap.name, 1, 2), tag1, ims_auth(ue1, n1),
                          extra=[sec_client(6100, 6102), SEC_VERIFY], via_port=6102, transport="TCP")
    conn.send(0.421, True, [retry1], ["retry1"])
    conn.send(0.610, False, [ims_ok(retry1, token("tag", cap.name, "200", 1, length=8), ue1, 6102)], ["ok1"])

    ue2 = ims_ue("001011234567896", "10.0.0.5")
    src2, prot2 = (ue2.ip, 5060), (ue2.ip, 6300)
    cid2, tag2 = call_id(cap.name, 2, ue2.ip), token("tag", cap.name, 2, length=8)
    req2 = ims_register(ue2, cid2, 1, branch(cap.name, 2, 1), tag2, ims_initial_auth(ue2),
                        extra=[sec_client(6300, 6302)])
    cap.udp(3.000, src2, PCSCF, req2, "req2")
    n2a, n2b = aka_nonce(cap.name, "2a"), aka_nonce(cap.name, "2b")
    cap.udp(3.170, PCSCF, src2, ims_challenge(req2, n2a, token("tag", cap.name, "401", "2a", length=8),
                                               extra=[SEC_SERVER]), "chal2a")
    auts = ', auts="%s"' % aka_nonce(cap.name, "auts")[:20]
    resync = ims_register(ue2, cid2, 2, branch(cap.name, 2, 2), tag2, ims_auth(ue2, n2a, extra=auts),
                          extra=[sec_client(6300, 6302), SEC_VERIFY], via_port=6302)
    cap.udp(3.400, prot2, ("10.0.0.2", 6101), resync, "resync")
    cap.udp(3.590, ("10.0.0.2", 6101), prot2, ims_challenge(resync, n2b, token("tag", cap.name, "401", "2b", length=8),
                                                             extra=[SEC_SERVER]), "chal2b")
    retry2 = ims_register(ue2, cid2, 3, branch(cap.name, 2, 3), tag2, ims_auth(ue2, n2b),
                          extra=[sec_client(6300, 6302), SEC_VERIFY], via_port=6302)
    cap.udp(3.800, prot2, ("10.0.0.2", 6101), retry2, "retry2")
    cap.udp(3.990, ("10.0.0.2", 6101), prot2, ims_ok(retry2, token("tag", cap.name, "200", 2, length=8), ue2, 6302),
            "ok2")

    cap.expect("req1", flow=1, role="request", challenge_frame="chal1", retry_frame="retry1")
    cap.expect("chal1", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req1",
               retry_frame="retry1", result_frame="ok1", result_code=200, ttr=("chal1", "retry1"), outcome="accepted",
               experts="challenge_answered")
    cap.expect("retry1", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="req1",
               challenge_frame="chal1", result_frame="ok1", result_code=200, ttr=("chal1", "retry1"))
    cap.expect("ok1", flow=1, role="result", request_frame="retry1", challenge_frame="chal1")
    cap.expect("req2", flow=2, role="request", challenge_frame="chal2a", retry_frame="resync")
    cap.expect("chal2a", flow=2, role="challenge", attempt=1, challenge_code=401, request_frame="req2",
               retry_frame="resync", result_frame="chal2b", result_code=401, ttr=("chal2a", "resync"),
               outcome="challenged_again")
    cap.expect("resync", flow=2, role="retry", attempt=1, challenge_code=401, request_frame="req2",
               challenge_frame="chal2a", result_frame="chal2b", result_code=401, ttr=("chal2a", "resync"),
               experts="aka_resync")
    cap.expect("chal2b", flow=2, role="challenge", attempt=2, challenge_code=401, request_frame="resync",
               retry_frame="retry2", result_frame="ok2", result_code=200, ttr=("chal2b", "retry2"), outcome="accepted",
               experts="challenge_answered")
    cap.expect("retry2", flow=2, role="retry", attempt=2, challenge_code=401, request_frame="resync",
               challenge_frame="chal2b", result_frame="ok2", result_code=200, ttr=("chal2b", "retry2"))
    cap.expect("ok2", flow=2, role="result", request_frame="retry2", challenge_frame="chal2b")


@scenario("TCP, several SIP messages per segment: two REGISTERs (alice, carol) pipelined in one segment, both 401s "
          "in the next (carol's first), both retries in one, both 200s in one: each message its own SIPAUTH tree "
          "and flow (flow 1 = carol, challenged first)")
def tcp_two_messages_one_segment(cap):
    host, listen = "192.168.1.30", 5070
    ua_a = UA("alice", DOMAIN, host, listen, "TCP", display="Alice", agent="FreeSWITCH-mod_sofia/1.10.9")
    ua_c = UA("carol", DOMAIN, host, listen, "TCP", display="Carol", agent="FreeSWITCH-mod_sofia/1.10.9")
    conn = cap.tcp(0.0, (host, 41000), PROXY)
    cid_a, tag_a = call_id(cap.name, "a", host), token("tag", cap.name, "a", length=8)
    cid_c, tag_c = call_id(cap.name, "c", host), token("tag", cap.name, "c", length=8)
    req_a = register(ua_a, cid_a, 1, branch(cap.name, "a", 1), tag_a)
    req_c = register(ua_c, cid_c, 1, branch(cap.name, "c", 1), tag_c)
    conn.send(0.001, True, [req_a, req_c], ["a_req", "c_req"])
    chal_a = c401(req_a, DOMAIN, nonce(cap.name, "a"), token("tag", cap.name, "a401", length=8))
    chal_c = c401(req_c, DOMAIN, nonce(cap.name, "c"), token("tag", cap.name, "c401", length=8))
    conn.send(0.006, False, [chal_c, chal_a], ["c_chal", "a_chal"])
    retry_a = register(ua_a, cid_a, 2, branch(cap.name, "a", 2), tag_a, auth=[www_auth(ua_a, DOMAIN, nonce(cap.name, "a"))])
    retry_c = register(ua_c, cid_c, 2, branch(cap.name, "c", 2), tag_c, auth=[www_auth(ua_c, DOMAIN, nonce(cap.name, "c"))])
    conn.send(0.056, True, [retry_a, retry_c], ["a_retry", "c_retry"])
    conn.send(0.062, False, [ok_register(retry_c, token("tag", cap.name, "c200", length=8), ua_c),
                             ok_register(retry_a, token("tag", cap.name, "a200", length=8), ua_a)], ["c_ok", "a_ok"])

    for who, flow in (("c", 1), ("a", 2)):
        req, chal, retry, ok = who + "_req", who + "_chal", who + "_retry", who + "_ok"
        cap.expect(req, flow=flow, role="request", challenge_frame=chal, retry_frame=retry)
        cap.expect(chal, flow=flow, role="challenge", attempt=1, challenge_code=401, request_frame=req,
                   retry_frame=retry, result_frame=ok, result_code=200, ttr=(chal, retry), outcome="accepted",
                   experts="challenge_answered")
        cap.expect(retry, flow=flow, role="retry", attempt=1, challenge_code=401, request_frame=req,
                   challenge_frame=chal, result_frame=ok, result_code=200, ttr=(chal, retry))
        cap.expect(ok, flow=flow, role="result", request_frame=retry, challenge_frame=chal)


@scenario("non-compliant UA: REGISTER (Call-ID A) -> 401 realm R nonce N -> REGISTER with a new Call-ID B, new "
          "From tag, same From URI, echoing R and N -> 200: linked as a heuristic retry (heuristic=1)")
def new_call_id_retry(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid_a, cid_b = call_id(cap.name, "a"), call_id(cap.name, "b")
    req = register(ua, cid_a, 1, branch(cap.name, 1), token("tag", cap.name, "a", length=8))
    cap.udp(0.0, src, PROXY, req, "req")
    cap.udp(0.004, PROXY, src, c401(req, DOMAIN, nonce(cap.name), token("tag", cap.name, "401", length=8)), "chal")
    retry = register(ua, cid_b, 2, branch(cap.name, 2), token("tag", cap.name, "b", length=8),
                     auth=[www_auth(ua, DOMAIN, nonce(cap.name))])
    cap.udp(0.304, src, PROXY, retry, "retry")
    cap.udp(0.310, PROXY, src, ok_register(retry, token("tag", cap.name, "200", length=8), ua), "ok")

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req", retry_frame="retry",
               result_frame="ok", result_code=200, ttr=("chal", "retry"), outcome="accepted", experts="challenge_answered")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="req", challenge_frame="chal",
               result_frame="ok", result_code=200, ttr=("chal", "retry"), heuristic=1)
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")


@scenario("capture starts mid-flow: a 407 whose INVITE is not captured -> ACK -> retry -> 200, then a lone 200 of an "
          "earlier REGISTER: the flow has no request_frame; the lone 200 gets nothing")
def mid_flow_start(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req = invite(ua, cid, 1, branch(cap.name, 1), tag)                  # sent before the capture started
    chal = c407(req, DOMAIN, nonce(cap.name), token("tag", cap.name, "407", length=8))
    cap.udp(0.0, PROXY, src, chal, "chal")
    cap.udp(0.001, src, PROXY, ack_for(req, chal), "ack")
    retry = invite(ua, cid, 2, branch(cap.name, 2), tag, auth=[proxy_auth(ua, DOMAIN, nonce(cap.name))])
    cap.udp(0.101, src, PROXY, retry, "retry")
    bob_tag = token("tag", cap.name, "bob", length=8)
    cap.udp(1.800, PROXY, src, ok_invite(retry, bob_tag), "ok")
    cap.udp(1.802, src, PROXY, ua.request("ACK", BOB_CONTACT, cid, 2, branch(cap.name, "ack2xx"), tag, to_uri=BOB_URI,
                                          to_tag=bob_tag))
    old = register(ua, call_id(cap.name, "old"), 7, branch(cap.name, "old"), token("tag", cap.name, "old", length=8))
    cap.udp(2.500, PROXY, src, ok_register(old, token("tag", cap.name, "old200", length=8), ua))

    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=407, ack_frame="ack", retry_frame="retry",
               result_frame="ok", result_code=200, ttr=("chal", "retry"), outcome="accepted", experts="challenge_answered")
    cap.expect("ack", flow=1, role="ACK", challenge_frame="chal")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=407, challenge_frame="chal",
               result_frame="ok", result_code=200, ttr=("chal", "retry"))
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")


@scenario("INVITE -> [ICMP port unreachable quoting a copy of the INVITE] -> 407 -> ACK -> retry -> 200: "
          "the ICMP frame gets no SIPAUTH tree, the flow is as without it")
def icmp_quoted(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req = invite(ua, cid, 1, branch(cap.name, 1), tag)
    cap.udp(0.0, src, PROXY, req, "req")
    cap.icmp_port_unreachable(0.004, PROXY[0], src, PROXY, req)
    chal = c407(req, DOMAIN, nonce(cap.name), token("tag", cap.name, "407", length=8))
    cap.udp(0.010, PROXY, src, chal, "chal")
    cap.udp(0.011, src, PROXY, ack_for(req, chal), "ack")
    retry = invite(ua, cid, 2, branch(cap.name, 2), tag, auth=[proxy_auth(ua, DOMAIN, nonce(cap.name))])
    cap.udp(0.131, src, PROXY, retry, "retry")
    bob_tag = token("tag", cap.name, "bob", length=8)
    cap.udp(1.500, PROXY, src, ok_invite(retry, bob_tag), "ok")
    cap.udp(1.502, src, PROXY, ua.request("ACK", BOB_CONTACT, cid, 2, branch(cap.name, "ack2xx"), tag, to_uri=BOB_URI,
                                          to_tag=bob_tag))

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=407, request_frame="req", ack_frame="ack",
               retry_frame="retry", result_frame="ok", result_code=200, ttr=("chal", "retry"), outcome="accepted",
               experts="challenge_answered")
    cap.expect("ack", flow=1, role="ACK", request_frame="req", challenge_frame="chal")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=407, request_frame="req", challenge_frame="chal",
               result_frame="ok", result_code=200, ttr=("chal", "retry"))
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")


@scenario("two capture points: REGISTER, 401, retry and 200 each seen again 0.2 ms later inside GTP-U: the copies "
          "are duplicates (retransmission roles without challenge_retransmitted), one flow, one challenge")
def duplicate_capture_points(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req = register(ua, cid, 1, branch(cap.name, 1), tag)
    chal = c401(req, DOMAIN, nonce(cap.name), token("tag", cap.name, "401", length=8))
    retry = register(ua, cid, 2, branch(cap.name, 2), tag, auth=[www_auth(ua, DOMAIN, nonce(cap.name))])
    ok = ok_register(retry, token("tag", cap.name, "200", length=8), ua)
    for t, a, b, message, label in ((0.0, src, PROXY, req, "req"), (0.020, PROXY, src, chal, "chal"),
                                    (0.140, src, PROXY, retry, "retry"), (0.160, PROXY, src, ok, "ok")):
        cap.udp(t, a, b, message, label)
        cap.duplicate_in_gtp(t + 0.0002, a, b, message, label + "_dup")

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("req_dup", flow=1, role="request_retransmission", request_frame="req", challenge_frame="chal")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req", retry_frame="retry",
               result_frame="ok", result_code=200, ttr=("chal", "retry"), outcome="accepted", experts="challenge_answered")
    cap.expect("chal_dup", flow=1, role="challenge_retransmission", attempt=1, challenge_code=401, request_frame="req",
               challenge_frame="chal")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="req", challenge_frame="chal",
               result_frame="ok", result_code=200, ttr=("chal", "retry"))
    cap.expect("retry_dup", flow=1, role="request_retransmission", request_frame="retry", challenge_frame="chal")
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")
    cap.expect("ok_dup", flow=1, role="result", request_frame="retry", challenge_frame="chal")
    cap.comments.append("The copy of the 200 (no retransmission role exists for a result) is shown like the 200 itself.")


@scenario("IPv6: MESSAGE -> 407 -> MESSAGE retry with Proxy-Authorization -> 202 Accepted: accepted (no ACK for MESSAGE)")
def ipv6_message_407(cap):
    ua = UA("alice", DOMAIN, "2001:db8:10::10", 5060, display="Alice")
    src, proxy = (ua.ip, 5060), ("2001:db8:10::1", 5060)
    cid, tag = call_id(cap.name, host="[2001:db8:10::10]"), token("tag", cap.name, length=8)
    text = "Are you coming to the meeting at 3?"
    req = ua.request("MESSAGE", BOB_URI, cid, 1, branch(cap.name, 1), tag, body=text, body_type="text/plain")
    cap.udp(0.0, src, proxy, req, "req")
    cap.udp(0.005, proxy, src, c407(req, DOMAIN, nonce(cap.name), token("tag", cap.name, "407", length=8)), "chal")
    retry = ua.request("MESSAGE", BOB_URI, cid, 2, branch(cap.name, 2), tag, body=text, body_type="text/plain",
                       auth=[proxy_auth(ua, DOMAIN, nonce(cap.name), "MESSAGE")])
    cap.udp(0.065, src, proxy, retry, "retry")
    cap.udp(0.120, proxy, src, response(retry, 202, "Accepted", token("tag", cap.name, "202", length=8)), "ok")

    cap.expect("req", flow=1, role="request", challenge_frame="chal", retry_frame="retry")
    cap.expect("chal", flow=1, role="challenge", attempt=1, challenge_code=407, request_frame="req", retry_frame="retry",
               result_frame="ok", result_code=202, ttr=("chal", "retry"), outcome="accepted", experts="challenge_answered")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=407, request_frame="req", challenge_frame="chal",
               result_frame="ok", result_code=202, ttr=("chal", "retry"))
    cap.expect("ok", flow=1, role="result", request_frame="retry", challenge_frame="chal")


@scenario("IMS, two hops of one REGISTER: UE -> P-CSCF -> I-CSCF (P-CSCF adds its Via and branch), the 401 back over "
          "both hops, the retry over both hops, the 200 back: two flows (flow 1 = P-CSCF->I-CSCF hop, challenged "
          "first; flow 2 = UE->P-CSCF), each retry linked to its own hop")
def ims_three_hops(cap):
    ue = ims_ue("001011234567895", "10.0.0.1")
    src = (ue.ip, 5060)
    cid, tag = call_id(cap.name, 1, ue.ip), token("tag", cap.name, length=8)
    pvia = lambda n: "SIP/2.0/UDP 10.0.0.2:5060;branch=%s" % branch(cap.name, "pcscf", n)
    path = [("Path", "<sip:term@pcscf.%s:5060;lr>" % IMS_REALM)]
    ue_req = ims_register(ue, cid, 1, branch(cap.name, "ue", 1), tag, ims_initial_auth(ue), extra=[sec_client(6100, 6102)])
    cap.udp(0.0, src, PCSCF, ue_req, "ue_req")
    p_req = forward(ue_req, pvia(1), extra=path)
    cap.udp(0.002, PCSCF, ICSCF, p_req, "p_req")
    n = aka_nonce(cap.name)
    to_tag = token("tag", cap.name, "401", length=8)
    cap.udp(0.150, ICSCF, PCSCF, ims_challenge(p_req, n, to_tag), "p_chal")
    cap.udp(0.152, PCSCF, src, ims_challenge(ue_req, n, to_tag, with_keys=False, extra=[SEC_SERVER]), "ue_chal")
    ue_retry = ims_register(ue, cid, 2, branch(cap.name, "ue", 2), tag, ims_auth(ue, n),
                            extra=[sec_client(6100, 6102), SEC_VERIFY])
    cap.udp(0.400, src, PCSCF, ue_retry, "ue_retry")
    p_retry = forward(ue_retry, pvia(2), extra=path)
    cap.udp(0.402, PCSCF, ICSCF, p_retry, "p_retry")
    ok_tag = token("tag", cap.name, "200", length=8)
    cap.udp(0.560, ICSCF, PCSCF, ims_ok(p_retry, ok_tag, ue, 5060), "p_ok")
    cap.udp(0.562, PCSCF, src, ims_ok(ue_retry, ok_tag, ue, 5060), "ue_ok")

    for hop, flow in (("p", 1), ("ue", 2)):
        req, chal, retry, ok = hop + "_req", hop + "_chal", hop + "_retry", hop + "_ok"
        cap.expect(req, flow=flow, role="request", challenge_frame=chal, retry_frame=retry)
        cap.expect(chal, flow=flow, role="challenge", attempt=1, challenge_code=401, request_frame=req,
                   retry_frame=retry, result_frame=ok, result_code=200, ttr=(chal, retry), outcome="accepted",
                   experts="challenge_answered")
        # The UE's retry goes to the P-CSCF's 5060 in the clear, not to the offered port-s 6101.
        unprotected = {"experts": "retry_unprotected"} if hop == "ue" else {}
        cap.expect(retry, flow=flow, role="retry", attempt=1, challenge_code=401, request_frame=req,
                   challenge_frame=chal, result_frame=ok, result_code=200, ttr=(chal, retry), **unprotected)
        cap.expect(ok, flow=flow, role="result", request_frame=retry, challenge_frame=chal)


@scenario("slow retries (45 s, beyond the 32 s retry timeout): on Call-ID A the retry echoes the challenged nonce "
          "-> linked, accepted; on Call-ID B it carries another nonce -> not linked: B's challenge is a missing retry "
          "and B's late REGISTER and its 200 get nothing")
def slow_retry_nonce_echo(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid_a, tag_a = call_id(cap.name, "a"), token("tag", cap.name, "a", length=8)
    req = register(ua, cid_a, 1, branch(cap.name, "a", 1), tag_a)
    cap.udp(0.0, src, PROXY, req, "areq")
    cap.udp(0.004, PROXY, src, c401(req, DOMAIN, nonce(cap.name, "a"), token("tag", cap.name, "a401", length=8)), "achal")
    retry = register(ua, cid_a, 2, branch(cap.name, "a", 2), tag_a, auth=[www_auth(ua, DOMAIN, nonce(cap.name, "a"))])
    cap.udp(45.004, src, PROXY, retry, "aretry")
    cap.udp(45.010, PROXY, src, ok_register(retry, token("tag", cap.name, "a200", length=8), ua), "aok")

    cid_b, tag_b = call_id(cap.name, "b"), token("tag", cap.name, "b", length=8)
    req = register(ua, cid_b, 1, branch(cap.name, "b", 1), tag_b)
    cap.udp(50.0, src, PROXY, req, "breq")
    cap.udp(50.004, PROXY, src, c401(req, DOMAIN, nonce(cap.name, "b"), token("tag", cap.name, "b401", length=8)), "bchal")
    late = register(ua, cid_b, 2, branch(cap.name, "b", 2), tag_b, auth=[www_auth(ua, DOMAIN, nonce(cap.name, "other"))])
    cap.udp(95.004, src, PROXY, late)
    cap.udp(95.010, PROXY, src, ok_register(late, token("tag", cap.name, "b200", length=8), ua))

    cap.expect("areq", flow=1, role="request", challenge_frame="achal", retry_frame="aretry")
    cap.expect("achal", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="areq",
               retry_frame="aretry", result_frame="aok", result_code=200, ttr=("achal", "aretry"), outcome="accepted",
               experts="challenge_answered")
    cap.expect("aretry", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="areq",
               challenge_frame="achal", result_frame="aok", result_code=200, ttr=("achal", "aretry"))
    cap.expect("aok", flow=1, role="result", request_frame="aretry", challenge_frame="achal")
    cap.expect("breq", flow=2, role="request", challenge_frame="bchal")
    cap.expect("bchal", flow=2, role="challenge", attempt=1, challenge_code=401, request_frame="breq",
               outcome="no_retry", experts="missing_retry")


@scenario("a slow retry explained by DNS: REGISTER -> 401, then the UA's DNS SRV query sent five times unanswered "
          "and a PTR query answered, the retry 17 s after the challenge -> 401 'nonce has changed' (no stale=true) -> "
          "the UA starts over without credentials -> 401 -> retry -> 200: flow 1 no retry after a nonce refresh "
          "(slow_retry with the UA's DNS), flow 2 accepted")
def slow_retry_dns(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    resolver, dns_src = ("192.168.1.1", 53), ("192.168.1.10", 40053)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req1 = register(ua, cid, 1, branch(cap.name, 1), tag)
    cap.udp(0.0, src, PROXY, req1, "req1")
    cap.udp(0.140, PROXY, src, c401(req1, DOMAIN, nonce(cap.name, 1), token("tag", cap.name, 1, length=8)), "chal1")
    for n, t in enumerate((0.400, 1.400, 3.400, 5.400, 9.400)):
        number = cap.dns(t, dns_src, resolver, 0x38D3, "_sip._udp." + DOMAIN)
        if n == 0:
            cap.marks["dns1"] = (number, 0, 0)
    cap.dns(17.200, dns_src, resolver, 0xAAD3, "1.0.0.127.in-addr.arpa")
    cap.dns(17.202, resolver, dns_src, 0xAAD3, "1.0.0.127.in-addr.arpa", response=True)
    retry = register(ua, cid, 2, branch(cap.name, 2), tag, auth=[www_auth(ua, DOMAIN, nonce(cap.name, 1))])
    cap.udp(17.240, src, PROXY, retry, "retry1")
    changed = response(retry, 401, "nonce has changed", token("tag", cap.name, 2, length=8),
                       [("WWW-Authenticate", challenge_header(DOMAIN, nonce(cap.name, 2)))])
    cap.udp(17.390, PROXY, src, changed, "chal2")
    req2 = register(ua, cid, 3, branch(cap.name, 3), tag)
    cap.udp(20.000, src, PROXY, req2, "req2")
    cap.udp(20.140, PROXY, src, c401(req2, DOMAIN, nonce(cap.name, 3), token("tag", cap.name, 3, length=8)), "chal3")
    retry2 = register(ua, cid, 4, branch(cap.name, 4), tag, auth=[www_auth(ua, DOMAIN, nonce(cap.name, 3))])
    cap.udp(20.300, src, PROXY, retry2, "retry2")
    cap.udp(20.450, PROXY, src, ok_register(retry2, token("tag", cap.name, "200", length=8), ua), "ok")

    cap.verdict(1, "no retry")
    cap.verdict(2, "accepted")
    cap.expect("req1", flow=1, role="request", challenge_frame="chal1", retry_frame="retry1")
    cap.expect("chal1", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req1",
               retry_frame="retry1", result_frame="chal2", result_code=401, ttr=("chal1", "retry1"),
               outcome="challenged_again", dns_queries=6, dns_unanswered=5, dns_frame="dns1")
    cap.expect("retry1", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="req1",
               challenge_frame="chal1", result_frame="chal2", result_code=401, ttr=("chal1", "retry1"),
               dns_queries=6, dns_unanswered=5, dns_frame="dns1")
    cap.expect("chal2", flow=1, role="challenge", attempt=2, challenge_code=401, request_frame="retry1",
               outcome="no_retry", experts="missing_retry,stale_nonce")
    cap.expect("req2", flow=2, role="request", challenge_frame="chal3", retry_frame="retry2")
    cap.expect("chal3", flow=2, role="challenge", attempt=1, challenge_code=401, request_frame="req2",
               retry_frame="retry2", result_frame="ok", result_code=200, ttr=("chal3", "retry2"), outcome="accepted")
    cap.expect("retry2", flow=2, role="retry", attempt=1, challenge_code=401, request_frame="req2",
               challenge_frame="chal3", result_frame="ok", result_code=200, ttr=("chal3", "retry2"))
    cap.expect("ok", flow=2, role="result", request_frame="retry2", challenge_frame="chal3")


@scenario("wrong password, below the loop threshold: REGISTER -> 401 -> retry -> 401 (new nonce, no stale) -> the UA "
          "gives up, 40 s of OPTIONS keepalives follow: refused (the UA gave up), not 'no retry'")
def register_401_refused(cap):
    ua, src = alice(), ("192.168.1.10", 5060)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    req = register(ua, cid, 1, branch(cap.name, 1), tag)
    cap.udp(0.0, src, PROXY, req, "req")
    cap.udp(0.004, PROXY, src, c401(req, DOMAIN, nonce(cap.name, 1), token("tag", cap.name, 1, length=8)), "chal1")
    retry = register(ua, cid, 2, branch(cap.name, 2), tag,
                     auth=[www_auth(ua, DOMAIN, nonce(cap.name, 1), password="wrong")])
    cap.udp(0.120, src, PROXY, retry, "retry")
    cap.udp(0.124, PROXY, src, c401(retry, DOMAIN, nonce(cap.name, 2), token("tag", cap.name, 2, length=8)), "chal2")
    for n in range(4):
        options_keepalive(cap, 10.0 * (n + 1), ua, n)

    cap.verdict(1, "refused")
    cap.expect("req", flow=1, role="request", challenge_frame="chal1", retry_frame="retry")
    cap.expect("chal1", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req",
               retry_frame="retry", result_frame="chal2", result_code=401, ttr=("chal1", "retry"),
               outcome="challenged_again")
    cap.expect("retry", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="req",
               challenge_frame="chal1", result_frame="chal2", result_code=401, ttr=("chal1", "retry"))
    cap.expect("chal2", flow=1, role="challenge", attempt=2, challenge_code=401, request_frame="retry",
               outcome="no_retry", experts="missing_retry,retry_challenged")


# ---------------------------------------------------------------------------------------------
# Large TCP segments, reassembled messages and the analysis bounds

def add_expectation(cap, label, experts=(), **fields):
    """Adds fields and experts to a message's expectation."""
    for at, (name, expected) in enumerate(cap.expectations):
        if name == label:
            merged = dict(expected, **fields)
            if experts:
                merged["experts"] = ",".join(sorted(set(filter(None, expected.get("experts", "").split(",")))
                                                    | set(experts)))
            cap.expectations[at] = (name, merged)
            return
    raise KeyError(label)


def expect_attacks(cap, refusals, threshold=5, window_s=60.0):
    """SPEC section 12: credential_attack where a source reaches `threshold` distinct user names with refusals
    within the window; refusals are (label of the refusing response, source address, user name)."""
    seen = {}
    for label, source, user in sorted(refusals, key=lambda r: cap.marks[r[0]][:2]):
        t = cap.time_of(label) / 1e6
        window = [(u, at) for u, at in seen.get(source, []) if at >= t - window_s] + [(user, t)]
        seen[source] = window
        users = {u for u, _ in window}
        alerted = source in seen.get("alerted", set())
        if len(users) >= threshold and not alerted:
            seen.setdefault("alerted", set()).add(source)
            add_expectation(cap, label, experts=["credential_attack"], attack_source=source,
                            attack_usernames=len(users))
        elif len(users) < threshold:
            seen.setdefault("alerted", set()).discard(source)


def expect_one_challenge(cap, flow, code, req, chal, retry, result, result_code, ack=None):
    """The expectations of a flow challenged once and retried once: accepted on a 2xx, rejected (403) otherwise."""
    accepted = 200 <= result_code < 300
    acked = dict(ack_frame=ack) if ack else {}
    cap.expect(req, flow=flow, role="request", challenge_frame=chal, retry_frame=retry)
    cap.expect(chal, flow=flow, role="challenge", attempt=1, challenge_code=code, request_frame=req, retry_frame=retry,
               result_frame=result, result_code=result_code, ttr=(chal, retry),
               outcome="accepted" if accepted else "rejected", experts="challenge_answered" if accepted else "",
               **acked)
    if ack:
        cap.expect(ack, flow=flow, role="ACK", request_frame=req, challenge_frame=chal)
    cap.expect(retry, flow=flow, role="retry", attempt=1, challenge_code=code, request_frame=req, challenge_frame=chal,
               result_frame=result, result_code=result_code, ttr=(chal, retry))
    cap.expect(result, flow=flow, role="result", request_frame=retry, challenge_frame=chal,
               experts="" if accepted else "retry_failed")


def sdp_large(ip, session, seed):
    """An audio + video offer with SRTP keys and ICE candidates, about 3 KB, as a softphone behind NAT sends."""
    lines = ["v=0", "o=- %d 2 IN IP4 %s" % (session, ip), "s=-", "c=IN IP4 %s" % ip, "t=0 0",
             "a=ice-ufrag:%s" % token("ufrag", seed, length=8), "a=ice-pwd:%s" % token("pwd", seed, length=24)]
    for media, port, codecs in (("audio", 40000, ((111, "opus/48000/2"), (9, "G722/8000"), (0, "PCMU/8000"),
                                                    (8, "PCMA/8000"), (101, "telephone-event/8000"))),
                                ("video", 40002, ((96, "VP8/90000"), (97, "rtx/90000"), (98, "H264/90000"),
                                                  (99, "rtx/90000"), (100, "red/90000")))):
        lines.append("m=%s %d RTP/SAVP %s" % (media, port, " ".join(str(pt) for pt, _ in codecs)))
        lines += ["a=rtpmap:%d %s" % codec for codec in codecs]
        lines += ["a=rtcp-fb:%d nack" % pt for pt, _ in codecs if media == "video"]
        lines += ["a=crypto:%d AES_CM_128_HMAC_SHA1_80 inline:%s" % (n, base64.b64encode(
            hashlib.sha256(("key/%s/%s/%d" % (seed, media, n)).encode()).digest()[:30]).decode()) for n in (1, 2)]
        for n in range(8):
            kind = ("host", "srflx", "relay")[n % 3]
            for component in (1, 2):                    # RTP and RTCP
                lines.append("a=candidate:%s %d udp %d 198.51.100.%d %d typ %s" % (
                    token("cand", seed, media, n, length=8), component, 2130706431 - n * 16777216 - component,
                    10 + n, port + 2 * n + component - 1, kind))
        lines += ["a=rtcp-mux", "a=sendrecv"]
    return "\r\n".join(lines) + "\r\n"


@scenario("TCP, messages cut across segments (MSS 1460): an INVITE with a 3 KB SDP in 3 segments -> 100 -> 407 -> "
          "ACK, retry INVITE and a REGISTER written back to back in 4 segments (the ACK's segment starts the retry, "
          "the retry ends where the REGISTER starts) -> 100 + 401 in one segment -> REGISTER retry -> the INVITE's "
          "200 (large SDP) and the REGISTER's 200 in 3 segments: each message belongs to the frame of its last "
          "byte, both flows accepted")
def tcp_reassembled_invite(cap):
    ua, client = alice("TCP"), ("192.168.1.10", 51230)
    conn = cap.tcp(0.0, client, PROXY)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    body = sdp_large(ua.ip, 4711, cap.name)
    req = ua.request("INVITE", BOB_URI, cid, 1, branch(cap.name, 1), tag, body=body)
    (req_span,) = conn.send_stream(0.001, True, [req], ["req"])
    conn.send(0.004, False, [response(req, 100, "Trying")])
    chal = c407(req, DOMAIN, nonce(cap.name), token("tag", cap.name, "407", length=8))
    conn.send(0.006, False, [chal], ["chal"])
    retry = ua.request("INVITE", BOB_URI, cid, 2, branch(cap.name, 2), tag, body=body,
                       auth=[proxy_auth(ua, DOMAIN, nonce(cap.name))])
    rcid, rtag = call_id(cap.name, "reg"), token("tag", cap.name, "reg", length=8)
    reg = register(ua, rcid, 1, branch(cap.name, "reg", 1), rtag)
    ack_span, retry_span, reg_span = conn.send_stream(0.140, True, [ack_for(req, chal), retry, reg],
                                                      ["ack", "retry", "rreq"])
    rchal = c401(reg, DOMAIN, nonce(cap.name, "reg"), token("tag", cap.name, "401", length=8))
    conn.send(0.143, False, [response(retry, 100, "Trying"), rchal], [None, "rchal"])
    rretry = register(ua, rcid, 2, branch(cap.name, "reg", 2), rtag, auth=[www_auth(ua, DOMAIN, nonce(cap.name, "reg"))])
    conn.send(0.190, True, [rretry], ["rretry"])
    bob_tag = token("tag", cap.name, "bob", length=8)
    ok = response(retry, 200, "OK", bob_tag, [("Contact", "<%s;transport=tcp>" % BOB_CONTACT)],
                  body=sdp_large("192.168.1.20", 9001, cap.name + "/bob"))
    ok_span, _ = conn.send_stream(1.200, False, [ok, ok_register(rretry, token("tag", cap.name, "200", length=8), ua)],
                                  ["ok", "rok"])
    conn.send(1.202, True, [ua.request("ACK", BOB_CONTACT, cid, 2, branch(cap.name, "ack2xx"), tag, to_uri=BOB_URI,
                                       to_tag=bob_tag)])
    # The point of the capture: the INVITE, its retry and the 200 are each cut across 3 or more segments, the
    # retry starts in the ACK's segment and ends in the one that starts the REGISTER.
    spans = (req_span, retry_span, ok_span)
    assert all(last - first >= 2 for first, last in spans), spans
    assert retry_span[0] == ack_span[1] and retry_span[1] == reg_span[0] < reg_span[1], (ack_span, retry_span, reg_span)

    expect_one_challenge(cap, 1, 407, "req", "chal", "retry", "ok", 200, ack="ack")
    expect_one_challenge(cap, 2, 401, "rreq", "rchal", "rretry", "rok", 200)
    cap.comments.append("Segments %d-%d carry the INVITE, %d-%d the retry, %d-%d the REGISTER, %d-%d the INVITE's 200: "
                        "the SIP dissector reassembles each message in the frame of its last segment."
                        % (req_span + retry_span + reg_span + ok_span))


# A SIP peering trunk over one TCP connection: both SBCs send requests on it (connection reuse) and each challenges
# the other's, so a segment carries new requests, challenges, ACKs, retries and results of many flows at once.
TRUNK_WEST = ("10.10.0.1", 5060)            # SBC of w.example ("west"), which opened the connection
TRUNK_EAST = ("10.20.0.1", 5060)            # SBC of e.example ("east")
TRUNK_WAVES = 3                             # waves of new flows on each side, one segment apart
TRUNK_FLOWS = 46                            # new flows per wave and side (even: INVITE, odd: REGISTER)


# Trunk messages are as short as valid SIP allows (default port, algorithm and registration interval left out,
# Call-IDs without a host, one Via: the SBCs are B2BUAs), so that 200+ of them fit in one 64 KiB segment.

def digest_short(realm, nonce_value):
    """An RFC 2069-style challenge: no qop, no opaque, MD5 by default."""
    return 'Digest realm="%s", nonce="%s"' % (realm, nonce_value)


def credentials_short(username, realm, nonce_value, uri, method, password="secret"):
    ha1, ha2 = md5("%s:%s:%s" % (username, realm, password)), md5("%s:%s" % (method, uri))
    return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s"'
            % (username, realm, nonce_value, uri, md5("%s:%s:%s" % (ha1, nonce_value, ha2))))


class TrunkFlow:
    """One INVITE or REGISTER flow through the trunk: request -> 407/401 -> [ACK] -> retry -> 200 or 403."""

    def __init__(self, cap, side, wave, n):
        self.side, self.wave, self.n = side, wave, n
        self.method = "INVITE" if n % 2 == 0 else "REGISTER"
        self.accepted = n % 8 != 5                      # every 8th retry is refused: wrong trunk password
        own, peer = (TRUNK_WEST, TRUNK_EAST) if side == "w" else (TRUNK_EAST, TRUNK_WEST)
        own_domain, self.realm = ("w.example", "e.example") if side == "w" else ("e.example", "w.example")
        self.label = "%s%d_%02d_" % (side, wave, n)
        self.user = "%s%d%02d" % (side, wave, n)
        seed = (cap.name, self.label)
        # An INVITE goes to a user of the peer's domain; a REGISTER registers the SBC's account there.
        if self.method == "INVITE":
            self.from_uri, self.to_uri = "sip:%s@%s" % (self.user, own_domain), "sip:%s9@%s" % (self.user, self.realm)
            ruri = self.to_uri
        else:
            self.from_uri = self.to_uri = "sip:%s@%s" % (self.user, self.realm)
            ruri = "sip:" + self.realm
        self.cid, self.tag = token("callid", *seed, length=12), token("tag", *seed, length=8)
        self.nonce = token("nonce", *seed, length=16)

        def request(cseq, br_seed, auth=None, method=None, to_tag=None, target=None):
            method = method or self.method
            headers = [("Via", "SIP/2.0/TCP %s;branch=%s" % (own[0], branch(*seed, br_seed))),
                       ("Max-Forwards", "70"), ("From", "<%s>;tag=%s" % (self.from_uri, self.tag)),
                       ("To", "<%s>" % self.to_uri + (";tag=" + to_tag if to_tag else "")),
                       ("Call-ID", self.cid), ("CSeq", "%d %s" % (cseq, method))]
            if method != "ACK":
                headers.append(("Contact", "<sip:%s@%s;transport=tcp>" % (self.user, own[0])))
            if auth:
                headers.append(auth)
            return Sip("%s %s SIP/2.0" % (method, target or ruri), headers)

        self.req = request(1, 1)
        code, reason, ask, answer = ((407, "Proxy Authentication Required", "Proxy-Authenticate", "Proxy-Authorization")
                                     if self.method == "INVITE" else (401, "Unauthorized", "WWW-Authenticate",
                                                                      "Authorization"))
        self.code = code
        self.chal = response(self.req, code, reason, token("tag", *seed, "chal", length=8),
                             [(ask, digest_short(self.realm, self.nonce))], server=None)
        self.ack = ack_for(self.req, self.chal) if self.method == "INVITE" else None
        self.retry = request(2, 2, (answer, credentials_short(self.user, self.realm, self.nonce, ruri, self.method,
                                                              "secret" if self.accepted else "wrong")))
        final_tag = token("tag", *seed, "final", length=8)
        callee = "sip:%s9@%s;transport=tcp" % (self.user, peer[0])       # the called user, behind the peer SBC
        if self.accepted:
            contact = ("<%s>" % callee if self.method == "INVITE"
                       else "<sip:%s@%s;transport=tcp>;expires=600" % (self.user, own[0]))
            self.result = response(self.retry, 200, "OK", final_tag, [("Contact", contact)], server=None)
        else:
            self.result = response(self.retry, 403, "Forbidden", final_tag, server=None)
        # The ACK of the INVITE's final response: a new transaction after a 2xx, the retry's branch after a 403.
        self.final_ack = None
        if self.method == "INVITE":
            self.final_ack = (request(2, "ack2xx", method="ACK", to_tag=final_tag, target=callee) if self.accepted
                              else ack_for(self.retry, self.result))

    def messages(self, stage):
        """(message, label) of one stage: 0 request, 1 challenge, 2 ACK and retry, 3 result."""
        if stage == 0:
            return [(self.req, self.label + "req")]
        if stage == 1:
            return [(self.chal, self.label + "chal")]
        if stage == 2:
            return ([(self.ack, self.label + "ack")] if self.ack else []) + [(self.retry, self.label + "retry")]
        return [(self.result, self.label + "result")]


@scenario("SIP peering trunk over one TCP connection (window scaling, segmentation offload): each SBC sends "
          "%d waves of %d INVITE/REGISTER flows and challenges the other's (407/401); requests, challenges, ACKs, "
          "retries and 200/403 results of many flows pile up in segments of up to 64 KiB, the largest with 200+ "
          "messages: %d flows, every message linked, every 8th retry refused (403)"
          % (TRUNK_WAVES, TRUNK_FLOWS, 2 * TRUNK_WAVES * TRUNK_FLOWS))
def tcp_trunk_big_segments(cap):
    conn = cap.tcp(0.0, (TRUNK_WEST[0], 39014), TRUNK_EAST, window_scale=7)
    flows = {(side, wave): [TrunkFlow(cap, side, wave, n) for n in range(TRUNK_FLOWS)]
             for side in "we" for wave in range(TRUNK_WAVES)}

    def stage(side, wave, number):
        return flows.get((side, wave), [None] * TRUNK_FLOWS), number

    # A flow of side s born in wave w: request in s's segment w, challenge in the peer's segment w (west) or w+1
    # (east, whose segment w comes after west's), ACK and retry one segment of s later, result one of the peer's.
    t = 0.001
    for k in range(TRUNK_WAVES + 2):
        for sender in "we":
            peer = "e" if sender == "w" else "w"
            lag = 0 if sender == "e" else 1            # west's segment k answers east's wave k-1
            parts = [stage(sender, k, 0), stage(sender, k - 1, 2), stage(peer, k - lag, 1), stage(peer, k - 1 - lag, 3)]
            batch = []
            for n in range(TRUNK_FLOWS):                # interleaved, as the flows' messages come in
                for group, number in parts:
                    if group[n] is not None:
                        batch += group[n].messages(number)
            if batch:
                conn.send(t, sender == "w", [m for m, _ in batch], [label for _, label in batch])
            t += 0.020
    # The ACKs of the INVITEs' 200s and 403s are in no flow: they close the capture, one segment per side.
    for sender in "we":
        acks = [f.final_ack for wave in range(TRUNK_WAVES) for f in flows[(sender, wave)] if f.final_ack]
        conn.send(t, sender == "w", acks)
        t += 0.002

    everyone = [f for group in flows.values() for f in group]
    everyone.sort(key=lambda f: cap.marks[f.label + "chal"][:2])   # the tracker numbers flows as challenged
    cap.trunk_flows = []                        # (flow number, TrunkFlow), for tests/stats/check_tables.py
    for number, f in enumerate(everyone, 1):
        expect_one_challenge(cap, number, f.code, f.label + "req", f.label + "chal", f.label + "retry",
                             f.label + "result", 200 if f.accepted else 403, ack=f.label + "ack" if f.ack else None)
        cap.trunk_flows.append((number, f))
    # Every 8th trunk account is refused: from one SBC, five user names within a second are a credential attack.
    expect_attacks(cap, [(f.label + "result", (TRUNK_WEST if f.side == "w" else TRUNK_EAST)[0], f.user)
                         for f in everyone if not f.accepted])
    big = [(n, count, len(data) - 14 - 20 - 20) for n, (count, (_, data)) in enumerate(zip(cap.sip_count, cap.frames), 1)
           if count >= 200]
    assert big, "no segment of 200+ messages"
    cap.comments.append("Segments of 200+ SIP messages: " + ", ".join(
        "frame %d (%d messages, %d bytes of TCP payload)" % row for row in big) + ".")


@scenario("hostile but valid SIP over UDP hitting the analysis bounds: an ordinary REGISTER flow (no bound); a 401 "
          "with 10 WWW-Authenticate realms (8 are examined); an INVITE flow whose Call-ID is 600 bytes (strings are "
          "kept to 512), every message of it; a 401 with a 10,000-byte nonce and the retry echoing it: "
          "analysis_truncated on exactly the messages past a bound, all four flows accepted")
def analysis_bounds(cap):
    src = ("192.168.1.10", 5060)
    # The ordinary flow: nothing cut.
    ua = alice()
    cid, tag = call_id(cap.name, "plain"), token("tag", cap.name, "plain", length=8)
    req = register(ua, cid, 1, branch(cap.name, "plain", 1), tag)
    cap.udp(0.0, src, PROXY, req, "p_req")
    cap.udp(0.004, PROXY, src, c401(req, DOMAIN, nonce(cap.name, "plain"), token("tag", cap.name, "p401", length=8)),
            "p_chal")
    retry = register(ua, cid, 2, branch(cap.name, "plain", 2), tag, auth=[www_auth(ua, DOMAIN, nonce(cap.name, "plain"))])
    cap.udp(0.104, src, PROXY, retry, "p_retry")
    cap.udp(0.110, PROXY, src, ok_register(retry, token("tag", cap.name, "p200", length=8), ua), "p_ok")

    # Ten realms in one 401; the UA holds credentials for the first one only.
    carol = UA("carol", DOMAIN, "192.168.1.11", 5060, display="Carol")
    csrc = (carol.ip, 5060)
    cid, tag = call_id(cap.name, "realms", carol.ip), token("tag", cap.name, "realms", length=8)
    req = register(carol, cid, 1, branch(cap.name, "realms", 1), tag)
    cap.udp(1.0, csrc, PROXY, req, "r_req")
    realms = [DOMAIN] + ["site%d.example.com" % n for n in range(1, 10)]
    chal = response(req, 401, "Unauthorized", token("tag", cap.name, "r401", length=8),
                    [("WWW-Authenticate", challenge_header(realm, nonce(cap.name, "realms/" + realm))) for realm in realms])
    cap.udp(1.004, PROXY, csrc, chal, "r_chal")
    retry = register(carol, cid, 2, branch(cap.name, "realms", 2), tag,
                     auth=[www_auth(carol, DOMAIN, nonce(cap.name, "realms/" + DOMAIN))])
    cap.udp(1.104, csrc, PROXY, retry, "r_retry")
    cap.udp(1.110, PROXY, csrc, ok_register(retry, token("tag", cap.name, "r200", length=8), carol), "r_ok")

    # A 600-byte Call-ID: every message of the flow carries it.
    cid, tag = "%s@192.168.1.10" % (token("long", cap.name, length=64) * 10)[:600 - len("@192.168.1.10")], \
        token("tag", cap.name, "long", length=8)
    assert len(cid) == 600
    req = invite(ua, cid, 1, branch(cap.name, "long", 1), tag)
    cap.udp(2.0, src, PROXY, req, "l_req")
    chal = c407(req, DOMAIN, nonce(cap.name, "long"), token("tag", cap.name, "l407", length=8))
    cap.udp(2.006, PROXY, src, chal, "l_chal")
    cap.udp(2.007, src, PROXY, ack_for(req, chal), "l_ack")
    retry = invite(ua, cid, 2, branch(cap.name, "long", 2), tag, auth=[proxy_auth(ua, DOMAIN, nonce(cap.name, "long"))])
    cap.udp(2.137, src, PROXY, retry, "l_retry")
    bob_tag = token("tag", cap.name, "bob", length=8)
    cap.udp(3.500, PROXY, src, ok_invite(retry, bob_tag), "l_ok")
    cap.udp(3.502, src, PROXY, ua.request("ACK", BOB_CONTACT, cid, 2, branch(cap.name, "ack2xx"), tag, to_uri=BOB_URI,
                                          to_tag=bob_tag))

    # A 10,000-byte nonce, echoed by the retry (one frame each: a host with a 64 KiB MTU or GRO captures it so).
    dave = UA("dave", DOMAIN, "192.168.1.12", 5060, display="Dave")
    dsrc = (dave.ip, 5060)
    cid, tag = call_id(cap.name, "nonce", dave.ip), token("tag", cap.name, "nonce", length=8)
    big = "".join(token("bignonce", cap.name, n, length=64) for n in range(157))[:10000]
    req = register(dave, cid, 1, branch(cap.name, "nonce", 1), tag)
    cap.udp(4.0, dsrc, PROXY, req, "n_req")
    cap.udp(4.004, PROXY, dsrc, c401(req, DOMAIN, big, token("tag", cap.name, "n401", length=8)), "n_chal")
    retry = register(dave, cid, 2, branch(cap.name, "nonce", 2), tag, auth=[www_auth(dave, DOMAIN, big)])
    cap.udp(4.104, dsrc, PROXY, retry, "n_retry")
    cap.udp(4.110, PROXY, dsrc, ok_register(retry, token("tag", cap.name, "n200", length=8), dave), "n_ok")

    expect_one_challenge(cap, 1, 401, "p_req", "p_chal", "p_retry", "p_ok", 200)
    expect_one_challenge(cap, 2, 401, "r_req", "r_chal", "r_retry", "r_ok", 200)
    expect_one_challenge(cap, 3, 407, "l_req", "l_chal", "l_retry", "l_ok", 200, ack="l_ack")
    expect_one_challenge(cap, 4, 401, "n_req", "n_chal", "n_retry", "n_ok", 200)
    cap.comments.append("analysis_truncated comes from gen_pcaps.hits_analysis_bound(): a message whose Call-ID, tag, "
                        "branch, URI, realm, nonce or username exceeds %d bytes, or with more than %d challenges or "
                        "credentials of one kind, or more than %d Via lines." % (SA_MAX_STRING, SA_MAX_REALMS,
                                                                                SA_MSG_MAX_VIA))


# ---------------------------------------------------------------------------------------------
# Credential correctness (SPEC section 10): one capture per secret-free check (no credentials table: every retry
# is not_checked), verification captures whose case gives tshark a credentials table (args: line), bad input.

def digest_challenge(realm, nonce_value, algorithm="MD5", qop="auth", opaque=True, stale=False, extra=""):
    """A Digest challenge; algorithm, qop or opaque None leaves the parameter out (opaque True: opaque_of(realm))."""
    parts = ['realm="%s"' % realm, 'nonce="%s"' % nonce_value]
    if opaque:
        parts.append('opaque="%s"' % (opaque_of(realm) if opaque is True else opaque))
    if algorithm:
        parts.append("algorithm=%s" % algorithm)
    if qop:
        parts.append('qop="%s"' % qop)
    if stale:
        parts.append("stale=true")
    return "Digest " + ", ".join(parts) + extra


def digest_credentials(username, realm, nonce_value, uri, method, password="", ha1=None, algorithm="MD5", qop="auth",
                       nc="00000001", opaque=True, userhash=False, body="", algorithm_param=True, response=None,
                       omit=(), extra=(), first=()):
    """The credentials a UA computes (RFC 7616): the response from password (or ha1) unless given, opaque True echoes
    opaque_of(realm) (None: none), userhash sends H(username:realm). omit leaves parameters out after the response is
    computed; first and extra are raw parameters written before and after the others."""
    cnonce = token("cnonce", username, nonce_value, length=16)
    if response is None:
        response = digest_response_of(algorithm, username, realm, method, uri, nonce_value, password=password, ha1=ha1,
                                      qop=qop, nc=nc, cnonce=cnonce, body=body)
    sent = hash_hex(algorithm, "%s:%s" % (username, realm)) if userhash else username
    params = [("username", '"%s"' % sent), ("realm", '"%s"' % realm), ("nonce", '"%s"' % nonce_value),
              ("uri", '"%s"' % uri), ("response", '"%s"' % response)]
    if algorithm_param:
        params.append(("algorithm", algorithm))
    if qop:
        params += [("cnonce", '"%s"' % cnonce), ("qop", qop), ("nc", nc)]
    if opaque:
        params.append(("opaque", '"%s"' % (opaque_of(realm) if opaque is True else opaque)))
    if userhash:
        params.append(("userhash", "true"))
    params = [p for p in params if p[0] not in omit]
    return "Digest " + ", ".join(list(first) + ["%s=%s" % p for p in params] + list(extra))


RESULT_REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 403: "Forbidden"}


def cred_flow(cap, flow, label, t, ua, challenges, credentials, result=200, method="REGISTER", code=401, ruri=None,
              body="", body_type="text/plain", request_auth=(), retry_experts="", challenge_experts="",
              credentials_value=None, reason=None, retry_body=None):
    """request -> challenge (401 or 407 with the challenges given) -> [ACK] -> retry carrying credentials -> result:
    a 2xx (200, 202), a failure (403, 400) or "giveup" (challenged again with a fresh nonce, the UA gives up).
    credentials is one header value or a list of (header, value); credentials_value and reason state what the
    verification gives (a capture with a table must state it). Returns the labels of the flow's messages."""
    src = (ua.ip, ua.port)
    cid, tag = call_id(cap.name, label, ua.ip), token("tag", cap.name, label, length=8)
    ruri = ruri or ("sip:" + DOMAIN if method == "REGISTER" else BOB_URI)
    ask, answer, _ = auth_kinds(code)
    extra = [("Expires", "3600")] if method == "REGISTER" else []
    to_uri = ua.aor if method == "REGISTER" else None
    body_of = lambda b: b if method != "REGISTER" else ""
    req = ua.request(method, ruri, cid, 1, branch(cap.name, label, 1), tag, to_uri=to_uri, auth=list(request_auth),
                     extra=extra, body=body_of(body), body_type=body_type)
    cap.udp(t, src, PROXY, req, label + "req")
    reason_phrase = "Unauthorized" if code == 401 else "Proxy Authentication Required"
    chal = response(req, code, reason_phrase, token("tag", cap.name, label, "chal", length=8),
                    [(ask, c) for c in challenges])
    cap.udp(t + 0.004, PROXY, src, chal, label + "chal")
    invite = method == "INVITE"
    if invite:
        cap.udp(t + 0.005, src, PROXY, ack_for(req, chal), label + "ack")
    auth = [(answer, credentials)] if isinstance(credentials, str) else list(credentials)
    retry = ua.request(method, ruri, cid, 2, branch(cap.name, label, 2), tag, to_uri=to_uri, auth=auth, extra=extra,
                       body=body_of(body if retry_body is None else retry_body), body_type=body_type)
    cap.udp(t + 0.104, src, PROXY, retry, label + "retry")
    final_tag = token("tag", cap.name, label, "final", length=8)
    if result == "giveup":
        again = response(retry, code, reason_phrase, final_tag,
                         [(ask, digest_challenge(DOMAIN, nonce(cap.name, label + "/again")))])
        cap.udp(t + 0.110, PROXY, src, again, label + "again")
        if invite:
            cap.udp(t + 0.111, src, PROXY, ack_for(retry, again), label + "ack2")
    elif invite and result == 200:
        cap.udp(t + 0.110, PROXY, src, ok_invite(retry, final_tag), label + "result")
        cap.udp(t + 0.111, src, PROXY, ua.request("ACK", BOB_CONTACT, cid, 2, branch(cap.name, label, "ack2xx"), tag,
                                                  to_uri=BOB_URI, to_tag=final_tag))
    else:
        extra_hdr = [("Contact", "<sip:%s@%s>;expires=3600" % (ua.user, hostport(ua.ip, ua.port)))] \
            if method == "REGISTER" and result == 200 else []
        final = response(retry, result, RESULT_REASONS[result], final_tag, extra_hdr)
        cap.udp(t + 0.110, PROXY, src, final, label + "result")
        if invite:
            cap.udp(t + 0.111, src, PROXY, ack_for(retry, final))

    names = {n: label + n for n in ("req", "chal", "ack", "retry", "result", "again", "ack2")}
    acked = dict(ack_frame=names["ack"]) if invite else {}
    cap.expect(names["req"], flow=flow, role="request", challenge_frame=names["chal"], retry_frame=names["retry"])
    stated = dict(credentials=credentials_value) if credentials_value else {}
    if reason:
        stated["reason"] = reason
    if result == "giveup":
        cap.expect(names["chal"], flow=flow, role="challenge", attempt=1, challenge_code=code,
                   request_frame=names["req"], retry_frame=names["retry"], result_frame=names["again"],
                   result_code=code, ttr=(names["chal"], names["retry"]), outcome="challenged_again",
                   experts=challenge_experts, **acked)
        cap.expect(names["retry"], flow=flow, role="retry", attempt=1, challenge_code=code, request_frame=names["req"],
                   challenge_frame=names["chal"], result_frame=names["again"], result_code=code,
                   ttr=(names["chal"], names["retry"]), experts=retry_experts, **stated)
        again_ack = dict(ack_frame=names["ack2"]) if invite else {}
        cap.expect(names["again"], flow=flow, role="challenge", attempt=2, challenge_code=code,
                   request_frame=names["retry"], outcome="no_retry", experts="missing_retry,retry_challenged",
                   **again_ack)
        if invite:
            cap.expect(names["ack2"], flow=flow, role="ACK", request_frame=names["retry"], challenge_frame=names["again"])
    else:
        accepted = 200 <= result < 300
        cap.expect(names["chal"], flow=flow, role="challenge", attempt=1, challenge_code=code,
                   request_frame=names["req"], retry_frame=names["retry"], result_frame=names["result"],
                   result_code=result, ttr=(names["chal"], names["retry"]),
                   outcome="accepted" if accepted else "rejected",
                   experts=",".join(e for e in (challenge_experts, "challenge_answered" if accepted else "") if e),
                   **acked)
        cap.expect(names["retry"], flow=flow, role="retry", attempt=1, challenge_code=code, request_frame=names["req"],
                   challenge_frame=names["chal"], result_frame=names["result"], result_code=result,
                   ttr=(names["chal"], names["retry"]), experts=retry_experts, **stated)
        cap.expect(names["result"], flow=flow, role="result", request_frame=names["retry"],
                   challenge_frame=names["chal"], experts="" if accepted else "retry_failed")
    if invite:
        cap.expect(names["ack"], flow=flow, role="ACK", request_frame=names["req"], challenge_frame=names["chal"])
    return names


def user(name, n):
    """A user of example.com on its own host (192.168.2.n), so that every flow of a capture has its own UA."""
    return UA(name, DOMAIN, "192.168.2.%d" % n, 5060, display=name.capitalize())


def retry_of(cap, ua, method, uri, nonce_value, **kw):
    """The credentials of a retry of ua, with its password of the scenarios ("secret")."""
    kw.setdefault("password", "secret")
    return digest_credentials(ua.user, DOMAIN, nonce_value, uri, method, **kw)


@scenario("uri_mismatch: MESSAGE flows to bob whose credentials carry uri=sip:carol@example.com (400) or no uri "
          "(400), a REGISTER whose uri adds the default port 5060 to the Request-URI (400: RFC 3261 19.1.4 tells them "
          "apart), and two the same as SIP URIs though not byte for byte: host in capitals and %62 for 'b' (202)")
def cred_uri_mismatch(cap):
    ruri, m = BOB_URI, "MESSAGE"
    text = "Lunch at noon?"
    cases = [("other", "sip:carol@example.com", 400, "uri_mismatch"),
             ("nouri", None, 400, "uri_mismatch"),
             ("hostcase", "sip:bob@EXAMPLE.COM", 202, ""),
             ("escaped", "sip:%62ob@example.com", 202, "")]
    for n, (label, uri, result, experts) in enumerate(cases, 1):
        ua = user("alice", n)
        n_ = nonce(cap.name, label)
        cred = retry_of(cap, ua, m, uri or ruri, n_, omit=("uri",) if uri is None else ())
        cred_flow(cap, n, label, float(n - 1), ua, [digest_challenge(DOMAIN, n_)], cred, result=result, method=m,
                  code=407, body=text, retry_experts=experts)
    ua = user("alice", 5)
    n_ = nonce(cap.name, "port")
    cred_flow(cap, 5, "port", 4.0, ua, [digest_challenge(DOMAIN, n_)],
              retry_of(cap, ua, "REGISTER", "sip:example.com:5060", n_), result=400, retry_experts="uri_mismatch")


@scenario("algorithm_not_offered: a 401 offering MD5 answered with SHA-256, one without algorithm (MD5) answered with "
          "MD5-sess, one offering SHA-256 answered without algorithm (MD5), all refused (403); a 401 without algorithm "
          "answered without algorithm: MD5 both, accepted")
def cred_algorithm_not_offered(cap):
    cases = [("sha", "MD5", "SHA-256", True, 403, "algorithm_not_offered"),
             ("sess", None, "MD5-sess", True, 403, "algorithm_not_offered"),
             ("absent", "SHA-256", "MD5", False, 403, "algorithm_not_offered"),
             ("both", None, "MD5", False, 200, "")]
    for n, (label, offered, used, with_param, result, experts) in enumerate(cases, 1):
        ua = user("bob", n)
        n_ = nonce(cap.name, label)
        cred_flow(cap, n, label, float(n - 1), ua, [digest_challenge(DOMAIN, n_, algorithm=offered)],
                  retry_of(cap, ua, "REGISTER", "sip:" + DOMAIN, n_, algorithm=used, algorithm_param=with_param),
                  result=result, retry_experts=experts)


@scenario("algorithm_downgrade (RFC 8760): 401s with several WWW-Authenticate of one realm, each its own nonce: "
          "SHA-256 and MD5 answered with MD5 (downgrade), the same answered with SHA-256, SHA-512-256 + SHA-256 + MD5 "
          "answered with SHA-256 (downgrade), SHA-256-sess and SHA-256 answered with SHA-256 (as strong: none); all 200")
def cred_algorithm_downgrade(cap):
    cases = [("md5", ("SHA-256", "MD5"), "MD5", "algorithm_downgrade"),
             ("sha", ("SHA-256", "MD5"), "SHA-256", ""),
             ("three", ("SHA-512-256", "SHA-256", "MD5"), "SHA-256", "algorithm_downgrade"),
             ("sess", ("SHA-256-sess", "SHA-256"), "SHA-256", "")]
    for n, (label, offered, used, experts) in enumerate(cases, 1):
        ua = user("carol", n)
        nonces = {alg: nonce(cap.name, label + "/" + alg) for alg in offered}
        cred_flow(cap, n, label, float(n - 1), ua, [digest_challenge(DOMAIN, nonces[a], algorithm=a) for a in offered],
                  retry_of(cap, ua, "REGISTER", "sip:" + DOMAIN, nonces[used], algorithm=used), retry_experts=experts)


@scenario("qop_mismatch: qop=auth offered and credentials without qop (RFC 2069 style, 200); no qop offered and "
          "qop=auth used (200); qop=auth used without cnonce and nc (400); auth offered and auth-int used (403); "
          "auth,auth-int offered and auth-int used over the (empty) body (200, no finding)")
def cred_qop_mismatch(cap):
    cases = [("notused", "auth", None, (), 200, "qop_mismatch"),
             ("notoffered", None, "auth", (), 200, "qop_mismatch"),
             ("nocnonce", "auth", "auth", ("cnonce", "nc"), 400, "qop_mismatch"),
             ("int", "auth", "auth-int", (), 403, "qop_mismatch"),
             ("fine", "auth,auth-int", "auth-int", (), 200, "")]
    for n, (label, offered, used, omit, result, experts) in enumerate(cases, 1):
        ua = user("dave", n)
        n_ = nonce(cap.name, label)
        cred_flow(cap, n, label, float(n - 1), ua, [digest_challenge(DOMAIN, n_, qop=offered)],
                  retry_of(cap, ua, "REGISTER", "sip:" + DOMAIN, n_, qop=used, omit=omit), result=result,
                  retry_experts=experts)


@scenario("nc_not_incremented: REGISTER -> 401 nonce N -> retry nc=1 -> 401 with the same nonce N again (no stale) -> "
          "retry nc=1 again (nc_not_incremented) -> 200; the same flow with nc=2 on the second retry (no finding); a "
          "REGISTER reusing an earlier registration's nonce with nc=3 -> 401 with that nonce -> retry nc=3 "
          "(nc_not_incremented) -> 200")
def cred_nc_not_incremented(cap):
    for n, (label, second_nc, experts) in enumerate((("same", "00000001", "nc_not_incremented"),
                                                     ("next", "00000002", "")), 1):
        ua, t = user("erin", n), float(n - 1)
        src = (ua.ip, ua.port)
        cid, tag = call_id(cap.name, label, ua.ip), token("tag", cap.name, label, length=8)
        n_ = nonce(cap.name, label)
        req = register(ua, cid, 1, branch(cap.name, label, 1), tag)
        cap.udp(t, src, PROXY, req, label + "req")
        cap.udp(t + 0.004, PROXY, src, response(req, 401, "Unauthorized", token("tag", cap.name, label, 1, length=8),
                                                [("WWW-Authenticate", digest_challenge(DOMAIN, n_))]), label + "chal1")
        retry1 = register(ua, cid, 2, branch(cap.name, label, 2), tag, auth=[(
            "Authorization", retry_of(cap, ua, "REGISTER", "sip:" + DOMAIN, n_))])
        cap.udp(t + 0.104, src, PROXY, retry1, label + "retry1")
        cap.udp(t + 0.108, PROXY, src, response(retry1, 401, "Unauthorized", token("tag", cap.name, label, 2, length=8),
                                                [("WWW-Authenticate", digest_challenge(DOMAIN, n_))]), label + "chal2")
        retry2 = register(ua, cid, 3, branch(cap.name, label, 3), tag, auth=[(
            "Authorization", retry_of(cap, ua, "REGISTER", "sip:" + DOMAIN, n_, nc=second_nc))])
        cap.udp(t + 0.208, src, PROXY, retry2, label + "retry2")
        cap.udp(t + 0.214, PROXY, src, ok_register(retry2, token("tag", cap.name, label, "200", length=8), ua),
                label + "ok")
        L = lambda x: label + x
        cap.expect(L("req"), flow=n, role="request", challenge_frame=L("chal1"), retry_frame=L("retry1"))
        cap.expect(L("chal1"), flow=n, role="challenge", attempt=1, challenge_code=401, request_frame=L("req"),
                   retry_frame=L("retry1"), result_frame=L("chal2"), result_code=401, ttr=(L("chal1"), L("retry1")),
                   outcome="challenged_again")
        cap.expect(L("retry1"), flow=n, role="retry", attempt=1, challenge_code=401, request_frame=L("req"),
                   challenge_frame=L("chal1"), result_frame=L("chal2"), result_code=401, ttr=(L("chal1"), L("retry1")))
        cap.expect(L("chal2"), flow=n, role="challenge", attempt=2, challenge_code=401, request_frame=L("retry1"),
                   retry_frame=L("retry2"), result_frame=L("ok"), result_code=200, ttr=(L("chal2"), L("retry2")),
                   outcome="accepted", experts="retry_challenged,challenge_answered")
        cap.expect(L("retry2"), flow=n, role="retry", attempt=2, challenge_code=401, request_frame=L("retry1"),
                   challenge_frame=L("chal2"), result_frame=L("ok"), result_code=200, ttr=(L("chal2"), L("retry2")),
                   experts=experts)
        cap.expect(L("ok"), flow=n, role="result", request_frame=L("retry2"), challenge_frame=L("chal2"))
    ua = user("erin", 3)
    old = nonce(cap.name, "old")
    cred_flow(cap, 3, "reuse", 2.0, ua, [digest_challenge(DOMAIN, old)],
              retry_of(cap, ua, "REGISTER", "sip:" + DOMAIN, old, nc="00000003"),
              request_auth=[("Authorization", retry_of(cap, ua, "REGISTER", "sip:" + DOMAIN, old, nc="00000003"))],
              retry_experts="nc_not_incremented")


@scenario("opaque_mismatch: a 401 with opaque answered without it (403) and with another opaque (403); a 401 "
          "without opaque answered with one (200, no finding: nothing was offered)")
def cred_opaque_mismatch(cap):
    cases = [("missing", True, None, 403, "opaque_mismatch"),
             ("changed", True, "0123456789abcdef", 403, "opaque_mismatch"),
             ("unasked", None, "0123456789abcdef", 200, "")]
    for n, (label, offered, echoed, result, experts) in enumerate(cases, 1):
        ua = user("frank", n)
        n_ = nonce(cap.name, label)
        cred_flow(cap, n, label, float(n - 1), ua, [digest_challenge(DOMAIN, n_, opaque=offered)],
                  retry_of(cap, ua, "REGISTER", "sip:" + DOMAIN, n_, opaque=echoed), result=result,
                  retry_experts=experts)


@scenario("response_malformed: credentials without response (400), SHA-256 credentials with a 32-digit (MD5-long) "
          "response (403), MD5 credentials whose 32-character response is not hex (403)")
def cred_response_malformed(cap):
    cases = [("missing", "MD5", None, ("response",), 400),
             ("short", "SHA-256", token("short", cap.name, length=32), (), 403),
             ("nothex", "MD5", "zz" + token("nothex", cap.name, length=30), (), 403)]
    for n, (label, alg, resp, omit, result) in enumerate(cases, 1):
        ua = user("grace", n)
        n_ = nonce(cap.name, label)
        cred_flow(cap, n, label, float(n - 1), ua, [digest_challenge(DOMAIN, n_, algorithm=alg)],
                  retry_of(cap, ua, "REGISTER", "sip:" + DOMAIN, n_, algorithm=alg, response=resp, omit=omit),
                  result=result, retry_experts="response_malformed")


@scenario("username_changed: REGISTER -> 401 -> retry as alice -> 401 (refused) -> the user retypes the account, "
          "retry as alice.smith -> 200: username_changed on the second retry")
def cred_username_changed(cap):
    ua = alice()
    src = (ua.ip, ua.port)
    cid, tag = call_id(cap.name), token("tag", cap.name, length=8)
    n1, n2 = nonce(cap.name, 1), nonce(cap.name, 2)
    req = register(ua, cid, 1, branch(cap.name, 1), tag)
    cap.udp(0.0, src, PROXY, req, "req")
    cap.udp(0.004, PROXY, src, response(req, 401, "Unauthorized", token("tag", cap.name, 1, length=8),
                                        [("WWW-Authenticate", digest_challenge(DOMAIN, n1))]), "chal1")
    retry1 = register(ua, cid, 2, branch(cap.name, 2), tag, auth=[(
        "Authorization", digest_credentials("alice", DOMAIN, n1, "sip:" + DOMAIN, "REGISTER", password="secret"))])
    cap.udp(0.104, src, PROXY, retry1, "retry1")
    cap.udp(0.108, PROXY, src, response(retry1, 401, "Unauthorized", token("tag", cap.name, 2, length=8),
                                        [("WWW-Authenticate", digest_challenge(DOMAIN, n2))]), "chal2")
    retry2 = register(ua, cid, 3, branch(cap.name, 3), tag, auth=[(
        "Authorization", digest_credentials("alice.smith", DOMAIN, n2, "sip:" + DOMAIN, "REGISTER",
                                            password="secret"))])
    cap.udp(6.300, src, PROXY, retry2, "retry2")
    cap.udp(6.306, PROXY, src, ok_register(retry2, token("tag", cap.name, "200", length=8), ua), "ok")
    cap.expect("req", flow=1, role="request", challenge_frame="chal1", retry_frame="retry1")
    cap.expect("chal1", flow=1, role="challenge", attempt=1, challenge_code=401, request_frame="req",
               retry_frame="retry1", result_frame="chal2", result_code=401, ttr=("chal1", "retry1"),
               outcome="challenged_again")
    cap.expect("retry1", flow=1, role="retry", attempt=1, challenge_code=401, request_frame="req",
               challenge_frame="chal1", result_frame="chal2", result_code=401, ttr=("chal1", "retry1"))
    cap.expect("chal2", flow=1, role="challenge", attempt=2, challenge_code=401, request_frame="retry1",
               retry_frame="retry2", result_frame="ok", result_code=200, ttr=("chal2", "retry2"), outcome="accepted",
               experts="retry_challenged,challenge_answered")
    cap.expect("retry2", flow=1, role="retry", attempt=2, challenge_code=401, request_frame="retry1",
               challenge_frame="chal2", result_frame="ok", result_code=200, ttr=("chal2", "retry2"),
               experts="username_changed")
    cap.expect("ok", flow=1, role="result", request_frame="retry2", challenge_frame="chal2")


BEARER_CHALLENGE = 'Bearer realm="example.com", scope="sip:example.com", authz_server="https://auth.example.com/token"'


def bearer_token(*seed):
    """An RFC 8898 access token as a JWS compact serialisation (header.claims.signature, base64url)."""
    b64 = lambda data: base64.urlsafe_b64encode(data).decode().rstrip("=")
    claims = '{"iss":"https://auth.example.com","sub":"alice@example.com","aud":"sip:example.com","exp":1700003600}'
    return "Bearer %s.%s.%s" % (b64(b'{"alg":"RS256","typ":"JWT"}'), b64(claims.encode()),
                                b64(hashlib.sha256("/".join(map(str, seed)).encode()).digest() * 8))


@scenario("Bearer (RFC 8898): a 401 with a Bearer challenge only, and one with a Digest and a Bearer challenge, both "
          "answered with Authorization: Bearer and accepted: credentials cannot be checked (not the Digest scheme), "
          "and no credential finding on them")
def cred_bearer(cap):
    for n, (label, challenges) in enumerate((("only", [BEARER_CHALLENGE]),
                                             ("both", [digest_challenge(DOMAIN, nonce(cap.name, "both")),
                                                       BEARER_CHALLENGE])), 1):
        cred_flow(cap, n, label, float(n - 1), user("alice", n), challenges, bearer_token(cap.name, label),
                  credentials_value="cannot_check", reason="scheme")


def password_of(name):
    """A user's password in the verification captures: distinctive, so that tests/e2e/check_secrets.sh can tell that
    it appears nowhere in tshark's output."""
    return "Pw-%s-%s" % (name, token("password", name, length=10))


def table_user(cap, name, n, realm="", kind="password"):
    """A UA whose password (or its HA1: kind "ha1" MD5, "ha1-sha256") is in the capture's table; kind None: no row."""
    ua = user(name, n)
    if kind == "password":
        cap.table.append(credentials_row(name, realm, password=password_of(name)))
    elif kind and kind.startswith("ha1"):
        alg = "SHA-256" if kind == "ha1-sha256" else "MD5"
        cap.table.append(credentials_row(name, realm, ha1=hash_hex(alg, "%s:%s:%s" % (name, DOMAIN, password_of(name)))))
    return ua


def verified_flow(cap, flow, label, t, name, n, algorithm="MD5", qop="auth", challenge_qop=None, wrong=False,
                  result=200, row="password", row_realm="", userhash=False, value="correct", method="REGISTER",
                  code=401, body="", sent_body=None, reason=None, retry_experts=None):
    """One flow of a verification capture: the user's row in the table, a challenge offering algorithm, the retry
    computed with the user's password (or a wrong one), the verification stated (value, reason)."""
    ua = table_user(cap, name, n, row_realm, row)
    n_ = nonce(cap.name, label)
    chal = digest_challenge(DOMAIN, n_, algorithm=algorithm, qop=challenge_qop if challenge_qop is not None else qop,
                            extra=", userhash=true" if userhash else "")
    ruri = "sip:" + DOMAIN if method == "REGISTER" else BOB_URI
    cred = digest_credentials(name, DOMAIN, n_, ruri, method, password="wrong" if wrong else password_of(name),
                              algorithm=algorithm, qop=qop, userhash=userhash,
                              body=body if sent_body is None else sent_body)
    if retry_experts is None:
        retry_experts = "correct_credentials_refused" if value == "correct" and (result in ("giveup", 403)) else ""
    return cred_flow(cap, flow, label, t, ua, [chal], cred, result=result, method=method, code=code, body=body,
                     credentials_value=value, reason=reason, retry_experts=retry_experts)


@scenario("verification, MD5 (the case gives tshark a credentials table): qop none, qop auth (the row's realm "
          "example.com), a wrong password (401 again, the UA gives up), MD5-sess, a row with an HA1 instead of a "
          "password (right, and a wrong password: 403), a user absent from the table and one whose row is for "
          "another realm (not checked)")
def cred_verify_md5(cap):
    verified_flow(cap, 1, "noqop", 0.0, "ann", 1, qop=None)
    verified_flow(cap, 2, "auth", 1.0, "ben", 2, row_realm=DOMAIN)
    verified_flow(cap, 3, "wrong", 2.0, "cleo", 3, wrong=True, result="giveup", value="wrong")
    verified_flow(cap, 4, "sess", 3.0, "dina", 4, algorithm="MD5-sess")
    verified_flow(cap, 5, "ha1", 4.0, "eli", 5, row="ha1")
    verified_flow(cap, 6, "ha1wrong", 5.0, "fay", 6, row="ha1", wrong=True, result=403, value="wrong")
    verified_flow(cap, 7, "absent", 6.0, "gus", 7, row=None, value="not_checked")
    verified_flow(cap, 8, "realm", 7.0, "hal", 8, row_realm="other.example", value="not_checked")


@scenario("verification, SHA-256 and SHA-512-256 (RFC 7616, RFC 8760) with the table: SHA-256 right and wrong (403), "
          "SHA-256-sess, SHA-512-256 right and wrong (401 again, the UA gives up), SHA-512-256-sess, userhash=true with "
          "SHA-256 (right) and SHA-512-256 (wrong password, 403), a row with a SHA-256 HA1")
def cred_verify_sha(cap):
    verified_flow(cap, 1, "sha256", 0.0, "ivy", 1, algorithm="SHA-256")
    verified_flow(cap, 2, "sha256wrong", 1.0, "jon", 2, algorithm="SHA-256", wrong=True, result=403, value="wrong")
    verified_flow(cap, 3, "sha256sess", 2.0, "kim", 3, algorithm="SHA-256-sess")
    verified_flow(cap, 4, "sha512", 3.0, "lou", 4, algorithm="SHA-512-256")
    verified_flow(cap, 5, "sha512wrong", 4.0, "max", 5, algorithm="SHA-512-256", wrong=True, result="giveup",
                  value="wrong")
    verified_flow(cap, 6, "sha512sess", 5.0, "ned", 6, algorithm="SHA-512-256-sess")
    verified_flow(cap, 7, "userhash", 6.0, "oda", 7, algorithm="SHA-256", userhash=True)
    verified_flow(cap, 8, "userhashwrong", 7.0, "pia", 8, algorithm="SHA-512-256", userhash=True, wrong=True,
                  result=403, value="wrong")
    verified_flow(cap, 9, "ha1sha", 8.0, "quin", 9, algorithm="SHA-256", row="ha1-sha256")


MESSAGE_TEXT = "Running late, start without me. I will call in from the train at ten past."


@scenario("verification of qop=auth-int (the body is hashed as captured) with the table: a MESSAGE with a text "
          "body (MD5), an INVITE with SDP answered after a 407 offering auth,auth-int (SHA-256), a REGISTER with an "
          "empty body; a MESSAGE whose UA hashed another text than the body it sent (wrong, 403)")
def cred_verify_auth_int(cap):
    verified_flow(cap, 1, "message", 0.0, "rae", 1, qop="auth-int", method="MESSAGE", code=407, body=MESSAGE_TEXT,
                  result=202)
    verified_flow(cap, 2, "invite", 1.0, "sam", 2, algorithm="SHA-256", qop="auth-int", challenge_qop="auth,auth-int",
                  method="INVITE", code=407, body=sdp("192.168.2.2", 40000, 4711))
    verified_flow(cap, 3, "register", 3.0, "tia", 3, qop="auth-int")
    verified_flow(cap, 4, "otherbody", 4.0, "uma", 4, qop="auth-int", method="MESSAGE", code=407, body=MESSAGE_TEXT,
                  sent_body=MESSAGE_TEXT.upper(), result=403, value="wrong")


AUTH_INT_SNAPLEN = 1000
LONG_TEXT = "".join("Line %02d of the minutes: action items, owners and dates as agreed in the call.\r\n" % n
                    for n in range(1, 9))


@scenario("qop=auth-int over a body the capture cut (snaplen %d: the MESSAGE frames of 1,100 to 1,400 bytes are "
          "truncated, incl_len < orig_len) with the table: auth-int on the cut body cannot be checked; the same cut "
          "MESSAGE with qop=auth is checked (the body is not hashed); a short MESSAGE with auth-int, whole, is checked"
          % AUTH_INT_SNAPLEN)
def cred_auth_int_cut(cap):
    cap.snaplen = AUTH_INT_SNAPLEN
    names = verified_flow(cap, 1, "cut", 0.0, "vic", 1, qop="auth-int", method="MESSAGE", code=407, body=LONG_TEXT,
                          result=202, value="cannot_check", reason="body_cut")
    cap.cut_labels |= {names["req"], names["retry"]}
    names = verified_flow(cap, 2, "auth", 1.0, "wes", 2, method="MESSAGE", code=407, body=LONG_TEXT, result=202)
    cap.cut_labels |= {names["req"], names["retry"]}
    verified_flow(cap, 3, "short", 2.0, "xia", 3, qop="auth-int", method="MESSAGE", code=407, body="ok", result=202)
    cap.comments.append("Frames cut by the snaplen: %s." % ", ".join(
        str(cap.frame_of(label)) for label in sorted(cap.cut_labels, key=cap.frame_of)))


@scenario("correct credentials refused, with the table: a right retry challenged again with a new nonce (no stale; "
          "the UA gives up), a right retry answered 403, a right INVITE retry challenged again (407); not a "
          "refusal: a right retry challenged with stale=true, then accepted; a wrong retry challenged again, then a "
          "right one accepted")
def cred_refused(cap):
    verified_flow(cap, 1, "again", 0.0, "yan", 1, result="giveup")
    verified_flow(cap, 2, "forbidden", 1.0, "zoe", 2, result=403)
    verified_flow(cap, 3, "invite", 2.0, "abe", 3, method="INVITE", code=407, body=sdp("192.168.2.3", 40000, 4711),
                  result="giveup")
    for n, (label, name, first_wrong) in enumerate((("stale", "bea", False), ("fixed", "cal", True)), 4):
        ua, t = table_user(cap, name, n), float(n - 1)
        src = (ua.ip, ua.port)
        cid, tag = call_id(cap.name, label, ua.ip), token("tag", cap.name, label, length=8)
        n1, n2 = nonce(cap.name, label + "/1"), nonce(cap.name, label + "/2")
        req = register(ua, cid, 1, branch(cap.name, label, 1), tag)
        cap.udp(t, src, PROXY, req, label + "req")
        cap.udp(t + 0.004, PROXY, src, response(req, 401, "Unauthorized", token("tag", cap.name, label, 1, length=8),
                                                [("WWW-Authenticate", digest_challenge(DOMAIN, n1))]), label + "chal1")
        retry1 = register(ua, cid, 2, branch(cap.name, label, 2), tag, auth=[(
            "Authorization", digest_credentials(name, DOMAIN, n1, "sip:" + DOMAIN, "REGISTER",
                                                password="wrong" if first_wrong else password_of(name)))])
        cap.udp(t + 0.104, src, PROXY, retry1, label + "retry1")
        cap.udp(t + 0.108, PROXY, src, response(retry1, 401, "Unauthorized", token("tag", cap.name, label, 2, length=8),
                                                [("WWW-Authenticate", digest_challenge(DOMAIN, n2, stale=not first_wrong))]),
                label + "chal2")
        retry2 = register(ua, cid, 3, branch(cap.name, label, 3), tag, auth=[(
            "Authorization", digest_credentials(name, DOMAIN, n2, "sip:" + DOMAIN, "REGISTER",
                                                password=password_of(name)))])
        cap.udp(t + 0.208, src, PROXY, retry2, label + "retry2")
        cap.udp(t + 0.214, PROXY, src, ok_register(retry2, token("tag", cap.name, label, "200", length=8), ua),
                label + "ok")
        L = lambda x: label + x
        cap.expect(L("req"), flow=n, role="request", challenge_frame=L("chal1"), retry_frame=L("retry1"))
        cap.expect(L("chal1"), flow=n, role="challenge", attempt=1, challenge_code=401, request_frame=L("req"),
                   retry_frame=L("retry1"), result_frame=L("chal2"), result_code=401, ttr=(L("chal1"), L("retry1")),
                   outcome="challenged_again")
        cap.expect(L("retry1"), flow=n, role="retry", attempt=1, challenge_code=401, request_frame=L("req"),
                   challenge_frame=L("chal1"), result_frame=L("chal2"), result_code=401, ttr=(L("chal1"), L("retry1")),
                   credentials="wrong" if first_wrong else "correct")
        cap.expect(L("chal2"), flow=n, role="challenge", attempt=2, challenge_code=401, request_frame=L("retry1"),
                   retry_frame=L("retry2"), result_frame=L("ok"), result_code=200, ttr=(L("chal2"), L("retry2")),
                   outcome="accepted",
                   experts="retry_challenged,challenge_answered" if first_wrong else "stale_nonce,challenge_answered")
        cap.expect(L("retry2"), flow=n, role="retry", attempt=2, challenge_code=401, request_frame=L("retry1"),
                   challenge_frame=L("chal2"), result_frame=L("ok"), result_code=200, ttr=(L("chal2"), L("retry2")),
                   credentials="correct")
        cap.expect(L("ok"), flow=n, role="result", request_frame=L("retry2"), challenge_frame=L("chal2"))


def ims_user(n):
    """The n-th test USIM of the IMS capture: IMPI 00101000000000n@<realm>, its UE at 10.0.1.n."""
    imsi = "00101000000000%d" % n
    return UA(imsi, IMS_REALM, "10.0.1.%d" % n, 5060, agent="OpenIMS-UE/1.0 (VoLTE)")


def ims_aka_flow(cap, flow, label, t, ue, challenge_nonce, algorithm, password, result=200, experts="",
                 value="correct", reason=None, response_value=None, auts=None):
    """REGISTER with empty credentials -> 401 AKA -> retry -> result, over UDP to the P-CSCF; password is what the UE
    computes its response with (RFC 3310: RES; RFC 4169: the AKAv2 password; empty with auts)."""
    src = (ue.ip, ue.port)
    cid, tag = call_id(cap.name, label, ue.ip), token("tag", cap.name, label, length=8)
    who = impi(ue)
    uri = "sip:" + IMS_REALM
    extra = [("Supported", "path")]
    req = register(ue, cid, 1, branch(cap.name, label, 1), tag, registrar=IMS_REALM, extra=extra,
                   auth=[("Authorization", 'Digest username="%s", realm="%s", uri="%s", nonce="", response=""'
                          % (who, IMS_REALM, uri))])
    cap.udp(t, src, PCSCF, req, label + "req")
    chal = response(req, 401, "Unauthorized", token("tag", cap.name, label, "401", length=8),
                    [("WWW-Authenticate", digest_challenge(IMS_REALM, challenge_nonce, algorithm=algorithm,
                                                           opaque=None))], server="Kamailio P-CSCF")
    cap.udp(t + 0.150, PCSCF, src, chal, label + "chal")
    cred = digest_credentials(who, IMS_REALM, challenge_nonce, uri, "REGISTER", password=password, algorithm=algorithm,
                              opaque=None, response=response_value,
                              extra=['auts="%s"' % auts] if auts else ())
    retry = register(ue, cid, 2, branch(cap.name, label, 2), tag, registrar=IMS_REALM, extra=extra,
                     auth=[("Authorization", cred)])
    cap.udp(t + 0.400, src, PCSCF, retry, label + "retry")
    return req, chal, retry, cid, tag, src, uri, extra


@scenario("IMS AKA verification with the table (USIMs of 3GPP TS 35.208 test set 1: K, OP or OPc, AMF b9b9; nonce = "
          "base64(RAND || AUTN)): AKAv1-MD5 (row with OP) and AKAv2-MD5 (row with OPc) answered right (200); a UE "
          "whose RES is wrong (403); an AUTN whose MAC has a flipped bit: the UE rejects the network and answers with "
          "an empty response (TS 24.229 5.1.1.5.3), 403: aka_autn_invalid; a resynchronisation (auts), then a "
          "fresh RAND and SQN answered right")
def cred_ims_aka(cap):
    k, op, opc, amf = (bytes.fromhex(TS1[n]) for n in ("k", "op", "opc", "amf"))
    rand, sqn = bytes.fromhex(TS1["rand"]), bytes.fromhex(TS1["sqn"])
    good = aka_challenge(k, opc, rand, sqn, amf)
    rows = {1: dict(op=TS1["op"], amf=TS1["amf"]), 2: dict(opc=TS1["opc"]), 3: dict(op=TS1["op"]),
            4: dict(opc=TS1["opc"], amf=TS1["amf"]), 5: dict(op=TS1["op"])}
    ues = {}
    for n, keys in rows.items():
        ues[n] = ims_user(n)
        cap.table.append(credentials_row(impi(ues[n]), IMS_REALM, k=TS1["k"], **keys))

    def ok_flow(flow, label, req, chal, retry, result_code, experts, value, reason=None):
        retry_msg = cap.messages[label + "retry"]
        if result_code == 200:
            final = ims_ok(retry_msg, token("tag", cap.name, label, "200", length=8), ues[flow], 5060)
        else:
            final = response(retry_msg, 403, "Forbidden", token("tag", cap.name, label, "403", length=8),
                             server="Kamailio P-CSCF")
        cap.udp(cap.time_of(label + "retry") / 1e6 + 0.190, PCSCF, (ues[flow].ip, 5060), final, label + "result")
        accepted = result_code == 200
        L = lambda x: label + x
        cap.expect(L("req"), flow=flow, role="request", challenge_frame=L("chal"), retry_frame=L("retry"))
        cap.expect(L("chal"), flow=flow, role="challenge", attempt=1, challenge_code=401, request_frame=L("req"),
                   retry_frame=L("retry"), result_frame=L("result"), result_code=result_code,
                   ttr=(L("chal"), L("retry")), outcome="accepted" if accepted else "rejected",
                   experts="challenge_answered" if accepted else "")
        stated = dict(reason=reason) if reason else {}
        cap.expect(L("retry"), flow=flow, role="retry", attempt=1, challenge_code=401, request_frame=L("req"),
                   challenge_frame=L("chal"), result_frame=L("result"), result_code=result_code,
                   ttr=(L("chal"), L("retry")), experts=experts, credentials=value, **stated)
        cap.expect(L("result"), flow=flow, role="result", request_frame=L("retry"), challenge_frame=L("chal"),
                   experts="" if accepted else "retry_failed")

    ims_aka_flow(cap, 1, "v1", 0.0, ues[1], good["nonce"], "AKAv1-MD5", aka_password("AKAv1-MD5", good["res"],
                                                                                      good["ck"], good["ik"]))
    ok_flow(1, "v1", None, None, None, 200, "", "correct")
    ims_aka_flow(cap, 2, "v2", 1.0, ues[2], good["nonce"], "AKAv2-MD5", aka_password("AKAv2-MD5", good["res"],
                                                                                      good["ck"], good["ik"]))
    ok_flow(2, "v2", None, None, None, 200, "", "correct")
    bad_res = good["res"][:7] + bytes([good["res"][7] ^ 0x5a])
    ims_aka_flow(cap, 3, "res", 2.0, ues[3], good["nonce"], "AKAv1-MD5", bad_res)
    ok_flow(3, "res", None, None, None, 403, "", "wrong")
    flipped = aka_challenge(k, opc, rand, sqn, amf, flip_mac_bit=True)
    ims_aka_flow(cap, 4, "mac", 3.0, ues[4], flipped["nonce"], "AKAv1-MD5", b"", response_value="")
    ok_flow(4, "mac", None, None, None, 403, "response_malformed", "cannot_check", reason="malformed_response")

    # Resynchronisation: the USIM's SQN is ahead of the HSS's; the HSS takes SQN_MS from AUTS and mints a fresh
    # vector one step further.
    ue, label, t = ues[5], "sync", 4.0
    sqn_ms = (int(TS1["sqn"], 16) + 0x40).to_bytes(6, "big")
    req, chal, retry, cid, tag, src, uri, extra = ims_aka_flow(
        cap, 5, label, t, ue, good["nonce"], "AKAv1-MD5", b"", auts=aka_auts(k, opc, rand, sqn_ms))
    fresh = aka_challenge(k, opc, bytes.fromhex(token("rand", cap.name, length=32)),
                          (int.from_bytes(sqn_ms, "big") + 0x20).to_bytes(6, "big"), amf)
    chal2 = response(retry, 401, "Unauthorized", token("tag", cap.name, label, "401b", length=8),
                     [("WWW-Authenticate", digest_challenge(IMS_REALM, fresh["nonce"], algorithm="AKAv1-MD5",
                                                            opaque=None))], server="Kamailio P-CSCF")
    cap.udp(t + 0.590, PCSCF, src, chal2, label + "chal2")
    retry2 = register(ue, cid, 3, branch(cap.name, label, 3), tag, registrar=IMS_REALM, extra=extra, auth=[(
        "Authorization", digest_credentials(impi(ue), IMS_REALM, fresh["nonce"], uri, "REGISTER",
                                            password=aka_password("AKAv1-MD5", fresh["res"], fresh["ck"], fresh["ik"]),
                                            algorithm="AKAv1-MD5", opaque=None))])
    cap.udp(t + 0.800, src, PCSCF, retry2, label + "retry2")
    cap.udp(t + 0.990, PCSCF, src, ims_ok(retry2, token("tag", cap.name, label, "200", length=8), ue, 5060),
            label + "ok")
    L = lambda x: label + x
    cap.expect(L("req"), flow=5, role="request", challenge_frame=L("chal"), retry_frame=L("retry"))
    cap.expect(L("chal"), flow=5, role="challenge", attempt=1, challenge_code=401, request_frame=L("req"),
               retry_frame=L("retry"), result_frame=L("chal2"), result_code=401, ttr=(L("chal"), L("retry")),
               outcome="challenged_again")
    cap.expect(L("retry"), flow=5, role="retry", attempt=1, challenge_code=401, request_frame=L("req"),
               challenge_frame=L("chal"), result_frame=L("chal2"), result_code=401, ttr=(L("chal"), L("retry")),
               experts="aka_resync", credentials="cannot_check", reason="resync")
    cap.expect(L("chal2"), flow=5, role="challenge", attempt=2, challenge_code=401, request_frame=L("retry"),
               retry_frame=L("retry2"), result_frame=L("ok"), result_code=200, ttr=(L("chal2"), L("retry2")),
               outcome="accepted", experts="challenge_answered")
    cap.expect(L("retry2"), flow=5, role="retry", attempt=2, challenge_code=401, request_frame=L("retry"),
               challenge_frame=L("chal2"), result_frame=L("ok"), result_code=200, ttr=(L("chal2"), L("retry2")),
               credentials="correct")
    cap.expect(L("ok"), flow=5, role="result", request_frame=L("retry2"), challenge_frame=L("chal2"))
    cap.aka_rands = [rand, bytes.fromhex(token("rand", cap.name, length=32))]


@scenario("bad input with the table, each its own user: a 10,000-byte nonce echoed (right; analysis_truncated); "
          "credentials with 1,000 unknown parameters before the real ones (right); a response whose closing quote "
          "is missing, so that the quoted string runs to the end of the header (response_malformed, cannot check); "
          "realm given twice alike (right); response given twice with different values (cannot check); nc=zzzz "
          "(qop_mismatch: no nonce count, cannot check); algorithm=FOO (algorithm_not_offered, cannot check): "
          "each refused with 400 but the right ones")
def cred_bad_input(cap):
    def flow(n, label, name, credentials_of, result, experts="", value="correct", reason=None, qop="auth", nonce_value=None):
        ua = table_user(cap, name, n)
        n_ = nonce_value or nonce(cap.name, label)
        cred_flow(cap, n, label, float(n - 1), ua, [digest_challenge(DOMAIN, n_, qop=qop, opaque=None)],
                  credentials_of(ua, n_), result=result, retry_experts=experts, credentials_value=value, reason=reason)

    def cred(ua, n_, **kw):
        kw.setdefault("opaque", None)
        return digest_credentials(ua.user, DOMAIN, n_, "sip:" + DOMAIN, "REGISTER", password=password_of(ua.user), **kw)

    big = "".join(token("bignonce", cap.name, n, length=64) for n in range(157))[:10000]
    flow(1, "bignonce", "bart", cred, 200, nonce_value=big)
    many = ['x%04d="%s"' % (i, token("param", i, length=6)) for i in range(1000)]
    flow(2, "params", "cora", lambda ua, n_: cred(ua, n_, first=many), 200)

    def unterminated(ua, n_):
        text = cred(ua, n_, qop=None)            # ..., response="<hex>", algorithm=MD5
        cut = text.replace('", algorithm=MD5', ", algorithm=MD5")
        assert cut != text and cut.count('"') % 2 == 1
        return cut
    flow(3, "quote", "dirk", unterminated, 400, "response_malformed", "cannot_check", "malformed_response", qop=None)
    flow(4, "dupsame", "edda", lambda ua, n_: cred(ua, n_, extra=['realm="%s"' % DOMAIN]), 200)
    flow(5, "dupresponse", "finn", lambda ua, n_: cred(ua, n_, extra=['response="%s"' % token("other", n_, length=32)]),
         400, "", "cannot_check", "malformed_response")
    flow(6, "nczzzz", "gwen", lambda ua, n_: cred(ua, n_, nc="zzzz"), 400, "qop_mismatch", "cannot_check",
         "missing_parameter")
    flow(7, "foo", "hugo", lambda ua, n_: cred(ua, n_, algorithm="FOO",
                                               response=token("foo", ua.user, length=32)), 400,
         "algorithm_not_offered", "cannot_check", "algorithm")


# ---------------------------------------------------------------------------------------------

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pcaps", default=os.path.join(root, "pcaps"))
    parser.add_argument("--cases", default=os.path.join(root, "tests", "e2e", "cases"))
    options = parser.parse_args()
    os.makedirs(options.pcaps, exist_ok=True)
    os.makedirs(options.cases, exist_ok=True)

    readme = ["# Synthetic SIP authentication captures",
              "",
              "Written by `tests/tools/gen_pcaps.py` (deterministic; rerun it rather than editing these files).",
              "What SIPAUTH must show on each frame is in `tests/e2e/cases/<name>.expect`.",
              "",
              "The `cred-*` captures are about credential correctness (SPEC section 10). Those of one secret-free check",
              "each come without a credentials table (their retries are `not checked`); the verification ones",
              "(`cred-verify-*`, `cred-auth-int-cut`, `cred-refused`, `cred-ims-aka`, `cred-bad-input`) are read with the",
              "table their case's `args:` line gives tshark (`-o 'uat:sipauth_credentials:...'`, one row per user).",
              "Their passwords are distinctive (`Pw-<user>-<hex>`) so that `tests/e2e/check_secrets.sh` can tell that",
              "none appears in any output; the IMS USIMs use the keys of 3GPP TS 35.208 test set 1. Every response in",
              "them is computed, not made up: open one in Wireshark with the same table (Protocols > SIPAUTH >",
              "Credentials) to see it verified.",
              ""]
    for number, (name, description, build) in enumerate(SCENARIOS, 1):
        capture = Capture(name, description)
        build(capture)
        write_pcap(capture, os.path.join(options.pcaps, name + ".pcap"))
        write_case(capture, os.path.join(options.cases, name + ".expect"))
        readme.append("- `%s.pcap` (%d frames): %s." % (name, len(capture.frames), description))
    with open(os.path.join(options.pcaps, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(readme) + "\n")
    print("wrote %d captures to %s" % (len(SCENARIOS), options.pcaps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
