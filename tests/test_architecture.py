"""The layers of docs/architecture.md are a contract a tool checks: import-linter runs with the suite."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"

UTILITIES = {
    "coach.__init__",
    "coach.errors",
    "coach.locations",
    "coach.clock",
    "coach.linebreak",
    "coach.files",
}
"""Modules outside the layers: small helpers any layer may import (they import no layer above them)."""


def _contracts() -> dict[str, dict]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {c["id"]: c for c in config["contracts"]}


def test_the_import_contracts_hold():
    """In a process of its own: import-linter configures logging for the whole process (dictConfig
    disables every logger already made, such as the UI's, and later tests read that logger)."""
    import subprocess
    import sys

    code = (
        "import sys; from importlinter.cli import lint_imports; "
        f"sys.exit(lint_imports(config_filename={str(PYPROJECT)!r}, no_cache=True, no_logo=True))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_module_of_coach_is_in_a_layer_or_a_utility():
    layered = {name.strip() for layer in _contracts()["layers"]["layers"] for name in layer.split("|")}
    top = {
        f"coach.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "coach").iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").exists()) and not p.name.startswith(".")
    }
    assert top - layered - UTILITIES == set()


def test_only_the_ui_may_import_textual():
    layered = {name.strip() for layer in _contracts()["layers"]["layers"] for name in layer.split("|")}
    assert set(_contracts()["textual"]["source_modules"]) == layered - {"coach.tui"}
