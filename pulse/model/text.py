"""Text comparison shared by search, suggestions and story grouping; slugs for ids and file names."""

from __future__ import annotations

import functools
import re
import unicodedata


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Compatibility-decomposed, accent-free, case-folded text: "Gebäude" and "GEBAUDE" fold alike."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text).casefold()
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def slugify(title: str, fallback: str = "item") -> str:
    """A readable id or file name from a title: "Together AI eyes $1B" -> "together-ai-eyes-1b"."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug or fallback
