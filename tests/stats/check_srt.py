#!/usr/bin/env python3
"""Checks -z sipauth,srt (the problem flows as a Service Response Time table) against -z sipauth,problems.

Usage: check_srt.py WRAPPER PLUGIN [--mode two-pass|single-pass] [--pcaps DIR | --mix-only]

On stats-mix.pcap (gen_stats_capture.py) and on every capture of pcaps/, in one tshark run per capture:
the SRT table filters on sipauth.flow; its rows are exactly the problems table's flows (the row index is
the flow, which the GUI turns into sipauth.flow==N); each row's procedure is "OUTCOME: HINT (METHOD CODE,
FROM)" with the problems table's cells; its calls are the flow's challenges (Attempts). Prints one line per
check and a closing "N passed, N failed".
"""
import argparse
import glob
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_tables  # noqa: E402
import gen_stats_capture  # noqa: E402

SRT_TITLE = "SIPAUTH SRT Statistics:"
SRT_ROW = re.compile(r"^ *(\d+)  (.*) +(\d+) +\d+\.\d{6} +\d+\.\d{6} +\d+\.\d{6} +\d+\.\d{6}$")
COLUMNS = check_tables.PROBLEM_COLUMNS


def parse_srt(text):
    """(filter, header, {flow: (procedure, calls)}) of the printed SRT table, or None."""
    lines = text.splitlines()
    if SRT_TITLE not in lines:
        return None
    i = lines.index(SRT_TITLE) + 1
    filt = lines[i][len("Filter: "):] if lines[i].startswith("Filter: ") else None
    header = lines[i + 1] if i + 1 < len(lines) else ""
    rows = {}
    for line in lines[i + 2:]:
        if line.startswith("====="):
            break
        m = SRT_ROW.match(line)
        if m:
            rows[m.group(1)] = (m.group(2).rstrip(), m.group(3))
        elif line.strip():
            rows.setdefault("<unparsed>", (line, ""))
    return filt, header, rows


def check_capture(checks, options, path, what):
    out, err = check_tables.tshark(options, "-q", "-r", path, "-z", "sipauth,problems", "-z", "sipauth,srt")
    if not checks.check(out is not None, "%s: tshark ran" % what, err):
        return
    srt = parse_srt(out)
    if not checks.check(srt is not None, "%s: the SRT table is printed" % what, out[-2000:]):
        return
    filt, header, rows = srt
    checks.check(filt == "sipauth.flow", "%s: the SRT rows filter on sipauth.flow" % what, "got %r" % filt)
    checks.check("Outcome: hint" in header, "%s: the procedure column says what it holds" % what, header)
    tables = check_tables.parse_tables(out)
    problems = check_tables.as_dicts(tables[check_tables.PROBLEMS_TITLE], COLUMNS) \
        if check_tables.PROBLEMS_TITLE in tables else []
    want = {}
    for p in problems:
        text = "%s: %s (%s %s" % (p["outcome"], p["_hint"], p["method"], p["code"])
        want[p["flow"]] = (text + (", %s)" % p["from_uri"] if p["from_uri"] else ")"), p["attempts"])
    checks.check(sorted(rows) == sorted(want),
                 "%s: SRT rows are the problem flows [%s]" % (what, ", ".join(sorted(want, key=int))),
                 "got [%s]" % ", ".join(sorted(rows)))
    for flow in sorted(want, key=int):
        if flow in rows:
            checks.check(rows[flow] == want[flow], "%s: flow %s: outcome, hint, method, code, From; calls" % (what, flow),
                         "expected %r\n got     %r" % (want[flow], rows[flow]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wrapper")
    parser.add_argument("plugin")
    parser.add_argument("--mode", choices=("two-pass", "single-pass"), default="two-pass")
    parser.add_argument("--pcaps", default=os.path.join(HERE, "..", "..", "pcaps"))
    parser.add_argument("--mix-only", action="store_true", help="stats-mix.pcap only (the compat chroots' e2e run)")
    options = parser.parse_args()
    checks = check_tables.Checks()
    with tempfile.TemporaryDirectory() as tmp:
        cap, _ = gen_stats_capture.build()
        mix = os.path.join(tmp, gen_stats_capture.NAME + ".pcap")
        gen_stats_capture.g.write_pcap(cap, mix)
        check_capture(checks, options, mix, "stats-mix %s" % options.mode)
    captures = [] if options.mix_only else sorted(glob.glob(os.path.join(options.pcaps, "*.pcap")))
    if not options.mix_only:
        checks.check(len(captures) > 10, "the captures of pcaps/ are there (%d)" % len(captures))
    for path in captures:
        check_capture(checks, options, path, "%s %s" % (os.path.basename(path), options.mode))
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
