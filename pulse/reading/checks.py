"""Check YAML nodes against the shapes pulse expects, collecting every problem."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from urllib.parse import urlsplit

from pulse.errors import Problem, did_you_mean
from pulse.model.text import INVISIBLE, invisible_character
from pulse.reading.nodes import Map, Node, Scalar, Seq

_ARTICLE = {
    "text": "text",
    "integer": "a number",
    "number": "a number",
    "boolean": "a yes/no value",
    "null": "empty",
    "date": "a date",
    "list": "a list",
    "mapping": "a mapping",
}
URL_SCHEMES = ("http", "https")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Either kind of character text() refuses, found in one search (most text holds neither).
_REFUSED = re.compile(f"{_CONTROL.pattern}|{INVISIBLE.pattern}")


def describe(node: Node) -> str:
    """How a node reads in a message: "a yes/no value (NO)", "a list"."""
    article = _ARTICLE[node.kind]
    if isinstance(node, Scalar) and node.kind not in ("text", "null"):
        return f"{article} ({node.text})"
    return article


# The usual shape of a good URL, accepted without taking it apart; anything else goes through urlsplit.
_PLAIN_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:[/?#]\S*)?\Z")
WHITESPACE = re.compile(r"\s")


def is_web_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host and no whitespace (a space, a no-break space, a tab...)."""
    if _PLAIN_WEB_URL.match(text):
        return True
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in URL_SCHEMES and bool(parts.netloc) and WHITESPACE.search(text) is None


MAX_NUMBER = 1_000_000
"""The largest boost or weight: scores built from them stay finite."""


_BARE_EXPONENT = re.compile(r"^([-+]?)([0-9]+)(?:\.([0-9]*))?[eE]([-+]?)([0-9]+)$")


def _exponent_hint(node: Node) -> str:
    """For `1e3`, which YAML 1.1 reads as text (its floats need a dot and a signed exponent): how to write it."""
    match = _BARE_EXPONENT.match(node.text.strip()) if isinstance(node, Scalar) and node.kind == "text" else None
    if match is None:
        return ""
    sign, whole, fraction, exp_sign, exponent = match.groups()
    value = float(node.text)  # type: ignore[union-attr]
    plain = f"{value:.0f}" if value.is_integer() and abs(value) < 1e16 else repr(value)
    written = f"{sign}{whole}.{fraction or '0'}e{exp_sign or '+'}{exponent}"
    return f" (YAML reads {node.text.strip()} as text: write {plain} or {written})"  # type: ignore[union-attr]


class Checker:
    """Collects problems for one file while its nodes are checked."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def error(self, node: Node | tuple[int, int], message: str) -> None:
        """Record a problem at a node (or a line and column)."""
        line, column = node if isinstance(node, tuple) else (node.line, node.column)
        self.problems.append(Problem(self.path, line, column, message))

    def mapping(
        self,
        node: Node,
        what: str,
        known: Collection[str],
        required: Iterable[str] = (),
    ) -> dict[str, Node] | None:
        """The entries of a mapping with known keys; None (reported) if not a mapping."""
        if not isinstance(node, Map):
            self.error(node, f"{what} must be a mapping of keys to values, not {describe(node)}")
            return None
        entries: dict[str, Node] = {}
        for key, (key_node, value) in node.entries.items():
            if key in known:
                entries[key] = value
            else:
                hint = did_you_mean(key, known) or f" (known keys: {', '.join(known)})"
                self.error(key_node, f"unknown key '{key}' in {what}{hint}")
        for key in required:
            if key not in node.entries:
                self.error(node, f"{what} is missing the required key '{key}'")
        return entries

    def text(self, node: Node | None, name: str, *, required: bool = False) -> str | None:
        """A text value; null or absent gives None."""
        if node.__class__ is Scalar and node.kind == "text":  # the usual case, first
            text: str = node.text
            if (not required or text.strip()) and _REFUSED.search(text) is None:
                return text
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            if required and node is not None:
                self.error(node, f"'{name}' must not be empty")
            return None
        if isinstance(node, Scalar) and node.kind == "text":
            if required and not node.text.strip():
                self.error(node, f"'{name}' must not be empty")
                return None
            control = _CONTROL.search(node.text)  # here _REFUSED found one of the two kinds
            if control:
                # Written as an escape ("\x07") in a quoted string: no page, feed or terminal can show it.
                code = f"U+{ord(control.group()):04X}"
                self.error(node, f"'{name}' holds the control character {code}; remove it")
                return None
            invisible = invisible_character(node.text)
            self.error(node, f"'{name}' holds {invisible}; remove it")  # it would display as something else
            return None
        hint = ""
        if isinstance(node, Scalar):
            hint = f'; put it in quotes if it is text: "{node.text}"'
        self.error(node, f"'{name}' must be text, not {describe(node)}{hint}")
        return None

    def text_list(self, node: Node | None, name: str, example: str) -> tuple[str, ...]:
        """A list of non-empty texts; a problem for anything else."""
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            return ()
        if not isinstance(node, Seq):
            self.error(node, f"'{name}' must be a list, e.g. {name}: [{example}]")
            return ()
        values = []
        for entry in node.items:
            value = self.text(entry, f"{name} entry", required=True)
            if value is not None:
                values.append(value)
        return tuple(values)

    def boolean(self, node: Node | None, name: str, default: bool = False) -> bool:
        """A yes/no value."""
        if node is None:
            return default
        if isinstance(node, Scalar) and node.kind == "boolean":
            return bool(node.value)
        self.error(node, f"'{name}' must be true or false, not {describe(node)}")
        return default

    def integer(self, node: Node | None, name: str, low: int, high: int) -> int | None:
        """A whole number within [low, high]."""
        if node is None:
            return None
        if not (isinstance(node, Scalar) and node.kind == "integer"):
            self.error(node, f"'{name}' must be a whole number from {low} to {high}, not {describe(node)}")
            return None
        assert isinstance(node.value, int)
        if not low <= node.value <= high:
            self.error(node, f"'{name}' must be from {low} to {high}, not {node.value}")
            return None
        return node.value

    def number(self, node: Node | None, name: str) -> float | None:
        """A number between -MAX_NUMBER and MAX_NUMBER (so that scores stay finite)."""
        if node is None:
            return None
        if isinstance(node, Scalar) and node.kind in ("integer", "number"):
            assert isinstance(node.value, (int, float))
            if node.value == node.value and abs(node.value) <= MAX_NUMBER:
                return float(node.value)
            self.error(node, f"'{name}' must be between -{MAX_NUMBER:,} and {MAX_NUMBER:,}, not {node.text}")
            return None
        self.error(node, f"'{name}' must be a number, not {describe(node)}{_exponent_hint(node)}")
        return None

    def date(self, node: Node | None, name: str, *, required: bool = False) -> dt.date | None:
        """A date written 2026-03-16 (quoted or not)."""
        if node is None or (isinstance(node, Scalar) and node.kind == "null"):
            if required and node is not None:
                self.error(node, f"'{name}' must not be empty")
            return None
        if isinstance(node, Scalar):
            if isinstance(node.value, dt.datetime):
                return node.value.date()
            if isinstance(node.value, dt.date):
                return node.value
            if node.kind == "text":
                try:
                    return dt.date.fromisoformat(node.text.strip())
                except ValueError:
                    pass
        self.error(node, f"'{name}' must be a date like 2026-03-16, not {describe(node)}")
        return None

    def url(self, node: Node, name: str) -> str | None:
        """An http(s) URL."""
        text = self.text(node, name, required=True)
        if text is None:
            return None
        if not is_web_url(text):
            self.error(node, f"{name} '{text}' is not an http(s) URL (write it like https://example.com/page)")
            return None
        return text
