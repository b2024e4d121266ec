"""The concession table and model: validation, append-only history, filters, practice kept apart, and
the database file itself (permissions, older schemas, damaged files)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest

from coach.store import concessions as store
from coach.store import db
from coach.store.concessions import Filter, Imported, InvalidEntry, validate_entry
from coach.store.db import DatabaseError, Migration, connect, latest_version

GOOD = {"account": "Carrefour", "type": "price", "give": "2% off invoice", "value": "2", "unit": "percent"}


@pytest.fixture
def conn(db_target):
    c = connect(db_target)
    yield c
    c.close()


def entry(**changes):
    return validate_entry({**GOOD, **changes})


# --------------------------------------------------------------------------------------------- validation

BAD = [
    ({"value": "-5"}, "value", "zero or more"),
    ({"value": "abc"}, "value", "not a number"),
    ({"value": "nan"}, "value", "finite"),
    ({"value": "1e400"}, "value", "finite"),
    ({"get": "end-cap", "get_value": "-1", "get_unit": "units"}, "get_value", "zero or more"),
    ({"type": "bribe"}, "type", "unknown type"),
    ({"unit": "parsecs"}, "unit", "unknown unit"),
    ({"tactic": "tactic.mind-control"}, "tactic", "unknown tactic"),
    ({"stage": "dessert"}, "stage", "unknown stage"),
    ({"status": "maybe"}, "status", "unknown status"),
    ({"when": "last tuesday"}, "when", "not a date"),
    ({"when": "2025-02-30"}, "when", "not a date"),
    ({"when": "1850-01-01"}, "when", "outside"),
    ({"note": "x" * 10_000_001}, "note", "at most 10,000"),
    ({"note": "x" * 10_001}, "note", "at most 10,000"),
    ({"account": "A\x1b[31mred"}, "account", "control character"),
    ({"give": "line\none"}, "give", "control character"),
    ({"note": "bell\x07"}, "note", "control character"),
    ({"account": "bad \udcff bytes"}, "account", "not valid UTF-8"),
    ({"account": "   "}, "account", "must not be empty"),
    ({"account": "x" * 201}, "account", "at most 200"),
    ({"value": "2", "unit": None}, "unit", "say what value"),
    ({"value": None, "unit": "CNY"}, "value", "no amount"),
    ({"value": "150", "unit": "percent"}, "value", "more than 100"),
    ({"get_value": "3", "get_unit": "units"}, "get", "describe it"),
]


@pytest.mark.parametrize(("changes", "field", "words"), BAD, ids=[f"{b[1]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_names_the_field_in_one_line(changes, field, words):
    with pytest.raises(InvalidEntry) as info:
        entry(**changes)
    assert info.value.field == field
    line = info.value.one_line()
    assert line.startswith(f"{field}: ") and words in line and "\n" not in line
    assert len(line) < 300  # a 10 MB note is not echoed back


def test_missing_required_field():
    with pytest.raises(InvalidEntry) as info:
        validate_entry({"account": "A", "type": "price"})
    assert info.value.one_line() == "give: required"


def test_aliases_and_normalisation():
    e = validate_entry(
        {
            "account": "  Carrefour   China ",
            "type": "折扣",
            "give": "x",
            "value": " 2.5 ",
            "unit": "%",
            "stage": "after",
            "status": "Offered",
            "tactic": "nibble",
            "when": "2025/03/01 14:30",
            "get": "堆头",
            "get_value": "20000",
            "get_unit": "rmb",
            "note": "a\r\nb",
        }
    )
    assert e.account == "Carrefour China"
    assert (e.type, e.unit, e.stage, e.status, e.tactic) == (
        "price",
        "percent",
        "after-deal",
        "offered",
        "tactic.nibble",
    )
    assert e.when == "2025-03-01T14:30:00" and e.value == 2.5
    assert (e.get_value, e.get_unit) == (20000, "CNY")
    assert e.note == "a\nb"


def test_markup_is_kept_as_typed():
    e = entry(give="[bold]free[/bold] <script>", note="[link=http://x]click[/link]")
    assert e.give == "[bold]free[/bold] <script>" and e.note == "[link=http://x]click[/link]"


def test_tactic_suggestion():
    with pytest.raises(InvalidEntry, match="did you mean 'tactic.nibble'"):
        entry(tactic="nible")


def test_every_tactic_is_a_taxonomy_id():
    from coach.content.loader import situation_ids

    assert store.tactic_ids() == situation_ids()
    for tactic in situation_ids():
        assert entry(tactic=tactic).tactic == tactic


# -------------------------------------------------------------------------------------------- the table


def test_add_and_select_round_trip(conn):
    e = entry(
        meeting="annual 2025",
        get="end-cap",
        get_value="1",
        get_unit="units",
        tactic="nibble",
        asked_by="Mr Wang",
        note="he insisted",
        when="2025-03-01",
    )
    new_id = store.add(conn, e)
    (got,) = store.select(conn)
    assert got.id == new_id
    assert {k: getattr(got, k) for k in type(e).model_fields} == e.model_dump()
    assert len(got.uid) == 32 and got.recorded_at.endswith("Z") and got.superseded_by is None


def test_table_refuses_update_and_delete(conn):
    store.add(conn, entry())
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE concessions SET value = 99")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM concessions")
    assert store.select(conn)[0].value == 2


def test_table_checks_values_even_without_the_model(conn):
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO concessions (uid, recorded_at, occurred_at, account, type, give, stage, status,"
            " value)"
            " VALUES ('u', 'r', '2025-01-01', 'A', 'price', 'g', 'bargaining', 'agreed', -1)"
        )


def test_correction_replaces_in_current_view_and_keeps_history(conn):
    first = store.add(conn, entry(value="3"))
    fixed = store.add(conn, store.correction(store.get(conn, first), {"value": "2"}))
    assert [(r.id, r.value) for r in store.select(conn)] == [(fixed, 2)]
    history = store.select(conn, Filter(history=True))
    assert [(r.id, r.supersedes, r.superseded_by) for r in history] == [
        (first, None, fixed),
        (fixed, first, None),
    ]


def test_withdrawal_is_a_new_entry(conn):
    first = store.add(conn, entry())
    gone = store.add(conn, store.correction(store.get(conn, first), {"status": "withdrawn"}))
    (current,) = store.select(conn)
    assert current.id == gone and current.status == "withdrawn" and current.supersedes == first
    assert len(store.select(conn, Filter(history=True))) == 2


def test_an_entry_is_replaced_at_most_once(conn):
    first = store.add(conn, entry())
    old = store.get(conn, first)
    second = store.add(conn, store.correction(old, {"value": "1"}))
    with pytest.raises(InvalidEntry, match=f"already replaced by #{second}"):
        store.add(conn, store.correction(old, {"value": "5"}))
    with pytest.raises(InvalidEntry, match="no entry #99"):
        store.add(conn, entry(supersedes=99))
    assert len(store.select(conn, Filter(history=True))) == 2


def test_practice_entries_never_mix_into_default_queries(conn):
    real = store.add(conn, entry())
    practice = store.add(conn, entry(practice=True, value="9"))
    assert [r.id for r in store.select(conn)] == [real]
    assert [r.id for r in store.select(conn, Filter(practice=True))] == [practice]
    assert {r.id for r in store.select(conn, Filter(practice=None))} == {real, practice}
    with pytest.raises(InvalidEntry, match="practice"):
        store.add(conn, store.correction(store.get(conn, practice), {"practice": False}))


def test_filters(conn):
    store.add(conn, entry(account="Carrefour", meeting="Annual 2025", when="2025-03-01"))
    store.add(conn, entry(account="carrefour", meeting="annual 2025", when="2025-03-05T10:00"))
    store.add(conn, entry(account="Lianhua", when="2025-04-01"))
    assert len(store.select(conn, Filter(account="CARREFOUR"))) == 2
    assert len(store.select(conn, Filter(meeting="annual  2025"))) == 2
    assert [r.account for r in store.select(conn, Filter(since="2025-03-05"))] == ["carrefour", "Lianhua"]
    assert [r.account for r in store.select(conn, Filter(until="2025-03-05"))] == ["Carrefour", "carrefour"]


def test_select_orders_by_time_then_id(conn):
    late = store.add(conn, entry(when="2025-05-01"))
    early = store.add(conn, entry(when="2025-01-01"))
    same_day = store.add(conn, entry(when="2025-01-01"))
    assert [r.id for r in store.select(conn)] == [early, same_day, late]


def test_import_is_all_or_nothing(conn):
    rows = [Imported(entry(), "f:2: "), Imported(entry(), "f:3: ", file_supersedes=7)]
    with pytest.raises(InvalidEntry, match="f:3: supersedes: refers to id 7"):
        store.import_entries(conn, rows)
    assert store.select(conn, Filter(history=True)) == []


def test_import_skips_entries_already_present_and_links_corrections(conn):
    rows = [
        Imported(entry(), "f:2: ", file_id=10, uid="a" * 32),
        Imported(entry(value="1"), "f:3: ", file_id=11, uid="b" * 32, file_supersedes=10),
    ]
    assert store.import_entries(conn, rows) == (2, 0)
    assert store.import_entries(conn, rows) == (0, 2)
    history = store.select(conn, Filter(history=True))
    assert len(history) == 2 and history[1].supersedes == history[0].id


# ------------------------------------------------------------------------------------------- the file


def test_database_file_is_owner_only(tmp_path):
    path = tmp_path / "new" / "coach.sqlite3"
    c = connect(path)
    store.add(c, entry())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    c.close()


@pytest.mark.sqlite_only
def test_schema_version_and_indexes(conn):
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version() >= 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'concessions'")}
    assert {
        "concessions_account",
        "concessions_meeting",
        "concessions_time",
        "concessions_review",
        "concessions_no_update",
        "concessions_no_delete",
    } <= names
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_version_zero_database_with_other_data_is_migrated_without_loss(tmp_path):
    path = tmp_path / "old.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    raw.executemany("INSERT INTO notes (text) VALUES (?)", [(f"note {i}",) for i in range(100)])
    raw.commit()
    raw.close()
    c = connect(path)
    assert c.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert c.execute("SELECT count(*) FROM notes").fetchone()[0] == 100
    store.add(c, entry())
    assert len(store.select(c)) == 1
    c.close()


def _version_1_database(path):
    """A database exactly as schema version 1 (the concession log alone) left it, with three entries."""
    raw = sqlite3.connect(path)
    (v1,) = [m for m in db.MIGRATIONS if m.version == 1]
    raw.executescript(v1.sql)
    raw.execute("PRAGMA user_version = 1")
    for i in range(3):
        raw.execute(
            "INSERT INTO concessions (uid, recorded_at, occurred_at, account, type, give, value, unit, stage,"
            " status) VALUES (?, '2025-01-01T00:00:00Z', '2025-01-0' || ?, 'Carrefour', 'price', ?, ?,"
            " 'percent', 'bargaining', 'agreed')",
            (f"uid{i}", i + 1, f"give {i}", 3 - i),
        )
    raw.commit()
    raw.close()


def test_version_1_database_is_migrated_to_the_latest_without_loss(tmp_path):
    path = tmp_path / "v1.sqlite3"
    _version_1_database(path)
    c = connect(path)
    assert c.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert [r.give for r in store.select(c)] == ["give 0", "give 1", "give 2"]
    c.close()
    if latest_version() > 1:  # a migration ran: the old file was copied first
        backup = sqlite3.connect(path.with_name(path.name + ".bak-v1"))
        assert backup.execute("SELECT count(*) FROM concessions").fetchone()[0] == 3
        backup.close()


def test_a_later_migration_keeps_every_entry(tmp_path, monkeypatch):
    path = tmp_path / "coach.sqlite3"
    c = connect(path)
    ids = [store.add(c, entry(give=f"g{i}")) for i in range(20)]
    c.close()
    future = latest_version() + 1
    monkeypatch.setattr(
        db,
        "MIGRATIONS",
        [*db.MIGRATIONS, Migration(future, "future", "CREATE TABLE later_feature_records (x);")],
    )
    c = connect(path)
    assert c.execute("PRAGMA user_version").fetchone()[0] == future
    assert [r.id for r in store.select(c)] == ids
    c.close()


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damaged_copies(tmp_path):
    """A real database (rollback-journal mode, so opening it would switch it to WAL) and damaged copies."""
    good = tmp_path / "good.sqlite3"
    c = connect(good)
    for i in range(40):
        store.add(c, entry(give=f"g{i}", note="n" * 400))
    c.execute("PRAGMA journal_mode = DELETE")
    c.close()
    data = good.read_bytes()
    page = 4096
    rng = __import__("random").Random(7)
    junk = bytes(rng.randrange(256) for _ in range(page))
    return {
        "text": b"Account, Value\nCarrefour, 2\n",
        "random": bytes(rng.randrange(256) for _ in range(3 * page)),
        "header-then-garbage": b"SQLite format 3\x00" + junk,
        "truncated": data[: len(data) // 3],
        **{f"page-{k}-overwritten": data[: page * k] + junk + data[page * (k + 1) :] for k in (1, 2, 5, 9)},
    }


def test_damaged_or_foreign_files_are_reported_and_left_untouched(tmp_path):
    for name, content in _damaged_copies(tmp_path).items():
        path = tmp_path / f"{name}.sqlite3"
        path.write_bytes(content)
        before = _digest(path)
        with pytest.raises(DatabaseError) as info:
            c = connect(path)
            try:
                store.select(c)
            finally:
                c.close()
        line = info.value.one_line()
        assert str(path) in line and "untouched" in line and "\n" not in line, (name, line)
        assert _digest(path) == before, name


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "future.sqlite3"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 999")
    raw.close()
    before = _digest(path)
    with pytest.raises(DatabaseError, match="newer coach"):
        connect(path)
    assert _digest(path) == before


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(DatabaseError, match="is a folder"):
        connect(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path):  # pragma: no cover - CI runs as a normal user
    path = tmp_path / "locked.sqlite3"
    path.write_bytes(b"")
    path.chmod(0)
    with pytest.raises(DatabaseError, match="cannot read"):
        connect(path)
