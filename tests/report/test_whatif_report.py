"""Scenarios in the PDF report (a table beside the base and a chart, scenario names escaped as user text) and
the waterfall of a comparison (a bar per part, labelled with its signed figure)."""

from __future__ import annotations

import pytest

from app.domain.comparison import Attribution, Comparison, ConfidenceMove, OptionMove, RecommendationMove
from app.domain.evaluation import ScenarioOption, ScenarioResult
from app.report import charts
from app.report.pdf import render_pdf
from tests.report.conftest import make_evaluation, pdf_text
from tests.report.test_logo_and_charts import _strings


def _scenario(name: str, factor: float, base) -> ScenarioResult:
    return ScenarioResult(id=f"s{factor:g}", name=name, recommendation="self-host-cloud", confidence=0.62,
                          options={o: ScenarioOption(monthly_usd=c.monthly_usd * factor, npv_usd=c.npv_usd * factor)
                                   for o, c in base.options.items()},
                          break_even_tokens_per_day={"self_host_cloud": 4.2e7, "self_host_on_prem": None})


@pytest.fixture(scope="module")
def with_scenarios():
    base = make_evaluation()
    return base.model_copy(update={"scenarios": (_scenario("Volume <b>x3</b> & more", 3.0, base),
                                                 _scenario("GPU prices -30%", 0.7, base))})


def test_the_report_sets_the_scenarios_beside_the_base(assessment, with_scenarios, brand):
    text = pdf_text(render_pdf(assessment, with_scenarios, brand, deterministic=True))
    assert "What-if scenarios" in text and "Scenarios side by side" in text
    assert "Volume <b>x3</b> & more" in text  # the name as typed, never read as markup
    assert "Base (as answered)" in text
    assert "$37,037" in text  # the API's $12,345.50 a month, x3, in the scenario's row
    assert "42M/day" in text and "none in range" in text


def test_without_scenarios_the_report_has_no_scenario_section(assessment, brand):
    text = pdf_text(render_pdf(assessment, make_evaluation(), brand, deterministic=True))
    assert "What-if scenarios" not in text


def test_the_scenario_chart_has_a_group_per_scenario(with_scenarios, brand):
    strings = _strings(charts.build_chart("scenarios", with_scenarios, brand))
    assert {"Base", "GPU prices -30%", "API", "Hybrid"} <= set(strings)


def test_the_waterfall_labels_each_part_with_its_signed_figure(brand):
    move = OptionMove(old_monthly_usd=9298.0, new_monthly_usd=12970.0, old_npv_usd=1.0, new_npv_usd=2.0)
    comparison = Comparison(
        recommendation=RecommendationMove(old="api", new=None), confidence=ConfidenceMove(old=0.8, new=0.7),
        options={o: move for o in ("api", "self_host_cloud", "self_host_on_prem", "hybrid")}, changed_answers=(),
        changed_assumptions=(), changed_prices=(),
        attribution_usd=Attribution(volume=2680.0, prices=0.0, answers=-305.0, assumptions=1297.0),
        attribution_option="api", attribution_steps_usd=(9298.0, 11978.0, 11978.0, 11673.0, 12970.0))
    strings = _strings(charts.waterfall_drawing(comparison, brand))
    for label in ("$9,298", "+$2,680", "+$0", "-$305", "+$1,297", "$12,970", "Last quarter", "This quarter",
                  "Monthly cost (USD/month)"):
        assert label in strings
