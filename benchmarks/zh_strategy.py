"""Measure how to treat Chinese text (no spaces between words): character bigrams, single characters,
both, or bigrams plus trigrams. Prints top-1 accuracy and abstention on Chinese cases for each.

    python benchmarks/zh_strategy.py [CASES.yaml ...]

Default cases: tests/data/situations-independent.yaml (written independently of the playbooks).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from coach.content.loader import load_default
from coach.engine import build_index, rank
from coach.engine.normalize import language_of

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    files = [Path(p) for p in sys.argv[1:]] or [ROOT / "tests/data/situations-independent.yaml"]
    cases = [c for f in files for c in yaml.safe_load(f.read_text(encoding="utf-8"))]
    zh = [c for c in cases if language_of(c["text"]) == "zh"]
    lib = load_default()
    print(f"{len(zh)} Chinese cases from {', '.join(f.name for f in files)}")
    for mode in ("bigram", "unigram", "both", "trigram"):
        started = time.perf_counter()
        index = build_index(lib, zh_mode=mode)
        built = time.perf_counter() - started
        inside = [c for c in zh if c["expect"] != "none"]
        outside = [c for c in zh if c["expect"] == "none"]
        hits = 0
        for c in inside:
            ids = [m.id for m in rank(index, c["text"]).matches]
            hits += bool(ids) and ids[0] in {c["expect"], *(c.get("accept") or [])}
        rejected = sum(1 for c in outside if not rank(index, c["text"]).matches)
        print(
            f"{mode:8} top1 {hits / max(len(inside), 1):.3f}  abstain {rejected / max(len(outside), 1):.3f}"
            f"  features {len(index.idf):6d}  build {built:.2f} s"
        )


if __name__ == "__main__":
    main()
