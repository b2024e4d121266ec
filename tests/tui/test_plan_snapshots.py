"""Snapshots of the meeting-plan wizard (a principle step with its advice) in English and Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import make_app, settle

from coach.content.plans import load_yaml_file
from coach.store import plans as store
from coach.store.db import connect

SAMPLE = Path(__file__).parent.parent / "data" / "plan_sample.yaml"


def _app(tmp_path, lang):  # noqa: ANN001, ANN202
    app = make_app(tmp_path, lang=lang)
    conn = connect(app.db_path)
    try:
        store.create(conn, load_yaml_file(SAMPLE))
    finally:
        conn.close()
    return app


async def _tradeables(pilot) -> None:  # noqa: ANN001
    """The sample plan opened on step 7 (the mini playbooks hold principle 7's advice)."""
    await settle(pilot)
    pilot.app.open_screen("prep")
    await settle(pilot)
    pilot.app.screen.open_plan(1)
    await settle(pilot)
    pilot.app.screen.go_to("tradeables")
    await settle(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plan_wizard_step(snap_compare, tmp_path, lang):
    assert snap_compare(_app(tmp_path, lang), terminal_size=(120, 34), run_before=_tradeables)
