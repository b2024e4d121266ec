"""coach: a terminal coaching assistant for key account managers."""

__version__ = "0.1.0"
