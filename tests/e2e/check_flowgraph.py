#!/usr/bin/env python3
"""Runs tshark -q -z flow,sipauth,ADDRESSES with the built plugin on captures and compares the Flow Graph it prints
with the expected one, checked by hand (tests/e2e/flowgraph/*.flow).

Usage: check_flowgraph.py WRAPPER PLUGIN --mode two-pass|single-pass [--detects]
A .flow file starts with header lines, then the graph tshark must print:
    # pcap: NAME.pcap              the capture in pcaps/
    # case: NAME.expect            (optional) take the capture's tshark args (its credentials table) from that e2e case
    # addresses: standard|network  (optional, default standard)
--detects checks the checker: every expectation with one line changed must be reported, and tshark without the
plugin must fail every case.
"""
import argparse
import difflib
import glob
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PCAPS = os.path.join(HERE, "..", "..", "pcaps")


def parse(path):
    header, body = {}, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not body and line.startswith("# "):
                key, _, value = line[2:].partition(":")
                header[key.strip()] = value.strip()
            else:
                body.append(line)
    return header, "".join(body)


def case_args(name):
    args = []
    with open(os.path.join(HERE, "cases", name), encoding="utf-8") as f:
        for line in f:
            if line.startswith("args:"):
                args += shlex.split(line.split(":", 1)[1])
    return args


def run(wrapper, plugin, header, mode):
    cmd = [wrapper, plugin, "-n", "-t", "r", "-r", os.path.join(PCAPS, header["pcap"])]
    if "case" in header:
        cmd += case_args(header["case"])
    if mode == "two-pass":
        cmd.append("-2")
    cmd += ["-q", "-z", "flow,sipauth," + header.get("addresses", "standard")]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
    return proc.returncode, proc.stdout, proc.stderr


def compare(name, want, got):
    """None when equal, else a unified diff."""
    if want == got:
        return None
    return "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "tshark"))


def mutated(text):
    """The expectation with one comment changed, as a wrong verdict would."""
    lines = text.splitlines(True)
    for i, line in enumerate(lines):
        if "|flow " in line:
            lines[i] = line.replace("|flow ", "|flow 9", 1)
            return "".join(lines)
    raise ValueError("no comment to change")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wrapper")
    parser.add_argument("plugin")
    parser.add_argument("--mode", choices=("two-pass", "single-pass"), default="two-pass")
    parser.add_argument("--detects", action="store_true")
    opts = parser.parse_args()
    cases = sorted(glob.glob(os.path.join(HERE, "flowgraph", "*.flow")))
    if not cases:
        print("no .flow case found")
        return 1
    failed = 0
    for path in cases:
        name = os.path.basename(path)
        header, want = parse(path)
        status, got, err = run(opts.wrapper, opts.plugin, header, opts.mode)
        if opts.detects:
            problems = []
            if status != 0 or compare(name, want, got) is not None:
                problems.append("the case itself does not pass")
            if compare(name, mutated(want), got) is None:
                problems.append("a changed comment is not reported")
            status_none, got_none, _ = run(opts.wrapper, "none", header, opts.mode)
            if status_none == 0 and compare(name, want, got_none) is None:
                problems.append("tshark without the plugin passes")
            verdict = "; ".join(problems)
        else:
            diff = compare(name, want, got)
            verdict = ("tshark exited %d: %s" % (status, err.strip()[:500])) if status != 0 else diff
        if verdict:
            failed += 1
            print("not ok - %s (%s)\n%s" % (name, opts.mode, verdict))
        else:
            print("ok - %s (%s)%s" % (name, opts.mode, " detects a change and needs the plugin" if opts.detects else ""))
    print("%d of %d cases failed" % (failed, len(cases)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
