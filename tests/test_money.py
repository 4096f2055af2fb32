"""Money: every way a curator writes an amount, and the way the article prints it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pulse.model.money import Money, MoneyError, money_from_number, parse_money


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("$1B", "1e9", "USD"),
        ("$7.5B", "7.5e9", "USD"),
        ("$300 million", "3e8", "USD"),
        ("€2 billion", "2e9", "EUR"),
        ("1.15e9 USD", "1.15e9", "USD"),
        ("£40M", "4e7", "GBP"),
        ("EUR 2 billion", "2e9", "EUR"),
        ("300 EUR", "300", "EUR"),
        ("$1,500,000", "1.5e6", "USD"),
        ("100M", "1e8", "USD"),
        ("2.5 bn", "2.5e9", "USD"),
        ("$23 million", "2.3e7", "USD"),
        ("  $6M  ", "6e6", "USD"),
        ("1.2 trillion JPY", "1.2e12", "JPY"),
        ("$500k", "5e5", "USD"),
    ],
)
def test_parse_money(text: str, value: str, currency: str) -> None:
    assert parse_money(text) == Money(Decimal(value), currency)


def test_parse_money_uses_the_default_currency() -> None:
    assert parse_money("300M", default_currency="EUR") == Money(Decimal("3e8"), "EUR")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("$5 zillion", "'$5 zillion' has an unknown unit 'zillion' (did you mean 'million'?)"),
        (
            "$1 bilion",
            "'$1 bilion' has an unknown unit 'bilion' (did you mean 'billion'?)",
        ),
        (
            "$5 quid",
            "'$5 quid' has an unknown unit 'quid' (use K, M, B, T, thousand, million, billion or trillion)",
        ),
        (
            "lots",
            '\'lots\' is not an amount of money (write it like "$1B", "$300 million", "€2 billion", "1.15e9 USD")',
        ),
        (
            "-5M",
            '\'-5M\' is not an amount of money (write it like "$1B", "$300 million", "€2 billion", "1.15e9 USD")',
        ),
        ("$5M EUR", "'$5M EUR' names two currencies: EUR, USD"),
        (
            "",
            '\'\' is not an amount of money (write it like "$1B", "$300 million", "€2 billion", "1.15e9 USD")',
        ),
    ],
)
def test_parse_money_rejects(text: str, message: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("money", "article", "short"),
    [
        (Money(Decimal("1e9")), "$1 billion", "$1B"),
        (Money(Decimal("7.5e9")), "$7.5 billion", "$7.5B"),
        (Money(Decimal("3e8")), "$300 million", "$300M"),
        (Money(Decimal("1.15e9")), "$1.15 billion", "$1.15B"),
        (Money(Decimal("4e10")), "$40 billion", "$40B"),
        (Money(Decimal("2e9"), "EUR"), "€2 billion", "€2B"),
        (Money(Decimal("2e9"), "CHF"), "2 billion CHF", "2B CHF"),
        (Money(Decimal("500000")), "$500,000", "$500K"),
        (Money(Decimal("1.2e12")), "$1.2 trillion", "$1.2T"),
        (Money(Decimal("950")), "$950", "$950"),
        (Money(Decimal("1234567890")), "$1.23456789 billion", "$1.23B"),
    ],
)
def test_money_prints_as_the_article_does(money: Money, article: str, short: str) -> None:
    assert str(money) == article
    assert money.short() == short


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        (1e9, "USD", Money(Decimal("1e9"))),
        (300000000, "eur", Money(Decimal("3e8"), "EUR")),
        ("1.15e9", "$", Money(Decimal("1.15e9"))),
    ],
)
def test_money_from_number(value: float | int | str, currency: str, expected: Money) -> None:
    assert money_from_number(value, currency) == expected


@pytest.mark.parametrize(
    ("money", "data"),
    [
        (Money(Decimal("1e9")), {"value": 1000000000, "currency": "USD"}),
        (Money(Decimal("2.5")), {"value": 2.5, "currency": "USD"}),
    ],
)
def test_money_as_json(money: Money, data: dict[str, object]) -> None:
    assert money.as_json() == data
