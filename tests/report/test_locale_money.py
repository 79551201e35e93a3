"""The report's money in the display locale: the currency's own decimals, the locale's separators and
symbol side (docs/numbers.md)."""

import pytest

from app.report.formatting import Money


@pytest.mark.parametrize("currency, locale, usd, amount, price", [
    ("USD", "en_US", 12345.5, "$12,346", "$12,345.50"),
    ("JPY", "en_US", 13.5, "¥14", "¥14"),  # JPY has no minor unit
    ("EUR", "de_DE", 12345.5, "12.346\xa0€", "12.345,50\xa0€"),
    ("CHF", "en_US", -1500, "-CHF 1,500", "-CHF 1,500.00"),
    ("EUR", "fr_FR", 1234.5, "1\xa0235\xa0€", "1\xa0234,50\xa0€"),  # the narrow no-break space no font has
])
def test_report_money_in_the_display_locale(currency, locale, usd, amount, price):
    money = Money(currency, 1.0, "", locale)
    assert (money.amount(usd), money.price(usd)) == (amount, price)


def test_chart_ticks_use_the_locale_decimal():
    assert Money("EUR", 1.0, "", "de_DE").compact(1_500_000) == "1,5M\xa0€"
