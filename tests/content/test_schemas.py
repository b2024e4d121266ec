"""Every kind of file under playbooks/ has a JSON Schema that a standard validator applies to the shipped
files; the schemas ship in the package, up to date, and each shipped file names its own on line 1."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from coach import locations
from coach.cli import main
from coach.content import schemas
from coach.content.lint import MAX_MATCH_ENTRIES, warnings
from coach.content.loader import load_library

SHIPPED = sorted(locations.shipped_playbooks_dir().glob("*.yaml"))
REGENERATE = "run `coach schema --write coach/content/schemas` after changing coach/content/models.py"


def _validator(kind: str) -> jsonschema.protocols.Validator:
    schema = schemas.schema_for(kind)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _load(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_kind_of_file_is_shipped():
    kinds = {schemas.kind_of(_load(p)) for p in SHIPPED}
    assert kinds == set(schemas.KINDS)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_each_shipped_file_is_valid_against_its_kind_and_the_any_schema(path):
    data = _load(path)
    kind = schemas.kind_of(data)
    assert kind is not None, path
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in _validator(kind).iter_errors(data)]
    assert errors == []
    assert _validator(schemas.ANY).is_valid(data)


@pytest.mark.parametrize(
    ("kind", "bad"),
    [
        ("playbook", {"rules": [{"id": "tactic.x", "category": "tactic", "titel": {}}]}),
        ("vocabulary", {"concepts": [{"id": "listing-fee", "terms": []}]}),
        ("behaviours", {"behaviours": [{"id": "reply.x", "good": "yes"}]}),
        ("out-of-scope", {"out_of_scope": {"patterns": ["x"], "fr": ["non"]}}),
    ],
)
def test_each_schema_rejects_a_broken_file(kind, bad):
    assert not _validator(kind).is_valid(bad)


@pytest.mark.parametrize("kind", schemas.KINDS)
def test_shipped_schema_files_are_up_to_date(kind):
    shipped = (schemas.FOLDER / schemas.file_name(kind)).read_text(encoding="utf-8")
    assert shipped == schemas.render(kind), REGENERATE


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_each_shipped_file_names_its_schema_on_line_one(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    kind = schemas.kind_of(_load(path))
    assert first == schemas.modeline(kind)
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target == (schemas.FOLDER / schemas.file_name(kind)).resolve() and target.is_file()


@pytest.mark.parametrize("kind", [*schemas.KINDS, schemas.ANY])
def test_coach_schema_prints_each_kind(kind, capsys):
    assert main(["schema", "--kind", kind]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == schemas.schema_for(kind)
    assert printed["$schema"].endswith("2020-12/schema")


def test_coach_schema_default_is_the_playbook_format(capsys):
    assert main(["schema"]) == 0
    assert "rules" in json.loads(capsys.readouterr().out)["properties"]


def test_coach_schema_write_puts_one_file_per_kind(tmp_path, capsys):
    out = tmp_path / "schemas"
    out.mkdir()
    assert main(["schema", "--write", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(schemas.file_name(k) for k in schemas.KINDS)
    written = (out / "out-of-scope.schema.json").read_text(encoding="utf-8")
    assert written == schemas.render("out-of-scope")


def test_coach_schema_write_into_a_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["schema", "--write", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert "is not a folder" in err and len(err.strip().splitlines()) == 1


RULE = """\
rules:
  - id: tactic.my-own
    category: tactic
    title: {{en: "Mine", zh: "我的"}}
    summary: {{en: "Mine", zh: "我的"}}
    match:
      phrases:
        en: [{phrases}]
      keywords:
        - {{term: "zebra", weight: 2}}
    response:
      steps: [{{en: "do", zh: "做"}}]
"""


def _rule_with(tmp_path: Path, entries: int) -> Path:
    phrases = ", ".join(f'"zebra phrase {i}"' for i in range(entries - 1))  # + one keyword
    (tmp_path / "mine.yaml").write_text(RULE.format(phrases=phrases), encoding="utf-8")
    return tmp_path


def test_a_rule_past_the_documented_size_gets_one_located_warning(tmp_path):
    lib = load_library([_rule_with(tmp_path, MAX_MATCH_ENTRIES + 1)])
    assert lib.problems == []
    found = warnings(lib)
    assert len(found) == 1
    assert found[0].endswith(
        f"mine.yaml:7:7: rules[0].match: {MAX_MATCH_ENTRIES + 1} match entries (phrases, keywords, "
        f"patterns, exclude, require_any), more than {MAX_MATCH_ENTRIES}; add examples or vocabulary "
        "concepts instead of more strings"
    )


def test_a_rule_at_the_documented_size_gets_none(tmp_path):
    lib = load_library([_rule_with(tmp_path, MAX_MATCH_ENTRIES)])
    assert warnings(lib) == []


def test_the_size_is_the_documented_one():
    doc = (Path(__file__).parents[2] / "docs" / "playbook-format.md").read_text(encoding="utf-8")
    assert f"more than **{MAX_MATCH_ENTRIES}**" in doc


def test_a_slow_pattern_is_a_warning_not_a_problem(tmp_path):
    (tmp_path / "oos.yaml").write_text('out_of_scope:\n  patterns:\n    - "^weather"\n    - "\\\\d+%"\n')
    lib = load_library([tmp_path])
    assert lib.problems == []
    found = warnings(lib)
    assert len(found) == 1
    assert "oos.yaml:4:7: out_of_scope.patterns[1]: this pattern can take quadratic" in found[0]
