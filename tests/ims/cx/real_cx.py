#!/usr/bin/env python3
"""Holds the Diameter Cx link on the real open5gs captures against answers read by hand with plain tshark.

Both captures register one UE through P-CSCF (5060), I-CSCF (4060) and S-CSCF (6060), all on 10.4.128.21; the
S-CSCF talks Cx (TCP 3868, application 16777216) to the HSS. The 401 goes S-CSCF -> I-CSCF -> P-CSCF -> UE, and
the UE leg is also captured inside GTP-U (two more copies); every copy carries the same AKA nonce, which is
base64 of the MAA's 3GPP-SIP-Authenticate (RAND||AUTN). The retry's response verifies with the MAA's XRES as
the password (RFC 3310), so the plugin can say "correct" with no keys.

open5gs__ipsec_reg.pcapng (IMPU sip:001011234567893@ims.mnc001.mcc001.3gppnetwork.org):
  MAR 358 -> MAA 402 (Result-Code 2001, 5.164 ms), nonce oJRMdf88...P/Y=, XRES 17447172f62cf13e
  401: 404 (S->I), 405 (I->P), 406 (P->UE), 407 and 408 (406 inside GTP-U)
  retry, qop auth-int: 460 (UE, inside ESP null: decoded only with the ESP NULL heuristic), 485 (P->I), 487 (I->S)
  SAR 488 -> SAA 670 (Result-Code 2001); 200: 672 (S->I), 673 (I->P), 674 (P->UE, inside ESP)
open5gs__nonipsec_reg.pcapng (IMPU sip:001011234567895@ims.mnc001.mcc001.3gppnetwork.org):
  MAR 309 -> MAA 424 (Result-Code 2001, 13.373 ms), nonce 8SA0p/ql...1sU=, XRES e5fef11f2119e32d
  401: 426 (S->I), 427 (I->P), 429 (P->UE), 430 and 433 (GTP-U copies)
  retry, qop auth: 493 (UE, GTP-U), 494 and 495 (its copies), 499 (P->I), 501 (I->S)
  SAR 502 -> SAA 700 (Result-Code 2001); 200: 706 (S->I), 707 (I->P), 708 (P->UE), 709 and 710 (GTP-U copies)

First the script reads the same facts with plain tshark (no sipauth) and recomputes what the expectations rest
on (nonce == base64(SIP-Authenticate), the SAR's Public-Identity is the MAA's, the responses verify with XRES),
so a changed capture fails here rather than in the plugin's checks. Then, with the plugin: every 401 copy shows
mar_frame, maa_frame, hss_time (MAR to MAA) and hss_result 2001; every 200 copy shows sar_frame, saa_frame and
hss_result 2001; every decoded retry shows credentials 1 (correct); no hss_error, no_auth_vector, resync_loop,
wrong or refused-correct credentials anywhere. In two passes and in one (the MAA precedes the 401 and the SAR the
200). With -o sipauth.diameter:FALSE: no Cx field anywhere and every retry "not checked" (3). The MAA's XRES, CK and
IK (hex of either case, base64) are in no SIPAUTH text and no Info column.

Usage: real_cx.py WRAPPER PLUGIN CAPTURES_DIR (exit 77: the captures are not there)
"""
import base64
import hashlib
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
from tshark_tables import Checks  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from sipauth_trees import sipauth_trees  # noqa: E402

HEURISTIC = ["-o", "esp.enable_null_encryption_decode_heuristic:TRUE"]
NO_DIAMETER = ["-o", "sipauth.diameter:FALSE"]
REALM = "ims.mnc001.mcc001.3gppnetwork.org"

# The hand-read answers. retries: frame -> qop of the authenticated REGISTER as its hop sent it; retry_copies:
# the same retry seen again at another capture point (the plugin's request retransmission, which may or may not
# carry the credentials check); esp: frames decoded only with the ESP NULL heuristic.
CAPTURES = [
    {"name": "open5gs__ipsec_reg.pcapng", "plain_args": HEURISTIC,
     "impi": "001011234567893@" + REALM, "impu": "sip:001011234567893@" + REALM,
     "nonce": "oJRMdf88TwhTovkQqh8QT8bi9GyPQoAAfzu5uEt8P/Y=", "xres": "17447172f62cf13e",
     "mar": 358, "maa": 402, "maa_result": 2001, "hss_time": 0.005163879,
     "sar": 488, "saa": 670, "saa_result": 2001,
     "challenges": [404, 405, 406, 407, 408],
     "retries": {460: "auth-int", 485: "auth-int", 487: "auth-int"}, "retry_copies": [],
     "results": [672, 673, 674], "esp": [460, 674]},
    {"name": "open5gs__nonipsec_reg.pcapng", "plain_args": [],
     "impi": "001011234567895@" + REALM, "impu": "sip:001011234567895@" + REALM,
     "nonce": "8SA0p/qltIMlBqyAM/vqAFr2Rj1SH4AAMadojvfm1sU=", "xres": "e5fef11f2119e32d",
     "mar": 309, "maa": 424, "maa_result": 2001, "hss_time": 0.013373113,
     "sar": 502, "saa": 700, "saa_result": 2001,
     "challenges": [426, 427, 429, 430, 433],
     "retries": {493: "auth", 499: "auth", 501: "auth"}, "retry_copies": [494, 495],
     "results": [706, 707, 708, 709, 710], "esp": []},
]

CX_FIELDS = ["sipauth.mar_frame", "sipauth.maa_frame", "sipauth.hss_time", "sipauth.sar_frame",
             "sipauth.saa_frame", "sipauth.hss_result"]
NEVER = ["sipauth.hss_error", "sipauth.no_auth_vector", "sipauth.resync_loop", "sipauth.wrong_credentials",
         "sipauth.correct_credentials_refused"]
PLUGIN_FIELDS = (["frame.number", "sipauth.role", "sipauth.verdict"] + CX_FIELDS
                 + ["sipauth.credentials", "sipauth.credentials_correct", "sipauth.qop"] + NEVER)


def tshark(wrapper, plugin, path, args, fields, display_filter):
    """[{field: value}] of the frames display_filter passes (first occurrence of each field)."""
    cmd = [wrapper, plugin, "-n", "-r", path] + args + ["-Y", display_filter, "-T", "fields",
                                                         "-E", "occurrence=f", "-E", "separator=/t"]
    for field in fields:
        cmd += ["-e", field]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise RuntimeError("tshark exited %d: %s\n%s" % (run.returncode, " ".join(cmd), run.stderr.strip()))
    return [dict(zip(fields, line.split("\t"))) for line in run.stdout.splitlines()]


def md5(data):
    return hashlib.md5(data).hexdigest()


def aka_response(cap, row):
    """RFC 3310 AKAv1-MD5 with the MAA's XRES (raw bytes) as the password, RFC 2617 qop auth / auth-int."""
    unq = {k: v.strip('"') for k, v in row.items()}
    ha1 = md5(b"%s:%s:%s" % (unq["sip.auth.username"].encode(), unq["sip.auth.realm"].encode(),
                             bytes.fromhex(cap["xres"])))
    ha2 = "REGISTER:" + unq["sip.auth.uri"]
    if unq["sip.auth.qop"] == "auth-int":
        ha2 += ":" + md5(b"")  # the REGISTERs have no body (Content-Length 0, checked)
    return md5(":".join([ha1, unq["sip.auth.nonce"], unq["sip.auth.nc"], unq["sip.auth.cnonce"],
                         unq["sip.auth.qop"], md5(ha2.encode())]).encode())


def check_plain(c, wrapper, cap, path):
    """The hand-read facts, read again with plain tshark."""
    name = cap["name"]
    sip = tshark(wrapper, "none", path, cap["plain_args"],
                 ["frame.number", "sip.Status-Code", "sip.CSeq.method", "sip.auth.nonce", "sip.auth.username",
                  "sip.auth.realm", "sip.auth.uri", "sip.auth.nc", "sip.auth.cnonce", "sip.auth.qop",
                  "sip.auth.digest.response", "sip.auth.algorithm", "sip.Content-Length"],
                 'sip.CSeq.method == "REGISTER"')
    cx = tshark(wrapper, "none", path, [],
                ["frame.number", "frame.time_relative", "diameter.cmd.code", "diameter.flags.request",
                 "diameter.answer_to", "diameter.Result-Code", "diameter.Experimental-Result-Code",
                 "diameter.Public-Identity", "diameter.User-Name", "diameter.3GPP-SIP-Authenticate",
                 "diameter.3GPP-SIP-Authorization", "diameter.Confidentiality-Key", "diameter.Integrity-Key",
                 "_ws.malformed"],
                "diameter.applicationId == 16777216 && (diameter.cmd.code == 303 || diameter.cmd.code == 301)")
    by_frame = {int(r["frame.number"]): r for r in cx}

    got = {int(r["frame.number"]): r["sip.auth.nonce"].strip('"') for r in sip if r["sip.Status-Code"] == "401"}
    c.check(got == {f: cap["nonce"] for f in cap["challenges"]}, "%s: plain: the 401s and their nonce" % name,
            "got %s" % got)

    want = {cap["mar"]: ("303", "1", ""), cap["maa"]: ("303", "0", str(cap["mar"])),
            cap["sar"]: ("301", "1", ""), cap["saa"]: ("301", "0", str(cap["sar"]))}
    # A boolean field prints 1/0 up to Wireshark 4.2, True/False from 4.4.
    flag = {"1": "1", "True": "1", "0": "0", "False": "0"}
    got = {f: (r["diameter.cmd.code"], flag.get(r["diameter.flags.request"], r["diameter.flags.request"]),
               r["diameter.answer_to"])
           for f, r in by_frame.items()}
    c.check(got == want, "%s: plain: MAR %d / MAA %d, SAR %d / SAA %d, the only Cx MAR/SAR exchanges"
            % (name, cap["mar"], cap["maa"], cap["sar"], cap["saa"]), "got %s" % got)
    if got != want:
        return
    maa, sar, saa = by_frame[cap["maa"]], by_frame[cap["sar"]], by_frame[cap["saa"]]
    # What the plugin keeps to verify and must never show (SPEC: never show a secret).
    cap["secrets"] = {"XRES": maa["diameter.3GPP-SIP-Authorization"], "CK": maa["diameter.Confidentiality-Key"],
                      "IK": maa["diameter.Integrity-Key"]}
    c.check(base64.b64encode(bytes.fromhex(maa["diameter.3GPP-SIP-Authenticate"])).decode() == cap["nonce"],
            "%s: plain: base64(MAA %d's 3GPP-SIP-Authenticate) is the 401's nonce" % (name, cap["maa"]),
            "SIP-Authenticate %s" % maa["diameter.3GPP-SIP-Authenticate"])
    c.check(maa["diameter.3GPP-SIP-Authorization"] == cap["xres"],
            "%s: plain: the MAA's XRES is %s" % (name, cap["xres"]), maa["diameter.3GPP-SIP-Authorization"])
    codes = (maa["diameter.Result-Code"] or maa["diameter.Experimental-Result-Code"],
             saa["diameter.Result-Code"] or saa["diameter.Experimental-Result-Code"])
    c.check(codes == (str(cap["maa_result"]), str(cap["saa_result"])),
            "%s: plain: MAA and SAA Result-Codes %d, %d" % (name, cap["maa_result"], cap["saa_result"]),
            "got %s" % (codes,))
    impus = (by_frame[cap["mar"]]["diameter.Public-Identity"], maa["diameter.Public-Identity"],
             sar["diameter.Public-Identity"])
    c.check(impus == (cap["impu"],) * 3 and maa["diameter.User-Name"] == cap["impi"],
            "%s: plain: MAR, MAA and SAR name %s (User-Name %s)" % (name, cap["impu"], cap["impi"]),
            "got %s, %s" % (impus, maa["diameter.User-Name"]))
    hss_time = float(maa["frame.time_relative"]) - float(by_frame[cap["mar"]]["frame.time_relative"])
    c.check(abs(hss_time - cap["hss_time"]) < 1e-6, "%s: plain: MAR to MAA %.9f s" % (name, cap["hss_time"]),
            "got %.9f" % hss_time)
    c.check(not any(r["_ws.malformed"] for r in cx), "%s: plain: no malformed Cx frame" % name)
    order = cap["mar"] < cap["maa"] < min(cap["challenges"]) and max(cap["retries"]) < cap["sar"] < cap["saa"] \
        < min(cap["results"])
    c.check(order, "%s: plain: MAR < MAA < 401s, retries < SAR < SAA < 200s" % name)

    retries = {int(r["frame.number"]): r for r in sip if r["sip.auth.digest.response"].strip('"')}
    want = sorted(list(cap["retries"]) + cap["retry_copies"])
    c.check(sorted(retries) == want, "%s: plain: the retries (REGISTER with response=) are %s" % (name, want),
            "got %s" % sorted(retries))
    for frame, row in sorted(retries.items()):
        qop = cap["retries"].get(frame) or cap["retries"][min(cap["retries"])]
        facts = (row["sip.auth.algorithm"], row["sip.auth.qop"], row["sip.auth.nonce"].strip('"'),
                 row["sip.Content-Length"])
        c.check(facts == ("AKAv1-MD5", qop, cap["nonce"], "0"),
                "%s: plain: retry %d: AKAv1-MD5, qop %s, the 401's nonce, no body" % (name, frame, qop),
                "got %s" % (facts,))
        c.check(aka_response(cap, row) == row["sip.auth.digest.response"].strip('"'),
                "%s: plain: retry %d's response verifies with XRES %s" % (name, frame, cap["xres"]))
    results = sorted(int(r["frame.number"]) for r in sip if r["sip.Status-Code"] == "200")
    c.check(results == cap["results"], "%s: plain: the 200s are %s" % (name, cap["results"]),
            "got %s" % results)


def expected(cap, esp):
    """{frame: {field: value}} of the SIP frames that must carry Cx fields or a credentials verdict."""
    skip = set() if esp else set(cap["esp"])
    want = {}
    for f in cap["challenges"]:
        want[f] = {"sipauth.mar_frame": str(cap["mar"]), "sipauth.maa_frame": str(cap["maa"]),
                   "sipauth.hss_result": str(cap["maa_result"])}
    for f in cap["results"]:
        want[f] = {"sipauth.sar_frame": str(cap["sar"]), "sipauth.saa_frame": str(cap["saa"]),
                   "sipauth.hss_result": str(cap["saa_result"])}
    for f in cap["retries"]:
        want[f] = {"sipauth.credentials": "1"}
    return {f: v for f, v in want.items() if f not in skip}


def check_plugin(c, wrapper, plugin, cap, path, mode, args, esp):
    name = "%s %s%s" % (cap["name"], mode, " +esp-heuristic" if esp else "")
    rows = tshark(wrapper, plugin, path, args + (HEURISTIC if esp else []), PLUGIN_FIELDS, "sipauth")
    shown = {int(r["frame.number"]): r for r in rows}
    problems = []
    for frame, row in sorted(shown.items()):
        for field in NEVER:
            if row[field]:
                problems.append("frame %d: %s" % (frame, field))
        if mode == "no-diameter":
            problems += ["frame %d: %s %s" % (frame, f, row[f]) for f in CX_FIELDS if row[f]]
    c.check_problems(problems, "%s: no %s%s" % (name, ", ".join(n[len("sipauth."):] for n in NEVER),
                                                 ", no Cx field" if mode == "no-diameter" else ""))
    if mode == "no-diameter":
        got = {f: shown.get(f, {}).get("sipauth.credentials") for f in cap["retries"]
               if esp or f not in cap["esp"]}
        c.check(got and set(got.values()) == {"3"}, "%s: every retry's credentials: not checked (3)" % name,
                "got %s" % got)
        return

    want = expected(cap, esp)
    problems = []
    for frame, fields in sorted(want.items()):
        row = shown.get(frame)
        if row is None:
            problems.append("frame %d: no sipauth tree" % frame)
            continue
        for field, value in fields.items():
            if row[field] != value:
                problems.append("frame %d: %s %r, want %s" % (frame, field, row[field], value))
    c.check_problems(problems, "%s: 401s %s mar/maa %d/%d hss_result %d; 200s %s sar/saa %d/%d hss_result %d; "
                     "retries %s credentials correct" % (
                         name, [f for f in cap["challenges"] if f in want], cap["mar"], cap["maa"],
                         cap["maa_result"], [f for f in cap["results"] if f in want], cap["sar"], cap["saa"],
                         cap["saa_result"], [f for f in cap["retries"] if f in want]))

    problems = []
    for frame in cap["challenges"]:
        value = shown.get(frame, {}).get("sipauth.hss_time", "")
        try:
            ok = abs(float(value) - cap["hss_time"]) < 1e-6 and float(value) > 0
        except ValueError:
            ok = False
        if not ok:
            problems.append("frame %d: hss_time %r, want %.9f" % (frame, value, cap["hss_time"]))
    c.check_problems(problems, "%s: the 401s' hss_time is MAR to MAA, %.9f s" % (name, cap["hss_time"]))

    problems = []
    for frame in cap["retries"]:
        row = shown.get(frame)
        if row is None:
            continue  # reported above when it should be decoded
        if not row["sipauth.credentials_correct"]:
            problems.append("frame %d: no credentials_correct" % frame)
        if row["sipauth.qop"] != cap["retries"][frame]:
            problems.append("frame %d: qop %r, want %s" % (frame, row["sipauth.qop"], cap["retries"][frame]))
    c.check_problems(problems, "%s: the retries say credentials_correct, qop as sent" % name)

    # Nothing else carries Cx fields: other flow messages none; a Diameter frame at most its own answer's code.
    answers = {cap["maa"]: str(cap["maa_result"]), cap["saa"]: str(cap["saa_result"])}
    problems = []
    for frame, row in sorted(shown.items()):
        if frame in want and frame not in cap["retries"]:
            continue
        for field in CX_FIELDS:
            if not row[field]:
                continue
            if field == "sipauth.hss_result" and not row["sipauth.role"] and answers.get(frame) == row[field]:
                continue
            problems.append("frame %d: %s %s" % (frame, field, row[field]))
        credentials = row["sipauth.credentials"]
        if credentials and not (credentials == "1" and frame in cap["retry_copies"]) and frame not in want:
            problems.append("frame %d: credentials %s" % (frame, credentials))
    c.check_problems(problems, "%s: no Cx field or credentials verdict on any other frame" % name)

    if mode == "two-pass" and (esp or not cap["esp"]):
        bad = sorted(f for f, r in shown.items() if r["sipauth.role"] and r["sipauth.verdict"] != "1")
        c.check(not bad, "%s: every flow accepted (verdict 1)" % name, "not on frames %s" % bad)


def check_no_secret(c, wrapper, plugin, cap, path, esp):
    """The MAA's XRES, CK and IK are in no SIPAUTH tree text, expert info or Info column, in hex of either case
    or in base64."""
    secrets = {k: v for k, v in cap.get("secrets", {}).items() if v}
    name = "%s%s" % (cap["name"], " +esp-heuristic" if esp else "")
    if not c.check(set(secrets) == {"XRES", "CK", "IK"}, "%s: plain tshark shows the MAA's XRES, CK and IK" % name,
                   "got %s" % sorted(secrets)):
        return
    args = ["-2"] + (HEURISTIC if esp else [])
    shown = [f.get(a, "") for _, fields in sipauth_trees(wrapper, plugin, path, args)
             for f in fields for a in ("show", "showname")]
    info = [r["_ws.col.Info"] for r in tshark(wrapper, plugin, path, args, ["_ws.col.Info"], "frame")]
    text = "\n".join(shown + info)
    forms = {k: {v.lower(), v.upper(), base64.b64encode(bytes.fromhex(v)).decode()} for k, v in secrets.items()}
    found = sorted(k for k, vs in forms.items() if any(v in text for v in vs))
    c.check(shown and not found, "%s: no SIPAUTH text shows the MAA's XRES, CK or IK (%d texts read)"
            % (name, len(shown)), "shown: %s" % found)


def missing_fields(wrapper, plugin):
    run = subprocess.run([wrapper, plugin, "-G", "fields"], capture_output=True, text=True, timeout=300)
    have = {line.split("\t")[2] for line in run.stdout.splitlines() if line.startswith("F\t")}
    return [f for f in PLUGIN_FIELDS if f.startswith("sipauth.") and f not in have]


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    wrapper, plugin, captures = sys.argv[1:4]
    paths = [os.path.join(captures, cap["name"]) for cap in CAPTURES]
    if not all(os.path.exists(p) for p in paths):
        print("no real captures at %s: skipped" % captures)
        return 77
    c = Checks()
    for cap, path in zip(CAPTURES, paths):
        check_plain(c, wrapper, cap, path)
    missing = missing_fields(wrapper, plugin)
    if not c.check(not missing, "the plugin registers the Cx fields", "missing: %s" % ", ".join(missing)):
        return c.summary()
    for cap, path in zip(CAPTURES, paths):
        esp_variants = [True, False] if cap["esp"] else [False]
        for mode, args in (("two-pass", ["-2"]), ("single-pass", []), ("no-diameter", ["-2"] + NO_DIAMETER)):
            for esp in esp_variants:
                if esp is False and cap["esp"] and mode != "two-pass":
                    continue  # without the heuristic the UE leg is hidden; once is enough
                check_plugin(c, wrapper, plugin, cap, path, mode, args, esp)
        for esp in esp_variants:
            check_no_secret(c, wrapper, plugin, cap, path, esp)
    return c.summary()


if __name__ == "__main__":
    sys.exit(main())
