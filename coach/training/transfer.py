"""The class export file (JSON): its model, and reading one with a located one-line error for any problem.

Shape: ``{"format": "coach-training", "version": 1, "class", "exported_at", "profiles": [...],
"attempts": [...], "roleplays": [...]}``. Every record carries a uuid; attempts and role-plays name their
profile by uuid. Nothing is written until the whole file has been read and checked.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from coach.errors import CoachError
from coach.files import read_bytes
from coach.training.schedule import parse_time

MAX_BYTES = 200_000_000
"""Larger files are refused before reading (a class of a few dozen trainees is a few megabytes)."""

Name = Annotated[str, Field(min_length=1, max_length=80)]
Short = Annotated[str, Field(min_length=1, max_length=300)]


def _uuid(value: str) -> str:
    try:
        return str(uuidlib.UUID(value))
    except (ValueError, AttributeError, TypeError):
        raise ValueError(f"not a uuid: {value!r}") from None


def _time(value: str) -> str:
    try:
        parse_time(value)
    except (ValueError, TypeError):
        raise ValueError(f"not an ISO 8601 time: {value!r}") from None
    return value


def _plain(value: str) -> str:
    if any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        raise ValueError("must be plain text on one line (no control characters)")
    return " ".join(value.split())


class _Rec(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ProfileRec(_Rec):
    """A trainee."""

    uuid: str
    name: Name
    klass: Name = Field(alias="class")
    created_at: str

    @field_validator("uuid")
    @classmethod
    def check_uuid(cls, value: str) -> str:
        return _uuid(value)

    @field_validator("created_at")
    @classmethod
    def check_time(cls, value: str) -> str:
        return _time(value)

    @field_validator("name", "klass")
    @classmethod
    def check_name(cls, value: str) -> str:
        return _plain(value)


class AttemptRec(_Rec):
    """One drill or quiz answer."""

    uuid: str
    profile: str
    run: Short
    seq: int = Field(ge=0, le=1_000_000)
    kind: Literal["drill", "quiz"]
    item: Short
    area: Short
    principles: list[Short] = Field(max_length=50)
    lang: Literal["en", "zh"]
    score: int = Field(ge=0, le=100)
    max_score: int = Field(ge=1, le=100)
    detail: dict[str, Any] = Field(default_factory=dict)
    answered_at: str

    @field_validator("uuid", "profile")
    @classmethod
    def check_uuid(cls, value: str) -> str:
        return _uuid(value)

    @field_validator("answered_at")
    @classmethod
    def check_time(cls, value: str) -> str:
        return _time(value)

    @model_validator(mode="after")
    def _score_within(self) -> AttemptRec:
        if self.score > self.max_score:
            raise ValueError(f"score {self.score} is more than max_score {self.max_score}")
        return self


class BehaviourRec(_Rec):
    """A behaviour found in a role-play reply that stands."""

    id: Short
    good: bool
    title: dict[str, str] = Field(default_factory=dict)
    situation: str = Field("", max_length=300)
    situation_title: dict[str, str] = Field(default_factory=dict)
    principles: list[Short] = Field(default_factory=list, max_length=50)


class RoleplayRec(_Rec):
    """What training keeps of a role-play session."""

    uuid: str
    profile: str
    scenario: Short
    title: dict[str, str]
    lang: Literal["en", "zh"]
    status: Literal["open", "finished", "left"]
    outcome: Literal["success", "partial", "fail"] | None = None
    started_at: str
    ended_at: str | None = None
    replies: int = Field(ge=0, le=100_000)
    scorecard: dict[str, int] = Field(default_factory=dict)
    behaviours: list[BehaviourRec] = Field(default_factory=list, max_length=100_000)

    @field_validator("uuid", "profile")
    @classmethod
    def check_uuid(cls, value: str) -> str:
        return _uuid(value)

    @field_validator("started_at")
    @classmethod
    def check_time(cls, value: str) -> str:
        return _time(value)


class ExportFile(_Rec):
    """A class's results from one machine."""

    format: Literal["coach-training"]
    version: Literal[1]
    klass: Name = Field(alias="class")
    exported_at: str
    profiles: list[ProfileRec]
    attempts: list[AttemptRec] = Field(default_factory=list)
    roleplays: list[RoleplayRec] = Field(default_factory=list)

    @field_validator("klass")
    @classmethod
    def check_name(cls, value: str) -> str:
        return _plain(value)

    @field_validator("exported_at")
    @classmethod
    def check_time(cls, value: str) -> str:
        return _time(value)

    @model_validator(mode="after")
    def _consistent(self) -> ExportFile:
        known = set()
        for i, p in enumerate(self.profiles):
            if p.klass.lower() != self.klass.lower():
                raise ValueError(f"profiles[{i}].class: {p.klass!r} is not the file's class {self.klass!r}")
            if p.uuid in known:
                raise ValueError(f"profiles[{i}].uuid: {p.uuid} appears twice")
            known.add(p.uuid)
        names = [p.name.lower() for p in self.profiles]
        for i, name in enumerate(names):
            if names.index(name) != i:
                raise ValueError(f"profiles[{i}].name: {self.profiles[i].name!r} appears twice")
        for what, recs in (("attempts", self.attempts), ("roleplays", self.roleplays)):
            seen: set[str] = set()
            for i, r in enumerate(recs):
                if r.profile not in known:
                    raise ValueError(f"{what}[{i}].profile: no profile with uuid {r.profile} in the file")
                if r.uuid in seen:
                    raise ValueError(f"{what}[{i}].uuid: {r.uuid} appears twice")
                seen.add(r.uuid)
        return self


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            part = "class" if part == "klass" else part
            out += f".{part}" if out else str(part)
    return out


def parse(text: str, source: str) -> dict[str, Any]:
    """Check an export file's text; returns the records as plain dicts (``class`` key for the class)."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CoachError(
            f"{source}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); nothing was written"
        ) from None
    except RecursionError:  # thousands of nested brackets; an export is a few levels deep
        raise CoachError(f"{source}: nested too deeply for a class export; nothing was written") from None
    if not isinstance(raw, dict):
        raise CoachError(f"{source}: expected a JSON object from `coach train export`; nothing was written")
    try:
        model = ExportFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        msg = err["msg"].removeprefix("Value error, ")
        where = _loc(tuple(err["loc"]))
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required field is missing"
        more = len(exc.errors()) - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        prefix = f"{source}: {where}: " if where else f"{source}: "
        raise CoachError(f"{prefix}{msg}{tail}; nothing was written") from None
    return model.model_dump(by_alias=True)


def read(path: Path) -> dict[str, Any]:
    """Read and check an export file; every problem is a one-line ``CoachError``."""

    raw = read_bytes(path, MAX_BYTES)  # kind and size checked before reading: a FIFO is never read
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CoachError(
            f"{path}: not UTF-8 text (is it an export from `coach train export`?); nothing was written"
        ) from None
    return parse(text, str(path))
