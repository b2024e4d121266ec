"""Pydantic models of the playbook and vocabulary files (``coach schema`` prints their JSON Schema)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from coach.content.regex_safety import check as _safe_regex


def _regex(value: str, info: ValidationInfo) -> str:
    """``regex_safety.check``, except for data read back from the playbook cache (checked when it was built)."""
    if info.context and info.context.get("trusted"):
        return value
    return _safe_regex(value)


NonEmpty = Annotated[str, Field(min_length=1, max_length=2000)]
Regex = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_regex)]
"""A Python regular expression that compiles and cannot backtrack catastrophically (``regex_safety``)."""
RULE_ID = r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$"


class Strict(BaseModel):
    """Base of every content model: unknown keys are errors, values are immutable after load."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Category(str, Enum):
    """The chapters of the course a rule belongs to (the trade's everyday fights, ethics and the year-round
    key-account work came with the taxonomy's second edition)."""

    difficult = "difficult"
    complaint = "complaint"
    tactic = "tactic"
    principle = "principle"
    trade = "trade"
    ethics = "ethics"
    account = "account"


CATEGORY_ORDER = {c.value: i for i, c in enumerate(Category)}


class Department(str, Enum):
    """Internal departments a KAM brings in to fix a problem ("if it needs finance, go to finance")."""

    finance = "finance"
    logistics = "logistics"
    quality = "quality"
    marketing = "marketing"
    management = "management"


class Text(Strict):
    """A piece of text in both languages."""

    en: NonEmpty = Field(description="English text.")
    zh: NonEmpty = Field(description="Chinese text, written as a Chinese account manager would say it.")


class Keyword(Strict):
    """A word or short phrase that signals the rule, with how strongly it does."""

    term: NonEmpty = Field(description="Word or phrase, English or Chinese; trade synonyms are mapped first.")
    weight: float = Field(1.0, gt=0, le=10, description="Strength of the signal (1 = normal, 3 = decisive).")


class Pattern(Strict):
    """A regular expression matched against the normalised text (lower case, half-width)."""

    regex: Regex = Field(description="Python regular expression, without nested repetition.")
    weight: float = Field(1.0, gt=0, le=10, description="Strength of the signal.")


class Phrases(Strict):
    """Typical ways a KAM describes the situation, per language."""

    en: list[NonEmpty] = Field(default_factory=list, description="English descriptions.")
    zh: list[NonEmpty] = Field(default_factory=list, description="Chinese descriptions.")


class Match(Strict):
    """How the engine recognises the situation in free text."""

    phrases: Phrases = Field(default_factory=Phrases, description="Descriptions compared by similarity.")
    keywords: list[Keyword] = Field(default_factory=list, description="Weighted signal words.")
    patterns: list[Pattern] = Field(default_factory=list, description="Optional regular expressions.")
    require_any: list[NonEmpty] = Field(
        default_factory=list,
        description="If given, at least one of these terms must appear for the rule to match.",
    )
    exclude: list[NonEmpty] = Field(
        default_factory=list, description="If any of these terms appears, the rule does not match."
    )

    @model_validator(mode="after")
    def _has_signal(self) -> Match:
        if not (self.phrases.en or self.phrases.zh or self.keywords or self.patterns):
            raise ValueError("a rule needs at least one phrase, keyword or pattern to be matched")
        return self


class Response(Strict):
    """What to do about the situation."""

    steps: list[Text] = Field(min_length=1, description="Ordered steps to take.")
    say: list[Text] = Field(default_factory=list, description="Example lines to say to the customer.")
    avoid: list[Text] = Field(default_factory=list, description="What never to do.")
    principles: list[NonEmpty] = Field(default_factory=list, description="Ids of linked principle rules.")
    departments: list[Department] = Field(
        default_factory=list, description="Internal departments to involve."
    )
    see_also: list[NonEmpty] = Field(default_factory=list, description="Ids of related rules.")


class Rule(Strict):
    """One playbook entry: a situation, how to recognise it and how to respond."""

    id: str = Field(
        pattern=RULE_ID, description="Stable id such as tactic.nibble; never rename a shipped id."
    )
    category: Category = Field(description="Chapter of the course.")
    title: Text
    summary: Text
    priority: int = Field(0, ge=-100, le=100, description="Breaks exact score ties: higher wins.")
    match: Match
    response: Response
    examples: list[NonEmpty] = Field(
        default_factory=list, description="Texts that must rank this rule first."
    )
    counter_examples: list[NonEmpty] = Field(
        default_factory=list, description="Texts that must not rank it first."
    )

    @model_validator(mode="after")
    def _category_prefix(self) -> Rule:
        if not self.id.startswith(self.category.value + "."):
            raise ValueError(f"id {self.id!r} must start with its category {self.category.value!r}")
        return self


class PlaybookFile(Strict):
    """A playbook file: a list of rules."""

    rules: list[Rule] = Field(min_length=1, description="The rules in this file.")


class Concept(Strict):
    """A trade term and its synonyms in both languages, mapped to one token before matching."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="Canonical name, e.g. listing-fee.")
    terms: list[NonEmpty] = Field(min_length=1, description="Every way of saying it, English and Chinese.")


class VocabularyFile(Strict):
    """A vocabulary file: trade synonyms (trainers can add their own)."""

    concepts: list[Concept] = Field(min_length=1, description="The concepts in this file.")


class OutOfScope(Phrases):
    """Texts that are not customer situations: example phrases per language and request patterns."""

    patterns: list[Regex] = Field(
        default_factory=list,
        description="Regexes over the lower-cased text (punctuation kept) that mark a task, trivia or chore.",
    )


class OutOfScopeFile(Strict):
    """Requests that are not customer situations: when they fit best, the engine gives no advice."""

    out_of_scope: OutOfScope = Field(description="Everyday questions, office chores, trivia.")


class Scope(str, Enum):
    """Where a reply signal is looked for and adds up."""

    reply = "reply"
    sentence = "sentence"


class Signal(Strict):
    """A word, phrase or regular expression that counts for (or, with a negative weight, against) a behaviour."""

    term: str | None = Field(
        None, min_length=1, max_length=2000, description="Word or phrase (English or Chinese)."
    )
    regex: Regex | None = Field(
        None, description="Python regex over the lower-cased reply, punctuation kept."
    )
    weight: float = Field(
        1.0, ge=-10, le=10, description="What it adds to the behaviour's score (negative: evidence against)."
    )
    scope: Scope | None = Field(
        None,
        description="Where it is looked for: within one sentence, or anywhere in the reply "
        "(default: the behaviour's scope).",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Signal:
        if (self.term is None) == (self.regex is None):
            raise ValueError("give exactly one of `term` or `regex`")
        if self.weight == 0:
            raise ValueError("weight 0 does nothing; remove the signal")
        return self


class Move(str, Enum):
    """Negotiation moves read from a reply's structure with the buyer's last line (``coach.engine.moves``)."""

    trade = "trade"
    """A concession with something concrete asked of the buyer in return."""
    over_limit = "over-limit"
    """A concession whose total on one item goes past the limit in force."""
    agrees_to_ask = "agrees-to-ask"
    """A yes to what the buyer just asked for ("同意。" to "那就两个点？")."""
    offers_amount = "offers-amount"
    """A figure on a trade term offered by our side (a concession, even under the limit)."""
    giveaway = "giveaway"
    """A concession in disguise ("they're included", "先扣着", "我去申请，应该没问题")."""
    vague_concession = "vague-concession"
    """A concession whose only "if" asks nothing real of the buyer ("if you're happy")."""
    blame = "blame"
    """Blame on the buyer's side, in polite or Chinese forms ("your AP team keyed it in wrong")."""
    dismissal = "dismissal"
    """Brushing the problem off ("calm down, these things happen", "别激动")."""
    disown = "disown"
    """Passing the problem on instead of owning it ("not my department, call finance", "这个不归我管")."""
    echo = "echo"
    """Every figure in the reply only repeats the buyer's own figures."""
    softened_refusal = "softened-refusal"
    """"Sorry" that only softens a refusal."""
    repeat_request = "repeat-request"
    """Asking the buyer to say it again (not a question about their needs)."""


class Detect(Strict):
    """How a behaviour is recognised in a reply: signals add up; the behaviour is present at ``threshold``;
    moves read from the reply's structure can make it present or rule it out."""

    signals: list[Signal] = Field(default_factory=list, description="Words and patterns with their weights.")
    moves: list[Move] = Field(
        default_factory=list, description="Moves that make the behaviour present whatever the signals say."
    )
    unless: list[Move] = Field(
        default_factory=list, description="Moves that rule the behaviour out whatever the signals say."
    )
    threshold: float = Field(1.0, gt=0, le=50, description="Score at which the behaviour counts as present.")
    scope: Scope = Field(
        Scope.reply,
        description="reply: signals add up over the whole reply; sentence: they add up within one sentence and the best "
        "sentence counts (signals scoped to the reply count in every sentence).",
    )

    @model_validator(mode="after")
    def _something(self) -> Detect:
        if not self.signals and not self.moves:
            raise ValueError("give at least one signal or one move")
        return self


class Behaviour(Strict):
    """A behaviour in an account manager's reply (role-play feedback), good or bad."""

    id: str = Field(pattern=r"^reply\.[a-z0-9][a-z0-9-]*$", description="Stable id such as reply.argues.")
    good: bool = Field(description="Whether a trainer wants to see it.")
    title: Text
    why: Text = Field(description="What the behaviour does to the negotiation, in one or two sentences.")
    principles: list[NonEmpty] = Field(
        default_factory=list, description="Ids of the principle rules behind it."
    )
    better: list[Text] = Field(
        default_factory=list, description="Better lines to say instead (for bad behaviours)."
    )
    detect: Detect
    suppresses: list[NonEmpty] = Field(
        default_factory=list, description="Behaviours that do not count when this one is present."
    )
    examples: list[NonEmpty] = Field(default_factory=list, description="Replies that must show it.")
    counter_examples: list[NonEmpty] = Field(default_factory=list, description="Replies that must not.")

    @model_validator(mode="after")
    def _bad_has_better(self) -> Behaviour:
        if not self.good and not self.better:
            raise ValueError("a bad behaviour needs at least one `better` line to suggest")
        return self


class BehaviourFile(Strict):
    """A reply-behaviour file: a list of behaviours."""

    behaviours: list[Behaviour] = Field(min_length=1, description="The behaviours in this file.")
