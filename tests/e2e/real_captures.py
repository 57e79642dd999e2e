#!/usr/bin/env python3
"""Holds the plugin's challenge outcomes on the public real-world captures against the counts read by hand.

Usage: real_captures.py WRAPPER PLUGIN CAPTURES_DIR
The expected counts are those of the captures' SOURCES.md (an independent heuristic count, checked frame by
frame); where the plugin and that count disagree, the note in the table says why.
"""
import collections
import os
import subprocess
import sys

# file -> (extra tshark args, {(challenge code, outcome): count})
EXPECTED = {
    "sngrep__aaa.pcap": ([], {("401", "accepted"): 3, ("401", "challenged again"): 5, ("401", "rejected"): 1,
                              ("401", "no retry"): 5, ("407", "rejected"): 3}),
    "ipfixprobe__sip-sipvicious-scan.pcap": ([], {("401", "challenged again"): 8, ("401", "accepted"): 1,
                                                  ("401", "no retry"): 6}),
    "gprshome__sip-407-eyebeam-minisipserver.pcap": ([], {("407", "accepted"): 11}),
    "goffinet__sip-register-wrong_password-401-403-401-403.pcapng": ([], {("401", "rejected"): 2}),
    "goffinet__private-test-sip.pcapng": ([], {("407", "challenged again"): 10, ("407", "no retry"): 10,
                                               ("407", "rejected"): 2}),
    "goffinet__sip-register-publish-subscribe-489-401.pcapng": ([], {("401", "accepted"): 1, ("401", "rejected"): 10}),
    "goffinet__sip-488-Not-Acceptable-Here-codec-null.pcapng": ([], {("401", "rejected"): 1}),
    "goffinet__voip-extension2downata.pcap": ([], {("401", "retry unanswered"): 1}),
    "tsytsykvitaliy__SIP.pcap": ([], {("401", "accepted"): 71}),
    # The UE's retry travels inside ESP with NULL encryption: visible only with the ESP heuristic.
    "open5gs__ipsec_reg.pcapng": (["-o", "esp.enable_null_encryption_decode_heuristic:TRUE"],
                                  {("401", "accepted"): 3}),
    "open5gs__nonipsec_reg.pcapng": ([], {("401", "accepted"): 3}),
    "ndpi__sip_hello.pcapng": ([], {("401", "accepted"): 2}),
    "suricata-verify__sip-tcp-pattern-matching.pcap": ([], {("401", "no retry"): 1}),
}


def outcomes(wrapper, plugin, path, args):
    run = subprocess.run([wrapper, plugin, "-n", "-2", "-r", path, *args, "-Y", "sipauth.role == 2",
                          "-T", "fields", "-e", "sipauth.challenge_code", "-e", "sipauth.outcome"],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise RuntimeError("tshark exited %d: %s" % (run.returncode, run.stderr.strip()))
    names = {"1": "accepted", "2": "challenged again", "3": "rejected", "4": "no retry", "5": "retry unanswered",
             "6": "unknown (single pass)"}
    counts = collections.Counter()
    for line in run.stdout.splitlines():
        code, outcome = line.split("\t")
        counts[(code, names.get(outcome, outcome))] += 1
    return counts


def main():
    wrapper, plugin, captures = sys.argv[1:4]
    if not os.path.isdir(captures):
        print("no real captures at %s" % captures)
        return 77
    passed = failed = 0
    for name, (args, expected) in sorted(EXPECTED.items()):
        path = os.path.join(captures, name)
        if not os.path.exists(path):
            print("FAIL %s: capture missing" % name)
            failed += 1
            continue
        got = outcomes(wrapper, plugin, path, args)
        if got == collections.Counter(expected):
            print("PASS %s: %s" % (name, dict(sorted(got.items()))))
            passed += 1
        else:
            print("FAIL %s: got %s, expected %s" % (name, dict(sorted(got.items())), dict(sorted(expected.items()))))
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
