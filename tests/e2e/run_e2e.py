#!/usr/bin/env python3
"""Runs the real tshark with the built plugin on a capture and checks, frame by frame, what SIPAUTH shows.

Usage: run_e2e.py WRAPPER PLUGIN CASE.expect [--mode two-pass|single-pass] [--pcaps DIR] [-- extra tshark args]
The case format is described in tests/e2e/cases/README.md.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET

FIELDS = ("flow", "role", "attempt", "challenge_code", "request_frame", "challenge_frame", "ack_frame",
          "retry_frame", "result_frame", "result_code", "time_to_retry", "outcome", "heuristic",
          "verdict", "first_request_frame", "final_frame", "auth_time", "refusals", "result_reason",
          "dns_queries", "dns_unanswered", "dns_frame",
          "credentials", "credentials_reason", "algorithm", "qop", "username", "attack_source", "attack_usernames")
# Known fields not compared here: the security agreement's (SPEC section 11), checked by the IMS tests
# (tests/ims/secagree) with their own known answers.
IGNORED = ("sec_mechanism", "spi_c", "spi_s", "port_c", "port_s", "esp_frame")
LABELLED = {"role", "outcome", "verdict", "credentials"}
TIMES = {"time_to_retry", "auth_time"}
SPACED = {"result_reason", "username", "algorithm", "qop"}      # shown with underscores for spaces
INCLUDE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include", "sipauth")
FINDINGS_H = os.path.join(INCLUDE, "findings.h")
VERIFY_H = os.path.join(INCLUDE, "verify.h")
SEVERITY_NAMES = {"ERROR": "error", "WARN": "warning", "NOTE": "note", "CHAT": "chat"}


def registered_severities():
    """{finding abbreviation: severity name} as include/sipauth/findings.h declares them."""
    with open(FINDINGS_H, encoding="utf-8") as f:
        text = f.read()
    return {m.group(1): SEVERITY_NAMES[m.group(2)]
            for m in re.finditer(r'X\(\w+,\s*"(\w+)",\s*\w+,\s*(\w+),', text)}


REGISTERED = registered_severities()


def check_reasons():
    """{text the tree shows: key} of credentials_reason, from include/sipauth/verify.h's SA_CHECK_REASONS: the
    key is the enum name in lower case (BODY_CUT -> body_cut)."""
    with open(VERIFY_H, encoding="utf-8") as f:
        text = f.read()
    block = text[text.index("#define SA_CHECK_REASONS"):]
    block = block[:block.index("typedef")]
    return {m.group(2): m.group(1).lower() for m in re.finditer(r'X\((\w+),\s*"([^"]*)"\)', block) if m.group(2)}


REASONS = check_reasons()


def parse_case(path, mode):
    """Returns (pcap name, extra tshark args, {frame key: expectation dict or None})."""
    pcap, args, lines, overrides = None, [], {}, {}
    section = lines
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("pcap:"):
                pcap = line.split(":", 1)[1].strip()
                continue
            if line.startswith("args:"):
                args += shlex.split(line.split(":", 1)[1])
                continue
            if line == "[single-pass]":
                section = overrides
                continue
            key, _, rest = line.partition(" ")
            section[normalise_key(key)] = parse_expectation(rest.strip())
    if mode == "single-pass":
        lines.update(overrides)
    return pcap, args, lines


def normalise_key(key):
    return key if "/" in key else key + "/1"


def parse_expectation(text):
    if text == "none":
        return None
    expected = {}
    for token in text.split():
        name, _, value = token.partition("=")
        if name == "experts":
            expected[name] = sorted(v for v in value.split(",") if v)
        elif name in ("outcome", "verdict") and value == "unknown":
            expected[name] = "unknown_(single_pass)"
        else:
            expected[name] = value
    expected.setdefault("experts", [])
    return expected


def field_value(field):
    short = field.get("name")[len("sipauth."):]
    if short in LABELLED:
        match = re.match(r"^[^:]*: (.*) \(\d+\)$", field.get("showname", ""))
        return match.group(1).replace(" ", "_") if match else field.get("show")
    show = field.get("show", "")
    if short in TIMES:
        return show.split()[0]
    if short == "credentials_reason":
        return REASONS.get(show, show.replace(" ", "_"))
    if short in SPACED:
        return show.replace(" ", "_")
    if short == "heuristic":
        return "1" if show.lower() in ("1", "true") else "0"
    return show


def shown_by_plugin(pdml):
    """{frame/N: {field: value, experts: [...]}} for every SIPAUTH tree in the PDML output."""
    shown = {}
    root = ET.fromstring(pdml)
    for packet in root.iter("packet"):
        frame = None
        for proto in packet.iter("proto"):
            if proto.get("name") == "frame":
                for field in proto.iter("field"):
                    if field.get("name") == "frame.number":
                        frame = field.get("show")
                        break
        index = 0
        for proto in packet.iter("proto"):
            if proto.get("name") != "sipauth":
                continue
            index += 1
            values = {"experts": []}
            for field in proto.iter("field"):
                name = field.get("name", "")
                if name.startswith("sipauth.") and name[len("sipauth."):] in FIELDS:
                    values[name[len("sipauth."):]] = field_value(field)
                elif name == "_ws.expert":
                    values["experts"].append(expert_token(field))
                elif name.startswith("sipauth.") and name[len("sipauth."):] in IGNORED:
                    pass
                elif name.startswith("sipauth.") and name[len("sipauth."):] not in REGISTERED:
                    values["experts"].append("unknown field " + name)
            values["experts"].sort()
            shown["%s/%d" % (frame, index)] = values
    return shown


def expert_token(expert):
    """The finding of an expert info, with ':severity' where it is not the finding's registered one (a
    detail under its frame's verdict shows at Note)."""
    finding, severity = None, None
    for child in expert:
        name = child.get("name", "")
        if name.startswith("sipauth."):
            finding = name[len("sipauth."):]
        elif name == "_ws.expert.severity":
            severity = child.get("showname", "").split(": ", 1)[-1].lower()
    if finding is None:
        return "expert of another protocol"
    return finding if severity == REGISTERED.get(finding) else "%s:%s" % (finding, severity)


def sort_key(key):
    frame, index = key.split("/")
    return int(frame), int(index)


def compare(expected, shown):
    problems = []
    for key in sorted(set(expected) | set(shown), key=sort_key):
        want, got = expected.get(key), shown.get(key)
        if want is None and got is None:
            continue
        if want is None:
            problems.append("frame %s: unexpected SIPAUTH tree %s" % (key, got))
            continue
        if got is None:
            problems.append("frame %s: no SIPAUTH tree, expected %s" % (key, want))
            continue
        for name in sorted(set(want) | set(got)):
            if want.get(name) != got.get(name):
                problems.append("frame %s: %s is %s, expected %s" % (key, name, got.get(name), want.get(name)))
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("wrapper")
    parser.add_argument("plugin")
    parser.add_argument("case")
    parser.add_argument("--mode", choices=("two-pass", "single-pass"), default="two-pass")
    parser.add_argument("--pcaps", default=os.path.join(os.path.dirname(__file__), "..", "..", "pcaps"))
    parser.add_argument("extra", nargs="*")
    options = parser.parse_args()

    pcap, case_args, expected = parse_case(options.case, options.mode)
    command = [options.wrapper, options.plugin, "-n", "-r", os.path.join(options.pcaps, pcap), "-T", "pdml"]
    if options.mode == "two-pass":
        command.append("-2")
    command += case_args + options.extra
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    name = "%s (%s)" % (os.path.basename(options.case), options.mode)
    if run.returncode != 0:
        print("FAIL %s: tshark exited %d\n%s" % (name, run.returncode, run.stderr))
        print("0 passed, 1 failed")
        return 1
    problems = compare(expected, shown_by_plugin(run.stdout))
    if "Dissector bug" in run.stdout or "Dissector bug" in run.stderr:
        problems.append("tshark reported a dissector bug")
    for problem in problems:
        print("  " + problem)
    print("%s %s: %d frames checked" % ("FAIL" if problems else "PASS", name, len(expected)))
    print("%d passed, %d failed" % (0 if problems else 1, 1 if problems else 0))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
