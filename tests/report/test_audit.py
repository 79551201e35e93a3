"""The PDF rebuilt from its own pages (issue 16): every line multiplies out as printed, totals reconcile with
the items or say by how much rounding moves them, the executive summary's figures are the tables' figures
(a saving is the difference of two of them), the price sheet and the rationale of every assumption are
printed, and no internal reference reaches the reader."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from app.engine.evaluate import evaluate
from app.report.facts import gather
from app.report.pdf import render_pdf
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import catalogs_for

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = ("midsize-general-api", "hospital-phi-on-prem", "bank-low-latency", "ai-native-200m-tokens")
AMOUNT = re.compile(r"\$[\d,]+(?:\.\d+)?(?![\dkMB])")


def _dollars(text: str) -> Decimal:
    return Decimal(text.strip().lstrip("$").replace(",", ""))


@pytest.fixture(scope="module", params=NAMES)
def example(request):
    assessment = load_assessment(EXAMPLES / f"{request.param}.llmassess")
    catalogs = catalogs_for(assessment)
    evaluation = evaluate(assessment, catalogs)
    return assessment, evaluation, gather(assessment, evaluation, catalogs)


def test_every_line_multiplies_out_as_printed(example):
    _, _, facts = example
    for option in facts.options:
        for line in option.table.lines:
            if line.quantity_rate == "—":
                continue
            quantity, rate = line.quantity_rate.split(" x ")
            q = _dollars(quantity.split()[0]) if quantity.startswith("$") else Decimal(quantity.split()[0].replace(",", ""))
            r = Decimal(rate.rstrip("%")) / 100 if rate.endswith("%") else _dollars(rate)
            assert (q * r).quantize(Decimal(1), rounding="ROUND_HALF_UP") == _dollars(line.monthly), line


def test_totals_reconcile_with_the_items_as_printed_or_say_why_not(example):
    _, evaluation, facts = example
    for option in facts.options:
        table = option.table
        printed = sum(_dollars(line.monthly) for line in table.lines)
        assert _dollars(table.monthly) == _dollars(option.monthly)
        notes = {total: (shown, gap, above) for total, shown, gap, above in table.rounding}
        if printed == _dollars(table.monthly):
            assert "monthly" not in notes
        else:
            gap = printed - _dollars(table.monthly)
            assert notes["monthly"] == (f"${printed:,}", f"${abs(gap):,}", gap > 0)


def test_the_rounding_note_is_printed_under_the_table(pages_of):
    assessment = load_assessment(EXAMPLES / "midsize-general-api.llmassess")
    evaluation = evaluate(assessment, catalogs_for(assessment))
    text = " ".join(" ".join(pages_of(render_pdf(assessment, evaluation, _brand()))).split())
    # API: $6,899 + $3,285 + $2,409 + $378 = $12,971 against a total of $12,970.
    assert "the monthly items as printed add up to $12,971, $1 above the total" in text


def test_the_executive_summary_figures_are_the_tables_figures(example, pages_of):
    """The summary printed $4.80 per 1M tokens where the tipping-point table gave $4.66 for the API price:
    two figures, one label. Now each figure on the summary page is printed in a table later, or is the
    difference of two that are (a saving)."""
    assessment, evaluation, _ = example
    pages = pages_of(render_pdf(assessment, evaluation, _brand()))
    summary = next(page for page in pages if "Decision requested" in page)
    later = " ".join(pages[pages.index(summary) + 1:])
    tables = {_dollars(a) for a in AMOUNT.findall(later)}
    bill = re.search(r"Current API spend\D{0,60}?([\d,]+) USD", later)  # the client's answer, in Appendix B
    if bill:
        tables.add(_dollars(bill.group(1)))
    for amount in map(_dollars, AMOUNT.findall(summary.split("Figure 1")[0])):
        assert amount in tables or any(abs(a - b) == amount for a in tables for b in tables), amount
    assert "All-in per" in summary


def test_the_api_price_the_tipping_point_names_is_the_list_price_before_retries():
    assessment = load_assessment(EXAMPLES / "midsize-general-api.llmassess")
    evaluation = evaluate(assessment, catalogs_for(assessment))
    point = next(p for p in evaluation.tipping_points if p.input == "api_usd_per_million_tokens")
    api = evaluation.options["api"]
    retry = next(a.value for a in evaluation.assumptions if a.id == "api_retry_overhead_share")
    assert point.label == "API list price (blended, before retries)"
    assert api.usd_per_million_tokens == pytest.approx(point.current * (1 + retry), rel=1e-6)


def test_price_sheet_rationale_and_no_internal_references(example, text_of):
    assessment, evaluation, facts = example
    text = text_of(render_pdf(assessment, evaluation, _brand()))
    assert "Price sheet" in text and facts.findings.prices
    for price, _, source, as_of in facts.findings.prices:
        assert " ".join(price.split()[:2]) in text
    assert "see rationale" not in text and "catalog entry" not in text
    assert not re.search(r"reference [A-Z]+-\d+|\.csv [A-Z]+-\d+|\(rationale\)", text)
    # An assumption whose source was "Advisor default, see rationale" prints its rationale.
    rationale = facts.findings.rationales["api_retry_overhead_share"]
    assert " ".join(rationale.split()[:6]) in " ".join(text.split())


def test_the_risk_register_is_drawn_from_the_clients_own_figures():
    registers = {}
    for name in NAMES:
        assessment = load_assessment(EXAMPLES / f"{name}.llmassess")
        evaluation = evaluate(assessment, catalogs_for(assessment))
        registers[name] = gather(assessment, evaluation).findings.risks
    assert len({tuple((r.code, tuple(r.figures.values())) for r in risks) for risks in registers.values()}) == 4
    hospital = {r.code: r for r in registers["hospital-phi-on-prem"]}
    assert hospital["volume_projected"].figures["workloads"] == "Patient information chatbot"
    assert "provider_concentration" not in hospital  # $18 a month of API spend is no dependency
    assert {r.figures["option"] for r in registers["hospital-phi-on-prem"] if r.code == "constraint"} == {
        "API", "Self-hosted (cloud)"}
    midsize = {r.code: r for r in registers["midsize-general-api"]}
    assert midsize["provider_concentration"].figures == {"provider": "Anthropic", "share": "100%",
                                                         "monthly": "$12,593"}
    severities = [r.severity for r in registers["hospital-phi-on-prem"]]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)


def test_the_saving_against_the_next_best_option_and_the_stated_bill():
    assessment = load_assessment(EXAMPLES / "midsize-general-api.llmassess")
    evaluation = evaluate(assessment, catalogs_for(assessment))
    findings = gather(assessment, evaluation).findings
    api, cloud = evaluation.options["api"], evaluation.options["self_host_cloud"]
    # Hybrid routes everything to the API here: the same plan, so not the next-best option.
    assert findings.next_best.against == "Self-hosted (cloud)"
    assert findings.next_best.monthly == f"${cloud.monthly_usd - api.monthly_usd:,.0f}"
    assert findings.stated_bill == "$15,000" and findings.versus_bill.cheaper
    assert findings.versus_bill.monthly == f"${15_000 - api.monthly_usd:,.0f}"


def _brand():
    from app.domain.brand import BrandProfile

    return BrandProfile()
