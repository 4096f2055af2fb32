"""The search index: which files can hold an item that `--search` finds, without decoding the corpus.

An SQLite FTS5 table with the trigram tokenizer, beside the parse cache: one row per item,
its folded search text (pulse.model.text.search_text), so that a word of three or more
characters matches as a substring, as `--search` does, and accents and case do not
count. The index only narrows which files are read: the command still applies its
filters to the items of those files, so its output is the output of a full scan.
It is kept fresh from the manifest's stat keys: the rows of a file that changed, went
or appeared are replaced in one transaction (two processes at once: the second waits
for the first, then finds nothing left to do). sqlite3 lives in this module only.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from pulse import __version__
from pulse.model.text import search_text
from pulse.reading.corpus import FileContent

FORMAT = 1
SUFFIX = ".search.sqlite"
MIN_WORD = 3
"""The trigram tokenizer finds strings of three characters or more; shorter words are checked on the items."""

Load = Callable[[Sequence[int]], Mapping[int, FileContent]]


def index_path(manifest: Path) -> Path:
    """The index of the data folder whose manifest is `manifest`."""
    return manifest.with_suffix(SUFFIX)


def matching_files(
    path: Path, fingerprint: str, files: Sequence[tuple[str, str]], load: Load, words: Iterable[str]
) -> set[int] | None:
    """The indexes (in `files`: name and stat key) of the files with an item holding every word of three
    characters or more; None when the index cannot answer (no such word, or no usable database)."""
    wanted = [word for word in words if len(word) >= MIN_WORD]
    if not wanted:
        return None
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as db:
            _refresh(db, f"{FORMAT} {__version__} {fingerprint}", files, load)
            query = " AND ".join('"' + word.replace('"', '""') + '"' for word in wanted)
            names = {
                name
                for (name,) in db.execute(
                    "SELECT DISTINCT docs.file FROM items JOIN docs ON docs.rowid = items.rowid WHERE items MATCH ?",
                    (query,),
                )
            }
    except sqlite3.OperationalError:  # no FTS5, or a database locked for too long: the command scans instead
        return None
    except sqlite3.DatabaseError:  # not a database (a damaged cache file): removed, the next search rebuilds it
        path.unlink(missing_ok=True)
        return None
    return {index for index, (name, _) in enumerate(files) if name in names}


def _refresh(db: sqlite3.Connection, version: str, files: Sequence[tuple[str, str]], load: Load) -> None:
    """Bring the index up to date with the files' stat keys."""
    if _stale(db, version, files):
        db.execute("BEGIN IMMEDIATE")  # one writer at a time; a second one waits, then finds it done
        try:
            if _version(db) != version:
                for table in ("items", "docs", "files", "meta"):
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                db.execute("CREATE TABLE meta(version TEXT)")
                db.execute("INSERT INTO meta VALUES (?)", (version,))
                db.execute("CREATE TABLE files(name TEXT PRIMARY KEY, key TEXT)")
                db.execute("CREATE TABLE docs(rowid INTEGER PRIMARY KEY, file TEXT)")
                db.execute("CREATE INDEX docs_file ON docs(file)")
                db.execute("CREATE VIRTUAL TABLE items USING fts5(text, tokenize='trigram case_sensitive 1')")
            known = dict(db.execute("SELECT name, key FROM files"))
            current = dict(files)
            for name in [name for name, key in known.items() if current.get(name) != key]:
                db.execute("DELETE FROM items WHERE rowid IN (SELECT rowid FROM docs WHERE file = ?)", (name,))
                db.execute("DELETE FROM docs WHERE file = ?", (name,))
                db.execute("DELETE FROM files WHERE name = ?", (name,))
            fresh = [index for index, (name, key) in enumerate(files) if known.get(name) != key]
            contents = load(fresh)
            for index in fresh:
                name, key = files[index]
                for item in contents[index].items:
                    rowid = db.execute("INSERT INTO docs(file) VALUES (?)", (name,)).lastrowid
                    db.execute("INSERT INTO items(rowid, text) VALUES (?, ?)", (rowid, search_text(item)))
                db.execute("INSERT INTO files VALUES (?, ?)", (name, key))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


def _version(db: sqlite3.Connection) -> str | None:
    try:
        row = db.execute("SELECT version FROM meta").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])


def _stale(db: sqlite3.Connection, version: str, files: Sequence[tuple[str, str]]) -> bool:
    if _version(db) != version:
        return True
    return dict(db.execute("SELECT name, key FROM files")) != dict(files)
