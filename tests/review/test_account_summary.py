"""The key account seen from the rest of the tool (issue 13): open actions, who is in the room, the
one-page summary. Pure functions on hand-made maps and plans."""

from __future__ import annotations

from datetime import date

from coach.content.business_plans import validate, validate_review
from coach.content.plans import Person
from coach.review.account_summary import open_actions, room, room_section, summary
from coach.review.brief import to_html, to_markdown
from coach.review.business_plan import LogTotals
from coach.store.accounts import Account, AccountMap, Contact, Relationship

TODAY = date(2027, 5, 2)


def _contact(cid: int, name: str, side: str = "theirs", **fields) -> Contact:
    return Contact(id=cid, account_id=1, side=side, name=name, saved_at="2027-01-01T00:00:00Z", **fields)


def lianhua(*, plan_for_wang: str | None = None) -> AccountMap:
    acc = Account(id=1, key="联华", name="联华", tier="national", stores=3200, created_at="x", saved_at="x")
    people = (
        _contact(
            1,
            "王芳",
            role="采购总监",
            decision_role="decision-maker",
            influence=5,
            attitude="skeptic",
            plan=plan_for_wang,
        ),
        _contact(
            2,
            "陈杰",
            role="品类经理",
            reports_to=1,
            decision_role="influencer",
            influence=3,
            attitude="supporter",
        ),
        _contact(3, "赵磊", role="门店运营", decision_role="user", influence=4, attitude="opponent"),
        _contact(4, "Li Wei", side="ours"),
        _contact(5, "Zhang Min", side="ours"),
    )
    rel = (Relationship(id=1, ours_id=4, theirs_id=2, level=3, target=4, saved_at="x"),)
    return AccountMap(account=acc, contacts=people, relationships=rel)


PLAN = validate(
    {
        "account": "联华",
        "year": 2027,
        "objectives": [
            {
                "text": "grow 330ml cans in all hypermarkets",
                "measure": "sell-in CNY 14m",
                "actions": [
                    {"what": "list 330ml in the new stores", "owner": "Li Wei", "due": "2027-06-30"},
                    {"what": "agree end-caps", "owner": "Li Wei", "due": "2027-01-31"},
                    {"what": "done already", "owner": "Li Wei", "due": "2027-01-01", "done": True},
                ],
            },
            {
                "text": "category sales +8%",
                "side": "theirs",
                "actions": [{"what": "category review", "owner": "Zhang Min", "due": "2027-03-15"}],
            },
        ],
        "scorecard": [
            {"name": "out-of-stock rate", "unit": "percent", "direction": "lower", "baseline": 6, "target": 3}
        ],
    }
)
Q1 = validate_review(
    {
        "period": "2027-Q1",
        "actuals": [{"kpi": "out-of-stock rate", "actual": 4.1}],
        "next_actions": [
            {"what": "weekly OOS report", "owner": "Zhang Min"},
            {"what": "Agree  end-caps", "owner": "Li Wei", "due": "2027-04-01"},  # the plan's, said again
        ],
    }
)


def test_open_actions_overdue_first_then_by_date_then_undated_done_ones_left_out():
    found = open_actions(PLAN, [Q1], TODAY)
    assert [(a.what, a.overdue) for a in found] == [
        ("agree end-caps", True),
        ("category review", True),
        ("list 330ml in the new stores", False),
        ("weekly OOS report", False),
    ]
    assert found[3].period == "2027-Q1" and found[0].objective == "grow 330ml cans in all hypermarkets"
    assert open_actions(None, [Q1], TODAY) == []


def test_the_room_names_people_with_their_role_and_warns_about_those_attending_first():
    r = room(
        lianhua(),
        [Person(name="王芳", role=None), Person(name="陳傑", role=None), Person(name="孙丽")],
        TODAY,
    )
    assert [(p.name, p.contact.name if p.contact else None) for p in r.people] == [
        ("王芳", "王芳"),
        ("陳傑", "陈杰"),  # Traditional spelling of the same person
        ("孙丽", None),
    ]
    codes = [(w.code, here) for w, here in r.warnings]
    assert codes[:2] == [("unknown-decision-maker", True), ("opponent-without-plan", True)]
    assert ("opponent-without-plan", False) in codes  # 赵磊 is not attending: still said, after
    sec = room_section(r, "zh")
    text = "\n".join(f"{a} {b}" for a, b in sec.items)
    assert "王芳 采购总监 · 决策者 · 影响力5 · 怀疑者 · 我方无人认识" in text
    assert "陳傑 品类经理 · 影响者 · 影响力3 · 支持者 · 我方：Li Wei 3" in text
    assert "孙丽 不在联华的客情关系图里" in text
    assert "⚠ 教练提醒（本次到场） 王芳（采购总监）是拍板的人" in text
    en = "\n".join(f"{a} {b}" for a, b in room_section(r, "en").items)
    assert "⚠ Coach (at this meeting) 王芳 (influence 5) is a skeptic and there is no plan" in en


def test_a_plan_for_the_skeptic_takes_the_warning_away():
    r = room(lianhua(plan_for_wang="Zhang Min meets her monthly"), [Person(name="王芳")], TODAY)
    assert ("opponent-without-plan", True) not in [(w.code, here) for w, here in r.warnings]


def test_a_room_without_their_team_names_who_decides():
    sec = room_section(room(lianhua(), [], TODAY), "en")
    assert sec.items[0][1].startswith("Their team is not in the plan yet")
    assert sec.items[1][0].strip() == "王芳"


def test_the_summary_page_has_every_part_in_both_languages():
    log = LogTotals(entries=2, with_return=1, given={"percent": 1.0}, received={"units": 2.0})
    for lang, words in (
        (
            "en",
            [
                "national",
                "What it needs",
                "⚠ Single-threaded",
                "[ours] grow 330ml",
                "off track",
                "⚠ agree end-caps",
                "overdue since 2027-01-31",
                "given 1%",
                "3,200 stores",
            ],
        ),
        (
            "zh",
            [
                "全国性",
                "这一级要什么",
                "⚠ 单线联系",
                "[我方] grow 330ml",
                "落后",
                "2027-01-31 起已逾期",
                "给出 1%",
                "3,200家门店",
            ],
        ),
    ):
        page = summary(lianhua(), lang, year=2027, plan=PLAN, reviews=[Q1], log=log, today=TODAY)
        md = to_markdown(page)
        flat = md.replace("\\", "")
        for word in words:
            assert word in flat, (lang, word)
        html = to_html(page)
        assert "<script" not in html and "Content-Security-Policy" in html


def test_the_chinese_summary_joins_with_chinese_punctuation():
    m = lianhua()
    both = (*m.relationships, Relationship(id=2, ours_id=5, theirs_id=2, level=2, target=3, saved_at="x"))
    m = AccountMap(account=m.account, contacts=m.contacts, relationships=both)
    page = summary(m, "zh", year=2027, plan=PLAN, reviews=[Q1], log=None, today=TODAY)
    flat = to_markdown(page).replace("\\", "")
    assert "agree end-caps：** Li Wei，2027-01-31 起已逾期" in flat
    assert "weekly OOS report：** Zhang Min，未定日期" in flat
    assert "我方：Li Wei 3、Zhang Min 2" in flat
    actions = flat[flat.index("## 未完成的行动") :]
    assert ", " not in actions


def test_the_summary_without_a_plan_says_how_to_start_one():
    page = summary(lianhua(), "en", year=2028, today=TODAY)
    md = to_markdown(page)
    assert "No business plan for 2028 yet" in md and "coach acbp new 联华 --year 2028" in md.replace("\\", "")
