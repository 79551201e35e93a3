"""Comparing two assessments: Brightline's last-quarter file against this quarter's (both bundled examples),
with the attribution worked by hand from the catalog's list prices; the parts always sum to the total change
(hypothesis); a changed catalog snapshot shows as changed prices and lands in the prices part."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.domain.assessment import Answer, AssumptionOverride
from app.domain.comparison import ChangedAnswer, ChangedAssumption
from app.engine.compare import attributed_option, compare
from app.engine.evaluate import evaluate_core
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGS = load_catalogs()
CACHE: dict = {}
OLD = load_assessment(EXAMPLES / "brightline-2026q3.llmassess")
NEW = load_assessment(EXAMPLES / "midsize-general-api.llmassess")

# By hand, from catalogs/api_models.yaml (Claude Sonnet 4: $3 input, $0.30 cached input, $15 output per million)
# and catalogs/assumptions.yaml (365/12 days a month, 3% retried calls), for the support assistant (w1):
# 2,000 input + 500 output tokens a request, so input is 80% of its tokens.
DAYS = 365 / 12
RETRIES = 1.03


def rate(cached_share: float) -> float:
    """USD per million tokens of the support assistant, at a cached share of its input."""
    return 0.8 * ((1 - cached_share) * 3.0 + cached_share * 0.3) + 0.2 * 15.0


def million_tokens(requests_per_day: float) -> float:
    return requests_per_day * 2500 * DAYS / 1e6


@pytest.fixture(scope="module")
def brightline():
    return compare(OLD, CATALOGS, NEW, CATALOGS, CACHE)


def test_the_attribution_of_brightlines_quarter_worked_by_hand(brightline):
    # Last quarter: 12,000 requests a day, 30% cached prefix, API prices at 0.9 of list (a lapsed discount);
    # now: 20,000 requests, 40% cached, list prices. Each step moves only the support assistant's tokens,
    # except the discount, which moves the whole API bill (this quarter's $12,592.50 of tokens before retries).
    volume = (million_tokens(20_000) - million_tokens(12_000)) * rate(0.3) * 0.9 * RETRIES
    answers = million_tokens(20_000) * (rate(0.4) - rate(0.3)) * 0.9 * RETRIES
    assumptions = 12_592.5 * (1.0 - 0.9) * RETRIES
    parts = brightline.attribution_usd
    assert brightline.attribution_option == "api"
    assert parts.volume == pytest.approx(volume, rel=1e-9)  # $2,679.79
    assert parts.answers == pytest.approx(answers, rel=1e-9)  # -$304.53
    assert parts.assumptions == pytest.approx(assumptions, rel=1e-9)  # $1,297.03
    assert parts.prices == 0.0  # the bundled examples carry no snapshot: both on the same catalogs
    api = brightline.options["api"]
    assert parts.total == pytest.approx(api.new_monthly_usd - api.old_monthly_usd, rel=1e-12)


def test_what_changed_between_the_quarters(brightline):
    assert brightline.recommendation.model_dump() == {"old": "api", "new": "api"}
    assert brightline.changed_answers == (
        ChangedAnswer(workload=None, question="assessment_date", old="2026-08-03", new="2026-11-02"),
        ChangedAnswer(workload=None, question="current_api_spend", old=11000, new=15000),
        ChangedAnswer(workload="w1", question="requests_per_day", old=12000, new=20000),
        ChangedAnswer(workload="w1", question="measured_days", old=90, new=120),
        ChangedAnswer(workload="w1", question="cached_prefix_share", old=30, new=40))
    assert brightline.changed_assumptions == (ChangedAssumption(id="api_price_factor", old=0.9, new=1.0),)
    assert brightline.changed_prices == ()
    # Self-hosting moved only with its pools: the larger volume sizes DeepSeek-V3 on more (or other) GPUs; no price or
    # assumption of its own changed, and it stays far above the API's cost.
    on_prem = brightline.options["self_host_on_prem"]
    assert on_prem.new_monthly_usd >= on_prem.old_monthly_usd
    assert on_prem.new_monthly_usd > 1.5 * brightline.options["api"].new_monthly_usd


def _cheaper_api(catalogs, factor: float):
    models = {k: m.model_copy(update={"usd_per_million_input_tokens": m.usd_per_million_input_tokens * factor,
                                      "usd_per_million_output_tokens": m.usd_per_million_output_tokens * factor})
              for k, m in catalogs.pricing.api_models.items()}
    return catalogs.model_copy(update={"pricing": catalogs.pricing.model_copy(update={"api_models": models})})


def test_a_price_change_in_the_catalogs_is_listed_and_lands_in_the_prices_part():
    newer = _cheaper_api(CATALOGS, 0.5)
    result = compare(NEW, CATALOGS, NEW, newer, CACHE)
    sonnet = [p for p in result.changed_prices if p.id == "claude-sonnet-4"]
    assert {(p.catalog, p.field, p.old, p.new) for p in sonnet} == {
        ("pricing.api_models", "usd_per_million_input_tokens", 3.0, 1.5),
        ("pricing.api_models", "usd_per_million_output_tokens", 15.0, 7.5)}
    parts = result.attribution_usd
    assert parts.volume == parts.answers == parts.assumptions == 0.0
    assert parts.prices < 0
    assert result.changed_answers == () and result.changed_assumptions == ()


def test_an_assumption_default_moved_by_the_catalogs_is_held_in_the_prices_step():
    retry = CATALOGS.pricing.assumptions["api_retry_overhead_share"]
    moved = {**CATALOGS.pricing.assumptions, retry.id: retry.model_copy(update={"default": 0.05, "high": 0.2})}
    newer = CATALOGS.model_copy(update={"pricing": CATALOGS.pricing.model_copy(update={"assumptions": moved})})
    result = compare(NEW, CATALOGS, NEW, newer, CACHE)
    assert result.changed_assumptions == (ChangedAssumption(id="api_retry_overhead_share", old=0.03, new=0.05),)
    assert result.attribution_usd.prices == 0.0
    assert result.attribution_usd.assumptions == pytest.approx(12_592.5 * 0.02, rel=1e-9)


def test_with_no_recommendation_the_cheapest_feasible_option_is_attributed():
    undecided = NEW.model_copy(deep=True)
    undecided.workloads[2].answers.pop("data_classes")  # without it there is no recommendation (issue 14)
    evaluation = evaluate_core(undecided, CATALOGS, CACHE)
    assert evaluation.recommendation is None and evaluation.missing_for_recommendation
    feasible = [o for o, c in evaluation.options.items() if c.feasible]
    cheapest = min(feasible, key=lambda o: evaluation.options[o].monthly_usd)
    result = compare(OLD, CATALOGS, undecided, CATALOGS, CACHE)
    assert attributed_option(evaluation) == result.attribution_option == cheapest
    assert result.recommendation.new is None and result.confidence.new is None
    assert result.attribution_usd.total == pytest.approx(
        result.options[cheapest].new_monthly_usd - result.options[cheapest].old_monthly_usd, rel=1e-9)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(requests=st.integers(100, 400_000), cached=st.integers(0, 90), factor=st.floats(0.5, 1.2),
       gpu=st.floats(0.5, 1.5), prices=st.floats(0.2, 3.0), tier=st.sampled_from(["narrow", "strong", "frontier"]))
def test_the_four_parts_always_sum_to_the_total_change(requests, cached, factor, gpu, prices, tier):
    later = NEW.model_copy(deep=True)
    support = later.workloads[0].answers
    support["requests_per_day"] = Answer(value=requests)
    support["cached_prefix_share"] = Answer(value=cached)
    support["capability_tier"] = Answer(value=tier)
    later.assumption_overrides = {"api_price_factor": AssumptionOverride(value=factor),
                                  "gpu_price_factor": AssumptionOverride(value=gpu)}
    result = compare(OLD, CATALOGS, later, _cheaper_api(CATALOGS, prices), CACHE)
    steps = result.attribution_steps_usd
    option = result.attribution_option
    assert steps[0] == result.options[option].old_monthly_usd
    assert steps[-1] == result.options[option].new_monthly_usd
    assert result.attribution_usd.total == pytest.approx(steps[-1] - steps[0], rel=1e-9, abs=1e-6)
