"""Markdown text helpers: item text must read as written, whatever characters it holds."""

from __future__ import annotations

import re

_WHITESPACE = re.compile(r"\s+")
_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^ ?([#+\-=]|\d{1,9}(?=[.)](?:\s|$)))")


def escape_markdown(text: str) -> str:
    """Escape what Markdown would read as syntax, so the text renders as written.

    Inline markers (`*`, `_`, `[`, `]`, backticks, `|`, `<`, `>`, `~`, backslash) and
    `&` before an entity name are always escaped; `#`, `+`, `-`, `=` and `1.` only at
    the start, where they would open a block. Runs of whitespace, newlines
    included, become one space: an item's text is one paragraph.
    """
    text = _WHITESPACE.sub(" ", text)
    text = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", text))
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    # The escape goes after the digits of "1." and before any other marker.
    at = match.end() if match[1][0].isdigit() else match.start(1)
    return text[:at] + "\\" + text[at:]
