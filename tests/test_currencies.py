"""Amounts in several currencies compared by value: a corpus of known (pinned) rates, and the ECB's own."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from pulse.model.money import parse_money
from pulse.model.rates import PinnedRate, Rates
from tests.conftest import Run

Write = Callable[[str, str], Path]

# One unit of each currency in dollars, pinned so that the figures never move.
PINNED = "rates:\n  JPY: 0.0065\n  SEK: 0.095\n  INR: 0.0115\n  EUR: 1.1\n"
FOUR = """\
items:
  - {id: dollars, title: Dollars, date: 2027-01-13, themes: [funding], amount: $2B}
  - {id: yen, title: Yen, date: 2027-01-13, themes: [funding], amount: ¥240B}
  - {id: kronor, title: Polestar launches SEK 8 billion rights issue, date: 2027-01-13, themes: [funding], amount: SEK 8 billion}
  - {id: rupees, title: Rupees, date: 2027-01-13, themes: [funding], amount: ₹12B}
"""


@pytest.fixture
def four(write: Write) -> None:
    write("pulse.yaml", PINNED)
    write("digests/2027/2027-W02.yaml", FOUR)


@pytest.mark.usefixtures("four")
def test_sort_by_amount_compares_values_not_numbers(run: Run) -> None:
    result = run("list", "--sort", "amount", "--format", "csv")
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["dollars", "yen", "kronor", "rupees"]


@pytest.mark.usefixtures("four")
def test_list_json_keeps_the_amount_as_written_and_adds_the_converted_one(run: Run) -> None:
    records = {r["id"]: r for r in json.loads(run("list", "--format", "json").stdout)}
    assert records["yen"]["amount"] == {"value": 240_000_000_000, "currency": "JPY"}
    assert records["yen"]["amount_base"] == {"value": 1_560_000_000, "currency": "USD"}
    assert records["dollars"]["amount_base"] == {"value": 2_000_000_000, "currency": "USD"}


@pytest.mark.usefixtures("four")
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--min-amount", "$1B"], {"dollars", "yen"}),
        (["--min-amount", "¥100B"], {"dollars", "yen", "kronor"}),
        (["--max-amount", "€1B"], {"kronor", "rupees"}),
        (["--min-amount", "500M", "--max-amount", "₹100B"], {"kronor"}),
    ],
)
def test_amount_filters_accept_any_currency(run: Run, options: list[str], expected: set[str]) -> None:
    records = json.loads(run("list", *options, "--format", "json").stdout)
    assert {r["id"] for r in records} == expected


@pytest.mark.usefixtures("four")
def test_the_money_part_of_the_score_uses_the_converted_value(run: Run) -> None:
    records = {r["id"]: r for r in json.loads(run("list", "--format", "json").stdout)}
    parts = {key: records[key]["score_parts"]["money"] for key in records}
    assert parts["dollars"] > parts["yen"] > parts["kronor"] > parts["rupees"]


@pytest.mark.usefixtures("four")
def test_trends_sum_money_in_the_base_currency(run: Run) -> None:
    data = json.loads(run("trends", "--metric", "amount", "--weeks", "2", "--format", "json").stdout)
    assert data["currency"] == "USD" and data["approximate"] is True
    assert data["summary"][0]["amounts"] == {"USD": 2_000_000_000 + 1_560_000_000 + 760_000_000 + 138_000_000}


def test_bullets_print_the_amount_as_written_with_the_converted_value(run: Run, write: Write) -> None:
    write("pulse.yaml", PINNED)
    write(
        "digests/a.yaml",
        "items:\n"
        "  - {id: a, title: Enpal raises money, date: 2027-01-13, themes: [funding], amount: '€2,5 Mrd'}\n"
        "  - {id: b, title: Polestar launches SEK 8 billion rights issue, date: 2027-01-12, themes: [funding], amount: SEK 8bn}\n"
        "  - {id: c, title: Octopus raises £2.1bn, date: 2027-01-11, themes: [funding], amount: £2.1 billion}\n"
        "  - {id: d, title: Kestrel gets $50m seed, date: 2027-01-11, themes: [funding], amount: USD 50 million}\n"
        "  - {id: e, title: Vireo closes a USD 50 million round, date: 2027-01-11, themes: [funding], amount: $50M}\n"
        "  - {id: f, title: Tamarin raises 50 million dollars, date: 2027-01-11, themes: [funding], amount: $50M}\n",
    )
    write("pulse.yaml", PINNED + "currency: USD\n")
    output = run("digest", "--since", "2027-01-11", "--until", "2027-01-13", "--format", "markdown").stdout
    bullets = sorted(line for line in output.splitlines() if line.startswith("- "))
    assert bullets == [
        "- Enpal raises money (€2.5 billion, ≈ $2.75 billion)",
        "- Kestrel gets $50m seed",
        "- Octopus raises £2.1bn",
        "- Polestar launches SEK 8 billion rights issue",
        "- Tamarin raises 50 million dollars",
        "- Vireo closes a USD 50 million round",
    ]


def test_show_converted_always_and_never(run: Run, write: Write) -> None:
    item = "items:\n  - {id: b, title: Polestar launches SEK 8 billion rights issue, date: 2027-01-12, themes: [funding], amount: SEK 8bn}\n"
    write("digests/a.yaml", item)
    write("pulse.yaml", PINNED + "money: {show_converted: always}\n")
    always = run("digest", "--since", "2027-01-12", "--until", "2027-01-12", "--format", "markdown").stdout
    assert "- Polestar launches SEK 8 billion rights issue (≈ $760 million)\n" in always
    write("pulse.yaml", PINNED.replace("  SEK: 0.095\n", "  SEK: 0.095\n") + "money: {show_converted: never}\n")
    item_c = item.replace("title: Polestar launches SEK 8 billion rights issue", "title: Polestar rights issue")
    write("digests/a.yaml", item_c)
    never = run("digest", "--since", "2027-01-12", "--until", "2027-01-12", "--format", "markdown").stdout
    assert "- Polestar rights issue (8 billion SEK)\n" in never


def test_a_currency_without_a_rate_is_an_error_at_the_item(run: Run, write: Write) -> None:
    write(
        "digests/a.yaml", "items:\n  - {id: a, title: A, date: 2027-01-13, themes: [funding], amount: NGN 5 billion}\n"
    )
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "digests/a.yaml:2:5: no exchange rate for NGN on 2027-01-13: the ECB's reference rates do not cover it; "
        "add it under 'rates:' in pulse.yaml (one NGN in USD)\n1 error in 1 of 1 file\n"
    )
    write("pulse.yaml", "rates: {NGN: 0.00065}\n")
    assert run("check").exit_code == 0


def test_amounts_beyond_the_ceiling_are_errors_at_their_field(run: Run, write: Write) -> None:
    write("digests/a.yaml", "items:\n  - {id: a, title: A, date: 2027-01-13, themes: [funding], amount: 1e400 USD}\n")
    result = run("check")
    assert result.exit_code == 1
    assert "1e400 USD' is too large: amounts stay below 10^15" in result.stderr


def test_pinned_rates_take_the_latest_pin_on_or_before_the_day() -> None:
    rates = Rates(
        "USD",
        (
            PinnedRate("SEK", Decimal("0.09"), dt.date(2026, 1, 1)),
            PinnedRate("SEK", Decimal("0.10"), dt.date(2027, 1, 1)),
        ),
    )
    assert rates.value(parse_money("SEK 1000"), dt.date(2026, 6, 1)) == Decimal("90.00")
    assert rates.value(parse_money("SEK 1000"), dt.date(2027, 6, 1)) == Decimal("100.00")


def test_the_ecbs_rates_work_offline_with_the_nearest_earlier_day() -> None:
    rates = Rates("USD")
    saturday, friday = dt.date(2025, 1, 4), dt.date(2025, 1, 3)  # no reference rate on weekends
    assert rates.rate("EUR", saturday) == rates.rate("EUR", friday)
    assert Decimal("0.9") < rates.rate("EUR", friday) < Decimal("1.2")
    assert rates.remembered() is not None  # looked up, so worth storing for the next run
