"""Project settings: defaults < pulse.yaml < environment < command-line flags."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from pulse.errors import DataError, UsageError, display_path
from pulse.model import Theme, ThemeRegistry
from pulse.model.money import MoneyError, currency_code
from pulse.model.rates import PinnedRate
from pulse.model.themes import BUILTIN_THEMES
from pulse.model.weights import Weights
from pulse.reading.checks import Checker, describe, is_web_url
from pulse.reading.nodes import Map, Node, Scalar, Seq, SourceError
from pulse.resources import bundled

CONFIG_NAME = "pulse.yaml"
INGEST_KEYS = ("sources", "fetch", "rules")  # checked by pulse.ingest.settings
CONFIG_KEYS = (
    "name", "site_url", "data", "currency", "rates", "money", "themes", "ranking", "feed", "email", *INGEST_KEYS,
)  # fmt: skip
EMAIL_KEYS = ("view_online",)
MONEY_KEYS = ("show_converted",)
SHOW_CONVERTED = ("auto", "always", "never")
FEED_KEYS = ("title", "author", "base_url")
RANKING_KEYS = ("importance", "recency", "half_life_days", "money", "sources", "boost", "themes")
THEME_KEYS = ("title", "description", "order", "color", "aliases")
_THEME_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")
_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
COLOURS = _COLOURS + tuple(f"bright_{c}" for c in _COLOURS)
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Settings:
    """Everything a command needs to know about the project."""

    root: Path
    data: Path
    themes: ThemeRegistry
    config_path: Path | None = None
    name: str = "pulse"
    site_url: str | None = None
    currency: str = "USD"
    rates: tuple[PinnedRate, ...] = ()  # `rates:`: one unit of a currency in the base currency
    show_converted: str = "auto"  # `money: {show_converted}`
    weights: Weights = field(default_factory=Weights)
    feed_title: str | None = None
    feed_author: str | None = None
    feed_base_url: str | None = None  # default: site_url
    sample: bool = False  # True when no project was found and the bundled sample is used
    data_given: bool = False  # True when --data or PULSE_DATA named the data folder
    view_online: str | None = (
        None  # `email: {view_online}`: the web address, a pattern of {date}, {week}, {year}
    )


def find_config(start: Path) -> Path | None:
    """The nearest pulse.yaml in `start` or a folder above it."""
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_settings(
    *,
    config: Path | None = None,
    data: Path | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Settings for a command: flags (`config`, `data`) win over the environment, which wins over pulse.yaml."""
    env = os.environ if environ is None else environ
    here = cwd or Path.cwd()
    if config is None and env.get("PULSE_CONFIG"):
        config = Path(env["PULSE_CONFIG"])
    if data is None and env.get("PULSE_DATA"):
        data = Path(env["PULSE_DATA"])
    if config is not None and not config.is_file():
        raise UsageError(f"no such config file: {config}")
    if config is None and data is not None:
        config = find_config(data.absolute())  # the data folder's own project, wherever pulse runs from
    config = config or find_config(here)
    if config is None and data is None and not (here / "digests").is_dir():
        sample = read_config(bundled(CONFIG_NAME))
        return replace(sample, data=bundled("digests"), sample=True)
    settings = read_config(config) if config else Settings(root=here, data=here / "digests", themes=_registry({}))
    if data is not None:
        if not data.exists():
            raise UsageError(f"no such data folder: {data}")
        settings = replace(settings, data=data, data_given=True)
    return settings


def read_config(path: Path) -> Settings:
    """Parse and validate a pulse.yaml; raise DataError listing every problem."""
    from pulse.reading.yaml_tree import parse_yaml  # PyYAML only when there is a pulse.yaml

    shown = display_path(path)
    checker = Checker(shown)
    try:
        root = parse_yaml(path.read_text(encoding="utf-8-sig"), shown)
    except SourceError as exc:
        raise DataError(f"{CONFIG_NAME} is not valid", [exc.problem]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read {shown}: {exc}") from None
    fields: dict[str, Node] = {}
    if root is not None:
        fields = checker.mapping(root, CONFIG_NAME, CONFIG_KEYS) or {}
    folder = path.resolve().parent
    data_text = checker.text(fields.get("data"), "data")
    site_url = checker.url(fields["site_url"], "site_url") if "site_url" in fields else None
    currency = _currency(checker, fields.get("currency"), "currency") or "USD"
    rates = _pinned_rates(checker, fields.get("rates"), currency)
    money = (checker.mapping(fields["money"], "'money'", MONEY_KEYS) or {}) if "money" in fields else {}
    show_converted = checker.text(money.get("show_converted"), "show_converted") or "auto"
    if show_converted not in SHOW_CONVERTED:
        checker.error(money["show_converted"], f"show_converted must be one of {', '.join(SHOW_CONVERTED)}")
    alias_nodes: dict[str, tuple[Scalar, list[Scalar]]] = {}
    overrides = _theme_overrides(checker, fields.get("themes"), alias_nodes)
    themes = _registry(overrides)
    _check_aliases(checker, themes, alias_nodes)
    weights = _weights(checker, fields.get("ranking"), themes)
    feed = (checker.mapping(fields["feed"], "'feed'", FEED_KEYS) or {}) if "feed" in fields else {}
    feed_base_url = checker.url(feed["base_url"], "feed base_url") if "base_url" in feed else None
    feed_title = checker.text(feed.get("title"), "title")
    feed_author = checker.text(feed.get("author"), "author")
    name = checker.text(fields.get("name"), "name") or "pulse"
    email = (checker.mapping(fields["email"], "'email'", EMAIL_KEYS) or {}) if "email" in fields else {}
    view_online = _view_online(checker, email["view_online"]) if "view_online" in email else None
    if checker.problems:
        raise DataError(f"{CONFIG_NAME} is not valid", checker.problems)
    return Settings(
        root=folder,
        data=folder / (data_text or "digests"),
        themes=themes,
        weights=weights,
        feed_title=feed_title,
        feed_author=feed_author,
        feed_base_url=feed_base_url or site_url,
        config_path=path,
        name=name,
        site_url=site_url,
        currency=currency,
        rates=rates,
        show_converted=show_converted,
        view_online=view_online,
    )


def _view_online(checker: Checker, node: Node) -> str | None:
    """`view_online`: an http(s) URL, where {date}, {week} and {year} stand for the issue's."""
    pattern = checker.text(node, "view_online", required=True)
    if pattern is None:
        return None
    try:
        example = pattern.format(date="2026-03-16", week="2026-W12", year="2026")
    except (KeyError, IndexError, ValueError):
        checker.error(
            node,
            f"view_online '{pattern}' may hold only {{date}}, {{week}} and {{year}} in braces "
            "(e.g. https://example.com/issues/{week}/)",
        )
        return None
    if not is_web_url(example):
        checker.error(
            node, f"view_online '{pattern}' is not an http(s) URL (write it like https://example.com/{{week}}/)"
        )
        return None
    return pattern


def _currency(checker: Checker, node: Node | None, name: str) -> str | None:
    """An ISO 4217 code (or a symbol such as € for it)."""
    text = checker.text(node, name)
    if text is None or node is None:
        return None
    try:
        return currency_code(text)
    except MoneyError as exc:
        checker.error(node, f"{name}: {exc}")
        return None


def _pinned_rates(checker: Checker, node: Node | None, base: str) -> tuple[PinnedRate, ...]:
    """`rates:`: per currency, one unit in the base currency, or {date: rate} to pin rates from dates on."""
    if node is None:
        return ()
    if not isinstance(node, Map):
        checker.error(node, f"'rates' must map currency codes to rates in {base}, not {describe(node)}")
        return ()
    pins: list[PinnedRate] = []
    for key_node, value in node.entries.values():
        code = _currency(checker, key_node, "rates")
        if code is None:
            continue
        if isinstance(value, Map):
            for day_node, rate_node in value.entries.values():
                day = checker.date(day_node, f"date of the {code} rate")
                rate = _rate(checker, rate_node, code, base)
                if day is not None and rate is not None:
                    pins.append(PinnedRate(code, rate, day))
            continue
        rate = _rate(checker, value, code, base)
        if rate is not None:
            pins.append(PinnedRate(code, rate))
    return tuple(pins)


def _rate(checker: Checker, node: Node, code: str, base: str) -> Decimal | None:
    number = checker.number(node, f"rate of {code}")
    if number is None:
        return None
    if number <= 0:
        checker.error(node, f"the rate of {code} must be more than zero (one {code} in {base})")
        return None
    return Decimal(str(number))


def _theme_overrides(
    checker: Checker, node: Node | None, written: dict[str, tuple[Scalar, list[Scalar]]]
) -> dict[str, dict[str, object] | None]:
    """`themes:` of pulse.yaml: per key, the fields to set, or None to remove the theme.

    `written` receives, per theme key, its key and alias entries as written (for positions).
    """
    if node is None:
        return {}
    if not isinstance(node, Map):
        checker.error(node, f"'themes' must map theme keys to settings, not {describe(node)}")
        return {}
    overrides: dict[str, dict[str, object] | None] = {}
    builtin = {theme.key for theme in BUILTIN_THEMES}
    for key, (key_node, value) in node.entries.items():
        if not _THEME_KEY.match(key):
            checker.error(key_node, f"theme key '{key}' must be lowercase letters, digits, '-' or '_'")
            continue
        if isinstance(value, Scalar) and value.kind == "boolean" and value.value is False:
            overrides[key] = None
            continue
        fields = checker.mapping(value, f"theme '{key}'", THEME_KEYS, () if key in builtin else ("title",))
        if fields is None:
            continue
        theme: dict[str, object] = {}
        for name in ("title", "description"):
            if name in fields:
                theme[name] = checker.text(fields[name], name, required=True)
        if "order" in fields:
            theme["order"] = checker.integer(fields["order"], "order", -1000, 1000)
        if "color" in fields:
            colour = checker.text(fields["color"], "color", required=True)
            if colour is not None and colour not in COLOURS and not _HEX.match(colour):
                checker.error(
                    fields["color"],
                    f"unknown colour '{colour}' (use #rrggbb or one of: {', '.join(_COLOURS)})",
                )
            theme["color"] = colour
        entries: list[Node] = []
        if "aliases" in fields:
            theme["aliases"] = tuple(a.lower() for a in checker.text_list(fields["aliases"], "aliases", "mna"))
            entries = fields["aliases"].items if isinstance(fields["aliases"], Seq) else []
        written[key] = (key_node, [entry for entry in entries if isinstance(entry, Scalar) and entry.kind == "text"])
        overrides[key] = theme
    return overrides


def _check_aliases(checker: Checker, themes: ThemeRegistry, written: Mapping[str, tuple[Scalar, list[Scalar]]]) -> None:
    """Every key and alias names one theme: an alias may not be another theme's key or another theme's alias.

    Built-in aliases (not written in pulse.yaml) are claimed first, then the written ones in file order;
    a later claim is the error, reported where it is written.
    """
    keys = {theme.key for theme in themes}
    claims: list[tuple[int, int, str, str]] = []  # line, column (0: built in), alias, theme key
    for theme in themes:
        entries = written[theme.key][1] if theme.key in written else []
        at = {entry.text.strip().lower(): entry for entry in entries}
        for alias in theme.aliases:
            entry = at.get(alias)
            claims.append((entry.line, entry.column, alias, theme.key) if entry else (0, 0, alias, theme.key))
    owner: dict[str, tuple[str, int]] = {}
    for line, column, alias, key in sorted(claims):
        if alias in keys and alias != key:
            if line:
                checker.error(
                    (line, column),
                    f"alias '{alias}' of theme '{key}' is the key of theme '{alias}'; "
                    f"remove it from the aliases of '{key}'",
                )
            else:  # a built-in alias taken as a new theme's key: the key is what was written
                node = written[alias][0]
                checker.error(
                    node,
                    f"theme key '{alias}' is a built-in alias of theme '{key}'; choose another key "
                    f"(or set the aliases of '{key}' without it)",
                )
        elif alias in owner and owner[alias][0] != key:
            first, first_line = owner[alias]
            where = f"at line {first_line}" if first_line else "built in"
            checker.error(
                (line, column),
                f"alias '{alias}' of theme '{key}' is already an alias of theme '{first}' ({where}); "
                "give each alias to one theme",
            )
        else:
            owner.setdefault(alias, (key, line))


def _weights(checker: Checker, node: Node | None, themes: ThemeRegistry) -> Weights:
    """`ranking:` of pulse.yaml over the default weights."""
    if node is None:
        return Weights()
    fields = checker.mapping(node, "'ranking'", RANKING_KEYS) or {}
    values: dict[str, float] = {}
    for name, value in fields.items():
        if name != "themes":
            number = checker.number(value, name)
            if number is not None and name == "half_life_days" and number <= 0:
                checker.error(value, f"'half_life_days' must be more than 0 days, not {number:g} (7 is the default)")
            elif number is not None and number < 0:
                default = getattr(Weights(), name)
                checker.error(
                    value,
                    f"the weight '{name}' must be 0 or more, not {number:g} "
                    f"(0 turns that part off; {default:g} is the default)",
                )
            elif number is not None:
                values[name] = number
    theme_weights: dict[str, float] = {}
    theme_node = fields.get("themes")
    if isinstance(theme_node, Map):
        for name, (key_node, value) in theme_node.entries.items():
            theme = themes.resolve(name)
            number = checker.number(value, f"ranking weight of '{name}'")
            if theme is None:
                checker.error(key_node, themes.unknown(name))
            elif number is not None:
                theme_weights[theme.key] = number
    elif theme_node is not None:
        checker.error(theme_node, f"'themes' must map theme keys to weights, not {describe(theme_node)}")
    return Weights(**values, themes=theme_weights)


def _registry(overrides: Mapping[str, Mapping[str, object] | None]) -> ThemeRegistry:
    themes = {theme.key: theme for theme in BUILTIN_THEMES}
    next_order = max(theme.order for theme in BUILTIN_THEMES)
    for key, fields in overrides.items():
        if fields is None:
            themes.pop(key, None)
            continue
        base = themes.get(key)
        if base is None:
            next_order += 10
            base = Theme(key=key, title=key.title(), order=next_order)
        renamed = fields.get("title") not in (None, base.title) and "description" not in fields
        changes = {k: v for k, v in fields.items() if v is not None}
        if renamed:  # a built-in description would describe another subject than the new title
            changes["description"] = ""
        themes[key] = replace(base, **changes)  # type: ignore[arg-type]
    return ThemeRegistry(list(themes.values()))
