"""Momentum: items and money per theme, entity, sector, region or tag, week by week (pure).

For each key and each ISO week of the range: the item count, the money in the base
currency (amounts in other currencies converted at the rate of their day) and the
mean importance. Each key's momentum compares the last `k` weeks with the `k`
weeks before them (k = half the range, at most 4): momentum = recent - earlier, the
difference of the two totals of the chosen metric. Keys are ranked from rising to
falling by momentum, then by their recent total, then by key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from pulse.core.kinds import MAX_WEEKS, Metric, TrendKey
from pulse.core.select import Selection, Window, matches, parse_week
from pulse.errors import UsageError
from pulse.model import Item
from pulse.model.dates import FIRST, iso_week, shift, week_bounds, weeks_between
from pulse.model.rates import Rates, Total

SPARKS = "▁▂▃▄▅▆▇█"


_KEYS: dict[TrendKey, Callable[[Item], Iterable[str]]] = {
    TrendKey.theme: lambda item: item.themes,
    TrendKey.entity: lambda item: item.entities,
    TrendKey.sector: lambda item: [item.sector] if item.sector else [],
    TrendKey.region: lambda item: [item.region] if item.region else [],
    TrendKey.tag: lambda item: item.tags,
}


@dataclass(frozen=True)
class WeekRow:
    """One key in one week."""

    week: str
    key: str
    count: int
    amounts: dict[str, Decimal]  # the base currency's sum, when there is money
    mean_importance: float | None


@dataclass(frozen=True)
class KeyTrend:
    """One key over the whole range."""

    key: str
    series: tuple[float, ...]  # the metric, week by week
    total: float
    recent: float  # the last k weeks
    earlier: float  # the k weeks before
    change: float  # the last week minus the week before
    amounts: dict[str, Decimal] = field(default_factory=dict)  # the whole range, in the base currency

    @property
    def momentum(self) -> float:
        """Recent minus earlier: positive when the key is rising."""
        return self.recent - self.earlier

    @property
    def arrow(self) -> str:
        """↑ rising, ↓ falling, → flat."""
        return "↑" if self.momentum > 0 else "↓" if self.momentum < 0 else "→"


@dataclass(frozen=True)
class Trends:
    """The weekly rows and the per-key trends of a range of weeks."""

    weeks: tuple[str, ...]
    by: TrendKey
    metric: Metric
    currency: str
    k: int
    rows: tuple[WeekRow, ...]
    keys: tuple[KeyTrend, ...]
    approximate: bool = False  # some amounts were converted into the base currency


def week_range(window: Window, weeks: int, newest: dt.date | None) -> list[str]:
    """The ISO weeks to show: those of the window, or `weeks` ending with its last week; at most MAX_WEEKS."""
    end = window.until or newest or dt.date(1970, 1, 1)
    last_monday = week_bounds(end)[0]
    first_monday = week_bounds(window.since)[0] if window.since else shift(last_monday, weeks=-(weeks - 1))
    count = weeks_between(first_monday, last_monday) if first_monday <= last_monday else 1
    if count > MAX_WEEKS:
        raise UsageError(
            f"{iso_week(first_monday)} to {iso_week(end)} is {count} weeks; pulse trends shows at most {MAX_WEEKS}: "
            "narrow --since/--until, or use --weeks N"
        )
    return [iso_week(shift(first_monday, weeks=n)) for n in range(count)]


def sparkline(values: Sequence[float]) -> str:
    """▁▃█-style bars scaled to the largest value; a zero is the lowest bar."""
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(int(value / top * (len(SPARKS) - 1) + 0.5), len(SPARKS) - 1)] for value in values)


def aggregate(
    items: Iterable[Item],
    weeks: Sequence[str],
    by: TrendKey = TrendKey.theme,
    metric: Metric = Metric.items,
    rates: Rates | None = None,
) -> Trends:
    """Count, sum (in the base currency) and average per key and week."""
    rates = rates or Rates()
    currency = rates.base
    index = {week: n for n, week in enumerate(weeks)}
    counts: dict[str, list[int]] = {}
    money: dict[str, list[dict[str, Decimal]]] = {}
    importance: dict[str, list[int]] = {}
    approximate = False
    for item in items:
        at = index.get(iso_week(item.date))
        if at is None:
            continue
        value = rates.amount(item)
        approximate = approximate or (item.amount is not None and item.amount.currency != currency)
        for key in dict.fromkeys(_KEYS[by](item)):
            if key not in counts:
                counts[key] = [0] * len(weeks)
                money[key] = [{} for _ in weeks]
                importance[key] = [0] * len(weeks)
            counts[key][at] += 1
            importance[key][at] += item.importance
            if value is not None:
                week_money = money[key][at]
                week_money[currency] = week_money.get(currency, Decimal(0)) + value
    rows = []
    for key in sorted(counts):
        for at, week in enumerate(weeks):
            count = counts[key][at]
            mean = round(importance[key][at] / count, 2) if count else None
            rows.append(WeekRow(week, key, count, dict(sorted(money[key][at].items())), mean))
    k = max(1, min(4, len(weeks) // 2))
    trends = [_key_trend(key, counts[key], money[key], metric, currency, k) for key in counts]
    trends.sort(key=lambda t: t.key)
    trends.sort(key=lambda t: (t.momentum, t.recent), reverse=True)
    return Trends(tuple(weeks), by, metric, currency, k, tuple(rows), tuple(trends), approximate)


def _key_trend(
    key: str, counts: list[int], money: list[dict[str, Decimal]], metric: Metric, currency: str, k: int
) -> KeyTrend:
    by_week = counts if metric is Metric.items else [week.get(currency, Decimal(0)) for week in money]
    series = [float(value) for value in by_week]
    totals: dict[str, Decimal] = {}
    for week in money:
        for code, value in week.items():
            totals[code] = totals.get(code, Decimal(0)) + value
    return KeyTrend(
        key=key,
        series=tuple(series),
        total=sum(series),
        recent=sum(series[-k:]),
        earlier=sum(series[-2 * k : -k]) if len(series) > k else 0.0,
        change=series[-1] - series[-2] if len(series) > 1 else series[-1],
        amounts=dict(sorted(totals.items())),
    )


def trend_span(window: Window, weeks: int) -> tuple[dt.date | None, dt.date | None]:
    """The dates `trends_for` reads for this window: its whole weeks (None: open, or unknown before reading)."""
    if window.until is None:
        return (week_bounds(window.since)[0] if window.since else None), None
    last_monday, last_sunday = week_bounds(window.until)
    first = week_bounds(window.since)[0] if window.since else shift(last_monday, weeks=-(weeks - 1))
    return first, last_sunday


def trends_for(
    items: Sequence[Item],
    selection: Selection,
    weeks: int = 8,
    by: TrendKey = TrendKey.theme,
    metric: Metric = Metric.items,
) -> Trends:
    """The trends of the items that pass the selection, over its weeks (or `weeks` ending with its last one)."""
    unwindowed = replace(selection, window=Window())
    candidates = [item for item in items if matches(item, unwindowed)]
    newest = max((item.date for item in candidates), default=None)
    week_names = week_range(selection.window, weeks, newest)
    span = Window(parse_week(week_names[0]).since, parse_week(week_names[-1]).until)
    in_range = [item for item in candidates if item.date in span]
    return aggregate(in_range, week_names, by, metric, selection.rates)


def top(trends: Trends, limit: int | None) -> Trends:
    """The first `limit` keys (rising first) and their rows."""
    if limit is None:
        return trends
    keys = trends.keys[:limit]
    kept = {t.key for t in keys}
    return replace(trends, keys=keys, rows=tuple(row for row in trends.rows if row.key in kept))


@dataclass(frozen=True)
class ThemeNumbers:
    """One line of a digest's "In numbers": a theme in this issue's window, and in the weeks before it.

    Counted as `pulse themes` and `pulse trends` count: an item counts (and its amount
    sums) under every theme it carries.
    """

    key: str
    count: int
    amounts: Total
    days: int  # the window's length
    weeks_before: int
    count_before: int | None  # None: the weeks before the window hold no item
    amounts_before: Total


NUMBERS_WEEKS = 4
"""How many weeks before an issue its "In numbers" compares with."""


def theme_numbers(
    items: Sequence[Item], keys: Sequence[str], window: Window, rates: Rates, weeks_before: int = NUMBERS_WEEKS
) -> list[ThemeNumbers]:
    """Per theme of `keys` that an item of the window carries: the window's count and money, and the
    totals of the `weeks_before` weeks before it (None when those weeks hold no item)."""
    if window.since is None or window.until is None:
        return []
    since = window.since
    now = [item for item in items if item.date in window]
    earlier = []
    if since > FIRST:  # no day comes before 0001-01-01
        before = Window(shift(since, weeks=-weeks_before), shift(since, -1))
        earlier = [item for item in items if item.date in before]
    # Earlier weeks are compared only when they hold items: a windowed load (the manifest) reads
    # those weeks and no further, so "before the window" must mean them.
    history = bool(earlier)
    lines = []
    for key in keys:
        mine = [item for item in now if key in item.themes]
        if not mine:
            continue
        theirs = [item for item in earlier if key in item.themes]
        lines.append(
            ThemeNumbers(
                key,
                len(mine),
                rates.total(mine),
                (window.until - since).days + 1,
                weeks_before,
                len(theirs) if history else None,
                rates.total(theirs),
            )
        )
    return lines
