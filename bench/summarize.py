#!/usr/bin/env python3
"""Prints the benchmark's medians and ratios from the results file that bench/run.sh writes.

Wall time: median and minimum (the least disturbed run on a busy machine); CPU time (user + sys)
and maximum RSS: medians. Ratios are to plain tshark.

Each line of the results file: kind mode variant run wall_s max_rss_kb user_s sys_s [flows]
(kind is "time" for the paired runs, "mem" for the memory-per-flow runs).
"""
import statistics
import sys
from collections import defaultdict

VARIANTS = ["plain", "plugin", "floor", "floor11", "lua"]


def main(path):
    runs = defaultdict(list)
    mem = defaultdict(dict)
    with open(path) as fp:
        for line in fp:
            f = line.split()
            if not f:
                continue
            kind, mode, variant = f[0], f[1], f[2]
            wall, rss, user, sys_ = float(f[4]), int(f[5]), float(f[6]), float(f[7])
            if kind == "time":
                runs[(mode, variant)].append((wall, rss, user + sys_))
            elif kind == "mem":
                mem[int(f[8])][variant] = rss

    modes = []
    for mode, _ in runs:
        if mode not in modes:
            modes.append(mode)
    for mode in modes:
        base = runs.get((mode, "plain"))
        if not base:
            continue
        bw = statistics.median(r[0] for r in base)
        bc = statistics.median(r[2] for r in base)
        br = statistics.median(r[1] for r in base)
        bmin = min(r[0] for r in base)
        print("mode %-7s (%d runs each)  %-7s %9s %7s %9s %7s %9s %7s %10s %8s" % (
            mode, len(base), "variant", "wall s", "ratio", "min s", "ratio", "cpu s", "ratio", "maxRSS MB", "ratio"))
        for v in VARIANTS:
            r = runs.get((mode, v))
            if not r:
                continue
            w = statistics.median(x[0] for x in r)
            c = statistics.median(x[2] for x in r)
            m = statistics.median(x[1] for x in r)
            low = min(x[0] for x in r)
            print("%-30s %-7s %9.2f %7.3f %9.2f %7.3f %9.2f %7.3f %10.1f %8.3f" % (
                "", v, w, w / bw, low, low / bmin, c, c / bc, m / 1024, m / br))
        cpu = {v: statistics.median(x[2] for x in runs[(mode, v)]) for v in VARIANTS if (mode, v) in runs}
        notes = []
        if "plugin" in cpu and "floor" in cpu:
            notes.append("plugin/floor cpu %.3f" % (cpu["plugin"] / cpu["floor"]))
        if "plugin" in cpu and "lua" in cpu and cpu["plugin"] > bc:
            notes.append("extra cpu over plain: plugin %.2f s, lua %.2f s (%.1fx less)" % (
                cpu["plugin"] - bc, cpu["lua"] - bc, (cpu["lua"] - bc) / (cpu["plugin"] - bc)))
        if notes:
            print("%-30s %s" % ("", "; ".join(notes)))
    for flows in sorted(mem):
        m = mem[flows]
        if "plain" not in m:
            continue
        parts = ["%s %.1f MB" % (v, m[v] / 1024) for v in VARIANTS if v in m]
        line = "memory at %d flows: %s" % (flows, ", ".join(parts))
        if "plugin" in m:
            line += "; plugin-plain %.0f B/flow" % ((m["plugin"] - m["plain"]) * 1024 / flows)
        if "plugin" in m and "floor" in m:
            line += ", plugin-floor %.0f B/flow" % ((m["plugin"] - m["floor"]) * 1024 / flows)
        print(line)


if __name__ == "__main__":
    main(sys.argv[1])
