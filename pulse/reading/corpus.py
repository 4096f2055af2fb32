"""The corpus: find the YAML files, read them, validate them into model objects."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pulse.errors import DataError, Problem, UsageError, display_path, plural
from pulse.model import Digest, Item, Source, ThemeRegistry
from pulse.model.items import (
    ITEM_FIELDS,
    ITEM_REQUIRED,
    Field,
    pack_positions,
)
from pulse.model.money import Money, MoneyError, money_from_number, parse_money
from pulse.model.text import id_key, id_problem
from pulse.reading.blocks import BlockChecker
from pulse.reading.checks import WHITESPACE, describe
from pulse.reading.nodes import Map, Node, Scalar, Seq, SourceError

YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 32_000_000
"""The largest file pulse reads: about 40,000 items, far more than a week holds."""
FILE_KEYS = ("digest", "items")
SOURCE_KEYS = ("title", "url")
MONEY_KEYS = ("value", "currency")


@dataclass(frozen=True)
class Corpus:
    """Every item and digest block of the data folder, and what was wrong with it."""

    items: tuple[Item, ...]
    digests: tuple[Digest, ...]
    files: tuple[str, ...]
    problems: tuple[Problem, ...] = ()
    counts: tuple[int, int] | None = None
    """The whole corpus's item and digest counts when `items` and `digests` hold only a window of it
    (pulse.reading.manifest): every item dated inside the window, and some outside it."""

    @property
    def item_count(self) -> int:
        """How many items the whole corpus holds."""
        return self.counts[0] if self.counts else len(self.items)

    def describe(self) -> str:
        """ "24 items and 1 digest in 1 file"."""
        digests = self.counts[1] if self.counts else len(self.digests)
        return f"{plural(self.item_count, 'item')} and {plural(digests, 'digest')} in {plural(len(self.files), 'file')}"

    def summary(self) -> str:
        """ "2 errors in 1 of 14 files"."""
        return summarize(self.problems, len(self.files))

    def require_valid(self) -> Corpus:
        """Return self, or raise DataError listing every problem."""
        if self.problems:
            raise DataError(summarize(self.problems, len(self.files)), self.problems)
        return self


def summarize(problems: Sequence[Problem], file_count: int) -> str:
    """ "2 errors in 1 of 14 files"."""
    bad_files = len({problem.path for problem in problems})
    return f"{plural(len(problems), 'error')} in {bad_files} of {plural(file_count, 'file')}"


def find_files(paths: Iterable[Path]) -> list[Path]:
    """Every *.yaml / *.yml file under the given files and folders, in sorted order."""
    return [path for path, _ in scan(paths)]


def scan(paths: Iterable[Path]) -> list[tuple[Path, os.stat_result | None]]:
    """Every *.yaml / *.yml file under the given files and folders with its stat (None: unreadable), sorted.

    Folders are walked with os.scandir, whose entries carry their stat; a symlinked folder is
    followed like a symlinked file, and each real folder is walked once, so a symlink loop
    (or two links to one folder) cannot trap the walk or read a file twice.
    """
    found: dict[Path, os.stat_result | None] = {}
    seen: set[tuple[int, int]] = set()
    for path in paths:
        if path.is_dir():
            _walk(path, found, seen)
        elif path.exists():
            found[path] = _stat(path)
        else:
            raise UsageError(f"no such file or folder: {display_path(path)}")
    return sorted(found.items())


def _stat(path: Path | os.DirEntry[str]) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None  # read_file reports why


def _walk(folder: Path, found: dict[Path, os.stat_result | None], seen: set[tuple[int, int]]) -> None:
    status = _stat(folder)
    if status is None or (status.st_dev, status.st_ino) in seen:
        return
    seen.add((status.st_dev, status.st_ino))
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:  # a symlink loop: read_file reports it, if it is named like a pulse file
            is_dir = False
        if is_dir:
            _walk(folder / entry.name, found, seen)
        elif entry.name.endswith(YAML_SUFFIXES):
            found[folder / entry.name] = _stat(entry)


Progress = Callable[[int, int], None]
"""Called with (files done, files in all) as a load goes on."""


def read_corpus(paths: Iterable[Path], themes: ThemeRegistry, currency: str = "USD") -> Corpus:
    """Read and validate every file under `paths`, one by one; problems are collected, not raised.

    This is the reference reader; the commands use pulse.reading.loader, which gives the same
    Corpus through the parse cache and on several cores.
    """
    files = find_files(paths)
    items: list[Item] = []
    digests: list[Digest] = []
    problems: list[Problem] = []
    for path in files:
        content = read_file(path, display_path(path), themes, currency)
        items.extend(content.items)
        digests.extend(content.digests)
        problems.extend(content.problems)
    problems.extend(cross_file_problems(items, digests))
    return Corpus(tuple(items), tuple(digests), tuple(display_path(f) for f in files), tuple(problems))


def read_file(path: Path, shown: str, themes: ThemeRegistry, currency: str = "USD") -> FileContent:
    """Read, decode and validate one file; what cannot be read is a problem, never an exception."""
    try:
        # O_NONBLOCK: opening a pipe named x.yaml must not wait for a writer.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                return FileContent.failed(shown, "not a regular file (a pipe or device?); pulse reads plain files only")
            if status.st_size > MAX_FILE_BYTES:
                return FileContent.failed(
                    shown,
                    f"the file is {status.st_size / 1e6:.0f} MB; pulse reads files of up to "
                    f"{MAX_FILE_BYTES // 1_000_000} MB: split it (one file per week is usual)",
                )
            data = handle.read(status.st_size + 1)  # not MAX_FILE_BYTES at once: a buffer that size per file
            if len(data) > status.st_size:  # it grew since: the rest too, up to the limit
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as exc:
        return FileContent.failed(shown, f"cannot read the file: {exc.strerror or exc}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        byte = data[exc.start : exc.start + 1].hex()
        return FileContent(
            (), (), (Problem(shown, line, column, f"byte 0x{byte} is not UTF-8; save the file as UTF-8"),)
        )
    return read_text(text, shown, themes, currency)


@dataclass(frozen=True)
class FileContent:
    """What one file's text holds: its items, digest blocks and problems."""

    items: tuple[Item, ...]
    digests: tuple[Digest, ...]
    problems: tuple[Problem, ...]

    @classmethod
    def failed(cls, path: str, message: str, line: int = 0, column: int = 0) -> FileContent:
        """A file that could not be read at all."""
        return cls((), (), (Problem(path, line, column, message),))


def read_text(text: str, shown: str, themes: ThemeRegistry, currency: str = "USD") -> FileContent:
    """Validate the text of one file (not yet written anywhere)."""
    from pulse.reading.yaml_tree import parse_yaml  # PyYAML only when something must be parsed

    checker = _FileChecker(shown, themes, currency)
    try:
        root = parse_yaml(text, shown)
    except SourceError as exc:
        return FileContent((), (), (exc.problem,))
    if root is not None:
        checker.file(root)
    problems = sorted(checker.problems, key=lambda p: (p.line, p.column))
    return FileContent(tuple(checker.items), tuple(checker.digests), tuple(problems))


class _FileChecker(BlockChecker):
    """Validates one file's tree into items and at most one digest block."""

    def __init__(self, path: str, themes: ThemeRegistry, currency: str) -> None:
        super().__init__(path, themes)
        self.currency = currency
        self.items: list[Item] = []
        self.digests: list[Digest] = []

    def file(self, root: Node) -> None:
        if not isinstance(root, Map):
            self.error(
                root,
                f"a pulse file must be a mapping with 'items:' (and optionally 'digest:'), not {describe(root)}",
            )
            return
        entries = self.mapping(root, "the file", FILE_KEYS)
        assert entries is not None
        if "digest" in entries:
            digest = self.digest(entries["digest"])
            if digest is not None:
                self.digests.append(digest)
        items = entries.get("items")
        if items is None or (isinstance(items, Scalar) and items.kind == "null"):
            return
        if not isinstance(items, Seq):
            self.error(items, f"'items' must be a list of items (each starting with '- '), not {describe(items)}")
            return
        for node in items.items:
            item = self.item(node)
            if item is not None:
                self.items.append(item)

    def item(self, node: Node) -> Item | None:
        fields = self.mapping(node, _item_name(node), ITEM_FIELDS, ITEM_REQUIRED)  # a dict: keys found at once
        if fields is None:
            return None
        before = len(self.problems)
        values: dict[str, object] = {}
        where: dict[str, tuple[int, int]] = {}
        for name, value_node in fields.items():  # an absent field keeps the Item's default
            where[name] = (value_node.line, value_node.column)
            value = self.field(value_node, name, ITEM_FIELDS[name])
            if value is not None:
                values[name] = value
        item = Item(**values, path=self.path, line=node.line, column=node.column, positions=pack_positions(where))  # type: ignore[arg-type]
        if len(self.problems) > before or not all(name in values for name in ITEM_REQUIRED):
            return None
        return item

    def field(self, node: Node | None, name: str, spec: Field) -> object:
        """The value of one item field, checked by its kind; None when absent or wrong (reported)."""
        kind = spec.kind
        if kind == "id":
            return self.item_id(node)
        if kind == "text":
            return self.text(node, name, required=spec.required)
        if kind == "date":
            return self.date(node, name, required=spec.required)
        if kind == "themes":
            return self.item_themes(node) or None
        if kind == "texts":
            return self.text_list(node, name, spec.example)
        if kind == "money":
            return self.money(node, name)
        if kind == "importance":
            return self.integer(node, name, 1, 5)
        if kind == "sources":
            return self.sources(node)
        if kind == "flag":
            return self.boolean(node, name)
        if kind == "number":
            return self.number(node, name) or None  # 0 is the default, 0.0
        raise AssertionError(f"no check for the kind of field '{kind}'")

    def item_id(self, node: Node | None) -> str | None:
        """The id: NFC text of letters, digits, '-', '_' and '.' (README, "Ids")."""
        item_id = self.text(node, "id", required=True)
        if node is None or item_id is None:
            return item_id
        if WHITESPACE.search(item_id):
            self.error(node, f"id '{item_id}' must not contain spaces (use dashes: '{'-'.join(item_id.split())}')")
        elif (problem := id_problem(item_id)) is not None:
            self.error(node, problem)
        return item_id

    def item_themes(self, node: Node | None) -> tuple[str, ...]:
        if node is None:
            return ()
        if not isinstance(node, Seq):
            example = node.text if isinstance(node, Scalar) and node.kind == "text" else "funding"
            self.error(node, f"'themes' must be a list, e.g. themes: [{example}]")
            return ()
        if not node.items:
            self.error(node, "'themes' must name at least one theme, e.g. themes: [funding]")
            return ()
        keys: list[str | None] = []
        for entry in node.items:
            name = self.text(entry, "themes entry", required=True)
            key = self.theme_key(name, entry) if name is not None else None
            if key not in keys or key is None:
                keys.append(key)
        return () if None in keys else tuple(k for k in keys if k is not None)

    def money(self, node: Node | None, name: str) -> Money | None:
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return None
        try:
            if isinstance(node, Scalar) and node.kind == "text":
                return parse_money(node.text, self.currency)
            if isinstance(node, Scalar) and node.kind in ("integer", "number"):
                assert isinstance(node.value, (int, float))
                return money_from_number(node.value, self.currency)
            if isinstance(node, Map):
                parts = self.mapping(node, f"'{name}'", MONEY_KEYS, MONEY_KEYS)
                if parts is None or len(parts) < len(MONEY_KEYS):
                    return None
                value, currency = parts["value"], parts["currency"]
                code = self.text(currency, f"{name} currency", required=True)
                if not (isinstance(value, Scalar) and value.kind in ("integer", "number", "text")):
                    self.error(value, f"'{name}' value must be a number, not {describe(value)}")
                    return None
                return money_from_number(str(value.value), code) if code else None
        except MoneyError as exc:
            self.error(node, f"'{name}': {exc}")
            return None
        self.error(
            node,
            f"'{name}' must be an amount like \"$1B\" or {{value: 1e9, currency: USD}}, not {describe(node)}",
        )
        return None

    def sources(self, node: Node | None) -> tuple[Source, ...]:
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return ()
        if not isinstance(node, Seq):
            self.error(node, "'sources' must be a list of URLs or {title, url} mappings")
            return ()
        sources = []
        for entry in node.items:
            if isinstance(entry, Map):
                parts = self.mapping(entry, "a source", SOURCE_KEYS) or {}
                title = self.text(parts.get("title"), "source title")
                url = self.url(parts["url"], "source") if "url" in parts else None
                if title is None and url is None:
                    if not parts:
                        self.error(entry, "a source needs a 'title', a 'url' or both")
                    continue
                sources.append(Source(url=url, title=title))
            else:
                url = self.url(entry, "source")
                if url is not None:
                    sources.append(Source(url=url))
        return tuple(sources)


def _item_name(node: Node) -> str:
    """ "item 'together-ai'" when the item has a readable id, else "an item"."""
    if isinstance(node, Map) and "id" in node.entries:
        id_node = node.entries["id"][1]
        if isinstance(id_node, Scalar) and id_node.kind == "text" and id_node.text:
            return f"item '{id_node.text}'"
    return "an item"


def cross_file_problems(items: Sequence[Item], digests: Sequence[Digest]) -> list[Problem]:
    """Duplicate ids, and two digest blocks with one date, across the files."""
    problems = []
    first_of: dict[str, Item] = {}
    for item in items:
        first = first_of.setdefault(id_key(item.id), item)
        if first is not item:
            line, column = item.position("id")
            where = f"{first.path}:{first.position('id')[0]}:{first.position('id')[1]}"
            also = f"also at {where}" if first.id == item.id else f"'{first.id}' at {where}"
            rule = "ids must be unique" if first.id == item.id else "ids must be unique whatever their case"
            problems.append(Problem(item.path, line, column, f"duplicate id '{item.id}' ({also}); {rule}"))
    dated: dict[object, Digest] = {}
    for digest in digests:
        first_digest = dated.setdefault(digest.date, digest)
        if first_digest is not digest:
            problems.append(
                Problem(
                    digest.path,
                    digest.line,
                    1,
                    f"a second digest block dated {digest.date} (also at {first_digest.path}:{first_digest.line}); "
                    "one issue per date",
                )
            )
    return problems
