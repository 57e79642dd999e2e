#!/usr/bin/env python3
"""Checks the printed -z sipauth,stat and -z sipauth,problems tables, cell by cell, against the scenarios.

Usage: check_tables.py WRAPPER PLUGIN {mix|core} [--mode two-pass|single-pass] [--pcaps DIR]

  mix   generates stats-mix.pcap (gen_stats_capture.py) in a temporary folder and checks both tables,
        a filtered table, the Info column tags, and that sipauth.info_column=FALSE removes them;
  core  checks both tables on every capture of pcaps/ (written by tests/tools/gen_pcaps.py) against the
        rows below, written from each scenario (labels name the scenario's messages).

WRAPPER is tests/tools/tshark-plugin.sh. Prints one line per check and a closing "N passed, N failed".
"""
import argparse
import json
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "tools"))
import gen_pcaps  # noqa: E402
import gen_stats_capture  # noqa: E402
import tshark_tables  # noqa: E402
from tshark_tables import PROBLEMS_TITLE, STAT_TITLE, Checks, parse_tables  # noqa: E402,F401

STAT_COLUMNS = (("method", "Method"), ("code", "Code"), ("challenges", "Challenges"), ("accepted", "Accepted"),
                ("challenged_again", "Challenged again"), ("rejected", "Rejected"),
                ("missing_retry", "Missing retry"), ("retry_unanswered", "Retry unanswered"),
                ("min", "Min retry (s)"), ("avg", "Avg retry (s)"), ("max", "Max retry (s)"))
PROBLEM_COLUMNS = (("flow", "Flow"), ("from_uri", "From"), ("username", "Username"), ("realm", "Realm"),
                   ("method", "Method"), ("code", "Code"), ("challenge_frame", "Challenge frame"),
                   ("retry_frame", "Retry frame"), ("attempts", "Attempts"), ("outcome", "Outcome"),
                   ("verdict", "Verdict"))
TSHARK_TIMEOUT = 120


# ---------------------------------------------------------------------------------------------
# Expected tables of the captures in pcaps/, from their scenarios in tests/tools/gen_pcaps.py.
#   stat:     (method, code, challenges, accepted, challenged again, rejected, missing retry,
#              retry unanswered, [(challenge label, retry label), ...] = the retries and their delays)
#   problems: (flow, user or From URI, username, realm, method, code, challenge label, retry label or None,
#              attempts, outcome)
# A capture of many generated flows has a function of its built Capture instead, giving the same two lists.

def S(method, code, challenges, accepted, again, rejected, missing, unanswered, retries=()):
    return (method, code, challenges, accepted, again, rejected, missing, unanswered, list(retries))


def P(flow, user, username, realm, method, code, challenge, retry, attempts, outcome):
    return (flow, user, username, realm, method, code, challenge, retry, attempts, outcome)


def trunk_tables(cap):
    """tcp-trunk-big-segments: one row per method, each flow challenged once; the refused retries are problems."""
    stat, problems = [], []
    for method, code in (("INVITE", 407), ("REGISTER", 401)):
        flows = [f for _, f in cap.trunk_flows if f.method == method]
        accepted = sum(f.accepted for f in flows)
        stat.append(S(method, code, len(flows), accepted, 0, len(flows) - accepted, 0, 0,
                      [(f.label + "chal", f.label + "retry") for f in flows]))
    for number, f in cap.trunk_flows:
        if not f.accepted:
            problems.append(P(number, f.from_uri, f.user, f.realm, f.method, f.code, f.label + "chal", f.label + "retry",
                              1, "rejected (403)"))
    return stat, problems


def scenario_tables(cap):
    """The tables a capture's scenario gives, read from its expectations: one stat row per method and code of the
    challenges (each counted by its outcome, the retries' delays from the labelled frames) and one problem row per
    flow whose verdict is not an acceptance (its first challenge, last retry and challenge's realm, the last retry's
    username, the last challenge's outcome; a 4xx/5xx/6xx result as "rejected (code)")."""
    stat, flows = {}, {}
    counters = {"accepted": 0, "challenged_again": 1, "rejected": 2, "no_retry": 3, "retry_unanswered": 4}
    for label, fields in cap.expectations:
        if fields["role"] != "challenge":
            continue
        message = cap.messages[label]
        key = (message.get("CSeq")[0].split()[1], int(message.start.split()[1]))
        row = stat.setdefault(key, [0, 0, 0, 0, 0, 0, []])
        row[0] += 1
        row[1 + counters[fields["outcome"]]] += 1
        if fields.get("retry_frame"):
            row[6].append((label, fields["retry_frame"]))
        flows.setdefault(fields["flow"], []).append((fields["attempt"], label, fields))
    verdicts = gen_pcaps.capture_verdicts(cap)
    problems = []
    for flow in sorted(flows):
        if verdicts[flow].startswith("accepted"):
            continue
        challenges = sorted(flows[flow])
        first_label, last = challenges[0][1], challenges[-1][2]
        request = cap.messages[challenges[0][2]["request_frame"]]
        from_uri = re.search(r"<([^>]*)>", request.get("From")[0]).group(1)
        realm = gen_pcaps.digest_params(cap.messages[first_label].get(
            gen_pcaps.auth_kinds(challenges[0][2]["challenge_code"])[0])[0]).get("realm", "")
        retries = [c[2]["retry_frame"] for c in challenges if c[2].get("retry_frame")]
        username = ""
        if retries:
            cred = gen_pcaps.AuthValue(cap.messages[retries[-1]].get(
                gen_pcaps.auth_kinds(last["challenge_code"])[1])[0])
            username = cred.params.get("username", "")
        outcome = last["outcome"].replace("_", " ")
        if outcome == "rejected":
            outcome = "rejected (%d)" % last["result_code"]
        problems.append(P(flow, from_uri, username, realm, request.start.split()[0], challenges[0][2]["challenge_code"],
                          first_label, retries[-1] if retries else None, len(challenges), outcome))
    return [S(m, c, *row[:6], row[6]) for (m, c), row in sorted(stat.items())], problems


IMS = "ims.mnc001.mcc001.3gppnetwork.org"
CORE = {
    "register-401-ok": ([S("REGISTER", 401, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "invite-407-ok": ([S("INVITE", 407, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "invite-407-no-retry": (
        [S("INVITE", 407, 1, 0, 0, 0, 1, 0)],
        [P(1, "alice", "", "example.com", "INVITE", 407, "chal", None, 1, "no retry")]),
    "register-401-no-retry-restart": (
        [S("REGISTER", 401, 2, 1, 0, 0, 1, 0, [("chal2", "retry")])],
        [P(1, "alice", "", "example.com", "REGISTER", 401, "chal1", None, 1, "no retry")]),
    "invite-407-loop": (
        [S("INVITE", 407, 4, 0, 3, 0, 1, 0, [("chal1", "req2"), ("chal2", "req3"), ("chal3", "req4")])],
        [P(1, "alice", "alice", "example.com", "INVITE", 407, "chal1", "req4", 4, "no retry")]),
    "register-401-stale": ([S("REGISTER", 401, 2, 1, 1, 0, 0, 0, [("chal1", "retry1"), ("chal2", "retry2")])], []),
    "invite-407-retry-403": (
        [S("INVITE", 407, 1, 0, 0, 1, 0, 0, [("chal", "retry")])],
        [P(1, "alice", "alice", "example.com", "INVITE", 407, "chal", "retry", 1, "rejected (403)")]),
    "register-401-retry-unanswered": (
        [S("REGISTER", 401, 1, 0, 0, 0, 0, 1, [("chal", "retry")])],
        [P(1, "alice", "alice", "example.com", "REGISTER", 401, "chal", "retry", 1, "retry unanswered")]),
    "retransmissions": ([S("INVITE", 407, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "missing-challenge-header": (
        [S("INVITE", 407, 1, 0, 0, 0, 1, 0)],
        [P(1, "alice", "", "", "INVITE", 407, "chal", None, 1, "no retry")]),
    "wrong-header": ([S("INVITE", 407, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "cseq-not-incremented": ([S("REGISTER", 401, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "nonce-realm-mismatch": (
        [S("INVITE", 407, 1, 1, 0, 0, 0, 0, [("achal", "aretry")]),
         S("REGISTER", 401, 1, 0, 0, 1, 0, 0, [("bchal", "bretry")])],
        [P(2, "alice", "alice", "b.example", "REGISTER", 401, "bchal", "bretry", 1, "rejected (403)")]),
    "forking-two-realms": ([S("INVITE", 407, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "ims-aka-register": (
        [S("REGISTER", 401, 3, 2, 1, 0, 0, 0, [("chal1", "retry1"), ("chal2a", "resync"), ("chal2b", "retry2")])],
        []),
    "tcp-two-messages-one-segment": (
        [S("REGISTER", 401, 2, 2, 0, 0, 0, 0, [("c_chal", "c_retry"), ("a_chal", "a_retry")])], []),
    "new-call-id-retry": ([S("REGISTER", 401, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "mid-flow-start": ([S("INVITE", 407, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "icmp-quoted": ([S("INVITE", 407, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "duplicate-capture-points": ([S("REGISTER", 401, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "ipv6-message-407": ([S("MESSAGE", 407, 1, 1, 0, 0, 0, 0, [("chal", "retry")])], []),
    "ims-three-hops": (
        [S("REGISTER", 401, 2, 2, 0, 0, 0, 0, [("p_chal", "p_retry"), ("ue_chal", "ue_retry")])], []),
    "slow-retry-nonce-echo": (
        [S("REGISTER", 401, 2, 1, 0, 0, 1, 0, [("achal", "aretry")])],
        [P(2, "alice", "", "example.com", "REGISTER", 401, "bchal", None, 1, "no retry")]),
    "tcp-reassembled-invite": ([S("INVITE", 407, 1, 1, 0, 0, 0, 0, [("chal", "retry")]),
                                S("REGISTER", 401, 1, 1, 0, 0, 0, 0, [("rchal", "rretry")])], []),
    "slow-retry-dns": (
        [S("REGISTER", 401, 3, 1, 1, 0, 1, 0, [("chal1", "retry1"), ("chal3", "retry2")])],
        [P(1, "alice", "alice", "example.com", "REGISTER", 401, "chal1", "retry1", 2, "no retry")]),
    "register-401-refused": (
        [S("REGISTER", 401, 2, 0, 1, 0, 1, 0, [("chal1", "retry")])],
        [P(1, "alice", "alice", "example.com", "REGISTER", 401, "chal1", "retry", 2, "no retry")]),
    "tcp-trunk-big-segments": trunk_tables,
    # The credential captures (SPEC section 10): their tables come from their scenarios.
    **{name: scenario_tables for name, _, _ in gen_pcaps.SCENARIOS if name.startswith("cred-")},
    "analysis-bounds": (
        [S("REGISTER", 401, 3, 3, 0, 0, 0, 0, [("p_chal", "p_retry"), ("r_chal", "r_retry"), ("n_chal", "n_retry")]),
         S("INVITE", 407, 1, 1, 0, 0, 0, 0, [("l_chal", "l_retry")])], []),
}


def resolve_core(cap, stat_spec, problem_spec):
    """The spec of one core capture as the expectation dicts the checks compare with."""
    stat, counts = {}, []
    for method, code, *numbers, retries in stat_spec:
        key = "%s/%d" % (method, code)
        rows = {key: dict(zip(gen_stats_capture.COUNTERS, numbers))}
        delays = [(cap.frame_of(r), key, cap.time_of(r) - cap.time_of(c)) for c, r in retries]
        counts.append((rows, delays))
    stat = gen_stats_capture.stat_table(counts)
    problems = []
    verdicts = gen_pcaps.capture_verdicts(cap)
    for flow, user, username, realm, method, code, chal, retry, attempts, outcome in problem_spec:
        from_uri = user if user.startswith("sip:") else "sip:%s@%s" % (user, gen_pcaps.DOMAIN)
        problems.append(dict(flow=flow, from_uri=from_uri, username=username,
                             realm=realm, method=method, code=code, challenge_frame=cap.frame_of(chal),
                             retry_frame=cap.frame_of(retry) if retry else 0, attempts=attempts, outcome=outcome,
                             verdict=verdicts[flow]))
    return stat, problems


# ---------------------------------------------------------------------------------------------
# Running tshark and reading its tables

def tshark(options, *args):
    return tshark_tables.tshark(options.wrapper, options.plugin, options.mode, args, TSHARK_TIMEOUT)


def as_dicts(table, columns):
    header, rows = table
    index = {name: header.index(name) if name in header else None for _, name in columns}
    out = []
    for cells in rows:
        row = {}
        for key, name in columns:
            j = index[name]
            row[key] = cells[j] if j is not None and j < len(cells) else "<missing>"
        row["_cells"] = cells
        row["_hint"] = cells[header.index("Hint")] if "Hint" in header and header.index("Hint") < len(cells) else ""
        out.append(row)
    return out


def diff_row(expected, got, columns):
    return ["%s: expected %r, got %r" % (name, str(expected[key]), got[key])
            for key, name in columns if str(expected[key]) != got[key]]


def check_stat(checks, what, tables, expected):
    if not checks.check(STAT_TITLE in tables, "%s: the %s table is printed" % (what, STAT_TITLE)):
        return
    header, _ = tables[STAT_TITLE]
    checks.check(header == [name for _, name in STAT_COLUMNS], "%s: stat columns" % what, "got %r" % header)
    rows = as_dicts(tables[STAT_TITLE], STAT_COLUMNS)
    got = {"%s/%s" % (r["method"], r["code"]): r for r in rows}
    checks.check(len(got) == len(rows), "%s: one stat row per method and code" % what,
                 "rows: %r" % [r["_cells"] for r in rows])
    checks.check(bool(rows) and rows[-1]["method"] == "Total", "%s: the Total row is last" % what,
                 "rows: %r" % [r["_cells"] for r in rows])
    checks.check(set(got) == set(expected), "%s: stat rows %s" % (what, ", ".join(sorted(expected))),
                 "got %s" % ", ".join(sorted(got)))
    for key in sorted(expected):
        if key in got:
            problems = diff_row(expected[key], got[key], STAT_COLUMNS)
            checks.check(not problems, "%s: stat row %s" % (what, key), "\n".join(problems))


def check_problems(checks, what, tables, expected):
    if not checks.check(PROBLEMS_TITLE in tables, "%s: the %s table is printed" % (what, PROBLEMS_TITLE)):
        return
    header, _ = tables[PROBLEMS_TITLE]
    checks.check(header == [name for _, name in PROBLEM_COLUMNS] + ["Hint", "Superseded"],
                 "%s: problem columns" % what, "got %r" % header)
    rows = as_dicts(tables[PROBLEMS_TITLE], PROBLEM_COLUMNS)
    # Rows are grouped by address of record (here the From URI), groups in the order of their first problem.
    groups = []
    for e in expected:
        if e["from_uri"] not in groups:
            groups.append(e["from_uri"])
    expected = sorted(expected, key=lambda e: groups.index(e["from_uri"]))
    checks.check([r["flow"] for r in rows] == [str(e["flow"]) for e in expected],
                 "%s: problem flows [%s]" % (what, ", ".join(str(e["flow"]) for e in expected)),
                 "got flows [%s]" % ", ".join(r["flow"] for r in rows))
    by_flow = {r["flow"]: r for r in rows}
    for e in expected:
        row = by_flow.get(str(e["flow"]))
        if row is None:
            continue
        problems = diff_row(e, row, PROBLEM_COLUMNS)
        if not row["_hint"]:
            problems.append("Hint: empty")
        checks.check(not problems, "%s: problem row of flow %s (%s)" % (what, e["flow"], e["outcome"]),
                     "\n".join(problems))


# ---------------------------------------------------------------------------------------------

def run_mix(options, checks):
    with tempfile.TemporaryDirectory(prefix="sipauth-stats-") as tmp:
        cap, expected = gen_stats_capture.build()
        pcap = os.path.join(tmp, expected["pcap"])
        gen_pcaps.write_pcap(cap, pcap)
        with open(os.path.join(tmp, "expect.json"), "w") as f:
            json.dump(expected, f)
        what = "stats-mix %s" % options.mode

        out, err = tshark(options, "-q", "-r", pcap, "-z", "sipauth,stat", "-z", "sipauth,problems")
        if checks.check(out is not None, "%s: tshark -z sipauth,stat -z sipauth,problems" % what, err):
            tables = parse_tables(out)
            check_stat(checks, what, tables, expected["stat"])
            check_problems(checks, what, tables, expected["problems"])

        for flt, stat in sorted(expected["filtered"].items()):
            out, err = tshark(options, "-q", "-r", pcap, "-z", "sipauth,stat," + flt)
            if checks.check(out is not None, "%s: tshark -z sipauth,stat,%s" % (what, flt), err):
                check_stat(checks, "%s [%s]" % (what, flt), parse_tables(out), stat)

        out, err = tshark(options, "-r", pcap, "-T", "fields", "-E", "separator=/t",
                          "-e", "frame.number", "-e", "_ws.col.Info")
        if checks.check(out is not None, "%s: tshark -T fields -e _ws.col.Info" % what, err):
            info = dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)
            wanted = expected["info"]
            if options.mode == "single-pass":
                wanted = {frame: "[auth: pending]" for frame in wanted}
            tagged = {f for f, text in info.items() if "[auth:" in text}
            checks.check(tagged == set(wanted), "%s: Info tags on the %d challenges only" % (what, len(wanted)),
                         "tagged but not a challenge: %s; untagged challenges: %s"
                         % (sorted(tagged - set(wanted), key=int), sorted(set(wanted) - tagged, key=int)))
            wrong = ["frame %s: expected %r in %r" % (f, tag, info.get(f, "")) for f, tag in sorted(
                wanted.items(), key=lambda kv: int(kv[0])) if not info.get(f, "").endswith(tag)]
            checks.check(not wrong, "%s: Info tag text" % what, "\n".join(wrong))

        out, err = tshark(options, "-r", pcap, "-o", "sipauth.info_column:FALSE", "-T", "fields",
                          "-e", "_ws.col.Info")
        if checks.check(out is not None, "%s: tshark -o sipauth.info_column:FALSE" % what, err):
            checks.check("[auth:" not in out, "%s: no Info tag with sipauth.info_column off" % what)


def run_core(options, checks):
    on_disk = sorted(f[:-5] for f in os.listdir(options.pcaps) if f.endswith(".pcap"))
    scenarios = {name: (description, build) for name, description, build in gen_pcaps.SCENARIOS}
    checks.check(set(on_disk) == set(CORE), "every capture of pcaps/ has expected tables here",
                 "without expectations: %s; expected but missing: %s"
                 % (sorted(set(on_disk) - set(CORE)), sorted(set(CORE) - set(on_disk))))
    with tempfile.TemporaryDirectory(prefix="sipauth-stats-") as tmp:
        for name in sorted(set(on_disk) & set(CORE)):
            what = "%s %s" % (name, options.mode)
            if not checks.check(name in scenarios, "%s: scenario in gen_pcaps.py" % what):
                continue
            cap = gen_pcaps.Capture(name, scenarios[name][0])
            scenarios[name][1](cap)
            fresh = os.path.join(tmp, name + ".pcap")
            gen_pcaps.write_pcap(cap, fresh)
            path = os.path.join(options.pcaps, name + ".pcap")
            with open(fresh, "rb") as a, open(path, "rb") as b:
                same = a.read() == b.read()
            if not checks.check(same, "%s: pcaps/%s.pcap is what gen_pcaps.py writes" % (what, name),
                                "stale capture: rerun tests/tools/gen_pcaps.py"):
                continue
            spec = CORE[name](cap) if callable(CORE[name]) else CORE[name]
            stat, problems = resolve_core(cap, *spec)
            out, err = tshark(options, "-q", "-r", path, "-z", "sipauth,stat", "-z", "sipauth,problems")
            if checks.check(out is not None, "%s: tshark -z sipauth,stat -z sipauth,problems" % what, err):
                tables = parse_tables(out)
                check_stat(checks, what, tables, stat)
                check_problems(checks, what, tables, problems)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wrapper")
    parser.add_argument("plugin")
    parser.add_argument("suite", choices=("mix", "core"))
    parser.add_argument("--mode", choices=("two-pass", "single-pass"), default="two-pass")
    parser.add_argument("--pcaps", default=os.path.join(ROOT, "pcaps"))
    options = parser.parse_args()
    checks = Checks()
    (run_mix if options.suite == "mix" else run_core)(options, checks)
    return checks.summary()


if __name__ == "__main__":
    sys.exit(main())
