"""Share of the shipped playbook lines that are match data (issue: aim at 40 % or less).

    python benchmarks/match_share.py

Match data = the lines of every rule's ``match:`` block (phrases, keywords, patterns, require/exclude), of
every reply behaviour's ``detect:`` block (signals), and the out-of-scope file. Everything else is what a
trainer reads: the advice, the examples and counter-examples (which the engine learns from and
``coach validate`` checks one by one against an index that never saw them), the vocabulary concepts and
the glossary. Lines are counted as the files hold them, blank lines and comments included.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PLAYBOOKS = Path(__file__).resolve().parents[1] / "playbooks"
BLOCK = re.compile(r"^(\s*)(match|detect):\s*$")


def match_lines(lines: list[str]) -> int:
    """Lines inside ``match:`` / ``detect:`` blocks (the key line included)."""
    count, indent = 0, None
    for line in lines:
        if indent is not None:
            body = line.strip()
            if not body or len(line) - len(line.lstrip()) > indent:
                count += 1
                continue
            indent = None
        if m := BLOCK.match(line):
            indent = len(m.group(1))
            count += 1
    return count


def main() -> int:
    total = matched = 0
    for path in sorted(PLAYBOOKS.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        n = len(lines) if path.name == "out-of-scope.yaml" else match_lines(lines)
        print(f"{path.name:40} {n:6} of {len(lines):6} lines are match data")
        total += len(lines)
        matched += n
    print(f"match data: {matched} of {total} playbook lines = {matched / total:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
