"""The inbox: fetched entries, the stories they belong to, and each source's fetch state, in one SQLite file.

sqlite3 is used here and nowhere else. Every entry belongs to a story; a story has a
state (undecided, accepted, rejected), the curated item it became, and `covered_by`.
A new entry is stored as its own story, then `regroup` joins the new entries of a
fetch to the stories they report (pulse.ingest.stories decides which).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pulse.errors import PulseError, UsageError, display_path
from pulse.ingest.features import Doc
from pulse.ingest.stories import WINDOW_DAYS, Stored, assign, new_story_id
from pulse.model.dates import shift
from pulse.model.money import Money

SCHEMA_VERSION = 2  # 2: sources.retry_until
STATES = ("undecided", "accepted", "rejected")
SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY,          -- the feed's URL as configured (after OPML expansion)
    name TEXT NOT NULL,
    etag TEXT,                     -- conditional GET: sent back as If-None-Match
    last_modified TEXT,            -- sent back as If-Modified-Since
    fetched_at TEXT,               -- ISO timestamp of the last attempt
    status TEXT,                   -- ok | not-modified | error
    error TEXT,
    new_entries INTEGER NOT NULL DEFAULT 0,   -- stored by the last fetch
    seen_entries INTEGER NOT NULL DEFAULT 0,  -- in the feed at the last fetch
    retry_until TEXT               -- a 429/503 Retry-After: skip the source until then (ISO time)
);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL DEFAULT 'undecided' CHECK (state IN ('undecided', 'accepted', 'rejected')),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    item_id TEXT,                  -- the curated item an accepted story became
    covered_by TEXT                -- the curated item that already tells it
);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    ident TEXT NOT NULL UNIQUE,    -- 'guid:' + the feed's id, else 'url:' + the canonical link
    story_id TEXT NOT NULL REFERENCES stories(id),
    source TEXT NOT NULL,          -- the feed's URL
    guid TEXT NOT NULL,            -- the id as the feed states it, else its link as written
    url TEXT,                      -- canonical link (https, no tracking); NULL when none is safe
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    published TEXT NOT NULL,       -- ISO date-time (the fetch time when the feed gives none)
    fetched_at TEXT NOT NULL,
    themes TEXT NOT NULL,          -- JSON list of theme keys, in order of support
    rules TEXT NOT NULL,           -- JSON list of the rules that matched
    entities TEXT NOT NULL,        -- JSON list
    amount_value TEXT,             -- Decimal as text
    amount_currency TEXT
);
CREATE TABLE IF NOT EXISTS dropped (   -- entries a `drop: true` rule removed: counted once, never stored
    ident TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    rule TEXT NOT NULL,
    dropped_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_url ON entries(url);
CREATE INDEX IF NOT EXISTS entries_story ON entries(story_id);
"""


@dataclass(frozen=True)
class NewEntry:
    """A clean entry ready to store."""

    ident: str
    source: str
    guid: str
    url: str | None
    title: str
    summary: str
    published: dt.datetime
    themes: tuple[str, ...]
    rules: tuple[str, ...]
    entities: tuple[str, ...]
    amount: Money | None


@dataclass(frozen=True)
class StoredEntry:
    ident: str
    outlet: str  # the source's name (its URL when the source is gone from pulse.yaml)
    story: str
    source: str
    guid: str
    url: str | None
    title: str
    summary: str
    published: str
    themes: tuple[str, ...]
    rules: tuple[str, ...]
    entities: tuple[str, ...]
    amount: Money | None


@dataclass(frozen=True)
class Story:
    """A story and its entries (one entry each until stories are grouped)."""

    id: str
    state: str
    covered_by: str | None
    entries: tuple[StoredEntry, ...]
    item_id: str | None = None

    @property
    def lead(self) -> StoredEntry:
        return self.entries[0]

    @property
    def date(self) -> str:
        return min(entry.published for entry in self.entries)


@dataclass(frozen=True)
class SourceState:
    url: str
    name: str
    etag: str | None
    last_modified: str | None
    fetched_at: str | None
    status: str | None
    error: str | None
    new_entries: int
    seen_entries: int
    stored: int  # entries of this source in the inbox
    retry_until: str | None = None


def story_id(ident: str) -> str:
    """A short, stable id: the same entry always gives the same story id."""
    return new_story_id(ident)


def as_doc(entry: StoredEntry) -> Doc:
    """What grouping looks at in a stored entry."""
    return Doc(entry.ident, entry.url, entry.title, entry.summary, dt.date.fromisoformat(entry.published[:10]),
               entry.entities, entry.amount)  # fmt: skip


class Inbox:
    """An open inbox database; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(path, timeout=10)
            self.db.execute("PRAGMA foreign_keys = ON")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise PulseError(f"{display_path(path)} was written by a newer pulse (schema {version})")
            if version == 1:
                self.db.execute("ALTER TABLE sources ADD COLUMN retry_until TEXT")
            self.db.executescript(SCHEMA)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise PulseError(f"cannot open the inbox {display_path(path)}: {exc}") from None
        except OSError as exc:
            raise PulseError(f"cannot create {display_path(path.parent)}: {exc.strerror or exc}") from None

    def __enter__(self) -> Inbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.db:
            yield

    def source_state(self, url: str) -> SourceState | None:
        return next(iter(self.sources([url])), None)

    def sources(self, urls: Iterable[str] | None = None) -> list[SourceState]:
        query = (
            "SELECT s.url, s.name, s.etag, s.last_modified, s.fetched_at, s.status, s.error, s.new_entries, "
            "s.seen_entries, (SELECT COUNT(*) FROM entries e WHERE e.source = s.url), s.retry_until FROM sources s"
        )
        if urls is None:
            rows = self.db.execute(query + " ORDER BY s.name, s.url").fetchall()
        else:
            rows = [row for url in urls for row in self.db.execute(query + " WHERE s.url = ?", (url,))]
        return [SourceState(*row) for row in rows]

    def record_source(
        self,
        url: str,
        name: str,
        *,
        status: str,
        fetched_at: dt.datetime,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        new: int = 0,
        seen: int = 0,
        keep_validators: bool = False,
        retry_until: dt.datetime | None = None,
    ) -> None:
        """Remember a fetch attempt; validators are kept on not-modified and errors."""
        old = self.source_state(url)
        until = retry_until.isoformat(timespec="seconds") if retry_until else None
        if keep_validators and old is not None:
            etag, last_modified = etag or old.etag, last_modified or old.last_modified
            seen = seen or old.seen_entries
        self.db.execute(
            "INSERT INTO sources (url, name, etag, last_modified, fetched_at, status, error, new_entries, seen_entries,"
            " retry_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET name=excluded.name, "
            "etag=excluded.etag, last_modified=excluded.last_modified, fetched_at=excluded.fetched_at, "
            "status=excluded.status, error=excluded.error, new_entries=excluded.new_entries, "
            "seen_entries=excluded.seen_entries, retry_until=excluded.retry_until",
            (url, name, etag, last_modified, fetched_at.isoformat(timespec="seconds"), status, error, new, seen, until),
        )

    def has(self, ident: str, url: str | None) -> bool:
        """Whether this entry is stored: by its identity, or by its canonical link."""
        if self.db.execute("SELECT 1 FROM entries WHERE ident = ?", (ident,)).fetchone():
            return True
        if self.db.execute("SELECT 1 FROM dropped WHERE ident = ?", (ident,)).fetchone():
            return True
        return url is not None and bool(self.db.execute("SELECT 1 FROM entries WHERE url = ?", (url,)).fetchone())

    def drop(self, ident: str, source: str, rule: str, when: dt.datetime) -> None:
        """Remember an entry a rule dropped, so that it is not counted again."""
        self.db.execute(
            "INSERT OR IGNORE INTO dropped (ident, source, rule, dropped_at) VALUES (?, ?, ?, ?)",
            (ident, source, rule, when.isoformat(timespec="seconds")),
        )

    def add(self, entry: NewEntry, fetched_at: dt.datetime) -> bool:
        """Store a new entry as its own story; False when it is already stored."""
        if self.has(entry.ident, entry.url):
            return False
        story = story_id(entry.ident)
        now = fetched_at.isoformat(timespec="seconds")
        self.db.execute("INSERT OR IGNORE INTO stories (id, created_at) VALUES (?, ?)", (story, now))
        self.db.execute(
            "INSERT INTO entries (ident, story_id, source, guid, url, title, summary, published, fetched_at, themes,"
            " rules, entities, amount_value, amount_currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.ident,
                story,
                entry.source,
                entry.guid,
                entry.url,
                entry.title,
                entry.summary,
                entry.published.isoformat(timespec="seconds"),
                now,
                json.dumps(list(entry.themes)),
                json.dumps(list(entry.rules)),
                json.dumps(list(entry.entities)),
                str(entry.amount.value) if entry.amount else None,
                entry.amount.currency if entry.amount else None,
            ),
        )
        return True

    def stories(
        self,
        *,
        states: tuple[str, ...] = ("undecided",),
        include_covered: bool = False,
        ids: Iterable[str] | None = None,
    ) -> list[Story]:
        """Stories in the given states (or with these ids), newest first (then by id, so the order is total)."""
        if ids is not None:
            wanted = list(ids)
            where, args = f"s.id IN ({','.join('?' * len(wanted))})", tuple(wanted)
        else:
            where, args = f"s.state IN ({','.join('?' * len(states))})", states
        rows = self.db.execute(
            "SELECT s.id, s.state, s.covered_by, e.ident, e.source, e.guid, e.url, e.title, e.summary, e.published,"
            " e.themes, e.rules, e.entities, e.amount_value, e.amount_currency, s.item_id,"
            " COALESCE((SELECT name FROM sources o WHERE o.url = e.source), e.source) FROM stories s JOIN entries e"
            f" ON e.story_id = s.id WHERE {where} ORDER BY e.published, e.ident",
            args,
        ).fetchall()
        grouped: dict[str, tuple[str, str | None, str | None, list[StoredEntry]]] = {}
        for row in rows:
            sid, state, covered = row[0], row[1], row[2]
            amount = Money(Decimal(row[13]), row[14]) if row[13] is not None else None
            entry = StoredEntry(
                ident=row[3],
                outlet=row[16],
                story=sid,
                source=row[4],
                guid=row[5],
                url=row[6],
                title=row[7],
                summary=row[8],
                published=row[9],
                themes=tuple(json.loads(row[10])),
                rules=tuple(json.loads(row[11])),
                entities=tuple(json.loads(row[12])),
                amount=amount,
            )
            grouped.setdefault(sid, (state, covered, row[15], []))[3].append(entry)
        stories = [
            Story(sid, state, covered, tuple(entries), item)
            for sid, (state, covered, item, entries) in grouped.items()
            if include_covered or covered is None
        ]
        stories.sort(key=lambda story: story.id)
        stories.sort(key=lambda story: story.date, reverse=True)
        return stories

    def entry_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def regroup(self, new: Sequence[str], now: dt.datetime) -> set[str]:
        """Join freshly added entries to the stories they report; the undecided stories that changed."""
        if not new:
            return set()
        placeholders = ",".join("?" * len(new))
        fresh = [e for s in self._stories_of_entries(new, placeholders) for e in s.entries if e.ident in set(new)]
        if not fresh:
            return set()
        days = [dt.date.fromisoformat(e.published[:10]) for e in fresh]
        low = shift(min(days), -WINDOW_DAYS).isoformat()
        high = shift(max(days), WINDOW_DAYS).isoformat() + "~"
        near = self.db.execute(
            f"SELECT DISTINCT story_id FROM entries WHERE published BETWEEN ? AND ? AND ident NOT IN ({placeholders})",
            (low, high, *new),
        ).fetchall()
        stored = [
            Stored(as_doc(entry), story.id, story.state != "undecided")
            for story in self.stories(ids=[row[0] for row in near])
            for entry in story.entries
            if entry.ident not in set(new)
        ]
        moved = assign([as_doc(entry) for entry in fresh], stored)
        stamp = now.isoformat(timespec="seconds")
        for ident, story in moved.items():
            self.db.execute("INSERT OR IGNORE INTO stories (id, created_at) VALUES (?, ?)", (story, stamp))
            self.db.execute("UPDATE entries SET story_id = ? WHERE ident = ?", (story, ident))
        self.db.execute(
            "DELETE FROM stories WHERE state = 'undecided' AND id NOT IN (SELECT DISTINCT story_id FROM entries)"
        )
        touched = {story for story in moved.values()}
        rows = self.db.execute(
            f"SELECT id FROM stories WHERE state = 'undecided' AND id IN ({','.join('?' * len(touched))})",
            tuple(touched),
        ).fetchall()
        return {row[0] for row in rows}

    def _stories_of_entries(self, idents: Sequence[str], placeholders: str) -> list[Story]:
        rows = self.db.execute(
            f"SELECT DISTINCT story_id FROM entries WHERE ident IN ({placeholders})", tuple(idents)
        ).fetchall()
        return self.stories(ids=[row[0] for row in rows])

    def set_covered(self, story: str, item_id: str | None) -> None:
        self.db.execute("UPDATE stories SET covered_by = ? WHERE id = ?", (item_id, story))

    def find_story(self, ref: str) -> Story:
        """The story with this id, or the one whose id starts with `ref`; a UsageError otherwise."""
        ref = ref.strip().lower()
        rows = self.db.execute("SELECT id FROM stories WHERE substr(id, 1, ?) = ? ORDER BY id", (len(ref), ref))
        ids = [row[0] for row in rows]
        if ref in ids:
            ids = [ref]
        if not ref or not ids:
            raise PulseError(f"no story '{ref}' in the inbox (pulse inbox --all lists every story)")
        if len(ids) > 1:
            shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
            raise UsageError(f"story '{ref}' is ambiguous: {len(ids)} stories start with it ({shown})")
        return self.stories(ids=ids)[0]

    def undecide(self, story: str) -> None:
        """Take a decision back: the story is undecided again and has no item."""
        self.db.execute("UPDATE stories SET state = 'undecided', decided_at = NULL, item_id = NULL WHERE id = ?",
                        (story,))  # fmt: skip

    def decide(self, story: str, state: str, when: dt.datetime, item_id: str | None = None) -> None:
        """Mark a story accepted (with the item it became) or rejected."""
        self.db.execute(
            "UPDATE stories SET state = ?, decided_at = ?, item_id = COALESCE(?, item_id) WHERE id = ?",
            (state, when.isoformat(timespec="seconds"), item_id, story),
        )
