"""The model: the one definition of items, money and themes (no I/O)."""

from pulse.model.items import Digest, Item, MarkdownText, Note, SectionText, Source, safe_url
from pulse.model.money import Money
from pulse.model.themes import Theme, ThemeRegistry

__all__ = [
    "Digest",
    "Item",
    "MarkdownText",
    "Money",
    "Note",
    "SectionText",
    "Source",
    "Theme",
    "ThemeRegistry",
    "safe_url",
]
