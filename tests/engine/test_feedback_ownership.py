"""Practice feedback on who owns a problem: passing it to another department ("not my department, call
finance yourself", "这个不归我管") is flagged as arguing, with a reason that says so; handing it to a
colleague with a name and a time ("I've asked our logistics manager to call you by 3 pm") is a concrete
next step, never arguing. The replies are this file's own, written for it."""

from __future__ import annotations

import pytest

from coach.content import compiled
from coach.engine.assess import assess, move_reason


@pytest.fixture(scope="module")
def index():
    return compiled.load().behaviour_index


def _ids(index, reply: str, context: str = "") -> dict[str, list[str]]:
    return {d.id: d.why for d in assess(index, reply, context).behaviours}


PASSING_ON = [
    "Not my department, you'd have to call logistics yourself.",
    "Honestly that's nothing to do with me, finance handles the invoices.",
    "It's out of my hands, the warehouse decides the delivery slots.",
    "Don't look at me, it was the transport company that lost the pallets.",
    "You'll need to take that up with our credit team directly.",
    "这事跟我没关系，是财务那边算错的。",
    "这个不归我管，你去找物流吧。",
    "我也管不了，仓库那边就这样。",
    "发票的事您直接找我们财务，我只负责下单。",
]


@pytest.mark.parametrize("reply", PASSING_ON)
def test_passing_the_problem_on_is_flagged_with_its_reason(index, reply):
    found = _ids(index, reply, "Your delivery was two days late and the invoice is wrong again.")
    assert "reply.argues" in found, found
    assert "reply.commits-follow-up" not in found
    lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in reply) else "en"
    assert "move: disown" in found["reply.argues"], found
    assert move_reason("disown", lang) != move_reason("blame", lang)


HANDED_ON = [
    "I'm sorry the delivery was late. I've asked our logistics manager to call you by 3 pm with the new slot.",
    "I'll get finance to send you the corrected invoice by Friday.",
    "I'll have our merchandiser fix the shelf tomorrow morning.",
    "I've booked the truck for 7 am Monday.",
    "这是我们的失误，我今天就让物流重新安排送货，下午四点前给您确认。",
    "我已经让财务今天下班前把红字发票开给您。",
]


@pytest.mark.parametrize("reply", HANDED_ON)
def test_handing_it_to_a_colleague_with_a_time_is_a_next_step_not_an_argument(index, reply):
    found = _ids(index, reply, "Your delivery was two days late and the invoice is wrong again.")
    assert "reply.commits-follow-up" in found, found
    assert "reply.argues" not in found


@pytest.mark.parametrize(
    "reply",
    [
        "That decision is not mine to make, I'll ask my director and call you tomorrow.",
        "Not my department, but I'll get logistics to call you by 3 pm.",
        "跟我没关系，不过我马上帮您问物流，下午给您回电话。",
    ],
)
def test_saying_whose_it_is_and_taking_the_next_step_is_owning_it(index, reply):
    assert "reply.argues" not in _ids(index, reply, "The invoice is wrong again.")


@pytest.mark.parametrize(
    "reply",
    ["I've asked around and nobody knows.", "I'll get back to you.", "我回去跟团队商量一下。"],
)
def test_vague_answers_are_no_next_step(index, reply):
    assert "reply.commits-follow-up" not in _ids(index, reply)
