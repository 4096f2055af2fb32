"""The typed, immutable objects pulse works on; no I/O happens here."""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urlsplit

from pulse.errors import did_you_mean
from pulse.money import Money

__all__ = ["Digest", "Item", "MarkdownText", "Money", "Note", "SectionText", "Source", "Theme", "ThemeRegistry"]


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


@dataclass(frozen=True, slots=True)
class Theme:
    """A theme of the registry: `funding`, `hardware`, ... or a project's own."""

    key: str
    title: str
    description: str = ""
    order: int = 0
    color: str = "white"
    aliases: tuple[str, ...] = ()


class ThemeRegistry:
    """The themes a project knows, in order, looked up by key or alias."""

    def __init__(self, themes: list[Theme]) -> None:
        self._themes = sorted(themes, key=lambda theme: (theme.order, theme.key))
        self._by_name: dict[str, Theme] = {}
        for theme in self._themes:
            self._by_name[theme.key.lower()] = theme
            for alias in theme.aliases:
                self._by_name[alias.lower()] = theme

    def __iter__(self) -> Iterator[Theme]:
        return iter(self._themes)

    def __len__(self) -> int:
        return len(self._themes)

    def resolve(self, name: str) -> Theme | None:
        """The theme a key or alias names (case-insensitive), or None."""
        return self._by_name.get(name.strip().lower())

    def __getitem__(self, key: str) -> Theme:
        theme = self.resolve(key)
        if theme is None:
            raise KeyError(key)
        return theme

    def unknown(self, name: str) -> str:
        """The message for a name that is no theme: "unknown theme 'fundng' (did you mean 'funding'?)"."""
        hint = did_you_mean(name.strip().lower(), self.names()) or f" (known themes: {', '.join(self.keys())})"
        return f"unknown theme '{name}'{hint}"

    def names(self) -> list[str]:
        """Every key and alias, for suggestions."""
        return list(self._by_name)

    def keys(self) -> list[str]:
        """The theme keys in order."""
        return [theme.key for theme in self._themes]


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
