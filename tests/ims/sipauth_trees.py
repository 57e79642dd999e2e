"""What the plugin shows on a capture, read from tshark's PDML, and the names of its value lists: shared by
the IMS checkers (check_sec_captures.py, check_cx_captures.py)."""
import os
import re
import subprocess
import xml.etree.ElementTree as ET

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def names(header, block):
    """{value: name} of one of include/sipauth/HEADER's X-lists, e.g. names("vocabulary.h", "SA_ROLES")."""
    with open(os.path.join(ROOT, "include", "sipauth", header), encoding="utf-8") as f:
        text = f.read()
    text = text[text.index("#define " + block):]
    text = text[:text.index("\n\n")]
    return {m.group(1): m.group(2) for m in re.finditer(r'X\(\w+,\s*(\d+),\s*"([^"]+)"\)', text)}


def sipauth_trees(wrapper, plugin, path, args):
    """[(frame, [field elements])], one per SIPAUTH tree, in frame order (a frame may hold several)."""
    run = subprocess.run([wrapper, plugin, "-n", "-r", path, "-T", "pdml"] + args, capture_output=True, text=True,
                         timeout=300)
    if run.returncode != 0:
        raise RuntimeError("tshark exited %d: %s" % (run.returncode, run.stderr.strip()[-300:]))
    if "Dissector bug" in run.stdout + run.stderr:
        raise RuntimeError("dissector bug")
    trees = []
    for packet in ET.fromstring(run.stdout).iter("packet"):
        frame = next((f.get("show") for f in packet.iter("field") if f.get("name") == "frame.number"), None)
        for proto in packet.iter("proto"):
            if proto.get("name") == "sipauth":
                trees.append((frame, list(proto.iter("field"))))
    return trees


ROLES = names("vocabulary.h", "SA_ROLES")
VERDICTS = names("vocabulary.h", "SA_VERDICTS")


def named(value_names):
    """A reader of a value-list field: its name where the list has one, else the value as shown."""
    return lambda show: value_names.get(show, show)


def number(show):
    """A frame number or count as an int (a field shown otherwise stays text)."""
    return int(show) if show.isdigit() else show


# Every checker reads role and verdict by name.
NAMED = {"role": named(ROLES), "verdict": named(VERDICTS)}


def read_tree(fields, values, readers, expert):
    """Adds one SIPAUTH tree's fields to values: each sipauth.NAME that readers has as values[NAME] =
    readers[NAME](show), each expert info appended to values["experts"] as expert(field) reads it."""
    for field in fields:
        name = field.get("name", "")
        if name == "_ws.expert":
            values["experts"].append(expert(field))
        elif name.startswith("sipauth.") and name[len("sipauth."):] in readers:
            values[name[len("sipauth."):]] = readers[name[len("sipauth."):]](field.get("show", ""))
    values["experts"].sort()
    return values
