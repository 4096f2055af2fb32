"""Selection: date forms, ISO weeks across year ends, windows, and every filter (pure functions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pulse.core.select import (
    Selection,
    Window,
    build_selection,
    parse_day,
    parse_week,
    resolve_window,
    select_items,
)
from pulse.errors import UsageError
from pulse.model.dates import iso_week
from pulse.model.rates import PinnedRate, Rates
from pulse.model.themes import builtin_registry
from tests.factories import make_item

TODAY = dt.date(2026, 3, 18)  # a Wednesday
D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2026-03-01", False, "2026-03-01"),
        ("today", False, "2026-03-18"),
        ("Today", False, "2026-03-18"),
        ("yesterday", False, "2026-03-17"),
        ("-7d", False, "2026-03-11"),
        ("-2w", False, "2026-03-04"),
        ("-0d", False, "2026-03-18"),
        ("this-week", False, "2026-03-16"),
        ("this-week", True, "2026-03-22"),
        ("last-week", False, "2026-03-09"),
        ("last-week", True, "2026-03-15"),
    ],
)
def test_parse_day(text: str, end: bool, expected: str) -> None:
    assert parse_day(text, TODAY, end=end) == D(expected)


@pytest.mark.parametrize("text", ["2026-13-01", "next week", "7d", "-7x", "03/16/2026"])
def test_parse_day_rejects(text: str) -> None:
    with pytest.raises(UsageError, match=f"'{text}' is not a date; use an ISO date"):
        parse_day(text, TODAY)


@pytest.mark.parametrize(
    ("week", "monday", "sunday"),
    [
        ("2026-W12", "2026-03-16", "2026-03-22"),
        ("2026-W01", "2025-12-29", "2026-01-04"),
        ("2026-W53", "2026-12-28", "2027-01-03"),
        ("2027-W01", "2027-01-04", "2027-01-10"),
        ("2020-W53", "2020-12-28", "2021-01-03"),
        ("2026w12", "2026-03-16", "2026-03-22"),
    ],
)
def test_parse_week(week: str, monday: str, sunday: str) -> None:
    assert parse_week(week) == Window(D(monday), D(sunday))


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2027-W53", "'2027-W53': 2027 has ISO weeks 1 to 52"),
        ("2026-W00", "'2026-W00': 2026 has ISO weeks 1 to 53"),
        ("2026-12", "'2026-12' is not an ISO week; write it like 2026-W12"),
    ],
)
def test_parse_week_rejects(week: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_week(week)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("day", "week"), [("2026-03-16", "2026-W12"), ("2027-01-01", "2026-W53"), ("2024-12-30", "2025-W01")]
)
def test_iso_week(day: str, week: str) -> None:
    assert iso_week(D(day)) == week


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, Window(None, None)),
        ({"since": "2026-03-01"}, Window(D("2026-03-01"), None)),
        ({"until": "last-week"}, Window(None, D("2026-03-15"))),
        ({"since": "last-week", "until": "last-week"}, Window(D("2026-03-09"), D("2026-03-15"))),
        ({"days": 7}, Window(D("2026-03-12"), D("2026-03-18"))),
        ({"days": 1, "until": "2026-03-16"}, Window(D("2026-03-16"), D("2026-03-16"))),
        ({"week": "2026-W53"}, Window(D("2026-12-28"), D("2027-01-03"))),
    ],
)
def test_resolve_window(options: dict[str, object], expected: Window) -> None:
    assert resolve_window(TODAY, **options) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"week": "2026-W12", "since": "today"}, "--week cannot be combined with --since, --until or --days"),
        ({"days": 0}, "--days must be 1 or more"),
        ({"days": 3, "since": "today"}, "--days cannot be combined with --since; use --since with --until"),
        (
            {"since": "2026-03-10", "until": "2026-03-01"},
            "the window is empty: --since 2026-03-10 is after --until 2026-03-01",
        ),
    ],
)
def test_resolve_window_rejects(options: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        resolve_window(TODAY, **options)  # type: ignore[arg-type]
    assert caught.value.message == message


ITEMS = [
    make_item("a", date="2026-03-02", themes=["funding"], entities=["AMD"], amount="$1B", tags=["chips"], region="US"),
    make_item("b", date="2026-03-09", themes=["hardware", "funding"], entities=["Nvidia"], amount="€2B"),
    make_item("c", date="2026-03-16", themes=["edge"], entities=["Sandbar"], summary="A smart ring", importance=5),
    make_item("d", date="2026-03-17", themes=["sector"], sector="Healthcare", amount="$300M", tags=["Imaging"]),
    make_item("e", date="2027-01-02", themes=["safety"], title="Ring of trust", region="EU"),
]


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, "abcde"),
        ({"theme": ["funding"]}, "ab"),
        ({"theme": ["mna", "edge"]}, "cd"),
        ({"theme": ["M&A"]}, "d"),
        ({"since": "2026-03-09"}, "bcde"),
        ({"until": "2026-03-09"}, "ab"),
        ({"week": "2026-W12"}, "cd"),
        ({"week": "2026-W53"}, "e"),
        ({"days": 3, "until": "2026-03-17"}, "cd"),
        ({"entity": ["amd"]}, "a"),
        ({"entity": ["AMD", "nvidia"]}, "ab"),
        ({"search": "ring"}, "ce"),
        ({"search": "SMART ring"}, "c"),
        ({"search": "smart trust"}, ""),
        ({"tag": ["imaging"]}, "d"),
        ({"region": ["us", "EU"]}, "ae"),
        ({"sector": ["healthcare"]}, "d"),
        ({"min_importance": 4}, "c"),
        # Amounts compare in the base currency; one euro is pinned at $1.10.
        ({"min_amount": "1B"}, "ab"),
        ({"min_amount": "€1.9B"}, "b"),
        ({"min_amount": "€1B"}, "b"),
        ({"min_amount": "100M"}, "abd"),
        ({"max_amount": "$2B"}, "ad"),
        ({"min_amount": "500M", "max_amount": "€1B"}, "a"),
        ({"theme": ["funding"], "min_amount": "1B"}, "ab"),
    ],
)
def test_filters(options: dict[str, object], expected: str) -> None:
    rates = Rates("USD", (PinnedRate("EUR", Decimal("1.1")),))
    selection = build_selection(builtin_registry(), TODAY, rates=rates, **options)  # type: ignore[arg-type]
    assert "".join(item.id for item in select_items(ITEMS, selection)) == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"theme": ["fundng"]}, "unknown theme 'fundng' (did you mean 'funding'?)"),
        ({"theme": ["zzz"]}, "unknown theme 'zzz' (known themes: funding, hardware, edge, sector, safety)"),
        ({"min_amount": "lots"}, "--min-amount: 'lots' is not an amount of money"),
        ({"max_amount": "1,5"}, "--max-amount: '1,5': the number '1,5' can be read two ways"),
    ],
)
def test_bad_selection_values_are_usage_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        build_selection(builtin_registry(), TODAY, **options)  # type: ignore[arg-type]
    assert caught.value.message.startswith(message)


def test_selection_keeps_corpus_order() -> None:
    assert select_items(reversed(ITEMS), Selection()) == list(reversed(ITEMS))
