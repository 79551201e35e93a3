"""Hard cases a senior consultant meets (tests/fixtures/decisions, built by make_decisions.py from the
examples), each with the answer the consultant would give."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.evaluate import evaluate_core
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "decisions"
CATALOGS = load_catalogs()
SIZING_CACHE: dict = {}


def case(name: str):
    return evaluate_core(load_assessment(CASES / f"{name}.llmassess"), CATALOGS, SIZING_CACHE)


def codes(result) -> list[str]:
    return [r.code for r in result.reasons]


def test_at_least_ten_cases_are_on_file():
    assert len(list(CASES.glob("*.llmassess"))) >= 10


def test_conflicting_constraints_give_no_deployment_and_the_smallest_change():
    result = case("sovereign-no-cloud-no-on-prem")  # PHI on premises, but no on-prem hardware allowed
    assert result.recommendation is None and result.confidence is None
    assert result.missing_for_recommendation == ("on_prem_allowed",)
    assert result.headline.startswith("No feasible deployment: allow on-premises hardware")


def test_a_relaxed_latency_target_lets_the_api_win_on_cost():
    for name in ("bank-latency-relaxed-to-150ms", "bank-latency-at-the-edge"):
        result = case(name)
        assert result.recommendation == "api" and result.confidence_basis == "cost" and result.confidence > 0.9


def test_projected_volume_is_discounted_and_the_near_tie_stays_on_the_api():
    result = case("midsize-projected-twenty-times")
    assert result.recommendation == "api"
    projected = next(r for r in result.reasons if r.code == "projected_volume")
    assert projected.figures["decision_tokens_per_day"] == pytest.approx(
        projected.figures["stated_tokens_per_day"] / 5, rel=0.3)


def test_phi_with_unknown_terms_on_the_api_is_a_warning_and_a_roadmap_condition():
    result = case("midsize-phi-unknown-terms")
    assert result.recommendation == "api" and "unknown_terms" in codes(result)
    assert result.roadmap[0].code == "unknown_terms" and "BAA" in result.roadmap[0].title
    assert any("compliance terms" in w for w in result.warnings)


def test_ai_as_the_product_never_picks_a_far_dearer_option():
    result = case("ai-native-without-fine-tuning")  # self-hosting in the cloud costs ~74% more
    assert result.recommendation == "api" and result.confidence > 0.95
    assert "ai_is_product" in codes(result)


def test_a_near_tie_for_an_ai_native_company_is_a_close_call_that_measures_first():
    result = case("ai-native-on-prem-allowed")
    assert result.recommendation == "self-host-on-prem"
    assert result.confidence < 0.6 and result.headline.startswith("A close call")
    assert result.roadmap[0].code == "measure_first" and result.roadmap[0].title.startswith("Measure for 90 days")
    saving = next(r for r in result.reasons if r.code == "cost_self_host_cheaper").figures
    assert saving["median_saving_share"] >= saving["required_saving_share"]


def test_a_thin_margin_on_a_forced_plan_is_named_and_lowers_the_confidence():
    result = case("ai-native-close-call")  # fine-tuning forces self-hosting; no plan beats 150 tokens/s by 10%
    assert result.recommendation == "self-host-cloud" and result.confidence_basis == "constraint"
    assert "thin_margin" in codes(result) and result.confidence < 0.7  # the plan misses in a third of the draws
    assert result.workloads[0].sizing.margins["tpot_share"] < 0.1


def test_a_blank_use_case_means_no_recommendation_and_adds_no_cost():
    result = case("midsize-with-a-blank-use-case")
    base = evaluate_core(load_assessment(CASES.parents[2] / "examples" / "midsize-general-api.llmassess"),
                         CATALOGS, SIZING_CACHE)
    assert result.recommendation is None and result.missing_for_recommendation
    assert result.options["api"].monthly_usd == pytest.approx(base.options["api"].monthly_usd)
    assert result.headline.startswith("No recommendation yet")


def test_one_token_a_day_is_the_api_with_certainty():
    result = case("midsize-one-token-a-day")
    assert result.recommendation == "api" and result.confidence == 1.0


def test_sovereign_data_allowed_in_the_own_cloud_still_never_reaches_the_api():
    result = case("hospital-phi-cloud-allowed")
    assert result.recommendation in ("hybrid", "self-host-on-prem", "self-host-cloud")
    assert result.confidence_basis == "constraint" and not result.options["api"].feasible
    discharge = next(w for w in result.workloads if w.name.startswith("Discharge"))
    assert discharge.route != "api"


def test_fast_growth_starts_on_the_api_and_names_the_month_to_switch():
    """Support traffic near break-even, doubling every year, on-prem allowed: the consultant starts on the
    API and plans the move to on-prem hardware for the third year, when growth has made it cheaper."""
    result = case("midsize-fast-growth")
    assert result.recommendation == "api"
    switch = next(p for p in result.roadmap if p.code == "growth_switch")
    assert switch.option == "self_host_on_prem" and switch.trigger.startswith("From month 25,")
    api, on_prem = (result.options[o].cash_flow_by_year for o in ("api", "self_host_on_prem"))
    assert api[3].usd * 0.9 > on_prem[3].usd  # the saving is real in year three (the required 10%)...
    assert api[2].usd * 0.9 <= on_prem[2].usd  # ...and not yet in year two
    assert "growth_switch" in codes(result)
