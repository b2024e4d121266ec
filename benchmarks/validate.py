"""Print where ``coach validate`` spends its CPU time, part by part, as ratios to a floor measured in the
same run.

    python benchmarks/validate.py [--runs 3] [--before TREE] [--tree TREE] [--whole] [--no-examples]

Each part is run as ``coach validate`` runs it, on the shipped playbooks and scenarios, in a fresh
interpreter with an empty ``COACH_HOME`` (so the examples check is computed, not read back from the
cache): loading the library (with the regex safety check of every pattern), the examples check
(cross-validation: its forked workers' time is counted apart), the reply behaviours' examples, the
scenarios (rehearsals), the glossary, the drill questions and the warnings. The floor is a fresh
interpreter that only imports what every verb needs anyway (``python -c "import pydantic, rapidfuzz,
yaml"``). CPU time is user + system (``resource.getrusage``; a part's workers are waited for, so theirs is
included), wall time is left out: on a shared machine it is noise. Each round runs the floor and each tree
once, in turn, so a busy machine slows them alike; the figures are the smallest over the rounds.
``--before TREE`` measures another source tree too (e.g. ``git worktree add /tmp/before HEAD~1``), in the
same rounds (``--tree`` measures another tree as "now"). ``--whole`` also times the command itself, ``coach validate -q``, from the outside.
Figures, not a test: nothing here fails.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR = [sys.executable, "-c", "import pydantic, rapidfuzz, yaml"]
PARTS = {
    "imports": "importing the verb's modules",
    "library": "library load (models, regex safety)",
    "examples": "examples check, main process",
    "workers": "examples check, cross-validation workers",
    "behaviours": "reply behaviours' examples",
    "scenarios": "scenarios (load, rehearsals)",
    "glossary": "glossary",
    "drills": "drill questions",
    "warnings": "warnings (match lists, slow patterns)",
}


def _cpu() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def child(examples: bool) -> None:
    """In a fresh interpreter whose ``PYTHONPATH`` is the tree measured: run ``coach validate``'s parts in
    its order and print their CPU seconds as JSON."""
    start = _cpu()
    from coach import locations
    from coach.content import verify
    from coach.content.glossary import check as check_glossary
    from coach.content.lint import warnings
    from coach.content.loader import check_required, load_library
    from coach.services.roleplay import check_scenarios
    from coach.training import checks as training_checks

    out: dict[str, float] = {"imports": _cpu()[0] - start[0]}

    def part(name: str, fn):  # noqa: ANN001, ANN202
        before = _cpu()
        result = fn()
        after = _cpu()
        out[name] = out.get(name, 0.0) + after[0] - before[0]
        if after[1] > before[1]:
            out["workers"] = out.get("workers", 0.0) + after[1] - before[1]
        return result

    lib = part("library", lambda: load_library([locations.shipped_playbooks_dir()]))
    part("library", lambda: check_required(lib))
    if examples:
        part("examples", lambda: verify.examples_check(lib))
    part("behaviours", lambda: verify.verify_behaviours(lib))
    part("scenarios", lambda: check_scenarios(lib, []))
    part("glossary", lambda: check_glossary(lib, [locations.shipped_scenarios_dir()]))
    part("drills", lambda: training_checks.validate_drills(lib))
    part("warnings", lambda: warnings(lib))
    print(json.dumps(out))


def run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, str]:
    """CPU seconds (user + system, with its waited-for children) of one run of ``argv``, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv[1:3])}: exit {done.returncode}\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, done.stdout


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=3, help="rounds (each runs the floor and every tree once)"
    )
    parser.add_argument("--before", type=Path, metavar="TREE", help="another source tree to compare with")
    parser.add_argument(
        "--tree", type=Path, default=ROOT, help="the tree measured as now (default: this one)"
    )
    parser.add_argument("--whole", action="store_true", help="also time `coach validate -q` from outside")
    parser.add_argument("--no-examples", action="store_true", help="leave out the examples check (~80%%)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(not args.no_examples)
        return 0
    trees = {"now": args.tree.resolve()} | ({"before": args.before.resolve()} if args.before else {})
    floor: list[float] = []
    parts: dict[str, dict[str, list[float]]] = {name: {} for name in trees}
    whole: dict[str, list[float]] = {name: [] for name in trees}
    with tempfile.TemporaryDirectory() as tmp:
        base = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
        for round_no in range(args.runs):
            floor.append(run(FLOOR, base, ROOT)[0])
            for name, tree in trees.items():
                home = Path(tmp) / f"{name}-{round_no}"
                home.mkdir()
                env = {**base, "COACH_HOME": str(home), "PYTHONPATH": str(tree), "COACH_LANG": "en"}
                argv = [sys.executable, str(Path(__file__).resolve()), "--child"]
                _, printed = run([*argv, *(["--no-examples"] if args.no_examples else [])], env, tree)
                for part, seconds in json.loads(printed).items():
                    parts[name].setdefault(part, []).append(seconds)
                if args.whole:
                    (home / "cache").mkdir(exist_ok=True)
                    for stale in (home / "cache").iterdir():
                        stale.unlink()  # the command computes the examples check, as on a first run
                    whole[name].append(run([sys.executable, "-m", "coach", "validate", "-q"], env, tree)[0])
    low = min(floor)
    print(f"floor ({' '.join(FLOOR[1:])}): {low:.3f} s CPU, smallest of {args.runs} rounds")
    header = f"{'part':44s}" + "".join(f"{name:>18s}" for name in trees)
    print(header + ("      before/now" if args.before else ""))
    for part, label in PARTS.items():
        if not any(part in parts[name] for name in trees):
            continue
        cells = [min(parts[name].get(part, [0.0])) for name in trees]
        line = f"{label:44s}" + "".join(f"{c:8.2f} s {c / low:6.1f}x" for c in cells)
        if args.before and cells[0]:
            line += f"   {cells[1] / cells[0]:8.2f}"
        print(line)
    totals = [min(sum(p) for p in zip(*parts[name].values(), strict=True)) for name in trees]
    line = f"{'total of the parts':44s}" + "".join(f"{c:8.2f} s {c / low:6.1f}x" for c in totals)
    print(line + (f"   {totals[1] / totals[0]:8.2f}" if args.before and totals[0] else ""))
    if args.whole:
        cells = [min(whole[name]) for name in trees]
        line = f"{'coach validate -q (whole command)':44s}" + "".join(
            f"{c:8.2f} s {c / low:6.1f}x" for c in cells
        )
        print(line + (f"   {cells[1] / cells[0]:8.2f}" if args.before and cells[0] else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
