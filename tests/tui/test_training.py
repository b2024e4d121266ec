"""Training screen: pick or create a trainee, drill and quiz with feedback, answers saved in SQLite, the
progress chart, role-play under the trainee's name, one trainee's results never shown for another."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Sparkline, Static
from tui_helpers import flat, make_app, run, settle, shipped_loader

from coach.store import training
from coach.store.db import connect
from coach.tui.screens.training import TrainingScreen


def _app(tmp_path, lang="en"):
    return make_app(tmp_path, lang=lang, loader=shipped_loader())


def _seed(db, *names_and_classes: tuple[str, str]) -> None:
    conn = connect(db)
    for name, klass in names_and_classes:
        training.create_profile(conn, name, klass)
    conn.close()


def _answers(db, name: str) -> list[dict]:
    conn = connect(db)
    try:
        return training.attempts(conn, training.find_profile(conn, name).id)
    finally:
        conn.close()


async def _open(app, pilot) -> TrainingScreen:
    await settle(pilot)
    app.open_screen("training")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, TrainingScreen)
    return screen


def _text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)


async def _pick(pilot, screen: TrainingScreen, name: str) -> None:
    listing = screen.query_one("#train-profiles", OptionList)
    for i in range(listing.option_count):
        if name in str(listing.get_option_at_index(i).prompt):
            listing.highlighted = i
            listing.focus()
            await pilot.press("enter")
            await settle(pilot)
            return
    raise AssertionError(f"{name} is not listed")


def test_create_a_trainee_then_drill_with_feedback_and_saved_answers(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(app, pilot)
            assert "No trainees yet" in flat(app)
            screen.query_one("#train-name", Input).value = "Lin"
            screen.query_one("#train-class", Input).focus()
            screen.query_one("#train-class", Input).value = "Spring 2025"
            await pilot.press("enter")
            await settle(pilot)
            assert screen.view == "train-menu" and screen.profile.name == "Lin"
            assert "Lin (class Spring 2025): what now?" in flat(app)
            await pilot.press("1")  # the drill
            await settle(pilot)
            assert screen.view == "train-ask" and screen.kind == "drill"
            q = screen.question
            assert q.text in _text(screen, "#train-prompt") and "What is going on here?" in _text(
                screen, "#train-prompt"
            )
            await pilot.press(str(q.situation_answer + 1))
            await pilot.pause()
            assert "Right: " in _text(screen, "#train-feedback") and screen.phase == "response"
            await pilot.press(str(q.response_answer + 1))
            await settle(pilot)
            feedback = _text(screen, "#train-feedback")
            assert "Right: that line fits." in feedback and "Playbook entry: " in feedback
            assert app.library.rules[q.item.rule].response.steps[0].en in feedback
            rows = _answers(app.db_path, "Lin")
            assert [(r["item"], r["score"]) for r in rows] == [(q.item.key, 2)]

            await pilot.press("enter")  # next question
            await pilot.pause()
            q2 = screen.question
            assert q2.item.key != q.item.key
            await pilot.press(str((q2.situation_answer + 1) % len(q2.situations) + 1))
            await pilot.press(str((q2.response_answer + 1) % len(q2.responses) + 1))
            await settle(pilot)
            feedback = _text(screen, "#train-feedback")
            assert "Not quite: this is" in feedback and "comes back in a few questions" in feedback
            assert [r["score"] for r in _answers(app.db_path, "Lin")] == [2, 0]
            assert screen.run.total == 11

            await pilot.press("escape")
            await pilot.pause()
            assert screen.view == "train-menu"
            await pilot.press("4")  # progress
            await settle(pilot)
            assert screen.view == "train-progress"
            chart = _text(screen, "#train-chart")
            assert "Progress of Lin (class Spring 2025)" in chart and "By principle, weakest first" in chart
            assert screen.query_one("#train-spark", Sparkline).data == [50.0]
            assert "took " in _text(screen, "#train-extra")

    run(scenario)


def test_quiz_in_chinese(tmp_path):
    async def scenario():
        app = _app(tmp_path, lang="zh")
        _seed(app.db_path, ("王芳", "2025春季班"))
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(app, pilot)
            await _pick(pilot, screen, "王芳")
            assert "王芳（2025春季班 班）：接下来练什么？" in flat(app)
            await pilot.press("2")
            await settle(pilot)
            q = screen.question
            assert (
                screen.kind == "quiz"
                and q.lang == "zh"
                and "第 1 题，共 10 题" in _text(screen, "#train-header")
            )
            await pilot.press(str(q.answer + 1))
            await settle(pilot)
            assert _text(screen, "#train-feedback") == "答对了。"
            assert [(r["kind"], r["score"], r["lang"]) for r in _answers(app.db_path, "王芳")] == [
                ("quiz", 1, "zh")
            ]
            for _ in range(9):  # answer the rest right; nothing comes back
                await pilot.press("enter")
                await pilot.pause()
                await pilot.press(str(screen.question.answer + 1))
                await settle(pilot)
            await pilot.press("enter")
            await pilot.pause()
            assert screen.phase == "done" and "测验结束：10 题答对 10 题。" in _text(screen, "#train-prompt")

    run(scenario)


def test_progress_shows_only_the_chosen_trainees_results(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        _seed(app.db_path, ("Ann", "C"), ("Bob", "C"))
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(app, pilot)
            await _pick(pilot, screen, "Ann")
            await pilot.press("2")
            await settle(pilot)
            q = screen.question
            await pilot.press(str((q.answer + 1) % len(q.options) + 1))  # wrong
            await settle(pilot)
            await pilot.press("escape")
            await pilot.press("escape")
            await pilot.pause()
            assert screen.view == "train-who"
            await _pick(pilot, screen, "Bob")
            await pilot.press("4")
            await settle(pilot)
            assert "No drills, quizzes or role-plays yet." in _text(screen, "#train-chart")
            assert _text(screen, "#train-extra") == ""
            assert len(_answers(app.db_path, "Ann")) == 1 and _answers(app.db_path, "Bob") == []

    run(scenario)


def test_roleplay_from_the_menu_counts_for_the_trainee(tmp_path):
    async def scenario():
        from coach.tui.screens.roleplay import RoleplayScreen

        app = _app(tmp_path)
        _seed(app.db_path, ("Lin", "C"))
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(app, pilot)
            await _pick(pilot, screen, "Lin")
            await pilot.press("3")
            await settle(pilot)
            assert isinstance(app.screen, RoleplayScreen) and app.screen.trainee == "Lin"

    run(scenario)


def test_bad_names_are_one_line_errors_and_nothing_is_written(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(app, pilot)
            screen.query_one("#train-name", Input).value = "Lin"
            screen.query_one("#train-class", Input).focus()
            await pilot.press("enter")
            await settle(pilot)
            assert app.notices[-1] == ("warning", "Give a class too, e.g. Spring 2025.")
            screen.query_one("#train-name", Input).value = "Lin\x1b[31m"
            screen.query_one("#train-class", Input).value = "C"
            screen.query_one("#train-class", Input).focus()
            await pilot.press("enter")
            await settle(pilot)
            severity, text = app.notices[-1]
            assert severity == "error" and "--profile: must be plain text" in text and "\n" not in text
            assert screen.view == "train-who"
        conn = connect(app.db_path)
        assert training.list_profiles(conn) == []
        conn.close()

    run(scenario)


def test_names_are_shown_literally(tmp_path):
    async def scenario():
        app = _app(tmp_path)
        _seed(app.db_path, ("[b]Ann[/b]", "[red]C[/red]"))
        async with app.run_test(size=(100, 40)) as pilot:
            screen = await _open(app, pilot)
            assert "[b]Ann[/b] · class [red]C[/red] · 0 answers" in flat(app)
            await _pick(pilot, screen, "[b]Ann[/b]")
            assert "[b]Ann[/b] (class [red]C[/red]): what now?" in flat(app)

    run(scenario)
