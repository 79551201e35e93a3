"""Numbers, money and dates as a consultant types and reads them, in their locale (CLDR data, via babel).
Qt-free so the UI, the report and the CLI read and print the same way. Machine-readable files (JSON, CSV)
never come through here: they stay dot-decimal and ISO-dated. The rules for ambiguous text: docs/numbers.md."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


class _Babel:
    """babel's names, imported on first use: the desktop's first page reads and prints no number, and
    importing babel is about 8 ms of its start."""

    def __getattr__(self, name: str):
        import babel
        import babel.dates
        import babel.numbers
        for module in (babel, babel.numbers, babel.dates):
            if hasattr(module, name):
                value = getattr(module, name)
                setattr(self, name, value)
                return value
        raise AttributeError(name)


_babel = _Babel()

FALLBACK_LOCALE = "en_US"
# The report's fonts carry these; any other currency is written with its ISO code ("CHF 1,500").
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
_MULTIPLIERS = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12}
_SPACES = re.compile(r"[\s_\u00a0\u202f]")
# sign, an optional currency (a symbol such as $ or US$, or an ISO code), digits with separators, an optional
# exponent, an optional k/M/B/T suffix, an optional trailing currency ("18.500 €").
_CURRENCY = r"(?:[A-Z]{3}|[A-Z]{0,2}[^\w\s.,'’+\-−]+)"
_TEXT = re.compile(rf"^(?P<sign>[-+−]?){_CURRENCY}?(?P<sign2>[-+−]?)(?P<digits>[\d.,'’]*\d[\d.,'’]*)"
                   rf"(?P<exp>[eE][-+]?\d+)?(?P<suffix>[kKmMbBtT]?){_CURRENCY}?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class NotANumber(ValueError):
    """Text that is not a number in the locale; str() is a sentence for the person who typed it."""


def locale_name(name: str | None = None) -> str:
    """The locale to use: the one given if CLDR knows it, else the system's, else en_US."""
    for candidate in (name, _babel.default_locale(("LC_NUMERIC", "LC_ALL", "LANG")), FALLBACK_LOCALE):
        if not candidate or candidate.endswith("POSIX"):  # the C locale names no language: fall back
            continue
        try:
            return str(_babel.Locale.parse(candidate.replace("-", "_")))
        except (_babel.UnknownLocaleError, ValueError, TypeError):
            continue
    return FALLBACK_LOCALE


def language(locale: str) -> str:
    """'German' for de_DE: the word the refusal messages use."""
    return _babel.Locale.parse(locale_name(locale)).get_language_name("en")


def locale_label(locale: str) -> str:
    """'German (Germany) - 1.234,5': the locale's name in English and how it writes a number."""
    name = locale_name(locale)
    return f"{_babel.Locale.parse(name).get_display_name('en')} - {format_number(1234.5, name)}"


def _separators(locale: str) -> tuple[str, str]:
    """(decimal, group); a space-like group separator is dropped with the other spaces before parsing."""
    group = _babel.get_group_symbol(locale)
    return _babel.get_decimal_symbol(locale), "" if _SPACES.match(group) else group


def _grouped_ok(whole: str, group: str, locale: str) -> bool:
    """'1,234,567' is grouped in threes; '1,5' and '12,34' are not; '12,34,567' is in en_IN (CLDR's grouping)."""
    if not group or group not in whole:
        return whole.isdigit()
    primary, secondary = _babel.Locale.parse(locale).decimal_formats[None].grouping
    parts = whole.split(group)
    sizes = [len(p) for p in parts]
    return (all(p.isdigit() for p in parts) and sizes[-1] == primary and 1 <= sizes[0] <= max(primary, secondary)
            and all(size in (primary, secondary) for size in sizes[1:-1])
            and (len(parts) == 2 or sizes[0] <= secondary))


def _ambiguous(digits: str, decimal: str, group: str) -> bool:
    """'1,234' in a comma-decimal locale: English writing reads it as 1234, the locale as 1.234."""
    return decimal == "," and group != "," and re.fullmatch(r"\d{1,3},\d{3}", digits) is not None


def _plain_digits(digits: str, decimal: str, group: str, locale: str) -> str | None:
    """Digits with separators -> '1234.56', or None when they are not a number in this locale."""
    if digits.count(decimal) > 1:
        return None
    whole, _, fraction = digits.partition(decimal)
    if fraction and not fraction.isdigit():
        return None
    if not whole and not fraction:
        return None
    if whole and not _grouped_ok(whole, group, locale):
        return None
    whole = whole.replace(group, "") if group else whole
    return f"{whole or '0'}.{fraction or '0'}"


def _swapped(text: str) -> str:
    return text.translate(str.maketrans({".": ",", ",": "."}))


def _read(text: str, locale: str) -> Decimal | None:
    """The value of text in locale, or None. Infinity only from an exponent too large for a float."""
    match = _TEXT.match(_SPACES.sub("", text))
    if not match or (match.group("sign") and match.group("sign2")):
        return None
    decimal, group = _separators(locale)
    plain = _plain_digits(match.group("digits"), decimal, group, locale)
    if plain is None:
        return None
    try:
        value = Decimal(plain + (match.group("exp") or "")) * _MULTIPLIERS[match.group("suffix").lower()]
    except InvalidOperation:
        return None
    return -value if (match.group("sign") or match.group("sign2")) in ("-", "−") else value


def parse_number(text: str, locale: str, integer: bool = False) -> float | int | None:
    """'1.234,56' in de -> 1234.56, '$18,500' in en -> 18500, '4,5M' in de -> 4500000, '' -> None.
    Raises NotANumber with a sentence saying why (and what was probably meant)."""
    if not text.strip():
        return None
    locale = locale_name(locale)
    decimal, group = _separators(locale)
    match = _TEXT.match(_SPACES.sub("", text))
    if match and _ambiguous(match.group("digits"), decimal, group):
        whole, fraction = match.group("digits").split(",")
        raise NotANumber(f"{text.strip()} could be {whole}.{fraction} or {whole}{fraction}: type {whole}{fraction}"
                         f" for the whole number, {whole},{fraction}0 for the decimal")
    value = _read(text, locale)
    if value is None:
        raise NotANumber(_refusal(text.strip(), locale))
    number = float(value) + 0.0  # + 0.0: no "-0"
    return int(number) if integer and number.is_integer() else number


def _refusal(text: str, locale: str) -> str:
    """'1,5 is not a number in English (did you mean 1.5?)' when swapping the separators makes a number."""
    message = f"{text} is not a number in {language(locale)}"
    suggestion = _swapped(text)
    if suggestion != text and _read(suggestion, locale) is not None:
        return f"{message} (did you mean {suggestion}?)"
    return message


def _grouped(whole: str, group: str, locale: str) -> str:
    """'1234567' -> '1,234,567' (or '12,34,567' in en_IN): CLDR's group sizes, done here because babel
    leaves some locales' large numbers ungrouped (de_CH)."""
    primary, secondary = _babel.Locale.parse(locale).decimal_formats[None].grouping
    if len(whole) <= primary:
        return whole
    head, tail = whole[:-primary], [whole[-primary:]]
    while len(head) > secondary:
        head, tail = head[:-secondary], [head[-secondary:], *tail]
    return group.join([head, *tail])


def format_number(value: float | int, locale: str) -> str:
    """A number as a person types it in the locale: its separators, every significant digit, no exponent.
    Reads back to the same value through parse_number (a trailing 0 keeps '1,2340' from reading as 1234)."""
    locale = locale_name(locale)
    exact = Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))
    whole, _, fraction = f"{abs(exact):f}".partition(".")
    fraction = fraction.rstrip("0")
    decimal, group = _babel.get_decimal_symbol(locale), _babel.get_group_symbol(locale)
    text = ("-" if exact < 0 else "") + _grouped(whole, group, locale) + (decimal + fraction if fraction else "")
    return text + "0" if _ambiguous(_SPACES.sub("", text), *_separators(locale)) else text


def half_up(value: float | Decimal, places: int) -> Decimal:
    """Half-up on the decimal value as repr prints it: 2.675 -> 2.68, not 2.67 as binary floats would."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _fixed(value: Decimal, locale: str) -> str:
    """'-1.234,50': the locale's separators, the digits as given; spaces that no font has become no-break spaces."""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    text = _grouped(whole, _babel.get_group_symbol(locale), locale) + (_babel.get_decimal_symbol(locale) + fraction if fraction else "")
    return ("-" if value < 0 else "") + text.replace("\u202f", "\u00a0")


def with_currency(text: str, currency: str, locale: str) -> str:
    """'$12,346', '12.346 €', '-CHF 1,500': the symbol on the side the locale puts it, the sign in front."""
    locale = locale_name(locale)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    if _babel.Locale.parse(locale).currency_formats["standard"].pattern.lstrip("-").startswith("¤"):
        return f"{sign}{symbol}{' ' if symbol.isalpha() else ''}{digits}"
    return f"{sign}{digits}\u00a0{symbol}"


def format_money(amount: float | Decimal, currency: str, locale: str, decimals: int | None = None) -> str:
    """'¥1,235' / '1.234,50 €': rounded half-up to `decimals` places (None: the currency's own, JPY has none)."""
    locale = locale_name(locale)
    places = _babel.get_currency_precision(currency) if decimals is None else decimals
    return with_currency(_fixed(half_up(amount, places), locale), currency, locale)


def _printable(text: str) -> str:
    """The narrow no-break space CLDR groups with (fr) is missing from the report's fonts: a no-break space."""
    return text.replace("\u202f", "\u00a0")


def localise(text: str, locale: str) -> str:
    """'2,500.5T' -> '2.500,5T' in de: a figure made with Python's formatting (',' groups, '.' decimal),
    given the locale's separators."""
    locale = locale_name(locale)
    swap = {",": _babel.get_group_symbol(locale), ".": _babel.get_decimal_symbol(locale)}
    return _printable(text.translate(str.maketrans(swap)))


def format_percent(share: float | Decimal, locale: str) -> str:
    """0.45 -> '45%' in en, '45 %' in de: a whole percent, half-up, the locale's pattern."""
    whole = half_up(Decimal(repr(float(share))) * 100, 0)
    return _printable(_babel.format_percent(whole / 100, locale=locale_name(locale)))


def format_date(value: date | str, locale: str) -> str:
    """'2026-12-01' -> 'Dec 1, 2026' (en_US), '01.12.2026' (de): the locale's medium date. Text that is not
    an ISO date is returned unchanged (a report prints what the file holds rather than nothing)."""
    day = parse_date(value) if isinstance(value, str) else value
    return value if day is None else _babel.format_date(day, "medium", locale=locale_name(locale))


_CLDR_TO_QT = {"y": "yyyy", "yy": "yy", "yyyy": "yyyy", "E": "ddd", "EE": "ddd", "EEE": "ddd", "EEEE": "dddd",
               "L": "M", "LL": "MM", "LLL": "MMM", "LLLL": "MMMM"}


def date_edit_format(locale: str) -> str:
    """The locale's CLDR medium date pattern as a Qt display format: 'dd.MM.yyyy' (de), 'MMM d, yyyy' (en_US).
    Medium, not short: short patterns have two-digit years in many locales."""
    pattern = _babel.get_date_format("medium", locale=locale_name(locale)).pattern
    runs = re.finditer(r"'[^']*'|([A-Za-z])\1*|[^A-Za-z']+", pattern)
    return "".join(_CLDR_TO_QT.get(run.group(0), run.group(0)) for run in runs)


def parse_date(text: str) -> date | None:
    """Strict ISO 8601 calendar date: '2025-02-30' and '2025-13-45' are None, as is anything not YYYY-MM-DD."""
    if not isinstance(text, str) or not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
