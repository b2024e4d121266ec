"""The one-page brief for a sample plan: its content in both formats and languages, and escaping."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from coach.content.loader import load_default, taxonomy
from coach.content.plans import load_yaml_file, validate
from coach.review.brief import build, guidance_ids, has_figures, md_escape, render, to_html
from coach.review.plans import guidance

DATA = Path(__file__).parent.parent / "data"


def sample():
    return load_yaml_file(DATA / "plan_sample.yaml")


def notes_for(plan):
    rules = load_default(check=False).rules
    names = {s["id"]: {"en": s["en"], "zh": s["zh"]} for g in taxonomy()["situations"].values() for s in g}
    return guidance(rules, guidance_ids(plan), names), rules


def test_markdown_brief_has_every_part_of_the_sample():
    plan = sample()
    notes, rules = notes_for(plan)
    md = render(plan, notes, "md", "en", plan_id=3, version=2)
    assert md.startswith("# Meeting brief: Carrefour — annual 2025\n")
    assert "Date: 2025-03-04 · meeting plan 3, version 2" in md
    sections = re.findall(r"^## (.+)$", md, re.M)
    assert sections == [
        "What we want",
        "Walk-away point",
        "Concession plan (offer in this order)",
        "Expected tactics and counters",
        "Facts to cite",
        "Value to restate",
        "Issues on the table",
        "Lines to say",
        "In the room",
        "Record after the meeting",
    ]
    assert "- **★ must:** List the 330ml cans in all 45 stores" in md
    assert "- **☆ nice to have:** Two DM pages in September" in md
    assert "No extra rebate above 3% in total; payment terms no longer than 60 days" in md
    assert "- price/discount: at most 3% in total" in md and "- payment terms: at most 60 days in total" in md
    assert (
        "| 1 | Two promoter days per store | promotion fund | low | high | Four facings for the 330ml cans | "
        "2 units |" in md
    )
    assert (
        "| 3 | POS material for the summer | display/shelf space | low | medium | An end-cap in July | — |"
        in md
    )
    # Each expected tactic with its counter and a line to say, from the shipped playbooks.
    nibble = rules["tactic.nibble"]
    assert f"- **{md_escape(nibble.title.en)}**" in md and "tactic." not in md
    assert md_escape(nibble.response.steps[0].en) in md
    assert md_escape(f"“{nibble.response.say[0].en}”") in md
    assert "  - **Note:** Asked for an extra promoter after signing last year" in md
    assert md_escape(rules["tactic.higher-authority"].response.say[0].en) in md
    assert "- **Our SKUs +12% vs category +5%:** their scan data, last 13 weeks" in md
    assert "- **Growth rebate:** us: 1% on +8% volume, them: 3% flat" in md
    # Lines to say quote the plan's own facts and give-gets, never a playbook example's figures.
    assert (
        "“Let's look at the figures: our SKUs +12% vs category +5% (their scan data, last 13 weeks); "
        "out-of-stock 1.2% vs 3.5% category (store audit, May).”" in md.replace("\\", "")
    )
    assert (
        "“We can do two promoter days per store if we get four facings for the 330ml cans in return.”" in md
    )
    assert md_escape(rules["principle.use-facts"].response.say[0].en) not in md
    assert "- **Checklist:** ☑ Terms signed off by my manager, ☐ Print the results sheet" in md
    assert "- **Agenda:** Review of this year → Range for next year → Promotion calendar → Terms" in md
    assert "Not prepared yet" not in md


def test_chinese_brief_uses_chinese_labels_and_playbook_text():
    plan = sample()
    notes, rules = notes_for(plan)
    md = render(plan, notes, "md", "zh")
    assert md.startswith("# 会前简报：Carrefour — annual 2025")
    assert "## 让步计划（按此顺序提出）" in md and "## 底线" in md and "## 预计的采购手段与应对" in md
    assert "| 1 | Two promoter days per store | 促销/市场费用 | 低 | 高 |" in md
    assert md_escape(rules["tactic.nibble"].response.say[0].zh) in md
    assert "- **★ 必须：** List the 330ml cans in all 45 stores" in md


def test_missing_optional_parts_are_named():
    plan = validate(
        {
            "account": "A",
            "meeting": "M",
            "objectives": [{"text": "x"}],
            "alternatives": {"walk_away": "w"},
            "tradeables": [{"item": "i", "type": "other", "cost": "low", "value": "high", "ask": "a"}],
        }
    )
    brief = build(plan, {}, "en")
    assert brief.sections[-1].title == "Not prepared yet"
    assert "facts to speak with" in brief.sections[-1].items[0][1]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(2)> & "quotes" *bold* [link](http://x) | cell'


def _hostile_plan():
    return validate(
        {
            "account": HOSTILE,
            "meeting": "M <b>",
            "objectives": [{"text": HOSTILE}],
            "alternatives": {"walk_away": HOSTILE},
            "tradeables": [
                {"item": HOSTILE, "type": "other", "cost": "low", "value": "high", "ask": HOSTILE}
            ],
            "facts": [{"figure": HOSTILE, "source": HOSTILE}],
            "expected_tactics": [{"tactic": "nibble", "note": HOSTILE}],
        }
    )


def test_html_escapes_all_user_text():
    plan = _hostile_plan()
    page = render(plan, {}, "html", "en")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    parser = _Collect()
    parser.feed(page)
    assert set(parser.tags) <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "h1",
        "h2",
        "p",
        "section",
        "ul",
        "li",
        "strong",
        "table",
        "tr",
        "th",
        "td",
    }
    assert HOSTILE in "".join(parser.text)  # shown literally
    assert "default-src 'none'" in page


def test_markdown_escapes_user_text():
    md = render(_hostile_plan(), {}, "md", "en")
    assert "<script>" not in md and "[link](http://x)" not in md and "*bold*" not in md
    assert "\\<script\\>" in md and "\\| cell" in md


def test_html_brief_content_matches_markdown():
    plan = sample()
    notes, _ = notes_for(plan)
    page = to_html(build(plan, notes, "en"))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "<h2>Concession plan (offer in this order)</h2>" in page
    assert "<td>Four facings for the 330ml cans</td>" in page
    assert "<li><strong>★ must:</strong> List the 330ml cans in all 45 stores</li>" in page
    assert '<html lang="zh-CN">' in to_html(build(plan, notes, "zh"))


def _lines(md: str) -> str:
    """The "lines to say" section of a Markdown brief."""
    heading = "## Lines to say" if "## Lines to say" in md else "## 会上要说的话"
    rest = md[md.index(heading) + len(heading) :]
    return rest.split("\n## ", 1)[0]


def _plan(facts=None, value=None):
    return validate(
        {
            "account": "Carrefour",
            "meeting": "annual",
            "objectives": [{"text": "Keep the 330ml cans listed"}],
            "alternatives": {"walk_away": "no rebate above 3%"},
            "tradeables": [
                {
                    "item": "Two DM pages",
                    "type": "promotion",
                    "cost": "low",
                    "value": "high",
                    "ask": "an end-cap",
                }
            ],
            **({"facts": facts} if facts is not None else {}),
            **({"value_delivered": value} if value is not None else {}),
            "expected_tactics": [{"tactic": "nibble"}, {"tactic": "delay-decision"}],
        }
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_lines_to_say_quote_only_the_plans_figures(lang, fmt):
    plan = _plan(
        facts=[{"figure": "Our sales +14% vs category +5%", "source": "their scan data, 13 weeks"}],
        value=["We funded 40 promoter days at their anniversary"],
    )
    notes, _ = notes_for(plan)
    page = render(plan, notes, fmt, lang)
    section = page[page.index("会上要说的话" if lang == "zh" else "Lines to say") :]
    if fmt == "html":
        section = html.unescape(re.sub(r"<[^>]+>", " ", section[: section.index("</section>")]))
    else:
        section = _lines(page)
    assert "+14%" in section and "+5%" in section and "40 promoter days" in section
    # Every number in the lines comes from the plan; the playbook's example figures (18%, 6%, ...) never.
    plan_text = "Our sales +14% vs category +5% their scan data, 13 weeks 40 promoter days"
    assert set(re.findall(r"\d+(?:\.\d+)?", section)) <= set(re.findall(r"\d+(?:\.\d+)?", plan_text))
    assert "18%" not in page and "grew 18" not in page
    assert not re.search(r"\b(?:tactic|principle)\.[a-z-]+", page)


@pytest.mark.parametrize(
    ("lang", "missing"),
    [
        ("en", "No facts in the plan yet: add figures with their source"),
        ("zh", "计划里还没有事实数据"),
    ],
)
def test_without_facts_the_brief_says_they_are_missing(lang, missing):
    plan = _plan()
    notes, _ = notes_for(plan)
    md = render(plan, notes, "md", lang)
    lines = _lines(md)
    assert missing in lines
    assert (
        "No value delivered in the plan yet" if lang == "en" else "计划里还没写我们为客户做过什么"
    ) in lines
    assert not re.search(r"\d", lines), lines  # no invented figure anywhere in the lines to say


def test_has_figures_spots_digits_number_words_and_chinese_numerals():
    for text in ("grew 18%", "two end-caps", "再加两个点", "三家新店", "half a point", "返利5个点"):
        assert has_figures(text), text
    for text in ("What can you add?", "可以看看，那您这边能加点什么？", "多一个促销员", "我们一起看看"):
        assert not has_figures(text), text
