"""`coach match` and `coach assess` on 1 MB of text finish and answer, run as real processes.

The limit here is a generous timeout, not a timing assertion (the figures are printed by
benchmarks/large_input.py); what the test guards is that no input shape makes either verb hang.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SIZE = 1_000_000
TIMEOUT = 120
"""Seconds: many times the expected time on a loaded machine, far below a hang."""

SAMPLES = {
    "prose-en": "the buyer says head office has to approve the listing fee again and wants two end-caps, ",
    "traditional": "採購說總部還沒批進場費，下週再談，還要兩個堆頭，",
    "one-letter": "a",
}


def _megabyte(sample: str) -> bytes:
    raw = (sample * (SIZE // len(sample.encode("utf-8")) + 1)).encode("utf-8")[:SIZE]
    return raw.decode("utf-8", errors="ignore").encode("utf-8")


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """One data folder for the module, so the engine's index cache is built once, not per case."""
    out = {**os.environ, "COACH_HOME": str(tmp_path_factory.mktemp("large-input-home"))}
    for var in ("COACH_PLAYBOOKS", "COACH_DB", "COACH_LANG"):
        out.pop(var, None)
    return out


@pytest.mark.parametrize("verb", ["match", "assess"])
@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_a_megabyte_of_text_gets_an_answer(verb, kind, env):
    done = subprocess.run(
        [sys.executable, "-m", "coach", verb, "--json", "-"],
        input=_megabyte(SAMPLES[kind]),
        capture_output=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", errors="replace")[-500:]
    answer = json.loads(done.stdout)
    assert isinstance(answer, dict) and answer
    assert b"Traceback" not in done.stderr
