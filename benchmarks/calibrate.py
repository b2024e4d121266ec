"""Print how well the engine separates the playbooks' own examples from out-of-scope text.

    python benchmarks/calibrate.py [--misses]

Uses only the playbooks' examples and tests/data/out_of_scope.yaml (never evaluation data): top-1
accuracy per language, and for a range of abstention thresholds the share of examples kept and of
out-of-scope texts rejected. Used to choose ABSTAIN_BELOW in coach/engine/match.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from coach.content.compiled import cached_index
from coach.engine import match as m
from coach.engine.normalize import language_of


def main() -> None:
    lib, index = cached_index()
    ood = yaml.safe_load(
        (Path(__file__).parent.parent / "tests/data/out_of_scope.yaml").read_text(encoding="utf-8")
    )
    saved = m.ABSTAIN_BELOW
    m.ABSTAIN_BELOW = 0.0
    rows = []
    for rule_id, rule in lib.rules.items():
        for text in rule.examples:
            res = m.rank(index, text, top=3)
            ids = [x.id for x in res.matches]
            rows.append((rule_id, text, ids, res.matches[0].score if res.matches else 0.0, language_of(text)))
    ood_scores = []
    for text in ood:
        res = m.rank(index, text, top=1)
        ood_scores.append(
            (res.matches[0].score if res.matches else 0.0, text, res.matches[0].id if res.matches else "")
        )
    m.ABSTAIN_BELOW = saved
    for lang in ("en", "zh"):
        sub = [r for r in rows if r[4] == lang]
        top1 = sum(1 for r in sub if r[2] and r[2][0] == r[0]) / max(len(sub), 1)
        top3 = sum(1 for r in sub if r[0] in r[2]) / max(len(sub), 1)
        print(f"{lang}: {len(sub)} examples  top1 {top1:.3f}  top3 {top3:.3f}")
    top1 = sum(1 for r in rows if r[2] and r[2][0] == r[0]) / len(rows)
    print(f"all: {len(rows)} examples  top1 {top1:.3f}")
    for th in (0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.22, 0.25):
        kept = sum(1 for r in rows if r[3] >= th) / len(rows)
        rejected = sum(1 for s, _, _ in ood_scores if s < th) / len(ood_scores)
        print(f"threshold {th:.2f}: examples kept {kept:.3f}  out-of-scope rejected {rejected:.3f}")
    if "--misses" in sys.argv:
        for r in rows:
            if not r[2] or r[2][0] != r[0]:
                print(f"MISS {r[0]:28} got {r[2][:2]} {r[3]:.2f} :: {r[1]}")
        for s, text, rid in sorted(ood_scores, reverse=True)[:15]:
            print(f"OOD {s:.3f} {rid:28} :: {text}")


if __name__ == "__main__":
    main()
