#!/usr/bin/env python3
"""The IMS AKA vectors of the lab: what the SIPp UAS (a stand-in S-CSCF) puts in its 401s and what
the resynchronising UE sends back, computed with MILENAGE (3GPP TS 35.206) from fixed keys.

Usage: aka_vectors.py keys        prints NAME=VALUE lines for run-lab.sh (-key NAME VALUE to SIPp)
       aka_vectors.py check DIR   checks TS 35.208 test set 1, that the scenarios in DIR carry the keys
                                  below as SIPp reads them (aka_K=\\xHH..., raw bytes) and that the
                                  credentials table beside DIR holds each subscriber's keys

Every run first checks the MILENAGE code against TS 35.208 test set 1; nothing is ever taken from a
capture or from the plugin. AES comes from python3-cryptography when installed, else from the openssl
command line.

The subscribers (IMPI @ the IMS realm), their keys, and which keys the credentials table holds: the
table always holds the subscriber's own keys, the ones its USIM (the SIPp UAC) has, as it holds the
password the lab's digest clients are configured with.
  ...0001  K, OP of test set 1                          aka_register_ok: the UAS's vector made with them
  ...0002  the UAC's K is another one (WRONG_K below)    aka_wrong_keys: the UAS's vector made with test
                                                        set 1's K, so the AUTN does not verify with the
                                                        subscriber's (the UAC's, the table's) keys
  ...0003  K of test set 1, the table gives OPc          aka_resync: first vector's SQN far below the
                                                        USIM's (SQN_MS): the UE answers auts; the second
                                                        vector carries SQN_MS + 32 (next SEQ)
"""
import base64
import hashlib
import os
import re
import subprocess
import sys

REALM = "ims.mnc001.mcc001.3gppnetwork.org"
IMPI = {n: "00101000000000%d@%s" % (n, REALM) for n in (1, 2, 3)}

# 3GPP TS 35.208, test set 1
K = bytes.fromhex("465b5ce8b199b49faa5f0a2ee238a6bc")
OP = bytes.fromhex("cdc202d5123e20f62b6d676ac72cb318")
RAND = bytes.fromhex("23553cbe9637a89d218ae64dae47bf35")
SQN = bytes.fromhex("ff9bb4d0b607")
AMF = bytes.fromhex("b9b9")
TEST_SET_1 = {"opc": "cd63cb71954a9f4e48a5994e37a02baf", "f1": "4a9ffac354dfafb3", "f1star": "01cfaf9ec4e871e9",
              "f2": "a54211d5e3ba50bf", "f3": "b40ba9a3c58b2a05bbf0d987b21bf8cb",
              "f4": "f769bcd751044604127672711c6d3441", "f5": "aa689c648370", "f5star": "451e8beca43b"}

# The lab's own choices
WRONG_K = bytes.fromhex("000102030405060708090a0b0c0d0e0f")   # the ...0002 UAC's K
RAND_RESYNC = bytes.fromhex("9f7c8d021accf4db213ccff0c7f71a6a")  # first vector of aka_resync
SQN_LOW = bytes.fromhex("000000000021")                          # its SQN: far below SQN_MS
SQN_MS = SQN                                                     # the USIM's highest accepted SQN
RAND_AFTER = bytes.fromhex("b5d1f2a07c3e9d4b6a8f0e1d2c3b4a59")   # second vector, after the resync
CNONCE_RESYNC = "0a4f113b"                                       # the resync retry's cnonce, nc 00000001


def _aes_cryptography(key, block):
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def _aes_openssl(key, block):
    run = subprocess.run(["openssl", "enc", "-aes-128-ecb", "-nopad", "-K", key.hex()], input=block,
                         capture_output=True, check=True, timeout=10)
    return run.stdout


try:
    _aes_cryptography(bytes(16), bytes(16))
    aes = _aes_cryptography
except Exception:   # no python3-cryptography: the openssl command does the same AES-128
    aes = _aes_openssl


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def rot(x, r):
    r //= 8
    return x[r:] + x[:r]


C = [bytes(16), bytes(15) + b"\x01", bytes(15) + b"\x02", bytes(15) + b"\x04", bytes(15) + b"\x08"]
R = [64, 0, 32, 64, 96]


def opc_of(k, op):
    return xor(aes(k, op), op)


def f1_both(k, opc, rand, sqn, amf):
    """(MAC-A, MAC-S): f1 and f1*."""
    temp = aes(k, xor(rand, opc))
    in1 = sqn + amf + sqn + amf
    out1 = xor(aes(k, xor(xor(temp, rot(xor(in1, opc), R[0])), C[0])), opc)
    return out1[:8], out1[8:]


def f2345(k, opc, rand):
    """(RES, CK, IK, AK, AK*): f2, f3, f4, f5, f5*."""
    temp = aes(k, xor(rand, opc))
    outs = []
    for i in (1, 2, 3, 4):
        outs.append(xor(aes(k, xor(rot(xor(temp, opc), R[i]), C[i])), opc))
    out2, out3, out4, out5 = outs
    return out2[8:], out3, out4, out2[:6], out5[:6]


def autn(k, opc, rand, sqn, amf):
    mac_a, _ = f1_both(k, opc, rand, sqn, amf)
    ak = f2345(k, opc, rand)[3]
    return xor(sqn, ak) + amf + mac_a


def nonce(k, opc, rand, sqn, amf):
    return base64.b64encode(rand + autn(k, opc, rand, sqn, amf)).decode()


def auts(k, opc, rand, sqn_ms):
    """TS 33.102 6.3.3: AUTS = (SQN_MS xor AK*) || MAC-S, MAC-S = f1*(SQN_MS, AMF 0000)."""
    _, mac_s = f1_both(k, opc, rand, sqn_ms, bytes(2))
    ak_star = f2345(k, opc, rand)[4]
    return xor(sqn_ms, ak_star) + mac_s


def md5hex(text):
    return hashlib.md5(text.encode("latin-1") if isinstance(text, str) else text).hexdigest()


def digest_response(user, realm, password, method, uri, nonce_value, nc, cnonce, qop="auth"):
    """RFC 2617 / RFC 3310: password as bytes (AKA: RES; resynchronisation: empty)."""
    ha1 = hashlib.md5(("%s:%s:" % (user, realm)).encode() + password).hexdigest()
    ha2 = md5hex("%s:%s" % (method, uri))
    return md5hex("%s:%s:%s:%s:%s:%s" % (ha1, nonce_value, nc, cnonce, qop, ha2))


def self_test():
    opc = opc_of(K, OP)
    mac_a, mac_s = f1_both(K, opc, RAND, SQN, AMF)
    res, ck, ik, ak, ak_star = f2345(K, opc, RAND)
    got = {"opc": opc, "f1": mac_a, "f1star": mac_s, "f2": res, "f3": ck, "f4": ik, "f5": ak, "f5star": ak_star}
    bad = ["%s %s, TS 35.208 %s" % (n, got[n].hex(), v) for n, v in TEST_SET_1.items() if got[n].hex() != v]
    if bad:
        sys.exit("aka_vectors: MILENAGE does not give TS 35.208 test set 1: " + "; ".join(bad))


def sipp_bytes(data):
    """How a SIPp 3.6.1 scenario gives raw key bytes: aka_K=\\x46\\x5b... (SIPp memcpy()s the keyword's
    value, so the 0x... form, whose bytes go through SIPp's message parser, would break on '[' or LF)."""
    return "".join("\\x%02x" % b for b in data)


def vectors():
    opc = opc_of(K, OP)
    resync_nonce = nonce(K, opc, RAND_RESYNC, SQN_LOW, AMF)
    sqn_next = (int.from_bytes(SQN_MS, "big") + 32).to_bytes(6, "big")
    after = nonce(K, opc, RAND_AFTER, sqn_next, AMF)
    res_after = f2345(K, opc, RAND_AFTER)[0]
    if 0 in res_after or 0 in f2345(K, opc, RAND)[0]:
        sys.exit("aka_vectors: a RES with a zero byte (SIPp 3.6.1 strlen()s the RES): choose another RAND")
    uri = "sip:" + REALM
    v = {
        "aka_realm": REALM,
        "aka_user1": IMPI[1], "aka_user2": IMPI[2], "aka_user3": IMPI[3],
        "aka_uri": uri,
        "aka_nonce": nonce(K, opc, RAND, SQN, AMF),
        "aka_nonce_resync": resync_nonce,
        "aka_nonce_after": after,
        "aka_auts": base64.b64encode(auts(K, opc, RAND_RESYNC, SQN_MS)).decode(),
        "aka_cnonce": CNONCE_RESYNC,
        # RFC 3310 3.3: on a synchronisation failure the response is computed with an empty password
        "aka_resync_response": digest_response(IMPI[3], REALM, b"", "REGISTER", uri, resync_nonce,
                                               "00000001", CNONCE_RESYNC),
    }
    return v


def check(directory):
    want = {"uac_aka.xml": K, "uac_aka_wrong_keys.xml": WRONG_K, "uac_aka_resync.xml": K}
    problems = []
    for name, key in want.items():
        with open(os.path.join(directory, name), encoding="latin-1") as f:
            text = f.read()
        for param, value in (("aka_K", key), ("aka_OP", OP), ("aka_AMF", AMF)):
            found = re.findall(r"%s=(\S+?)[\s\]]" % param, text)
            if not found or any(x != sipp_bytes(value) for x in found):
                problems.append("%s: %s is %s, not %s" % (name, param, found, sipp_bytes(value)))
    # The credentials table holds each subscriber's own keys: those of its UAC.
    table = {}
    with open(os.path.join(directory, "..", "credentials"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                row = [x.strip('"') for x in line.strip().split('","')]
                table[row[0]] = row
    opc = opc_of(K, OP).hex()
    rows = {IMPI[1]: (K.hex(), OP.hex(), ""), IMPI[2]: (WRONG_K.hex(), OP.hex(), ""), IMPI[3]: (K.hex(), "", opc)}
    for impi, (k, op, opc_value) in rows.items():
        row = table.get(impi)
        if not row or row[1] != REALM or row[4:8] != [k, op, opc_value, AMF.hex()]:
            problems.append("credentials: the row of %s is not %s" % (impi, [REALM, k, op, opc_value, AMF.hex()]))
    if problems:
        sys.exit("aka_vectors: " + "; ".join(problems))
    print("aka_vectors: MILENAGE gives TS 35.208 test set 1; the scenarios and the credentials table carry the lab's keys")


def main():
    self_test()
    if len(sys.argv) == 2 and sys.argv[1] == "keys":
        for name, value in vectors().items():
            print("%s=%s" % (name, value))
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        check(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
