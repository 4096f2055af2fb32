"""The typed, immutable objects pulse works on; no I/O happens here."""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit

from pulse.model.money import Money

__all__ = ["Digest", "Item", "MarkdownText", "Money", "Note", "SectionText", "Source"]


LINK_SCHEMES = ("http", "https", "mailto")


def safe_url(value: str | None) -> str | None:
    """The URL when its scheme is http, https or mailto; None for anything else (javascript:, data:, ...)."""
    if not value:
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value if scheme in LINK_SCHEMES else None


class MarkdownText(str):
    """Text the editor wrote in Markdown (a digest's intro, headings, notes): output as written.

    Any other text, above all an item's, is data: renderers escape it.
    """

    __slots__ = ()


class Source(NamedTuple):
    """Where an item comes from: a URL, a title, or both."""

    url: str | None = None
    title: str | None = None

    @property
    def label(self) -> str:
        """What to show for the source."""
        return self.title or self.url or ""

    @property
    def link(self) -> str | None:
        """The URL if it may be linked (http, https or mailto), else None."""
        return safe_url(self.url)


ITEM_FIELD_NAMES = (
    "id", "title", "summary", "date", "themes", "entities", "amount", "valuation", "round", "region",
    "sector", "label", "importance", "sources", "tags", "pin", "boost", "prose",
)  # fmt: skip
"""The keys of an item in a file, in their documented order."""

_POSITION = struct.Struct("<BII")  # field index, line, column
_FIELD_INDEX = {name: index for index, name in enumerate(ITEM_FIELD_NAMES)}


def pack_positions(positions: Mapping[str, tuple[int, int]]) -> bytes:
    """Field positions in 9 bytes each: a compact, immutable record of where every field is written."""
    return b"".join(_POSITION.pack(_FIELD_INDEX[name], *where) for name, where in positions.items())


class Item(NamedTuple):
    """One curated news item.

    A typed, immutable NamedTuple rather than a frozen dataclass: it builds seven
    times faster (the parse cache builds 100,000 of them per run) and is smaller.
    """

    id: str
    title: str
    date: dt.date
    themes: tuple[str, ...]
    summary: str | None = None
    entities: tuple[str, ...] = ()
    amount: Money | None = None
    valuation: Money | None = None
    round: str | None = None
    region: str | None = None
    sector: str | None = None
    label: str | None = None
    importance: int = 3
    sources: tuple[Source, ...] = ()
    tags: tuple[str, ...] = ()
    pin: bool = False
    boost: float = 0.0
    prose: bool = False
    path: str = ""
    line: int = 0
    column: int = 0
    positions: bytes = b""  # see pack_positions

    @property
    def theme(self) -> str:
        """The first theme: the section the item goes in."""
        return self.themes[0]

    def position(self, name: str) -> tuple[int, int]:
        """Line and column of a field, or of the item when the field is absent."""
        wanted = _FIELD_INDEX.get(name)
        for index, line, column in _POSITION.iter_unpack(self.positions):
            if index == wanted:
                return line, column
        return self.line, self.column


@dataclass(frozen=True, slots=True)
class SectionText:
    """A theme section's editorial text in one issue."""

    heading: str | None = None
    intro: str | None = None
    outro: str | None = None
    show_heading: bool = True


@dataclass(frozen=True, slots=True)
class Note:
    """An editorial section that is not a theme ("The Rise of Autonomous AI Workers")."""

    heading: str
    body: str | None = None
    lead: str | None = None
    bullets: tuple[str, ...] = ()
    after: str | None = None


@dataclass(frozen=True, slots=True)
class Digest:
    """The editorial frame of one issue: the `digest:` block of a file."""

    title: str
    date: dt.date
    topic: str | None = None
    intro: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    sections: Mapping[str, SectionText] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    outlook: str | None = None
    outlook_heading: str = "Future Outlook"
    trends: bool = False  # show the "In numbers" block
    path: str = ""
    line: int = 0

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        """The dates the issue covers: its own, or the 7 days ending on its date."""
        until = self.until or self.date
        return self.since or until - dt.timedelta(days=6), until
