"""Text: fold() for search, suggestions and stories; the id rule and slugs for ids and file names; invisible
characters."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pulse.model.items import Item

# Latin letters that carry their stroke in the letter itself, so that NFKD leaves them whole.
_UNDECOMPOSED = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Compatibility-decomposed, accent-free, case-folded text: "Gebäude" and "GEBAUDE", "Ørsted" and "orsted" alike."""
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_UNDECOMPOSED)
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


# Invisible characters that change how text displays without showing themselves: the bidi
# controls (Unicode's Bidi_Control property: "Safe \u202eexe.gnp" shows as "Safe png.exe"),
# zero-width space, word joiner and invisible operators, and a byte order mark inside text.
# Zero-width (non-)joiners stay allowed: scripts and emoji sequences need them.
INVISIBLE = re.compile("[\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

ID_RULE = "letters, digits, '-', '_' and '.', starting with a letter or digit"


def invisible_character(text: str) -> str | None:
    """ "the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) at character 6", or None when there is none."""
    found = INVISIBLE.search(text)
    if found is None:
        return None
    char = found.group()
    name = unicodedata.name(char, "unnamed")
    return f"the invisible character U+{ord(char):04X} ({name}) at character {found.start() + 1}"


_ASCII_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
"""The usual good id, recognised without looking at each character's Unicode category."""


def id_problem(item_id: str) -> str | None:
    """What breaks the id rule (NFC; letters, digits, '-', '_', '.'), with the fix; None for a good id."""
    if _ASCII_ID.match(item_id):
        return None
    composed = unicodedata.normalize("NFC", item_id)
    if composed != item_id:
        at = next(i for i, (a, b) in enumerate(zip(item_id, composed, strict=False)) if a != b)
        return (
            f"id '{item_id}' has a decomposed letter at character {at + 1} (Unicode NFD); "
            f"write it composed (NFC), as U+{ord(composed[at]):04X} '{composed[at]}'"
        )
    for index, char in enumerate(item_id):
        category = unicodedata.category(char)
        ok = category[0] in "LN" or (category[0] == "M" and index > 0) or (char in "-_." and index > 0)
        if not ok:
            shown = char if char.isprintable() else f"U+{ord(char):04X}"
            example = slugify(item_id)
            return f"id '{item_id}' holds '{shown}' at character {index + 1}; ids are {ID_RULE} (e.g. '{example}')"
    return None


def id_key(item_id: str) -> str:
    """The form two ids are compared in: NFC, case-folded (ids are unique whatever their case)."""
    return unicodedata.normalize("NFC", item_id).casefold()


def slugify(title: str, fallback: str = "item", limit: int = 60) -> str:
    """A readable ASCII id from a title: "Ørsted wins $1B" -> "orsted-wins-1b".

    Letters are transliterated by anyascii (Ø -> O, ß -> ss, Київ -> Kiiv), currency signs dropped.
    """
    from anyascii import anyascii  # only when a slug is made

    kept = "".join(char for char in title if unicodedata.category(char) != "Sc")
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(kept).lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or fallback


def search_text(item: Item) -> str:
    """What `--search` looks in: title, summary, entities and tags, folded (pulse.reading.search indexes it)."""
    return fold(" ".join((item.title, item.summary or "", *item.entities, *item.tags)))


def search_words(text: str) -> tuple[str, ...]:
    """The words of a `--search` query, folded like the text they are looked for in."""
    return tuple(fold(text).split())
