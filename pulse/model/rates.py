"""Exchange rates: every amount's value in the base currency, at the rate of the item's date.

Rates come from the European Central Bank's reference rates that the currencyconverter
package ships (offline), with the nearest earlier rate for a day without one, and from
`rates:` in pulse.yaml, which pins or adds rates. currencyconverter is the only user of
that package and loads only when an amount is in another currency than the base; the
rates a corpus needs are remembered in the cache folder, so later runs skip the load.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pulse.errors import DataError
from pulse.model.items import Item
from pulse.model.money import Money

ECB_BASE = "EUR"
_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Total:
    """A sum of money in the base currency; `approximate` when any part was converted."""

    money: Money | None
    approximate: bool = False

    def __str__(self) -> str:
        """ "$2.5 billion", or "≈ $2.5 billion" when converted."""
        if self.money is None:
            return ""
        return f"≈ {self.money.rounded()}" if self.approximate else str(self.money)


@dataclass(frozen=True)
class PinnedRate:
    """`rates:` in pulse.yaml: one unit of `currency` in the base currency, from `since` on."""

    currency: str
    value: Decimal
    since: dt.date | None = None


@dataclass
class Rates:
    """Converts amounts into the base currency; a missing rate is a DataError that says what to add."""

    base: str = "USD"
    pinned: tuple[PinnedRate, ...] = ()
    show_converted: str = "auto"  # `money: {show_converted}`: auto, always or never
    _memo: dict[str, float | None] | None = field(default=None, repr=False)
    _converter: Any = field(default=None, repr=False)
    _dirty: bool = field(default=False, repr=False)

    def value(self, money: Money, day: dt.date) -> Decimal:
        """The amount in the base currency (to the cent)."""
        if money.currency == self.base:
            return money.value
        return (money.value * self.rate(money.currency, day)).quantize(_PLACES)

    def converted(self, money: Money, day: dt.date) -> Money:
        """The amount as Money in the base currency."""
        return Money(self.value(money, day), self.base)

    def beside(self, money: Money, day: dt.date, *, stated: bool) -> str | None:
        """The converted value to print beside an amount ("≈ $2.7 billion"), or None.

        auto: beside an amount pulse prints, when it is in another currency; always: also
        beside an amount the item's own text states; never: not at all.
        """
        if self.show_converted == "never" or money.currency == self.base:
            return None
        if stated and self.show_converted != "always":
            return None
        return f"≈ {self.converted(money, day).rounded()}"

    def amount(self, item: Item) -> Decimal | None:
        """An item's amount in the base currency, None when it has none."""
        return None if item.amount is None else self.value(item.amount, item.date)

    def total(self, items: Iterable[Item]) -> Total:
        """The sum of the items' amounts in the base currency, and whether any part was converted."""
        value, converted = Decimal(0), False
        for item in items:
            if item.amount is not None:
                value += self.value(item.amount, item.date)
                converted = converted or item.amount.currency != self.base
        return Total(Money(value, self.base) if value else None, converted)

    def rate(self, currency: str, day: dt.date) -> Decimal:
        """One unit of `currency` in the base currency on `day`."""
        if currency == self.base:
            return Decimal(1)
        pinned = self._pinned(currency, day)
        if pinned is not None:
            return pinned
        per_euro = self._per_euro(currency, day)
        base_per_euro = self._per_euro(self.base, day)
        if per_euro is None or base_per_euro is None:
            missing = currency if per_euro is None else self.base
            raise DataError(
                f"no exchange rate for {missing} on {day.isoformat()}: the ECB's reference rates do not "
                f"cover it; add it under 'rates:' in pulse.yaml (one {currency} in {self.base})"
            )
        return Decimal(repr(base_per_euro)) / Decimal(repr(per_euro))

    def _pinned(self, currency: str, day: dt.date) -> Decimal | None:
        best: PinnedRate | None = None
        for pin in self.pinned:
            if pin.currency != currency or (pin.since is not None and pin.since > day):
                continue
            if best is None or (pin.since or dt.date.min) >= (best.since or dt.date.min):
                best = pin
        return best.value if best else None

    def _per_euro(self, currency: str, day: dt.date) -> float | None:
        """Units of `currency` for one euro on `day` (the ECB quotes against the euro)."""
        if currency == ECB_BASE:
            return 1.0
        memo = self._load_memo()
        key = f"{currency}:{day.isoformat()}"
        if key not in memo:
            memo[key] = self._ecb(currency, day)
            self._dirty = True
        return memo[key]

    def _ecb(self, currency: str, day: dt.date) -> float | None:
        if self._converter is None:
            from currency_converter import CurrencyConverter

            self._converter = CurrencyConverter(
                fallback_on_missing_rate=True,
                fallback_on_missing_rate_method="last_known",
                fallback_on_wrong_date=True,
            )
        if currency not in self._converter.currencies:
            return None
        try:
            return float(self._converter.convert(1, ECB_BASE, currency, date=day))
        except Exception:  # the library has no rate for that day and no earlier one
            return None

    def _load_memo(self) -> dict[str, float | None]:
        if self._memo is None:
            self._memo = {}
        return self._memo

    def remembered(self) -> dict[str, object] | None:
        """The rates looked up so far, to store for the next run; None when nothing new was looked up."""
        if not self._dirty or self._memo is None:
            return None
        return {"version": library_version(), "rates": dict(self._memo)}

    def remember(self, data: object) -> None:
        """Start from rates stored by an earlier run (ignored unless made by the same rates library)."""
        if isinstance(data, dict) and data.get("version") == library_version() and isinstance(data.get("rates"), dict):
            self._memo = {
                str(key): value for key, value in data["rates"].items() if value is None or isinstance(value, float)
            }


def library_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("currencyconverter")
    except PackageNotFoundError:  # pragma: no cover - a declared dependency
        return "unknown"


def pinned_rates(entries: Mapping[str, object]) -> tuple[PinnedRate, ...]:
    """Pinned rates from already-validated `rates:` entries: a number, or {date: number}."""
    pins: list[PinnedRate] = []
    for currency, spec in entries.items():
        if isinstance(spec, Mapping):
            pins += [PinnedRate(currency, Decimal(str(v)), since) for since, v in spec.items()]
        else:
            pins.append(PinnedRate(currency, Decimal(str(spec))))
    return tuple(pins)
