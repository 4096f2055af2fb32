"""Money amounts: parse the ways curators write them, print them as the article does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from pulse.errors import did_you_mean

CEILING = Decimal(10) ** 15
"""Amounts must stay below this in any currency (a thousand trillion)."""

# Symbols and prefixed dollars -> ISO 4217 code. Longest first when matching.
SYMBOLS = {
    "US$": "USD",
    "$": "USD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "HK$": "HKD",
    "S$": "SGD",
    "SG$": "SGD",
    "NZ$": "NZD",
    "NT$": "TWD",
    "R$": "BRL",
    "MX$": "MXN",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "JP¥": "JPY",
    "CN¥": "CNY",
    "RMB": "CNY",
    "₹": "INR",
    "Rs": "INR",
    "Rs.": "INR",
    "₩": "KRW",
    "₣": "CHF",
    "₪": "ILS",
    "₺": "TRY",
    "₽": "RUB",
    "₱": "PHP",
    "฿": "THB",
    "₫": "VND",
}
# Words that name a currency after a number: "50 million dollars".
CURRENCY_WORDS = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rupee": "INR",
    "rupees": "INR",
    "won": "KRW",
}
# How an amount in each currency is printed: a prefix symbol where one is unambiguous.
PRINT_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "INR": "₹",
    "CNY": "CN¥",
    "AUD": "A$",
    "CAD": "C$",
    "HKD": "HK$",
    "SGD": "S$",
    "NZD": "NZ$",
    "KRW": "₩",
}
SCALES = {
    "k": 10**3,
    "thousand": 10**3,
    "lakh": 10**5,
    "lakhs": 10**5,
    "m": 10**6,
    "mn": 10**6,
    "mm": 10**6,
    "mio": 10**6,
    "mln": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "crore": 10**7,
    "crores": 10**7,
    "cr": 10**7,
    "b": 10**9,
    "bn": 10**9,
    "mrd": 10**9,
    "bln": 10**9,
    "billion": 10**9,
    "billions": 10**9,
    "t": 10**12,
    "tn": 10**12,
    "trillion": 10**12,
    "trillions": 10**12,
}
UNIT_NAMES = "K, M, B, T, thousand, million, billion, Mio, Mrd, lakh or crore"
_WORDS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
_SHORT = ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "K"))
_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " "})
_SYMBOL_PATTERN = "|".join(re.escape(symbol) for symbol in sorted(SYMBOLS, key=len, reverse=True))
_UNIT = rf"(?:{_SYMBOL_PATTERN}|[A-Za-z]{{3}}\b)"
_NUMBER = r"\d(?:[\d,.' ]*\d)?(?:[eE][+-]?\d+)?"
_MONEY = re.compile(
    rf"""^\s*(?P<before>{_UNIT})?\s*(?P<number>{_NUMBER})\s*
    (?P<scale>[A-Za-z]+\.?)?\s*(?P<after>{_SYMBOL_PATTERN}|[A-Za-z]+)?\s*$""",
    re.VERBOSE,
)
EXAMPLES = '"$1B", "€2.5 billion", "2,5 Mrd €", "₹500 crore", "1.15e9 USD"'


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
        symbol = PRINT_SYMBOLS.get(self.currency)
        return f"{symbol}{number}" if symbol else f"{number} {self.currency}"

    def rounded(self, digits: int = 3) -> Money:
        """The amount to `digits` significant digits, for values that are estimates (converted sums)."""
        if not self.value:
            return self
        exponent = self.value.adjusted() - digits + 1
        return Money(self.value.scaleb(-exponent).quantize(Decimal(1)).scaleb(exponent), self.currency)

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


@cache
def iso_codes() -> frozenset[str]:
    """Every current ISO 4217 code, from the iso4217 package (ISO's own table)."""
    import iso4217

    return frozenset(currency.code for currency in iso4217.Currency)


def currency_code(text: str) -> str:
    """The ISO 4217 code for a code, symbol or currency word; MoneyError if none."""
    if text in SYMBOLS:
        return SYMBOLS[text]
    if text.lower() in CURRENCY_WORDS:
        return CURRENCY_WORDS[text.lower()]
    code = text.upper()
    if code == "RMB":
        return "CNY"
    if len(code) == 3 and code in iso_codes():
        return code
    hint = did_you_mean(code, sorted(iso_codes())) if len(code) == 3 else ""
    raise MoneyError(f"'{text}' is not a currency: use an ISO 4217 code such as USD or EUR, or a symbol{hint}")


def parse_money(text: str, default_currency: str = "USD") -> Money:
    """Parse "$1B", "US$750 million", "€2,5 billion", "2,5 Mrd €", "₹500 crore", "1.15e9 USD"."""
    match = _MONEY.match(text.translate(_SPACES))
    if not match:
        raise MoneyError(f"'{text}' is not an amount of money (write it like {EXAMPLES})")
    scale_word, after = match["scale"], match["after"]
    scale = _scale(scale_word) if scale_word else 1
    if scale is None:  # "300 EUR": the word after the number was the currency
        assert scale_word is not None
        if after is not None or scale_word.endswith("."):
            raise _unknown_unit(text, scale_word)
        try:
            currency_code(scale_word)
        except MoneyError:
            raise _unknown_unit(text, scale_word) from None
        scale_word, after, scale = None, scale_word, 1
    units = [unit for unit in (match["before"], after) if unit]
    currencies = {currency_code(unit) for unit in units}
    if len(currencies) > 1:
        raise MoneyError(f"'{text}' names two currencies: {', '.join(sorted(currencies))}")
    number = read_number(match["number"], text, scaled=scale_word is not None)
    currency = currencies.pop() if currencies else currency_code(default_currency)
    return checked(number, currency, text, scale)


def _scale(word: str) -> int | None:
    return SCALES.get(word.rstrip(".").lower())


def _unknown_unit(text: str, word: str) -> MoneyError:
    hint = did_you_mean(word.lower(), SCALES) or f" (use {UNIT_NAMES})"
    return MoneyError(f"'{text}' has an unknown unit '{word}'{hint}")


def read_number(digits: str, text: str, *, scaled: bool) -> Decimal:
    """A written number: digit groups of commas, dots, apostrophes or spaces, and a decimal point or comma."""
    if "e" in digits.lower():
        if "," in digits or " " in digits or "'" in digits:
            raise MoneyError(f"'{text}': write a number with an exponent without separators, like 1.15e9")
        return _decimal(digits, text)
    separators = [char for char in digits if not char.isdigit()]
    if not separators:
        return _decimal(digits, text)
    groups = re.split(r"[,.' ]", digits)
    last = separators[-1]
    if len(set(separators)) == 1 and (len(separators) > 1 or len(groups[-1]) == 3):
        # One kind of separator: "1,500,000", "1.500.000", "1 500", "1,500"; "1.500" is ambiguous.
        if _grouped(groups):
            if last == "." and len(separators) == 1:
                if scaled:  # "$1.500 billion": nobody groups digits before a unit
                    return _decimal(digits, text)
                raise _ambiguous(text, digits)
            return _decimal("".join(groups), text)
        raise _ambiguous(text, digits)
    if len(separators) == 1:  # "1.5", "2,5": a decimal point or comma
        if last == ".":
            return _decimal(digits, text)
        if last == "," and scaled:
            return _decimal(digits.replace(",", "."), text)
        raise _ambiguous(text, digits)
    # Grouping then a different decimal mark: "1,500.25", "1.500,25", "1 500,5".
    whole, fraction = groups[:-1], groups[-1]
    if last in (",", ".") and last not in separators[:-1] and _grouped(whole):
        return _decimal("".join(whole) + "." + fraction, text)
    raise _ambiguous(text, digits)


def _grouped(groups: list[str]) -> bool:
    return 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


def _ambiguous(text: str, digits: str) -> MoneyError:
    return MoneyError(
        f"'{text}': the number '{digits}' can be read two ways; write a decimal point and no digit groups "
        "(1.5, 1500), or add a unit (2,5 Mrd, 1.500 million)"
    )


def _decimal(digits: str, text: str) -> Decimal:
    try:
        return Decimal(digits)
    except InvalidOperation:
        raise MoneyError(f"'{text}' is not an amount of money (write it like {EXAMPLES})") from None


def checked(number: Decimal, currency: str, text: str, scale: int = 1) -> Money:
    """Money of `number` times `scale`, finite, positive and below the ceiling; MoneyError otherwise."""
    if not number.is_finite() or number.adjusted() > 15 or number * scale >= CEILING:
        raise MoneyError(f"'{text}' is too large: amounts stay below 10^15 (a thousand trillion)")
    if number <= 0:
        raise MoneyError(f"'{text}' must be more than zero")
    if number.adjusted() < -6:
        raise MoneyError(f"'{text}' is too small to be an amount of money")
    return Money(number * scale, currency)


def money_from_number(value: float | int | str, currency: str) -> Money:
    """Money from a bare number and a currency code or symbol."""
    code = currency_code(currency.strip())
    if isinstance(value, str) and not re.fullmatch(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*", value):
        raise MoneyError(f"'{value}' is not a number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise MoneyError(f"'{value}' is not a number") from None
    return checked(number, code, str(value))


_SCALE_WORDS = "|".join(sorted((re.escape(word) for word in SCALES), key=len, reverse=True))
_CURRENCY_AFTER = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
_AMOUNT = rf"\d[\d,.]*(?<=\d)(?:\s?(?i:{_SCALE_WORDS})\b\.?)?"
_MENTION = re.compile(
    rf"""(?:(?<![\w$])(?:{_SYMBOL_PATTERN})\s?{_AMOUNT}
    |\b[A-Z]{{3}}\s{_AMOUNT}
    |\b{_AMOUNT}\s?(?:{_SYMBOL_PATTERN}|\b[A-Z]{{3}}\b|(?i:{_CURRENCY_AFTER})\b))""",
    re.VERBOSE,
)


def find_amounts(text: str, default_currency: str = "USD") -> Iterator[Money]:
    """Every amount of money written in free text ("raises $50m", "USD 50 million", "50 million dollars")."""
    for _, _, money in amount_spans(text, default_currency):
        yield money


_MARKED = re.compile(rf"{_SYMBOL_PATTERN}|\d\s?(?i:{_SCALE_WORDS})\b")


def amount_spans(text: str, default_currency: str = "USD", *, marked: bool = False) -> Iterator[tuple[int, int, Money]]:
    """Where each amount of money is written in `text`: start, end and the amount.

    With `marked`, only amounts written with a symbol or a scale ("$5", "5 million EUR"), not "2026 EUR".
    """
    for match in _MENTION.finditer(text.translate(_SPACES)):
        written = match.group().rstrip(".")
        if marked and not _MARKED.search(written):
            continue
        try:
            yield match.start(), match.start() + len(written), parse_money(written, default_currency)
        except MoneyError:
            continue
