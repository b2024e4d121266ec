"""The database schema: every migration in order, as plain SQL (and one data step), in one module.

``coach.store.db`` opens a database and applies the steps it lacks (``PRAGMA user_version`` holds the
number applied). Keeping them here, not in the modules that read and write each kind of record, means
opening a database imports no record module, no model and no playbook format: a verb that lists
concessions does not pay for the account plans' models. A step is never edited once released; a change
of schema is a new step at the end.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from coach.domain.accounts import (
    ATTITUDES,
    CONTACT_STATUSES,
    DECISION_ROLES,
    ITEM_KINDS,
    ITEM_STATUSES,
    KPI_DIRECTIONS,
    SIDES,
    TIERS,
)
from coach.domain.concessions import STAGES, STATUSES, TYPES


@dataclass(frozen=True)
class Migration:
    """One schema step: SQL script (or a function) that takes the database from ``version - 1``."""

    version: int
    name: str
    sql: str = ""
    apply: Callable[[sqlite3.Connection], None] | None = None


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(repr(v) for v in values)


def _append_only(table: str, hint: str) -> str:
    return f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN
    SELECT RAISE(ABORT, '{table} rows are kept as written: {hint}');
END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN
    SELECT RAISE(ABORT, '{table} rows are kept as written: {hint}');
END;
"""


APPEND_ONLY_TABLES = (
    "accounts",
    "account_versions",
    "account_merges",
    "contacts",
    "contact_versions",
    "relationships",
    "relationship_versions",
    "business_plans",
    "business_plan_versions",
    "plan_items",
    "plan_item_versions",
    "kpis",
    "kpi_versions",
    "kpi_reviews",
    "plan_reviews",
)
"""Every table of schema version 6; all refuse UPDATE and DELETE."""

_PERIOD = "(period GLOB '[0-9][0-9][0-9][0-9]' OR period GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]')"

ACCOUNTS_SCHEMA = f"""
-- accounts: one row per account, what never changes: its key (unique), the name as first written.
CREATE TABLE accounts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    key        TEXT NOT NULL UNIQUE CHECK (key <> ''),
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    author     TEXT
);
-- account_versions: the account's details; an edit adds a version (our people are contacts, side 'ours').
CREATE TABLE account_versions (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    version    INTEGER NOT NULL CHECK (version >= 1),
    tier       TEXT CHECK (tier IS NULL OR tier IN ({_in(TIERS)})),
    channel    TEXT,
    stores     INTEGER CHECK (stores IS NULL OR stores >= 0),
    notes      TEXT,
    saved_at   TEXT NOT NULL,
    author     TEXT,
    PRIMARY KEY (account_id, version)
);
-- account_merges: key from_key is now key into_key (a key is merged at most once; nothing is deleted).
CREATE TABLE account_merges (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    from_key  TEXT NOT NULL UNIQUE REFERENCES accounts(key),
    into_key  TEXT NOT NULL REFERENCES accounts(key),
    merged_at TEXT NOT NULL,
    author    TEXT,
    note      TEXT,
    CHECK (from_key <> into_key)
);
-- contacts: a person on the account, theirs or ours; name, role and the rest are in contact_versions.
CREATE TABLE contacts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    side       TEXT NOT NULL CHECK (side IN ({_in(SIDES)})),
    created_at TEXT NOT NULL,
    author     TEXT
);
CREATE INDEX contacts_account ON contacts (account_id, side);
-- contact_versions: a change of name, role, reporting line, attitude... is a new version.
CREATE TABLE contact_versions (
    contact_id    INTEGER NOT NULL REFERENCES contacts(id),
    version       INTEGER NOT NULL CHECK (version >= 1),
    name          TEXT NOT NULL CHECK (name <> ''),
    role          TEXT,
    reports_to    INTEGER REFERENCES contacts(id),
    decision_role TEXT CHECK (decision_role IS NULL OR decision_role IN ({_in(DECISION_ROLES)})),
    influence     INTEGER CHECK (influence IS NULL OR influence BETWEEN 1 AND 5),
    attitude      TEXT CHECK (attitude IS NULL OR attitude IN ({_in(ATTITUDES)})),
    last_contact  TEXT,
    plan          TEXT,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ({_in(CONTACT_STATUSES)})),
    note          TEXT,
    saved_at      TEXT NOT NULL,
    author        TEXT,
    PRIMARY KEY (contact_id, version),
    CHECK (reports_to IS NULL OR reports_to <> contact_id)
);
-- relationships: one of our people and one of theirs; level and target are in relationship_versions.
CREATE TABLE relationships (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    ours_id    INTEGER NOT NULL REFERENCES contacts(id),
    theirs_id  INTEGER NOT NULL REFERENCES contacts(id),
    created_at TEXT NOT NULL,
    author     TEXT,
    UNIQUE (ours_id, theirs_id)
);
CREATE INDEX relationships_account ON relationships (account_id);
-- relationship_versions: current level 0-5 (0: they no longer know each other) and target level 1-5.
CREATE TABLE relationship_versions (
    relationship_id INTEGER NOT NULL REFERENCES relationships(id),
    version         INTEGER NOT NULL CHECK (version >= 1),
    level           INTEGER NOT NULL CHECK (level BETWEEN 0 AND 5),
    target          INTEGER CHECK (target IS NULL OR target BETWEEN 1 AND 5),
    note            TEXT,
    saved_at        TEXT NOT NULL,
    author          TEXT,
    PRIMARY KEY (relationship_id, version)
);
-- business_plans: the annual customer business plan (ACBP) of one account for one year.
CREATE TABLE business_plans (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    created_at TEXT NOT NULL,
    author     TEXT,
    UNIQUE (account_id, year)
);
-- business_plan_versions: the plan's narrative steps (situation, results and trends, SWOT...) as JSON.
CREATE TABLE business_plan_versions (
    plan_id  INTEGER NOT NULL REFERENCES business_plans(id),
    version  INTEGER NOT NULL CHECK (version >= 1),
    body     TEXT NOT NULL DEFAULT '{{}}',
    note     TEXT,
    saved_at TEXT NOT NULL,
    author   TEXT,
    PRIMARY KEY (plan_id, version)
);
-- plan_items: an objective, strategy, action or investment of a plan (parent: e.g. an action's objective).
CREATE TABLE plan_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id    INTEGER NOT NULL REFERENCES business_plans(id),
    kind       TEXT NOT NULL CHECK (kind IN ({_in(ITEM_KINDS)})),
    parent_id  INTEGER REFERENCES plan_items(id),
    created_at TEXT NOT NULL,
    author     TEXT
);
CREATE INDEX plan_items_plan ON plan_items (plan_id, kind);
-- plan_item_versions: text, side (ours/theirs), owner, due date, measure, amount; an edit adds a version.
CREATE TABLE plan_item_versions (
    item_id  INTEGER NOT NULL REFERENCES plan_items(id),
    version  INTEGER NOT NULL CHECK (version >= 1),
    text     TEXT NOT NULL,
    side     TEXT CHECK (side IS NULL OR side IN ({_in(SIDES)})),
    owner    TEXT,
    due      TEXT,
    measure  TEXT,
    amount   REAL CHECK (amount IS NULL OR amount >= 0),
    unit     TEXT,
    status   TEXT NOT NULL DEFAULT 'open' CHECK (status IN ({_in(ITEM_STATUSES)})),
    note     TEXT,
    saved_at TEXT NOT NULL,
    author   TEXT,
    PRIMARY KEY (item_id, version)
);
-- kpis: a scorecard line of a plan; name, unit, baseline, target, source, owner are in kpi_versions.
CREATE TABLE kpis (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id    INTEGER NOT NULL REFERENCES business_plans(id),
    created_at TEXT NOT NULL,
    author     TEXT
);
CREATE INDEX kpis_plan ON kpis (plan_id);
-- kpi_versions: the KPI as defined; direction says whether higher (up) or lower (down) is better.
CREATE TABLE kpi_versions (
    kpi_id    INTEGER NOT NULL REFERENCES kpis(id),
    version   INTEGER NOT NULL CHECK (version >= 1),
    name      TEXT NOT NULL CHECK (name <> ''),
    unit      TEXT,
    baseline  REAL,
    target    REAL,
    direction TEXT NOT NULL DEFAULT 'up' CHECK (direction IN ({_in(KPI_DIRECTIONS)})),
    source    TEXT,
    owner     TEXT,
    status    TEXT NOT NULL DEFAULT 'open' CHECK (status IN ({_in(ITEM_STATUSES)})),
    note      TEXT,
    saved_at  TEXT NOT NULL,
    author    TEXT,
    PRIMARY KEY (kpi_id, version)
);
-- kpi_reviews: a KPI's actual for a period (2026-Q1 or 2026), with what was learned and what follows:
-- a correction is a new row whose supersedes names the row it replaces.
CREATE TABLE kpi_reviews (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kpi_id      INTEGER NOT NULL REFERENCES kpis(id),
    period      TEXT NOT NULL CHECK {_PERIOD},
    actual      REAL,
    note        TEXT,
    learned     TEXT,
    actions     TEXT,
    recorded_at TEXT NOT NULL,
    author      TEXT,
    supersedes  INTEGER UNIQUE REFERENCES kpi_reviews(id)
);
CREATE INDEX kpi_reviews_kpi ON kpi_reviews (kpi_id, period);
-- plan_reviews: the quarterly or annual business review of a plan as a whole (learned, actions, note);
-- corrected like kpi_reviews.
CREATE TABLE plan_reviews (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id     INTEGER NOT NULL REFERENCES business_plans(id),
    period      TEXT NOT NULL CHECK {_PERIOD},
    learned     TEXT,
    actions     TEXT,
    note        TEXT,
    recorded_at TEXT NOT NULL,
    author      TEXT,
    supersedes  INTEGER UNIQUE REFERENCES plan_reviews(id)
);
CREATE INDEX plan_reviews_plan ON plan_reviews (plan_id, period);
""" + "".join(
    _append_only(t, "add a new version instead" if t.endswith("_versions") else "add a new row instead")
    for t in APPEND_ONLY_TABLES
)


def _fold_account_keys(conn: sqlite3.Connection) -> None:
    """Schema 9 (see ``coach.store.accounts.fold_keys``)."""
    from coach.store.accounts import fold_keys  # deferred: only a database older than schema 9 needs it

    fold_keys(conn)


MIGRATIONS: list[Migration] = [
    # concessions
    Migration(
        version=1,
        name="concessions",
        sql=f"""
CREATE TABLE concessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uid         TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    account     TEXT NOT NULL,
    meeting     TEXT,
    type        TEXT NOT NULL CHECK (type IN ({", ".join(repr(t) for t in TYPES)})),
    give        TEXT NOT NULL,
    value       REAL CHECK (value IS NULL OR value >= 0),
    unit        TEXT,
    get         TEXT,
    get_value   REAL CHECK (get_value IS NULL OR get_value >= 0),
    get_unit    TEXT,
    asked_by    TEXT,
    tactic      TEXT,
    stage       TEXT NOT NULL CHECK (stage IN ({", ".join(repr(s) for s in STAGES)})),
    status      TEXT NOT NULL CHECK (status IN ({", ".join(repr(s) for s in STATUSES)})),
    practice    INTEGER NOT NULL DEFAULT 0 CHECK (practice IN (0, 1)),
    supersedes  INTEGER UNIQUE REFERENCES concessions(id),
    note        TEXT
);
CREATE INDEX concessions_account ON concessions (account COLLATE NOCASE, occurred_at);
CREATE INDEX concessions_meeting ON concessions (meeting COLLATE NOCASE, occurred_at);
CREATE INDEX concessions_time ON concessions (occurred_at);
CREATE TRIGGER concessions_no_update BEFORE UPDATE ON concessions
BEGIN
    SELECT RAISE(ABORT, 'concessions are append-only: add a correction instead');
END;
CREATE TRIGGER concessions_no_delete BEFORE DELETE ON concessions
BEGIN
    SELECT RAISE(ABORT, 'concessions are append-only: add a withdrawal instead');
END;
""",
    ),
    # walkthroughs
    Migration(
        version=2,
        name="walkthroughs",
        sql="""
        CREATE TABLE IF NOT EXISTS walkthroughs (
            id INTEGER PRIMARY KEY,
            rule_id TEXT NOT NULL,
            title TEXT NOT NULL,
            lang TEXT NOT NULL CHECK (lang IN ('en', 'zh')),
            label TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            saved_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS walkthrough_steps (
            walkthrough_id INTEGER NOT NULL REFERENCES walkthroughs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('step', 'say', 'avoid')),
            text TEXT NOT NULL,
            done INTEGER NOT NULL CHECK (done IN (0, 1)),
            notes TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (walkthrough_id, position)
        );
        CREATE INDEX IF NOT EXISTS walkthroughs_saved ON walkthroughs (saved_at);
        """,
    ),
    # sessions
    Migration(
        version=3,
        name="sessions",
        sql="""
CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id TEXT NOT NULL,
    scenario    TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('en', 'zh')),
    trainee     TEXT,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finished', 'left')),
    outcome     TEXT CHECK (outcome IS NULL OR outcome IN ('success', 'partial', 'fail')),
    ending      TEXT,
    scorecard   TEXT NOT NULL DEFAULT '[]',
    debrief     TEXT,
    started_at  TEXT NOT NULL,
    ended_at    TEXT
);
CREATE INDEX sessions_started ON sessions (started_at);
CREATE INDEX sessions_scenario ON sessions (scenario_id, started_at);
CREATE TABLE session_exchanges (
    session_id    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    exchange      TEXT NOT NULL,
    retried       INTEGER NOT NULL DEFAULT 0 CHECK (retried IN (0, 1)),
    concession_id INTEGER REFERENCES concessions(id),
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (session_id, position)
);
""",
    ),
    # plans
    Migration(
        version=4,
        name="plans",
        sql="""
CREATE TABLE plans (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    account      TEXT NOT NULL,
    meeting      TEXT NOT NULL,
    meeting_date TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    copied_from  INTEGER REFERENCES plans(id)
);
CREATE UNIQUE INDEX plans_account_meeting ON plans (account COLLATE NOCASE, meeting COLLATE NOCASE);
CREATE INDEX plans_meeting ON plans (meeting COLLATE NOCASE);
CREATE TABLE plan_versions (
    plan_id  INTEGER NOT NULL REFERENCES plans(id),
    version  INTEGER NOT NULL CHECK (version >= 1),
    saved_at TEXT NOT NULL,
    note     TEXT,
    body     TEXT NOT NULL,
    PRIMARY KEY (plan_id, version)
);
CREATE TRIGGER plan_versions_no_update BEFORE UPDATE ON plan_versions
BEGIN
    SELECT RAISE(ABORT, 'plan versions are kept as saved: save a new version instead');
END;
CREATE TRIGGER plan_versions_no_delete BEFORE DELETE ON plan_versions
BEGIN
    SELECT RAISE(ABORT, 'plan versions are kept as saved: save a new version instead');
END;
""",
    ),
    # training
    Migration(
        version=5,
        name="training",
        sql="""
CREATE TABLE training_profiles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    class      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX training_profiles_name ON training_profiles (name COLLATE NOCASE);
CREATE INDEX training_profiles_class ON training_profiles (class COLLATE NOCASE);
CREATE TABLE training_attempts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid        TEXT NOT NULL UNIQUE,
    profile_id  INTEGER NOT NULL REFERENCES training_profiles(id),
    run         TEXT NOT NULL,
    seq         INTEGER NOT NULL CHECK (seq >= 0),
    kind        TEXT NOT NULL CHECK (kind IN ('drill', 'quiz')),
    item        TEXT NOT NULL,
    area        TEXT NOT NULL,
    principles  TEXT NOT NULL DEFAULT '[]',
    lang        TEXT NOT NULL CHECK (lang IN ('en', 'zh')),
    score       INTEGER NOT NULL CHECK (score >= 0),
    max_score   INTEGER NOT NULL CHECK (max_score >= 1 AND score <= max_score),
    detail      TEXT NOT NULL DEFAULT '{}',
    answered_at TEXT NOT NULL
);
CREATE INDEX training_attempts_profile ON training_attempts (profile_id, answered_at, run, seq);
CREATE TRIGGER training_attempts_no_update BEFORE UPDATE ON training_attempts
BEGIN
    SELECT RAISE(ABORT, 'training answers are kept as given');
END;
CREATE TRIGGER training_attempts_no_delete BEFORE DELETE ON training_attempts
BEGIN
    SELECT RAISE(ABORT, 'training answers are kept as given');
END;
CREATE TABLE training_schedule (
    profile_id INTEGER NOT NULL REFERENCES training_profiles(id),
    item       TEXT NOT NULL,
    box        INTEGER NOT NULL CHECK (box BETWEEN 1 AND 5),
    due_at     TEXT NOT NULL,
    seen       INTEGER NOT NULL,
    right      INTEGER NOT NULL,
    last_at    TEXT NOT NULL,
    PRIMARY KEY (profile_id, item)
);
CREATE TABLE training_roleplay (
    uuid        TEXT PRIMARY KEY,
    profile_id  INTEGER NOT NULL REFERENCES training_profiles(id),
    scenario_id TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX training_roleplay_profile ON training_roleplay (profile_id, started_at);
""",
    ),
    # accounts
    Migration(version=6, name="accounts", sql=ACCOUNTS_SCHEMA),
    # business_plans
    Migration(
        version=7,
        name="business plan kpi kinds",
        sql="""
ALTER TABLE kpi_versions ADD COLUMN kind TEXT NOT NULL DEFAULT 'level' CHECK (kind IN ('level', 'total'));
""",
    ),
    # walkthroughs
    Migration(
        version=8,
        name="walkthrough situation",
        sql="ALTER TABLE walkthroughs ADD COLUMN situation TEXT NOT NULL DEFAULT '';",
    ),
    # accounts
    Migration(version=9, name="account keys folded to simplified", apply=_fold_account_keys),
    # concessions
    Migration(
        version=10,
        name="concession review index",
        # Every column the review's counts and sums read, in time order: `coach log review` scans this
        # index alone (already in the order it adds sizes up) instead of every row of the table.
        sql="""
CREATE INDEX concessions_review ON concessions (
    occurred_at, id, status, stage, tactic, value, unit, get_value, get_unit, account, meeting, practice, get
);
""",
    ),
]
"""Every schema step in order (versions 1, 2, 3... without gaps)."""
