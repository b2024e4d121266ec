"""Saved plans on a real SQLite file: versions, conflicts, copies, history kept, role-play hook."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from coach.content.plans import MissingParts, load_yaml_file, validate
from coach.store import plans as store
from coach.store.db import MIGRATIONS, connect, latest_version

SAMPLE = Path(__file__).parent.parent / "data" / "plan_sample.yaml"


@pytest.fixture
def conn(db_target):
    c = connect(db_target)
    yield c
    c.close()


def sample(**changes):
    plan = load_yaml_file(SAMPLE)
    return validate({**plan.body(), **changes}) if changes else plan


def test_migration_is_registered():
    assert latest_version() >= 4
    assert any(m.version == 4 and m.name == "plans" for m in MIGRATIONS)


def test_create_get_and_versions(conn):
    plan = sample()
    plan_id = store.create(conn, plan, note="first draft")
    got = store.get(conn, plan_id)
    assert got.plan == plan and got.version == 1 and got.latest == 1 and got.note == "first draft"
    edited = sample(value_delivered=["Fixed the May out-of-stock within 24 hours"])
    version, changed = store.save_version(conn, plan_id, edited, base_version=1, note="  more   value ")
    assert (version, changed) == (2, True)
    assert store.get(conn, plan_id).plan == edited
    assert store.get(conn, plan_id, 1).plan == plan  # the old version is kept as it was
    assert [(v, n) for v, _s, n in store.history(conn, plan_id)] == [(1, "first draft"), (2, "more value")]
    # Saving the same plan again adds nothing.
    assert store.save_version(conn, plan_id, edited) == (2, False)


def test_versions_cannot_be_changed_or_deleted(conn):
    plan_id = store.create(conn, sample())
    with pytest.raises(sqlite3.IntegrityError, match="kept as saved"):
        conn.execute("UPDATE plan_versions SET body = '{}' WHERE plan_id = ?", (plan_id,))
    with pytest.raises(sqlite3.IntegrityError, match="kept as saved"):
        conn.execute("DELETE FROM plan_versions WHERE plan_id = ?", (plan_id,))


def test_stale_edit_is_refused_and_nothing_changes(conn):
    plan_id = store.create(conn, sample())
    store.save_version(conn, plan_id, sample(record=["Send the summary tonight"]), base_version=1)
    with pytest.raises(store.PlanConflict, match="saved as version 2 after you opened version 1"):
        store.save_version(conn, plan_id, sample(record=["Other"]), base_version=1)
    assert store.get(conn, plan_id).plan.record == ["Send the summary tonight"]


def test_one_plan_per_account_and_meeting(conn):
    first = store.create(conn, sample())
    with pytest.raises(store.PlanConflict, match=f"meeting plan {first} already exists"):
        store.create(conn, sample(account="CARREFOUR", meeting="Annual  2025"))
    other = store.create(conn, sample(meeting="mid-year review", date="2025-07-01"))
    with pytest.raises(store.PlanConflict, match="already covers"):
        store.save_version(conn, other, sample(meeting="annual 2025"))
    assert store.get(conn, other).version == 1


def test_incomplete_plan_is_not_saved(conn):
    with pytest.raises(MissingParts) as info:
        store.create(conn, validate({"account": "A", "meeting": "M"}))
    assert [p for p, _ in info.value.parts] == ["objectives", "alternatives.walk_away", "tradeables"]
    assert store.list_plans(conn) == []


def test_save_by_meeting_and_last_for_account(conn):
    a, v, changed = store.save(conn, sample())
    assert (v, changed) == (1, True)
    b, v, changed = store.save(conn, sample(meeting="mid-year review", date="2025-07-01"))
    assert b != a and v == 1
    again = store.save(conn, sample(facts=[]))
    assert again == (a, 2, True)
    store.create(conn, sample(account="Walmart", date="2025-09-01"))
    last = store.last_for_account(conn, "carrefour")
    assert last is not None and last.id == b  # the latest meeting date, not the latest save
    assert store.last_for_account(conn, "carrefour", exclude=b).id == a
    assert store.last_for_account(conn, "Tesco") is None
    assert [s.meeting for s in store.list_plans(conn, "Carrefour")] == ["mid-year review", "annual 2025"]
    assert [s.id for s in store.find(conn, meeting="ANNUAL 2025")] == [3, a]


def test_unreadable_stored_version_is_a_clear_error(conn):
    plan_id = store.create(conn, sample())
    on = " ON plan_versions" if getattr(conn, "engine", "sqlite") == "postgresql" else ""
    conn.execute("BEGIN")  # the damage is rolled back after: the schema stays whole for the next test
    try:
        conn.execute(f"DROP TRIGGER plan_versions_no_update{on}")
        conn.execute(
            "UPDATE plan_versions SET body = ? WHERE plan_id = ?", (json.dumps({"account": 1}), plan_id)
        )
        with pytest.raises(
            store.DatabaseError, match=f"saved meeting plan {plan_id}, version 1, cannot be read"
        ):
            store.get(conn, plan_id)
    finally:
        conn.execute("ROLLBACK")


def test_missing_plan_and_version(conn):
    with pytest.raises(store.PlanNotFound, match="no meeting plan 7"):
        store.get(conn, 7)
    plan_id = store.create(conn, sample())
    with pytest.raises(store.PlanNotFound, match="has no version 3"):
        store.get(conn, plan_id, 3)


def test_roleplay_situations_from_sessions(conn):
    from coach.store import sessions

    scenario = {
        "id": "s1",
        "title": {"en": "Annual talks", "zh": "年度谈判"},
        "persona": {"retailer": {"en": "Carrefour", "zh": "家乐福"}},
    }
    sid = sessions.begin(conn, scenario, "en")
    for pos, situation in enumerate(["tactic.nibble", "tactic.deadline-pressure", "tactic.nibble"]):
        sessions.add_exchange(conn, sid, pos, {"situation": situation, "behaviours": []}, None)
    sessions.mark_retried(conn, sid, 2)
    other = dict(scenario, persona={"retailer": {"en": "Tesco", "zh": "乐购"}})
    sessions.add_exchange(conn, sessions.begin(conn, other, "en"), 0, {"situation": "tactic.nibble"}, None)
    assert store.roleplay_situations(conn, " carrefour ") == ["tactic.nibble", "tactic.deadline-pressure"]
    assert store.roleplay_situations(conn, "家乐福") == ["tactic.nibble", "tactic.deadline-pressure"]
    assert store.roleplay_situations(conn, "Walmart") == []
