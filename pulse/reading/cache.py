"""The parse cache: each source file's validated content, keyed by path, size, mtime, inode and ctime.

One msgpack file per source file under `$XDG_CACHE_HOME/pulse` (or `--cache-dir`).
msgpack decodes only plain data, so a tampered cache cannot run code (pickle could);
an entry is used only when its header matches exactly (format, pulse version, the
settings that validation depends on, the path and its stat key), and anything else
(corrupt, truncated, foreign, half-written) is ignored and rebuilt. Problems are
cached with the items, so the cache never hides a validation error.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgpack

from pulse import __version__
from pulse.errors import Problem, PulseError
from pulse.model import Digest, Item, Note, SectionText, Source, ThemeRegistry
from pulse.model.items import ITEM_FIELDS
from pulse.model.money import Money
from pulse.reading.corpus import FileContent

FORMAT = 2
MAGIC = "pulse-parse-cache"
SUFFIX = ".msgpack"


def default_cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """`$PULSE_CACHE_DIR`, else `$XDG_CACHE_HOME/pulse`, else `~/.cache/pulse`."""
    env = os.environ if environ is None else environ
    if env.get("PULSE_CACHE_DIR"):
        return Path(env["PULSE_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pulse"


def short_digest(text: str) -> str:
    """A 64-bit hex digest (zlib's CRC-32 twice: hashlib would load OpenSSL, 10 ms, on every run).

    A collision is harmless: the entry's header names its path and fingerprint, so a
    clash is a miss, never a wrong answer.
    """
    data = text.encode()
    return f"{zlib.crc32(data):08x}{zlib.crc32(data[::-1]):08x}"


def fingerprint(themes: ThemeRegistry, currency: str) -> str:
    """What validation depends on besides the file: the theme names and the default currency."""
    names = sorted((name, themes[name].key) for name in themes.names())
    return short_digest(repr((FORMAT, ITEM_LAYOUT, __version__, names, currency)))


def stat_key(stat: os.stat_result) -> tuple[int, int, int, int]:
    """What says a file is unchanged: size and mtime, and inode and ctime.

    A rewrite that keeps the size and pins the mtime (rsync -a, tar, cp -p, touch -r) still
    moves the ctime, which no tool can set, and a file renamed into place has a new inode.
    Cheaper than a content hash, which would read every file on every run (measured in
    the README's Performance section).
    """
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns


@dataclass(frozen=True)
class CacheInfo:
    """What `pulse cache info` reports."""

    folder: Path
    entries: int
    size: int


class ParseCache:
    """Validated file contents on disk, looked up by path and stat key."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint

    def _entry(self, path: Path) -> Path:
        return self.folder / f"{short_digest(f'{path}{chr(0)}{self.fingerprint}')}{SUFFIX}"

    def _header(self, path: Path, stat: os.stat_result) -> list[Any]:
        return [MAGIC, FORMAT, __version__, self.fingerprint, str(path), *stat_key(stat)]

    def get(self, path: Path, stat: os.stat_result, shown: str) -> FileContent | None:
        """The cached content of `path` if the entry matches it exactly; None otherwise."""
        try:
            data = self._entry(path).read_bytes()
            header, payload = msgpack.unpackb(data, use_list=False, raw=False)
            if list(header) != self._header(path, stat):
                return None
            return decode_content(payload, shown)
        except Exception:  # any unreadable entry (corrupt, truncated, foreign) is a miss, never an error
            return None

    def put(self, path: Path, stat: os.stat_result, content: FileContent) -> None:
        """Store `content` for `path`."""
        self.put_encoded(path, stat, encode_content(content))

    def put_encoded(self, path: Path, stat: os.stat_result, payload: bytes) -> bool:
        """Store an encoded content for `path`; False when the cache cannot be written (skipped silently)."""
        from pulse.writing.output import write_atomic

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            data = msgpack.packb([self._header(path, stat), payload], use_bin_type=True)
            write_atomic(self._entry(path), data, force=True, durable=False)
        except (OSError, ValueError, PulseError):
            return False
        return True


def cache_info(folder: Path) -> CacheInfo:
    """How many entries the cache folder holds, and their size in bytes."""
    entries = list(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []
    return CacheInfo(folder, len(entries), sum(entry.stat().st_size for entry in entries))


RATES_MEMO = "rates.json"
"""The exchange rates earlier runs looked up, kept in the cache folder."""


def clear_cache(folder: Path) -> int:
    """Remove the cache's entries, and the manifests and memos kept beside them (nothing else); returns how many
    entries."""
    removed = 0
    if folder.is_dir():
        for entry in [*folder.glob(f"*{SUFFIX}"), *folder.glob(".*.tmp")]:
            entry.unlink(missing_ok=True)
            removed += 1
        # What lives beside the entries: manifests, remembered warnings, search indexes (with SQLite's
        # journal files) and the exchange rates earlier runs looked up.
        for kept in ("*.manifest", "*.warnings", "*.search.sqlite", "*.search.sqlite-*", RATES_MEMO):
            for path in folder.glob(kept):
                path.unlink(missing_ok=True)
    return removed


# --- encoding: model objects as plain lists ----------------------------------


def _money(money: Money | None) -> list[str] | None:
    return None if money is None else [str(money.value), money.currency]


def _unmoney(data: Any) -> Money | None:
    return None if data is None else Money(Decimal(data[0]), data[1])


ITEM_LAYOUT = tuple((name, ITEM_FIELDS[name].kind if name in ITEM_FIELDS else "") for name in Item._fields)
"""An item is cached as the list of its fields in this order; the layout is part of the format key
(see fingerprint), so reordering, adding or retyping a field makes old entries misses, never wrong values."""
_DATES = [i for i, (_, kind) in enumerate(ITEM_LAYOUT) if kind == "date"]
_MONEYS = [i for i, (_, kind) in enumerate(ITEM_LAYOUT) if kind == "money"]
_SOURCES = [i for i, (_, kind) in enumerate(ITEM_LAYOUT) if kind == "sources"]
_PATH = Item._fields.index("path")
_REPEATED = [Item._fields.index(name) for name in ("themes", "entities", "tags")]
_REPEATED_TEXT = [Item._fields.index(name) for name in ("region", "sector")]
"""Fields whose few distinct values repeat across the corpus: interned on decoding, one string each
(at 100k items, 650,000 strings for about 60 distinct values otherwise)."""
_fromordinal, _make_source = dt.date.fromordinal, Source._make


def _encode_item(item: Item) -> list[Any]:
    row: list[Any] = list(item)
    for i in _DATES:
        row[i] = row[i].toordinal()
    for i in _MONEYS:
        row[i] = _money(row[i])
    for i in _SOURCES:
        row[i] = [[s.url, s.title] for s in row[i]]
    row[_PATH] = None  # given back on decoding
    return row


_DAYS: dict[int, dt.date] = {}
_AMOUNTS: dict[tuple[str, str], Money] = {}
"""Dates and amounts repeat across items (a few hundred distinct days a year): one immutable object each."""


def _decode_item(
    row: list[Any],
    shown: str,
    fromordinal: Any = dt.date.fromordinal,
    make_source: Any = Source._make,
    intern: Any = sys.intern,
) -> Item:
    for i in _DATES:
        day = _DAYS.get(row[i])
        row[i] = day if day is not None else _DAYS.setdefault(row[i], fromordinal(row[i]))
    for i in _MONEYS:
        if row[i] is not None:
            money = _AMOUNTS.get(row[i])
            row[i] = money if money is not None else _AMOUNTS.setdefault(row[i], Money(Decimal(row[i][0]), row[i][1]))
    for i in _REPEATED:
        row[i] = tuple(map(intern, row[i]))
    for i in _REPEATED_TEXT:
        if row[i] is not None:
            row[i] = intern(row[i])
    for i in _SOURCES:
        row[i] = tuple(map(make_source, row[i]))
    row[_PATH] = shown
    return Item._make(row)


def encode_content(content: FileContent) -> bytes:
    """A file's validated content as msgpack bytes (its path is left out: it is given back on decoding)."""
    data: bytes = msgpack.packb(_encode(content), use_bin_type=True)
    return data


def decode_content(payload: bytes, shown: str) -> FileContent:
    """The content that `encode_content` encoded, for the file shown as `shown`."""
    return _decode(msgpack.unpackb(payload, use_list=False, raw=False), shown)


def _encode(content: FileContent) -> list[Any]:
    items = [_encode_item(item) for item in content.items]
    digests = [
        [
            d.title, d.date.toordinal(), d.topic, d.intro, _day(d.since), _day(d.until),
            [[key, s.heading, s.intro, s.outro, s.show_heading] for key, s in d.sections.items()],
            [[n.heading, n.body, n.lead, n.bullets, n.after] for n in d.notes],
            d.outlook, d.outlook_heading, d.trends, d.line,
        ]
        for d in content.digests
    ]  # fmt: skip
    problems = [[p.line, p.column, p.message] for p in content.problems]
    return [items, digests, problems]


def _day(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def _undate(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else dt.date.fromordinal(ordinal)


def _decode(payload: Any, shown: str) -> FileContent:
    items_data, digests_data, problems_data = payload
    items = tuple(_decode_item(list(row), shown) for row in items_data)
    digests = tuple(
        Digest(
            title=d[0], date=dt.date.fromordinal(d[1]), topic=d[2], intro=d[3], since=_undate(d[4]),
            until=_undate(d[5]), sections={s[0]: SectionText(s[1], s[2], s[3], s[4]) for s in d[6]},
            notes=tuple(Note(n[0], n[1], n[2], n[3], n[4]) for n in d[7]), outlook=d[8], outlook_heading=d[9],
            trends=d[10], path=shown, line=d[11],
        )
        for d in digests_data
    )  # fmt: skip
    problems = tuple(Problem(shown, p[0], p[1], p[2]) for p in problems_data)
    return FileContent(items, digests, problems)
