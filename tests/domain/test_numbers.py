"""The locale table of docs/numbers.md, row by row, and round trips of what the app shows."""

import math
from datetime import date

import pytest
from hypothesis import given, strategies as st

from app.domain.numbers import NotANumber, format_money, format_number, locale_name, parse_date, parse_number

# docs/numbers.md, "What ambiguous means": (locale, typed, value or None for refused, words of the refusal)
TABLE = [
    ("en", "1,234", 1234, None),
    ("en", "$18,500", 18500, None),
    ("en", "1,5", None, "1,5 is not a number in English (did you mean 1.5?)"),
    ("de", "1,5", 1.5, None),
    ("de", "1.234,56", 1234.56, None),
    ("de", "1,234", None, "could be 1.234 or 1234"),
    ("en", "12k", 12_000, None),
    ("en", "4.5M", 4_500_000, None),
    ("en", "2B", 2_000_000_000, None),
    ("de", "12k", 12_000, None),
    ("de", "4,5M", 4_500_000, None),
    ("de", "2B", 2_000_000_000, None),
    ("en", "1.5T", 1_500_000_000_000, None),
    ("de", "4.5M", None, "4.5M is not a number in German (did you mean 4,5M?)"),
    ("en", "1.234,56", None, "(did you mean 1,234.56?)"),
    ("de", "18.500 €", 18500, None),
    ("de", "€18.500", 18500, None),
    ("en", "-1,234.5", -1234.5, None),
    ("fr", "1 234,5", 1234.5, None),
    ("en_IN", "12,34,567", 1234567, None),  # CLDR's Indian grouping
    ("en", "12,34,567", None, "is not a number in English"),
    ("en", "NaN", None, "NaN is not a number in English"),
    ("en", "inf", None, "inf is not a number in English"),
    ("en", "12 apples", None, "is not a number"),
]


@pytest.mark.parametrize("locale, typed, value, refusal", TABLE)
def test_the_locale_table(locale, typed, value, refusal):
    if refusal is None:
        assert parse_number(typed, locale) == value
    else:
        with pytest.raises(NotANumber) as caught:
            parse_number(typed, locale)
        assert refusal in str(caught.value)


def test_suffixes_are_exact_decimals():
    assert parse_number("1.1k", "en") == 1100  # not 1100.0000000000002
    assert parse_number("0,1k", "de") == 100


def test_empty_is_no_value_and_integers_stay_integers():
    assert parse_number("  ", "de") is None
    assert parse_number("20.000", "de", integer=True) == 20000
    assert isinstance(parse_number("20.000", "de", integer=True), int)


def test_an_exponent_too_large_for_a_float_reads_as_infinite_for_the_range_check():
    assert parse_number("1e400", "en") == math.inf


@pytest.mark.parametrize("locale, value, shown", [
    ("en", 1234567.891, "1,234,567.891"), ("de", 1234567.891, "1.234.567,891"), ("de", 20000, "20.000"),
    ("de", 1.234, "1,2340"),  # a trailing 0 keeps it from reading as the ambiguous 1,234
    ("de_CH", 1e15, "1'000'000'000'000'000"), ("en_IN", 1234567, "12,34,567"), ("en", -0.0, "0"),
    ("en", 1.234, "1.234"), ("en", 0.1, "0.1"), ("en", 45_000_000, "45,000,000"),
])
def test_numbers_show_with_the_locale_separators(locale, value, shown):
    assert format_number(value, locale) == shown


@given(st.floats(min_value=-1e15, max_value=1e15, allow_nan=False), st.sampled_from(["en", "de", "fr", "de_CH"]))
def test_a_shown_number_reads_back_unchanged(value, locale):
    assert parse_number(format_number(value, locale), locale) == value


def test_money_uses_the_currency_decimals():
    assert format_money(1234.4, "JPY", "en") == "¥1,234"
    assert format_money(1234.5, "EUR", "de") == "1.234,50\xa0€"
    assert format_money(18500, "USD", "en") == "$18,500.00"


def test_money_fields_take_the_currency_symbol():
    assert parse_number("¥1,234", "ja") == 1234
    assert parse_number("US$18,500", "en") == 18500


def test_unknown_and_c_locales_fall_back_to_english():
    assert locale_name("xx_NOPE") in (locale_name(None), "en_US")
    assert locale_name("de-DE") == "de_DE"


@pytest.mark.parametrize("text, expected", [
    ("2025-02-28", date(2025, 2, 28)), ("2024-02-29", date(2024, 2, 29)),
    ("2025-02-30", None), ("2025-13-45", None), ("20250228", None), ("2025-2-8", None), ("", None),
])
def test_dates_that_exist(text, expected):
    assert parse_date(text) == expected

