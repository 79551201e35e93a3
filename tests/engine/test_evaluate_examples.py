"""End to end: each example assessment lands where a senior consultant would put it, with the JSON contract
of `evaluate --json` filled in."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from app.domain.assessment import Assessment, AssumptionOverride, Workload
from app.engine.evaluate import evaluate, evaluate_core
from app.engine.scenario import LATENCY_ENGINES
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs
from tests.engine.test_assumptions_live import _answer

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGS = load_catalogs()
SIZING_CACHE: dict = {}  # capacity plans are the slow part; the examples share them across tests


@pytest.fixture(scope="module")
def results():
    return {path.stem: evaluate(load_assessment(path), CATALOGS, SIZING_CACHE)
            for path in sorted(EXAMPLES.glob("*.llmassess"))}


def test_the_15k_a_month_general_company_stays_on_the_api(results):
    result = results["midsize-general-api"]
    assert result.recommendation == "api"
    assert 10_000 <= result.options["api"].monthly_usd <= 20_000  # about the $15K/month they spend
    assert result.options["self_host_cloud"].monthly_usd > result.options["api"].monthly_usd
    assert result.roadmap[0].option == "api"


def test_the_phi_hospital_self_hosts_or_goes_hybrid_with_sovereignty_first(results):
    result = results["hospital-phi-on-prem"]
    assert result.recommendation in ("hybrid", "self-host-on-prem")
    sovereignty = next(r for r in result.reasons if r.code == "sovereignty")
    assert sovereignty.text.startswith("Data sovereignty") and result.confidence_basis == "constraint"
    assert "data_classes" in sovereignty.rests_on and "residency" in sovereignty.rests_on
    assert not result.options["api"].feasible and "premises" in result.options["api"].infeasible_reason
    assert not result.options["self_host_cloud"].feasible
    assert all(phase.option != "api" for phase in result.roadmap)
    discharge = next(w for w in result.workloads if w.name.startswith("Discharge"))
    assert discharge.route == "self_host_on_prem"


def test_under_a_constraint_cost_still_explains_the_choice_among_what_is_allowed(results):
    """The hospital's on-prem option costs about what the hybrid costs; the hybrid wins because moving the
    chatbot off the API too must save the required 10%. The reason says so in the figures it quotes, and the
    headline never claims the lowest cost."""
    result = results["hospital-phi-on-prem"]
    reason = next(r for r in result.reasons if r.code == "cost_among_allowed")
    f = reason.figures
    assert f["runner_saving_share"] == pytest.approx((f["npv_usd"] - f["runner_npv_usd"]) / f["npv_usd"])
    assert f["runner_saving_share"] < f["required_saving_share"] == pytest.approx(0.1)
    assert reason.text.startswith("Cost among what is allowed: Hybrid has a median 36-month NPV of $")
    assert "Self-hosted (on-prem)" in reason.text and "lowest cost" not in result.headline
    bank = next(r for r in results["bank-low-latency"].reasons if r.code == "cost_among_allowed")
    assert bank.figures["runner_saving_share"] < 0 and bank.text.endswith("% more.")  # the cloud costs more


def test_the_200m_tokens_a_day_ai_native_company_self_hosts(results):
    result = results["ai-native-200m-tokens"]
    assert result.recommendation in ("self-host-cloud", "self-host-on-prem")
    assert any(r.text.startswith("AI is the product") for r in result.reasons)
    assert result.recommendation == "self-host-cloud"  # on-prem is not allowed for this client
    assert not result.options["self_host_on_prem"].feasible


def test_the_bank_self_hosts_on_an_engine_with_a_lean_front_end_to_reach_its_40ms(results):
    """vLLM's request path alone (~43 ms of TTFT beyond the engine, catalogs/engines.yaml) misses the bank's 40 ms,
    and the API cannot answer under 50 ms: the planner tries the leaner engines (scenario.LATENCY_ENGINES) and
    serves the small model on one of them, with the margin measured at the peak the plan carries."""
    result = results["bank-low-latency"]
    assert result.recommendation == "self-host-on-prem"
    assert not result.options["api"].feasible
    [payment] = result.workloads
    assert payment.sizing.engine in LATENCY_ENGINES
    assert payment.sizing.margins["ttft_share"] == pytest.approx((40 - payment.sizing.ttft_ms) / 40)
    # Plans that clear the target by the sizing model's own error exist, so the planner takes one of them
    # (a cheaper L40S plan meets 40 ms by under 1%): no thin-margin risk, and the draws mostly meet the target.
    assert payment.sizing.margins["ttft_share"] >= CATALOGS.pricing.defaults()["latency_margin_min_share"]
    assert "thin_margin" not in [r.code for r in result.reasons] and result.confidence > 0.7
    model = CATALOGS.hardware.models[payment.sizing.model]
    assert model.published_params_b <= 14  # a small model, not a 70B one


def test_a_target_no_plan_reaches_gives_no_feasible_deployment_and_the_change_to_make(results):
    bank = load_assessment(EXAMPLES / "bank-low-latency.llmassess")
    result = evaluate(_answer(bank, "ttft_target", 5, 0), CATALOGS, SIZING_CACHE)
    assert result.recommendation is None and result.confidence is None
    assert result.headline.startswith("No feasible deployment: relax the latency target")
    assert result.missing_for_recommendation == ("ttft_target",)
    assert not any(o.feasible for o in result.options.values())
    assert "misses a latency" in result.options["self_host_on_prem"].infeasible_reason
    assert [r.code for r in result.reasons][:2] == ["no_feasible", "latency"]


def test_every_option_is_costed_with_line_items_and_finite_numbers(results):
    for result in results.values():
        assert set(result.options) == {"api", "self_host_cloud", "self_host_on_prem", "hybrid"}
        for option in result.options.values():
            assert option.line_items
            assert (option.infeasible_reason is None) == option.feasible
            for value in (option.monthly_usd, option.one_time_usd, option.horizon_usd, option.usd_per_million_tokens):
                assert math.isfinite(value) and value >= 0
        assert set(result.break_even_tokens_per_day) == {"self_host_cloud", "self_host_on_prem"}
        assert result.confidence is None or 0 <= result.confidence <= 1
        assert result.uncertainty is not None and result.tornado
        assert bool(result.tipping_points) == (result.recommendation is not None)


def test_the_json_dump_matches_the_contract(results):
    dumped = results["hospital-phi-on-prem"].model_dump(mode="json")
    for key in ("recommendation", "confidence", "reasons", "roadmap", "options", "break_even_tokens_per_day",
                "readiness", "sizing", "workloads", "tipping_points", "uncertainty"):
        assert key in dumped
    assert set(dumped["reasons"][0]) >= {"text", "rests_on"}
    assert set(dumped["roadmap"][0]) >= {"phase", "option", "trigger"}
    assert set(dumped["options"]["api"]["line_items"][0]) >= {"id", "label", "monthly_usd", "one_time_usd"}
    assert set(dumped["readiness"]) >= {"overall", "dimensions"}
    assert set(dumped["sizing"]) >= {"model", "gpu", "gpus_per_replica", "replicas"}
    assert set(dumped["tipping_points"][0]) >= {"input", "current", "flips_at", "flips_to"}
    assert set(dumped["uncertainty"]) >= {"api", "self_host_cloud", "self_host_on_prem", "hybrid",
                                          "probability_self_host_cheaper"}
    assert set(dumped["uncertainty"]["api"]) == {"p10", "p50", "p90"}


def test_an_assumption_override_applies_and_is_reported():
    assessment = load_assessment(EXAMPLES / "midsize-general-api.llmassess")
    base = evaluate_core(assessment, CATALOGS, SIZING_CACHE)
    overridden = assessment.model_copy(update={"assumption_overrides": {
        "ml_engineer_share": AssumptionOverride(value=0.5, reason="client's estimate")}})
    result = evaluate_core(overridden, CATALOGS, SIZING_CACHE)
    line = next(i for i in result.options["self_host_cloud"].line_items if i.id == "ml_engineer")
    assert line.monthly_usd == pytest.approx(280_000 * 0.5 / 12)
    assert result.options["self_host_cloud"].monthly_usd > base.options["self_host_cloud"].monthly_usd
    reported = next(a for a in result.assumptions if a.id == "ml_engineer_share")
    assert reported.overridden and reported.override_reason == "client's estimate"


def test_the_core_and_the_full_evaluation_agree(results):
    for name in ("bank-low-latency", "hospital-phi-on-prem"):
        core = evaluate_core(load_assessment(EXAMPLES / f"{name}.llmassess"), CATALOGS, SIZING_CACHE)
        full = results[name]
        assert core.recommendation == full.recommendation  # the live panel decides on fewer draws
        assert core.confidence == pytest.approx(full.confidence, abs=0.05) if full.confidence else True
        assert core.options == full.options


def test_projected_volume_is_discounted_and_flagged():
    assessment = load_assessment(EXAMPLES / "ai-native-200m-tokens.llmassess")
    workload = assessment.workloads[0]
    projected = workload.model_copy(update={"answers": {**workload.answers, "volume_basis": workload.answers[
        "volume_basis"].model_copy(update={"value": "projected"})}})
    # Not the product any more: only volume could justify self-hosting now.
    organisation = {**assessment.organisation_answers,
                    "ai_role": assessment.organisation_answers["ai_role"].model_copy(update={"value": "feature"})}
    result = evaluate_core(assessment.model_copy(update={"workloads": [projected],
                                                         "organisation_answers": organisation}), CATALOGS, SIZING_CACHE)
    flagged = [r for r in result.reasons if r.text.startswith("Projected, not measured")]
    assert flagged and "40.0M tokens/day" in flagged[0].text  # 200M / 5


@pytest.mark.parametrize("workloads", [0, 1])
def test_an_unfinished_assessment_gets_no_recommendation_but_finite_numbers(default_questionnaire, workloads):
    blank = Assessment(questionnaire=default_questionnaire,
                       workloads=[Workload(id=f"w{i}", name="Blank") for i in range(workloads)])
    result = evaluate(blank, CATALOGS, SIZING_CACHE)
    assert result.recommendation is None and result.confidence is None  # not enough answers
    assert result.missing_for_recommendation == (("workloads",) if not workloads else (
        "requests_per_day", "data_classes"))
    assert result.tokens_per_day >= 1
    for option in result.options.values():
        assert math.isfinite(option.usd_per_million_tokens) and option.monthly_usd >= 0
