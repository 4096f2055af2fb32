"""Money amounts: parse the ways curators write them, print them as the article does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pulse.errors import did_you_mean

SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_SYMBOL_OF = {code: symbol for symbol, code in SYMBOLS.items()}
_SCALES = {
    "": 1,
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "mm": 10**6,
    "million": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
    "t": 10**12,
    "tn": 10**12,
    "trillion": 10**12,
}
_WORDS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_SHORT = ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K"))
_MONEY = re.compile(
    r"""^\s*
    (?P<code1>[A-Za-z]{3}\s+)?
    (?P<symbol>[$€£¥₹])?\s*
    (?P<number>\d[\d,]*(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*
    (?P<scale>[A-Za-z]+)?\s*
    (?P<code2>[A-Za-z]{3})?
    \s*$""",
    re.VERBOSE,
)
EXAMPLES = '"$1B", "$300 million", "€2 billion", "1.15e9 USD"'


class MoneyError(ValueError):
    """Text that is not an amount of money."""


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency (an ISO 4217 code such as USD)."""

    value: Decimal
    currency: str = "USD"

    def __str__(self) -> str:
        """The article's way: "$1 billion", "$7.5 billion", "$300 million"."""
        for size, word in _WORDS:
            if self.value >= size:
                return self._with_unit(_plain(self.value / size) + " " + word)
        return self._with_unit(_plain(self.value, grouped=True))

    def short(self) -> str:
        """A compact form for tables: "$1B", "$7.5B", "$300M"."""
        for size, letter in _SHORT:
            if self.value >= size:
                return self._with_unit(_plain(round(self.value / size, 2)) + letter)
        return self._with_unit(_plain(self.value))

    def _with_unit(self, number: str) -> str:
        symbol = _SYMBOL_OF.get(self.currency)
        return f"{symbol}{number}" if symbol else f"{number} {self.currency}"

    def as_json(self) -> dict[str, object]:
        """`{value, currency}` with an integer value where it is whole."""
        whole = self.value == self.value.to_integral_value()
        return {
            "value": int(self.value) if whole else float(self.value),
            "currency": self.currency,
        }


def _plain(value: Decimal, *, grouped: bool = False) -> str:
    """A decimal without exponent or trailing zeros: 7.5, 1.15, 300 (1,500 when grouped)."""
    text = f"{value.normalize():,f}" if grouped else f"{value.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_money(text: str, default_currency: str = "USD") -> Money:
    """Parse "$1B", "$7.5B", "$300 million", "€2 billion", "1.15e9 USD"."""
    match = _MONEY.match(text)
    if not match:
        raise MoneyError(f"'{text}' is not an amount of money (write it like {EXAMPLES})")
    scale = (match["scale"] or "").lower()
    codes = [c.strip().upper() for c in (match["code1"], match["code2"]) if c]
    if scale and scale not in _SCALES and len(scale) == 3 and not codes:
        scale, codes = "", [scale.upper()]  # "300 EUR": the word was a currency code
    if scale not in _SCALES:
        hint = did_you_mean(scale, _SCALES) or " (use K, M, B, T, thousand, million, billion or trillion)"
        raise MoneyError(f"'{text}' has an unknown unit '{match['scale']}'{hint}")
    currencies = set(codes)
    if match["symbol"]:
        currencies.add(SYMBOLS[match["symbol"]])
    if len(currencies) > 1:
        raise MoneyError(f"'{text}' names two currencies: {', '.join(sorted(currencies))}")
    try:
        number = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise MoneyError(f"'{text}' is not an amount of money") from None
    currency = currencies.pop() if currencies else default_currency
    return Money(number * _SCALES[scale], currency)


def money_from_number(value: float | int | str, currency: str) -> Money:
    """Money from a bare number and a currency code or symbol."""
    code = SYMBOLS.get(currency, currency.upper())
    if len(code) != 3 or not code.isalpha():
        raise MoneyError(f"'{currency}' is not a currency (use a code such as USD or EUR)")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise MoneyError(f"'{value}' is not a number") from None
    if not number.is_finite() or number < 0:
        raise MoneyError(f"'{value}' is not an amount of money")
    return Money(number, code)
