"""Print how fast the terminal UI is on the shipped playbooks (headless, 80x24).

    python benchmarks/tui.py [--runs 5] [--keys 40]

1. Launch -> first screen ready: a fresh interpreter per run, from just before it starts to the home
   screen being drawn (playbooks still loading in a worker), and to the playbooks being loaded.
2. Keystroke -> updated matches in the situation coach: for each keystroke, the time from the end of
   the debounce to the redrawn matches (the engine runs in a thread worker), and from the keystroke
   itself (which includes the debounce).

Targets (issue 3): first screen under 1 s; updated matches under 100 ms after the debounce.
Figures, not a test: nothing here fails the test run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import asyncio, json, os, sys, time
from pathlib import Path
start = float(os.environ["BENCH_T0"])
from coach import locations
from coach.content.compiled import cached_index
from coach.tui.app import CoachApp
from coach.tui.screens.home import HomeScreen

async def main():
    app = CoachApp(lambda: cached_index([]), db_path=Path(sys.argv[1]) / "b.sqlite3", lang="en",
                   settings_path=Path(sys.argv[1]) / "settings.json")
    out = {}
    async with app.run_test(size=(80, 24)) as pilot:
        while not (isinstance(app.screen, HomeScreen) and app.screen.ready):
            await asyncio.sleep(0.001)
        painted = asyncio.Event()
        app.screen.call_after_refresh(painted.set)  # runs once the mounted screen has been drawn
        await painted.wait()
        out["first_screen"] = time.time() - start
        while not (app.content_loaded or app.content_error):
            await asyncio.sleep(0.005)
        out["loaded"] = time.time() - start
        out["error"] = app.content_error
    print(json.dumps(out))

asyncio.run(main())
"""

SITUATION = "the buyer walked out of the meeting when I refused the extra listing fee for the new flavour"


def launch(runs: int) -> None:
    """Fresh interpreters: time to the first screen and to loaded playbooks."""
    import json

    first, loaded = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "COACH_HOME": home, "BENCH_T0": repr(time.time())}
            proc = subprocess.run(
                [sys.executable, "-c", CHILD, home], env=env, capture_output=True, text=True, timeout=120
            )
        if proc.returncode != 0:
            print(proc.stderr[-2000:], file=sys.stderr)
            raise SystemExit(1)
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        if data["error"]:
            print(f"playbooks did not load: {data['error']}", file=sys.stderr)
            raise SystemExit(1)
        first.append(data["first_screen"])
        loaded.append(data["loaded"])
    for name, values in (("first screen ready", first), ("playbooks loaded  ", loaded)):
        median, worst = statistics.median(values) * 1000, max(values) * 1000
        print(f"launch -> {name}   median {median:7.0f} ms   max {worst:7.0f} ms")
    print(f"  ({runs} runs; target: first screen < 1000 ms)")


async def keystrokes(n_keys: int) -> None:
    """Type into the situation coach one key at a time, waiting for each update."""
    from coach.content.compiled import cached_index
    from coach.tui.app import CoachApp
    from coach.tui.screens.situation import SituationScreen

    with tempfile.TemporaryDirectory() as home:
        app = CoachApp(
            lambda: cached_index([]),
            db_path=Path(home) / "b.sqlite3",
            lang="en",
            settings_path=Path(home) / "s.json",
        )
        async with app.run_test(size=(80, 24)) as pilot:
            while not (app.content_loaded or app.content_error):
                await pilot.pause(0.01)
            if app.content_error:
                print(f"playbooks did not load: {app.content_error}", file=sys.stderr)
                raise SystemExit(1)
            app.open_screen("coach")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, SituationScreen)
            after_debounce, after_key, rank_ms = [], [], []
            text = (SITUATION * (n_keys // len(SITUATION) + 1))[:n_keys]
            for ch in text:
                before = screen.updates
                pressed = time.perf_counter()
                await pilot.press("space" if ch == " " else ch)
                while screen.updates == before:
                    await asyncio.sleep(0.0005)
                after_debounce.append(screen.shown_at - screen.fired_at)
                after_key.append(screen.shown_at - pressed)
                rank_ms.append(screen.last_rank_seconds)
            print(f"keystroke -> matches, after the {screen.DEBOUNCE_S * 1000:.0f} ms debounce:")
            for name, values in (
                ("from debounce end", after_debounce),
                ("engine alone     ", rank_ms),
                ("from keystroke   ", after_key),
            ):
                ms = sorted(v * 1000 for v in values)
                p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
                print(
                    f"  {name}  median {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   max {ms[-1]:6.1f} ms"
                )
            n_rules = len(app.library.rules)
            print(
                f"  ({len(text)} keystrokes on {n_rules} shipped entries; target: < 100 ms after the debounce)"
            )


def main() -> None:
    """Run both measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh launches to time")
    parser.add_argument("--keys", type=int, default=40, help="keystrokes to time")
    args = parser.parse_args()
    launch(args.runs)
    asyncio.run(keystrokes(args.keys))


if __name__ == "__main__":
    main()
