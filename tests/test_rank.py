"""Ranking: each part of the score, and a total, deterministic order."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest

from pulse.core.kinds import SortKey
from pulse.core.rank import Score, rank_items, reference_date, score_item
from pulse.model.rates import Rates
from pulse.model.weights import Weights
from tests.factories import make_item

REF = dt.date(2026, 3, 16)


@pytest.mark.parametrize(
    ("fields", "part", "expected"),
    [
        ({"importance": 5}, "importance", 5.0),
        ({}, "importance", 3.0),
        ({"date": "2026-03-16"}, "recency", 5.0),
        ({"date": "2026-03-09"}, "recency", 2.5),
        ({"date": "2026-03-02"}, "recency", 1.25),
        ({"date": "2026-03-20"}, "recency", 5.0),
        ({"amount": "$1B"}, "money", 0.5 * math.log10(1001)),
        ({"amount": "$6M"}, "money", 0.5 * math.log10(7)),
        ({}, "money", 0.0),
        ({"sources": ["https://a.example", "https://b.example"]}, "sources", 0.5),
        ({"boost": 2}, "boost", 2.0),
        ({"themes": ["safety"]}, "theme", 1.5),
        ({"themes": ["edge", "safety"]}, "theme", 0.0),
    ],
)
def test_score_parts(fields: dict[str, object], part: str, expected: float) -> None:
    score = score_item(make_item(**fields), Weights(themes={"safety": 1.5}), REF, Rates())  # type: ignore[arg-type]
    assert getattr(score, part) == pytest.approx(expected)


def test_weights_scale_the_parts() -> None:
    item = make_item(importance=4, date="2026-03-09", amount="$1B")
    score = score_item(item, Weights(importance=2, recency=0.5, half_life_days=14, money=0), REF, Rates())
    assert (score.importance, score.recency, score.money) == (8, pytest.approx(0.5 * 5 * 0.5**0.5), 0)


def test_total_is_the_sum_of_the_parts() -> None:
    score = Score(importance=3, recency=2.5, money=1.5, sources=0.25, theme=1, boost=-1)
    assert score.total == 7.25
    assert sum(score.parts().values()) == score.total


def test_reference_date_is_the_window_end_not_the_clock() -> None:
    items = [make_item("a", date="2026-03-02"), make_item("b", date="2026-03-09")]
    assert reference_date(items, None) == dt.date(2026, 3, 9)
    assert reference_date(items, dt.date(2026, 3, 31)) == dt.date(2026, 3, 31)


TIES = [
    make_item("b", date="2026-03-16"),
    make_item("a", date="2026-03-16"),
    make_item("c", date="2026-03-10", importance=5),
    make_item("d", date="2026-03-16", amount="$5M"),
    make_item("e", date="2026-03-01", pin=True),
]


@pytest.mark.parametrize(
    ("sort", "reverse", "expected"),
    [
        (SortKey.score, False, "edabc"),
        (SortKey.date, False, "abdce"),
        (SortKey.amount, False, "dabce"),
        (SortKey.editorial, False, "bacde"),
        (SortKey.date, True, "ecdba"),
        (SortKey.editorial, True, "edcab"),
    ],
)
def test_sort_orders(sort: SortKey, reverse: bool, expected: str) -> None:
    ranked = rank_items(TIES, Weights(), REF, sort, rates=Rates(), reverse=reverse)
    assert "".join(r.item.id for r in ranked) == expected


@pytest.mark.parametrize("sort", [SortKey.score, SortKey.date, SortKey.amount])
def test_order_does_not_depend_on_input_order(sort: SortKey) -> None:
    expected = [r.item.id for r in rank_items(TIES, Weights(), REF, sort, rates=Rates())]
    shuffler = random.Random(7)
    for _ in range(20):
        shuffled = TIES[:]
        shuffler.shuffle(shuffled)
        assert [r.item.id for r in rank_items(shuffled, Weights(), REF, sort, rates=Rates())] == expected
