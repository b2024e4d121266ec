"""Walk-through records: save, update, read back, validation, Markdown export."""

from __future__ import annotations

import os
import stat

import pytest

from coach.errors import CoachError
from coach.store import walkthroughs as wts
from coach.store.db import MIGRATIONS, connect, latest_version


def _wt(**kw):
    base = dict(
        rule_id="tactic.nibble",
        title="The nibble",
        lang="en",
        steps=[
            wts.StepRecord("step", "Treat it as a new request.", True, "she asked for facings"),
            wts.StepRecord("say", "That is a new request.", False, ""),
            wts.StepRecord("avoid", "Saying yes on the spot.", False, ""),
        ],
    )
    base.update(kw)
    return wts.Walkthrough(**base)


@pytest.fixture
def conn(db_target):
    c = connect(db_target)
    yield c
    c.close()


def test_migration_is_version_2_named_walkthroughs():
    latest_version()
    names = {m.version: m.name for m in MIGRATIONS}
    assert names[2] == "walkthroughs"


def test_save_then_read_back_identical(conn):
    wt = _wt(label="class 3")
    new_id = wts.save(conn, wt)
    back = wts.get(conn, new_id)
    assert back.id == new_id and back.rule_id == "tactic.nibble" and back.label == "class 3"
    assert back.steps == wt.steps
    assert back.started_at and back.saved_at
    assert back.done_count == 1


def test_second_save_updates_in_place(conn):
    wt = _wt()
    first = wts.save(conn, wt)
    wt.steps[1].done = True
    wt.steps[1].notes = "said it"
    assert wts.save(conn, wt) == first
    assert [w.id for w in wts.list_recent(conn)] == [first]
    assert wts.get(conn, first).steps[1].notes == "said it"


def test_list_is_newest_first(conn):
    a = wts.save(conn, _wt())
    b = wts.save(conn, _wt(title="Again"))
    assert [w.id for w in wts.list_recent(conn)] == [b, a]


def test_missing_id_is_a_one_line_error(conn):
    with pytest.raises(CoachError, match="no walk-through with id 42"):
        wts.get(conn, 42)


def test_updating_a_deleted_record_says_so_and_writes_nothing(conn):
    wt = _wt(id=7)
    with pytest.raises(CoachError, match="walk-through 7 no longer exists"):
        wts.save(conn, wt)
    assert conn.execute("SELECT count(*) FROM walkthrough_steps").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lang": "fr"}, "walkthrough.lang"),
        ({"rule_id": " "}, "walkthrough.rule_id"),
        ({"steps": []}, "walkthrough.steps"),
        ({"label": "x" * 201}, "walkthrough.label"),
        ({"steps": [wts.StepRecord("other", "x")]}, "walkthrough.steps[0].kind"),
        (
            {"steps": [wts.StepRecord("step", "x", notes="n" * (wts.MAX_NOTES + 1))]},
            "walkthrough.steps[0].notes",
        ),
    ],
)
def test_bad_records_name_the_field_and_write_nothing(conn, change, field):
    with pytest.raises(CoachError) as err:
        wts.save(conn, _wt(**change))
    assert err.value.one_line().startswith(field + ":")
    assert conn.execute("SELECT count(*) FROM walkthroughs").fetchone()[0] == 0


def test_markdown_escapes_user_text_and_marks_ticks():
    wt = _wt(label="**bold** <script>", id=3, saved_at="2025-01-01T00:00:00+00:00")
    wt.steps[0].notes = "# heading\n- list\n1. one\n[link](http://x) `code` | pipe"
    md = wts.to_markdown(wt)
    assert md.startswith("# Walk-through: The nibble\n")
    assert "- Label: \\*\\*bold\\*\\* \\<script\\>" in md
    assert "- [x] Treat it as a new request." in md and "- [ ] That is a new request." in md
    assert "> \\# heading\n> \\- list\n> 1\\. one\n> \\[link\\](http://x) \\`code\\` \\| pipe" in md
    assert "## 3. Avoid" in md and "- 1 of 3 ticked" in md
    assert "tactic.nibble" not in md  # the entry by its title (the heading), never its id


def test_markdown_in_chinese_uses_chinese_labels():
    md = wts.to_markdown(_wt(lang="zh", title="得寸进尺"))
    assert md.startswith("# 逐步演练：得寸进尺\n") and "## 2. 可以这样说" in md and "已勾选 1/3" in md


def test_write_markdown_never_overwrites(tmp_path):
    wt = _wt()
    first = wts.write_markdown(wt, tmp_path / "exports")
    second = wts.write_markdown(wt, tmp_path / "exports")
    assert first != second and first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(first.stat().st_mode) == 0o600


def test_the_situation_typed_is_saved_and_exported_and_times_are_local(conn, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    import time

    time.tzset()
    try:
        wt = _wt(
            situation="after we signed he asked for *one more* facing", started_at="2025-01-01T00:00:00+00:00"
        )
        wts.save(conn, wt)
        back = wts.get(conn, wt.id)
        assert back.situation == wt.situation
        md = wts.to_markdown(back)
        assert "- Situation: after we signed he asked for \\*one more\\* facing" in md
        assert "- Started: 2025-01-01 08:00" in md  # UTC midnight is 8 a.m. in Shanghai
        back.situation = "edited"
        wts.save(conn, back)
        assert wts.get(conn, wt.id).situation == "edited"
        assert "情况：" in wts.to_markdown(_wt(lang="zh", situation="合同签完了又要加排面"))
        assert "Situation" not in wts.to_markdown(_wt())
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
