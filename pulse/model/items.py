"""The typed, immutable objects pulse works on; no I/O happens here.

`Item` is the one definition of an item: each key of the file format is a field
annotated with its `Field` (meaning, kind of value, required or not), in the
documented order. Validation (pulse.reading.corpus), the JSON Schema
(pulse.model.schema), the JSON records (pulse.render.records) and the parse
cache's layout (pulse.reading.cache) are all derived from it.
"""

# No `from __future__ import annotations`: the fields' Annotated metadata is read at run time.

import datetime as dt
import functools
import re
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, NamedTuple
from urllib.parse import urlsplit

from pulse.model.dates import shift
from pulse.model.money import Money

__all__ = ["Digest", "Item", "MarkdownText", "Money", "Note", "SectionText", "Source"]


LINK_SCHEMES = ("http", "https", "mailto")
_PLAIN_LINK = re.compile(r"(?:https?|mailto):[!-Z^-~]*\Z")
"""The usual link (printable ASCII without spaces or brackets, which urlsplit might question): its scheme is
plain to see."""


def safe_url(value: str | None) -> str | None:
    """The URL when its scheme is http, https or mailto; None for anything else (javascript:, data:, ...)."""
    if not value:
        return None
    if _PLAIN_LINK.match(value):
        return value
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


class Field(NamedTuple):
    """One key of the file format: what it means, the kind of value it holds, and whether it is required.

    kind is one of: id, text, date, themes, texts, money, importance, sources, flag, number; in a digest
    block also theme, sections and notes.
    """

    description: str
    kind: str
    required: bool = False
    example: str = ""  # a value to show in a message about a list of texts


NO_DATE = dt.date.min
"""Stands in for the date of an item that is being built and then dropped for its problems."""


class Item(NamedTuple):
    """One curated news item: the keys of an item in a file, in their documented order, then where it is written.

    A typed, immutable NamedTuple rather than a frozen dataclass: it builds seven
    times faster (the parse cache builds 100,000 of them per run) and is smaller.
    """

    id: Annotated[
        str,
        Field(
            "Unique across the corpus whatever the case; letters, digits, -, _, . (NFC). The feeds' entry id.",
            "id",
            True,
        ),
    ] = ""
    title: Annotated[str, Field("A headline for the item.", "text", True)] = ""
    summary: Annotated[
        str | None, Field("The sentence the digest prints; the title stands in when it is missing.", "text")
    ] = None
    date: Annotated[dt.date, Field("The day the item was reported (YYYY-MM-DD).", "date", True)] = NO_DATE
    themes: Annotated[
        tuple[str, ...], Field("One or more theme keys or aliases; the first is the item's section.", "themes", True)
    ] = ()
    entities: Annotated[
        tuple[str, ...],
        Field("Companies, people, products and places the item is about; the first is bolded.", "texts",
              example="Together AI"),
    ] = ()  # fmt: skip
    amount: Annotated[
        Money | None, Field('Money raised or committed: "$1B", "$300 million", or {value, currency}.', "money")
    ] = None
    valuation: Annotated[Money | None, Field("A valuation, in the same forms as amount.", "money")] = None
    round: Annotated[str | None, Field('The funding round, e.g. "Series C".', "text")] = None
    region: Annotated[str | None, Field("Where it happens, e.g. UK.", "text")] = None
    sector: Annotated[
        str | None, Field("The lead-in label of the bullet in the sector section, e.g. Healthcare.", "text")
    ] = None
    label: Annotated[
        str | None, Field("A bold lead-in for the bullet, e.g. Regional Data Center Investments.", "text")
    ] = None
    importance: Annotated[int, Field("1 (minor) to 5 (major); default 3.", "importance")] = 3
    sources: Annotated[
        tuple[Source, ...], Field("Where the item comes from: http(s) URLs or {title, url}.", "sources")
    ] = ()
    tags: Annotated[tuple[str, ...], Field("Free tags for filtering and trends.", "texts", example="cloud")] = ()
    pin: Annotated[bool, Field("An editor's pin: first in score order.", "flag")] = False
    boost: Annotated[float, Field("Added to the score (times the boost weight).", "number")] = 0.0
    prose: Annotated[
        bool, Field("The section's editorial text tells this item; the digest does not bullet it.", "flag")
    ] = False
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


ITEM_FIELDS: dict[str, Field] = {
    name: hint.__metadata__[0] for name, hint in Item.__annotations__.items() if hasattr(hint, "__metadata__")
}
"""The keys of an item in a file, in their documented order, with what each means."""
ITEM_KEYS = tuple(ITEM_FIELDS)
ITEM_REQUIRED = tuple(name for name, spec in ITEM_FIELDS.items() if spec.required)

_POSITION = struct.Struct("<BII")  # field index, line, column
_FIELD_INDEX = {name: index for index, name in enumerate(ITEM_KEYS)}


def pack_positions(positions: Mapping[str, tuple[int, int]]) -> bytes:
    """Field positions in 9 bytes each: a compact, immutable record of where every field is written."""
    flat: list[int] = []
    for name, (line, column) in positions.items():
        flat += (_FIELD_INDEX[name], line, column)
    return _positions_struct(len(positions)).pack(*flat)


@functools.cache
def _positions_struct(count: int) -> struct.Struct:
    return struct.Struct("<" + "BII" * count)


@dataclass(frozen=True, slots=True)
class SectionText:
    """A theme section's editorial text in one issue."""

    heading: Annotated[str | None, Field("The section's heading; null runs it on under the previous one.", "text")] = (
        None
    )
    intro: Annotated[str | None, Field("Editorial text before the section's items (Markdown).", "text")] = None
    outro: Annotated[str | None, Field("Editorial text after the section's items (Markdown).", "text")] = None
    show_heading: bool = True


@dataclass(frozen=True, slots=True)
class Note:
    """An editorial section that is not a theme ("The Rise of Autonomous AI Workers")."""

    heading: Annotated[str, Field("The note's heading.", "text", True)]
    body: Annotated[str | None, Field("The note's text (Markdown).", "text")] = None
    lead: Annotated[str | None, Field("A lead-in line before the bullets.", "text")] = None
    bullets: Annotated[tuple[str, ...], Field("Bullet points (Markdown).", "texts", example="...")] = ()
    after: Annotated[str | None, Field("The theme the note follows; default: after the sections.", "theme")] = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Digest:
    """The editorial frame of one issue: the `digest:` block of a file, its keys in their documented order."""

    title: Annotated[str, Field("The issue's title.", "text", True)]
    topic: Annotated[str | None, Field("The masthead's topic line.", "text")] = None
    date: Annotated[dt.date, Field("The issue's date (YYYY-MM-DD); its window ends here by default.", "date", True)]
    intro: Annotated[str | None, Field("The issue's introduction (Markdown).", "text")] = None
    since: Annotated[dt.date | None, Field("The window's first day [default: 6 days before until].", "date")] = None
    until: Annotated[dt.date | None, Field("The window's last day [default: date].", "date")] = None
    sections: Annotated[
        Mapping[str, SectionText], Field("Per theme key: the section's heading, intro and outro.", "sections")
    ] = field(default_factory=dict)
    notes: Annotated[tuple[Note, ...], Field("Editorial sections that are not a theme.", "notes")] = ()
    outlook: Annotated[str | None, Field("The closing outlook (Markdown).", "text")] = None
    outlook_heading: Annotated[str, Field("The outlook's heading [default: Future Outlook].", "text")] = (
        "Future Outlook"
    )
    trends: Annotated[bool, Field('true: an "In numbers" block with the theme counts and money.', "flag")] = False
    path: str = ""
    line: int = 0

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        """The dates the issue covers: its own, or the 7 days ending on its date."""
        until = self.until or self.date
        return self.since or shift(until, -6), until


def file_fields(cls: type) -> dict[str, Field]:
    """The keys a file may give for a Digest, a Note or a SectionText (its annotated fields), in order."""
    return {name: hint.__metadata__[0] for name, hint in cls.__annotations__.items() if hasattr(hint, "__metadata__")}


DIGEST_FIELDS = file_fields(Digest)
NOTE_FIELDS = file_fields(Note)
SECTION_FIELDS = file_fields(SectionText)
