"""Selecting items: windows of dates and the filters every selecting command shares (pure)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pulse.errors import DataError, UsageError
from pulse.model import Item, ThemeRegistry
from pulse.model.dates import LAST, shift, week_bounds, week_monday, weeks_in_year
from pulse.model.money import Money, MoneyError, parse_money
from pulse.model.rates import Rates
from pulse.model.text import fold, id_key, search_text, search_words

_RELATIVE = re.compile(r"^-(\d+)([dw])$")
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
DATE_FORMS = "an ISO date (2026-03-16), today, yesterday, -7d, -2w, last-week or this-week"


@dataclass(frozen=True)
class Window:
    """An inclusive range of dates; an open end is None."""

    since: dt.date | None = None
    until: dt.date | None = None

    def __contains__(self, day: dt.date) -> bool:
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)

    def __str__(self) -> str:
        return f"{self.since or '…'} to {self.until or '…'}"


@dataclass(frozen=True)
class Selection:
    """Filters that combine with AND; several values of one filter combine with OR."""

    window: Window = field(default_factory=Window)
    themes: frozenset[str] = frozenset()  # canonical theme keys
    entities: tuple[str, ...] = ()
    words: tuple[str, ...] = ()  # --search: every word must appear
    tags: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    min_importance: int | None = None
    min_amount: Money | None = None
    max_amount: Money | None = None
    rates: Rates = field(default_factory=Rates, compare=False)  # compares amounts in the base currency


def parse_week(text: str) -> Window:
    """`2026-W12` (ISO week, correct across year ends) as a Monday-to-Sunday window."""
    match = _WEEK.match(text.strip())
    if not match:
        raise UsageError(f"'{text}' is not an ISO week; write it like 2026-W12")
    year, week = int(match[1]), int(match[2])
    if not 1 <= year <= LAST.year:
        raise UsageError(f"'{text}': the year must be from 0001 to {LAST.year}")
    weeks = weeks_in_year(year)
    if not 1 <= week <= weeks:
        raise UsageError(f"'{text}': {year:04d} has ISO weeks 1 to {weeks}")
    return Window(*week_bounds(week_monday(year, week)))


def parse_day(text: str, today: dt.date, *, end: bool = False) -> dt.date:
    """An ISO date or a relative form; week words give Monday, or Sunday when `end`."""
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return shift(today, -1)
    if word in ("this-week", "last-week"):
        day = today if word == "this-week" else shift(today, weeks=-1)
        return week_bounds(day)[1 if end else 0]
    relative = _RELATIVE.match(word)
    if relative:
        count = int(relative[1]) * (7 if relative[2] == "w" else 1)
        return shift(today, -count)  # stops at 0001-01-01
    try:
        return dt.date.fromisoformat(word)
    except ValueError:
        raise UsageError(f"'{text}' is not a date; use {DATE_FORMS}") from None


def resolve_window(
    today: dt.date,
    *,
    since: str | None = None,
    until: str | None = None,
    week: str | None = None,
    days: int | None = None,
) -> Window:
    """The window that `--since`, `--until`, `--week` and `--days` describe together."""
    if week is not None:
        if since is not None or until is not None or days is not None:
            raise UsageError("--week cannot be combined with --since, --until or --days")
        return parse_week(week)
    end = parse_day(until, today, end=True) if until is not None else None
    start = parse_day(since, today) if since is not None else None
    if days is not None:
        if days < 1:
            raise UsageError("--days must be 1 or more")
        if start is not None:
            raise UsageError("--days cannot be combined with --since; use --since with --until")
        end = end or today
        start = shift(end, -(days - 1))  # stops at 0001-01-01
    if start and end and start > end:
        raise UsageError(f"the window is empty: --since {start} is after --until {end}")
    return Window(start, end)


def build_selection(
    themes: ThemeRegistry,
    today: dt.date,
    *,
    theme: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    week: str | None = None,
    days: int | None = None,
    entity: Sequence[str] = (),
    search: str | None = None,
    tag: Sequence[str] = (),
    region: Sequence[str] = (),
    sector: Sequence[str] = (),
    min_importance: int | None = None,
    min_amount: str | None = None,
    max_amount: str | None = None,
    rates: Rates | None = None,
) -> Selection:
    """A Selection from command-line values; raises UsageError for values that make no sense."""
    return Selection(
        window=resolve_window(today, since=since, until=until, week=week, days=days),
        themes=frozenset(theme_keys(themes, theme)),
        entities=tuple(entity),
        words=search_words(search or ""),
        tags=tuple(tag),
        regions=tuple(region),
        sectors=tuple(sector),
        min_importance=min_importance,
        min_amount=_amount("--min-amount", min_amount, rates.base if rates else "USD"),
        max_amount=_amount("--max-amount", max_amount, rates.base if rates else "USD"),
        rates=rates or Rates(),
    )


def theme_keys(themes: ThemeRegistry, names: Iterable[str]) -> list[str]:
    """Canonical keys for theme names or aliases; an unknown one is a usage error."""
    keys = []
    for name in names:
        found = themes.resolve(name)
        if found is None:
            raise UsageError(themes.unknown(name))
        keys.append(found.key)
    return keys


def _amount(option: str, text: str | None, currency: str) -> Money | None:
    if text is None:
        return None
    try:
        return parse_money(text, currency)
    except MoneyError as exc:
        raise UsageError(f"{option}: {exc}") from None


def select_items(items: Iterable[Item], selection: Selection) -> list[Item]:
    """The items that pass every filter, in their original order."""
    return [item for item in items if matches(item, selection)]


def matches(item: Item, selection: Selection) -> bool:
    """True when the item passes every filter of the selection."""
    s = selection
    if item.date not in s.window:
        return False
    if s.themes and s.themes.isdisjoint(item.themes):
        return False
    if s.min_importance is not None and item.importance < s.min_importance:
        return False
    if (s.min_amount or s.max_amount) and not _in_range(item, s):
        return False
    if s.entities and not _any_entity(s.entities, item.entities):
        return False
    if s.tags and not _any_equal(s.tags, item.tags):
        return False
    if s.regions and not _any_equal(s.regions, [item.region] if item.region else []):
        return False
    if s.sectors and not _any_equal(s.sectors, [item.sector] if item.sector else []):
        return False
    if s.words:
        haystack = search_text(item)
        return all(word in haystack for word in s.words)
    return True


def _any_equal(wanted: Sequence[str], values: Iterable[str]) -> bool:
    folded = {fold(value.strip()) for value in values}
    return any(fold(want.strip()) in folded for want in wanted)


def names_entity(want: str, entity: str) -> bool:
    """`--entity` matching: the same name, or its first words ("octopus" names "Octopus Energy"), any case or accent."""
    asked, name = fold(want.strip()), fold(entity.strip())
    return bool(asked) and (name == asked or (name.startswith(asked) and not name[len(asked)].isalnum()))


def _any_entity(wanted: Sequence[str], entities: Iterable[str]) -> bool:
    return any(names_entity(want, entity) for want in wanted for entity in entities)


def entity_hints(items: Iterable[Item], wanted: Sequence[str]) -> list[str]:
    """For each `--entity` that names no entity of the corpus: the closest names, or that there is none."""
    names = sorted({entity for item in items for entity in item.entities})
    hints = []
    for want in wanted:
        if any(names_entity(want, name) for name in names):
            continue
        asked = fold(want.strip())
        scored = sorted((-_likeness(asked, fold(name)), name) for name in names)
        close = [name for score, name in scored if -score >= 0.75][:3]
        shown = f" (did you mean {', '.join(repr(name) for name in close)}?)" if close else ""
        hints.append(f"no item names the entity '{want}'{shown}")
    return hints


def _in_range(item: Item, s: Selection) -> bool:
    """Within --min-amount and --max-amount, compared in the base currency at the item's date."""
    value = s.rates.amount(item)
    if value is None:
        return False
    if s.min_amount is not None and value < s.rates.value(s.min_amount, item.date):
        return False
    return s.max_amount is None or value <= s.rates.value(s.max_amount, item.date)


@dataclass(frozen=True)
class ThemeCount:
    """A theme with the number of items tagged with it and the newest item's date."""

    key: str
    title: str
    aliases: tuple[str, ...]
    count: int
    latest: dt.date | None
    description: str = ""


def count_by_theme(items: Iterable[Item], themes: ThemeRegistry) -> list[ThemeCount]:
    """Per theme, in registry order: how many items carry it and the newest date."""
    counts: dict[str, int] = {}
    latest: dict[str, dt.date] = {}
    for item in items:
        for key in item.themes:
            counts[key] = counts.get(key, 0) + 1
            if key not in latest or item.date > latest[key]:
                latest[key] = item.date
    return [
        ThemeCount(
            theme.key, theme.title, theme.aliases, counts.get(theme.key, 0), latest.get(theme.key), theme.description
        )
        for theme in themes
    ]


def _likeness(asked: str, name: str) -> float:
    """How alike a query and a name are, 0..1: the whole name, its start, or one of its words; 1 for a part of it."""
    if asked and asked in name:
        return 1.0
    parts = [name, name[: len(asked)], *name.split()]
    return max(difflib.SequenceMatcher(None, asked, part).ratio() for part in parts)


def find_item(items: Sequence[Item], item_id: str) -> Item:
    """The item with this id (whatever its case); a DataError suggesting the closest ids when there is none."""
    wanted = id_key(item_id.strip())
    for item in items:
        if id_key(item.id) == wanted:
            return item
    raise DataError(f"no item with id '{item_id}'{_close_ids(items, item_id)}")


def _close_ids(items: Sequence[Item], item_id: str) -> str:
    """ " (did you mean 'a', 'b'?)": ids that look alike, hold the text, or whose item names it."""
    asked = fold(item_id.strip())
    by_fold = {fold(item.id): item.id for item in items}
    close = [by_fold[f] for f in difflib.get_close_matches(asked, list(by_fold), n=3, cutoff=0.5)]
    close += [i for f, i in by_fold.items() if asked and asked in f and i not in close]
    words = asked.replace("-", " ").replace("_", " ").split()
    close += [
        item.id for item in items if words and item.id not in close and all(word in search_text(item) for word in words)
    ]
    close = close[:3]
    return f" (did you mean {', '.join(repr(i) for i in close)}?)" if close else ""
