"""Deciding stories: accept one into the curated corpus (through `pulse add`'s path), reject one, update one.

An accepted story becomes one item written by pulse.author.add_items: validated like
`pulse check`, appended without touching the file's other bytes, under the data
folder's lock, atomically. `update` adds the sources a story gained since to its item,
by the same rules (only the new source lines are inserted).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pulse.errors import DataError, PulseError, UsageError, display_path
from pulse.ingest.features import features
from pulse.ingest.inbox import Inbox, Story, as_doc
from pulse.ingest.review import StoryView, view
from pulse.ingest.settings import IngestSettings
from pulse.reading.settings import Settings


@dataclass(frozen=True)
class Written:
    """What an accept did to a file, so that `undo` can take it back byte for byte."""

    path: Path
    before: bytes | None  # the file's bytes before the item was written; None: the accept created the file
    after: bytes  # the file's bytes as the accept left them


@dataclass(frozen=True)
class Decided:
    story: str
    item_id: str | None
    path: Path | None
    added_sources: int = 0
    written: Written | None = None  # an accept's file change, when it was pulse's alone


def _rule_themes(ingest: IngestSettings) -> dict[str, tuple[str, ...]]:
    return {rule.name: rule.themes for rule in ingest.rules}


def find(ingest: IngestSettings, ref: str) -> tuple[Story, StoryView]:
    """A story by id or unique prefix, with its fields."""
    if not ingest.inbox_path.exists():
        raise PulseError("the inbox is empty; run pulse fetch")
    with Inbox(ingest.inbox_path) as inbox:
        story = inbox.find_story(ref)
    return story, view(story, _rule_themes(ingest))


def item_fields(shown: StoryView, themes: Sequence[str], title: str | None, summary: str | None,
                importance: int | None) -> dict[str, object]:  # fmt: skip
    """The curated item a story becomes."""
    rounds = [f.round for f in (features(as_doc(e)) for e in shown.story.entries) if f.round]
    fields: dict[str, object] = {
        "title": title or shown.title,
        "summary": summary if summary is not None else shown.summary or None,
        "date": dt.date.fromisoformat(shown.date),
        "themes": list(themes),
        "entities": list(shown.entities),
        "amount": str(shown.amount) if shown.amount else None,
        "round": max(set(rounds), key=lambda r: (rounds.count(r), r)).title() if rounds else None,
        "importance": importance,
        "sources": [{"title": outlet, "url": url} for outlet, url in shown.sources],
    }
    return {key: value for key, value in fields.items() if value not in (None, [], "")}


def accept(
    settings: Settings,
    ingest: IngestSettings,
    ref: str,
    *,
    themes: Sequence[str] = (),
    title: str | None = None,
    summary: str | None = None,
    importance: int | None = None,
    target: Path | None = None,
    now: dt.datetime | None = None,
) -> Decided:
    """Write the story as one curated item and mark it accepted."""
    from pulse.writing.add import add_items, week_file

    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    story, shown = find(ingest, ref)
    if story.state == "accepted":
        raise UsageError(f"story {story.id} is already accepted as item '{story.item_id}'; "
                         "pulse inbox accept --update adds its new sources")  # fmt: skip
    keys = _theme_keys(settings, themes) or list(shown.themes)
    if not keys:
        raise UsageError(f"story {story.id} has no suggested theme; give one with --theme")
    fields = item_fields(shown, keys, title, summary, importance)
    planned = target or week_file(settings.data, dt.date.fromisoformat(shown.date))
    before = _read(planned)
    added = add_items([fields], data=settings.data, root=settings.root, themes=settings.themes,
                      currency=settings.currency, target=target, today=now.date())  # fmt: skip
    with Inbox(ingest.inbox_path) as inbox, inbox.transaction():
        inbox.decide(story.id, "accepted", now, added[0].id)
    written = _written(settings, added[0].path, added[0].id, before) if added[0].path == planned else None
    return Decided(story.id, added[0].id, added[0].path, len(shown.sources), written)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _item_ids(settings: Settings, data: bytes | None, shown: str) -> tuple[list[str], int] | None:
    """The ids of the items in a file's bytes and its number of problems (None: no file or not UTF-8)."""
    from pulse.reading.corpus import read_text

    if data is None:
        return [], 0
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    checked = read_text(text.lstrip("\ufeff"), shown, settings.themes, settings.currency)
    return [item.id for item in checked.items], len(checked.problems)


def _written(settings: Settings, path: Path, item_id: str, before: bytes | None) -> Written | None:
    """The accept's change to `path`, if the only difference from `before` is the new item (else None: no undo)."""
    after = _read(path)
    if after is None:
        return None
    old, new = _item_ids(settings, before, str(path)), _item_ids(settings, after, str(path))
    if old is None or new is None or sorted(new[0]) != sorted([*old[0], item_id]):
        return None
    return Written(path, before, after)


def _inserted(before: bytes, after: bytes) -> tuple[int, bytes] | None:
    """Where `after` is `before` with one run of bytes inserted: (offset, those bytes); else None."""
    if len(after) <= len(before):
        return None
    prefix = 0
    limit = len(before)
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    if prefix + suffix != len(before):
        return None
    return prefix, after[prefix : len(after) - suffix]


def _restored(settings: Settings, done: Decided, written: Written, current: bytes | None) -> bytes | None:
    """The file's bytes without the accepted item, or None when that cannot be done safely.

    Exactly as the accept left it: the bytes from before. Changed elsewhere since, but with
    the item's bytes still there, once and unchanged: those bytes taken out, if what is
    left reads back as the same items less this one, with no new problem.
    """
    if current is None:
        return None
    if current == written.after:
        return written.before if written.before is not None else b""
    if written.before is None:
        return None
    found = _inserted(written.before, written.after)
    if found is None or current.count(found[1]) != 1:
        return None
    candidate = current.replace(found[1], b"", 1)
    now, then = _item_ids(settings, current, str(written.path)), _item_ids(settings, candidate, str(written.path))
    if now is None or then is None or done.item_id not in now[0]:
        return None
    if sorted(then[0]) != sorted(i for i in now[0] if i != done.item_id) or then[1] > now[1]:
        return None
    return candidate


def undo(settings: Settings, ingest: IngestSettings, done: Decided) -> Decided:
    """Take a decision back: the story is undecided again, and an accept's item leaves its file byte for byte.

    The file is restored only when the item is still there as pulse wrote it (the file
    as the accept left it, or the item's bytes unchanged amid other edits); otherwise
    nothing changes and a DataError says so. A file the accept created is removed.
    """
    from pulse.writing.add import folder_lock
    from pulse.writing.output import write_atomic

    story, _ = find(ingest, done.story)
    wanted = "accepted" if done.item_id else "rejected"
    if story.state != wanted or (done.item_id and story.item_id != done.item_id):
        raise UsageError(f"story {story.id} is {story.state} now, not {wanted} as that decision left it; "
                         "nothing was undone")  # fmt: skip
    if done.item_id:
        written = done.written
        if written is None:
            raise DataError(f"the accept of story {story.id} changed more than its item in its file; "
                            f"remove item '{done.item_id}' by hand; nothing was undone")  # fmt: skip
        shown = display_path(written.path)
        with folder_lock(settings.data):
            restored = _restored(settings, done, written, _read(written.path))
            if restored is None:
                raise DataError(f"item '{done.item_id}' in {shown} was changed or moved since it was written; "
                                "remove it by hand; nothing was undone")  # fmt: skip
            if written.before is None and restored == b"":
                written.path.unlink()
            else:
                write_atomic(written.path, restored, force=True)
    with Inbox(ingest.inbox_path) as inbox, inbox.transaction():
        inbox.undecide(story.id)
    return done


def _theme_keys(settings: Settings, names: Sequence[str]) -> list[str]:
    keys = []
    for name in names:
        found = settings.themes.resolve(name)
        if found is None:
            raise UsageError(settings.themes.unknown(name))
        keys.append(found.key)
    return list(dict.fromkeys(keys))


def reject(ingest: IngestSettings, ref: str, now: dt.datetime | None = None) -> Decided:
    """Mark a story rejected: it never comes back, and its late entries join it silently."""
    now = now or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    story, _ = find(ingest, ref)
    if story.state == "accepted":
        raise UsageError(f"story {story.id} is accepted as item '{story.item_id}'; remove the item to undo that")
    with Inbox(ingest.inbox_path) as inbox, inbox.transaction():
        inbox.decide(story.id, "rejected", now)
    return Decided(story.id, None, None)


def update(settings: Settings, ingest: IngestSettings, ref: str) -> Decided:
    """Add the sources an accepted story gained since to its item (only the new source lines are written)."""
    from pulse.ingest.clean import canonical_url
    from pulse.reading.corpus import read_corpus, read_text
    from pulse.reading.yaml_tree import parse_yaml
    from pulse.writing.add import _entry, folder_lock
    from pulse.writing.output import write_atomic

    story, shown = find(ingest, ref)
    if story.state != "accepted" or not story.item_id:
        raise UsageError(f"story {story.id} is not accepted; pulse inbox accept {story.id} writes its item")
    with folder_lock(settings.data):
        corpus = read_corpus([settings.data], settings.themes, settings.currency)
        item = next((i for i in corpus.items if i.id == story.item_id), None)
        if item is None or not item.path:
            raise DataError(f"item '{story.item_id}' of story {story.id} is no longer in the corpus")
        held = {canonical_url(s.url) for s in item.sources if s.url}
        new = [(outlet, url) for outlet, url in shown.sources if url not in held]
        path = Path(item.path)
        if not new:
            return Decided(story.id, item.id, path, 0)
        shown_path = display_path(path)
        text = path.read_bytes().decode("utf-8")
        root = parse_yaml(text.lstrip("\ufeff"), shown_path)
        lines = text.splitlines(keepends=True)
        newline = "\r\n" if "\r\n" in text else "\n"
        at, indent, header = _sources_end(root, item.id, lines)
        block = [f"{' ' * indent}- {_entry({'title': outlet, 'url': url})}{newline}" for outlet, url in new]
        if header is not None:
            block.insert(0, header + newline)
        updated = "".join(lines[:at]) + "".join(block) + "".join(lines[at:])
        old, checked = (read_text(t, shown_path, settings.themes, settings.currency) for t in (text, updated))
        if len(checked.items) != len(old.items) or len(checked.problems) > len(old.problems):
            raise DataError(f"cannot add the sources to {shown_path} safely; nothing was written", checked.problems)
        write_atomic(path, updated, force=True)
    return Decided(story.id, item.id, path, len(new))


def _id_of(node: object) -> object:
    from pulse.reading.nodes import Map, Scalar

    value = node.entries.get("id", (None, None))[1] if isinstance(node, Map) else None
    return value.value if isinstance(value, Scalar) else None


def _sources_end(root: object, item_id: str, lines: Sequence[str]) -> tuple[int, int, str | None]:
    """Where new source lines go in the item's block: (line index, dash indent, a `sources:` header if none)."""
    from pulse.reading.nodes import Map, Seq

    items = root.entries.get("items", (None, None))[1] if isinstance(root, Map) else None
    if not isinstance(items, Seq):
        raise DataError("the item's file has no block list of items")
    node = next((n for n in items.items if isinstance(n, Map) and _id_of(n) == item_id), None)
    if node is None:
        raise DataError(f"item '{item_id}' is not written as a block mapping; add the sources by hand")
    key_indent = node.column - 1
    start = max(k.line for k, _ in node.entries.values())  # 1-based line of the item's last key
    end = start
    while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > key_indent:
        end += 1
    if "sources" not in node.entries:
        return end, key_indent + 2, " " * key_indent + "sources:"
    key, value = node.entries["sources"]
    if not isinstance(value, Seq) or value.line == key.line or not value.items:
        raise DataError(f"the sources of item '{item_id}' are not a block list; add the new ones by hand")
    dash = value.items[0].column - 3
    if key.line != start:  # sources is not the last key: insert after its last element
        end = value.items[-1].line
        while end < len(lines) and lines[end].strip() and len(lines[end]) - len(lines[end].lstrip()) > dash:
            end += 1
    return end, dash, None
