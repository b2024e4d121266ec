"""Training records: profiles, answers kept as given, the schedule, isolation between trainees, and merging
exports from several laptops without duplicates."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from training_helpers import answer, at, dump, play

from coach.errors import CoachError
from coach.store import sessions, training
from coach.store.db import MIGRATIONS, connect, latest_version
from coach.training import transfer
from coach.training.progress import progress
from coach.training.schedule import replay


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "a.sqlite3"
    conn = connect(path)
    yield conn, path
    conn.close()


def test_migration_is_version_5():
    assert any(m.version == 5 and m.name == "training" for m in MIGRATIONS)
    assert latest_version() >= 5


# ------------------------------------------------------------------------------------------------ profiles


def test_profiles_are_unique_whatever_the_case(db):
    conn, _ = db
    ann = training.create_profile(conn, "  Ann   Lee ", "Spring 2025")
    assert (ann.name, ann.klass) == ("Ann Lee", "Spring 2025")
    assert training.find_profile(conn, "ann lee") == ann
    with pytest.raises(CoachError, match="already exists"):
        training.create_profile(conn, "ANN LEE", "Other")
    assert training.resolve_profile(conn, "ann lee") == ann
    assert training.resolve_profile(conn, "Ann Lee", "spring 2025") == ann


@pytest.mark.parametrize(
    ("name", "klass", "message"),
    [
        ("", "C", "--profile: a name is required"),
        ("Ann\x1b[31m", "C", "--profile: must be plain text"),
        ("Ann\nBob", "C", "--profile: must be plain text"),
        ("A" * 81, "C", "--profile: at most 80 characters"),
        ("Ann", " ", "--class: a name is required"),
    ],
)
def test_bad_names_are_refused_and_nothing_is_written(db, name, klass, message):
    conn, _ = db
    with pytest.raises(CoachError, match=message.replace("[", r"\[")):
        training.resolve_profile(conn, name, klass)
    assert training.list_profiles(conn) == []


def test_unknown_profile_and_wrong_class(db):
    conn, _ = db
    training.create_profile(conn, "Ann", "Spring")
    with pytest.raises(training.UnknownProfile) as info:
        training.resolve_profile(conn, "Anna")
    assert (
        info.value.one_line()
        == "--profile: no trainee named 'Anna' (did you mean 'Ann'? give --class CLASS to create it)"
    )
    with pytest.raises(training.UnknownProfile) as info:
        training.resolve_profile(conn, "Zed", "Spring", create=False)
    assert info.value.one_line().endswith("(`coach train profiles` lists them)")
    with pytest.raises(CoachError, match="'Ann' is in class 'Spring', not 'Autumn'"):
        training.resolve_profile(conn, "ann", "Autumn")
    with pytest.raises(training.UnknownClass) as info:
        training.class_profiles(conn, "Autumn")
    assert info.value.one_line() == "--class: no trainee in class 'Autumn' (classes here: Spring)"
    assert [p.name for p in training.list_profiles(conn)] == ["Ann"]


# ------------------------------------------------------------------------------------------------ answers


def test_answers_move_the_schedule_and_are_kept_as_given(db):
    conn, _ = db
    ann = training.create_profile(conn, "Ann", "C")
    training.add_attempt(conn, ann.id, answer("drill:a", 2, when=at(1)))
    state = training.add_attempt(conn, ann.id, answer("drill:b", 1, when=at(1, 1), seq=1))
    assert state.box == 1 and state.due_at == at(1, 1)
    state = training.add_attempt(conn, ann.id, answer("drill:a", 2, when=at(2), run="run-2"))
    assert state.box == 3
    sched = training.schedule(conn, ann.id)
    assert sched == replay(
        (a["item"], a["score"] == a["max_score"], a["answered_at"]) for a in training.attempts(conn, ann.id)
    )
    assert set(training.schedule(conn, ann.id, "drill:a")) == {"drill:a"}
    assert training.schedule(conn, ann.id, "quiz:") == {}
    with pytest.raises(sqlite3.DatabaseError, match="kept as given"):
        conn.execute("UPDATE training_attempts SET score = 0")
    with pytest.raises(sqlite3.DatabaseError, match="kept as given"):
        conn.execute("DELETE FROM training_attempts")


def test_a_bad_answer_writes_nothing(db):
    conn, _ = db
    ann = training.create_profile(conn, "Ann", "C")
    bad = answer("drill:a", 3, when=at(1))  # more than max_score
    with pytest.raises(CoachError, match="nothing was written"):
        training.add_attempt(conn, ann.id, bad)
    assert training.attempts(conn, ann.id) == [] and training.schedule(conn, ann.id) == {}


def test_one_trainees_results_are_never_anothers(db):
    conn, _ = db
    ann = training.create_profile(conn, "Ann", "C")
    bob = training.create_profile(conn, "Bob", "C")
    annabel = training.create_profile(conn, "Annabel", "C")
    training.add_attempt(conn, ann.id, answer("drill:shared", 2, when=at(1)))
    training.add_attempt(conn, bob.id, answer("drill:shared", 0, when=at(1)))
    training.add_attempt(
        conn,
        bob.id,
        answer(
            "quiz:x",
            0,
            kind="quiz",
            area="principle.plan",
            principles=("principle.plan",),
            when=at(1, 2),
            seq=1,
        ),
    )
    play(
        conn,
        "bob",
        [("difficult.emotional", [("reply.argues", False, ["principle.professionalism"])], False)],
    )
    play(
        conn,
        "ANN",
        [("tactic.nibble", [("reply.conditional-concession", True, ["principle.trade-concessions"])], False)],
        outcome="success",
    )
    play(
        conn,
        "Annabel",
        [
            (
                "tactic.nibble",
                [("reply.unconditional-concession", False, ["principle.trade-concessions"])],
                False,
            )
        ],
    )
    play(
        conn,
        None,
        [
            (
                "tactic.nibble",
                [("reply.unconditional-concession", False, ["principle.trade-concessions"])],
                False,
            )
        ],
    )

    assert [a["score"] for a in training.attempts(conn, ann.id)] == [2]
    assert training.schedule(conn, ann.id)["drill:shared"].box == 2
    assert training.schedule(conn, bob.id)["drill:shared"].box == 1
    assert set(training.schedule(conn, bob.id)) == {"drill:shared", "quiz:x"}
    ann_rp = training.roleplays(conn, ann)
    assert [(r["outcome"], [b["id"] for b in r["behaviours"]]) for r in ann_rp] == [
        ("success", ["reply.conditional-concession"])
    ]
    assert [b["id"] for r in training.roleplays(conn, annabel) for b in r["behaviours"]] == [
        "reply.unconditional-concession"
    ]
    p = progress(training.attempts(conn, ann.id), ann_rp, {})
    assert (p.drill_questions, p.quiz_questions, p.roleplays) == (1, 0, 1)
    assert not any(k[0] == "roleplay" for k in p.mistakes)
    trade = next(a for a in p.areas if a.id == "principle.trade-concessions")
    assert (trade.drill.right, trade.drill.total, trade.good, trade.bad) == (2, 2, 1, 0)
    assert training.attempts(conn, annabel.id) == []


def test_retried_replies_do_not_count(db):
    conn, _ = db
    ann = training.create_profile(conn, "Ann", "C")
    play(
        conn,
        "Ann",
        [
            ("difficult.emotional", [("reply.argues", False, ["principle.professionalism"])], True),
            ("difficult.emotional", [("reply.apologizes", True, ["principle.professionalism"])], False),
        ],
    )
    (rp,) = training.roleplays(conn, ann)
    assert rp["replies"] == 1 and [b["id"] for b in rp["behaviours"]] == ["reply.apologizes"]


# -------------------------------------------------------------------------------------------- export/import


def _laptop(path: Path, people: dict[str, list[dict]], klass: str = "Spring") -> sqlite3.Connection:
    conn = connect(path)
    for name, answers in people.items():
        p = training.create_profile(conn, name, klass)
        for a in answers:
            training.add_attempt(conn, p.id, a)
    return conn


def _export(conn, tmp_path: Path, name: str, klass: str = "Spring") -> Path:
    out = tmp_path / name
    out.write_text(json.dumps(training.export_class(conn, klass)), encoding="utf-8")
    return out


def _import(conn, *files: Path) -> training.ImportReport:
    return training.import_class(conn, [(transfer.read(f), str(f)) for f in files])


def test_import_twice_changes_nothing(tmp_path):
    a = _laptop(
        tmp_path / "a.sqlite3",
        {"Ann": [answer("drill:1", 2, when=at(1)), answer("drill:2", 0, when=at(1, 1), seq=1)]},
    )
    play(
        a,
        "Ann",
        [
            (
                "tactic.nibble",
                [("reply.unconditional-concession", False, ["principle.trade-concessions"])],
                False,
            )
        ],
    )
    file = _export(a, tmp_path, "a.json")
    b = connect(tmp_path / "b.sqlite3")
    first = _import(b, file)
    assert (first.profiles_new, first.attempts_new, first.roleplays_new) == (1, 2, 1)
    before = dump(tmp_path / "b.sqlite3")
    again = _import(b, file)
    assert (again.profiles_new, again.attempts_new, again.roleplays_new, again.roleplays_updated) == (
        0,
        0,
        0,
        0,
    )
    assert (again.attempts_known, again.roleplays_known) == (2, 1)
    assert dump(tmp_path / "b.sqlite3") == before
    ann_b = training.find_profile(b, "ann")
    ann_a = training.find_profile(a, "ann")
    assert ann_b.uuid == ann_a.uuid
    assert training.attempts(b, ann_b.id) == training.attempts(a, ann_a.id)
    assert training.schedule(b, ann_b.id) == training.schedule(a, ann_a.id)
    assert training.roleplays(b, ann_b) == training.roleplays(a, ann_a)
    # the laptop's own file back on the laptop: its sessions are recognised, nothing is added
    before_a = dump(tmp_path / "a.sqlite3")
    own = _import(a, file)
    assert (own.attempts_new, own.roleplays_new, own.roleplays_known) == (0, 0, 1)
    assert dump(tmp_path / "a.sqlite3") == before_a


def test_merge_from_two_laptops(tmp_path):
    a = _laptop(tmp_path / "a.sqlite3", {"Ann": [answer("drill:1", 0, when=at(1))]})
    c = _laptop(
        tmp_path / "c.sqlite3",
        {"ann": [answer("drill:1", 2, when=at(2), run="r2")], "Bob": [answer("drill:9", 2, when=at(2))]},
    )
    fa, fc = _export(a, tmp_path, "a.json"), _export(c, tmp_path, "c.json")
    hub = connect(tmp_path / "hub.sqlite3")
    report = _import(hub, fa, fc)
    assert (report.profiles_new, report.attempts_new) == (2, 3)
    names = [p.name for p in training.class_profiles(hub, "spring")]
    assert names == ["Ann", "Bob"]  # the two laptops' Ann are one trainee
    ann = training.find_profile(hub, "Ann")
    assert [x["score"] for x in training.attempts(hub, ann.id)] == [0, 2]
    state = training.schedule(hub, ann.id)["drill:1"]
    assert state.box == 2 and state.seen == 2  # wrong on laptop A, then right on laptop C: replayed in order
    before = dump(tmp_path / "hub.sqlite3")
    _import(hub, fc, fa)
    assert dump(tmp_path / "hub.sqlite3") == before


def test_an_unfinished_session_exported_again_later_is_updated(tmp_path):
    a = _laptop(tmp_path / "a.sqlite3", {"Ann": []})
    sid = sessions.begin(a, {"id": "walk-out", "title": {"en": "Walk-out", "zh": "离场"}}, "en", "Ann")
    ex = {"turn": "t", "situation": "tactic.walkout-pressure", "reply": "…", "behaviours": []}
    sessions.add_exchange(a, sid, 0, ex, None)
    early = _export(a, tmp_path, "early.json")
    sessions.add_exchange(a, sid, 1, ex, None)
    sessions.finish(a, sid, "finished", {"outcome": "partial", "scorecard": []})
    late = _export(a, tmp_path, "late.json")
    hub = connect(tmp_path / "hub.sqlite3")
    assert _import(hub, early).roleplays_new == 1
    assert _import(hub, late).roleplays_updated == 1
    assert _import(hub, early).roleplays_updated == 0  # an older copy never replaces a newer one
    (rp,) = training.roleplays(hub, training.find_profile(hub, "Ann"))
    assert (rp["status"], rp["outcome"], rp["replies"]) == ("finished", "partial", 2)


def test_conflicts_roll_the_whole_import_back(tmp_path):
    a = _laptop(tmp_path / "a.sqlite3", {"Ann": [answer("drill:1", 2, when=at(1))]})
    good = _export(a, tmp_path, "good.json")
    hub = _laptop(tmp_path / "hub.sqlite3", {"Ann": []}, klass="Autumn")
    before = dump(tmp_path / "hub.sqlite3")
    with pytest.raises(
        CoachError, match="'Ann' is in class 'Autumn' here, the file says 'Spring'; nothing was written"
    ):
        _import(hub, good)
    assert dump(tmp_path / "hub.sqlite3") == before

    hub2 = connect(tmp_path / "hub2.sqlite3")
    _import(hub2, good)
    data = json.loads(good.read_text())
    data["attempts"][0]["score"] = 0
    data["profiles"].append(
        {"uuid": str(uuid.uuid4()), "name": "Zoe", "class": "Spring", "created_at": at(1)}
    )
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    before = dump(tmp_path / "hub2.sqlite3")
    with pytest.raises(
        CoachError, match=r"attempts\[0\]: uuid .* already here with other content; nothing was written"
    ):
        _import(hub2, tampered)
    assert dump(tmp_path / "hub2.sqlite3") == before
    assert training.find_profile(hub2, "Zoe") is None


def _valid() -> dict:
    pid = str(uuid.uuid4())
    return {
        "format": "coach-training",
        "version": 1,
        "class": "Spring",
        "exported_at": at(1),
        "profiles": [{"uuid": pid, "name": "Ann", "class": "Spring", "created_at": at(1)}],
        "attempts": [{**answer("drill:1", 1, when=at(1)), "profile": pid}],
        "roleplays": [],
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("format"), "format: required field is missing"),
        (lambda d: d.update(version=2), "version: Input should be 1"),
        (lambda d: d.update(extra=1), "extra: unknown field"),
        (lambda d: d["attempts"][0].update(score=5), r"attempts\[0\]: score 5 is more than max_score 2"),
        (
            lambda d: d["attempts"][0].update(profile=str(uuid.uuid4())),
            r"attempts\[0\].profile: no profile with uuid",
        ),
        (
            lambda d: d["attempts"][0].update(answered_at="yesterday"),
            r"attempts\[0\].answered_at: not an ISO 8601 time",
        ),
        (
            lambda d: d["attempts"][0].update(kind="exam"),
            r"attempts\[0\].kind: Input should be 'drill' or 'quiz'",
        ),
        (lambda d: d["profiles"][0].update(uuid="nope"), r"profiles\[0\].uuid: not a uuid"),
        (lambda d: d["profiles"][0].update(name="Ann\x07"), r"profiles\[0\].name: must be plain text"),
        (
            lambda d: d["profiles"][0].update({"class": "Other"}),
            r"profiles\[0\].class: 'Other' is not the file's class",
        ),
        (lambda d: d["attempts"].append(dict(d["attempts"][0])), r"attempts\[1\].uuid: .* appears twice"),
    ],
)
def test_malformed_export_files_are_one_line_errors(tmp_path, change, message):
    data = _valid()
    change(data)
    f = tmp_path / "x.json"
    f.write_text(json.dumps(data))
    with pytest.raises(CoachError, match=message) as info:
        transfer.read(f)
    line = info.value.one_line()
    assert "\n" not in line and line.startswith(str(f)) and line.endswith("nothing was written")


def test_unreadable_export_files(tmp_path):
    with pytest.raises(CoachError, match="no such file"):
        transfer.read(tmp_path / "missing.json")
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(CoachError, match="not UTF-8"):
        transfer.read(tmp_path / "bin.json")
    (tmp_path / "list.json").write_text("[]")
    with pytest.raises(CoachError, match="expected a JSON object"):
        transfer.read(tmp_path / "list.json")
    (tmp_path / "cut.json").write_text('{"format": "coach-training",\n "version": ')
    with pytest.raises(CoachError, match=r"cut.json:2:13: not valid JSON"):
        transfer.read(tmp_path / "cut.json")
