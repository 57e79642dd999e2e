#!/usr/bin/env python3
"""Checks pcaps/ and tests/e2e/cases/ against gen_pcaps.py, and that plain tshark dissects every capture cleanly.

Usage: check_pcaps.py [--wrapper tests/tools/tshark-plugin.sh]
Fails when a committed capture or .expect file differs from what the generator writes now (edit the
generator, then rerun it), when a frame is malformed or has a bad IP/UDP/TCP/ICMP checksum, when TCP
analysis flags anything (retransmission, lost segment, ...), when a UDP datagram or TCP segment with payload is not
dissected as SIP or DNS (nor part of a SIP message reassembled in a later segment), or when the SIP dissector does not find
in a frame exactly the SIP messages the generator put there (a 64 KiB segment holds 200+), or when a frame is cut
by the capture's snaplen that the generator did not mean to cut (a cut frame's SIP message is counted by its start
line: the SIP dissector stops there).
"""
import argparse
import filecmp
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CHECKSUMS = ["-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE"]
# what: (display filter, two passes). A segment holding only part of a SIP message learns in which later frame
# the message is reassembled (tcp.reassembled_in) on the second pass only.
PROBLEMS = {
    "malformed or bad checksum": ("_ws.malformed or ip.checksum.status == 0 or udp.checksum.status == 0"
                                  " or tcp.checksum.status == 0 or icmp.checksum.status == 0 or tcp.analysis.flags",
                                  False),
    "payload not dissected as SIP": ("(udp or tcp.len > 0) and not sip and not icmp and not dns"
                                     " and not tcp.reassembled_in", True),
}


def compare_generated(problems):
    with tempfile.TemporaryDirectory() as tmp:
        pcaps, cases = os.path.join(tmp, "pcaps"), os.path.join(tmp, "cases")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_pcaps.py"), "--pcaps", pcaps, "--cases", cases],
                       check=True, stdout=subprocess.DEVNULL, timeout=120)
        for fresh, committed in ((pcaps, os.path.join(ROOT, "pcaps")),
                                 (cases, os.path.join(ROOT, "tests", "e2e", "cases"))):
            for name in sorted(os.listdir(fresh)):
                if not os.path.exists(os.path.join(committed, name)):
                    problems.append("%s: missing (rerun tests/tools/gen_pcaps.py)" % name)
                elif not filecmp.cmp(os.path.join(fresh, name), os.path.join(committed, name), shallow=False):
                    problems.append("%s: differs from what gen_pcaps.py writes (rerun it)" % name)
        return sorted(n for n in os.listdir(pcaps) if n.endswith(".pcap"))


def check_dissection(wrapper, names, problems):
    # Judged by Wireshark's own dissectors: the wrapper runs tshark without any sipauth plugin, even where
    # one is installed, and fails if one loads.
    for name in names:
        path = os.path.join(ROOT, "pcaps", name)
        for what, (display_filter, two_pass) in PROBLEMS.items():
            run = subprocess.run([wrapper, "none", "-n", "-r", path] + (["-2"] if two_pass else []) + CHECKSUMS
                                 + ["-Y", display_filter], capture_output=True, text=True, timeout=60)
            if run.returncode != 0:
                problems.append("%s: tshark exited %d: %s" % (name, run.returncode, run.stderr.strip()))
            elif run.stdout.strip():
                problems.append("%s: %s:\n%s" % (name, what, run.stdout.rstrip()))


def check_sip_messages(wrapper, problems):
    """The SIP dissector finds in each frame the SIP messages the generator put there, however many, and a message
    cut across TCP segments in the frame of its last segment (ICMP errors quoting SIP are left aside). Frames cut by
    the snaplen are exactly the ones the scenario cuts; there the start lines are counted."""
    sys.path.insert(0, HERE)
    import gen_pcaps
    for name, description, build in gen_pcaps.SCENARIOS:
        capture = gen_pcaps.Capture(name, description)
        build(capture)
        meant_cut = {capture.marks[label][0] for label in capture.cut_labels}
        run = subprocess.run([wrapper, "none", "-n", "-r", os.path.join(ROOT, "pcaps", name + ".pcap"),
                              "-T", "fields", "-E", "occurrence=a", "-e", "frame.number", "-e", "icmp.type",
                              "-e", "icmpv6.type", "-e", "sip.CSeq.seq", "-e", "frame.len", "-e", "frame.cap_len",
                              "-e", "sip.Request-Line", "-e", "sip.Status-Line"],
                             capture_output=True, text=True, timeout=120)
        if run.returncode != 0:
            problems.append("%s: tshark exited %d: %s" % (name, run.returncode, run.stderr.strip()))
            continue
        found, cut = {}, set()
        for line in run.stdout.splitlines():
            frame, icmp, icmpv6, cseqs, length, kept, requests, statuses = (line.split("\t") + [""] * 7)[:8]
            if int(kept) < int(length):
                cut.add(int(frame))
                cseqs = ",".join(v for v in (requests, statuses) if v)
            found[int(frame)] = None if icmp or icmpv6 else len([c for c in cseqs.split(",") if c])
        if cut != meant_cut:
            problems.append("%s: frames cut by the snaplen %s, the scenario cuts %s" % (name, sorted(cut),
                                                                                  sorted(meant_cut)))
        wrong = ["frame %d: %d, generated %d" % (n, found.get(n) or 0, want)
                 for n, want in enumerate(capture.sip_count, 1) if found.get(n, 0) is not None and found.get(n, 0) != want]
        if wrong:
            problems.append("%s: SIP messages found by the SIP dissector:\n    %s" % (name, "\n    ".join(wrong)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--wrapper", default=os.path.join(HERE, "tshark-plugin.sh"))
    options = parser.parse_args()
    problems = []
    names = compare_generated(problems)
    check_dissection(options.wrapper, names, problems)
    check_sip_messages(options.wrapper, problems)
    for problem in problems:
        print("FAIL " + problem)
    print("%d captures checked, %d problems" % (len(names), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
