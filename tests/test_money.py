"""Money: every way a curator writes an amount, and the way the article prints it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pulse.model.money import Money, MoneyError, amount_spans, find_amounts, money_from_number, parse_money

WRITTEN = [
    # The article's own forms
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
    ("$500K", "5e5", "USD"),
    ("$2 thousand", "2e3", "USD"),
    ("$3mn", "3e6", "USD"),
    ("$3mm", "3e6", "USD"),
    ("$4 tn", "4e12", "USD"),
    ("$4T", "4e12", "USD"),
    ("$1.25 trillion", "1.25e12", "USD"),
    ("$950", "950", "USD"),
    ("$12.5", "12.5", "USD"),
    # Prefixed dollars and other symbols
    ("US$750 million", "7.5e8", "USD"),
    ("A$1.2 billion", "1.2e9", "AUD"),
    ("AU$40M", "4e7", "AUD"),
    ("C$500M", "5e8", "CAD"),
    ("CA$2bn", "2e9", "CAD"),
    ("HK$3 billion", "3e9", "HKD"),
    ("S$80 million", "8e7", "SGD"),
    ("NZ$15m", "1.5e7", "NZD"),
    ("NT$10 billion", "1e10", "TWD"),
    ("R$1.5B", "1.5e9", "BRL"),
    ("CN¥5 billion", "5e9", "CNY"),
    ("JP¥700 million", "7e8", "JPY"),
    ("¥240 billion", "2.4e11", "JPY"),
    ("₹500 crore", "5e9", "INR"),
    ("₹50 lakh", "5e6", "INR"),
    ("₹12 billion", "1.2e10", "INR"),
    ("₩1.2 trillion", "1.2e12", "KRW"),
    ("₣3M", "3e6", "CHF"),
    ("₪200 million", "2e8", "ILS"),
    ("₺4 billion", "4e9", "TRY"),
    ("฿10bn", "1e10", "THB"),
    ("₱3 billion", "3e9", "PHP"),
    # ISO codes before or after, any case, and RMB for the renminbi
    ("RMB 5 billion", "5e9", "CNY"),
    ("5 billion RMB", "5e9", "CNY"),
    ("CHF 3.2M", "3.2e6", "CHF"),
    ("SEK 8 billion", "8e9", "SEK"),
    ("8 billion SEK", "8e9", "SEK"),
    ("NOK 1.1bn", "1.1e9", "NOK"),
    ("usd 5m", "5e6", "USD"),
    ("5m usd", "5e6", "USD"),
    ("ZAR 900 million", "9e8", "ZAR"),
    ("NGN 50 billion", "5e10", "NGN"),
    ("USD 50 million", "5e7", "USD"),
    # Currency words
    ("50 million dollars", "5e7", "USD"),
    ("3 billion euros", "3e9", "EUR"),
    ("100 million pounds", "1e8", "GBP"),
    ("10 billion yen", "1e10", "JPY"),
    ("2 billion yuan", "2e9", "CNY"),
    ("900 crore rupees", "9e9", "INR"),
    # European and Indian magnitudes, decimal commas
    ("€2,5 billion", "2.5e9", "EUR"),
    ("2,5 Mrd €", "2.5e9", "EUR"),
    ("2,5 Mrd. €", "2.5e9", "EUR"),
    ("€ 2,5 Mrd", "2.5e9", "EUR"),
    ("2 Mio €", "2e6", "EUR"),
    ("1,75 Mio. EUR", "1.75e6", "EUR"),
    ("EUR 4,2 Mrd", "4.2e9", "EUR"),
    ("12,5 million €", "1.25e7", "EUR"),
    # Digit grouping: commas, dots, apostrophes, normal, thin and no-break spaces
    ("€1.500.000", "1.5e6", "EUR"),
    ("1.500.000 EUR", "1.5e6", "EUR"),
    ("$1,500", "1500", "USD"),
    ("1 500 000 EUR", "1.5e6", "EUR"),
    ("1\u2009500\u2009000 €", "1.5e6", "EUR"),
    ("1\u202f500\u202f000 €", "1.5e6", "EUR"),
    ("€\u00a02\u00a0billion", "2e9", "EUR"),
    ("CHF 1'500'000", "1.5e6", "CHF"),
    ("1.500,25 €", "1500.25", "EUR"),
    ("$1,500.25", "1500.25", "USD"),
    ("1 500,5 €", "1500.5", "EUR"),
    ("$1.500 billion", "1.5e9", "USD"),
    ("$2,000 million", "2e9", "USD"),
    # Exponents and the ceiling's edge
    ("2e9 EUR", "2e9", "EUR"),
    ("9.99e14 USD", "9.99e14", "USD"),
    ("$999 trillion", "9.99e14", "USD"),
]


@pytest.mark.parametrize(("text", "value", "currency"), WRITTEN, ids=[case[0] for case in WRITTEN])
def test_parse_money(text: str, value: str, currency: str) -> None:
    assert parse_money(text) == Money(Decimal(value), currency)


def test_the_table_is_large() -> None:
    assert len(WRITTEN) >= 80


def test_parse_money_uses_the_default_currency() -> None:
    assert parse_money("300M", default_currency="EUR") == Money(Decimal("3e8"), "EUR")


HINT = '(write it like "$1B", "€2.5 billion", "2,5 Mrd €", "₹500 crore", "1.15e9 USD")'
UNITS = "(use K, M, B, T, thousand, million, billion, Mio, Mrd, lakh or crore)"
AMBIGUOUS = "can be read two ways; write a decimal point and no digit groups (1.5, 1500), or add a unit (2,5 Mrd, 1.500 million)"
NOT_A_CURRENCY = "is not a currency: use an ISO 4217 code such as USD or EUR, or a symbol"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("$5 zillion", "'$5 zillion' has an unknown unit 'zillion' (did you mean 'million'?)"),
        ("$1 bilion", "'$1 bilion' has an unknown unit 'bilion' (did you mean 'billion'?)"),
        ("10 mil", "'10 mil' has an unknown unit 'mil' (did you mean 'mln'?)"),
        ("$5 quid", f"'$5 quid' has an unknown unit 'quid' {UNITS}"),
        ("2,5 Mrd MRD", f"'MRD' {NOT_A_CURRENCY} (did you mean 'SRD'?)"),
        ("300 XYZ", f"'300 XYZ' has an unknown unit 'XYZ' {UNITS}"),
        ("ABC 5M", f"'ABC' {NOT_A_CURRENCY} (did you mean 'XBC'?)"),
        ("lots", f"'lots' is not an amount of money {HINT}"),
        ("-5M", f"'-5M' is not an amount of money {HINT}"),
        ("", f"'' is not an amount of money {HINT}"),
        ("$5M EUR", "'$5M EUR' names two currencies: EUR, USD"),
        ("1,5", f"'1,5': the number '1,5' {AMBIGUOUS}"),
        ("€1,5", f"'€1,5': the number '1,5' {AMBIGUOUS}"),
        ("€1.500", f"'€1.500': the number '1.500' {AMBIGUOUS}"),
        ("$1,50,0", f"'$1,50,0': the number '1,50,0' {AMBIGUOUS}"),
        ("$1.500,000.5", f"'$1.500,000.5': the number '1.500,000.5' {AMBIGUOUS}"),
        ("1e400 USD", "'1e400 USD' is too large: amounts stay below 10^15 (a thousand trillion)"),
        ("1e9999999 USD", "'1e9999999 USD' is too large: amounts stay below 10^15 (a thousand trillion)"),
        ("$1000 trillion", "'$1000 trillion' is too large: amounts stay below 10^15 (a thousand trillion)"),
        ("$0", "'$0' must be more than zero"),
        ("0 EUR", "'0 EUR' must be more than zero"),
        ("1e-9 USD", "'1e-9 USD' is too small to be an amount of money"),
        ("$1,5e9", "'$1,5e9': write a number with an exponent without separators, like 1.15e9"),
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
        (Money(Decimal("8e9"), "SEK"), "8 billion SEK", "8B SEK"),
        (Money(Decimal("5e9"), "CNY"), "CN¥5 billion", "CN¥5B"),
        (Money(Decimal("7.5e8"), "AUD"), "A$750 million", "A$750M"),
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


@settings(max_examples=500, deadline=None)
@given(
    value=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9.99e14"), places=2),
    currency=st.sampled_from(
        ["USD", "EUR", "GBP", "JPY", "INR", "CNY", "AUD", "CAD", "HKD", "KRW", "CHF", "SEK", "NGN"]
    ),
)
def test_a_printed_amount_reads_back_as_the_same_amount(value: Decimal, currency: str) -> None:
    money = Money(value, currency)
    assert parse_money(str(money), "XXX") == money


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("Polestar launches SEK 8 billion rights issue", ["8 billion SEK"]),
        ("Nscale raises $2bn at a $10 billion valuation", ["$2 billion", "$10 billion"]),
        ("£2.1bn deal for the grid", ["£2.1 billion"]),
        ("$50m seed for Kestrel", ["$50 million"]),
        ("a USD 50 million round", ["$50 million"]),
        ("a 50 million dollars round", ["$50 million"]),
        ("2,5 Mrd € für Batterien", ["€2.5 billion"]),
        ("₹500 crore from SoftBank", ["₹5 billion"]),
        ("300 million users and 20 investors in 2026", []),
        ("and 50 million dollars", ["$50 million"]),
        ("Rs 3,300 crore for the plant", ["₹33 billion"]),
        ("Rs. 50 lakh seed", ["₹5 million"]),
        ("UniCredit takes a €1,1 Mrd. stake", ["€1.1 billion"]),
        ("A $1.1 BLN deal and a 300 mln euro loan", ["$1.1 billion", "€300 million"]),
        ("Mrs 5 and a 2026 EUR budget", ["€2,026"]),
    ],
)
def test_find_amounts_in_free_text(text: str, amounts: list[str]) -> None:
    assert [str(money) for money in find_amounts(text)] == amounts


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("Mrs 5 and a 2026 EUR budget", []),
        ("USD 50 and 50 EUR", []),
        ("$5 coffee, €2 tea", ["$5", "€2"]),
        ("a 5 million EUR grant", ["€5 million"]),
    ],
)
def test_marked_amounts_need_a_symbol_or_a_scale(text: str, amounts: list[str]) -> None:
    assert [str(money) for _, _, money in amount_spans(text, marked=True)] == amounts
