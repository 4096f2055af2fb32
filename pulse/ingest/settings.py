"""The `sources:`, `fetch:` and `rules:` blocks of pulse.yaml, checked with file:line:column messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pulse.errors import DataError, display_path
from pulse.model import ThemeRegistry
from pulse.reading.checks import Checker, describe
from pulse.reading.nodes import Map, Node, Scalar, Seq, SourceError
from pulse.reading.settings import CONFIG_NAME, Settings

SOURCE_KEYS = ("name", "url", "opml", "themes", "tags")
FETCH_KEYS = ("timeout", "max_bytes", "max_redirects", "workers")
RULE_KEYS = ("name", "match", "themes", "drop")
INBOX_FOLDER = ".pulse"
INBOX_NAME = "inbox.sqlite3"


@dataclass(frozen=True)
class SourceSpec:
    """One feed to read, or (with `opml`) a subscription list to expand into feeds."""

    name: str
    url: str  # an http(s) or file:// URL, or a path (resolved against pulse.yaml's folder)
    themes: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    opml: bool = False


@dataclass(frozen=True)
class FetchOptions:
    """The `fetch:` block: limits for every request."""

    timeout: float = 10.0  # seconds to connect and for each read
    max_bytes: int = 10_000_000  # a larger response (also after decompression) is that source's error
    max_redirects: int = 5
    workers: int = 16  # sources read at the same time


@dataclass(frozen=True)
class Rule:
    """Every rule whose pattern is found in an entry's title or summary applies, in order."""

    name: str
    pattern: re.Pattern[str]
    themes: tuple[str, ...] = ()
    drop: bool = False


@dataclass(frozen=True)
class IngestSettings:
    """What `pulse fetch` reads, how, and what it suggests."""

    root: Path
    sources: tuple[SourceSpec, ...] = ()
    fetch: FetchOptions = field(default_factory=FetchOptions)
    rules: tuple[Rule, ...] = ()
    user_agent: str = "pulse"

    @property
    def inbox_path(self) -> Path:
        """The inbox database: `.pulse/inbox.sqlite3` beside pulse.yaml."""
        return self.root / INBOX_FOLDER / INBOX_NAME


def user_agent(settings: Settings) -> str:
    """`pulse/VERSION (+site URL)`: who is asking, and where to read about it."""
    from pulse import __version__

    site = settings.site_url or "https://github.com/pulse-newsletter/pulse"
    return f"pulse/{__version__} (+{site})"


def read_ingest(settings: Settings) -> IngestSettings:
    """The ingestion blocks of the project's pulse.yaml (empty ones without a pulse.yaml)."""
    agent = user_agent(settings)
    path = settings.config_path
    if path is None:
        return IngestSettings(root=settings.root, user_agent=agent)
    from pulse.reading.yaml_tree import parse_yaml

    shown = display_path(path)
    try:
        root = parse_yaml(path.read_text(encoding="utf-8-sig"), shown)
    except SourceError as exc:  # pragma: no cover - read_config has already refused it
        raise DataError(f"{CONFIG_NAME} is not valid", [exc.problem]) from None
    fields = root.entries if isinstance(root, Map) else {}
    checker = Checker(shown)
    folder = path.resolve().parent
    sources = _sources(checker, fields["sources"][1], settings.themes, folder) if "sources" in fields else ()
    fetch = _fetch(checker, fields["fetch"][1]) if "fetch" in fields else FetchOptions()
    rules = _rules(checker, fields["rules"][1], settings.themes) if "rules" in fields else ()
    if checker.problems:
        raise DataError(f"{CONFIG_NAME} is not valid", checker.problems)
    return IngestSettings(root=folder, sources=sources, fetch=fetch, rules=rules, user_agent=agent)


def _themes(checker: Checker, node: Node | None, themes: ThemeRegistry) -> tuple[str, ...]:
    keys = []
    for name in checker.text_list(node, "themes", "funding"):
        theme = themes.resolve(name)
        if theme is None:
            assert node is not None
            checker.error(node, themes.unknown(name))
        elif theme.key not in keys:
            keys.append(theme.key)
    return tuple(keys)


def _location(text: str, folder: Path) -> str:
    """A URL as written, or a path made absolute against pulse.yaml's folder."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        return text
    return str((folder / text).resolve())


def _sources(checker: Checker, node: Node, themes: ThemeRegistry, folder: Path) -> tuple[SourceSpec, ...]:
    if isinstance(node, Scalar) and node.kind == "null":
        return ()
    if not isinstance(node, Seq):
        checker.error(node, f"'sources' must be a list of feeds, not {describe(node)}")
        return ()
    specs: list[SourceSpec] = []
    for entry in node.items:
        fields = checker.mapping(entry, "a source", SOURCE_KEYS)
        if fields is None:
            continue
        if ("url" in fields) == ("opml" in fields):
            checker.error(entry, "a source needs either 'url' (a feed) or 'opml' (a subscription list)")
            continue
        key = "url" if "url" in fields else "opml"
        where = checker.text(fields[key], key, required=True)
        if where is None:
            continue
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", where) and not re.match(r"^(https?|file)://", where, re.I):
            checker.error(fields[key], f"{key} '{where}' must be an http(s) or file:// URL, or a path")
            continue
        name = checker.text(fields.get("name"), "name", required=True) or where
        tags = checker.text_list(fields.get("tags"), "tags", "chips")
        specs.append(
            SourceSpec(
                name=name,
                url=_location(where, folder),
                themes=_themes(checker, fields.get("themes"), themes),
                tags=tags,
                opml=key == "opml",
            )
        )
    return tuple(specs)


def _fetch(checker: Checker, node: Node) -> FetchOptions:
    fields = checker.mapping(node, "'fetch'", FETCH_KEYS) or {}
    options = FetchOptions()
    values: dict[str, float | int] = {}
    if "timeout" in fields:
        timeout = checker.number(fields["timeout"], "timeout")
        if timeout is not None and not 0 < timeout <= 600:
            checker.error(fields["timeout"], f"'timeout' must be from 0 to 600 seconds, not {timeout:g}")
        elif timeout is not None:
            values["timeout"] = timeout
    for name, low, high in (("max_bytes", 1024, 10**10), ("max_redirects", 0, 30), ("workers", 1, 64)):
        if name in fields:
            number = checker.integer(fields[name], name, low, high)
            if number is not None:
                values[name] = number
    return FetchOptions(
        timeout=float(values.get("timeout", options.timeout)),
        max_bytes=int(values.get("max_bytes", options.max_bytes)),
        max_redirects=int(values.get("max_redirects", options.max_redirects)),
        workers=int(values.get("workers", options.workers)),
    )


def _rules(checker: Checker, node: Node, themes: ThemeRegistry) -> tuple[Rule, ...]:
    if isinstance(node, Scalar) and node.kind == "null":
        return ()
    if not isinstance(node, Seq):
        checker.error(node, f"'rules' must be a list of rules, not {describe(node)}")
        return ()
    rules: list[Rule] = []
    for number, entry in enumerate(node.items, 1):
        fields = checker.mapping(entry, "a rule", RULE_KEYS, ("match",))
        if fields is None or "match" not in fields:
            continue
        text = checker.text(fields["match"], "match", required=True)
        if text is None:
            continue
        try:
            pattern = re.compile(text, re.IGNORECASE)
        except re.error as exc:
            checker.error(fields["match"], f"'match' is not a regular expression: {exc.msg} at position {exc.pos}")
            continue
        rule_themes = _themes(checker, fields.get("themes"), themes)
        drop = checker.boolean(fields.get("drop"), "drop")
        if "themes" not in fields and not drop:
            checker.error(entry, "a rule needs 'themes' to suggest or 'drop: true'")
            continue
        name = checker.text(fields.get("name"), "name", required=True) or f"rule {number}"
        if rule_themes or drop:
            rules.append(Rule(name=name, pattern=pattern, themes=rule_themes, drop=drop))
    return tuple(rules)
