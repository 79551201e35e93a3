"""No dead assumption: every assumption in the catalog, moved across its range, changes some figure of the
evaluation (a cost, a range, a reason, the confidence, a tipping point or a note) in the examples or in
stressed variants built to reach the rules the examples do not (a large 24/7 fleet, several pools, mixed
traffic profiles, estimated, projected and missing volumes, unknown key answers, a stated API bill far from
the priced one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.assessment import Answer, AnswerStatus, AssumptionOverride, Confidence
from app.engine.evaluate import evaluate, evaluate_core
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGS = load_catalogs()
# Categories whose figures only the full evaluation shows (ranges, tipping points).
FULL_EVALUATION = frozenset({"volume", "uncertainty", "decision"})


def _answer(assessment, question_id: str, value, workload: int | None = None, **extra):
    answer = Answer(value=value, **extra)
    if workload is None:
        return assessment.model_copy(update={"organisation_answers": {**assessment.organisation_answers,
                                                                       question_id: answer}})
    workloads = list(assessment.workloads)
    w = workloads[workload]
    workloads[workload] = w.model_copy(update={"answers": {**w.answers, question_id: answer}})
    return assessment.model_copy(update={"workloads": workloads})


def _unknown(assessment, question_id: str, workload: int):
    workloads = list(assessment.workloads)
    w = workloads[workload]
    workloads[workload] = w.model_copy(update={"answers": {**w.answers,
                                                           question_id: Answer(status=AnswerStatus.UNKNOWN)}})
    return assessment.model_copy(update={"workloads": workloads})


def _override(assessment, assumption_id: str, value: float):
    return assessment.model_copy(update={"assumption_overrides": {
        **assessment.assumption_overrides, assumption_id: AssumptionOverride(value=value, reason="scenario")}})


def _midsize():
    return load_assessment(EXAMPLES / "midsize-general-api.llmassess")


def large_fleet():
    """The midsize client at forty times the support traffic, around the clock, with a large batch workload
    in the shared pool, a fully fine-tuned one in a pool of its own, an estimated volume, and growth estimated for
    one use case and measured for another."""
    a = _answer(_midsize(), "availability_required", "24x7")
    a = _answer(a, "requests_per_day", 800_000, 0)
    a = _answer(a, "latency_mode", "batch", 2)
    a = _answer(a, "fine_tuning_need", "critical", 1)
    a = _answer(a, "fine_tuning_method", "full", 1)
    a = _answer(a, "volume_basis", "measured", 2)  # measured: a projection would be discounted below the pool's steps
    a = _answer(a, "growth_per_year", 50, 1, confidence=Confidence.ESTIMATED)
    a = _answer(a, "growth_per_year", 20, 2, confidence=Confidence.MEASURED)
    return _answer(a, "requests_per_day", 300_000, 2, confidence=Confidence.ESTIMATED)


def growing_client():
    """The midsize client allowed on-premises hardware, at forty times a projected, estimated support volume:
    a volume-driven case for self-hosting that rests on a projection."""
    a = _answer(_midsize(), "on_prem_allowed", "yes")
    a = _answer(a, "requests_per_day", 800_000, 0, confidence=Confidence.ESTIMATED)
    return _answer(a, "volume_basis", "projected", 0)


def uncertain_client():
    """The midsize client with key answers unknown (a volume among them), a projected volume and a stated bill
    a third of the priced one, where each unknown costs the most confidence and the base is low (the floor
    binds)."""
    a = _answer(_midsize(), "current_api_spend", 4_000)
    for question in ("production_inference", "ml_engineering", "ai_role", "on_prem_allowed"):
        a = a.model_copy(update={"organisation_answers": {**a.organisation_answers,
                                                          question: Answer(status=AnswerStatus.UNKNOWN)}})
    a = _unknown(a, "requests_per_day", 1)
    a = _unknown(a, "growth_per_year", 0)
    a = _answer(a, "volume_basis", "projected", 1)
    a = _answer(a, "data_classes", ["internal", "pii"], 1)
    for workload in range(3):
        a = _unknown(a, "api_terms_acceptable", workload)
    return _override(_override(a, "confidence_unknown_penalty", 0.05), "confidence_base", 0.4)


def certain_hospital():
    """The hospital with the hard-constraint confidence at the top of its range (above the ceiling's low)."""
    return _override(load_assessment(EXAMPLES / "hospital-phi-on-prem.llmassess"), "confidence_hard_constraint", 0.95)


SCENARIOS = [lambda p=p: load_assessment(p) for p in sorted(EXAMPLES.glob("*.llmassess"))] + [
    large_fleet, growing_client, uncertain_client, certain_hospital]
SIZING_CACHE: dict = {}


def _moved(assessment, assumption_id: str, value: float):
    overrides = {**assessment.assumption_overrides, assumption_id: AssumptionOverride(value=value, reason="test")}
    return assessment.model_copy(update={"assumption_overrides": overrides})


def _figures(assessment, full: bool) -> str:
    run = evaluate if full else evaluate_core
    return run(assessment, CATALOGS, SIZING_CACHE).model_dump_json(exclude={"assumptions"})


def _ends(a) -> tuple[float, float]:
    """Low and high; a setting with no range (draw count, seed) moves to another value."""
    if a.low < a.high:
        return a.low, a.high
    return a.default, (a.default / 2 if a.default > 1 else a.default + 1)


@pytest.mark.parametrize("assumption_id", sorted(CATALOGS.pricing.assumptions))
def test_every_assumption_moves_a_figure(assumption_id):
    a = CATALOGS.pricing.assumptions[assumption_id]
    low, high = _ends(a)
    # The live panel's draw count only shows in the live evaluation (the full one takes uncertainty_draws).
    full = a.category in FULL_EVALUATION and a.id != "uncertainty_live_draws"
    for scenario in SCENARIOS:
        base = scenario()
        if _figures(_moved(base, assumption_id, low), full) != _figures(_moved(base, assumption_id, high), full):
            return
    pytest.fail(f"{assumption_id} changes no figure across {low}..{high}: remove it (with a migration) or use it")


def test_the_retired_seed_figures_are_gone_and_bridged():
    assumptions = CATALOGS.pricing.assumptions
    for retired in ("a100_instance_usd_per_month", "on_prem_gpu_capital_usd", "seed_crossover_tokens_per_day"):
        assert retired not in assumptions
    assert {"gpu_rent_usd_per_gpu_month", "capital_usd_per_gpu", "crossover_tokens_per_day"} <= set(
        CATALOGS.pricing.article)
    for live in ("gpu_price_factor", "days_per_month", "ml_engineer_share", "sre_oncall_share", "pue"):
        assert live in assumptions
