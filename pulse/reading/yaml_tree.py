"""Read YAML text into a tree of nodes that remember their line and column.

This is the only module that imports PyYAML. It reads the event stream of
libyaml's C parser (the pure-Python one where libyaml is missing) and builds
the tree itself, so that it can refuse what a safe curation file never needs:
object-constructing tags, duplicate keys, alias bombs and absurd nesting.
"""

from __future__ import annotations

from typing import Any

import yaml

from pulse.errors import Problem
from pulse.reading.nodes import Map, Node, Scalar, Seq, SourceError

__all__ = ["Map", "Node", "Scalar", "Seq", "SourceError", "is_plain_text", "parse_yaml", "yaml_scalar"]

MAX_DEPTH = 64
"""Deepest nesting accepted; an item needs five levels."""

MAX_ALIAS_NODES = 100_000
"""Most nodes that aliases may add to one document (a billion-laughs guard)."""

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CORE = "tag:yaml.org,2002:"
_STR = f"{_CORE}str"
# First character -> the implicit resolvers to try, as PyYAML's Resolver keeps them.
_IMPLICIT: dict[str, list[tuple[str, Any]]] = dict(yaml.resolver.Resolver.yaml_implicit_resolvers)
_ScalarEvent = yaml.ScalarEvent
_MappingStartEvent, _MappingEndEvent = yaml.MappingStartEvent, yaml.MappingEndEvent
_SequenceStartEvent, _SequenceEndEvent = yaml.SequenceStartEvent, yaml.SequenceEndEvent
_AliasEvent, _StreamEndEvent, _DocumentStartEvent = yaml.AliasEvent, yaml.StreamEndEvent, yaml.DocumentStartEvent
_SCALAR_KINDS = {
    f"{_CORE}str": "text",
    f"{_CORE}int": "integer",
    f"{_CORE}float": "number",
    f"{_CORE}bool": "boolean",
    f"{_CORE}null": "null",
    f"{_CORE}timestamp": "date",
}


# Plain scalars repeat across a corpus (keys, dates, amounts, yes/no): how each was resolved and
# what each typed one holds (immutable values: dates, numbers, booleans) are kept, up to a bound.
_MEMO_LIMIT = 50_000
_RESOLVED_TAGS: dict[str, str] = {}
_CONSTRUCTED: dict[tuple[str, str], Any] = {}
_UNKNOWN = object()


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memo) >= _MEMO_LIMIT:
        memo.clear()
    memo[key] = value


def _resolve(value: str, candidates: list[tuple[str, Any]]) -> str:
    """The tag of a plain scalar, as PyYAML's implicit resolvers for its first character give it."""
    resolved = _STR
    for candidate, pattern in candidates:
        if pattern.match(value):
            resolved = candidate
            break
    _remember(_RESOLVED_TAGS, value, resolved)
    return resolved


def parse_yaml(text: str, path: str) -> Node | None:
    """Parse one YAML document; None for an empty one. Raises SourceError."""
    try:
        return _TreeBuilder(path).build(_Loader(text))
    except yaml.MarkedYAMLError as exc:
        raise SourceError(_own_problem(text, path) or _syntax_problem(exc, text, path)) from None
    except yaml.YAMLError as exc:  # bad characters: the error has an offset, no mark
        raise SourceError(_reader_problem(exc, text, path)) from None


def _own_problem(text: str, path: str) -> Problem | None:
    """pulse's own first problem in `text` (nesting, tags, keys...), found by the pure-Python parser.

    libyaml reads ahead and has limits of its own (0.2.6 stops flow nesting past 1,000
    levels in its scanner), so a C-parser error can hide a problem that pulse reports
    in its own words at an earlier position. PyYAML's pure-Python parser has no such
    limits and is versioned with PyYAML itself; it runs only on this error path.
    """
    if _Loader is yaml.SafeLoader:
        return None
    try:
        _TreeBuilder(path).build(yaml.SafeLoader(text))
    except SourceError as exc:
        return exc.problem
    except yaml.YAMLError:
        return None
    return None


def is_plain_text(text: str) -> bool:
    """True when `text` can be written as a plain (unquoted) YAML scalar and read back as the same text."""
    if not text or "\n" in text or "\r" in text:
        return False
    try:
        root = parse_yaml(f"k: {text}\n", "<scalar>")
    except SourceError:
        return False
    if not isinstance(root, Map) or list(root.entries) != ["k"]:
        return False
    value = root.entries["k"][1]
    return isinstance(value, Scalar) and value.kind == "text" and value.text == text


def yaml_scalar(text: str) -> str:
    """`text` as one YAML scalar on one line, by PyYAML's emitter: plain where that reads back as the same
    text, else double-quoted with YAML's escapes (`Climate Tech: Weekly #1` -> `"Climate Tech: Weekly #1"`)."""
    style = None if is_plain_text(text) else '"'
    emitted = yaml.safe_dump(text, default_style=style, allow_unicode=True, width=2**31 - 1)
    return emitted.removesuffix("\n").removesuffix("\n...")


class _TreeBuilder:
    """Turns parser events into nodes, enforcing pulse's limits on the way."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.alias_nodes = 0

    def fail(self, line: int, column: int, message: str) -> SourceError:
        """An error at a 1-based position."""
        return SourceError(Problem(self.path, line, column, message))

    def build(self, loader: Any) -> Node | None:  # noqa: PLR0915 (the hot loop is inlined on purpose)
        """Consume the whole event stream and return the document's root.

        The loop dispatches on the event's class and inlines the common cases (a plain
        text scalar added to a mapping or list): it runs once per value of the corpus.
        The collection being read lives in local variables; the ones around it wait on
        `stack`.
        """
        get_event = loader.get_event
        anchors = self.anchors
        resolved_tags = _RESOLVED_TAGS
        stack: list[tuple[Seq | Map | None, str | None, int, Scalar | None]] = []
        current: Seq | Map | None = None  # the collection being read (None at the top)
        items: list[Node] | None = None  # its list, when it is a sequence
        entries: dict[str, tuple[Scalar, Node]] | None = None  # its entries, when it is a mapping
        anchor: str | None = None  # its anchor
        current_size = 0  # nodes in its subtree, aliases expanded
        key: Scalar | None = None  # a key of the mapping waiting for its value
        root: Node | None = None
        documents = 0
        try:
            while True:
                event: Any = get_event()
                cls = event.__class__
                node: Node
                if cls is _ScalarEvent:
                    value = event.value
                    tag = event.tag
                    if tag is None and event.implicit[0]:
                        candidates = _IMPLICIT.get(value[:1])
                        if candidates is None:
                            resolved = _STR
                        else:
                            resolved = resolved_tags.get(value) or _resolve(value, candidates)
                        if resolved is _STR:
                            mark = event.start_mark
                            node = Scalar(value, "text", mark.line + 1, mark.column + 1, value)
                        else:
                            node = self._typed(event, resolved)
                    elif tag is None or tag == "!":
                        mark = event.start_mark
                        node = Scalar(value, "text", mark.line + 1, mark.column + 1, value)
                    else:
                        node = self._typed(event, tag)
                    size = 1
                    if event.anchor:
                        anchors[event.anchor] = (node, size)
                elif cls is _MappingStartEvent or cls is _SequenceStartEvent:
                    if len(stack) >= MAX_DEPTH:
                        raise self._at(event, f"nesting deeper than {MAX_DEPTH} levels")
                    stack.append((current, anchor, current_size, key))
                    anchor, current_size, key = event.anchor, 1, None
                    if event.tag is None:  # the usual, untagged collection
                        mark = event.start_mark
                        if cls is _SequenceStartEvent:
                            items, entries = [], None
                            current = Seq(items, mark.line + 1, mark.column + 1)
                        else:
                            items, entries = None, {}
                            current = Map(entries, mark.line + 1, mark.column + 1)
                        continue
                    current = self._collection(event)
                    if current.__class__ is Seq:
                        items, entries = current.items, None
                    else:
                        items, entries = None, current.entries  # type: ignore[union-attr]
                    continue
                elif cls is _MappingEndEvent or cls is _SequenceEndEvent:
                    node, size = current, current_size  # type: ignore[assignment]
                    if anchor:
                        anchors[anchor] = (node, size)
                    current, anchor, current_size, key = stack.pop()
                    if current is None:
                        root = node
                        continue
                    if current.__class__ is Seq:
                        items, entries = current.items, None
                    else:
                        items, entries = None, current.entries  # type: ignore[union-attr]
                elif cls is _AliasEvent:
                    node, size = self._alias(event)
                elif cls is _StreamEndEvent:
                    return root
                elif cls is _DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise self._at(
                            event,
                            "a second YAML document ('---'); a pulse file holds one document, split it into two files",
                        )
                    continue
                else:  # stream start, document end
                    continue
                if current is None:
                    root = node
                    continue
                current_size += size
                if items is not None:
                    items.append(node)
                elif key is not None:
                    entries[key.text] = (key, node)  # type: ignore[index]
                    key = None
                elif node.__class__ is Scalar and node.text not in entries:  # type: ignore[operator]
                    key = node
                else:
                    key = self._key(current, node)  # type: ignore[arg-type]  # reports what is wrong
        finally:
            loader.dispose()

    def _at(self, event: Any, message: str) -> SourceError:
        mark = event.start_mark
        return self.fail(mark.line + 1, mark.column + 1, message)

    def _collection(self, event: Any) -> Seq | Map:
        mark = event.start_mark
        if isinstance(event, yaml.SequenceStartEvent):
            if event.tag not in (None, "!", f"{_CORE}seq"):
                raise self._bad_tag(event, event.tag)
            return Seq([], mark.line + 1, mark.column + 1)
        if event.tag not in (None, "!", f"{_CORE}map"):
            raise self._bad_tag(event, event.tag)
        return Map({}, mark.line + 1, mark.column + 1)

    def _alias(self, event: Any) -> tuple[Node, int]:
        anchor = event.anchor or ""
        if anchor not in self.anchors:
            raise self._at(event, f"unknown alias '*{anchor}'")
        node, size = self.anchors[anchor]
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise self._at(
                event,
                f"aliases expand this file to more than {MAX_ALIAS_NODES:,} values "
                "(an alias bomb?); write the values out instead",
            )
        return node, size

    def _typed(self, event: Any, tag: str) -> Scalar:
        """A scalar of a core type other than text (integer, number, boolean, null, date)."""
        kind = _SCALAR_KINDS.get(tag)
        if kind is None:
            raise self._bad_tag(event, tag)
        mark = event.start_mark
        line, column = mark.line + 1, mark.column + 1
        if kind == "text":
            return Scalar(event.value, kind, line, column, event.value)
        value = _CONSTRUCTED.get((tag, event.value), _UNKNOWN)
        if value is _UNKNOWN:
            node = yaml.ScalarNode(tag, event.value, mark, mark)
            try:
                value = getattr(_CONSTRUCTOR, f"construct_yaml_{tag[len(_CORE) :]}")(node)
            except (ValueError, OverflowError):
                what = "impossible date" if kind == "date" else f"invalid {kind}"
                raise self.fail(line, column, f"{what} '{event.value}'") from None
            _remember(_CONSTRUCTED, (tag, event.value), value)
        return Scalar(value, kind, line, column, event.value)

    def _bad_tag(self, event: Any, tag: str | None) -> SourceError:
        if tag == f"{_CORE}merge" and isinstance(event, yaml.ScalarEvent) and event.implicit[0]:
            return self._at(
                event,
                "merge keys ('<<: *name') are not supported; write the keys of the anchored mapping "
                "out in this one (each item is read as written)",
            )
        shown = f"!!{tag[len(_CORE) :]}" if tag and tag.startswith(_CORE) else tag
        return self._at(
            event,
            f"tag '{shown}' is not allowed; pulse reads plain YAML values only (remove the tag)",
        )

    def _key(self, container: Map, node: Node) -> Scalar:
        """A mapping key: plain text, not seen before in this mapping."""
        if not isinstance(node, Scalar):
            raise self.fail(node.line, node.column, "a key must be plain text, not a list or mapping")
        if node.text in container.entries:
            first = container.entries[node.text][0]
            raise self.fail(
                node.line,
                node.column,
                f"duplicate key '{node.text}' (first at line {first.line}); keep one of them",
            )
        return node


# libyaml's problem text -> pulse's words. Matching on libyaml's wording is unavoidable
# here; a problem that no needle matches keeps libyaml's text after pulse's prefix.
_SYNTAX_HINTS = (
    ("found unexpected end of stream", "the file ends inside a quoted string; close the quote"),
    ("found unknown escape character", "an unknown escape in a double-quoted string; use single quotes"),
    ("could not find expected ':'", "a line without ':' where a key was expected; close any open quote"),
    ("mapping values are not allowed", "a ':' inside a value; quote text that contains ': '"),
    (
        "expected ',' or ']'",
        "a list opened with '[' is not closed; end it with ']', or quote text starting with '['",
    ),
    (
        "expected ',' or '}'",
        "a mapping opened with '{' is not closed; end it with '}', or quote text starting with '{'",
    ),
    ("expected key", "a line that does not line up with the keys above it; indent it as they are"),
    ("expected '-' indicator", "a line that does not line up with the list above it; indent it as its entries are"),
    ("cannot start any token", "a value starts with a character YAML reserves ('@', '`', '%'); quote the value"),
    ("block sequence entries are not allowed", "a '- ' list entry where a value was expected; quote the text"),
    ("maximum nesting depth", f"nesting deeper than {MAX_DEPTH} levels"),
)


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    raw = exc.problem or "invalid YAML"
    message = f"YAML syntax error: {raw}"
    if mark is not None and text[mark.index : mark.index + 1] == "\t":
        return Problem(path, line, column, "YAML syntax error: a tab character; YAML indents with spaces only")
    for needle, hint in _SYNTAX_HINTS:
        if needle in raw or (exc.context and needle in exc.context):
            message = hint if hint.startswith("nesting") else f"YAML syntax error: {hint}"
            break
    if "unexpected end of stream" in raw and exc.context_mark is not None:
        # libyaml points at the end of the file; the opening quote is more useful.
        line, column = exc.context_mark.line + 1, exc.context_mark.column + 1
    return Problem(path, line, column, message)


def _reader_problem(exc: yaml.YAMLError, text: str, path: str) -> Problem:
    position = getattr(exc, "position", 0)
    character = getattr(exc, "character", None)
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    if isinstance(character, str) and len(character) == 1:
        character = ord(character)
    if isinstance(character, int):
        what = f"the control character U+{character:04X}"
    else:
        what = "a character that YAML does not allow"
    return Problem(path, line, column, f"{what} is not allowed in YAML; remove it")
