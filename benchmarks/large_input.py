"""Print how long `coach match --json -` and `coach assess --json -` take on 1 MB of text, next to the same
verb on one short line (the floor: start-up and loading), and the static pattern check's cost next to
compiling the same patterns.

    python benchmarks/large_input.py [--size 1000000] [--only prose-en,digits]

Target (issue 15 item 4, issue 11 item 2): every 1 MB case under a second. Texts are cut to 20,000
characters before they are analysed (coach/engine/normalize.py), so what remains is start-up, reading
and printing the input, and the patterns: a pattern that is quadratic on a long run of one kind of
character (`coach validate` warns about those) shows up in the runs-of-one-character cases.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEXTS = {
    "prose-en": "the buyer says head office has to approve the listing fee again and wants two end-caps, ",
    "prose-zh": "采购说总部还没批进场费，下周再谈，还要两个堆头和一期海报，",
    "traditional": "採購說總部還沒批進場費，下週再談，還要兩個堆頭，",
    "one-letter": "a",
    "digits": "1",
    "digits-and-words": "1" * 5000 + " percent you are asking 今天 3点 ",
    "cjk-numerals": "一二三四五六七八九十",
    "spaces": " ",
    "punctuation": "!?,.",
    "escapes": "\x1b[31m",
}


def text_of(kind: str, size: int) -> str:
    """The repeated sample, ``size`` bytes in UTF-8 (a character cut in half is dropped)."""
    sample = TEXTS[kind]
    text = sample * (size // len(sample.encode("utf-8")) + 1)
    return text.encode("utf-8")[:size].decode("utf-8", errors="ignore")


STOP = 300
"""Seconds after which a run is stopped and reported as such."""


def run(verb: str, text: str, env: dict[str, str]) -> tuple[float, int | None, str]:
    """Seconds, exit code (None when stopped after ``STOP`` seconds) and first error line of one
    `coach VERB --json -` run with ``text`` on standard input."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "coach", verb, "--json", "-"],
            input=text.encode("utf-8"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            timeout=STOP,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, None, ""
    error = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
    return time.perf_counter() - started, done.returncode, error[0][:120] if error else ""


def pattern_check_cost() -> tuple[int, float, float]:
    """How many shipped patterns, seconds to compile them all, seconds to check them all."""
    import yaml

    from coach import locations
    from coach.content import regex_safety

    patterns: list[str] = []
    for file in sorted(locations.shipped_playbooks_dir().glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for rule in data.get("rules") or []:
            patterns += [p["regex"] for p in (rule.get("match") or {}).get("patterns") or []]
        for behaviour in data.get("behaviours") or []:
            patterns += [s["regex"] for s in behaviour["detect"].get("signals") or [] if s.get("regex")]
        patterns += list((data.get("out_of_scope") or {}).get("patterns") or [])
    re.purge()
    started = time.perf_counter()
    for p in patterns:
        re.compile(p)
    compiled = time.perf_counter() - started
    started = time.perf_counter()
    for p in patterns:
        regex_safety.problem.__wrapped__(p)
    checked = time.perf_counter() - started
    return len(patterns), compiled, checked


def main() -> None:
    """Print one line per case and verb."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="characters per text (default 1,000,000)")
    parser.add_argument("--only", help="comma-separated cases (default: all)")
    args = parser.parse_args()
    kinds = args.only.split(",") if args.only else list(TEXTS)
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "COACH_HOME": home}
        env.pop("COACH_PLAYBOOKS", None)
        for verb in ("match", "assess"):
            run(verb, "warm the cache", env)
        floor = {
            verb: min(run(verb, "the buyer wants a bigger listing fee", env)[0] for _ in range(3))
            for verb in ("match", "assess")
        }
        print(f"floor (one short line): match {floor['match']:.2f} s, assess {floor['assess']:.2f} s")
        for kind in kinds:
            text = text_of(kind, args.size)
            for verb in ("match", "assess"):
                seconds, code, error = run(verb, text, env)
                state = "" if code == 0 else f"  (exit {code}: {error})"
                if code is None:
                    state = f"  (stopped after {STOP} s)"
                print(
                    f"{kind:17} {verb:6} {len(text.encode('utf-8')) / 1e6:4.1f} MB  {seconds:6.2f} s  "
                    f"{seconds / floor[verb]:5.1f}x floor{state}"
                )
    count, compiled, checked = pattern_check_cost()
    print(
        f"pattern check: {count} shipped patterns, compile {compiled:.2f} s, check {checked:.2f} s "
        f"({checked / compiled:.1f}x compiling)"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
