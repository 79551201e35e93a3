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


def test_the_pdf_prints_money_in_the_files_display_locale(example_paths, tmp_path):
    import json

    import pdfplumber

    from app.cli import main
    raw = json.loads(next(p for p in example_paths if "midsize" in p.name).read_text(encoding="utf-8"))
    raw["display"].update(locale="fr_FR", currency="EUR", usd_to_currency_rate=0.92)
    (tmp_path / "fr.llmassess").write_text(json.dumps(raw), encoding="utf-8")
    assert main(["report", str(tmp_path / "fr.llmassess"), "-o", str(tmp_path / "fr.pdf")]) == 0
    with pdfplumber.open(tmp_path / "fr.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    # The monthly API cost of this example (11,933 EUR), grouped with a no-break space the PDF fonts carry
    assert "11\u00a0933\u00a0€" in text or "11 933 €" in text
    assert "\u202f" not in text
