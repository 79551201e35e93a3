"""Presentation of numbers on screen, with the report's own rules (app.report.formatting) so the
screen and the PDF print the same figures. The engine computes money monthly in USD; the display
preferences choose the currency and whether amounts are shown per month or per year."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain.assessment import DisplayPreferences
from app.domain.numbers import format_number, locale_name

if TYPE_CHECKING:
    from app.report.formatting import Money

MONTHS_PER_YEAR = 12


def compact(value: float, locale: str = "") -> str:
    """45_000_000 -> '45M'; 4_500_000 -> '4,5M' in de ("" is the system's locale)."""
    from app.report.formatting import tokens  # the report package stays off the startup path
    return tokens(value, locale)


def plain_number(value: float | int, locale: str | None = None) -> str:
    """A number as a person types it in the locale (None: the system's): its separators, no exponent."""
    return format_number(value, locale_name(locale))


def period_label(display: DisplayPreferences) -> str:
    return "per year" if display.period == "yearly" else "per month"


def money_format(display: DisplayPreferences) -> Money:
    """The report's money formatter for these display preferences."""
    from app.report.formatting import Money
    return Money.from_display(display)


def money(monthly_usd: float | None, display: DisplayPreferences) -> str:
    """A monthly USD amount in the display currency, per month or per year."""
    if monthly_usd is None:
        return "—"
    months = MONTHS_PER_YEAR if display.period == "yearly" else 1
    return money_format(display).amount(monthly_usd * months)


def money_total(usd: float | None, display: DisplayPreferences) -> str:
    """A one-off or horizon amount, never scaled by the period."""
    return "—" if usd is None else money_format(display).amount(usd)


def price(usd: float | None, display: DisplayPreferences) -> str:
    return "—" if usd is None else money_format(display).price(usd)


def sentence(item, display: DisplayPreferences, field: str = "text") -> str:
    """An engine sentence (a reason's text, a phase's trigger) with its figures in the display currency and
    locale, as the report prints it."""
    from app.report.formatting import worded
    return worded(item, money_format(display), field)


def headline(evaluation, display: DisplayPreferences) -> str:
    """The evaluation's headline, its figures in the display currency and locale; never cut short."""
    return sentence(evaluation, display, "headline")


def rate_note(display: DisplayPreferences) -> str:
    return money_format(display).rate_note
