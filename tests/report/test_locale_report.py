"""The report, read back, prints every figure in the display locale chosen in Preferences (docs/numbers.md):
money, prices, token counts, percentages and dates, in the tables, the narrative, the engine's reasons and
the charts; `evaluate --json` stays locale-neutral whatever the file's locale."""

from __future__ import annotations

import json
import re

import pytest

from app.domain.evaluation import Reason, RoadmapPhase
from app.domain.figures import Figure, literal, worded
from app.report.formatting import Money, number, percent, tokens
from app.report.formatting import worded as shown

GERMAN = {"locale": "de_DE", "currency": "EUR", "usd_to_currency_rate": 1.0, "rate_as_of": "2026-11-30"}
ENGLISH = {"locale": "en_US", "currency": "USD", "usd_to_currency_rate": 1.0, "rate_as_of": ""}


@pytest.mark.parametrize("count, locale, expected", [
    (88_800_000, "en_US", "88.8M"), (88_800_000, "de_DE", "88,8M"), (12_500, "de_DE", "12,5k"),
    (950, "de_DE", "950"), (2.5e15, "en_US", "2,500T"), (2.5e15, "de_DE", "2.500T"),
    (2.5e15, "fr_FR", "2\xa0500T"),  # CLDR's narrow no-break space, which the fonts lack, as a no-break space
])
def test_token_counts_in_the_locale_keep_the_suffix_the_fields_read(count, locale, expected):
    assert tokens(count, locale) == expected


@pytest.mark.parametrize("locale, measurement, share", [
    ("en_US", "1,234 ms", "46%"), ("de_DE", "1.234 ms", "46\xa0%"),
])
def test_measurements_and_percentages_in_the_locale(locale, measurement, share):
    assert number(1234.4, "ms", locale=locale) == measurement
    assert percent(0.455, locale) == share  # half-up to a whole percent, the locale's pattern


def _volume_reason() -> Reason:
    return Reason(**worded("text", "at {volume}: {self_hosted} self-hosted",
                           volume=Figure(kind="tokens_per_day", value=88_800_000),
                           self_hosted=Figure(kind="usd_per_month", value=48_582.4)))


def test_an_engine_sentence_is_english_in_json_and_localised_for_a_reader():
    reason = _volume_reason()
    assert reason.text == "at 88.8M tokens/day: $48,582/month self-hosted"  # what --json carries
    german = Money("EUR", 0.92, "2026-11-30", "de_DE")
    assert shown(reason, german) == "at 88,8M tokens/day: 44.696\xa0€/month self-hosted"
    assert shown(reason, Money("USD", 1.0, "", "en_US")) == reason.text  # en_US and USD print the same
    dumped = json.loads(reason.model_dump_json())
    assert dumped["text"] == reason.text and "wordings" not in dumped and "placed" not in dumped  # JSON: words only


@pytest.mark.parametrize("kind, value, english, german", [
    ("usd_per_month", 48_582.4, "$48,582/month", "48.582\xa0€/month"),
    ("usd_per_million_tokens", 11.894, "$11.89 per million tokens", "11,89\xa0€ per million tokens"),
    ("tokens_per_day", 88_800_000, "88.8M tokens/day", "88,8M tokens/day"),
    ("usd", 1_234_567.4, "$1,234,567", "1.234.567\xa0€"),
    ("percent", 0.455, "46%", "46\xa0%"),
    ("number", 12_345.4, "12,345", "12.345"),
])
def test_each_kind_of_figure_in_json_and_for_a_german_reader(kind, value, english, german):
    from app.report.formatting import figure
    assert Figure(kind=kind, value=value).english() == english
    assert figure(Figure(kind=kind, value=value), Money("EUR", 1.0, "", "de_DE")) == german


def test_user_text_in_a_wording_is_never_a_placeholder():

    phase = RoadmapPhase(phase=1, option="api", **worded("trigger", f"{literal('Use {case}')} above {{v}}",
                                                         v=Figure(kind="tokens_per_day", value=2e6)))
    assert phase.trigger == "Use {case} above 2.0M tokens/day"
    assert shown(phase, Money("EUR", 1.0, "", "de_DE"), "trigger") == "Use {case} above 2M tokens/day"


def _report_text(example_paths, tmp_path, display: dict) -> str:
    import pdfplumber

    from app.cli import main
    raw = json.loads(next(p for p in example_paths if "midsize" in p.name).read_text(encoding="utf-8"))
    raw["display"].update(display)
    path = tmp_path / f"{display['locale']}.llmassess"
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert main(["report", str(path), "-o", str(tmp_path / "report.pdf")]) == 0
    with pdfplumber.open(tmp_path / "report.pdf") as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_a_german_report_prints_german_figures_only(example_paths, tmp_path):
    text = _report_text(example_paths, tmp_path, GERMAN)
    assert re.search(r"\d\.\d{3}(\s|\xa0)€", text)  # 12.346 € : the group is a dot, the symbol after
    assert re.search(r"\d,\d{2}(\s|\xa0)€", text)  # prices per million tokens: a decimal comma
    assert re.search(r"\d+,\dM tokens", text)  # token counts: 88,8M
    assert re.search(r"best\s+choice\s+in\s+\d+(\s|\xa0)%\s+of\s+the\s+simulated\s+cases,\s+with\s+a\s+median\s+36-month\s+NPV\s+of\s+\d{1,3}(\.\d{3})+(\s|\xa0)€", text)  # the cost reason
    assert re.search(r"\d,\d{2}(\s|\xa0)€ per million tokens", text)  # what a lever bought, in euros
    assert not re.search(r"\b\d+ tokens/day, TTFT", text), "a lever's price is a price, not a volume"
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}\b", text)  # the cover date: 01.12.2026
    # Only the assumptions' sources may quote dollars verbatim ("'At $200K base'"): nothing before them does.
    assert not re.search(r"\$\s?\d", text.split("\nAppendix A: Assumptions\n")[0]), "no dollar amount in a euro report"
    assert not re.search(r"\d\.\dM tokens", text), "no English decimal point in a token count"
    assert not re.search(r"\b\d{1,3},\d{3}(\s|\xa0)?€", text), "no English grouping in a euro amount"
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), "dates in the locale's format, not ISO"


def test_an_english_report_prints_english_figures(example_paths, tmp_path):
    text = _report_text(example_paths, tmp_path, ENGLISH)
    assert re.search(r"\$\d{1,3},\d{3}\b", text)
    assert re.search(r"\d+\.\dM tokens", text)
    assert re.search(r"best\s+choice\s+in\s+\d+%\s+of\s+the\s+simulated\s+cases,\s+with\s+a\s+median\s+36-month\s+NPV\s+of\s+\$\d{1,3}(,\d{3})+", text)
    assert re.search(r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}\b", text)  # the cover date: Dec 1, 2026
    assert "€" not in text


def test_evaluate_json_is_locale_neutral(example_paths, tmp_path, capsys):
    from app.cli import main
    raw = json.loads(next(p for p in example_paths if "midsize" in p.name).read_text(encoding="utf-8"))
    dumps = []
    for display in (ENGLISH, GERMAN):
        raw["display"].update(display)
        path = tmp_path / f"{display['locale']}.llmassess"
        path.write_text(json.dumps(raw), encoding="utf-8")
        assert main(["evaluate", str(path), "--json"]) == 0
        dumps.append(capsys.readouterr().out)
    assert dumps[0] == dumps[1], "the display locale must not reach the machine-readable output"
    result = json.loads(dumps[1])
    cost = next(r for r in result["reasons"] if r["code"].startswith("cost_"))
    assert re.search(r"NPV of \$\d{1,3}(,\d{3})+", cost["text"])  # en_US, USD
    assert cost["figures"] and all(isinstance(v, float) for v in cost["figures"].values())  # plain numbers


@pytest.mark.parametrize("locale, currency, expected", [
    ("de_DE", "EUR", "48.582\xa0€ · 4,42\xa0€ · 88,8M · 1.234 ms · 46\xa0% · 01.12.2026"),
    ("en_US", "USD", "$48,582 · $4.42 · 88.8M · 1,234 ms · 46% · Dec 1, 2026"),
])
def test_templates_print_raw_figures_with_the_locales_filters(locale, currency, expected):
    from types import SimpleNamespace

    from app.report.fonts import font_set
    from app.report.narrative import _environment
    template = _environment((), font_set("Lato")).from_string(
        "{{ 48582.4|money }} · {{ 4.42|price }} · {{ 88.8e6|tokens }} · {{ 1234.4|number('ms') }} · "
        "{{ 0.455|percent }} · {{ '2026-12-01'|date }}")
    facts = SimpleNamespace(money=Money(currency, 1.0, "", locale))
    assert template.render(facts=facts) == expected
