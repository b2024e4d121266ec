"""Print the store's figures on both engines, SQLite (a file in a temporary folder) and PostgreSQL (a fresh
database): one durable add, four writers at once, the concession review of 100,000 entries and a class report.

    python benchmarks/store_bench.py [--pg URL] [--only sqlite|postgresql] [--quick] [--runs 5]

Per engine, a small table:

1. add one concession: p50/p95 of N adds (default 300), each one ``coach.store.concessions.add`` of a
   validated entry, i.e. one durable commit (SQLite: WAL, synchronous=FULL; PostgreSQL: fsync and
   synchronous_commit as the server says, printed in the heading).
2. 4 writers x 500 entries at once: four processes (multiprocessing, spawn), each with its own connection,
   adding 500 entries through the same call; then the check that all 2,000 are there with distinct ids
   and no add failed ("all present, no errors", or what went wrong). "waits said": how many adds told
   the user they were waiting for another coach's write lock (``coach.store.db.WAIT_NOTICE``).
3. review of 100,000 entries: the log is filled in bulk (one transaction: executemany on SQLite, COPY on
   PostgreSQL, then ANALYZE as autovacuum would; the rows are validated entries, as ``add`` writes
   them), then what ``coach log review`` does (``coach.services.log_review`` and the text, in a session
   with the collector paused; also with --json), median of ``--runs``; target < 1 s on each engine.
   ``coach log review --db TARGET`` is also run once in a subprocess (process start and playbook cache
   read included).
4. class report, 30 trainees x 500 answers: profiles made one by one and the answers merged through the
   training store's import (one transaction), then what ``coach report`` does to build the Markdown
   report (``coach.commands.report.build``), median of 3.

Every figure is wall time (``time.perf_counter``), on a machine that may be busy (the load average is
printed at the start and the end). The adds' and the review's lines also give this process's CPU time
(``time.process_time``): the rest is the wait for the disk, other work on the machine, and on PostgreSQL
the server's own work, which this process's CPU time does not count.

PostgreSQL: with ``--pg URL`` (an admin address where it may CREATE and DROP DATABASE) fresh databases are
made there and dropped at the end; without it a throwaway server is started with ``scripts/pg-scratch``
(commits durable: no --fast) and stopped at the end, whatever happens. ``--quick``: small sizes, for a smoke
run (30 adds, 4 x 50, 5,000 entries, 5 x 50 answers).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from coach.store import concessions as store
from coach.store import db, pg
from coach.store.db import connect, latest_version, now_iso, session, write_transaction

# The review, the report and the playbooks are imported where they are timed or filled: the writer
# processes (spawned, so they import this module afresh) need only the store.

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("sqlite", "postgresql")
WRITERS_MEETING = "store bench: writers"
CLASS = "Bench"


@dataclass(frozen=True)
class Sizes:
    """How much each figure works on."""

    adds: int = 300
    writers: int = 4
    per_writer: int = 500
    entries: int = 100_000
    trainees: int = 30
    answers: int = 500
    runs: int = 5
    report_runs: int = 3


QUICK = Sizes(adds=30, per_writer=50, entries=5_000, trainees=5, answers=50, runs=3, report_runs=3)


# ------------------------------------------------------------------------------------------------ entries

ACCOUNTS = ["Carrefour", "Walmart", "RT-Mart", "Lianhua", "Hualian", "Suguo", "Wellcome", "Park'N'Shop"]
TACTICS = [None, None, None, "tactic.nibble", "tactic.deadline-pressure", "tactic.walkout-pressure"]
UNITS = {
    "price": "percent",
    "payment-terms": "days",
    "listing-fee": "CNY",
    "promotion": "CNY",
    "free-goods": "units",
    "display": None,
    "service": None,
    "other": None,
}


def make_entry(rng: random.Random, i: int, meeting: str | None = None) -> store.NewConcession:
    """A plausible concession, validated as a user's entry is (``store.validate_entry``)."""
    kind = rng.choice(list(UNITS))
    unit = UNITS[kind]
    value = None if unit is None else round(rng.uniform(0.5, 5 if unit == "percent" else 50_000), 2)
    got = rng.random() < 0.6
    return store.validate_entry(
        {
            "when": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 19):02d}:00",
            "account": rng.choice(ACCOUNTS),
            "meeting": meeting or f"round {i % 400}",
            "type": kind,
            "give": f"concession {i}",
            "value": value,
            "unit": unit,
            "get": "two end-caps" if got else None,
            "get_value": 2 if got else None,
            "get_unit": "units" if got else None,
            "tactic": rng.choice(TACTICS),
            "stage": rng.choice(["opening", "bargaining", "bargaining", "closing", "after-deal"]),
            "status": "withdrawn" if rng.random() < 0.03 else "agreed",
            "note": "buyer pushed hard" if rng.random() < 0.2 else None,
        }
    )


def make_entries(n: int, seed: int = 4) -> list[store.NewConcession]:
    """``n`` validated entries."""
    rng = random.Random(seed)
    return [make_entry(rng, i) for i in range(n)]


COLUMNS = store.SQL_COLUMNS.removeprefix("id, ")
"""The columns an entry fills (the database numbers it), as ``coach.store.concessions.add`` writes them."""


def stored_row(entry: store.NewConcession, recorded_at: str) -> tuple[Any, ...]:
    """The row ``add`` writes for ``entry``: a new uid, the recording time, the fields, practice as 0/1."""
    data = entry.model_dump()
    values = [uuid.uuid4().hex, recorded_at, *(data[f] for f in store.FIELDS[3:])]
    values[store.FIELDS.index("practice") - 1] = int(entry.practice)
    return tuple(values)


# ------------------------------------------------------------------------------------------------ engines


def database_url(admin: str, name: str) -> str:
    """The address of database ``name`` on the server of ``admin``."""
    parts = urlsplit(admin)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(admin: str, sql: str) -> None:
    import psycopg  # deferred: only the PostgreSQL half loads the driver

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


class Databases:
    """Fresh, empty coach databases on one engine: SQLite files in a folder, or databases on a PostgreSQL
    server (created set up by ``pg.init``, dropped by ``close``)."""

    def __init__(self, engine: str, folder: Path, admin: str | None = None) -> None:
        self.engine = engine
        self.folder = folder
        self.admin = admin
        self.made: list[str] = []

    def new(self, name: str) -> str:
        """The target (file path or address) of a new database with coach's tables."""
        if self.engine == "sqlite":
            path = self.folder / f"{name}.sqlite3"
            connect(path).close()
            return str(path)
        assert self.admin is not None
        db_name = f"coach_bench_{os.getpid()}_{name}"
        _admin(self.admin, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        _admin(self.admin, f'CREATE DATABASE "{db_name}"')
        self.made.append(db_name)
        url = database_url(self.admin, db_name)
        conn, _ = pg.init(url, latest_version())
        conn.close()
        return url

    def describe(self) -> str:
        """The engine's version and how durable a commit is."""
        if self.engine == "sqlite":
            return f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL), files in {self.folder}"
        assert self.admin is not None
        import psycopg  # deferred: only the PostgreSQL half loads the driver

        with psycopg.connect(self.admin, autocommit=True) as conn:
            keys = ("server_version", "fsync", "synchronous_commit")
            show = {k: str((conn.execute(f"SHOW {k}").fetchone() or ("?",))[0]) for k in keys}
        durable = show["fsync"] == "on" and show["synchronous_commit"] != "off"
        return (
            f"PostgreSQL {show['server_version'].split()[0]} (fsync={show['fsync']}, synchronous_commit="
            f"{show['synchronous_commit']}{'' if durable else ': commits NOT durable'}), {pg.describe(self.admin)}"
        )

    def close(self) -> None:
        """Drop the databases made on the server."""
        for name in self.made:
            try:
                _admin(str(self.admin), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as exc:  # noqa: BLE001 - say it and go on dropping the others
                print(f"  (could not drop database {name}: {exc})", file=sys.stderr)
        self.made.clear()


@contextmanager
def scratch_server() -> Iterator[str]:
    """A throwaway PostgreSQL server (``scripts/pg-scratch``, durable commits), stopped and removed at the
    end whatever happens; yields its admin address."""
    folder = tempfile.mkdtemp(prefix="store-bench-pg.")  # pg-scratch makes it the server's own
    script = str(ROOT / "scripts" / "pg-scratch")
    try:
        done = subprocess.run([script, "start", folder], check=False, capture_output=True, text=True)
        if done.returncode != 0 or not done.stdout.strip():
            raise RuntimeError(f"scripts/pg-scratch start failed: {done.stderr.strip()[-2000:]}")
        yield done.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([script, "stop", folder], check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------------------------------------ figures


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass
class Adds:
    """Seconds per add (wall), and this process's CPU seconds for all of them."""

    times: list[float]
    cpu: float


def time_adds(target: str, entries: list[store.NewConcession]) -> Adds:
    """Add each entry through ``coach.store.concessions.add`` (one durable commit each), timing each."""
    times = []
    with session(target) as conn:
        cpu = time.process_time()
        for entry in entries:
            start = time.perf_counter()
            store.add(conn, entry)
            times.append(time.perf_counter() - start)
        cpu = time.process_time() - cpu
    return Adds(times, cpu)


def _writer(target: str, number: int, count: int, go: Any, stop: Any, messages: Any) -> None:
    """One of the concurrent writers: connect, validate its entries, say it is ready, wait for the start,
    add them all; its report goes on ``messages``."""
    waits = 0

    def notice(_: str) -> None:  # the store says once per add when it waits for the lock: count them
        nonlocal waits
        waits += 1

    db.WAIT_NOTICE = notice
    ids: list[int] = []
    errors: list[str] = []
    elapsed = 0.0
    try:
        rng = random.Random(100 + number)
        entries = [
            make_entry(rng, i, WRITERS_MEETING).model_copy(update={"give": f"writer {number} entry {i}"})
            for i in range(count)
        ]
        with session(target) as conn:
            messages.put(("ready", number))
            if go.wait(timeout=300) and not stop.is_set():
                start = time.perf_counter()
                for entry in entries:
                    try:
                        ids.append(store.add(conn, entry))
                    except Exception as exc:  # noqa: BLE001 - every failure is counted and the first said
                        errors.append(f"{type(exc).__name__}: {exc}")
                elapsed = time.perf_counter() - start
            else:
                errors.append(f"writer {number} was never started")
    except Exception as exc:  # noqa: BLE001 - a writer that could not work is reported, not waited for
        errors.append(f"writer {number} failed: {type(exc).__name__}: {exc}")
    messages.put(
        ("done", {"number": number, "ids": ids, "errors": errors, "waits": waits, "elapsed": elapsed})
    )


@dataclass
class Writers:
    """What the concurrent writers did: wall time from the common start to the last one's end, and the check."""

    wall: float
    ok: bool
    verdict: str
    waits: int = 0
    slowest: float = 0.0
    problems: list[str] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    """Each writer's own report: ``number``, ``ids`` returned, ``errors``, ``waits``, ``elapsed``."""


def _collect(procs: list[Any], messages: Any, kind: str) -> list[Any]:
    """The writers' messages of ``kind`` (``ready``: the writer's number; ``done``: its report), one per
    writer; fewer when a writer ended without sending its own (never waits on a dead writer)."""
    import queue  # deferred: only the parent reads the queue

    got: dict[int, Any] = {}
    while len(got) < len(procs):
        try:
            what, body = messages.get(timeout=0.5)
        except queue.Empty:
            if any(p.exitcode is not None for n, p in enumerate(procs) if n not in got):
                try:  # a writer ended without a word: take what is still on its way, then give up
                    while len(got) < len(procs):
                        what, body = messages.get(timeout=1.0)
                        if what == kind:
                            got[body if kind == "ready" else body["number"]] = body
                except queue.Empty:
                    break
            continue
        if what == kind:
            got[body if kind == "ready" else body["number"]] = body
    return [got[n] for n in sorted(got)]


def check_writers(target: str, reports: list[dict[str, Any]], expected: int) -> list[str]:
    """What is wrong after the writers (nothing: ``[]``): an add that failed, an id returned twice, a
    returned id not stored or stored with another writer's text, more or fewer entries than ``expected``."""
    errors = [e for r in reports for e in r["errors"]]
    ids = [i for r in reports for i in r["ids"]]
    with session(target) as conn:
        stored = {
            row[0]: row[1]
            for row in conn.execute(
                "SELECT id, give FROM concessions WHERE meeting = ?", (WRITERS_MEETING,)
            ).fetchall()
        }
    problems = []
    if errors:
        problems.append(f"{len(errors)} adds failed, the first: {errors[0]}")
    if len(set(ids)) != len(ids):
        problems.append(f"{len(ids) - len(set(ids))} ids returned twice")
    missing = [i for i in ids if i not in stored]
    if missing:
        problems.append(f"{len(missing)} returned ids not stored (e.g. #{missing[0]})")
    if len(stored) != expected:
        problems.append(f"{len(stored):,} entries stored, {expected:,} expected")
    if not errors:  # each writer's k-th id holds its k-th entry
        wrong = [
            i
            for r in reports
            for k, i in enumerate(r["ids"])
            if i in stored and stored[i] != f"writer {r['number']} entry {k}"
        ]
        if wrong:
            problems.append(f"{len(wrong)} ids hold another entry than the one added (e.g. #{wrong[0]})")
    return problems


def concurrent_writers(target: str, writers: int, each: int) -> Writers:
    """``writers`` processes, each its own connection, adding ``each`` entries at once; then the check that
    every returned id is stored once, with its own text, and that no add failed."""
    ctx = multiprocessing.get_context("spawn")  # no fork of a process holding connections or threads
    go, stop, messages = ctx.Event(), ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(target, n, each, go, stop, messages), daemon=True)
        for n in range(writers)
    ]
    problems: list[str] = []
    got: list[dict[str, Any]] = []
    try:
        for p in procs:
            p.start()
        ready = _collect(procs, messages, "ready")
        if len(ready) < writers:
            problems.append(f"only {len(ready)} of {writers} writers got ready")
            stop.set()
        start = time.perf_counter()
        go.set()
        got = _collect(procs, messages, "done")
        wall = time.perf_counter() - start
        for p in procs:
            p.join(timeout=30)
    finally:
        stop.set()
        go.set()
        for p in procs:
            if p.is_alive():
                p.kill()
                p.join()
    if len(got) < writers:
        problems.append(f"only {len(got)} of {writers} writers reported back")
    problems += [f"a writer exited with code {p.exitcode}" for p in procs if p.exitcode]
    problems += check_writers(target, got, writers * each)
    ok = not problems
    verdict = (
        f"all {writers * each:,} present, ids distinct, no errors"
        if ok
        else "PROBLEM: " + "; ".join(problems)
    )
    slowest = max((r["elapsed"] for r in got), default=0.0)
    return Writers(wall, ok, verdict, sum(r["waits"] for r in got), slowest, problems, got)


def fill_log(target: str, entries: list[store.NewConcession]) -> float:
    """Write ``entries`` in one transaction (executemany on SQLite, COPY on PostgreSQL), as the rows ``add``
    writes; seconds (wall). PostgreSQL's statistics are then brought up to date (ANALYZE), as autovacuum
    does soon after a load of this size."""
    recorded = now_iso()
    start = time.perf_counter()
    rows = [stored_row(e, recorded) for e in entries]
    with session(target) as conn:
        with write_transaction(conn, "the entries"):
            if isinstance(conn, pg.Connection):
                with conn.raw.cursor() as cur, cur.copy(f"COPY concessions ({COLUMNS}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in store.FIELDS[1:])
                conn.executemany(f"INSERT INTO concessions ({COLUMNS}) VALUES ({marks})", rows)
        if isinstance(conn, pg.Connection):
            conn.execute("ANALYZE concessions")
    return time.perf_counter() - start


def advice_source() -> Callable[[], Any]:
    """The review's advice, read from the playbooks as ``coach log review`` reads it (no --playbooks)."""
    from coach.commands.log import playbook_advice  # deferred: see the note on imports

    args = argparse.Namespace(playbooks=None)
    return lambda: playbook_advice(args)


@dataclass
class Review:
    """Median seconds (wall) of the review as the CLI computes it, text and JSON, and what it counted."""

    text: float
    json: float
    cpu: float
    """This process's CPU seconds of the text review (median)."""
    entries: int
    withdrawn: int
    text_chars: int


def time_review(target: str, runs: int) -> Review:
    """What ``coach log review`` does, ``runs`` times: a session, the collector paused, ``log_review`` with
    the playbooks' advice and the text (or, for ``--json``, every id and the JSON)."""
    from coach.review.concessions import render_text, to_json  # deferred: see the note on imports
    from coach.services.log_review import log_review

    advice = advice_source()
    advice()  # the playbook cache into memory once (a fresh CLI process reads it from disk each time)
    flt = store.Filter()  # no option: every current real entry, as the CLI's filter without options
    times: dict[bool, list[float]] = {False: [], True: []}
    cpus: list[float] = []
    entries = withdrawn = chars = 0
    for _ in range(runs):
        for every_id in (False, True):
            start, cpu = time.perf_counter(), time.process_time()
            with session(target) as conn, store.paused_gc():
                rv = log_review(conn, flt, advice, every_id=every_id)
                if every_id:  # as print_json builds it
                    json.dumps(to_json(rv, "en", {"practice": False}), ensure_ascii=False)
                else:
                    chars = len(render_text(rv, "en"))
            times[every_id].append(time.perf_counter() - start)
            if not every_id:
                cpus.append(time.process_time() - cpu)
            entries, withdrawn = rv.entries, rv.withdrawn
    return Review(
        statistics.median(times[False]),
        statistics.median(times[True]),
        statistics.median(cpus),
        entries,
        withdrawn,
        chars,
    )


def time_cli_review(target: str) -> float:
    """``coach log review --db TARGET`` once in a fresh interpreter; seconds (wall, process start included)."""
    cmd = [sys.executable, "-m", "coach", "log", "review", "--db", target]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def fill_class(target: str, trainees: int, answers: int, seed: int = 1) -> float:
    """``trainees`` profiles (one by one) and ``answers`` drill and quiz answers each (as the drill and quiz
    write them), merged through the training store's import (checked by ``coach.training.transfer``, one
    transaction, schedules rebuilt); seconds (wall)."""
    from coach.content import compiled  # deferred: see the note on imports
    from coach.store import training
    from coach.training import transfer
    from coach.training.drill import areas_for

    rng = random.Random(seed)
    rules = list(compiled.library(check=False).rules.values())
    base = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    start = time.perf_counter()
    with session(target) as conn:
        profiles = [training.create_profile(conn, f"Trainee {i:02d}", CLASS) for i in range(trainees)]
        records = []
        for p in profiles:
            for i in range(answers):
                rule = rng.choice(rules)
                kind = "drill" if i % 3 else "quiz"
                max_score = 2 if kind == "drill" else 1
                score = rng.randint(0, max_score)
                chosen = rule.id if score == max_score else rng.choice(rules).id
                records.append(
                    {
                        "profile": p.uuid,
                        "uuid": str(uuid.uuid4()),
                        "run": f"r{i // 10}",
                        "seq": i % 10,
                        "kind": kind,
                        "item": f"{kind}:{rule.id}:{i % 37}",
                        "area": rule.id,
                        "principles": areas_for(rule),
                        "lang": "en",
                        "score": score,
                        "max_score": max_score,
                        "detail": {"expected": rule.id, "chosen": chosen},
                        "answered_at": (base + timedelta(minutes=i)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    }
                )
        data = {
            "format": training.FORMAT,
            "version": training.VERSION,
            "class": CLASS,
            "exported_at": now_iso(),
            "profiles": [p.as_dict() for p in profiles],
            "attempts": records,
            "roleplays": [],
        }
        checked = transfer.parse(json.dumps(data), "store-bench")
        done = training.import_class(conn, [(checked, "store-bench")])
        assert done.attempts_new == trainees * answers, done
    return time.perf_counter() - start


@dataclass
class ClassReport:
    """Median seconds (wall) to build the report, and its size."""

    seconds: float
    chars: int
    names_load: float


def time_report(target: str, runs: int) -> ClassReport:
    """What ``coach report --class Bench`` does (Markdown, English): the playbook names once, then a session
    and ``coach.commands.report.build``, ``runs`` times."""
    from coach.commands.report import build as build_report  # deferred: see the note on imports
    from coach.commands.train import names_for

    start = time.perf_counter()
    names = names_for(None)
    names_load = time.perf_counter() - start
    times, chars = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        with session(target) as conn:
            text = build_report(conn, CLASS, "md", "en", names, now_iso())
        times.append(time.perf_counter() - start)
        chars = len(text)
    return ClassReport(statistics.median(times), chars, names_load)


# ------------------------------------------------------------------------------------------------ one engine


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def run_engine(
    dbs: Databases, sizes: Sizes, log_entries: list[store.NewConcession]
) -> list[tuple[str, str, str]]:
    """Every figure on one engine; the table's rows (what, figure, note)."""
    rows: list[tuple[str, str, str]] = []
    rng = random.Random(7)
    writes = dbs.new("writes")
    adds = time_adds(writes, [make_entry(rng, i, "store bench: adds") for i in range(sizes.adds)])
    rows.append(
        (
            f"1 add one concession, one commit each ({sizes.adds:,})",
            f"p50 {_ms(percentile(adds.times, 50))}  p95 {_ms(percentile(adds.times, 95))}",
            f"wall per add; CPU here {_ms(adds.cpu / max(1, sizes.adds))}/add",
        )
    )
    w = concurrent_writers(writes, sizes.writers, sizes.per_writer)
    waited = f"; {w.waits} waits said" if w.waits else ""
    rows.append(
        (
            f"2 {sizes.writers} writers x {sizes.per_writer} at once",
            f"{_ms(w.wall)} wall",
            f"{w.verdict} ({sizes.writers * sizes.per_writer / w.wall:,.0f} adds/s{waited})"
            if w.ok
            else w.verdict,
        )
    )
    log = dbs.new("log")
    filled = fill_log(log, log_entries)
    rv = time_review(log, sizes.runs)
    cli = time_cli_review(log)
    met = "met" if rv.text < 1 else "NOT met"
    rows.append(
        (
            f"3 review of {rv.entries + rv.withdrawn:,} entries (log_review + text)",
            f"{_ms(rv.text)}",
            f"median of {sizes.runs}, wall; target < 1 s: {met}; CPU here {_ms(rv.cpu)} "
            f"({rv.withdrawn:,} of them withdrawn)",
        )
    )
    rows.append(("  same, --json (every entry read)", f"{_ms(rv.json)}", f"median of {sizes.runs}, wall"))
    rows.append(("  `coach log review --db` subprocess", f"{_ms(cli)}", "once, wall, process start included"))
    rows.append(("  (fill: bulk, one transaction)", f"{_ms(filled)}", "wall, not a target"))
    klass = dbs.new("class")
    filled = fill_class(klass, sizes.trainees, sizes.answers)
    rep = time_report(klass, sizes.report_runs)
    rows.append(
        (
            f"4 class report, {sizes.trainees} x {sizes.answers} answers (md)",
            f"{_ms(rep.seconds)}",
            f"median of {sizes.report_runs}, wall ({rep.chars:,} chars)",
        )
    )
    rows.append(("  (fill: profiles + training import)", f"{_ms(filled)}", "wall, not a target"))
    return rows


def print_table(rows: list[tuple[str, str, str]]) -> None:
    """One engine's figures as aligned text."""
    a = max(len(r[0]) for r in rows)
    b = max(len(r[1]) for r in rows)
    for what, figure, note in rows:
        print(f"  {what:<{a}}  {figure:>{b}}  {note}")
    print(flush=True)


def _load() -> str:
    """The machine's load average (other work on it slows every figure)."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def _interrupt(signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark on the engines asked for and print one table per engine."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--pg", metavar="URL", help="admin address of a PostgreSQL server (may CREATE/DROP DATABASE)"
    )
    parser.add_argument("--only", choices=ENGINES, help="one engine only")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--runs", type=int, help="runs of the review (median; default 5, --quick 3)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else Sizes()
    if args.runs:
        sizes = Sizes(**{**sizes.__dict__, "runs": args.runs})
    signal.signal(signal.SIGTERM, _interrupt)  # a kill stops the scratch server too
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C too, even if started ignoring it
    engines = [args.only] if args.only else list(ENGINES)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {_load()}; every figure is wall time "
        "(time.perf_counter) unless it says CPU"
    )
    start = time.perf_counter()
    log_entries = make_entries(sizes.entries)
    print(f"validated {sizes.entries:,} entries for the log fill in {time.perf_counter() - start:.1f} s\n")
    tables: dict[str, list[tuple[str, str, str]]] = {}
    with tempfile.TemporaryDirectory(prefix="store-bench.") as tmp:
        for engine in engines:
            if engine == "sqlite":
                dbs = Databases("sqlite", Path(tmp))
                print(dbs.describe(), flush=True)
                tables[engine] = run_engine(dbs, sizes, log_entries)
                print_table(tables[engine])
                continue
            with scratch_server() if not args.pg else _given(args.pg) as admin:
                dbs = Databases("postgresql", Path(tmp), admin)
                try:
                    print(
                        dbs.describe() + ("" if args.pg else " (started by scripts/pg-scratch)"), flush=True
                    )
                    tables[engine] = run_engine(dbs, sizes, log_entries)
                    print_table(tables[engine])
                finally:
                    dbs.close()
    print(f"at the end: {_load()}")
    return 0 if all("PROBLEM" not in r[2] for rows in tables.values() for r in rows) else 1


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        print("interrupted (a server this run started was stopped)", file=sys.stderr)
        raise SystemExit(130) from None
