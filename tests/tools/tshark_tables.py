"""What the table checks share (tests/stats, tests/registrations): running tshark through the plugin wrapper,
reading the tables it prints with -z, and counting the checks.

The table titles are the plugin's (SPEC); a check script imports this module from tests/tools.
"""
import subprocess

STAT_TITLE = "SIP Authentication Challenges"
PROBLEMS_TITLE = "SIP Authentication Problems"
REG_TITLE = "SIP Authentication Registrations"
SRC_TITLE = "SIP Authentication Sources"
MODES = ("two-pass", "single-pass")


class Checks:
    """Counts the checks and prints one line each, "ok - WHAT" or "not ok - WHAT" and the detail indented."""

    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print("ok - %s" % what)
        else:
            self.failed += 1
            print("not ok - %s%s" % (what, ("\n    " + detail.replace("\n", "\n    ")) if detail else ""))
        return ok

    def check_problems(self, problems, what):
        """A check that passes when the list of problems found is empty; they are its detail."""
        return self.check(not problems, what, "\n".join(problems))

    def summary(self):
        """Prints "N passed, N failed"; the exit status: 0 when some checks ran and none failed."""
        print("%d passed, %d failed" % (self.passed, self.failed))
        return 0 if self.failed == 0 and self.passed > 0 else 1


def tshark(wrapper, plugin, mode, args, timeout):
    """Runs tshark through wrapper (tests/tools/tshark-plugin.sh) with plugin, in two passes (-2) when mode is
    "two-pass": (its output, "") or (None, what went wrong)."""
    cmd = [wrapper, plugin] + (["-2"] if mode == "two-pass" else []) + list(args)
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "tshark did not finish within %d s: %s" % (timeout, " ".join(cmd))
    if done.returncode != 0:
        return None, "exit %d: %s\n%s" % (done.returncode, " ".join(cmd), done.stderr.strip())
    return done.stdout, ""


def parse_tables(text):
    """{title: (column names, [row cells])} for every stat_tap_table printed by tshark -z."""
    tables, lines, i = {}, text.splitlines(), 0
    while i < len(lines):
        line = lines[i]
        if line.endswith(":") and i + 1 < len(lines) and lines[i + 1].startswith("Filter for statistics:"):
            title = line[:-1]
            header = [c.strip() for c in lines[i + 2].split("|")[:-1]]
            i += 3
            if i < len(lines) and lines[i].strip() == title:
                i += 1
            rows = []
            while i < len(lines) and not lines[i].startswith("====="):
                if lines[i].strip():
                    rows.append([c.strip() for c in lines[i].split("|")[:-1]])
                i += 1
            tables[title] = (header, rows)
        i += 1
    return tables
