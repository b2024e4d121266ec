"""The meeting-plan wizard with a key account (issue 13, item 5, in the terminal UI): the objectives step
offers what `coach prep new --account` offers (objectives, their people, open actions overdue first), "Add
from the account plan" adds them as `--from-account` does, and the brief (summary and Ctrl+G) names their
people at the meeting from the account's map, in English and Chinese."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Button, Input, TextArea
from tui_helpers import flat, make_app, run, settle

from coach.cli import main
from coach.tui.screens.plan import STEPS, PlanScreen, widget_id

SAMPLE = Path(__file__).parents[1] / "data" / "acbp" / "jinhai-2027.yaml"
YEAR = date.today().year


def cli(capsys, *args: str) -> None:
    code = main(list(args))
    _, err = capsys.readouterr()
    assert code == 0, err


@pytest.fixture
def jinhai(tmp_path, monkeypatch, capsys):
    """Jinhai Mart as in tests/commands/test_account_across.py: a skeptic decision maker nobody of ours
    knows, a buyer Li Wei knows; this year's business plan (the sample's, moved to this year)."""
    monkeypatch.setenv("COACH_DB", str(tmp_path / "coach.sqlite3"))  # the app's database (make_app)
    cli(capsys, "account", "add", "Jinhai Mart", "--tier", "national")
    for person in (
        ["Wang Fang", "--role", "Purchasing director", "--decision", "decision-maker", "--influence", "5"]
        + ["--attitude", "skeptic"],
        ["Chen Jie", "--role", "Buyer", "--reports-to", "Wang Fang", "--attitude", "supporter"],
    ):
        cli(capsys, "account", "contact", "add", "Jinhai Mart", *person)
    cli(capsys, "account", "contact", "add", "Jinhai Mart", "Li Wei", "--ours")
    cli(capsys, "account", "link", "Jinhai Mart", "Li Wei", "Chen Jie", "--level", "3")
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("2027", str(YEAR)).replace(f"{YEAR}-09-01", "2099-09-01"),
        encoding="utf-8",
    )
    cli(capsys, "acbp", "import", str(plan))
    return tmp_path


def _set(screen, **fields):
    for field, text in fields.items():
        widget = screen.query_one(f"#{widget_id(field)}")
        if isinstance(widget, Input):
            widget.value = text
        else:
            widget.load_text(text)


async def until(pilot, condition, rounds: int = 200) -> None:  # noqa: ANN001
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()


async def _open(pilot) -> PlanScreen:
    await settle(pilot)
    pilot.app.open_screen("prep")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen)
    return screen


async def _step(pilot, screen: PlanScreen, name: str) -> None:
    screen.go_to(name)
    await settle(pilot)
    await until(pilot, lambda: screen._offer_for == screen._account_ref())
    await settle(pilot)


def test_objectives_step_offers_the_account_plan_and_adds_it(jinhai):
    async def scenario():
        app = make_app(jinhai)
        async with app.run_test(size=(140, 60)) as pilot:
            screen = await _open(pilot)
            _set(screen, account="  JINHAI   mart ", meeting="Q2")
            await _step(pilot, screen, "objectives")
            button = screen.query_one("#plan-from-account", Button)
            assert button.display and str(button.label) == "Add from the account plan"
            text = flat(app)
            assert f"Jinhai Mart is a key account (business plan {YEAR}). For this meeting:" in text
            assert "Grow our sales in Jinhai to CNY 14m" in text
            assert "Wang Fang (Purchasing director · decision maker · influence 5 · skeptic" in text
            assert "open actions, overdue first" in text
            if date.today() > date(YEAR, 1, 31):
                assert "⚠ agree two end-caps per quarter" in text
            # One objective of the meeting's own; adding keeps it first and adds ours as nice-to-have.
            _set(screen, objectives="must: end-caps")
            await pilot.pause()
            button.press()
            await settle(pilot)
            objectives = screen.query_one(f"#{widget_id('objectives')}", TextArea).text.splitlines()
            assert objectives[0] == "must: end-caps"
            assert "nice: Grow our sales in Jinhai to CNY 14m" in objectives
            assert not any("Jinhai wants category" in line for line in objectives)  # theirs stays theirs
            agenda = screen.query_one(f"#{widget_id('agenda')}", TextArea).text.splitlines()
            assert agenda and all(line.startswith("follow up: ") for line in agenda)
            assert any(
                "joint anniversary promotion in September (Wang Fang, by 2099-09-01)" in x for x in agenda
            )
            assert screen.dirty and app.notices[-1][1].startswith(
                "Added from the account plan: 1 objective, "
            )
            # Twice adds nothing more (as --from-account does not repeat an objective or an agenda point).
            before = (screen.fields()["objectives"], screen.fields()["agenda"])
            button.press()
            await settle(pilot)
            assert (screen.fields()["objectives"], screen.fields()["agenda"]) == before
            assert screen.plan().account  # the form is a valid plan

    run(scenario)


def test_a_bad_objective_line_is_one_problem_and_nothing_changes(jinhai):
    async def scenario():
        app = make_app(jinhai)
        async with app.run_test(size=(140, 60)) as pilot:
            screen = await _open(pilot)
            _set(screen, account="Jinhai Mart", meeting="Q2", objectives="must:")
            await _step(pilot, screen, "objectives")
            before = screen.fields()
            screen.query_one("#plan-from-account", Button).press()
            await settle(pilot)
            assert screen.fields() == before
            status = str(screen.query_one("#plan-status").render())
            assert status.startswith("Not saved: objectives line 1") and "\n" not in status.strip()

    run(scenario)


def test_no_offer_for_a_customer_that_is_no_key_account(jinhai):
    async def scenario():
        app = make_app(jinhai)
        async with app.run_test(size=(140, 60)) as pilot:
            screen = await _open(pilot)
            _set(screen, account="Carrefour", meeting="Q2")
            await _step(pilot, screen, "objectives")
            assert screen.offered is None
            assert not screen.query_one("#plan-from-account", Button).display
            assert "key account" not in flat(app)
            _set(screen, objectives="must: x", walk_away="no", tradeables="a | price | low | high | b")
            await _step(pilot, screen, "summary")
            assert "Their people at the meeting" not in flat(app)

    run(scenario)


def test_the_brief_names_their_people_at_the_meeting_in_both_languages(jinhai, monkeypatch):
    monkeypatch.setenv("COACH_HOME", str(jinhai / "home"))

    async def scenario():
        app = make_app(jinhai)
        async with app.run_test(size=(140, 60)) as pilot:
            screen = await _open(pilot)
            _set(
                screen,
                account="Jinhai Mart",
                meeting="Q2",
                objectives="must: end-caps",
                theirs="Wang Fang | Purchasing director\nZhou Min | Category manager",
                walk_away="no rebate above 3%",
                tradeables="two promoter days | promotion | low | high | facings",
            )
            await _step(pilot, screen, "summary")
            assert STEPS[screen.step].name == "summary"
            text = flat(app)
            assert "Their people at the meeting" in text
            assert "Wang Fang: Purchasing director · decision maker · influence 5 · skeptic" in text
            assert "Zhou Min: Category manager · not in the relationship map of Jinhai Mart" in text
            assert "⚠ Coach (at this meeting)" in text
            app.set_language("zh")
            await settle(pilot)
            text = flat(app)
            assert "到场的客户方人员" in text and "Wang Fang" in text
            assert "决策者" in text and "不在Jinhai Mart的客情关系图里" in text
            app.set_language("en")
            await settle(pilot)
            await pilot.press("ctrl+g")
            await settle(pilot)
            await until(pilot, lambda: screen.exported is not None)
            md = screen.exported.read_text(encoding="utf-8")
            assert "## Their people at the meeting" in md
            assert "Purchasing director · decision maker · influence 5 · skeptic" in md
            html = screen.exported.with_suffix(".html").read_text(encoding="utf-8")
            assert "Their people at the meeting" in html

    run(scenario)


def test_both_faces_offer_the_same_number_of_open_actions():
    from coach.commands import prep
    from coach.review import account_summary

    assert prep.OFFER_ACTIONS == account_summary.OFFER_ACTIONS
