#!/usr/bin/env python3
"""Checks the plugin on the Diameter Cx captures (pcaps/ims/cx-*.pcap) against their known answers
(pcaps/ims/cx-expected.json, written by gen_cx_captures.py): per frame, the role, verdict, credentials, the Cx
fields (mar_frame, maa_frame, hss_time: present and >= 0, sar_frame, saa_frame, hss_result) and the expert
infos, in two passes, one pass, and two passes with -o sipauth.diameter:FALSE. A frame the answers do not list
must carry no Cx field and no Cx finding. The Cx findings are compared by name only (their severity as a
detail under a verdict is the feature's to decide).

Each problem is counted as a Cx one (a Cx field, the credentials of a retry, the credentials or Cx findings, a
tree only the Cx rules expect, the sipauth.diameter preference) or another one, so that a build without Cx
shows that it fails on Cx only.
Usage: check_cx_captures.py WRAPPER PLUGIN [PCAPS_DIR]
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
sys.path.insert(0, os.path.join(ROOT, "tests", "ims"))
from run_e2e import expert_token  # noqa: E402  (the e2e tests' reading of an expert info)
from sipauth_trees import NAMED, named, names, number, read_tree, sipauth_trees  # noqa: E402

CX_FIELDS = ("mar_frame", "maa_frame", "hss_time", "sar_frame", "saa_frame", "hss_result")
CX_FINDINGS = ("hss_error", "no_auth_vector", "resync_loop")
# The findings the MAA's XRES/HA1 brings to a retry; with the Cx ones, what a build without Cx cannot show.
CX_EXPERTS = CX_FINDINGS + ("credentials_correct", "wrong_credentials")
MODES = {"two-pass": ["-2"], "single-pass": [], "no-diameter": ["-2", "-o", "sipauth.diameter:FALSE"]}
CREDENTIALS = names("verify.h", "SA_CREDENTIALS")


def token(expert):
    t = expert_token(expert)
    name = t.split(":", 1)[0]
    return name if name in CX_FINDINGS else t


READERS = dict(NAMED, credentials=named(CREDENTIALS), hss_time=lambda show: float(show.split()[0]),
               **{f: number for f in CX_FIELDS if f != "hss_time"})


def shown(wrapper, plugin, path, args):
    """{frame: values} of every frame with a SIPAUTH tree (a frame's trees read as one)."""
    out = {}
    for frame, fields in sipauth_trees(wrapper, plugin, path, args):
        read_tree(fields, out.setdefault(frame, {"experts": []}), READERS, token)
    return out


def compare(frame, want, have):
    """[(is_cx, text)] of the differences on one frame."""
    problems = []
    if have is None:
        cx_only = "role" not in want
        return [(cx_only, "frame %s: no SIPAUTH tree" % frame)]
    keys = set(want) | (set(have) & set(CX_FIELDS + ("credentials", "experts")))
    if "role" in want:
        keys |= set(have) & {"role", "verdict"}
    for name in sorted(keys):
        w, h = want.get(name), have.get(name)
        if name == "hss_time" and w is not None:
            if h is None or h < 0:
                problems.append((True, "frame %s: hss_time is %r, expected present and >= 0" % (frame, h)))
            continue
        if name == "experts":
            w, h = w or [], h or []
            if w != h:
                other = [x for x in set(w) ^ set(h) if x.split(":")[0] not in CX_EXPERTS]
                problems.append((not other, "frame %s: experts are %r, expected %r" % (frame, h, w)))
            continue
        if w != h:
            problems.append((name in CX_FIELDS or name == "credentials",
                             "frame %s: %s is %r, expected %r" % (frame, name, h, w)))
    return problems


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    wrapper, plugin = sys.argv[1], sys.argv[2]
    pcaps = sys.argv[3] if len(sys.argv) > 3 else os.path.join(ROOT, "pcaps", "ims")
    with open(os.path.join(pcaps, "cx-expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    failures = checked = cx_problems = other_problems = 0
    for pcap, modes in sorted(expected.items()):
        for mode, frames in sorted(modes.items()):
            problems = []
            try:
                got = shown(wrapper, plugin, os.path.join(pcaps, pcap), MODES[mode])
            except RuntimeError as e:
                # A build without Cx has no sipauth.diameter preference: tshark refuses the -o.
                problems.append(("sipauth.diameter" in str(e) and mode == "no-diameter", "tshark: %s" % e))
                got = None
            if got is not None:
                for frame, want in sorted(frames.items(), key=lambda kv: int(kv[0])):
                    problems += compare(frame, want, got.get(frame))
                for frame, have in sorted(got.items(), key=lambda kv: int(kv[0])):
                    if frame in frames:
                        continue
                    stray = [n for n in CX_FIELDS if n in have] + [x for x in have["experts"] if x in CX_FINDINGS]
                    if stray:
                        problems.append((True, "frame %s (not in the answers): %s" % (frame, ", ".join(stray))))
            checked += 1
            failures += bool(problems)
            cx_problems += sum(1 for cx, _ in problems if cx)
            other_problems += sum(1 for cx, _ in problems if not cx)
            print("%s %s (%s)" % ("FAIL" if problems else "PASS", pcap, mode))
            for cx, text in problems:
                print("  %s %s" % ("[cx]" if cx else "[other]", text))
    print("%d checked, %d failed; problems: %d Cx, %d other" % (checked, failures, cx_problems, other_problems))
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
