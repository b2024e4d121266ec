"""The `coach assess` contract, run as a real subprocess."""

from __future__ import annotations

import json

from tests.test_cli_match import coach


def test_json_shape():
    out = coach(
        "assess",
        "--json",
        "I'm really sorry about the late delivery. I'll call you by 3pm today with the new schedule.",
    )
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert set(obj) == {"reply", "behaviours", "concessions"}
    ids = {b["id"] for b in obj["behaviours"]}
    assert {"reply.apologizes", "reply.commits-follow-up"} <= ids
    for b in obj["behaviours"]:
        assert isinstance(b["good"], bool) and b["why"] and all(isinstance(w, str) for w in b["why"])


def test_json_nothing_found():
    out = coach("assess", "--json", "ok")
    assert json.loads(out.stdout) == {"reply": "ok", "behaviours": [], "concessions": []}


def test_jsonl_in_order():
    replies = [
        "ok",
        "如果你们把端架给我们，我们可以多给1%的返利。",
        "",
        "[bold]sorry about the late delivery[/bold]",
    ]
    out = coach("assess", "--jsonl", stdin="\n".join(replies) + "\n")
    assert out.returncode == 0, out.stderr
    answers = [json.loads(line) for line in out.stdout.splitlines()]
    assert [a["reply"] for a in answers] == replies
    assert "reply.conditional-concession" in {b["id"] for b in answers[1]["behaviours"]}


def test_readable_feedback_gives_a_better_line_for_bad_behaviour():
    out = coach("assess", "--context", "再给两个点，不然这个促销就别做了", "好吧，那我们再给你两个点")
    assert out.returncode == 0, out.stderr
    assert "✗" in out.stdout and "更好的说法" in out.stdout


def test_no_reply_is_a_usage_error():
    out = coach("assess")
    assert out.returncode == 2 and "no text given" in out.stderr
