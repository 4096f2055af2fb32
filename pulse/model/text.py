"""Text comparison shared by search, suggestions and story grouping."""

from __future__ import annotations

import functools
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pulse.model.items import Item


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Compatibility-decomposed, accent-free, case-folded text: "Gebäude" and "GEBAUDE" fold alike."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def search_text(item: Item) -> str:
    """What `--search` looks in: title, summary, entities and tags, folded (pulse.reading.search indexes it)."""
    return fold(" ".join((item.title, item.summary or "", *item.entities, *item.tags)))


def search_words(text: str) -> tuple[str, ...]:
    """The words of a `--search` query, folded like the text they are looked for in."""
    return tuple(fold(text).split())
