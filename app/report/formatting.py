"""Numbers as the report prints them. Money is computed in USD by the engine; it is converted to the
display currency and rounded here, once, at presentation, with one explicit rule:

- amounts (monthly, one-time, horizon totals): half-up to the whole currency unit ($12,345.50 -> $12,346);
- prices per million tokens: half-up to the currency's own decimals ($13.335 -> $13.34, ¥13.5 -> ¥14);
- separators and the side of the symbol: the display locale's (app.domain.numbers; 12.346 € in German);
- chart ticks: compact ($12k, $1.5M), never used in tables.

Half-up on the decimal value as printed by Python's repr, so 2.675 rounds to 2.68 (not to 2.67 as
binary floating point and '%.2f' would)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from app.domain.assessment import DisplayPreferences
from app.domain.figures import Figure, Worded
from app.domain.numbers import format_date, format_money, format_number, format_percent, half_up, localise, with_currency

def round_half_up(value: float, step: Decimal) -> Decimal:
    return half_up(value, -step.as_tuple().exponent)


@dataclass(frozen=True)
class Money:
    currency: str = "USD"
    usd_to_currency_rate: float = 1.0
    rate_as_of: str = ""
    locale: str = ""  # the display locale ("" is the system's): separators and the symbol's side

    @classmethod
    def from_display(cls, display: DisplayPreferences) -> "Money":
        return cls(display.currency, display.usd_to_currency_rate, display.rate_as_of, display.locale)

    def _prefix(self, text: str) -> str:
        return with_currency(localise(text, self.locale), self.currency, self.locale)

    def convert(self, usd: float) -> float:
        return usd * self.usd_to_currency_rate

    def amount(self, usd: float) -> str:
        """'$12,346' / '12.346 €': whole currency units."""
        return format_money(self.convert(usd), self.currency, self.locale, decimals=0)

    def price(self, usd: float) -> str:
        """'$13.34' / '¥13': the currency's own decimals, for prices per million tokens."""
        return format_money(self.convert(usd), self.currency, self.locale)

    def compact(self, usd: float) -> str:
        """'$12k', '$1.5M': chart ticks only."""
        value = self.convert(usd)
        for factor, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if abs(value) >= factor:
                return self._prefix(f"{value / factor:.3g}{suffix}")
        return self._prefix(f"{value:.3g}" if abs(value) < 10 else f"{value:.0f}")

    @property
    def unit(self) -> str:
        return self.currency

    @property
    def rate_note(self) -> str:
        """Said wherever money is shown in a currency other than the engine's USD."""
        if self.currency == "USD" and self.usd_to_currency_rate == 1.0:
            return ""
        dated = f" (rate as of {format_date(self.rate_as_of, self.locale)})" if self.rate_as_of else ""
        return f"Amounts computed in USD and shown in {self.currency} at 1 USD = " \
               f"{localise(f'{self.usd_to_currency_rate:g}', self.locale)} {self.currency}{dated}."


_TOKEN_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"), (1.0, ""))


def tokens(count: float, locale: str = "") -> str:
    """'12.5M', '800k', '950', '2,500T' ('12,5M', '2.500T' in de); three significant digits, never an exponent.
    The suffix stays k/M/B/T in every locale: it is what the input fields read back (docs/numbers.md)."""
    if not math.isfinite(count):
        return "—"
    for index, (factor, suffix) in enumerate(_TOKEN_SCALES):
        if abs(count) >= factor or suffix == "":
            scaled = count / factor
            if index > 0 and abs(float(f"{scaled:.3g}")) >= 1000:  # 999,960 rounds to 1M, not "1e+03k"
                factor, suffix = _TOKEN_SCALES[index - 1]
                scaled = count / factor
            if suffix == "":
                return localise(f"{scaled:,.0f}", locale)
            text = f"{scaled:.3g}" if abs(scaled) < 1000 else f"{scaled:,.0f}"
            return localise(f"{text}{suffix}", locale)
    raise AssertionError("unreachable: the last scale takes any count")


def number(value: float | None, unit: str = "", digits: int = 3, locale: str = "") -> str:
    """A measurement with its unit, to a few significant digits, in the locale; '—' when unknown."""
    if value is None:
        return "—"
    text = f"{value:,.0f}" if abs(value) >= 10 ** digits else f"{value:.{digits}g}"
    return f"{localise(text, locale)} {unit}".strip()


def percent(share: float | None, locale: str = "") -> str:
    """'45%' / '45 %' (de): whole percent, half-up."""
    return "—" if share is None else format_percent(share, locale)


def figure(value: Figure, money: Money) -> str:
    """A figure from an engine sentence, in the display currency and locale."""
    if value.kind == "usd":
        return money.amount(value.value)
    if value.kind == "percent":
        return percent(value.value, money.locale)
    if value.kind == "number":
        return format_number(round(value.value), money.locale)
    if value.kind == "usd_per_month":
        return f"{money.amount(value.value)}/month"
    if value.kind == "usd_per_million_tokens":
        return f"{money.price(value.value)} per million tokens"
    return f"{tokens(value.value, money.locale)} tokens/day"


def worded(item: Worded, money: Money, field: str = "text") -> str:
    """An engine sentence (a reason's text, a phase's trigger) with its figures printed for this reader; the
    sentence as the engine wrote it (en_US, USD) when it holds none."""
    return item.fill(field, lambda value: figure(value, money))
