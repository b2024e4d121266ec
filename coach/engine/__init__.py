"""The matching engine: pure functions over loaded playbooks (no I/O, no network)."""

from coach.engine.index import Index, build_index
from coach.engine.match import MatchResult, RuleMatch, rank

__all__ = ["Index", "build_index", "rank", "MatchResult", "RuleMatch"]
