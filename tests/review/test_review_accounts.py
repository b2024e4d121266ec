"""The relationship map's warnings and views (coach.review.accounts): each warning fires when it should and
stays quiet when it should not; the tree and the matrix; the tiers come from the playbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from coach.domain.accounts import TIERS
from coach.review.accounts import CODES, TIER_NEEDS, check, render_coverage, render_map, tree, width
from coach.store import accounts as store
from coach.store.db import connect

TODAY = date(2026, 12, 1)
PLAYBOOK = Path(__file__).parents[2] / "playbooks" / "accounts.yaml"


@pytest.fixture
def conn(db_target):
    c = connect(db_target)
    yield c
    c.close()


def healthy(conn):
    """An account a coach would not warn about: two of ours, three of theirs, every tie doubled."""
    store.add(conn, "Lianhua", tier="national", ours=["Li Wei", "Zhang Min"])
    store.add_contact(
        conn, "Lianhua", "theirs", "Wang Fang", role="Purchasing director", decision_role="decision-maker",
        influence=5, attitude="skeptic", plan="Quarterly review with our sales director",
        last_contact="2026-11-01",
    )  # fmt: skip
    store.add_contact(
        conn, "Lianhua", "theirs", "Chen Jie", role="Buyer", reports_to="Wang Fang", influence=3,
        attitude="supporter", last_contact="2026-11-20",
    )  # fmt: skip
    store.add_contact(
        conn, "Lianhua", "theirs", "Zhao Lei", reports_to="Wang Fang", last_contact="2026-10-01"
    )
    store.link(conn, "Lianhua", "Zhang Min", "Wang Fang", level=2, target=3)
    store.link(conn, "Lianhua", "Li Wei", "Chen Jie", level=4)
    store.link(conn, "Lianhua", "Zhang Min", "Zhao Lei", level=2)


def codes(conn, name="Lianhua", **kw):
    return [w.code for w in check(store.account_map(conn, name), today=TODAY, **kw)]


def test_a_healthy_map_has_no_warnings(conn):
    healthy(conn)
    assert codes(conn) == []


def test_no_contacts(conn):
    store.add(conn, "Suguo", ours=["Li Wei"])
    assert codes(conn, "Suguo") == ["no-contacts"]


def test_single_threaded_when_only_one_person_is_known(conn):
    store.add(conn, "Suguo", ours=["Li Wei"])
    store.add_contact(conn, "Suguo", "theirs", "Wu Gang")
    store.link(conn, "Suguo", "Li Wei", "Wu Gang", level=3)
    found = check(store.account_map(conn, "Suguo"), today=TODAY)
    assert [w.code for w in found] == ["single-threaded"]
    assert "Wu Gang" in found[0].en and "Wu Gang" in found[0].zh


def test_single_threaded_when_only_one_of_several_is_linked(conn):
    healthy(conn)
    store.link(conn, "Lianhua", "Zhang Min", "Wang Fang", level=0)  # no longer in touch
    store.link(conn, "Lianhua", "Zhang Min", "Zhao Lei", level=0)
    assert "single-threaded" in codes(conn)


def test_one_person_holding_every_relationship(conn):
    healthy(conn)
    assert "one-holder" not in codes(conn)
    store.update_contact(conn, "Lianhua", "Zhang Min", status="left")
    store.link(conn, "Lianhua", "Li Wei", "Zhao Lei", level=1)
    found = codes(conn)
    assert "one-holder" in found and "single-threaded" not in found


def test_decision_maker_nobody_knows(conn):
    healthy(conn)
    store.link(conn, "Lianhua", "Zhang Min", "Wang Fang", level=0)
    found = [
        w
        for w in check(store.account_map(conn, "Lianhua"), today=TODAY)
        if w.code == "unknown-decision-maker"
    ]
    assert len(found) == 1
    assert "Wang Fang" in found[0].en and "ask Chen Jie" in found[0].en  # a known report can introduce us
    assert "请Chen Jie" in found[0].zh


def test_high_influence_skeptic_without_a_plan(conn):
    healthy(conn)
    store.update_contact(conn, "Lianhua", "Wang Fang", plan="")
    assert "opponent-without-plan" in codes(conn)
    store.update_contact(conn, "Lianhua", "Wang Fang", influence=3)
    assert "opponent-without-plan" not in codes(conn)  # influence 3 is below the bar
    store.update_contact(conn, "Lianhua", "Wang Fang", influence=4, attitude="supporter")
    assert "opponent-without-plan" not in codes(conn)


def test_contacts_not_seen_for_n_days(conn):
    healthy(conn)
    store.update_contact(conn, "Lianhua", "Zhao Lei", last_contact="2026-07-01")
    found = [w for w in check(store.account_map(conn, "Lianhua"), today=TODAY) if w.code == "not-seen"]
    assert len(found) == 1 and "Zhao Lei (153 days)" in found[0].en and "Zhao Lei（153天）" in found[0].zh
    assert "not-seen" not in codes(conn, stale_days=200)
    assert "not-seen" in codes(conn, stale_days=30)


def test_people_who_left_are_out_of_the_checks_but_kept(conn):
    healthy(conn)
    store.update_contact(conn, "Lianhua", "Wang Fang", status="left", plan="")
    m = store.account_map(conn, "Lianhua")
    assert "unknown-decision-maker" not in codes(conn)
    assert "Left (kept in history): Wang Fang" in render_map(m)


def test_warnings_are_sentences_in_both_languages_without_ids(conn):
    store.add(conn, "Suguo", ours=["Li Wei"])
    store.add_contact(conn, "Suguo", "theirs", "Wu Gang", decision_role="decision-maker", influence=5,
                      attitude="opponent", last_contact="2026-01-01")  # fmt: skip
    store.add_contact(conn, "Suguo", "theirs", "Ma Li")
    found = check(store.account_map(conn, "Suguo"), today=TODAY)
    assert {w.code for w in found} <= set(CODES) and len(found) == 4
    for w in found:
        assert w.en.endswith(".") and w.zh.endswith("。")
        assert "#" not in w.en + w.zh and " id" not in w.en


def test_map_is_a_tree_by_reporting_line(conn):
    healthy(conn)
    store.add_contact(conn, "Lianhua", "theirs", "Sun Yu", reports_to="Chen Jie")
    m = store.account_map(conn, "Lianhua")
    assert [(d, c.name) for d, c in tree(m)] == [
        (0, "Wang Fang"),
        (1, "Chen Jie"),
        (2, "Sun Yu"),
        (1, "Zhao Lei"),
    ]
    text = render_map(m)
    lines = text.splitlines()
    assert lines[0] == "Lianhua · national account"
    assert lines[2].startswith("  Wang Fang · Purchasing director · decision maker · influence 5 · skeptic")
    assert "known by Zhang Min 2→3" in lines[2]
    assert lines[4].startswith("     └─ Sun Yu") and "known by nobody" in lines[4]
    assert "我方：Li Wei 4" in render_map(m, "zh")


def test_coverage_fits_80_columns_with_many_people(conn):
    store.add(conn, "Lianhua", ours=[f"Colleague number {i}" for i in range(12)])
    for i in range(30):
        store.add_contact(conn, "Lianhua", "theirs", f"采购经理 {i} 号 with a long name")
    store.link(conn, "Lianhua", "Colleague number 3", "采购经理 7 号 with a long name", level=2, target=4)
    text = render_coverage(store.account_map(conn, "Lianhua"))
    assert max(width(line) for line in text.splitlines()) <= 80
    assert "2→4" in text


def test_the_five_tiers_and_their_needs_come_from_the_playbook():
    rule = next(
        r for r in yaml.safe_load(PLAYBOOK.read_text(encoding="utf-8"))["rules"] if r["id"] == "account.tiers"
    )
    assert tuple(TIER_NEEDS) == TIERS
    for tier in TIER_NEEDS.values():
        for lang in ("en", "zh"):
            assert any(tier.needs[lang] in step[lang] for step in rule["response"]["steps"]), (tier.id, lang)
    for example in ("Walmart", "Park'N Shop", "Hualian", "Suguo", "airports"):
        assert example in rule["summary"]["en"]


def test_a_relationship_at_its_target_shows_the_level_alone(conn):
    store.add(conn, "Lianhua", ours=["Li Wei"])
    store.add_contact(conn, "Lianhua", "theirs", "Chen Jie")
    store.link(conn, "Lianhua", "Li Wei", "Chen Jie", level=4, target=4)
    m = store.account_map(conn, "Lianhua")
    assert render_coverage(m).splitlines()[1].split() == ["Chen", "Jie", "4"]
    assert render_map(m).splitlines()[2].endswith("known by Li Wei 4")
