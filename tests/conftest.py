"""Isolate every test from the machine: a temporary COACH_HOME and no user playbook/database overrides.

The shipped playbooks are compiled once per run (``_warm_cache``) and each test's home gets that cache
(a hard link: the cache is only ever replaced by a rename, never written into), so neither a test in
this process nor a ``python -m coach`` it starts reads and indexes the playbooks again. A test that
damages the cache on purpose replaces the file (``unlink`` first), so the shared copy stays whole.
"""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest

_ENV = ("COACH_DB", "COACH_PLAYBOOKS", "COACH_LANG")


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers used in this suite."""
    config.addinivalue_line(
        "markers", "slow: end-to-end tests that start interpreters or read the playbooks again"
    )


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
def _isolated_home(tmp_path, monkeypatch, _warm_cache):
    """Each test gets its own data folder (with the warm playbook cache) and a clean environment."""
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
    yield home
    # Loading the playbooks moves every object alive to the collector's permanent generation (fine for
    # one command or one UI session); a test run loads them hundreds of times, so each test hands them
    # back and the garbage of earlier tests is not kept for the rest of the run.
    gc.unfreeze()
