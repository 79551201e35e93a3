"""The words: templates are escaped, strict and blame the right line; numbers follow one rounding rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.errors import ReportError
from app.report.fonts import font_set
from app.report.formatting import Money, round_half_up, tokens
from app.report.narrative import render_blocks
from app.report.pdf import build_report


@pytest.fixture
def user_templates(advisor_home):
    folder = advisor_home / "data" / "templates" / "report"
    folder.mkdir(parents=True)
    return folder


def test_values_are_escaped_and_never_rendered_as_templates(user_templates):
    (user_templates / "t.j2").write_text("Client: {{ name }}\n\n- {{ item }}\n\n## Head <i>x</i>\n", encoding="utf-8")
    blocks = render_blocks("t.j2", font_set("Lato"), {"name": "ACME <Ltd> & {{ 7*7 }}", "item": "<b>"})
    assert [(b.kind, b.markup) for b in blocks] == [
        ("p", "Client: ACME &lt;Ltd&gt; &amp; {{ 7*7 }}"), ("bullet", "&lt;b&gt;"), ("h", "Head <i>x</i>")]


def test_a_user_template_overrides_the_bundled_one(user_templates, assessment, evaluation, brand, tmp_path,
                                                   text_of):
    (user_templates / "methodology.j2").write_text("Our own method, for {{ facts.engagement.client_name }}.\n",
                                                   encoding="utf-8")
    text = text_of(build_report(assessment, evaluation, brand, tmp_path / "r.pdf").read_bytes())
    assert "Our own method, for Harbour Bank plc." in text


def test_undefined_variable_names_template_and_line(user_templates, assessment, evaluation, brand, tmp_path):
    (user_templates / "risks.j2").write_text("line one\n\n{{ facts.no_such_thing }}\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"risks\.j2, line 3: .*no_such_thing"):
        build_report(assessment, evaluation, brand, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def test_syntax_error_names_template_and_line(user_templates, assessment, evaluation, brand, tmp_path):
    (user_templates / "costs.j2").write_text("fine\n{% if %}\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"costs\.j2, line 2"):
        build_report(assessment, evaluation, brand, tmp_path / "r.pdf")


def test_broken_markup_in_a_template_names_the_template(user_templates, assessment, evaluation, brand, tmp_path):
    (user_templates / "readiness.j2").write_text("An <b>unclosed tag\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"readiness\.j2: invalid markup"):
        build_report(assessment, evaluation, brand, tmp_path / "r.pdf")


@pytest.mark.parametrize("value, step, expected", [
    (12_345.5, Decimal("1"), "12346"), (2.675, Decimal("0.01"), "2.68"), (3.25, Decimal("0.1"), "3.3"),
    (-0.5, Decimal("1"), "-1"),
])
def test_rounding_is_half_up_on_the_printed_decimal(value, step, expected):
    assert str(round_half_up(value, step)) == expected


def test_money_converts_then_rounds_once():
    assert Money().amount(12_345.5) == "$12,346"
    assert Money().price(13.335) == "$13.34"
    euros = Money("EUR", 0.9, "2026-11-01")
    assert euros.amount(1_000) == "€900"
    assert "1 USD = 0.9 EUR (rate as of Nov 1, 2026)" in Money("EUR", 0.9, "2026-11-01", "en_US").rate_note
    assert "1 USD = 0,9 EUR (rate as of 01.11.2026)" in Money("EUR", 0.9, "2026-11-01", "de_DE").rate_note
    assert Money("CHF", 1.0).amount(-1_500) == "-CHF 1,500"
    assert Money().rate_note == ""


def test_compact_and_token_formats():
    assert Money().compact(12_500) == "$12.5k"
    assert Money().compact(1_500_000) == "$1.5M"
    assert tokens(144_000_000) == "144M" and tokens(950) == "950"


def test_display_currency_reaches_the_pdf(assessment, evaluation, brand, tmp_path, text_of):
    display = assessment.display.model_copy(update={"currency": "EUR", "usd_to_currency_rate": 0.5,
                                                    "rate_as_of": "2026-11-01", "locale": "en_US"})
    in_euros = assessment.model_copy(update={"display": display})
    text = text_of(build_report(in_euros, evaluation, brand, tmp_path / "eur.pdf").read_bytes())
    assert "€6,173" in text and "$12,346" not in text
    assert "Amounts computed in USD and shown in EUR at 1 USD = 0.5 EUR (rate as of Nov 1, 2026)" in text


@pytest.mark.parametrize("count, text", [(950, "950"), (999_960, "1M"), (12_500_000, "12.5M"), (1e15, "1,000T"),
                                         (-5e6, "-5M"), (float("inf"), "—"), (float("nan"), "—")])
def test_token_counts_never_print_an_exponent_or_infinity(count, text):
    assert tokens(count) == text
