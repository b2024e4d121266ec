"""Concession log screen: the form (validation, saving), the table (filter, sort, large logs), the review
(figures and chart), both languages, and text shown literally."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.widgets import DataTable, Input, Sparkline, TextArea
from textual.widgets._data_table import ColumnKey
from tui_helpers import flat, make_app, run, settle

from coach.store import concessions as store
from coach.store.db import connect
from coach.tui.screens.concessions import TABLE_LIMIT, ConcessionScreen, reason_text, table_view
from coach.tui.screens.confirm import ConfirmScreen
from coach.tui.screens.home import HomeScreen


def _seed(path, entries):
    conn = connect(path)
    try:
        store.import_entries(conn, [store.Imported(store.validate_entry(e), "") for e in entries])
    finally:
        conn.close()


def _stored(path, **filters):
    conn = connect(path)
    try:
        return store.select(conn, store.Filter(**filters))
    finally:
        conn.close()


async def _open(pilot):
    await settle(pilot)
    pilot.app.open_screen("concessions")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConcessionScreen)
    return screen


def _fill(screen, **fields):
    for field, value in fields.items():
        if field == "note":
            screen.query_one("#log-note", TextArea).text = value
        else:
            screen.query_one(f"#log-{field}", Input).value = value


def test_the_form_names_the_wrong_field_and_saves_nothing_until_it_is_right(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(pilot)
            _fill(
                screen,
                account="Carrefour",
                meeting="annual 2025",
                give="2% off invoice",
                value="-2",
                unit="%",
            )
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "Value: must be zero or more" in flat(app)
            assert screen.query_one("#log-value").has_class("-invalid")
            assert app.focused is screen.query_one("#log-value")
            assert _stored(app.db_path) == []
            _fill(screen, value="two")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "Value: 'two' is not a number" in flat(app)
            _fill(screen, value="2", unit="parsecs")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "Unit: unknown unit 'parsecs'" in flat(app) and _stored(app.db_path) == []
            _fill(
                screen, unit="%", get="two end-caps", get_value="2", get_unit="units", note="he asked twice"
            )
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.notices[-1] == ("information", "Saved as entry #1.")
            (saved,) = _stored(app.db_path)
            assert (saved.account, saved.meeting, saved.give, saved.value, saved.unit) == (
                "Carrefour",
                "annual 2025",
                "2% off invoice",
                2,
                "percent",
            )
            assert (saved.get, saved.get_value, saved.get_unit, saved.note) == (
                "two end-caps",
                2,
                "units",
                "he asked twice",
            )
            assert (saved.type, saved.stage, saved.status, saved.practice) == (
                "price",
                "bargaining",
                "agreed",
                False,
            )
            # ready for the next concession of the same meeting
            assert screen.query_one("#log-account", Input).value == "Carrefour"
            assert screen.query_one("#log-give", Input).value == ""
            assert not screen.has_unsaved_work()
            assert "Value:" not in flat(app)

    run(scenario)


def test_validation_message_in_chinese(tmp_path):
    async def scenario():
        app = make_app(tmp_path, lang="zh")
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(pilot)
            _fill(screen, account="家乐福", give="返利", value="-1", unit="%")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert "数值：不能是负数" in flat(app)
            assert _stored(app.db_path) == []

    run(scenario)
    assert reason_text("'x' is not a date (use YYYY-MM-DD)", "zh").startswith("日期格式不对")
    assert reason_text("anything new", "zh") == "anything new"


def test_tactic_comes_from_the_playbooks_and_practice_stays_out_of_the_table(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(pilot)
            tactic = screen.query_one("#log-tactic")
            values = [value for _label, value in tactic._options if isinstance(value, str)]
            assert values[0].startswith("tactic.") and "tactic.nibble" in values
            labels = [str(label) for label, value in tactic._options if value == "tactic.nibble"]
            assert labels and "[tactic.nibble]" in labels[0]
            tactic.value = "tactic.nibble"
            _fill(screen, account="Carrefour", give="free delivery", value="0", unit="CNY")
            screen.query_one("#log-practice").value = True
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert _stored(app.db_path) == []
            (practice,) = _stored(app.db_path, practice=True)
            assert practice.tactic == "tactic.nibble"
            await pilot.press("f6")
            await settle(pilot)
            assert screen.query_one(DataTable).row_count == 0
            assert "No concessions logged yet" in flat(app)

    run(scenario)


ENTRIES = [
    {
        "account": "Carrefour",
        "meeting": "annual 2025",
        "type": "price",
        "give": "2% off invoice",
        "value": 2,
        "unit": "percent",
        "when": "2025-03-01T10:00",
    },
    {
        "account": "Carrefour",
        "meeting": "annual 2025",
        "type": "price",
        "give": "[bold]1% more[/bold]",
        "value": 1,
        "unit": "percent",
        "when": "2025-03-02T10:00",
        "tactic": "tactic.deadline-pressure",
    },
    {
        "account": "Carrefour",
        "meeting": "annual 2025",
        "type": "price",
        "give": "1.5% for the flyer",
        "value": 1.5,
        "unit": "percent",
        "when": "2025-03-03T10:00",
        "get": "flyer page",
        "get_value": 1,
        "get_unit": "units",
    },
    {
        "account": "Lianhua",
        "type": "listing-fee",
        "give": "进场费打折",
        "value": 20000,
        "unit": "CNY",
        "when": "2025-04-01T09:00",
        "get": "新品进店",
    },
]


def test_table_filters_sorts_and_shows_text_literally(tmp_path):
    _seed(tmp_path / "coach.sqlite3", ENTRIES)

    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open(pilot)
            await pilot.press("f6")
            await settle(pilot)
            table = screen.query_one(DataTable)
            assert app.focused is screen.query_one("#log-filter")
            assert [r.id for r in screen.shown] == [4, 3, 2, 1]  # newest first
            assert "[bold]1% more[/bold]" in flat(app) and "4 entries" in flat(app)
            await pilot.press(*"carrefour flyer")
            await settle(pilot)
            assert [r.id for r in screen.shown] == [3] and table.row_count == 1
            assert "1 of 1 entry shown (4 in the log)" in flat(app)
            screen.query_one("#log-filter", Input).value = ""
            await settle(pilot)
            table.post_message(DataTable.HeaderSelected(table, ColumnKey("amount"), 6, Text("")))
            await settle(pilot)
            assert [r.id for r in screen.shown] == [4, 2, 3, 1]  # CNY, then percent by size
            assert screen.sort_column == "amount" and not screen.sort_reverse
            table.post_message(DataTable.HeaderSelected(table, ColumnKey("amount"), 6, Text("")))
            await settle(pilot)
            assert screen.sort_reverse and [r.id for r in screen.shown] == [1, 3, 2, 4]

    run(scenario)


def test_review_shows_figures_advice_growth_and_a_chart(tmp_path):
    _seed(tmp_path / "coach.sqlite3", ENTRIES)

    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(120, 60)) as pilot:
            screen = await _open(pilot)
            await pilot.press("f7")
            await settle(pilot)
            text = screen.review_text
            assert text.startswith("Concession review — all accounts")
            assert "Got something in return: 2 of 4 (50%)" in text
            assert "Principle 7" in text and "[tactic.deadline-pressure]" in text
            assert "grew instead of shrinking: #2 → #3" in text
            assert "[bold]1% more[/bold]" in flat(app)
            assert [unit for unit, _ in screen.series] == ["percent"]  # one CNY size is not a sequence
            assert screen.series[0][1] == [2, 1, 1.5]
            assert len(screen.query(Sparkline)) == 1
            await pilot.press(*"lianhua")
            await settle(pilot)
            assert screen.review_text.startswith("Concession review — lianhua")
            assert "Given: CNY 20,000" in screen.review_text
            assert screen.series == [] and len(screen.query(Sparkline)) == 0

    run(scenario)


def test_language_switch_relabels_tabs_table_and_review(tmp_path):
    _seed(tmp_path / "coach.sqlite3", ENTRIES)

    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open(pilot)
            await pilot.press("f2")
            await settle(pilot)
            assert "新记录" in flat(app) and "记录列表" in flat(app) and "回顾" in flat(app)
            await pilot.press("f6")
            await settle(pilot)
            assert "价格/折扣" in flat(app) and "客户" in flat(app)
            assert screen.review_updates == 0  # the review is computed when its tab is opened
            await pilot.press("f7")
            await settle(pilot)
            assert screen.review_text.startswith("让步回顾 — 全部客户")

    run(scenario)


def test_leaving_with_typed_text_asks_first(tmp_path):
    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(pilot)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)  # nothing typed: leaves at once
            screen = await _open(pilot)
            _fill(screen, give="a promoter for the anniversary")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.click("#confirm-stay")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("escape")
            await pilot.pause()
            await pilot.click("#confirm-discard")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)

    run(scenario)


def test_a_large_log_fills_the_table_with_the_first_rows_only(tmp_path):
    many = [
        {
            "account": f"Chain {i % 7}",
            "meeting": f"round {i % 50}",
            "type": "price",
            "give": f"step {i}",
            "value": i % 5,
            "unit": "percent",
            "when": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
        }
        for i in range(3 * TABLE_LIMIT)
    ]
    _seed(tmp_path / "coach.sqlite3", many)

    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open(pilot)
            await pilot.press("f6")
            await settle(pilot)
            assert screen.query_one(DataTable).row_count == TABLE_LIMIT
            assert f"{TABLE_LIMIT} of {3 * TABLE_LIMIT} entries shown" in flat(app).replace(",", "")
            await pilot.press(*"step 2999")
            await settle(pilot)
            assert [r.give for r in screen.shown] == ["step 2999"]

    run(scenario)


def test_a_damaged_database_is_a_notice_not_a_crash(tmp_path):
    (tmp_path / "coach.sqlite3").write_text("not a database")

    async def scenario():
        app = make_app(tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            await _open(pilot)
            severity, text = app.notices[-1]
            assert severity == "error" and text.startswith("Could not read the concession log:")
            assert "not a coach database" in text

    run(scenario)
    assert (tmp_path / "coach.sqlite3").read_text() == "not a database"


@pytest.mark.parametrize("words", ["", "carrefour", "CARREFOUR 2%", "nothing-matches"])
def test_table_view_filters_every_word(words):
    rows = [
        store.Concession(
            i,
            f"u{i}",
            "r",
            e["when"],
            e["account"],
            e.get("meeting"),
            e["type"],
            e["give"],
            e.get("value"),
            e.get("unit"),
            e.get("get"),
            e.get("get_value"),
            e.get("get_unit"),
            None,
            e.get("tactic"),
            "bargaining",
            "agreed",
            False,
            None,
            None,
        )
        for i, e in enumerate(ENTRIES, 1)
    ]
    shown, matched = table_view(rows, words, "id", False)
    expected = [
        r.id
        for r in rows
        if all(
            w in " ".join(filter(None, (r.account, r.meeting, r.give, r.get, r.tactic, r.type))).casefold()
            for w in words.casefold().split()
        )
    ]
    assert [r.id for r in shown] == expected and matched == len(expected)


async def _steady(pilot) -> None:  # noqa: ANN001
    """No blinking cursors, no notifications: the picture depends only on the app."""
    await settle(pilot)
    for widget in pilot.app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("tab", ["f6", "f7"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot(snap_compare, tmp_path, lang, tab):
    _seed(tmp_path / "coach.sqlite3", ENTRIES)

    async def run_before(pilot):
        await _open(pilot)
        await pilot.press(tab)
        await _steady(pilot)

    assert snap_compare(make_app(tmp_path, lang=lang), terminal_size=(80, 24), run_before=run_before)
