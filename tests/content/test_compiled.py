"""The playbook cache: same answers as reading the files, rebuilt when a playbook or an engine file changes
or the cache is damaged, and never a reason to fail.

``compiled.forget()`` stands for "the next run": it drops what this process keeps in memory, so the next
call reads the cache file (or the playbooks).
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import shutil
from pathlib import Path

import pytest

from coach import locations
from coach.content import compiled
from coach.content.compiled import cached_index, fast_index
from coach.content.loader import check_required, default_layers, load_default, load_library
from coach.engine import build_index, rank

DATA = Path(__file__).parent.parent / "data"
TEXTS = ["the buyer walked out of the meeting", "采购说总部还没批", "what is the capital of France"]


def _answers(index):
    return [[(m.id, m.score, m.why) for m in rank(index, t).matches] for t in TEXTS]


def _cache() -> Path:
    return locations.cache_dir() / compiled.CACHE_NAME


def _no_files(monkeypatch) -> None:
    """The cache file made whole (the playbooks may have changed since the session's cache was built), and
    from here on reading or indexing the playbooks fails the test: the cache must answer."""
    found = compiled.load()
    found.index  # noqa: B018
    found.behaviour_index  # noqa: B018
    compiled.forget()

    def refuse(*args, **kwargs):
        raise AssertionError("the playbooks were read again")

    monkeypatch.setattr("coach.content.loader.load_library", refuse)
    monkeypatch.setattr("coach.engine.index.build_index", refuse)
    monkeypatch.setattr("coach.content.compiled.build_index", refuse)


def _mine(tmp_path: Path, title: str) -> Path:
    mine = tmp_path / "mine"
    mine.mkdir(exist_ok=True)
    text = (DATA / "mini" / "mini.yaml").read_text(encoding="utf-8")
    (mine / "nibble.yaml").write_text(text.replace("The nibble", title), encoding="utf-8")
    return mine


def test_cached_index_answers_like_a_fresh_build(monkeypatch):
    fresh_lib = load_default()
    fresh = build_index(fresh_lib)
    _no_files(monkeypatch)
    lib, index = cached_index()
    first, _ = fast_index()
    assert _answers(first) == _answers(fresh) == _answers(index)
    assert list(lib.rules) == list(fresh_lib.rules)
    assert all(lib.rules[k] == fresh_lib.rules[k] for k in fresh_lib.rules)
    assert all(lib.behaviours[k] == fresh_lib.behaviours[k] for k in fresh_lib.behaviours)
    assert dict(lib.glossary) == fresh_lib.glossary
    assert lib.sources == fresh_lib.sources and lib.concepts == fresh_lib.concepts
    assert lib.out_of_scope_patterns == fresh_lib.out_of_scope_patterns


def test_every_verb_reads_the_cache_not_the_files(monkeypatch, capsys):
    from coach.cli import main

    _no_files(monkeypatch)
    for argv in (
        ["match", "the buyer walked out of the meeting"],
        ["match", "--json", "the buyer walked out of the meeting"],
        ["assess", "--json", "ok, 2% more if you sign today"],
        ["assess", "--context", "we need 2% more", "fine, 2% more"],
        ["log", "review"],
    ):
        assert main(argv) == 0, argv
    assert capsys.readouterr().err == ""


def test_library_variants_check_the_taxonomy_like_the_loader(tmp_path):
    fresh = load_library(default_layers())
    assert compiled.library(check=False).problems == fresh.problems
    for kwargs in ({}, {"situations": False, "replies": True}, {"replies": True}, {"situations": False}):
        want = dataclasses.replace(fresh, problems=list(fresh.problems))
        check_required(want, **{"situations": True, "replies": False, **kwargs})
        assert compiled.library(**kwargs).problems == want.problems, kwargs
    drop = {"situations": {}, "replies": [{"id": "reply.not-in-any-playbook"}]}
    found = compiled.load()
    found.taxonomy = drop
    assert "reply.not-in-any-playbook" in found.library(replies=True).problems[-1]
    compiled.forget()


@pytest.mark.slow
def test_a_changed_user_playbook_is_seen_on_the_next_run(tmp_path):
    mine = _mine(tmp_path, "Version one")
    lib = compiled.library([mine])
    assert any("replaces" in n for n in lib.notices)
    assert lib.rules["tactic.nibble"].title.en == "Version one"
    target = mine / "nibble.yaml"
    before = target.stat()
    _mine(tmp_path, "Version 2!!")  # same size, and the old times put back: only the content differs
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    compiled.forget()
    index, _ = fast_index([mine])
    assert index.meta[index.rule_ids.index("tactic.nibble")][0] == "Version 2!!"
    assert compiled.library([mine]).rules["tactic.nibble"].title.en == "Version 2!!"


@pytest.mark.slow
def test_a_changed_shipped_playbook_is_seen_on_the_next_run(tmp_path, monkeypatch):
    shipped = tmp_path / "shipped"
    shutil.copytree(locations.shipped_playbooks_dir(), shipped)
    monkeypatch.setattr(locations, "shipped_playbooks_dir", lambda: shipped)
    lib = compiled.library()
    rule_id, rule = next(iter(lib.rules.items()))
    src = lib.sources[rule_id]
    file = shipped / Path(src.file).name
    text = file.read_text(encoding="utf-8")
    assert text.count(rule.title.en) >= 1
    file.write_text(text.replace(rule.title.en, "A title changed by a trainer", 1), encoding="utf-8")
    compiled.forget()
    assert compiled.library().rules[rule_id].title.en == "A title changed by a trainer"


def test_a_changed_engine_or_content_file_changes_the_key(tmp_path, monkeypatch):
    code = Path(compiled.__file__).resolve().parent.parent
    fake = tmp_path / "coach"
    for folder in ("engine", "content"):
        (fake / folder).mkdir(parents=True)
        for src in (code / folder).glob("*.py"):
            shutil.copyfile(src, fake / folder / src.name)
    shutil.copyfile(code / "content" / "taxonomy.yaml", fake / "content" / "taxonomy.yaml")
    monkeypatch.setattr(compiled, "__file__", str(fake / "content" / "compiled.py"))
    key = compiled.cache_key()
    assert compiled.cache_key() == key
    with open(fake / "engine" / "match.py", "a", encoding="utf-8") as fh:
        fh.write("\n# a change\n")
    assert compiled.cache_key() != key
    changed = compiled.cache_key()
    (fake / "content" / "taxonomy.yaml").write_text("situations: {}\nreplies: []\n", encoding="utf-8")
    assert compiled.cache_key() != changed


def test_the_current_folder_is_part_of_the_key(tmp_path, monkeypatch):
    """File names in messages are relative to the current folder, so another folder is another cache."""
    key = compiled.cache_key()
    monkeypatch.chdir(tmp_path)
    assert compiled.cache_key() != key


def _damage(path: Path, data: bytes) -> None:
    path.unlink(missing_ok=True)  # replaced, never written into: every test's cache is the same file
    path.write_bytes(data)


def _valid_outer(**changes) -> bytes:
    data = marshal.loads(_cache().read_bytes())
    data.update(changes)
    return marshal.dumps(data)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda: b"\x00garbage", id="garbage"),
        pytest.param(lambda: _cache().read_bytes()[:1000], id="truncated"),
        pytest.param(lambda: b"", id="empty"),
        pytest.param(lambda: marshal.dumps([1, 2, 3]), id="another-shape"),
        pytest.param(lambda: _valid_outer(format=-1), id="another-format"),
        pytest.param(lambda: _valid_outer(key="another"), id="foreign-key"),
        pytest.param(lambda: _valid_outer(notices=[1]), id="notices-of-another-shape"),
        pytest.param(lambda: _valid_outer(library=None), id="no-library"),
    ],
)
def test_a_damaged_or_foreign_cache_is_not_used(damage):
    compiled.load()
    _damage(_cache(), damage())
    assert compiled._read(_cache(), compiled.cache_key()) is None


@pytest.mark.slow
def test_a_damaged_cache_is_rebuilt_silently_with_the_right_answer(capsys):
    want = _answers(compiled.load().index)
    _damage(_cache(), b"\x00garbage")
    compiled.forget()
    lib, index = cached_index()
    assert _answers(index) == want
    assert lib.rules["principle.plan"].title.en
    assert compiled.load().behaviour_index.ids == list(lib.behaviours)
    compiled.forget()
    assert compiled._read(_cache(), compiled.cache_key()) is not None  # written again, whole
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    ("part", "use"),
    [
        ("library", lambda c: c.library()),
        ("library", lambda c: c.library().rules["principle.plan"]),
        ("index", lambda c: c.index),
        ("behaviour_index", lambda c: c.behaviour_index),
    ],
)
def test_a_damaged_part_is_rebuilt_when_used(monkeypatch, part, use):
    compiled.load().behaviour_index  # noqa: B018 - every part in the file
    compiled.load().index  # noqa: B018
    bad = marshal.dumps({"rules": 1}) if part == "library" else b"\x00nonsense"
    _damage(_cache(), _valid_outer(**{part: bad}))
    compiled.forget()
    found = compiled.load()
    rebuilt = []

    def rebuild(self):
        rebuilt.append(part)
        raise LookupError("rebuilt")

    monkeypatch.setattr(compiled.Compiled, "_rebuild", rebuild)
    with pytest.raises(LookupError):
        use(found)
    assert rebuilt == [part]


@pytest.mark.slow
def test_a_folder_in_place_of_the_cache_is_not_an_error():
    path = _cache()
    path.unlink(missing_ok=True)
    path.mkdir(parents=True)
    compiled.forget()
    index, _ = fast_index()
    assert rank(index, TEXTS[0]).matches


@pytest.mark.slow
def test_unwritable_cache_folder_is_not_an_error(tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setattr(locations, "cache_dir", lambda: blocked / "cache")
    compiled.forget()
    index, _ = fast_index()
    assert rank(index, TEXTS[0]).matches


def test_the_cache_is_plain_data_and_owner_only():
    compiled.load().index  # noqa: B018
    path = _cache()
    assert path.stat().st_mode & 0o777 == 0o600
    data = marshal.loads(path.read_bytes())  # marshal refuses code objects only if asked; check the types

    def plain(value) -> bool:
        if isinstance(value, dict):
            return all(plain(k) and plain(v) for k, v in value.items())
        if isinstance(value, (list, tuple, set, frozenset)):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, (str, bytes, int, float, bool))

    assert plain(data)
    for part in ("library", "index", "behaviour_index"):
        assert plain(marshal.loads(data[part])), part


@pytest.mark.slow
def test_a_broken_playbook_is_reported_from_the_cache_too(tmp_path, capsys):
    from coach.cli import main

    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "bad.yaml").write_text("rules:\n  - id: tactic.x\n    colour: red\n", encoding="utf-8")
    assert main(["match", "--json", "--playbooks", str(mine), "hello"]) == 2
    first = capsys.readouterr().err
    compiled.forget()
    assert main(["match", "--json", "--playbooks", str(mine), "hello"]) == 2
    assert capsys.readouterr().err == first != ""
    assert main(["log", "review", "--playbooks", str(mine)]) == 0  # the review uses the rules that loaded


def test_the_dictionary_split_by_letter_is_the_whole_list():
    from coach.engine import index as engine_index

    whole = engine_index._dictionary()
    compiled.forget()
    (locations.cache_dir() / compiled.DICTIONARY_NAME).unlink(missing_ok=True)
    for letter in "aqz":
        assert compiled.words_starting(letter) == {w for w in whole if w.startswith(letter)}
    assert (locations.cache_dir() / compiled.DICTIONARY_NAME).is_file()
    compiled.forget()
    assert compiled.words_starting("l") == {w for w in whole if w.startswith("l")}  # read back from the file
    assert engine_index.DICTIONARY is compiled.words_starting


def test_a_typo_is_read_alike_with_the_split_dictionary(monkeypatch):
    from coach.engine import index as engine_index

    index = compiled.load().index
    texts = ["the buyer wants a bigger listng fee", "an extra promotoin budget", "the delivry was late"]
    split = [rank(index, t).notes for t in texts]
    monkeypatch.setattr(engine_index, "DICTIONARY", None)
    assert [rank(index, t).notes for t in texts] == split
    assert any("listing" in " ".join(notes) for notes in split)


def test_a_damaged_dictionary_cache_is_rebuilt():
    path = locations.cache_dir() / compiled.DICTIONARY_NAME
    compiled.words_starting("a")
    _damage(path, b"\x00garbage")
    compiled.forget()
    assert "apple" in compiled.words_starting("a")
    compiled.forget()
    data = marshal.loads(path.read_bytes())
    data["letters"]["b"] = b"\x00"
    _damage(path, marshal.dumps(data))
    assert "banana" in compiled.words_starting("b")
