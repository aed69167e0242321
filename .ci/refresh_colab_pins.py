"""Rewrite .ci/colab-requirements.txt with Colab's current versions.

Usage: ``python3 .ci/refresh_colab_pins.py`` (network: GitHub), or
``python3 .ci/refresh_colab_pins.py pip-freeze.txt`` with a copy of the list.

Every ``name==version`` line whose package is in Colab's list takes Colab's
version; lines marked "not in Colab's list" keep theirs. The source line of
the header gets the newest commit and date of the list. Review the diff and
run ``make test`` afterwards: a new Colab package may need a new pin here.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys
import urllib.request

REPO = "googlecolab/backend-info"
FREEZE = f"https://raw.githubusercontent.com/{REPO}/main/pip-freeze.txt"
COMMITS = f"https://api.github.com/repos/{REPO}/commits?path=pip-freeze.txt&per_page=1"
PINS = pathlib.Path(__file__).with_name("colab-requirements.txt")
LINE = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)(.*)$")


def normal(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def colab_versions(text):
    return {normal(m.group(1)): m.group(2) for m in map(LINE.match, text.splitlines()) if m}


def refresh(pins_text, freeze_text, commit=None, date=None):
    """The requirements text with Colab's versions; ``(text, changes)``."""
    colab, out, changes = colab_versions(freeze_text), [], []
    for line in pins_text.splitlines():
        match = LINE.match(line)
        if match and "not in Colab's list" not in match.group(3):
            name, old = match.group(1), match.group(2)
            new = colab.get(normal(name))
            if new is None:
                changes.append(f"{name}: no longer in Colab's list (kept {old}; mark or drop it)")
            elif new != old:
                changes.append(f"{name}: {old} -> {new}")
                line = f"{name}=={new}{match.group(3)}"
        elif commit and line.startswith("# commit "):
            line = f"# commit {commit[:12]} of {date}."
        out.append(line)
    return "\n".join(out) + "\n", changes


def main(argv):
    if argv:
        freeze, commit, date = pathlib.Path(argv[0]).read_text(), None, None
    else:
        freeze = urllib.request.urlopen(FREEZE, timeout=60).read().decode()
        latest = json.load(urllib.request.urlopen(COMMITS, timeout=60))[0]
        commit, date = latest["sha"], latest["commit"]["committer"]["date"][:10]
    text, changes = refresh(PINS.read_text(), freeze, commit, date)
    PINS.write_text(text)
    print("\n".join(changes) or "No version changed.")


if __name__ == "__main__":
    main(sys.argv[1:])
