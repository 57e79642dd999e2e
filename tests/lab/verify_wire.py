#!/usr/bin/env python3
"""Holds each lab truth's credentials to the wire, without the plugin: a check of the truth itself.

Usage: verify_wire.py DIR [--credentials FILE] [--only NAME ...]

For every NAME.pcap[.gz] in DIR whose NAME.truth.json has "credentials", reads the SIP messages with
plain tshark (the SIP dissector's fields only), takes every authenticated request once (its first
transmission: retransmissions share the top Via branch) that answers a challenge (the first request with
credentials after a challenge of its Call-ID and method: not baresip's credentials on ACK and BYE nor
linphone's de-REGISTER, and not the IMS initial REGISTER's empty credentials), recomputes its Digest response here (RFC 2617/7616: MD5; RFC 3310: AKAv1-MD5 with RES
from MILENAGE, aka_vectors.py) from the credentials table, and counts correct / wrong / cannot check
(auts: no RES to check). Those counts must be the truth's, and so must the correct retries the server
refused (answered 401/407 without stale=true, or 403: correct_credentials_refused on two frames each). For AKA it also checks every challenge's
AUTN (MAC-A) with the table's keys of the user that answers it: a challenge whose AUTN does not
verify must be one the truth counts (aka_autn_invalid on it and its retry) or one with no retry.
Prints one line per capture and "N passed, N failed"; exits 1 on any failure.
"""
import argparse
import base64
import glob
import hashlib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import aka_vectors  # noqa: E402  (MILENAGE, checked against TS 35.208 at import by self_test below)

FIELDS = ["frame.number", "sip.Method", "sip.Status-Code", "sip.CSeq.method", "sip.Via.branch", "sip.Authorization",
          "sip.Proxy-Authorization", "sip.WWW-Authenticate", "sip.Proxy-Authenticate", "sip.Call-ID"]


def read_table(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                rows.append([x for x in re.findall(r'"((?:[^"\\]|\\.)*)"', line)])
    return rows


def find_row(table, username, realm):
    for row in table:
        if row[0] == username and row[1] in ("", realm):
            return row
    return None


def params(header):
    """Digest parameters of one header value: {name: value} (quoted or token)."""
    body = re.sub(r"^\s*Digest\s+", "", header, flags=re.I)
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in re.finditer(r'([A-Za-z0-9_-]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))', body)}


def aka_keys(row):
    k = bytes.fromhex(row[4])
    opc = bytes.fromhex(row[6]) if row[6] else aka_vectors.opc_of(k, bytes.fromhex(row[5]))
    return k, opc, bytes.fromhex(row[7] or "0000")


def verdict(table, method, p):
    """correct / wrong / cannot check / not checked for one set of credentials."""
    if "auts" in p:
        return "cannot check"
    row = find_row(table, p.get("username", ""), p.get("realm", ""))
    if row is None:
        return "not checked"
    algorithm = p.get("algorithm", "MD5")
    if algorithm.upper() == "AKAV1-MD5":
        raw = base64.b64decode(p["nonce"])
        k, opc, _ = aka_keys(row)
        password = aka_vectors.f2345(k, opc, raw[:16])[0]
        name = "MD5"
    else:
        password = row[2].encode()
        name = algorithm.upper()
    hashes = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}
    if name not in hashes:
        return "cannot check"
    h = lambda data: hashes[name](data).hexdigest()  # noqa: E731
    ha1 = h(("%s:%s:" % (p["username"], p["realm"])).encode() + password)
    ha2 = h(("%s:%s" % (method, p["uri"])).encode())
    if "qop" in p:
        expected = h(("%s:%s:%s:%s:%s:%s" % (ha1, p["nonce"], p["nc"], p["cnonce"], p["qop"], ha2)).encode())
    else:
        expected = h(("%s:%s:%s" % (ha1, p["nonce"], ha2)).encode())
    return "correct" if expected == p.get("response", "").lower() else "wrong"


def autn_valid(table, username, realm, nonce):
    row = find_row(table, username, realm)
    if row is None or not row[4]:
        return None
    raw = base64.b64decode(nonce)
    rand, sqn_ak, amf, mac = raw[:16], raw[16:22], raw[22:24], raw[24:32]
    k, opc, _ = aka_keys(row)
    ak = aka_vectors.f2345(k, opc, rand)[3]
    return aka_vectors.f1_both(k, opc, rand, aka_vectors.xor(sqn_ak, ak), amf)[0] == mac


def messages(pcap):
    command = ["tshark", "-n", "-r", pcap, "-Y", "sip", "-T", "fields", "-E", "separator=\t",
               "-E", "occurrence=f", "-E", "aggregator=\x1f"]
    for field in FIELDS:
        command += ["-e", field]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise RuntimeError("tshark: " + run.stderr.strip()[-300:])
    for line in run.stdout.splitlines():
        values = dict(zip(FIELDS, line.split("\t")))
        yield values


def check(pcap, truth, table):
    counts = dict.fromkeys(("correct", "wrong", "not checked", "cannot check"), 0)
    seen_branches = set()
    pending = {}          # Call-ID -> (AUTN valid?) of its last AKA challenge
    autn_invalid_answered = 0
    usernames = {}        # Call-ID -> username of its last credentials (the IMS initial REGISTER's too)
    challenged = set()    # (Call-ID, method) with a challenge not answered yet: the next credentials answer it
    problems, notes = [], []
    correct_branches, refused = set(), 0   # branches of correct retries; those refused (401/407 not stale, 403)
    for m in messages(pcap):
        call = m.get("sip.Call-ID", "")
        challenge = m.get("sip.WWW-Authenticate") or m.get("sip.Proxy-Authenticate")
        top_branch = m.get("sip.Via.branch", "").split("\x1f")[0]
        if m.get("sip.Status-Code") and top_branch in correct_branches:
            code = m["sip.Status-Code"]
            stale = challenge and params(challenge).get("stale", "").lower() == "true"
            if code == "403" or (code in ("401", "407") and not stale):
                refused += 1
            if int(code) >= 200:
                correct_branches.discard(top_branch)
        if m.get("sip.Status-Code") and challenge:
            challenged.add((call, m.get("sip.CSeq.method")))
            p = params(challenge)
            if p.get("algorithm", "").upper().startswith("AKA"):
                pending[call] = (p.get("realm", ""), p["nonce"])
            continue
        creds = m.get("sip.Proxy-Authorization") or m.get("sip.Authorization")
        if not m.get("sip.Method") or not creds:
            continue
        branch = m.get("sip.Via.branch", "")
        if branch in seen_branches:
            continue        # a retransmission
        seen_branches.add(branch)
        p = params(creds)
        usernames[call] = p.get("username", "")
        if not p.get("nonce") and not p.get("response"):
            continue        # IMS initial REGISTER: empty credentials, no answer to a challenge
        if (call, m["sip.Method"]) not in challenged:
            continue        # credentials sent again unasked (baresip's ACK and BYE, linphone's de-REGISTER)
        challenged.discard((call, m["sip.Method"]))
        value = verdict(table, m["sip.Method"], p)
        counts[value] += 1
        if value == "correct":
            correct_branches.add(branch.split("\x1f")[0])
        if call in pending:
            realm, nonce = pending.pop(call)
            if autn_valid(table, p.get("username", ""), realm, nonce) is False:
                autn_invalid_answered += 1
    # AKA challenges never answered (SPEC 10 puts aka_autn_invalid on the retry and the challenge it
    # answers: here there is none): said, for the reader, with the keys of the user they were sent to
    for call, (realm, nonce) in pending.items():
        valid = autn_valid(table, usernames.get(call, ""), realm, nonce)
        notes.append("unanswered AKA challenge to %s: AUTN %s with the table's keys" % (
            usernames.get(call, "?"), {True: "verifies", False: "does not verify", None: "not checked"}[valid]))
    want = truth["credentials"]
    if counts != want["retries"]:
        problems.append("credentials on the wire %s, truth %s" % (counts, want["retries"]))
    experts = want["expert_frames"]
    for name, got in (("credentials_correct", counts["correct"]), ("wrong_credentials", counts["wrong"]),
                      ("correct_credentials_refused", 2 * refused)):
        if got != experts[name]:
            problems.append("%s: the wire says %d frames, truth %d" % (name, got, experts[name]))
    if 2 * autn_invalid_answered != want["expert_frames"]["aka_autn_invalid"]:
        problems.append("answered AKA challenges whose AUTN does not verify: %d, truth %d frames" % (
            autn_invalid_answered, want["expert_frames"]["aka_autn_invalid"]))
    return problems, counts, notes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dir")
    parser.add_argument("--credentials", default=os.path.join(HERE, "credentials"))
    parser.add_argument("--only", nargs="*")
    options = parser.parse_args()
    aka_vectors.self_test()
    table = read_table(options.credentials)
    passed = failed = 0
    for path in sorted(glob.glob(os.path.join(options.dir, "*.truth.json"))):
        name = os.path.basename(path)[:-len(".truth.json")]
        if options.only and name not in options.only:
            continue
        with open(path, encoding="utf-8") as f:
            truth = json.load(f)
        if "credentials" not in truth:
            continue
        pcaps = [p for p in (os.path.join(options.dir, name + e) for e in (".pcap", ".pcap.gz")) if os.path.exists(p)]
        if not pcaps:
            problems, counts, notes = ["no capture"], {}, []
        else:
            try:
                problems, counts, notes = check(pcaps[0], truth, table)
            except (RuntimeError, KeyError, ValueError, subprocess.TimeoutExpired) as e:
                problems, counts, notes = ["%s: %s" % (type(e).__name__, e)], {}, []
        summary = ", ".join("%d %s" % (n, k) for k, n in counts.items() if n)
        if problems:
            failed += 1
            print("FAIL %s (%s)" % (name, summary))
            for problem in problems:
                print("    " + problem)
        else:
            passed += 1
            print("PASS %s (%s)" % (name, summary))
        for note in notes:
            print("    note: " + note)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
