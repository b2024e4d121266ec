"""Isolate every test from the machine: a temporary COACH_HOME and no user playbook/database overrides."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Each test gets its own empty data folder and a clean environment."""
    home = tmp_path / "coach-home"
    home.mkdir()
    monkeypatch.setenv("COACH_HOME", str(home))
    for var in ("COACH_DB", "COACH_PLAYBOOKS", "COACH_LANG"):
        monkeypatch.delenv(var, raising=False)
    return home
