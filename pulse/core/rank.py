"""A transparent score for each item, and the orders it can be sorted in (pure)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pulse.core.kinds import SortKey
from pulse.model import Item
from pulse.model.money import Money
from pulse.model.rates import Rates
from pulse.model.weights import Weights

MONEY_UNIT = 1_000_000
"""Money counts as log10(1 + amount in millions): $1M ~ 0.3, $300M ~ 2.5, $1B ~ 3."""


@dataclass(frozen=True)
class Score:
    """An item's score and the parts it is the sum of."""

    importance: float
    recency: float
    money: float
    sources: float
    theme: float
    boost: float
    pinned: bool = False

    @property
    def total(self) -> float:
        """The sum of the parts, rounded so that output is stable across platforms."""
        return round(self.importance + self.recency + self.money + self.sources + self.theme + self.boost, 3)

    def parts(self) -> dict[str, float]:
        """Each part by name, rounded for display."""
        names = ("importance", "recency", "money", "sources", "theme", "boost")
        return {name: round(getattr(self, name), 3) for name in names}


@dataclass(frozen=True)
class Ranked:
    """An item with its score, and its amount in the base currency."""

    item: Item
    score: Score
    base_amount: Money | None = None


def score_item(item: Item, weights: Weights, reference: dt.date, rates: Rates) -> Score:
    """Score one item; recency counts days back from `reference` (the window's end), money in the base currency."""
    age = max((reference - item.date).days, 0)
    recency = 5 * 0.5 ** (age / weights.half_life_days) if weights.half_life_days > 0 else 0.0
    money = 0.0
    value = rates.amount(item)
    if value is not None:
        money = math.log10(1 + float(value) / MONEY_UNIT)
    return Score(
        importance=weights.importance * item.importance,
        recency=weights.recency * recency,
        money=weights.money * money,
        sources=weights.sources * len(item.sources),
        theme=sum(weights.themes.get(theme, 0.0) for theme in item.themes[:1]),
        boost=weights.boost * item.boost,
        pinned=item.pin,
    )


def reference_date(items: Sequence[Item], until: dt.date | None) -> dt.date:
    """The day recency counts from: the window's end, else the newest item's date."""
    if until is not None:
        return until
    return max((item.date for item in items), default=dt.date(1970, 1, 1))


def rank_items(
    items: Iterable[Item],
    weights: Weights,
    reference: dt.date,
    sort: SortKey = SortKey.score,
    *,
    rates: Rates,
    reverse: bool = False,
) -> list[Ranked]:
    """Score and sort; ties go to the newer item, then the smaller id, so order is total."""
    ranked = [
        Ranked(item, score_item(item, weights, reference, rates), rates.converted(item.amount, item.date))
        if item.amount is not None
        else Ranked(item, score_item(item, weights, reference, rates))
        for item in items
    ]
    if sort is not SortKey.editorial:
        # Stable sorts, least significant key first.
        ranked.sort(key=lambda r: r.item.id)
        ranked.sort(key=lambda r: r.item.date, reverse=True)
        if sort is SortKey.score:
            ranked.sort(key=lambda r: r.score.total, reverse=True)
            ranked.sort(key=lambda r: r.score.pinned, reverse=True)
        elif sort is SortKey.amount:
            ranked.sort(key=lambda r: _amount_key(r.base_amount.value if r.base_amount else None), reverse=True)
    if reverse:
        ranked.reverse()
    return ranked


def rank_window(
    items: Sequence[Item],
    until: dt.date | None,
    weights: Weights,
    sort: SortKey = SortKey.score,
    *,
    rates: Rates,
    reverse: bool = False,
) -> list[Ranked]:
    """Rank items chosen for a window, recency counting from its end (else from the newest item)."""
    return rank_items(items, weights, reference_date(items, until), sort, rates=rates, reverse=reverse)


def _amount_key(value: Decimal | None) -> tuple[int, Decimal]:
    return (0, Decimal(0)) if value is None else (1, value)
