"""Properties of the decision, over volumes and data classes drawn by hypothesis (docs/decision.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.assessment import Answer
from app.domain.evaluation import option_for_recommendation
from app.engine import decision
from app.engine.evaluate import choose, evaluate, evaluate_core
from app.engine.scenario import build_context
from app.engine.uncertainty import draw
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGS = load_catalogs()
CACHE: dict = {}
SETTINGS = settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
FACTORS = st.sampled_from([0.05, 0.2, 0.5, 1.0, 2.0, 5.0, 20.0])


def scaled(name: str, factor: float, **answers):
    a = load_assessment(EXAMPLES / f"{name}.llmassess")
    workloads = []
    for w in a.workloads:
        extra = {k: Answer(value=v) for k, v in answers.items()}
        if "requests_per_day" in w.answers and w.answers["requests_per_day"].value:
            extra["requests_per_day"] = Answer(value=max(1, round(w.answers["requests_per_day"].value * factor)))
        workloads.append(w.model_copy(update={"answers": {**w.answers, **extra}}))
    return a.model_copy(update={"workloads": workloads})


def level(recommendation: str | None) -> int:
    return -1 if recommendation is None else decision.OFF_API_LEVEL[option_for_recommendation(recommendation)]


@SETTINGS
@given(name=st.sampled_from(["midsize-general-api", "hospital-phi-on-prem", "ai-native-200m-tokens"]),
       factor=FACTORS)
def test_the_recommendation_is_always_feasible_and_its_confidence_is_the_documented_probability(name, factor):
    assessment = scaled(name, factor)
    result = evaluate_core(assessment, CATALOGS, CACHE)
    if result.recommendation is None:
        return
    option = result.options[option_for_recommendation(result.recommendation)]
    assert option.feasible and option.offered
    ctx = build_context(assessment, CATALOGS, CACHE)
    drawn = draw(ctx, live=True)
    options = decision.candidates({o: c.feasible for o, c in result.options.items()}, ctx.hybrid_mixed)
    picked = decision.rule_winners(drawn.npv, options, decision.required_saving(ctx.moat, ctx.params)) == \
        options.index(option.option)
    documented = np.mean(picked & (drawn.meets_targets[option.option] if result.confidence_basis == "constraint"
                                   else True))
    assert abs(result.confidence - documented) <= 0.01
    assert choose(ctx, drawn).option == option.option


@SETTINGS
@given(factor=FACTORS)
def test_raising_volume_never_moves_toward_the_api_beyond_a_replica_step(factor):
    low, high = (evaluate_core(scaled("midsize-general-api", f), CATALOGS, CACHE) for f in (factor, factor * 2))
    if level(high.recommendation) < level(low.recommendation):
        replicas = lambda r: sum(p.replicas for p in r.pools)  # noqa: E731
        assert replicas(high) != replicas(low)  # a crossing at a replica step


@SETTINGS
@given(factor=st.sampled_from([1.0, 2.0, 4.0, 8.0]))
def test_a_self_hosting_confidence_does_not_fall_as_volume_rises(factor):
    low, high = (evaluate_core(scaled("ai-native-200m-tokens", f, on_prem_allowed="yes"), CATALOGS, CACHE)
                 for f in (factor, factor * 2))
    if low.recommendation and low.recommendation.startswith("self-host") and high.recommendation == \
            low.recommendation and low.confidence_basis == high.confidence_basis == "cost":
        assert high.confidence >= low.confidence - 0.02


@SETTINGS
@given(factor=FACTORS)
def test_more_sensitive_data_never_moves_away_from_self_hosting(factor):
    plain = evaluate_core(scaled("hospital-phi-on-prem", factor), CATALOGS, CACHE)
    secret = scaled("hospital-phi-on-prem", factor)
    secret = secret.model_copy(update={"workloads": [w.model_copy(update={"answers": {
        **w.answers, "data_classes": Answer(value=["classified"])}}) for w in secret.workloads]})
    classified = evaluate_core(secret, CATALOGS, CACHE)
    if level(plain.recommendation) >= 1:
        assert level(classified.recommendation) >= level(plain.recommendation) or classified.recommendation is None


def test_the_base_case_lies_inside_its_p10_p90():
    for path in sorted(EXAMPLES.glob("*.llmassess")):
        result = evaluate(load_assessment(path), CATALOGS, CACHE)
        for option, cost in result.options.items():
            band = result.uncertainty.npv[option]
            assert band.p10 * 0.98 <= cost.npv_usd <= band.p90 * 1.02, (path.stem, option)
        shares = result.uncertainty.probability_best
        assert not shares or abs(sum(shares.values()) - 1) < 1e-9


def test_splitting_a_use_case_in_two_leaves_the_decision_unchanged():
    a = load_assessment(EXAMPLES / "midsize-general-api.llmassess")
    first = a.workloads[0]
    half = first.answers["requests_per_day"].value / 2
    halves = [first.model_copy(update={"id": f"{first.id}{s}", "answers": {
        **first.answers, "requests_per_day": Answer(value=half)}}) for s in "ab"]
    split = a.model_copy(update={"workloads": [*halves, *a.workloads[1:]]})
    whole, parts = (evaluate_core(x, CATALOGS, CACHE) for x in (a, split))
    assert whole.recommendation == parts.recommendation
    assert abs(whole.confidence - parts.confidence) <= 0.01
    assert parts.options["api"].monthly_usd == pytest.approx(whole.options["api"].monthly_usd, rel=1e-6)
