#!/usr/bin/env python3
"""Compares what the sipauth plugin shows on the lab's captures with each scenario's ground truth.

Usage: check_lab.py TSHARK_WRAPPER PLUGIN.so DIR [--only NAME ...] [--credentials FILE] [--verbose]

For every NAME.pcap (or NAME.pcap.gz) in DIR with a NAME.truth.json next to it, runs tshark with
the plugin in two passes (-2, PDML) and checks: flows, challenges per code and method,
challenge outcomes, retries and their results, expert info counts, challenge loops, challenge
retransmissions, and that every frame link points at a frame of the right role. A single-pass
run must count the same challenges and retries. tshark runs with the lab's credentials table
(tests/lab/credentials, each row given as -o uat:sipauth_credentials:ROW), and where the truth has
"credentials" (truths written before issue 15 do not), every retry's sipauth.credentials, per flow
in attempt order, and the frames with each credential finding must be what the truth says. Where the
truth has "registrations_truth" (the brute force, issue 17), the -z sipauth,registrations and
-z sipauth,sources rows and the sipauth.credential_attack frames, in two passes and in one, compared as
tests/registrations/check_registrations.py does. Prints one line per scenario and a closing
"N passed, N failed"; exits 1 on any failure.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

TSHARK_TIMEOUT = 300
HERE = os.path.dirname(os.path.abspath(__file__))
LINKS = {  # field: roles the linked frame must show
    "request_frame": {"request", "retry"},
    "challenge_frame": {"challenge"},
    "ack_frame": {"ACK"},
    "retry_frame": {"retry"},
    "result_frame": {"result", "challenge"},
    "first_request_frame": {"request"},
    "final_frame": {"result", "challenge"},
}


def label(field):
    """The value_string label of a PDML field ("Role: challenge (2)" -> "challenge")."""
    match = re.match(r"^[^:]*: (.*) \(\d+\)$", field.get("showname", ""))
    return match.group(1) if match else field.get("show", "")


def read_pdml(text):
    """[(frame, sip messages, sipauth trees)]; a tree is {field: value, 'experts': [...]}."""
    frames = []
    for _, packet in ET.iterparse(_Source(text), events=("end",)):
        if packet.tag != "packet":
            continue
        number, sips, trees = None, [], []
        for proto in packet.findall("proto"):
            name = proto.get("name")
            if name == "frame":
                for field in proto.iter("field"):
                    if field.get("name") == "frame.number":
                        number = int(field.get("show"))
                        break
            elif name == "sip":
                sips.append(_sip_message(proto))
            elif name == "sipauth":
                tree = {"experts": []}
                for field in proto.iter("field"):
                    fname = field.get("name", "")
                    if not fname.startswith("sipauth."):
                        continue
                    short = fname[len("sipauth."):]
                    if short in ("role", "outcome", "verdict", "credentials"):
                        tree[short] = label(field)
                    elif short in ("credentials_reason", "algorithm", "qop", "username"):
                        tree[short] = field.get("show")
                    elif short in ("flow", "attempt", "challenge_code", "result_code", "refusals", "dns_queries",
                                   "dns_unanswered") or short.endswith("_frame"):
                        tree[short] = int(field.get("show"))
                    elif short in ("time_to_retry", "heuristic", "auth_time", "result_reason"):
                        tree[short] = field.get("show")
                    else:
                        tree["experts"].append(short)
                trees.append(tree)
        frames.append((number, sips, trees))
        packet.clear()
    return frames


class _Source:
    """A file-like view of a string for iterparse without a second copy in bytes."""

    def __init__(self, text):
        self.text, self.pos = text, 0

    def read(self, size=-1):
        if size is None or size < 0:
            size = len(self.text) - self.pos
        chunk = self.text[self.pos:self.pos + size]
        self.pos += len(chunk)
        return chunk.encode("utf-8")


def _sip_message(proto):
    found = {}
    for field in proto.iter("field"):
        name = field.get("name")
        if name in ("sip.Method", "sip.Status-Code", "sip.CSeq.method") and name not in found:
            found[name] = field.get("show")
    return {"method": found.get("sip.Method"), "status": found.get("sip.Status-Code"),
            "cseq_method": found.get("sip.CSeq.method")}


def table_options(path):
    """The credentials table as tshark options: -o uat:sipauth_credentials:ROW per row of the file."""
    options = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                options += ["-o", "uat:sipauth_credentials:" + line]
    return options


def tshark(wrapper, plugin, pcap, two_pass, table=()):
    command = [wrapper, plugin, "-n", "-r", pcap, "-T", "pdml", "-Y", "sipauth"] + list(table)
    if two_pass:
        command.append("-2")
    run = subprocess.run(command, capture_output=True, text=True, timeout=TSHARK_TIMEOUT)
    if run.returncode != 0:
        raise RuntimeError("tshark exited %d: %s" % (run.returncode, run.stderr.strip()[-500:]))
    if "Dissector bug" in run.stdout or "Dissector bug" in run.stderr:
        raise RuntimeError("tshark reported a dissector bug")
    return read_pdml(run.stdout)


def messages(frames):
    """[(frame, tree, cseq method)] for every SIPAUTH tree, with the SIP method it is about."""
    out = []
    for number, sips, trees in frames:
        for i, tree in enumerate(trees):
            if len(sips) == len(trees):
                method = sips[i]["cseq_method"]
            else:
                methods = {s["cseq_method"] for s in sips}
                method = methods.pop() if len(methods) == 1 else None
            out.append((number, tree, method))
    return out


def count(items):
    counts = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def observe(frames):
    """What the plugin shows, in the truth file's terms."""
    shown = messages(frames)
    roles = {}
    for number, tree, _ in shown:
        roles.setdefault(number, set()).add(tree.get("role"))
    challenges = [(n, t, m) for n, t, m in shown if t.get("role") == "challenge"]
    retries = [(n, t, m) for n, t, m in shown if t.get("role") == "retry"]

    results = {"accepted": 0, "challenged again": 0, "rejected": {}, "unanswered": 0}
    for _, tree, _ in retries:
        code = tree.get("result_code")
        if code is None:
            results["unanswered"] += 1
        elif 200 <= code < 300:
            results["accepted"] += 1
        elif code in (401, 407):
            results["challenged again"] += 1
        else:
            results["rejected"][str(code)] = results["rejected"].get(str(code), 0) + 1

    experts = {}
    loop_flows = set()
    for _, tree, _ in shown:
        for name in tree["experts"]:
            experts[name] = experts.get(name, 0) + 1
            if name == "challenge_loop":
                loop_flows.add(tree.get("flow"))

    # Each flow's retries in attempt order: their sipauth.credentials joined, as the truth's "by_flow".
    per_flow = {}
    for number, tree, _ in retries:
        per_flow.setdefault(tree.get("flow"), []).append((tree.get("attempt") or 0, number,
                                                         tree.get("credentials", "(none)")))
    credentials = {
        "retries": count(t.get("credentials", "(none)") for _, t, _ in retries),
        "by_flow": count(",".join(c for _, _, c in sorted(seq)) for seq in per_flow.values()),
    }

    broken = []
    outcomes = count(t.get("outcome", "(none)") for _, t, _ in challenges)
    flow_verdicts = {}
    for _, tree, _ in shown:
        flow_verdicts.setdefault(tree.get("flow"), set()).add(tree.get("verdict"))
    for flow, seen in flow_verdicts.items():
        if len(seen) != 1:
            broken.append("flow %s: frames disagree on its verdict (%s)" % (flow, ", ".join(sorted(map(str, seen)))))
    observed = {
        "flows": len({t.get("flow") for _, t, _ in challenges}),
        "challenges": count("%s %s" % (t.get("challenge_code"), m) for _, t, m in challenges),
        "retries": len(retries),
        "retry_results": results,
        "missing_retries": outcomes.get("no retry", 0),
        "challenge_outcomes": outcomes,
        "expert_frames": experts,
        "verdicts": count(min(map(str, seen)) for seen in flow_verdicts.values()),
        "loop_flows": len(loop_flows),
        "challenge_retransmissions": sum(1 for _, t, _ in shown if t.get("role") == "challenge retransmission"),
        "credentials": credentials,
    }

    for number, tree, _ in shown:
        for field, allowed in LINKS.items():
            target = tree.get(field)
            if target is None:
                continue
            if not roles.get(target, set()) & allowed:
                broken.append("frame %d (%s): %s %d is a %s frame, not %s" % (
                    number, tree.get("role"), field, target,
                    "/".join(sorted(r or "?" for r in roles.get(target, {"non-SIPAUTH"}))),
                    " or ".join(sorted(allowed))))
        if tree.get("role") == "retry" and tree.get("challenge_frame") is None:
            broken.append("frame %d: retry without challenge_frame" % number)
        if tree.get("role") == "challenge" and tree.get("outcome") == "accepted" \
                and (tree.get("retry_frame") is None or tree.get("result_frame") is None):
            broken.append("frame %d: accepted challenge without retry_frame/result_frame" % number)
    return observed, broken


def compare(truth, observed):
    problems = []
    for key in ("flows", "challenges", "retries", "retry_results", "missing_retries", "loop_flows", "verdicts"):
        if truth[key] != observed[key]:
            problems.append("%s: plugin %s, truth %s" % (key, observed[key], truth[key]))
    want = {k: v for k, v in truth["challenge_outcomes"].items() if v}
    if want != observed["challenge_outcomes"]:
        problems.append("challenge outcomes: plugin %s, truth %s" % (observed["challenge_outcomes"], want))
    for name, expected in truth["expert_frames"].items():
        got = observed["expert_frames"].get(name, 0)
        if got != expected:
            problems.append("expert %s on %d frames, truth %d" % (name, got, expected))
    bounds = truth["challenge_retransmissions"]
    got = observed["challenge_retransmissions"]
    if not bounds["min"] <= got <= bounds["max"]:
        problems.append("challenge retransmissions: plugin %d, truth %d..%d" % (got, bounds["min"], bounds["max"]))
    want = truth.get("credentials")
    if want is not None:    # older truths have no credentials: nothing to compare
        seen = observed["credentials"]
        retries = {k: v for k, v in want["retries"].items() if v}
        if retries != seen["retries"]:
            problems.append("credentials on retries: plugin %s, truth %s" % (seen["retries"], retries))
        if want["by_flow"] != seen["by_flow"]:
            problems.append("credentials per flow (retries in order): plugin %s, truth %s" % (
                seen["by_flow"], want["by_flow"]))
        for name, expected in want["expert_frames"].items():
            got = observed["expert_frames"].get(name, 0)
            if got != expected:
                problems.append("expert %s on %d frames, truth %d" % (name, got, expected))
    return problems


def check(wrapper, plugin, pcap, truth, table):
    frames = tshark(wrapper, plugin, pcap, two_pass=True, table=table)
    observed, broken = observe(frames)
    problems = compare(truth, observed) + broken[:10]
    if len(broken) > 10:
        problems.append("... %d more broken links" % (len(broken) - 10))
    single, _ = observe(tshark(wrapper, plugin, pcap, two_pass=False, table=table))
    for key in ("challenges", "retries"):
        if single[key] != truth[key]:
            problems.append("single pass %s: plugin %s, truth %s" % (key, single[key], truth[key]))
    return problems + registration_problems(wrapper, plugin, pcap, truth), observed


def registration_problems(wrapper, plugin, pcap, truth):
    """The registrations and sources tables and the attack findings (issue 17), where the truth has them."""
    if "registrations_truth" not in truth:
        return []
    sys.path.insert(0, os.path.join(HERE, "..", "registrations"))
    import check_registrations
    problems = []
    for mode in check_registrations.MODES:
        result = check_registrations.run_case(wrapper, plugin, pcap, truth["registrations_truth"], mode)
        for what, found in check_registrations.compare_case(result, truth["registrations_truth"], mode):
            problems += ["%s %s: %s" % (mode, what, p) for p in found]
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wrapper")
    parser.add_argument("plugin")
    parser.add_argument("dir")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--credentials", default=os.path.join(HERE, "credentials"),
                        help="the credentials table (UAT rows), by default the lab's")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    table = table_options(options.credentials)

    truths = sorted(glob.glob(os.path.join(options.dir, "*.truth.json")))
    if not truths:
        print("FAIL: no *.truth.json in %s" % options.dir)
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    for path in truths:
        name = os.path.basename(path)[:-len(".truth.json")]
        if options.only and name not in options.only:
            continue
        pcaps = [p for p in (os.path.join(options.dir, name + ext) for ext in (".pcap", ".pcap.gz", ".pcapng"))
                 if os.path.exists(p)]
        with open(path, encoding="utf-8") as f:
            truth = json.load(f)
        if not pcaps:
            problems, observed = ["no capture next to %s" % os.path.basename(path)], None
        else:
            try:
                problems, observed = check(options.wrapper, options.plugin, pcaps[0], truth, table)
            except (RuntimeError, subprocess.TimeoutExpired, ET.ParseError) as e:
                problems, observed = [str(e)], None
        summary = "%d flows, %s" % (truth["flows"], ", ".join(
            "%d x %s" % (n, k) for k, n in sorted(truth["challenges"].items())))
        if problems:
            failed += 1
            print("FAIL %s (%s)" % (name, summary))
            for problem in problems:
                print("    " + problem)
        else:
            passed += 1
            print("PASS %s (%s)" % (name, summary))
        if options.verbose and observed:
            print("    plugin: " + json.dumps(observed, sort_keys=True))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
