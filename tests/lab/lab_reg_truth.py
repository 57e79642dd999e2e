#!/usr/bin/env python3
"""Adds the registrations, sources and credential_attack truth of the brute-force recording to its truth file.

Usage: lab_reg_truth.py PCAP TRUTH.json USERS.csv

The scenario (scenarios/register_brute.xml) sends, from one source, one call per line of USERS.csv (the SIPp
injection file, username;password): REGISTER, 401, REGISTER with that username and the line's password, 401
again (a wrong password or an unknown user), never tried again; a stray ACK after the retry timeout ends the
capture, so that each attempt's outcome (refused, the UA gave up) is in it. The truth is that design (issue 17
definitions); only the times and frame numbers come from the wire, read with plain tshark's SIP fields (never
the plugin). Fails unless the wire holds exactly the design: one Call-ID per line, in order, four messages each,
no retransmission.
"""
import json
import subprocess
import sys

FIELDS = ("frame.number", "frame.time_relative", "ip.src", "sip.Method", "sip.Status-Code", "sip.Call-ID",
          "sip.CSeq.seq", "sip.to.user", "sip.auth.username", "sip.User-Agent")
AGENT = "sipauth-lab-guesser"
DOMAIN = "sipauth.lab"


def last_frame_us(pcap):
    out = subprocess.run(["tshark", "-n", "-r", pcap, "-T", "fields", "-e", "frame.time_relative"],
                         capture_output=True, text=True, timeout=120)
    return us(out.stdout.split()[-1])


def read_wire(pcap):
    out = subprocess.run(["tshark", "-n", "-r", pcap, "-Y", "sip", "-T", "fields", "-E", "occurrence=f"]
                         + [a for f in FIELDS for a in ("-e", f)], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        sys.exit("lab_reg_truth: tshark: %s" % out.stderr.strip())
    return [dict(zip(FIELDS, line.split("\t"))) for line in out.stdout.splitlines()]


def us(text):
    seconds, _, fraction = text.partition(".")
    return int(seconds) * 1000000 + int((fraction + "000000")[:6])


def fixed(value_us, places):
    """%.{places}f of a time in microseconds; both roundings where it lies exactly half way (a C double of such a
    value may fall on either side)."""
    scale = 10 ** (6 - places)
    low, rest = divmod(value_us, scale)
    text = lambda n: "%d.%0*d" % (n // 10 ** places, places, n % 10 ** places)
    if rest * 2 == scale:
        return [text(low), text(low + 1)]
    return text(low + (1 if rest * 2 > scale else 0))


def main():
    pcap, truth_path, users_csv = sys.argv[1:4]
    with open(users_csv, encoding="utf-8") as f:
        users = [line.split(";")[0] for line in f.read().splitlines()[1:] if line.strip()]
    wire = read_wire(pcap)
    calls, order = {}, []
    if wire and wire[-1]["sip.Method"] == "ACK":
        wire = wire[:-1]            # the end marker
    for m in wire:
        if m["sip.Call-ID"] not in calls:
            calls[m["sip.Call-ID"]] = []
            order.append(m["sip.Call-ID"])
        calls[m["sip.Call-ID"]].append(m)
    if len(order) != len(users):
        sys.exit("lab_reg_truth: %d Call-IDs on the wire, %d lines in %s" % (len(order), len(users), users_csv))
    source = wire[0]["ip.src"]
    registrations, failures = [], []
    first_chal = last_chal = None
    for user, cid in zip(users, order):
        msgs = calls[cid]
        shape = [(m["sip.Method"], m["sip.Status-Code"], m["sip.CSeq.seq"]) for m in msgs]
        if shape != [("REGISTER", "", "1"), ("", "401", "1"), ("REGISTER", "", "2"), ("", "401", "2")]:
            sys.exit("lab_reg_truth: call %s of %s is not REGISTER, 401, REGISTER, 401: %s" % (cid, user, shape))
        if msgs[0]["sip.to.user"] != user or msgs[2]["sip.auth.username"].strip('"') != user \
                or msgs[0]["ip.src"] != source or msgs[2]["ip.src"] != source:
            sys.exit("lab_reg_truth: call %s: To user %s, username %s, from %s/%s; the design says %s from %s" % (
                cid, msgs[0]["sip.to.user"], msgs[2]["sip.auth.username"], msgs[0]["ip.src"], msgs[2]["ip.src"],
                user, source))
        c1, c2 = us(msgs[1]["frame.time_relative"]), us(msgs[3]["frame.time_relative"])
        first_chal = first_chal if first_chal is not None else c1
        last_chal = c2
        # Challenged twice (both REGISTERs), refused once (the retry's 401 has no stale=true), the UA gave up:
        # failed: refused; no RRD; the attempt is not ineffective (a 401 is no failure in RFC 6076); 401 to 401.
        registrations.append({"AOR": "sip:%s@%s" % (user, DOMAIN), "Username": user, "REGISTERs": "2",
                              "Challenged": "2", "Accepted": "0", "Refused": "1", "Failed": "0",
                              "State": "failed: refused", "RRD min (ms)": "-", "RRD avg (ms)": "-",
                              "RRD max (ms)": "-", "IRA (%)": "0.0", "Auth time (s)": fixed(c2 - c1, 3),
                              "User-Agent": AGENT})
        failures.append((int(msgs[3]["frame.number"]), c2))
    if last_frame_us(pcap) - last_chal < 32 * 1000000:
        sys.exit("lab_reg_truth: the capture ends less than the retry timeout (32 s) after the last refusal")
    window, threshold = 60 * 1000000, 5
    if failures[threshold - 1][1] - failures[0][1] > window or failures[-1][1] - failures[0][1] > window:
        sys.exit("lab_reg_truth: the guesses took longer than the 60 s window: re-record")
    distinct = len(set(users))
    reg_truth = {
        "registrations": {"two-pass": registrations, "single-pass": registrations},
        "sources": [{"Source": source, "Challenges": str(2 * len(users)), "Usernames": str(distinct),
                     "Refused": str(len(users)), "Accepted": "0", "First (s)": fixed(first_chal, 3),
                     "Last (s)": fixed(last_chal, 3), "User-Agent": AGENT}],
        # All guesses lie within the default 60 s: the finding on the 5th user name's refusal, once.
        "attacks": {m: [[failures[threshold - 1][0], source, threshold]] for m in ("two-pass", "single-pass")},
        "preferences": [{"prefs": {"sipauth.attack_usernames": str(distinct)}, "mode": m,
                         "attacks": [[failures[-1][0], source, distinct]]} for m in ("two-pass", "single-pass")]
                       + [{"prefs": {"sipauth.attack_usernames": str(distinct + 1)}, "mode": m, "attacks": []}
                          for m in ("two-pass", "single-pass")],
        "notes": ["%d calls from %s, REGISTER, 401, wrong retry, 401, given up; usernames from %s" % (
            len(users), source, users_csv.rsplit("/", 1)[-1])],
    }
    with open(truth_path, encoding="utf-8") as f:
        truth = json.load(f)
    truth["registrations_truth"] = reg_truth
    with open(truth_path, "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=2, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main()
