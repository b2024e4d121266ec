"""The terminal UI (Textual). Only ``coach`` with no verb imports this package."""
