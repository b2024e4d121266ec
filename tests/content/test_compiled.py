"""The compiled-index cache: same answers as a fresh build, rebuilt when a playbook changes or the
cache is damaged, and never a reason to fail."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from coach import locations
from coach.content.compiled import cached_index, fast_index
from coach.engine import rank

DATA = Path(__file__).parent.parent / "data"
TEXTS = ["the buyer walked out of the meeting", "采购说总部还没批", "what is the capital of France"]


def _answers(index):
    return [[(m.id, m.score, m.why) for m in rank(index, t).matches] for t in TEXTS]


def test_cached_index_answers_like_a_fresh_build():
    _, fresh = cached_index()
    first, _ = fast_index()
    assert (locations.cache_dir() / "index.marshal").exists()
    again, _ = fast_index()
    assert _answers(first) == _answers(fresh) == _answers(again)


def test_changed_user_playbook_rebuilds(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    target = mine / "nibble.yaml"
    text = (DATA / "mini" / "mini.yaml").read_text(encoding="utf-8")
    target.write_text(text.replace("The nibble", "Version one"), encoding="utf-8")
    index, notices = fast_index([mine])
    assert any("replaces" in n for n in notices)
    assert index.meta[index.rule_ids.index("tactic.nibble")][0] == "Version one"
    target.write_text(text.replace("The nibble", "Version two!"), encoding="utf-8")
    os.utime(target, ns=(1, 1))
    index, _ = fast_index([mine])
    assert index.meta[index.rule_ids.index("tactic.nibble")][0] == "Version two!"


def test_damaged_cache_is_rebuilt():
    fast_index()
    path = locations.cache_dir() / "index.marshal"
    path.write_bytes(b"\x00garbage")
    index, _ = fast_index()
    assert rank(index, TEXTS[0]).matches
    assert path.stat().st_size > 1000


def test_unwritable_cache_folder_is_not_an_error(tmp_path, monkeypatch):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setattr(locations, "cache_dir", lambda: blocked / "cache")
    index, _ = fast_index()
    assert rank(index, TEXTS[0]).matches
    shutil.rmtree(tmp_path / "nothing", ignore_errors=True)
