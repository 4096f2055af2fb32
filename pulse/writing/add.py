"""Adding items: new entries written as YAML text at the end of a file's `items:` list.

Nothing else in the file is rewritten: the bytes before the insertion point stay as
they were, comments and quoting included. Each entry is validated with the same
rules as `pulse check` before anything is written, the write is atomic, and an
advisory lock on the data folder makes concurrent `pulse add` calls safe.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pulse.errors import DataError, Problem, PulseError, display_path
from pulse.model import Item, ThemeRegistry
from pulse.model.dates import iso_week
from pulse.model.items import ITEM_KEYS
from pulse.model.schema import SCHEMA_FILE
from pulse.model.text import id_key, slugify
from pulse.reading.corpus import read_corpus, read_text
from pulse.reading.yaml_tree import Map, Scalar, Seq, SourceError, is_plain_text, parse_yaml
from pulse.writing.output import FileChangedError, Snapshot, ensure_folder, write_atomic

WRAP = 88


@dataclass(frozen=True)
class Added:
    """An item written to a file."""

    id: str
    path: Path


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... whichever is free."""
    taken = {id_key(name) for name in taken}
    candidate, number = base, 1
    while id_key(candidate) in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def week_file(data: Path, day: dt.date) -> Path:
    """The file of an ISO week: digests/2026/2026-W12.yaml (digests/0001/0001-W01.yaml in year one)."""
    week = iso_week(day)
    return data / week[:4] / f"{week}.yaml"


def _scalar(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    return text if is_plain_text(text) else json.dumps(text, ensure_ascii=False)


def _block_text(text: str, indent: str) -> list[str] | None:
    """A long one-line text as a folded block (`>-`), wrapped like the sample; None if it cannot be."""
    if "\n" in text or text != text.strip() or "  " in text or len(text) <= WRAP - len(indent) - 10:
        return None
    lines = textwrap.wrap(text, WRAP - len(indent) - 2, break_long_words=False, break_on_hyphens=False)
    return [f"{indent}  {line}" for line in lines]


def format_item(fields: Mapping[str, object], indent: int = 2) -> str:
    """One item as a YAML list entry, keys in the documented order, in the style of the sample corpus."""
    pad = " " * indent
    lines: list[str] = []
    for key in [k for k in ITEM_KEYS if k in fields] + [k for k in fields if k not in ITEM_KEYS]:
        value = fields[key]
        lead = f"{pad}- " if not lines else f"{pad}  "
        if isinstance(value, (list, tuple)):
            if value and all(isinstance(v, str) for v in value) and key != "sources":
                lines.append(f"{lead}{key}: [{', '.join(_flow(str(v)) for v in value)}]")
            else:
                lines.append(f"{lead}{key}:")
                for entry in value:
                    lines.append(f"{pad}    - {_entry(entry)}")
        elif isinstance(value, dict):
            inner = ", ".join(f"{k}: {_flow(v) if isinstance(v, str) else _scalar(v)}" for k, v in value.items())
            lines.append(f"{lead}{key}: {{{inner}}}")
        elif isinstance(value, str) and (block := _block_text(value, pad + "  ")) is not None:
            lines.append(f"{lead}{key}: >-")
            lines.extend(block)
        else:
            lines.append(f"{lead}{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _flow(text: str) -> str:
    """A scalar inside a flow collection: `,[]{}` also need quotes there."""
    return text if is_plain_text(text) and not re.search(r"[,\[\]{}]", text) else json.dumps(text, ensure_ascii=False)


def _entry(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(str(v))}" for k, v in value.items()) + "}"
    return _scalar(value)


def new_file_text(path: Path, root: Path) -> str:
    """The opening of a new item file, with the editor schema comment when the project has the schema."""
    header = [f"# pulse items of {path.stem}, added by `pulse add`."]
    schema = root / SCHEMA_FILE
    if schema.is_file():
        relative = os.path.relpath(schema, path.parent)
        header.insert(0, f"# yaml-language-server: $schema={relative}")
    return "\n".join(header) + "\n\nitems:\n"


def insert_entries(text: str, entries: str, shown: str) -> str:
    """`text` with `entries` appended at the end of its `items:` list; bytes before the insertion unchanged."""
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    try:
        root = parse_yaml(body, shown)
    except SourceError as exc:
        raise DataError(f"cannot add to {shown}: fix it first", [exc.problem]) from None
    lines = body.splitlines(keepends=True)
    if root is None:
        prefix = body if not body or body.endswith(("\n", "\r")) else body + newline
        return bom + prefix + "items:" + newline + _with_newline(entries, newline)
    if not isinstance(root, Map):
        raise DataError(f"cannot add to {shown}: its top level is not a mapping; run pulse check")
    if "items" not in root.entries:
        return bom + _ensure_newline(body, newline) + "items:" + newline + _with_newline(entries, newline)
    key, value = root.entries["items"]
    empty = (isinstance(value, Scalar) and value.kind == "null") or (isinstance(value, Seq) and not value.items)
    if empty:
        # "items:", "items: []" or "items: null" on the key's line becomes "items:" followed by the entries.
        at = key.line - 1
        comment = re.search(r"\s(#.*?)\s*$", lines[at])
        lines[at] = " " * (key.column - 1) + "items:" + (f"  {comment[1]}" if comment else "") + newline
        lines.insert(at + 1, _with_newline(entries, newline))
        return bom + "".join(lines)
    if not isinstance(value, Seq):
        raise DataError(f"cannot add to {shown}: 'items' is not a list; run pulse check")
    if value.line == key.line:
        raise DataError(
            f"cannot add to {shown}: its items are a flow list ('items: [...]'); write them as a block list"
        )
    later = [k.line for k, _ in root.entries.values() if k.line > key.line]
    at = min(later) - 1 if later else len(lines)
    while later and at > 0 and (not lines[at - 1].strip() or lines[at - 1].startswith("#")):
        at -= 1  # blank lines and comments above the next key belong to it
    before = _ensure_newline("".join(lines[:at]), newline)
    spaced = _spaced(value, lines)
    insertion = (newline if spaced else "") + _with_newline(entries, newline)
    return bom + before + insertion + "".join(lines[at:])


def _spaced(items: Seq, lines: Sequence[str]) -> bool:
    """True when the file separates its items with blank lines."""
    if len(items.items) < 2:
        return False
    return not lines[items.items[1].line - 2].strip()


def _ensure_newline(text: str, newline: str) -> str:
    return text if not text or text.endswith(("\n", "\r")) else text + newline


def _with_newline(text: str, newline: str) -> str:
    return text.replace("\n", newline) if newline != "\n" else text


def item_indent(text: str) -> int:
    """How far the file indents its item dashes (2 when it has no items yet)."""
    try:
        root = parse_yaml(text.lstrip("\ufeff"), "<file>")
    except SourceError:
        return 2
    items = root.entries.get("items", (None, None))[1] if isinstance(root, Map) else None
    if isinstance(items, Seq) and items.items:
        return max(items.items[0].column - 3, 0)  # the dash and its space stand before the item's first key
    return 2


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive advisory lock on a folder (held on the folder itself: no lock file is left behind)."""
    try:
        import fcntl  # POSIX only: see "Supported platforms" in the README
    except ImportError:
        raise PulseError(
            "pulse add needs POSIX file locks (Linux, macOS, BSD); this platform has none, so it writes nothing"
        ) from None
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def add_items(
    entries: Sequence[dict[str, object]],
    *,
    data: Path,
    root: Path,
    themes: ThemeRegistry,
    currency: str = "USD",
    target: Path | None = None,
    today: dt.date | None = None,
) -> list[Added]:
    """Validate and append items; each goes to `target` or to the file of its ISO week.

    An item without a date is dated `today`; ISO date text becomes a date.
    """
    ensure_folder(data)
    with folder_lock(data):
        corpus = read_corpus([data], themes, currency)
        taken = {item.id: item for item in corpus.items}
        planned: dict[Path, list[dict[str, object]]] = {}
        problems: list[Problem] = []
        for number, given in enumerate(entries, 1):
            where = "new item" if len(entries) == 1 else f"item {number}"
            fields = _with_id(_dated(given, today), taken, problems, where)
            checked = read_text("items:\n" + format_item(fields), where, themes, currency)
            problems += [Problem(where, 0, 0, p.message) for p in checked.problems]
            if checked.items:
                item = checked.items[0]
                taken[item.id] = item
                planned.setdefault(target or week_file(data, item.date), []).append(fields)
        if problems:
            raise DataError("nothing was written", problems)
        added = []
        for path, batch in planned.items():
            _append(path, batch, root, themes, currency)
            added += [Added(str(fields["id"]), path) for fields in batch]
        return added


def _dated(fields: Mapping[str, object], today: dt.date | None) -> dict[str, object]:
    dated = dict(fields)
    value = dated.get("date", today)
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = dt.date.fromisoformat(value)
    if value is not None:
        dated["date"] = value
    return dated


def _with_id(
    fields: dict[str, object], taken: Mapping[str, Item], problems: list[Problem], where: str
) -> dict[str, object]:
    """The fields with an id: the one given (which must be new) or a unique slug of the title."""
    given = fields.get("id")
    if given is None:
        return {"id": unique_id(slugify(str(fields.get("title") or "")), set(taken)), **fields}
    same = {id_key(name): item for name, item in taken.items()}
    if isinstance(given, str) and id_key(given) in same:
        other = same[id_key(given)]
        place = f"{other.path}:{other.line}" if other.path else "another new item"
        problems.append(Problem(where, 0, 0, f"id '{given}' is taken (by {place}); choose another"))
    return fields


ATTEMPTS = 5
"""How many times `pulse add` reads a file afresh when another program changes it while pulse writes."""


def _append(
    path: Path, batch: Sequence[Mapping[str, object]], root: Path, themes: ThemeRegistry, currency: str
) -> None:
    """Append the batch to the file; from a fresh read when another program changed it meanwhile."""
    shown = display_path(path)
    ensure_folder(path.parent)
    for _ in range(ATTEMPTS):
        snapshot = Snapshot.read(path)
        updated = _appended(snapshot, path, batch, root, themes, currency)
        try:
            write_atomic(path, updated, force=True, expected=snapshot)
        except FileChangedError:
            continue  # another program (an editor, a sync client) wrote the file after it was read
        return
    raise DataError(
        f"{shown} changed on disk {ATTEMPTS} times while pulse add was writing to it (is another program "
        "saving it?); nothing was written: run pulse add again once it is saved"
    )


def _appended(
    snapshot: Snapshot,
    path: Path,
    batch: Sequence[Mapping[str, object]],
    root: Path,
    themes: ThemeRegistry,
    currency: str,
) -> str:
    """The file's text as read, with the batch appended; checked to read back as before plus the batch."""
    shown = display_path(path)
    try:
        before = snapshot.content.decode("utf-8") if snapshot.content is not None else None
    except UnicodeDecodeError:
        raise DataError(f"cannot add to {shown}: it is not UTF-8 text; run pulse check") from None
    original = before if before is not None else new_file_text(path, root)
    indent = item_indent(original)
    entries = "".join(format_item(fields, indent) for fields in batch)
    updated = insert_entries(original, entries, shown)
    old = read_text(original, shown, themes, currency)
    new = read_text(updated, shown, themes, currency)
    if len(new.items) != len(old.items) + len(batch) or len(new.problems) > len(old.problems):
        raise DataError(f"cannot add to {shown} safely; nothing was written", new.problems)
    return updated
