"""Key accounts over the year: accounts, their people on both sides, who knows whom, and the annual
customer business plan with its scorecard and reviews (issue 13).

Schema version 6 holds every table of the issue. Nothing is ever changed or deleted (triggers refuse
it). Each record has a small identity row (what never changes: which account, which side) and numbered
version rows; an edit adds a version, and the current view is the latest version of each record, so a
contact who changes role keeps their history. A review is corrected the way the concession log is: a
new row whose ``supersedes`` names the row it replaces.

Account names are matched by their key (``account_key``: Unicode NFKC, casefold, whitespace collapsed),
so "Carrefour", "carrefour " and "CARREFOUR" are one account. A merge of two real duplicates is a row
saying key X is now key Y; the merged account and its records stay, reads follow the merge.
"""

from __future__ import annotations

import unicodedata

from coach.store.db import Migration, register

TIERS = ("global", "international", "national", "local", "strategic")
"""The course's five key-account tiers (playbooks/accounts.yaml, rule account.tiers)."""

SIDES = ("theirs", "ours")
"""A contact is one of the customer's people (theirs) or one of ours."""

DECISION_ROLES = ("decision-maker", "influencer", "user", "gatekeeper")
"""What a customer contact does in a decision."""

ATTITUDES = ("opponent", "skeptic", "neutral", "supporter", "champion")
"""A customer contact's attitude toward us, from opponent to champion."""

CONTACT_STATUSES = ("active", "left")
"""``left``: no longer in the account (kept, with their history, but out of the map)."""

ITEM_KINDS = ("objective", "strategy", "action", "investment")
"""Rows of an annual customer business plan."""

ITEM_STATUSES = ("open", "done", "dropped")
"""Where a plan row stands; ``dropped`` takes it out of the plan without losing it."""

KPI_DIRECTIONS = ("up", "down")
"""Whether a KPI is better higher (sales, share) or lower (out-of-stock rate, payment days)."""


def account_key(name: str) -> str:
    """The key an account name is matched by: NFKC, casefold, runs of whitespace collapsed to one space."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


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

SCHEMA = f"""
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

register(Migration(version=6, name="accounts", sql=SCHEMA))
