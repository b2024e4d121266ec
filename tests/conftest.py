"""Isolate every test from the machine: a temporary COACH_HOME and no user playbook/database overrides.

Two engines. By default each test's database is an SQLite file in its home. With ``COACH_TEST_PG`` set to
the address of a PostgreSQL server where databases may be created (``.ci/run`` starts one), the
PostgreSQL tests run too; with ``COACH_TEST_ENGINE=postgresql`` as well, every test's database (``COACH_DB``
and the ``db_target`` fixture) is a fresh PostgreSQL database made from a set-up template, and tests marked
``sqlite_only`` (they look at the file itself) are skipped.

The shipped playbooks are compiled once per run (``_warm_cache``) and each test's home gets that cache
(a hard link: the cache is only ever replaced by a rename, never written into), so neither a test in
this process nor a ``python -m coach`` it starts reads and indexes the playbooks again. A test that
damages the cache on purpose replaces the file (``unlink`` first), so the shared copy stays whole.
"""

from __future__ import annotations

import gc
import itertools
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

_ENV = ("COACH_DB", "COACH_PLAYBOOKS", "COACH_LANG")
PG_ADMIN = os.environ.get("COACH_TEST_PG", "").strip()
"""Address of a PostgreSQL server where the tests may create and drop databases ('' = none)."""
ON_PG = bool(PG_ADMIN) and os.environ.get("COACH_TEST_ENGINE", "sqlite") == "postgresql"
"""True when every test's database is a PostgreSQL one."""
_numbers = itertools.count(1)


def pg_url(name: str) -> str:
    """The address of database ``name`` on the test server."""
    parts = urlsplit(PG_ADMIN)
    return urlunsplit(parts._replace(path=f"/{name}"))


def pg_as(url: str, role: str) -> str:
    """The same database's address, connecting as ``role`` (the test server trusts local connections)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{role}@{parts.netloc.rpartition('@')[2]}"))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers used in this suite."""
    config.addinivalue_line(
        "markers", "slow: end-to-end tests that start interpreters or read the playbooks again"
    )
    config.addinivalue_line(
        "markers", "sqlite_only: looks at the SQLite file itself (skipped when the tests run on PostgreSQL)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, skip the tests of the SQLite file itself."""
    if not ON_PG:
        return
    skip = pytest.mark.skip(reason="about the SQLite file; this run is on PostgreSQL")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def _pg_template() -> object:
    """A database with coach's tables set up, copied for each test that needs one (None: no server)."""
    if not PG_ADMIN:
        yield None
        return
    from coach.store import pg
    from coach.store.db import latest_version

    name = f"coach_template_{os.getpid()}"
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f'CREATE DATABASE "{name}"')
    conn, _ = pg.init(pg_url(name), latest_version())
    conn.close()
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_database(_pg_template: object) -> object:
    """The address of a fresh PostgreSQL database with coach's tables, dropped after the test."""
    if _pg_template is None:
        pytest.skip("needs a PostgreSQL server: set COACH_TEST_PG (.ci/run starts one)")
    name = f"coach_test_{os.getpid()}_{next(_numbers)}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{_pg_template}" STRATEGY FILE_COPY')  # 6x faster than WAL_LOG
    yield pg_url(name)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_empty_database() -> object:
    """The address of a new, empty PostgreSQL database (no coach tables), dropped after the test."""
    if not PG_ADMIN:
        pytest.skip("needs a PostgreSQL server: set COACH_TEST_PG (.ci/run starts one)")
    name = f"coach_empty_{os.getpid()}_{next(_numbers)}"
    _admin(f'CREATE DATABASE "{name}"')
    yield pg_url(name)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _pg_shared(_pg_template: object) -> object:
    """The run's working PostgreSQL database, emptied before each test that uses it (much faster than a
    new database per test, which costs a checkpoint)."""
    if _pg_template is None:
        yield None
        return
    name = f"coach_run_{os.getpid()}"
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{_pg_template}" STRATEGY FILE_COPY')
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _emptied(name: str) -> str:
    """Database ``name`` with every coach table empty and numbering from 1; connections a test left open
    are closed first (they could hold a lock). Its address."""
    import psycopg

    url = pg_url(name)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'coach_schema'"
            )
        ]
        conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    return url


@pytest.fixture
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a test's database is: an SQLite file in its folder, or on a PostgreSQL run the run's working
    database, emptied (a test that changes the schema itself asks for ``pg_database``)."""
    if ON_PG:
        shared = request.getfixturevalue("_pg_shared")
        return _emptied(str(shared))
    return tmp_path / "coach.sqlite3"


def _home_patch(home: Path) -> pytest.MonkeyPatch:
    """``COACH_HOME`` set to ``home`` and no user override, for a session fixture (``undo()`` when done)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("COACH_HOME", str(home))
    for var in _ENV:
        patch.delenv(var, raising=False)
    return patch


@pytest.fixture(scope="session")
def _warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """The cache folder with the shipped playbooks compiled (library, index, behaviour index) and the
    dictionary split by letter, built once."""
    from coach.content import compiled

    home = tmp_path_factory.mktemp("warm-home")
    patch = _home_patch(home)
    try:
        found = compiled.load()
        found.behaviour_index  # noqa: B018 - built and cached on first use
        found.index  # noqa: B018
        compiled.words_starting("a")  # the typo check's dictionary, split by letter
    except Exception:  # noqa: BLE001 - playbooks being edited: each test then reports what is wrong
        return None
    finally:
        patch.undo()
    return home / "cache"


@pytest.fixture(scope="session")
def _shipped_examples_checked(_warm_cache: Path | None) -> Path | None:
    """The shipped playbooks' examples check (the slow part of ``coach validate``) run once, into the warm
    cache folder: the tests that validate the shipped playbooks read it back as a second run would."""
    if _warm_cache is None:
        return None
    from coach.content import compiled
    from coach.content.loader import load_default
    from coach.content.verify import examples_check

    patch = _home_patch(_warm_cache.parent)
    try:
        lib = load_default()
        compiled.remembered_check([], lambda: examples_check(lib))
    finally:
        patch.undo()
    found = _warm_cache / compiled.CHECK_NAME
    return found if found.exists() else None


@pytest.fixture
def shipped_examples_checked(_isolated_home: Path, _shipped_examples_checked: Path | None) -> None:
    """For a test that runs ``coach validate`` on the shipped playbooks: their examples check is in its
    cache folder, as after an earlier run (``coach validate`` computes it again if anything changed)."""
    if _shipped_examples_checked is not None:
        target = _isolated_home / "cache" / _shipped_examples_checked.name
        if not target.exists():  # linked with the rest of the warm cache when it was made first
            target.parent.mkdir(mode=0o700, exist_ok=True)
            os.link(_shipped_examples_checked, target)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch, _warm_cache, request):
    """Each test gets its own data folder (with the warm playbook cache) and a clean environment; on a
    PostgreSQL run, its own database as ``COACH_DB``."""
    home = tmp_path / "coach-home"
    home.mkdir()
    if _warm_cache is not None:
        cache = home / "cache"
        cache.mkdir(mode=0o700)
        for warm in _warm_cache.glob("*.marshal"):
            try:
                os.link(warm, cache / warm.name)
            except OSError:
                shutil.copyfile(warm, cache / warm.name)
    monkeypatch.setenv("COACH_HOME", str(home))
    for var in _ENV:
        monkeypatch.delenv(var, raising=False)
    if ON_PG and "sqlite_only" not in request.keywords:
        monkeypatch.setenv("COACH_DB", str(request.getfixturevalue("db_target")))
    yield home
    # Loading the playbooks moves every object alive to the collector's permanent generation (fine for
    # one command or one UI session); a test run loads them hundreds of times, so each test hands them
    # back and the garbage of earlier tests is not kept for the rest of the run.
    gc.unfreeze()
