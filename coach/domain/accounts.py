"""The vocabulary of key accounts: tiers, the sides of a relationship map, a contact's decision role and
attitude, the rows of an annual customer business plan. Plain tuples, shared by the store (its schema's
checks, its reads and writes) and the faces."""

from __future__ import annotations

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
