"""coach.files: an export never replaces an earlier one; the free name is found for every part at once."""

from __future__ import annotations

import pytest

from coach.files import FileProblem, free_stem, write_file


def test_the_first_free_name_counts_every_part(tmp_path):
    assert free_stem(tmp_path, "brief", ("md", "html")) == "brief"
    (tmp_path / "brief.html").write_text("x", encoding="utf-8")  # one part taken: the pair moves on
    assert free_stem(tmp_path, "brief", ("md", "html")) == "brief-2"
    assert free_stem(tmp_path, "brief", ("md",)) == "brief"
    (tmp_path / "brief.md").write_text("x", encoding="utf-8")
    assert free_stem(tmp_path, "brief", ("md",), first=1) == "brief-1"


def test_a_dangling_link_counts_as_taken(tmp_path):
    (tmp_path / "w.md").symlink_to(tmp_path / "nowhere")
    assert free_stem(tmp_path, "w", ("md",)) == "w-2"


def test_no_free_name_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr("coach.files.os.path.lexists", lambda path: True)
    with pytest.raises(FileProblem) as err:
        free_stem(tmp_path, "w", ("md",))
    assert "no free file name" in err.value.one_line() and "\n" not in err.value.one_line()


def test_a_name_taken_meanwhile_is_never_overwritten(tmp_path):
    name = free_stem(tmp_path, "w", ("md",))
    (tmp_path / f"{name}.md").write_text("someone else's", encoding="utf-8")
    with pytest.raises(FileProblem):
        write_file(tmp_path / f"{name}.md", "mine", force=None, option="export")
    assert (tmp_path / f"{name}.md").read_text(encoding="utf-8") == "someone else's"
