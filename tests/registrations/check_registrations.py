#!/usr/bin/env python3
"""Holds -z sipauth,registrations, -z sipauth,sources and sipauth.credential_attack to known answers.

Usage: check_registrations.py WRAPPER PLUGIN [--shared DIR] [--lab DIR] [--only NAME] [--keep DIR]

WRAPPER is tests/tools/tshark-plugin.sh. The generated cases (gen_reg_captures.py, written into a temporary
folder, or --keep DIR) are read in two passes (-2) and in one; each table is compared cell by cell with the
case's truth, the frames carrying sipauth.credential_attack (with attack_source and attack_usernames) with
the truth's, also under the preferences a case names (-o sipauth.attack_usernames:N ...), and the problems
table's grouping and Superseded column where a case states them. --shared DIR adds the public real captures
of real_truth.py (checked by hand; skipped when DIR or a capture is absent); --lab DIR adds the lab
recordings whose truth has a "registrations" part (tests/lab). A self-test then feeds the comparisons a
wrong expectation of every kind and requires each to be caught. Prints one line per check and a closing
"N passed, N failed"; exits 1 on any failure.
"""
import argparse
import concurrent.futures
import copy
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
import gen_reg_captures  # noqa: E402
import real_truth  # noqa: E402
import tshark_tables  # noqa: E402
from tshark_tables import MODES, PROBLEMS_TITLE, REG_TITLE, SRC_TITLE, parse_tables  # noqa: E402

REG_COLUMNS = ["AOR", "Username", "REGISTERs", "Challenged", "Accepted", "Refused", "Failed", "State",
               "RRD min (ms)", "RRD avg (ms)", "RRD max (ms)", "IRA (%)", "Auth time (s)", "User-Agent"]
SRC_COLUMNS = ["Source", "Challenges", "Usernames", "Refused", "Accepted", "First (s)", "Last (s)", "User-Agent"]
TIMEOUT = 180


def tshark(wrapper, plugin, path, mode, *args):
    out, error = tshark_tables.tshark(wrapper, plugin, mode, ["-n", "-r", path] + list(args), TIMEOUT)
    if out is None:
        raise RuntimeError(error[:600])
    return out


def read_run(wrapper, plugin, path, mode, prefs=()):
    """One tshark run: the frames carrying sipauth.credential_attack (their fields are printed first) and the
    three tables (printed at the end; the display filter limits the printed frames, not what the taps see)."""
    out = tshark(wrapper, plugin, path, mode, *prefs, "-Y", "sipauth.credential_attack", "-T", "fields",
                 "-e", "frame.number", "-e", "sipauth.attack_source", "-e", "sipauth.attack_usernames",
                 "-z", "sipauth,registrations", "-z", "sipauth,sources", "-z", "sipauth,problems")
    head, sep, _ = out.partition("\n=====")
    rows = []
    for line in (head if sep else out).splitlines():
        if not line.strip():
            continue
        frame, source, count = (line.split("\t") + ["", ""])[:3]
        rows.append([int(frame) if frame.isdigit() else frame, source, int(count) if count.isdigit() else count])
    return parse_tables(out), rows


# ---------------------------------------------------------------------------------------------
# Comparisons: each returns a list of (what, problems)

def compare_table(tables, title, columns, expected, key_columns):
    """The header, the number and order of rows, and every cell."""
    if title not in tables:
        return [("%s is printed" % title, ["no table titled %r in the output" % title])]
    header, rows = tables[title]
    out = [("%s columns" % title, [] if header == columns else ["expected %r, got %r" % (columns, header)])]
    got = [dict(zip(header, cells)) for cells in rows]
    out.append(("%s: %d rows" % (title, len(expected)),
                [] if len(got) == len(expected) else
                ["expected %d rows (%s), got %d (%s)" % (
                    len(expected), "; ".join(" ".join(e[k] for k in key_columns) for e in expected[:8]),
                    len(got), "; ".join(" ".join(r.get(k, "?") for k in key_columns) for r in got[:8]))]))
    for i, want in enumerate(expected):
        name = "%s row %d (%s)" % (title, i + 1, " ".join(want[k] for k in key_columns))
        if i >= len(got):
            out.append((name, ["missing"]))
            continue
        # A list: the cell may be any of them (a time exactly half way between two printed values).
        problems = ["%s: expected %r, got %r" % (c, want[c], got[i].get(c, "<no such column>"))
                    for c in columns if c in want and got[i].get(c, "<no such column>") not in
                    (want[c] if isinstance(want[c], list) else [want[c]])]
        out.append((name, problems))
    return out


def compare_problems(tables, expected):
    if PROBLEMS_TITLE not in tables:
        return [("%s is printed" % PROBLEMS_TITLE, ["no table titled %r" % PROBLEMS_TITLE])]
    header, rows = tables[PROBLEMS_TITLE]
    got = [dict(zip(header, cells)) for cells in rows]
    out = [("problems: Superseded is the last column",
            [] if header and header[-1] == "Superseded" else ["header %r" % header])]
    flows = [r.get("Flow") for r in got]
    want = [e["Flow"] for e in expected]
    out.append(("problems: rows grouped by AOR, flows %s" % ", ".join(want),
                [] if flows == want else ["got flows %s" % ", ".join(str(f) for f in flows)]))
    by_flow = {r.get("Flow"): r for r in got}
    for e in expected:
        r = by_flow.get(e["Flow"], {})
        out.append(("problems: flow %s Superseded %r" % (e["Flow"], e["Superseded"]),
                    [] if r.get("Superseded") == e["Superseded"] else ["got %r" % r.get("Superseded")]))
    return out


def compare_attacks(got, expected, what="credential_attack frames"):
    want = [list(a) for a in expected]
    return [(what + " " + (", ".join("%d (%s, %d)" % tuple(a) for a in want) or "none"),
             [] if got == want else ["got %s" % (", ".join("%s (%s, %s)" % tuple(a) for a in got) or "none")])]


def compare_case(result, truth, mode):
    out = []
    out += compare_table(result["tables"], REG_TITLE, REG_COLUMNS, truth["registrations"][mode], ("AOR", "Username"))
    out += compare_table(result["tables"], SRC_TITLE, SRC_COLUMNS, truth["sources"], ("Source",))
    if truth.get("problems") is not None:
        out += compare_problems(result["tables"], truth["problems"])
    out += compare_attacks(result["attacks"], truth["attacks"][mode])
    for i, pref in enumerate(p for p in truth["preferences"] if p["mode"] == mode):
        out += compare_attacks(result["prefs"][i], pref["attacks"], "with %s: credential_attack frames" % " ".join(
            "%s=%s" % kv for kv in sorted(pref["prefs"].items())))
    return out


def run_case(wrapper, plugin, path, truth, mode):
    tables, attacks = read_run(wrapper, plugin, path, mode)
    result = {"tables": tables, "attacks": attacks, "prefs": []}
    for pref in (p for p in truth["preferences"] if p["mode"] == mode):
        args = [a for k, v in sorted(pref["prefs"].items()) for a in ("-o", "%s:%s" % (k, v))]
        result["prefs"].append(read_run(wrapper, plugin, path, mode, args)[1])
    return result


# ---------------------------------------------------------------------------------------------
# Self-test: a wrong expectation of each kind must be caught by the comparisons

def mutations(truth, mode):
    """(what, mutated truth) pairs: one wrong cell per table, a missing row, a wrong attack frame."""
    out = []
    if truth["registrations"][mode]:
        t = copy.deepcopy(truth)
        t["registrations"][mode][0]["Accepted"] = str(int(t["registrations"][mode][0]["Accepted"]) + 1)
        out.append(("registrations Accepted + 1", t))
        t = copy.deepcopy(truth)
        t["registrations"][mode][0]["State"] = "unknown" if t["registrations"][mode][0]["State"] != "unknown" else "registered"
        out.append(("registrations State changed", t))
        t = copy.deepcopy(truth)
        t["registrations"][mode].append(dict(t["registrations"][mode][0], AOR="sip:nobody@example.com"))
        out.append(("registrations one row more", t))
    if truth["sources"]:
        t = copy.deepcopy(truth)
        t["sources"][0]["Usernames"] = str(int(t["sources"][0]["Usernames"]) + 1)
        out.append(("sources Usernames + 1", t))
    t = copy.deepcopy(truth)
    t["attacks"][mode] = [[a[0] + 1, a[1], a[2]] for a in t["attacks"][mode]] or [[1, "192.0.2.1", 5]]
    out.append(("attack frames moved", t))
    if truth.get("problems"):
        t = copy.deepcopy(truth)
        t["problems"] = list(reversed(t["problems"])) if len(t["problems"]) > 1 else \
            [dict(t["problems"][0], Superseded="by flow 99")]
        out.append(("problems order or Superseded", t))
    return out


def printed(truth, mode):
    """What a right implementation prints for truth: the tables and the findings the comparisons expect."""
    def table(columns, rows):
        cell = lambda v: v[0] if isinstance(v, list) else v
        return (list(columns), [[cell(r.get(c, "")) for c in columns] for r in rows])
    tables = {REG_TITLE: table(REG_COLUMNS, truth["registrations"][mode]),
              SRC_TITLE: table(SRC_COLUMNS, truth["sources"])}
    if truth.get("problems") is not None:
        tables[PROBLEMS_TITLE] = table(["Flow", "Superseded"], truth["problems"])
    return {"tables": tables, "attacks": [list(a) for a in truth["attacks"][mode]],
            "prefs": [[list(a) for a in p["attacks"]] for p in truth["preferences"] if p["mode"] == mode]}


def self_test(checks, cases, results):
    """The comparisons accept the right output of every case and catch every mutation of its truth: against the
    output a right implementation prints, and against tshark's own output where the case passed."""
    problems = []
    for name, _, truth in cases:
        for mode in MODES:
            if mode not in truth["registrations"]:
                continue
            right = printed(truth, mode)
            if any(p for _, p in compare_case(right, truth, mode)):
                problems.append("%s %s: the right output is not accepted" % (name, mode))
            outputs = [("right output", right)]
            if (name, mode) in results and not any(p for _, p in compare_case(results[(name, mode)], truth, mode)):
                outputs.append(("tshark output", results[(name, mode)]))
            for what, wrong in mutations(truth, mode):
                for which, output in outputs:
                    if not any(p for _, p in compare_case(output, wrong, mode)):
                        problems.append("%s %s: %s not detected against the %s" % (name, mode, what, which))
    checks.check_problems(problems, "self-test: right outputs accepted, every wrong expectation detected "
                          "(%d cases)" % len(cases))


# ---------------------------------------------------------------------------------------------

def check_all(checks, wrapper, plugin, cases, results):
    """Runs the cases two at a time (tshark is mostly waiting on its start), then reports them in order."""
    jobs = [(name, path, truth, mode) for name, path, truth in cases for mode in MODES if mode in truth["registrations"]]

    def run(job):
        name, path, truth, mode = job
        try:
            return run_case(wrapper, plugin, path, truth, mode), None
        except RuntimeError as e:
            return None, str(e)
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(run, jobs))
    for (name, _, truth, mode), (result, error) in zip(jobs, outcomes):
        if error:
            checks.check_problems([error], "%s %s: tshark" % (name, mode))
            continue
        results[(name, mode)] = result
        for what, problems in compare_case(result, truth, mode):
            checks.check_problems(problems, "%s %s: %s" % (name, mode, what))


def generated_cases(outdir, only):
    gen = subprocess.run([sys.executable, os.path.join(HERE, "gen_reg_captures.py"), outdir], capture_output=True,
                         text=True, timeout=120)
    if gen.returncode != 0:
        raise RuntimeError("gen_reg_captures.py: %s" % gen.stderr)
    cases = []
    for name, _, _ in gen_reg_captures.CASES:
        if only and name not in only:
            continue
        with open(os.path.join(outdir, name + ".truth.json"), encoding="utf-8") as f:
            cases.append((name, os.path.join(outdir, name + ".pcap"), json.load(f)))
    return cases


def lab_cases(directory):
    cases = []
    for entry in sorted(os.listdir(directory)):
        if entry.endswith(".truth.json"):
            with open(os.path.join(directory, entry), encoding="utf-8") as f:
                truth = json.load(f)
            reg = truth.get("registrations_truth")
            pcap = os.path.join(directory, entry[:-len(".truth.json")] + ".pcap")
            if reg and os.path.exists(pcap):
                cases.append(("lab/" + entry[:-len(".truth.json")], pcap, reg))
    return cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wrapper")
    parser.add_argument("plugin")
    parser.add_argument("--shared", help="folder of the public real captures")
    parser.add_argument("--lab", help="folder of lab recordings (truths with a registrations_truth part)")
    parser.add_argument("--only", action="append", help="only these generated cases")
    parser.add_argument("--keep", help="write the generated captures here instead of a temporary folder")
    options = parser.parse_args()
    checks, results, checked = tshark_tables.Checks(), {}, []
    with tempfile.TemporaryDirectory() as tmp:
        outdir = options.keep or tmp
        generated = generated_cases(outdir, options.only)
        checked += generated
        check_all(checks, options.wrapper, options.plugin, generated, results)
        if options.shared:
            present = []
            for name, truth in sorted(real_truth.CAPTURES.items()):
                path = os.path.join(options.shared, name)
                if os.path.exists(path):
                    present.append((name, path, truth))
                else:
                    print("skip - %s: not in %s" % (name, options.shared))
            checked += present
            check_all(checks, options.wrapper, options.plugin, present, results)
        if options.lab:
            lab = lab_cases(options.lab)
            checks.check_problems([] if lab else ["no recording with a registrations_truth in %s" % options.lab],
                                  "lab recordings with registration truths")
            checked += lab
            check_all(checks, options.wrapper, options.plugin, lab, results)
        self_test(checks, checked, results)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
