"""Score one half of a labelled set that carries ``split: tune | measure`` (the project's own sets).

    python benchmarks/eval_split.py tests/data/replies-context-independent.yaml measure [--show-misses]

The ``measure`` half is never looked at case by case while changing rules: only its summary line is
reported. The ``tune`` half may be read miss by miss. Runs ../shared/eval/score.py on a temporary file.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

SCORE = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "score.py"


def main() -> int:
    if len(sys.argv) < 3 or sys.argv[2] not in ("tune", "measure", "all"):
        print("usage: eval_split.py CASES.yaml tune|measure|all [score.py options]", file=sys.stderr)
        return 2
    cases = yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8"))
    part = [c for c in cases if sys.argv[2] == "all" or c.get("split") == sys.argv[2]]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as fh:
        yaml.safe_dump(part, fh, allow_unicode=True)
    try:
        return subprocess.call([sys.executable, str(SCORE), fh.name, *sys.argv[3:]])
    finally:
        Path(fh.name).unlink()


if __name__ == "__main__":
    sys.exit(main())
