#!/usr/bin/env python3
"""The "SIP authentication" profile with the real tshark and the built plugin.

Usage: check_profile.py columns|colors|buttons RUNNER PLUGIN PROFILE_DIR PCAPS CASES [global|personal]

RUNNER is tests/profile/profile-env.sh: the plugin set of the tests, with the profile installed globally
(a private mirror of Wireshark's data folder: -C copies it into the personal folder) or personally.

- columns: `tshark -2 -C "SIP authentication"` prints the profile's column titles (PSML structure) and
  columns, compared with expected/*.columns (written by hand from the cases' expectations).
- colors:  `tshark -2 --color` on a terminal colours each frame of the bundled captures by its flow's verdict
  as tests/e2e/cases/*.expect gives it (never as the plugin says): broken red, refused orange, healthy
  muted, other frames none of these; the colours are read from the profile's colorfilters.
- buttons: every filter button of the profile's dfilter_buttons, run with -Y, selects exactly the frames of
  buttons.expect on its captures; every button has expectations, and selects something somewhere.
"""
import os
import pty
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

NAME = "SIP authentication"
HERE = os.path.dirname(os.path.abspath(__file__))

# The profile's split of the verdicts (SPEC section 9), by coloring rule name.
BROKEN = {"challenge_loop", "no_retry", "rejected", "retry_unanswered"}
REFUSED = {"refused"}
HEALTHY = {"accepted", "accepted_after_nonce_refresh", "accepted_after_refusal"}
RULES = {"broken": "SIP auth: broken flow", "refused": "SIP auth: credentials refused",
         "healthy": "SIP auth: authenticated"}

# Captures of the colour check: one or more of each verdict, frames outside any flow, several flows per frame.
COLOR_CAPTURES = ["invite-407-loop", "register-401-refused", "invite-407-ok", "register-401-stale",
                  "invite-407-no-retry", "invite-407-retry-403", "register-401-retry-unanswered",
                  "register-401-no-retry-restart", "tcp-two-messages-one-segment", "cred-refused",
                  "slow-retry-nonce-echo", "mid-flow-start"]


def fail(msg):
    print("FAIL: " + msg)
    return 1


def case_file(cases, capture):
    return os.path.join(cases, capture + ".expect")


def case_args(cases, capture):
    """The tshark arguments a capture's case gives (a credentials table)."""
    args = []
    path = case_file(cases, capture)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("args:"):
                    args += shlex.split(line.split(":", 1)[1])
    return args


def case_verdicts(cases, capture):
    """{frame: set of verdicts of its messages} from the case's two-pass expectations."""
    verdicts = {}
    with open(case_file(cases, capture), encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if line == "[single-pass]":
                break
            if not line or line.startswith(("pcap:", "args:")):
                continue
            key, _, rest = line.partition(" ")
            frame = int(key.split("/")[0])
            verdicts.setdefault(frame, set())
            m = re.search(r"(?:^|\s)verdict=(\S+)", rest)
            if m:
                verdicts[frame].add(m.group(1))
    return verdicts


def setup(ctx):
    """One plugin set with the profile for every run of this check (profile-env.sh)."""
    ctx.work = tempfile.mkdtemp(prefix="sipauth-profile.")
    res = subprocess.run([ctx.runner, ctx.work, ctx.plugin, ctx.mode, ctx.profile], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, timeout=300)
    if res.returncode != 0:
        raise RuntimeError("profile-env.sh: exit %d: %s" % (res.returncode, res.stderr))
    ctx.prefix = res.stdout.splitlines()
    ctx.copied = {}


def readable(ctx, path):
    """A copy of an input file that the plugin set's user (nobody when root) can read."""
    if path not in ctx.copied:
        dest = os.path.join(ctx.work, "in", os.path.basename(path))
        shutil.copyfile(path, dest)
        os.chmod(dest, 0o644)
        ctx.copied[path] = dest
    return ctx.copied[path]


def tshark(ctx, args, tty=False):
    args = [readable(ctx, a) if i > 0 and args[i - 1] == "-r" else a for i, a in enumerate(args)]
    cmd = ctx.prefix + ["tshark"] + args
    if not tty:
        res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=300)
        if res.returncode != 0:
            raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), res.returncode, res.stderr))
        return res.stdout
    # tshark colours its output only on a terminal that says it has 24-bit colours.
    master, slave = pty.openpty()
    env = dict(os.environ, COLORTERM="truecolor")
    proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
    os.close(master)
    err = proc.stderr.read().decode()
    if proc.wait() != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), proc.returncode, err))
    return out.decode("utf-8", "replace").replace("\r\n", "\n")


# ---- columns

def columns_of(ctx, capture):
    """The column titles (PSML structure) and the tab-separated rows of tshark -2 -C NAME."""
    pcap = os.path.join(ctx.pcaps, capture + ".pcap")
    args = ["-C", NAME, "-2", "-r", pcap] + case_args(ctx.cases, capture)
    psml = tshark(ctx, args + ["-T", "psml", "-c", "1"])
    titles = re.findall(r"<section>([^<]*)</section>", psml.split("</structure>")[0])
    rows = tshark(ctx, args + ["-T", "tabs"])
    lines = ["\t".join(titles)]
    for row in rows.splitlines():
        # -T tabs puts tshark's arrow between the addresses in a cell of its own.
        lines.append("\t".join(cell.strip() for cell in row.split("\t") if cell.strip() != "\u2192"))
    return "\n".join(lines) + "\n"


def check_columns(ctx):
    problems = 0
    expected_dir = os.path.join(HERE, "expected")
    files = sorted(f for f in os.listdir(expected_dir) if f.endswith(".columns"))
    if not files:
        return fail("no expected/*.columns")
    for name in files:
        capture = name[:-len(".columns")]
        with open(os.path.join(expected_dir, name), encoding="utf-8") as f:
            want = f.read()
        got = columns_of(ctx, capture)
        if got != want:
            problems += 1
            print("FAIL: %s: columns differ (%s install)" % (capture, ctx.mode))
            import difflib
            sys.stdout.writelines(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                                       "expected/" + name, "tshark"))
        else:
            print("ok: %s: %d rows" % (capture, got.count("\n") - 1))
    return 1 if problems else 0


# ---- colours

def profile_colors(profile):
    """{rule name: ((fg r,g,b), (bg r,g,b))} in 8 bits, as tshark prints them, from the profile's colorfilters."""
    rules = {}
    with open(os.path.join(profile, "colorfilters"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^@([^@]*)@[^@]*@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]", line)
            if m:
                bg = tuple(int(v) >> 8 for v in m.group(2, 3, 4))
                fg = tuple(int(v) >> 8 for v in m.group(5, 6, 7))
                rules.setdefault(m.group(1), (fg, bg))
    return rules


ESC = re.compile(r"\x1b\[38;2;(\d+);(\d+);(\d+)m\x1b\[48;2;(\d+);(\d+);(\d+)m")


def frame_colors(out):
    """{frame: (fg, bg) or None} from tshark --color's lines."""
    colors = {}
    for line in out.split("\n"):
        m = ESC.search(line)
        plain = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line)
        n = re.match(r"\s*(\d+)\s", plain)
        if not n:
            continue
        colors[int(n.group(1))] = ((tuple(int(v) for v in m.group(1, 2, 3)),
                                    tuple(int(v) for v in m.group(4, 5, 6))) if m else None)
    return colors


def expected_class(verdicts):
    if verdicts & BROKEN:
        return "broken"
    if verdicts & REFUSED:
        return "refused"
    if verdicts & HEALTHY:
        return "healthy"
    return None


def check_colors(ctx):
    rules = profile_colors(ctx.profile)
    for cls, name in RULES.items():
        if name not in rules:
            return fail("the profile has no coloring rule %r" % name)
    ours = {rules[name]: cls for cls, name in RULES.items()}
    if len(ours) != 3:
        return fail("the three sipauth rules must have three different colours")
    problems, seen = 0, {"broken": 0, "refused": 0, "healthy": 0, None: 0}
    for capture in COLOR_CAPTURES:
        verdicts = case_verdicts(ctx.cases, capture)
        pcap = os.path.join(ctx.pcaps, capture + ".pcap")
        out = tshark(ctx, ["-C", NAME, "-2", "--color", "-r", pcap] + case_args(ctx.cases, capture), tty=True)
        colors = frame_colors(out)
        if not set(verdicts) <= set(colors):
            problems += 1
            print("FAIL: %s: tshark printed frames %s, the case has %s" % (capture, sorted(colors), sorted(verdicts)))
            continue
        for frame in colors:
            verdicts.setdefault(frame, set())    # no SIPAUTH on it: not in the case
        for frame in sorted(verdicts):
            want = expected_class(verdicts[frame])
            color = colors[frame]
            got = ours.get(color)
            seen[want] += 1
            if got != want:
                problems += 1
                print("FAIL: %s frame %d (verdicts %s): coloured %s %s, want %s" %
                      (capture, frame, sorted(verdicts[frame]) or "none", got or "by another rule", color, want))
        print("ok: %s: %d frames" % (capture, len(verdicts)) if not problems else "checked: %s" % capture)
    for cls, count in seen.items():
        if count == 0:
            problems += 1
            print("FAIL: no frame of class %s in the captures: the check proves nothing for it" % cls)
    print("frames per colour: %s" % seen)
    return 1 if problems else 0


# ---- filter buttons

def unescape_uat(text):
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), text)


def profile_buttons(profile):
    """[(label, expression)] of the profile's dfilter_buttons (a UAT: "enabled","label","expr","comment")."""
    buttons = []
    with open(os.path.join(profile, "dfilter_buttons"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = re.findall(r'"((?:[^"\\]|\\.)*)"', line)
            if len(fields) != 4 or fields[0] != "TRUE":
                raise ValueError("bad dfilter_buttons line: " + line)
            buttons.append((unescape_uat(fields[1]), unescape_uat(fields[2])))
    return buttons


def parse_frames(text):
    frames = []
    for part in text.split(","):
        part = part.strip()
        if not part or part == "-":
            continue
        if "-" in part:
            a, b = part.split("-")
            frames += range(int(a), int(b) + 1)
        else:
            frames.append(int(part))
    return frames


def buttons_expect():
    """{label: [(capture, frames)]} from buttons.expect: `label | capture | frames` ("-": none)."""
    want = {}
    with open(os.path.join(HERE, "buttons.expect"), encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            label, capture, frames = (p.strip() for p in line.split("|"))
            want.setdefault(label, []).append((capture, parse_frames(frames)))
    return want


def check_buttons(ctx):
    buttons = profile_buttons(ctx.profile)
    want = buttons_expect()
    problems = 0
    labels = [label for label, _ in buttons]
    for label in sorted(set(want) - set(labels)):
        problems += 1
        print("FAIL: buttons.expect names %r, which is no button of the profile" % label)
    for label, expr in buttons:
        if label not in want:
            problems += 1
            print("FAIL: button %r has no expectation in buttons.expect" % label)
            continue
        if not any(frames for _, frames in want[label]):
            problems += 1
            print("FAIL: button %r selects nothing in any of its captures: the check proves nothing" % label)
        for capture, frames in want[label]:
            pcap = os.path.join(ctx.pcaps, capture + ".pcap")
            out = tshark(ctx, ["-C", NAME, "-2", "-r", pcap, "-Y", expr, "-T", "fields", "-e", "frame.number"]
                         + case_args(ctx.cases, capture))
            got = [int(v) for v in out.split()]
            if got != frames:
                problems += 1
                print("FAIL: button %r (%s) on %s: frames %s, want %s" % (label, expr, capture, got, frames))
            else:
                print("ok: %r on %s: %s" % (label, capture, got))
    return 1 if problems else 0


class Ctx:
    pass


def main():
    if len(sys.argv) < 7:
        print(__doc__)
        return 2
    ctx = Ctx()
    what = sys.argv[1]
    ctx.runner, ctx.plugin, ctx.profile, ctx.pcaps, ctx.cases = sys.argv[2:7]
    ctx.mode = sys.argv[7] if len(sys.argv) > 7 else "global"
    checks = {"columns": check_columns, "colors": check_colors, "buttons": check_buttons}
    if what not in checks:
        print(__doc__)
        return 2
    setup(ctx)
    try:
        return checks[what](ctx)
    finally:
        shutil.rmtree(ctx.work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
