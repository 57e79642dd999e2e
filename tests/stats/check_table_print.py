#!/usr/bin/env python3
"""Checks sipauth's own -z printer of its tables (plugin/table_print.c) against tshark's generic one.

Usage: check_table_print.py WRAPPER PLUGIN --pcaps DIR [--shared DIR]

For every capture (pcaps/, the registrations cases of gen_reg_captures.py, stats-mix.pcap of
gen_stats_capture.py, the public captures of --shared when it has them; see captures() for the passes), one
tshark run with the four tables
(the sources table with a filter) and --log-debug sipauth, and one with SIPAUTH_GENERIC_TABLE_PRINTER=1,
which leaves tshark's printer in place: the first must say that sipauth printed each table, the second must
not, and their standard outputs must be the same bytes. Prints one line per check and a closing
"N passed, N failed".
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
sys.path.insert(0, os.path.join(HERE, "..", "registrations"))
import gen_pcaps  # noqa: E402
import gen_stats_capture  # noqa: E402
from tshark_tables import (MODES, PROBLEMS_TITLE, REG_TITLE, SRC_TITLE, STAT_TITLE,  # noqa: E402
                           Checks)

SOURCES_FILTER = "frame.number <= 200"
TABLES = ["sipauth,stat", "sipauth,problems", "sipauth,registrations", "sipauth,sources," + SOURCES_FILTER]
PRINTED_BY_SIPAUTH = "-z %s: printed by sipauth"


def run(wrapper, plugin, mode, path, generic):
    """(stdout bytes, stderr text) of tshark with the four tables, or (None, what went wrong)."""
    cmd = [wrapper, plugin] + (["-2"] if mode == "two-pass" else []) + ["-n", "-q", "-r", path]
    for table in TABLES:
        cmd += ["-z", table]
    cmd += ["--log-debug", "sipauth"]
    env = dict(os.environ)
    env.pop("SIPAUTH_GENERIC_TABLE_PRINTER", None)
    if generic:
        env["SIPAUTH_GENERIC_TABLE_PRINTER"] = "1"
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=300, env=env)
    except subprocess.TimeoutExpired:
        return None, "tshark did not finish within 300 s: %s" % " ".join(cmd)
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        return None, "exit %d: %s\n%s" % (done.returncode, " ".join(cmd), stderr.strip())
    return done.stdout, stderr


def first_difference(a, b):
    """The first line where a and b differ, both versions."""
    la, lb = a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<none>"
        y = lb[i] if i < len(lb) else "<none>"
        if x != y:
            return "line %d:\n  sipauth: %r\n  tshark:  %r" % (i + 1, x, y)
    return "same lines, different bytes (line ends?)"


def check_capture(checks, options, path, what):
    ours, ours_log = run(options.wrapper, options.plugin, options.mode, path, generic=False)
    theirs, theirs_log = run(options.wrapper, options.plugin, options.mode, path, generic=True)
    if not checks.check(ours is not None, "%s: tshark, sipauth's printer" % what, ours_log):
        return
    if not checks.check(theirs is not None, "%s: tshark, tshark's printer" % what, theirs_log):
        return
    missing = [t for t in TABLES if PRINTED_BY_SIPAUTH % ",".join(t.split(",")[:2]) not in ours_log]
    checks.check(not missing, "%s: sipauth printed every table" % what, "not said for: %s" % ", ".join(missing))
    checks.check("printed by sipauth" not in theirs_log,
                 "%s: SIPAUTH_GENERIC_TABLE_PRINTER leaves tshark's printer" % what, theirs_log.strip())
    text = ours.decode("utf-8", "replace")
    absent = [t for t in (STAT_TITLE, PROBLEMS_TITLE, REG_TITLE, SRC_TITLE) if "\n%s:\n" % t not in text]
    checks.check(not absent, "%s: four tables printed" % what, "absent: %s" % ", ".join(absent))
    checks.check(ours == theirs, "%s: the same bytes from both printers" % what,
                 "" if ours == theirs else first_difference(ours, theirs))


def captures(options, tmp):
    """(path, name, modes) of every capture to compare: the generated tables in both passes, where their
    contents differ most; pcaps/ and the public captures in two passes (a printer does not know the pass)."""
    found = [(p, os.path.basename(p)) for p in sorted(glob.glob(os.path.join(options.pcaps, "*.pcap")))]
    cap, expected = gen_stats_capture.build()
    mix = os.path.join(tmp, expected["pcap"])
    gen_pcaps.write_pcap(cap, mix)
    found = [(p, name, ("two-pass",)) for p, name in found]
    found.append((mix, "stats-mix.pcap", MODES))
    gen = subprocess.run([sys.executable, os.path.join(HERE, "..", "registrations", "gen_reg_captures.py"), tmp],
                         capture_output=True, text=True)
    if gen.returncode != 0:
        raise RuntimeError("gen_reg_captures.py: %s" % gen.stderr)
    found += [(p, "registrations/" + os.path.basename(p), MODES)
              for p in sorted(glob.glob(os.path.join(tmp, "*.pcap"))) if p != mix]
    if options.shared and os.path.isdir(options.shared):
        found += [(p, "shared/" + os.path.basename(p), ("two-pass",))
                  for p in sorted(glob.glob(os.path.join(options.shared, "*.pcap*")))]
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("wrapper")
    ap.add_argument("plugin")
    ap.add_argument("--pcaps", required=True)
    ap.add_argument("--shared")
    options = ap.parse_args()
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="sipauth-print-") as tmp:
        for path, name, modes in captures(options, tmp):
            for mode in modes:
                options.mode = mode
                check_capture(checks, options, path, "%s %s" % (name, mode))
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
