"""Markdown text helpers: item text must read as written, whatever characters it holds."""

from __future__ import annotations

import re

_WHITESPACE = re.compile(r"\s+")
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^ ?([#+\-=]|\d{1,9}(?=[.)](?:\s|$)))")
SPACES_BUT_SPACE = "\t\n\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
"""Every character str.isspace() (and so the regular expression \\s) knows, but the space, as a character-class body
(a test holds it true on the Python that runs it)."""
# What escape_markdown changes, bar a run of spaces: an inline marker, '&', whitespace other than a space (one
# character class: several times faster to search for than an alternation).
_TO_ESCAPE = re.compile(f"[\\\\`*_\\[\\]<>|~&{SPACES_BUT_SPACE}]")


def escape_markdown(text: str) -> str:
    """Escape what Markdown would read as syntax, so the text renders as written.

    Inline markers (`*`, `_`, `[`, `]`, backticks, `|`, `<`, `>`, `~`, backslash) and
    `&` before an entity name are always escaped; `#`, `+`, `-`, `=` and `1.` only at
    the start, where they would open a block. Runs of whitespace, newlines
    included, become one space: an item's text is one paragraph.
    """
    if _TO_ESCAPE.search(text) is None and "  " not in text and _BLOCK_START.match(text) is None:
        return text  # most text holds nothing to escape
    text = _WHITESPACE.sub(" ", text)
    text = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    # The escape goes after the digits of "1." and before any other marker.
    at = match.end() if match[1][0].isdigit() else match.start(1)
    return text[:at] + "\\" + text[at:]
