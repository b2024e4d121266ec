"""benchmarks/store_bench.py on SQLite with tiny sizes: four writer processes at once leave every entry
stored once with no error, the check after them does see a lost or mixed-up entry, and every figure of the
table is computed (no timing is asserted)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    # On sys.path, not loaded from a file spec: the spawned writer processes import it by name.
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield importlib.import_module("store_bench")
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def four_writers(bench, tmp_path_factory):
    """Four writer processes, 15 entries each, at once on a new SQLite file: (target, result)."""
    target = bench.Databases("sqlite", tmp_path_factory.mktemp("writers")).new("writers")
    return target, bench.concurrent_writers(target, 4, 15)


def test_four_writers_at_once_store_every_entry_once(bench, four_writers):
    target, done = four_writers
    assert done.problems == [] and done.ok, done.verdict
    assert done.verdict == "all 60 present, ids distinct, no errors"
    assert sorted(r["number"] for r in done.reports) == [0, 1, 2, 3]
    with bench.session(target) as conn:
        rows = conn.execute(
            "SELECT id FROM concessions WHERE meeting = ?", (bench.WRITERS_MEETING,)
        ).fetchall()
    ids = [r[0] for r in rows]
    assert len(ids) == len(set(ids)) == 60
    assert sorted(ids) == sorted(i for r in done.reports for i in r["ids"])


def test_the_check_sees_a_lost_a_doubled_and_a_mixed_up_entry(bench, four_writers):
    target, done = four_writers
    reports = [dict(r, ids=list(r["ids"])) for r in done.reports]
    assert bench.check_writers(target, reports, 60) == []
    assert "61 expected" in " ".join(bench.check_writers(target, reports, 61))
    reports[0]["ids"].append(10_000)  # an id the writer said it got, not in the database
    assert "1 returned ids not stored (e.g. #10000)" in bench.check_writers(target, reports, 60)
    reports[0]["ids"].pop()
    reports[0]["ids"][0], reports[0]["ids"][1] = reports[0]["ids"][1], reports[0]["ids"][0]
    assert any("hold another entry" in p for p in bench.check_writers(target, reports, 60))
    reports[1]["ids"].append(reports[2]["ids"][0])
    assert any("returned twice" in p for p in bench.check_writers(target, reports, 60))
    reports[3]["errors"].append("DatabaseError: the database is busy")
    assert "1 adds failed, the first: DatabaseError: the database is busy" in bench.check_writers(
        target, reports, 60
    )


def test_every_figure_on_sqlite_with_tiny_sizes(bench, tmp_path):
    sizes = bench.Sizes(
        adds=5, writers=2, per_writer=5, entries=300, trainees=2, answers=6, runs=1, report_runs=1
    )
    rows = bench.run_engine(bench.Databases("sqlite", tmp_path), sizes, bench.make_entries(300))
    table = {what.strip(): (figure, note) for what, figure, note in rows}
    assert "all 10 present, ids distinct, no errors" in table["2 2 writers x 5 at once"][1]
    assert "3 review of 300 entries (log_review + text)" in table
    assert "4 class report, 2 x 6 answers (md)" in table
    assert all(figure.endswith(("ms", " s", "wall")) for figure, _ in table.values())
