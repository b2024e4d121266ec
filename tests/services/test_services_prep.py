"""The meeting-plan use-cases both faces call: suggestions from an account's history, applied to a plan."""

from __future__ import annotations

from pathlib import Path

from coach.content.plans import load_yaml_file
from coach.services.prep import account_suggestions, apply_suggestions, suggestions_for
from coach.store import concessions as log_store
from coach.store.db import connect

SAMPLE = Path(__file__).parent.parent / "data" / "plan_sample.yaml"


def _log(conn, account: str, *tactics: str) -> None:  # noqa: ANN001
    for tactic in tactics:
        log_store.add(
            conn,
            log_store.validate_entry(
                {"account": account, "type": "price", "give": "rebate", "tactic": tactic}
            ),
        )


def test_an_accounts_tactics_strongest_first_leaving_out_what_is_excluded(tmp_path):
    conn = connect(tmp_path / "coach.sqlite3")
    try:
        _log(conn, "Carrefour", "tactic.nibble", "tactic.nibble", "tactic.walkout-pressure")
        _log(conn, "Tesco", "tactic.deadline-pressure")
        found = account_suggestions(conn, "Carrefour")
        assert [(s.tactic, s.in_log) for s in found] == [("tactic.nibble", 2), ("tactic.walkout-pressure", 1)]
        found = account_suggestions(conn, "Carrefour", exclude=["tactic.nibble"])
        assert [s.tactic for s in found] == ["tactic.walkout-pressure"]
    finally:
        conn.close()


def test_a_plans_suggestions_leave_out_its_listed_tactics_and_applying_them_adds_the_rest(tmp_path):
    plan = load_yaml_file(SAMPLE)  # lists tactic.nibble and tactic.higher-authority
    conn = connect(tmp_path / "coach.sqlite3")
    try:
        _log(conn, plan.account, "tactic.nibble", "tactic.walkout-pressure")
        assert [s.tactic for s in suggestions_for(conn, plan)] == ["tactic.walkout-pressure"]
        applied, changes = apply_suggestions(conn, plan)
    finally:
        conn.close()
    assert [t.tactic for t in applied.expected_tactics] == [
        "tactic.nibble",
        "tactic.higher-authority",
        "tactic.walkout-pressure",
    ]
    assert applied.expected_tactics[-1].note == "1× in the log"
    assert changes[0] == "+ expected tactic Breaking off talks to pressure (1× in the log)"


def test_without_the_playbooks_the_brief_names_rules_as_the_taxonomy_does_never_by_id():
    from coach.review.brief import build, guidance_ids, to_markdown
    from coach.services.prep import guidance_from

    plan = load_yaml_file(SAMPLE)
    for lang, words in (
        ("en", "Restate what you have done for the customer"),
        ("zh", "重申你为客户做了什么"),
    ):
        text = to_markdown(build(plan, guidance_from({}, guidance_ids(plan)), lang)).replace("\\", "")
        assert words in text and "principle." not in text and "tactic." not in text, lang


def test_suggested_tactics_are_named_by_their_playbook_title_in_the_language():
    from coach.review.plans import TacticSuggestion
    from coach.services.prep import named_suggestions

    found = [TacticSuggestion("tactic.nibble", 2, 1)]
    assert named_suggestions(found) == ["The nibble (2× in the log, 1× in role-play)"]
    assert named_suggestions(found, "zh") == ["得寸进尺（让步记录中 2 次，角色扮演中 1 次）"]
    assert named_suggestions([]) == []
