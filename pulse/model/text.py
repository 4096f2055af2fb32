"""Text comparison shared by search, suggestions and story grouping."""

from __future__ import annotations

import functools
import unicodedata


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Compatibility-decomposed, accent-free, case-folded text: "Gebäude" and "GEBAUDE" fold alike."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in folded if not unicodedata.combining(ch))
