"""The manifest: what each file of the data folder holds, kept beside the parse cache.

One msgpack file per data folder and settings fingerprint. Per source file: its path,
its stat key (pulse.reading.cache.stat_key), the first and last date it covers (items
and digest blocks' windows), its digest blocks' dates and windows, its item count, its
problems and the (currency, day) pairs of its amounts in other currencies than the base;
apart, decoded only when a file changed, each file's ids. With it a windowed command
decodes only the files that overlap its window, and `pulse check` on an unchanged
corpus answers without decoding anything. Like a cache entry, it is used only when its
header matches exactly; anything else (missing, corrupt, foreign version, another folder)
means a full load, which writes it anew. It is written with the one atomic writer, so two
processes writing it at once leave one whole manifest, never a mix.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import msgpack

from pulse import __version__
from pulse.errors import PulseError
from pulse.model.text import id_key
from pulse.reading.cache import short_digest
from pulse.reading.corpus import FileContent

MAGIC = "pulse-manifest"
FORMAT = 3
SUFFIX = ".manifest"

Key = tuple[int, int, int, int]
DigestSpan = tuple[int, int, int, bool]
"""A digest block as (date, first day, last day) ordinals, and whether it has "In numbers" (`trends:`)."""


class FileSummary(NamedTuple):
    """What the manifest knows of one file without decoding it (a NamedTuple: a manifest holds one per file,
    10,000 at a million items, built on every run)."""

    key: Key
    first: int | None  # the earliest date of its items and digest windows (ordinal); None when empty
    last: int | None
    items: int
    digests: tuple[DigestSpan, ...]
    problems: tuple[tuple[int, int, str], ...]  # line, column, message
    moneys: tuple[tuple[str, int], ...]  # amounts in another currency than the base: (currency, day)

    def overlaps(self, since: int | None, until: int | None) -> bool:
        """True when the file holds something dated between `since` and `until` (open ends: None)."""
        if self.first is None or self.last is None:
            return False
        return (since is None or self.last >= since) and (until is None or self.first <= until)


@dataclass(frozen=True, slots=True)
class Names:
    """A file's item ids (as the full load compares them: NFC, case-folded) and digest dates: what cross-file
    checks need."""

    ids: tuple[str, ...]
    dates: tuple[int, ...]


def summarize(content: FileContent, key: Key, currency: str) -> tuple[FileSummary, Names]:
    """The manifest's row for a file's content."""
    days = [item.date.toordinal() for item in content.items]
    spans = []
    for digest in content.digests:
        since, until = digest.window
        spans.append((digest.date.toordinal(), since.toordinal(), until.toordinal(), digest.trends))
        days += [digest.date.toordinal(), since.toordinal(), until.toordinal()]
    moneys = {
        (money.currency, item.date.toordinal())
        for item in content.items
        for money in (item.amount, item.valuation)
        if money is not None and money.currency != currency
    }
    summary = FileSummary(
        key=key,
        first=min(days, default=None),
        last=max(days, default=None),
        items=len(content.items),
        digests=tuple(spans),
        problems=tuple((p.line, p.column, p.message) for p in content.problems),
        moneys=tuple(sorted(moneys)),
    )
    return summary, Names(tuple(id_key(item.id) for item in content.items), tuple(span[0] for span in spans))


def has_duplicates(names: Iterable[Names]) -> bool:
    """True when an id, or a digest date, appears twice: the corpus has cross-file problems."""
    ids: set[str] = set()
    dates: set[int] = set()
    id_count = date_count = 0
    for entry in names:
        ids.update(entry.ids)
        dates.update(entry.dates)
        id_count += len(entry.ids)
        date_count += len(entry.dates)
    return len(ids) != id_count or len(dates) != date_count


@dataclass
class Manifest:
    """The manifest of one data folder: a summary per file (by absolute path) and whether files clash."""

    folder: str
    clashes: int  # cross-file problems (duplicate ids or digest dates)
    files: dict[str, FileSummary]
    _names: bytes | dict[str, Names]

    def names(self) -> dict[str, Names]:
        """Each file's ids and digest dates (decoded on first use)."""
        if isinstance(self._names, bytes):
            rows = msgpack.unpackb(self._names, use_list=False, raw=False)
            self._names = {path: Names(ids, dates) for path, ids, dates in rows}
        return self._names


def manifest_path(cache_folder: Path, fingerprint: str, folder: str) -> Path:
    """Where the manifest of the data folder `folder` (absolute) lives for these settings."""
    return cache_folder / f"{short_digest(f'{folder}{chr(0)}{fingerprint}')}{SUFFIX}"


def read_manifest(path: Path, fingerprint: str, folder: str) -> Manifest | None:
    """The manifest if it is whole and was written for this folder, version and settings; None otherwise."""
    try:
        header, clashes, rows, names = msgpack.unpackb(path.read_bytes(), use_list=False, raw=False)
        if list(header) != [MAGIC, FORMAT, __version__, fingerprint, folder]:
            return None
        # Arrays decode as tuples (use_list=False): each row is a FileSummary's fields as written.
        files = {row[0]: FileSummary._make(row[1:]) for row in rows}
        if not isinstance(clashes, int) or not isinstance(names, bytes):
            return None
        return Manifest(folder, clashes, files, names)
    except Exception:  # missing, corrupt, truncated or foreign: a full load rebuilds it
        return None


def write_manifest(path: Path, fingerprint: str, manifest: Manifest) -> None:
    """Store the manifest atomically; one that cannot be written is skipped (the next run loads in full)."""
    from pulse.writing.output import write_atomic

    names = manifest.names()
    rows = [
        [name, list(s.key), s.first, s.last, s.items, s.digests, s.problems, s.moneys]
        for name, s in manifest.files.items()
    ]
    packed_names = msgpack.packb(
        [[name, names[name].ids, names[name].dates] for name in manifest.files if name in names], use_bin_type=True
    )
    header = [MAGIC, FORMAT, __version__, fingerprint, manifest.folder]
    with contextlib.suppress(OSError, ValueError, PulseError):
        path.parent.mkdir(parents=True, exist_ok=True)
        data = msgpack.packb([header, manifest.clashes, rows, packed_names], use_bin_type=True)
        write_atomic(path, data, force=True, durable=False)


Remembered = tuple[tuple[str, int, int, str], ...]
"""Problems that depend on the whole corpus (path, line, column, message), for one state of its files."""


def read_remembered(path: Path, state: str) -> Remembered | None:
    """What was remembered beside the manifest for exactly this state of the files, or None."""
    try:
        header, rows = msgpack.unpackb(path.read_bytes(), use_list=False, raw=False)
        if list(header) != [MAGIC, FORMAT, __version__, state]:
            return None
        return tuple((str(p), int(line), int(column), str(message)) for p, line, column, message in rows)
    except Exception:
        return None


def write_remembered(path: Path, state: str, rows: Remembered) -> None:
    """Remember `rows` for this state of the files; a memo that cannot be written is skipped."""
    from pulse.writing.output import write_atomic

    with contextlib.suppress(OSError, PulseError):
        write_atomic(path, msgpack.packb([[MAGIC, FORMAT, __version__, state], rows]), force=True, durable=False)


def newest_digest(files: Sequence[FileSummary]) -> DigestSpan | None:
    """The newest digest block: the issue `pulse digest` renders when no window is asked for."""
    return max((span for summary in files for span in summary.digests), key=lambda span: span[0], default=None)


def numbers_near(files: Sequence[FileSummary], since: int, until: int) -> bool:
    """Whether any digest block whose window overlaps since..until has "In numbers" (so the weeks before count)."""
    return any(span[3] and span[1] <= until and span[2] >= since for summary in files for span in summary.digests)
