"""Key-binding labels in the current language (bindings carry ids; their labels come from ``i18n``)."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from coach.i18n import EN, tr


def label_key(binding: Binding) -> str | None:
    """The ``i18n`` key of a binding's label, if it has one."""
    if binding.id and f"bind.{binding.id}" in EN:
        return f"bind.{binding.id}"
    return None


def localize(node: DOMNode, lang: str) -> None:
    """Relabel the node's bindings that have ids; Textual keeps a per-node copy, so this touches no class."""
    # Textual has no public API to change a binding's description, so the node's own map is rewritten.
    bindings_map = node._bindings
    for key, bindings in list(bindings_map.key_to_bindings.items()):
        relabelled = []
        for binding in bindings:
            lk = label_key(binding)
            relabelled.append(replace(binding, description=tr(lang, lk)) if lk else binding)
        bindings_map.key_to_bindings[key] = relabelled
