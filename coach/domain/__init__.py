"""Vocabulary and value types shared by content and store: the concession vocabulary and its parsers, and
the one "did you mean" policy. Imports nothing above it (see docs/architecture.md)."""
