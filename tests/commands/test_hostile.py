"""Issue 11: hostile files and faults end in one line and exit 2 — no hang, no traceback, no lost edit.

Each test is named after the defect it covers (``test_d6_...`` is item 6 of the issue). Work is bounded
by the code under test (sizes, depths, alias counts), never by a timer.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
import yaml

from coach.cli import build_parser, main
from coach.content import yamlpos


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as done:  # usage errors leave through argparse
        code = done.code
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(code: int, err: str) -> str:
    """Exit 2 and exactly one ``coach: ...`` line on stderr, no traceback."""
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("coach: "), err
    return lines[0]


# ------------------------------------------------------------------------------- 6. --help of every verb


def _verb_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out += _verb_paths(sub, (*prefix, name))
    return out


VERB_PATHS = _verb_paths(build_parser())


def test_d6_help_lists_every_sub_verb():
    assert ("log", "add") in VERB_PATHS and ("prep", "edit") in VERB_PATHS and len(VERB_PATHS) > 30


@pytest.mark.parametrize("path", VERB_PATHS, ids=lambda p: " ".join(p) or "coach")
def test_d6_help_of_every_verb_and_sub_verb(capsys, path):
    with pytest.raises(SystemExit) as done:
        main([*path, "--help"])
    out, err = capsys.readouterr()
    assert done.value.code == 0, err
    assert "usage: coach" in out and "Traceback" not in err


# ------------------------------------------------------------------- 3. ids beyond SQLite's integer range

HUGE = "99999999999999999999999"
ID_ARGUMENTS = [
    ("prep", "show", HUGE),
    ("prep", "show", "1", "--version", HUGE),
    ("prep", "edit", HUGE, "--note", "x"),
    ("prep", "export", HUGE),
    ("prep", "export", "1", "--version", HUGE),
    ("prep", "brief", HUGE),
    ("prep", "brief", "1", "--version", HUGE),
    ("sessions", "show", HUGE),
    ("sessions", "export", HUGE, "--format", "md"),
    ("walkthroughs", "show", HUGE),
    ("walkthroughs", "export", HUGE),
    ("log", "add", "--corrects", HUGE, "--value", "1"),
    ("log", "add", "--withdraws", HUGE),
]


@pytest.mark.parametrize("argv", ID_ARGUMENTS, ids=" ".join)
def test_d3_ids_beyond_sqlite_integer_range_are_no_such_record(capsys, tmp_path, monkeypatch, argv):
    db = tmp_path / "coach.sqlite3"
    monkeypatch.setenv("COACH_DB", str(db))
    line = one_line_error(*run(capsys, *argv)[::2])
    assert "there is no" in line and HUGE in line
    assert not db.exists()  # refused before anything was opened


def test_d3_largest_sqlite_id_is_still_looked_up(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DB", str(tmp_path / "coach.sqlite3"))
    line = one_line_error(*run(capsys, "prep", "show", str(2**63 - 1))[::2])
    assert "there is no meeting plan" in line


# ------------------------------------------------------------------------ 4. arguments that are not UTF-8

NOT_UTF8 = "caf\udce9"  # what Python makes of the bytes b"caf\xe9" on the command line
TEXT_OPTIONS = [
    (("log", "list", "--account", NOT_UTF8), "--account"),
    (("log", "add", "--type", "price", "--give", "x", "--account", NOT_UTF8), "--account"),
    (("log", "add", "--account", "A", "--type", "price", "--give", NOT_UTF8), "--give"),
    (("log", "review", "--meeting", NOT_UTF8), "--meeting"),
    (("log", "export", "--format", "csv", "--account", NOT_UTF8), "--account"),
    (("prep", "new", "--account", "A", "--meeting", "m", "--must", NOT_UTF8), "--must"),
    (("prep", "new", "--account", NOT_UTF8, "--meeting", "m"), "--account"),
    (("prep", "list", "--account", NOT_UTF8), "--account"),
    (("prep", "edit", "1", "--note", NOT_UTF8), "--note"),
    (("sessions", "list", "--trainee", NOT_UTF8), "--trainee"),
    (("sessions", "list", "--scenario", NOT_UTF8), "--scenario"),
    (("train", "drill", "--profile", NOT_UTF8), "--profile"),
    (("train", "progress", "--profile", "p", "--class", NOT_UTF8), "--class"),
    (("report", "--class", NOT_UTF8), "--class"),
    (("roleplay", "walk-out", "--plain", "--trainee", NOT_UTF8), "--trainee"),
    (("match", NOT_UTF8), "text"),
]


@pytest.mark.parametrize(
    ("argv", "option"), TEXT_OPTIONS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else v
)
def test_d4_arguments_that_are_not_utf8_name_their_option(capsys, tmp_path, monkeypatch, argv, option):
    db = tmp_path / "coach.sqlite3"
    monkeypatch.setenv("COACH_DB", str(db))
    line = one_line_error(*run(capsys, *argv)[::2])
    assert line.startswith(f"coach: {option}: not UTF-8 text (byte 0xe9)"), line
    assert not db.exists()


def test_d4_file_names_that_are_not_utf8_still_work(capsys, tmp_path):
    db = tmp_path / f"{NOT_UTF8}.sqlite3"
    code, out, err = run(
        capsys, "log", "add", "--db", str(db), "--account", "A", "--type", "price", "--give", "x"
    )
    assert code == 0 and out.strip() == "1", err
    out_file = tmp_path / f"{NOT_UTF8}.csv"
    code, _, err = run(capsys, "log", "export", "--db", str(db), "--format", "csv", "-o", str(out_file))
    assert code == 0 and out_file.exists(), err


def test_d4_note_from_standard_input_that_is_not_utf8(capsys, tmp_path, monkeypatch):
    import io
    import sys

    db = tmp_path / "coach.sqlite3"
    monkeypatch.setattr(sys, "stdin", io.StringIO(NOT_UTF8))
    argv = ("log", "add", "--db", str(db), "--account", "A", "--type", "price", "--give", "x", "--note", "-")
    line = one_line_error(*run(capsys, *argv)[::2])
    assert "--note -: standard input is not UTF-8 text" in line and not db.exists()


# -------------------------------------------------------------- 5. a non-UTF-8 reply in roleplay --plain

GOOD_REPLY = "I understand. What would you need to see to continue?"


def _play(capsys, monkeypatch, db, stdin: str) -> tuple[str, dict]:
    import io
    import json
    import sys

    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code, out, err = run(capsys, "roleplay", "walk-out", "--plain", "--db", str(db))
    assert code == 0 and "Traceback" not in err, err
    code, record, err = run(capsys, "sessions", "export", "1", "--format", "json", "--db", str(db))
    assert code == 0, err
    return out, json.loads(record)


def test_d5_roleplay_plain_reply_that_is_not_utf8_is_refused_not_counted(capsys, monkeypatch, tmp_path):
    out, record = _play(
        capsys, monkeypatch, tmp_path / "a.sqlite3", f"{NOT_UTF8} price is fine\n{GOOD_REPLY}\n/quit\n"
    )
    assert "That line is not UTF-8 text, so it was not counted" in out
    _, clean = _play(capsys, monkeypatch, tmp_path / "b.sqlite3", f"{GOOD_REPLY}\n/quit\n")
    assert len(record["transcript"]) == 1
    assert record["scorecard"] == clean["scorecard"]  # the refused line counts nowhere


# ----------------------------------------------------------------------------------- 1. YAML alias bombs

HOSTILE = Path(__file__).resolve().parent.parent / "data" / "hostile"
LOADERS = [
    pytest.param(getattr(yaml, "CSafeLoader", yaml.SafeLoader), id="libyaml"),
    pytest.param(yaml.SafeLoader, id="python"),
]


@pytest.fixture(params=LOADERS)
def yaml_loader(request, monkeypatch):
    """Run a test with libyaml's loader and with the pure-Python fallback."""
    monkeypatch.setattr(yamlpos, "_Loader", request.param)
    return request.param


def test_d1_alias_bomb_is_refused_before_it_is_expanded(yaml_loader):
    with pytest.raises(yamlpos.YamlProblem) as problem:
        yamlpos.load_file(HOSTILE / "alias-bomb.yaml", "bomb.yaml")
    assert str(problem.value).startswith("bomb.yaml:")
    assert "more than 200,000 values once its YAML aliases are expanded" in str(problem.value)


def test_d1_text_alias_bomb_is_refused_by_its_characters(yaml_loader):
    text = "a: &a " + "x" * 100_000 + "\nb: [" + ", ".join(["*a"] * 200) + "]\n"
    with pytest.raises(yamlpos.YamlProblem, match="more than 10,000,000 characters once its YAML aliases"):
        yamlpos.load_text(text, "t.yaml")


@pytest.mark.parametrize("levels", [60, 900, 20_000])
@pytest.mark.parametrize("shape", ["flow", "block", "compact"])
def test_d1_deep_nesting_is_one_located_line(yaml_loader, shape, levels):
    text = {
        "flow": "a: " + "[" * levels + "]" * levels,
        "block": "".join(" " * i + "k:\n" for i in range(levels)),
        "compact": "- " * levels + "x\n",
    }[shape]
    with pytest.raises(yamlpos.YamlProblem, match=r"^d\.yaml:\d+:\d+: .*nested more than 50 levels deep$"):
        yamlpos.load_text(text, "d.yaml")


def test_d1_a_few_aliases_still_load(yaml_loader):
    located = yamlpos.load_text("a: &x [1, 2]\nb: *x\nnote: P&G and R & D\n", "ok.yaml")
    assert located.data == {"a": [1, 2], "b": [1, 2], "note": "P&G and R & D"}


def test_d1_shipped_playbooks_skip_the_extra_pass():
    from coach import locations

    files = sorted(locations.shipped_playbooks_dir().glob("*.yaml"))
    assert files and not any(yamlpos._needs_shape_check(f.read_text(encoding="utf-8")) for f in files)


BOMB_VERBS = [
    ("prep", "import", "{bomb}"),
    ("prep", "new", "--file", "{bomb}"),
    ("prep", "edit", "1", "--file", "{bomb}"),
    ("roleplay", "{bomb}", "--plain"),
    ("match", "--playbooks", "{dir}", "hello"),
    ("assess", "--playbooks", "{dir}", "hello"),
    ("train", "drill", "--profile", "p", "--class", "c", "--playbooks", "{dir}"),
]


@pytest.mark.parametrize("argv", BOMB_VERBS, ids=" ".join)
@pytest.mark.parametrize("name", ["alias-bomb.yaml", "deep-nesting.yaml"])
def test_d1_every_verb_that_reads_yaml_refuses_a_bomb_in_one_line(capsys, tmp_path, monkeypatch, argv, name):
    folder = tmp_path / "playbooks"
    folder.mkdir()
    bomb = folder / name
    bomb.write_bytes((HOSTILE / name).read_bytes())
    monkeypatch.setenv("COACH_DB", str(tmp_path / "coach.sqlite3"))
    args = [a.format(bomb=bomb, dir=folder) for a in argv]
    if args[:2] == ["prep", "edit"]:
        assert run(capsys, "prep", "import", str(HOSTILE.parent / "plan_sample.yaml"))[0] == 0
    line = one_line_error(*run(capsys, *args)[::2])
    assert name in line and ("aliases are expanded" in line or "nested more than 50" in line), line


# ----------------------------------------------- 9 and 10. one writer for every -o: whole file or nothing

OUTPUT_VERBS = [
    ("log", "export", "--format", "csv", "-o", "{out}"),
    ("log", "export", "--format", "md", "--force", "-o", "{out}"),
    ("prep", "export", "1", "-o", "{out}"),
    ("prep", "brief", "1", "--force", "-o", "{out}"),
    ("sessions", "export", "1", "--format", "md", "-o", "{out}"),
    ("walkthroughs", "export", "1", "-o", "{out}"),
    ("train", "export", "--class", "c", "-o", "{out}"),
    ("report", "--class", "c", "-o", "{out}"),
]


@pytest.fixture
def records(tmp_path, monkeypatch, capsys):
    """A database with one record of every kind an -o verb exports."""
    import io
    import sys

    from coach.store import walkthroughs as wts
    from coach.store.db import connect

    db = tmp_path / "coach.sqlite3"
    monkeypatch.setenv("COACH_DB", str(db))
    assert run(capsys, "prep", "import", str(HOSTILE.parent / "plan_sample.yaml"))[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{GOOD_REPLY}\n/quit\n"))
    assert run(capsys, "roleplay", "walk-out", "--plain")[0] == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("1\nq\n"))
    assert run(capsys, "train", "quiz", "--profile", "p", "--class", "c", "-n", "1", "--seed", "1")[0] == 0
    conn = connect(db)
    wts.save(conn, wts.Walkthrough("tactic.nibble", "The nibble", "en", [wts.StepRecord("step", "t", True)]))
    conn.close()
    return db


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("argv", OUTPUT_VERBS, ids=" ".join)
def test_d9_every_output_on_a_full_disk_is_one_line_and_no_file(records, capsys, tmp_path, monkeypatch, argv):
    import errno

    from coach import files

    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "export.txt"

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    line = one_line_error(*run(capsys, *[a.format(out=out) for a in argv])[::2])
    assert "No space left on device" in line and "nothing was written" in line
    assert _leftovers(folder) == []  # no partial file under the real name, no temporary file
    monkeypatch.undo()
    monkeypatch.setenv("COACH_DB", str(records))
    code, _, err = run(capsys, *[a.format(out=out) for a in argv])  # a retry is not blocked
    assert code == 0 and _leftovers(folder) == ["export.txt"] and out.stat().st_size > 0, err
    assert out.stat().st_mode & 0o077 == 0  # owner-only


@pytest.mark.parametrize("argv", OUTPUT_VERBS, ids=" ".join)
def test_d9_every_output_into_a_missing_or_unwritable_place_is_one_line(records, capsys, tmp_path, argv):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = one_line_error(*run(capsys, *[a.format(out=blocker / "x.md") for a in argv])[::2])
    assert "nothing was written" in line and blocker.read_text() == "not a folder"


@pytest.mark.parametrize("argv", [a for a in OUTPUT_VERBS if "--force" in a], ids=" ".join)
@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_d10_force_never_replaces_what_is_not_a_regular_file(records, capsys, tmp_path, argv, kind):
    import os

    target = tmp_path / "target.txt"
    target.write_text("keep me")
    special = tmp_path / "special"
    if kind == "symlink":
        special.symlink_to(target)
    else:
        os.mkfifo(special)
    line = one_line_error(*run(capsys, *[a.format(out=special) for a in argv])[::2])
    assert "is not a regular file" in line and "nothing was written" in line
    assert special.is_symlink() if kind == "symlink" else not special.is_file()
    assert target.read_text() == "keep me"


def test_d10_dev_null_is_refused_even_with_force(records, capsys):
    line = one_line_error(*run(capsys, "log", "export", "--format", "csv", "--force", "-o", "/dev/null")[::2])
    assert "/dev/null: is not a regular file" in line


def test_d10_force_replaces_a_regular_file_whole(records, capsys, tmp_path):
    out = tmp_path / "log.csv"
    out.write_text("old")
    code, _, err = run(capsys, "log", "export", "--format", "csv", "--force", "-o", str(out))
    assert code == 0 and out.read_text(encoding="utf-8-sig").startswith("id,"), err


# ------------------------------- 11 and 12. the hostile-file corpus against every verb that reads a file

FILE_VERBS = [
    ("prep", "import", "{f}"),
    ("prep", "new", "--file", "{f}"),
    ("log", "import", "{f}"),
    ("train", "import", "{f}"),
    ("roleplay", "{f}", "--plain"),
]


@pytest.fixture
def corpus(tmp_path):
    """One file per failure mode: name -> path (the stream and the FIFO are never read)."""
    import os

    folder = tmp_path / "corpus"
    folder.mkdir()
    files = {name: folder / name for name in ("alias-bomb.yaml", "deep-nesting.yaml", "not-utf8.yaml")}
    for name, path in files.items():
        path.write_bytes((HOSTILE / name).read_bytes())
    files["deep.json"] = folder / "deep.json"
    files["deep.json"].write_text("[" * 100_000 + "]" * 100_000)
    files["huge.yaml"] = folder / "huge.yaml"
    with open(files["huge.yaml"], "wb") as fh:  # sparse: larger than every limit, costs no disk
        fh.truncate(300_000_000)
    files["fifo.yaml"] = folder / "fifo.yaml"
    os.mkfifo(files["fifo.yaml"])
    files["zero"] = Path("/dev/zero")
    files["folder"] = folder
    return files


CORPUS = [
    "alias-bomb.yaml",
    "deep-nesting.yaml",
    "not-utf8.yaml",
    "deep.json",
    "huge.yaml",
    "fifo.yaml",
    "zero",
    "folder",
]


@pytest.mark.parametrize("name", CORPUS)
@pytest.mark.parametrize("argv", FILE_VERBS, ids=" ".join)
def test_d11_hostile_files_end_in_one_line_and_change_nothing(
    capsys, tmp_path, monkeypatch, corpus, argv, name
):
    db = tmp_path / "coach.sqlite3"
    monkeypatch.setenv("COACH_DB", str(db))
    path = corpus[name]
    line = one_line_error(*run(capsys, *[a.format(f=path) for a in argv])[::2])
    assert str(path) in line and len(line) < 400, line
    assert not db.exists()  # nothing was opened, let alone changed


@pytest.mark.parametrize("name", ["huge.yaml", "fifo.yaml", "zero"])
def test_d11_size_and_kind_are_checked_before_reading(corpus, name, monkeypatch):
    import os

    from coach import files

    reads = []
    real_read = os.read
    monkeypatch.setattr(files.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(files.FileProblem, match="is larger than|is not a regular file"):
        files.read_bytes(corpus[name], 1_000_000)
    assert reads == []  # refused on the open descriptor's kind and size: not one byte read


def test_d11_a_file_that_grows_is_still_cut_at_the_limit(tmp_path, monkeypatch):
    from coach import files

    path = tmp_path / "growing.yaml"
    path.write_bytes(b"x" * 10)
    monkeypatch.setattr(files.os, "fstat", lambda fd: os_stat_result_with_size(path, 10))
    path.write_bytes(b"x" * 5000)  # grew after the size was taken
    with pytest.raises(files.FileProblem, match="is larger than"):
        files.read_bytes(path, 1000)


def os_stat_result_with_size(path: Path, size: int):
    import os

    st = list(os.stat(path))
    st[6] = size
    return os.stat_result(st)


@pytest.mark.parametrize("name", ["fifo.yaml", "zero", "folder"])
@pytest.mark.parametrize("argv", [("log", "list"), ("prep", "list"), ("sessions", "list")], ids=" ".join)
def test_d11_db_that_is_not_a_regular_file_is_one_line(capsys, corpus, argv, name):
    line = one_line_error(*run(capsys, *argv, "--db", str(corpus[name]))[::2])
    assert str(corpus[name]) in line


def test_d12_deeply_nested_json_in_train_import(capsys, corpus):
    line = one_line_error(*run(capsys, "train", "import", str(corpus["deep.json"]))[::2])
    assert "nested too deeply" in line and "nothing was written" in line


# ---------------------------------------------------------- 8. the backup before a migration is atomic


def _old_database(path: Path) -> None:
    from tests.store.test_store_concessions import _version_1_database

    _version_1_database(path)


def _rows_in(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM concessions").fetchone()[0]
    finally:
        conn.close()


def test_d8_backup_is_written_under_a_temporary_owner_only_name_then_renamed(tmp_path, monkeypatch):
    import os

    from coach.store import db

    path = tmp_path / "coach.sqlite3"
    _old_database(path)
    seen = []
    real_fsync = os.fsync

    def fsync(fd):
        name = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else ""
        if ".bak-v1." in name:
            seen.append((os.stat(name).st_mode & 0o777, db.backup_path(path, 1).exists()))
        return real_fsync(fd)

    monkeypatch.setattr(db.os, "fsync", fsync)
    db.connect(path).close()
    backup = db.backup_path(path, 1)
    assert seen == [(0o600, False)] or not os.path.exists("/proc/self/fd")
    assert backup.stat().st_mode & 0o777 == 0o600 and _rows_in(backup) == 3
    assert sorted(p.name for p in tmp_path.iterdir() if ".tmp" in p.name) == []


def test_d8_a_stale_partial_backup_does_not_block_a_fresh_one(tmp_path):
    from coach.store import db

    path = tmp_path / "coach.sqlite3"
    _old_database(path)
    backup = db.backup_path(path, 1)
    backup.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # what a kill during the old copy left
    backup.chmod(0o644)
    db.connect(path).close()
    assert _rows_in(backup) == 3 and backup.stat().st_mode & 0o777 == 0o600


def test_d8_no_migration_without_a_backup(tmp_path, monkeypatch):
    import errno
    import sqlite3

    from coach.store import db

    path = tmp_path / "coach.sqlite3"
    _old_database(path)

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(db.os, "replace", full)
    with pytest.raises(db.DatabaseError, match="could not write the backup .*No space left.*left as it was"):
        db.connect(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # not migrated
    conn.close()
    assert [p.name for p in tmp_path.iterdir() if "bak" in p.name] == []  # no partial backup, no temp


def test_d8_an_intact_backup_is_kept(tmp_path):
    from coach.store import db

    path = tmp_path / "coach.sqlite3"
    _old_database(path)
    backup = db.backup_path(path, 1)
    _old_database(backup)
    db.connect(path).close()
    assert _rows_in(backup) == 3


# -------------------------------------------------------------- 7. prep edit never loses the user's edits

EDITORS = {
    "latin-1": "p.write_bytes(p.read_bytes().replace(b'Carrefour', b'Carrefour caf\\xe9', 1))",
    "folder": "p.unlink(); p.mkdir(); (p / 'x').write_text('y')",
    "medium": "t = p.read_text(encoding='utf-8')\n"
    "p.write_text(t.replace('cost: low', 'cost: medium', 1), encoding='utf-8')",
}


@pytest.fixture
def one_plan(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COACH_DB", str(tmp_path / "coach.sqlite3"))
    assert run(capsys, "prep", "import", str(HOSTILE.parent / "plan_sample.yaml"))[0] == 0
    return tmp_path


def _editor(tmp_path: Path, monkeypatch, body: str) -> None:
    import sys

    script = tmp_path / "editor.py"
    script.write_text(f"import sys, pathlib\np = pathlib.Path(sys.argv[1])\n{body}\n", encoding="utf-8")
    monkeypatch.setenv("VISUAL", f'"{sys.executable}" "{script}"')


def _kept(line: str) -> Path:
    import re

    found = re.search(r"your edits are in (\S+?\.yaml)", line)
    assert found, line
    return Path(found.group(1))


def test_d7_edits_saved_in_another_encoding_are_kept(one_plan, capsys, monkeypatch):
    _editor(one_plan, monkeypatch, EDITORS["latin-1"])
    line = one_line_error(*run(capsys, "prep", "edit", "1", "--editor")[::2])
    assert "encoding other than UTF-8" in line and "nothing was saved" in line
    kept = _kept(line)
    assert b"Carrefour caf\xe9" in kept.read_bytes()
    kept.unlink()
    assert run(capsys, "prep", "show", "1", "--json")[1].count('"version": 1') == 1


def test_d7_a_folder_put_in_place_of_the_file_is_one_line(one_plan, capsys, monkeypatch):
    _editor(one_plan, monkeypatch, EDITORS["folder"])
    line = one_line_error(*run(capsys, "prep", "edit", "1", "--editor")[::2])
    assert "is a folder" in line and "nothing was saved" in line
    folder = _kept(line)
    assert (folder / "x").read_text() == "y"  # left as the editor made it


def test_d7_the_editor_removing_the_file_is_one_line(one_plan, capsys, monkeypatch):
    _editor(one_plan, monkeypatch, "p.unlink()")
    line = one_line_error(*run(capsys, "prep", "edit", "1", "--editor")[::2])
    assert "the editor removed the file; nothing was saved" in line


def test_d7_edits_are_kept_when_saving_fails(one_plan, capsys, monkeypatch):
    from coach.errors import CoachError
    from coach.store import plans

    def busy(*args, **kwargs):
        raise CoachError("the database is busy; try again")

    _editor(one_plan, monkeypatch, EDITORS["medium"])
    monkeypatch.setattr(plans, "save_version", busy)
    line = one_line_error(*run(capsys, "prep", "edit", "1", "--editor")[::2])
    assert line.startswith("coach: the database is busy") and "nothing was saved" in line
    kept = _kept(line)
    assert "cost: medium" in kept.read_text(encoding="utf-8")
    kept.unlink()


def test_d7_edits_are_removed_once_saved(one_plan, capsys, monkeypatch):
    import tempfile

    _editor(one_plan, monkeypatch, EDITORS["medium"])
    before = set(Path(tempfile.gettempdir()).glob("coach-plan-1-*.yaml"))
    code, out, err = run(capsys, "prep", "edit", "1", "--editor")
    assert code == 0 and "saved as version 2" in out, err
    assert set(Path(tempfile.gettempdir()).glob("coach-plan-1-*.yaml")) == before


# ------------------------------------------------------------ 13. a malformed cache is rebuilt, never fatal


def _bad_caches(key: str) -> dict[str, bytes]:
    import marshal

    return {
        "truncated": marshal.dumps({"key": key, "index": {}, "notices": []})[:20],
        "not marshal": b"\x00garbage\xff" * 10,
        "a list": marshal.dumps([1, 2, 3]),
        "index of the wrong shape": marshal.dumps({"key": key, "index": "garbage", "notices": []}),
        "index of another shape": marshal.dumps({"key": key, "index": {"rules": 5}, "notices": []}),
        "notices not a list": marshal.dumps({"key": key, "index": {}, "notices": 7}),
        "deep": marshal.dumps({"key": key, "index": [[[[[]]]]], "notices": []}),
    }


@pytest.mark.parametrize(
    "kind",
    [
        "truncated",
        "not marshal",
        "a list",
        "index of the wrong shape",
        "index of another shape",
        "notices not a list",
        "deep",
    ],
)
def test_d13_every_malformed_cache_reads_as_none(tmp_path, kind):
    from coach.content import compiled

    path = tmp_path / "index.marshal"
    path.write_bytes(_bad_caches("k")[kind])
    assert compiled._read(path, "k") is None


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_d13_a_folder_or_fifo_in_place_of_the_cache_reads_as_none(tmp_path, kind):
    import os

    from coach.content import compiled

    path = tmp_path / "index.marshal"
    path.mkdir() if kind == "folder" else os.mkfifo(path)
    assert compiled._read(path, "k") is None


def test_d13_match_json_rebuilds_a_malformed_cache(capsys):
    import json

    from coach import locations
    from coach.content import compiled

    path = locations.cache_dir() / compiled.CACHE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)  # replaced, not written into: the warm cache is shared by every test
    path.write_bytes(_bad_caches(compiled.fingerprint([]))["index of the wrong shape"])
    compiled.forget()  # as a new process: nothing kept in memory
    code, out, err = run(capsys, "match", "--json", "the buyer wants a bigger listing fee")
    assert code == 0 and json.loads(out)["matches"], err
    assert compiled._read(path, compiled.fingerprint([])) is not None  # rewritten whole


# ------------------------------------------------- 16. conflicting duplicate uids in one csv import


def test_d16_conflicting_duplicate_uids_import_nothing(capsys, tmp_path, monkeypatch):
    db = tmp_path / "coach.sqlite3"
    monkeypatch.setenv("COACH_DB", str(db))
    file = tmp_path / "log.csv"
    file.write_text(
        "uid,account,type,give\nu-1,Carrefour,price,1% off\nok-2,Metro,price,2%\nu-1,Metro,display,end-cap\n"
    )
    line = one_line_error(*run(capsys, "log", "import", str(file))[::2])
    assert f"{file}:4: uid u-1 is also on {file}:2 with different values; nothing was imported" in line
    assert not db.exists()  # checked before the database is opened


def test_d16_the_same_row_twice_is_imported_once(capsys, tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("COACH_DB", str(tmp_path / "coach.sqlite3"))
    file = tmp_path / "log.csv"
    file.write_text("uid,account,type,give\nu-1,Carrefour,price,1% off\nu-1,Carrefour,price,1% off\n")
    code, out, err = run(capsys, "log", "import", str(file))
    assert code == 0, err
    code, out, err = run(capsys, "log", "list", "--json")
    assert [e["uid"] for e in json.loads(out)["entries"]] == ["u-1"]


# --------------------------------------------------------------------------- 15. world-readable files


def test_d15_an_existing_zero_byte_database_becomes_owner_only(tmp_path):
    from coach.store.db import connect

    path = tmp_path / "coach.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    connect(path).close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_d15_the_ui_log_is_owner_only_even_if_it_was_not(tmp_path):
    import logging

    from coach import locations
    from coach.tui import app

    for existing in (False, True):
        if existing:
            locations.log_path().chmod(0o644)
        handler = app._setup_logging()
        assert handler is not None
        try:
            app.log.error("something went wrong")
        finally:
            app.log.removeHandler(handler)
            handler.close()
        assert locations.log_path().stat().st_mode & 0o777 == 0o600
        assert "something went wrong" in locations.log_path().read_text(encoding="utf-8")
    assert isinstance(handler, logging.Handler)


def test_d15_the_ui_brief_export_is_owner_only_and_never_overwrites(tmp_path):
    from coach.services.prep import write_brief

    folder = tmp_path / "exports"
    first = write_brief(folder, "brief-plan-1-v1-en", lambda fmt: f"first {fmt}")
    second = write_brief(folder, "brief-plan-1-v1-en", lambda fmt: f"second {fmt}")
    assert first.name == "brief-plan-1-v1-en.md" and second.name == "brief-plan-1-v1-en-2.md"
    assert first.read_text() == "first md" and first.with_suffix(".html").read_text() == "first html"
    assert second.read_text() == "second md"
    assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o600}


# ------------------------------------------------------------ 14. messages that say what happened


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        ("attempt to write a readonly database", "read-only file or folder?"),
        ("unable to open database file", "read-only file or folder?"),
        ("database or disk is full", "the disk is full"),
        ("database is locked", "the database is busy"),
    ],
)
def test_d14_a_read_only_folder_or_full_disk_is_not_called_damaged(
    capsys, tmp_path, monkeypatch, error, expected
):
    import sqlite3

    from coach.store import db

    path = tmp_path / "coach.sqlite3"
    db.connect(path).close()

    def fails(conn):
        raise sqlite3.OperationalError(error)

    monkeypatch.setattr(db, "_switch_to_wal", fails)
    line = one_line_error(*run(capsys, "log", "list", "--db", str(path))[::2])
    assert expected in line and "damaged" not in line and "restore a backup" not in line


def test_d14_a_writer_that_waits_for_a_lock_says_so(tmp_path, monkeypatch):
    from coach.store import db

    path = tmp_path / "coach.sqlite3"
    holder = db.connect(path)
    waiter = db.connect(path)
    said: list[str] = []
    monkeypatch.setattr(db, "WAIT_NOTICE", said.append)
    monkeypatch.setattr(db, "FIRST_TRY_MS", 50)
    waiter.execute("PRAGMA busy_timeout = 100")  # bounded work: the lock is never released here
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(db.DatabaseError, match="the database is busy"):
            with db.write_transaction(waiter, "the entry"):
                waiter.execute("PRAGMA user_version")
    finally:
        holder.execute("ROLLBACK")
    assert len(said) == 1 and said[0].startswith("waiting for another coach to finish writing to ")
    assert waiter.execute("PRAGMA busy_timeout").fetchone()[0] == 100  # the connection's timeout is back
    with db.write_transaction(waiter, "the entry"):  # free now: no notice
        pass
    assert len(said) == 1
    holder.close()
    waiter.close()


# ------------------------------------------------ the UI's settings file: the same corpus, never fatal


@pytest.mark.parametrize("name", ["not-utf8.yaml", "deep.json", "huge.yaml", "fifo.yaml", "zero", "folder"])
def test_settings_file_from_the_corpus_gives_defaults_and_one_line(corpus, tmp_path, name):
    from coach.tui import settings

    path = tmp_path / "settings.json"
    path.symlink_to(corpus[name])
    found, problem = settings.load(path)
    assert found == settings.Settings() and problem and "\n" not in problem


def test_d9_ui_walkthrough_export_on_a_full_disk_leaves_no_file(tmp_path, monkeypatch):
    import errno

    from coach import files
    from coach.errors import CoachError
    from coach.store import walkthroughs as wts

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    wt = wts.Walkthrough("tactic.nibble", "The nibble", "en", [wts.StepRecord("step", "t", True)])
    with pytest.raises(CoachError, match="No space left on device"):
        wts.write_markdown(wt, tmp_path / "exports")
    assert list((tmp_path / "exports").iterdir()) == []
