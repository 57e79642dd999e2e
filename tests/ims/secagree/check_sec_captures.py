#!/usr/bin/env python3
"""Checks the plugin on the security agreement captures (pcaps/ims/sec-*.pcap) against their known answers
(pcaps/ims/sec-expected.json, written by gen_sec_captures.py): per frame, the role, verdict, the agreement's
fields (sec_mechanism, spi_c, spi_s, port_c, port_s, esp_frame, retry_frame, result_frame) and the expert infos
(finding, and ':severity' where it is not the registered one), in two passes, one pass, and two passes with the
ESP NULL heuristic on where the answers have that variant.

Usage: check_sec_captures.py WRAPPER PLUGIN [PCAPS_DIR]
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
sys.path.insert(0, os.path.join(ROOT, "tests", "ims"))
from run_e2e import expert_token  # noqa: E402  (the e2e tests' reading of an expert info)
from sipauth_trees import NAMED, number, read_tree, sipauth_trees  # noqa: E402

FIELDS = ("sec_mechanism", "spi_c", "spi_s", "port_c", "port_s", "esp_frame", "retry_frame", "result_frame")
MODES = {"two-pass": ["-2"], "single-pass": [],
         "esp-heuristic": ["-2", "-o", "esp.enable_null_encryption_decode_heuristic:TRUE"]}




READERS = dict(NAMED, **{f: number for f in FIELDS})


def shown(wrapper, plugin, path, args):
    """{frame: values} of every frame with a SIPAUTH tree (a frame's last tree)."""
    return {frame: read_tree(fields, {"experts": []}, READERS, expert_token)
            for frame, fields in sipauth_trees(wrapper, plugin, path, args)}


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    wrapper, plugin = sys.argv[1], sys.argv[2]
    pcaps = sys.argv[3] if len(sys.argv) > 3 else os.path.join(ROOT, "pcaps", "ims")
    with open(os.path.join(pcaps, "sec-expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    failures = checked = 0
    for pcap, modes in sorted(expected.items()):
        for mode, frames in sorted(modes.items()):
            got = shown(wrapper, plugin, os.path.join(pcaps, pcap), MODES[mode])
            problems = []
            for frame, want in sorted(frames.items(), key=lambda kv: int(kv[0])):
                have = got.get(frame)
                if have is None:
                    problems.append("frame %s: no SIPAUTH tree" % frame)
                    continue
                for name in sorted(set(want) | (set(have) & (set(FIELDS) | {"role", "verdict", "experts"}))):
                    if want.get(name) != have.get(name):
                        problems.append("frame %s: %s is %r, expected %r" % (frame, name, have.get(name),
                                                                            want.get(name)))
            checked += 1
            failures += bool(problems)
            print("%s %s (%s)" % ("FAIL" if problems else "PASS", pcap, mode))
            for p in problems:
                print("  " + p)
    print("%d checked, %d failed" % (checked, failures))
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
