"""Capacity planning: replicas, redundancy, cost per million tokens, levers and what each bought."""

from __future__ import annotations

import math
import re

import pytest

from app.domain.errors import UnknownIdError
from app.domain.sizing import CapacityRequest
from app.engine.sizing import best_plan, plan_capacity
from app.engine.sizing.capacity import workload_of
from app.storage.hardware_catalog import load_hardware_catalog

HARDWARE = load_hardware_catalog()
CHAT = dict(tokens_per_day=50e6, input_tokens_per_request=1500, output_tokens_per_request=300,
            ttft_target_ms=2000, tokens_per_s_per_user_target=20, model_ids=("llama-3.1-70b",))


@pytest.fixture(scope="module")
def plans():
    return plan_capacity(CapacityRequest(**CHAT), HARDWARE)


def test_plans_are_sorted_cheapest_first_among_those_that_meet_targets(plans):
    meeting = [p for p in plans if p.fits and p.meets_latency_targets]
    assert meeting, "some GPU must carry a 70B chat workload"
    costs = [p.usd_per_million_tokens_on_demand for p in meeting]
    assert costs == sorted(costs)
    groups = [(not p.fits, not p.meets_latency_targets) for p in plans]
    assert groups == sorted(groups)  # then the ones that miss targets, then the misfits


def test_best_plan_is_the_first_that_meets_targets(plans):
    best = best_plan(CapacityRequest(**CHAT), HARDWARE)
    assert best == plans[0] and best.meets_latency_targets
    assert best.ttft_ms <= CHAT["ttft_target_ms"]
    assert 1000 / best.tpot_ms >= CHAT["tokens_per_s_per_user_target"]


def test_cost_per_million_tokens_by_hand(plans):
    plan = plans[0]
    price = HARDWARE.gpus[plan.gpu_id].on_demand_usd_per_gpu_hour.typical
    expected = plan.total_gpus * price * 24 / (CHAT["tokens_per_day"] / 1e6)
    assert plan.usd_per_million_tokens_on_demand == pytest.approx(expected)


def test_replicas_carry_the_peak_plus_redundancy(plans):
    request = CapacityRequest(**CHAT)
    peak = workload_of(request).peak_output_tokens_per_s
    for plan in (p for p in plans if p.fits):
        assert plan.replicas_for_peak >= math.ceil(peak / plan.output_tokens_per_s_per_replica)
        assert plan.redundancy_replicas == 1
        assert plan.replicas >= request.min_replicas
        assert plan.gpu_power_kw == pytest.approx(plan.total_gpus * HARDWARE.gpus[plan.gpu_id].tdp_w / 1000)


def test_workload_counts_input_and_output_tokens_per_day():
    workload = workload_of(CapacityRequest(**CHAT))
    requests_per_s = 50e6 / 86_400 / 1800
    assert workload.average_output_tokens_per_s == pytest.approx(requests_per_s * 300)
    assert workload.peak_output_tokens_per_s == pytest.approx(2 * workload.average_output_tokens_per_s)


def test_levers_say_what_they_bought(plans):
    best = plans[0]
    applied = [lever for lever in best.levers if lever.applied]
    assert applied
    for lever in applied:
        assert lever.source
        if lever.id != "continuous-batching":
            assert lever.code == "bought" and lever.figures["with_fits"] == 1.0
            assert lever.figures["with_usd_per_million_tokens"] <= lever.figures.get(
                "without_usd_per_million_tokens", float("inf")) or not lever.figures["without_meets_targets"]


def test_a_lever_is_worded_in_words_without_plural_guesswork(plans):
    from app.engine.evaluate import _lever
    from app.storage.catalogs import load_wording
    lever = next(lever for lever in plans[0].levers if lever.code == "bought")
    effect = _lever(lever, load_wording()).effect
    assert effect.startswith("without it: ") and "; with it: " in effect and "(s)" not in effect
    assert re.search(r"\$\d+\.\d{2} per million tokens, TTFT \d+ ms", effect)


def test_no_quantisation_when_quality_risk_is_unacceptable():
    plans = plan_capacity(CapacityRequest(**CHAT, allow_quantisation=False), HARDWARE)
    assert {p.precision for p in plans} == {"bf16"}
    assert {p.kv_precision for p in plans if p.fits} == {"fp16"}
    assert not any(lever.applied for p in plans for lever in p.levers if lever.id.startswith("quantisation"))


def test_more_traffic_never_needs_fewer_gpus():
    small = best_plan(CapacityRequest(**{**CHAT, "tokens_per_day": 5e6}), HARDWARE)
    large = best_plan(CapacityRequest(**{**CHAT, "tokens_per_day": 500e6}), HARDWARE)
    assert large.total_gpus >= small.total_gpus


def test_prefix_caching_is_credited_for_shared_prompts():
    plan = best_plan(CapacityRequest(**CHAT, cached_input_share=0.8), HARDWARE)
    caching = next(lever for lever in plan.levers if lever.id == "prefix-caching")
    assert caching.applied and caching.code == "bought"


def test_nothing_fits_gives_no_best_plan():
    request = CapacityRequest(tokens_per_day=1e6, input_tokens_per_request=500, output_tokens_per_request=100,
                              model_ids=("deepseek-v3",), gpu_ids=("rtx-3090",))
    assert best_plan(request, HARDWARE) is None
    assert all(not p.fits and p.notes for p in plan_capacity(request, HARDWARE))


def test_unknown_model_is_an_error():
    with pytest.raises(UnknownIdError):
        plan_capacity(CapacityRequest(**{**CHAT, "model_ids": ("gpt-5",)}), HARDWARE)


def test_latency_is_reported_at_the_peak_the_plan_carries():
    """Capacity is priced at the most sequences that meet the targets, but a plan its peak fills only partly
    answers faster: its TTFT is at the fewest sequences per replica that carry the peak. A light load answers
    about as fast as one request alone; at any load it lies between that and the target."""
    from app.engine.sizing import speed
    from app.engine.sizing.config import build_config

    light = dict(CHAT, tokens_per_day=1e6, model_ids=("llama-3.1-8b",), gpu_ids=("h100-sxm",))
    plan = next(p for p in plan_capacity(CapacityRequest(**light), HARDWARE) if p.precision == "bf16")
    config = build_config(HARDWARE, plan.model_id, plan.gpu_id, plan.precision, plan.kv_precision, plan.engine,
                          plan.gpus_per_replica, None)
    alone = speed.serve(config, 1, 1500, 300, 0.0).ttft_s * 1000
    at_limit = speed.serve(config, plan.concurrency_per_replica, 1500, 300, 0.0).ttft_s * 1000
    assert plan.ttft_ms == pytest.approx(alone, rel=0.05) and plan.ttft_ms < at_limit
    for tokens_per_day in (1e8, 1e9, 5e9):
        heavier = next(p for p in plan_capacity(CapacityRequest(**dict(light, tokens_per_day=tokens_per_day)),
                                                HARDWARE) if p.precision == "bf16")
        assert alone * 0.95 <= heavier.ttft_ms <= CHAT["ttft_target_ms"]
