"""Capacity planning: for a workload, how many GPUs of each type, at what cost, with which levers.

For every candidate model x GPU x weight format, the planner tries the lever options (tensor-parallel
width, FP8 KV cache, speculative decoding), runs each at the highest concurrency that still meets the
latency targets, sizes replicas for the peak plus redundancy, and keeps the cheapest option."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.domain.hardware import HardwareCatalog
from app.domain.sizing import CapacityPlan, CapacityRequest
from app.engine.sizing import speed
from app.engine.sizing.config import BYTES_PER_GIB, MS_PER_S, ServingConfig, Speculation, build_config
from app.engine.sizing.levers import SIXTEEN_BIT, Option, describe_levers
from app.engine.sizing.memory import max_concurrency, memory_fit

SECONDS_PER_DAY = 86_400
HOURS_PER_DAY = 24
TOKENS_PER_MILLION = 1e6
W_PER_KW = 1000
QUANTISED_WEIGHTS = ("fp8", "int8", "int4", "fp4")
RISK_ORDER = ("none", "low", "medium", "high")
COST_DECIMALS = 6  # costs equal to a millionth of a dollar count as a tie


@dataclass(frozen=True, slots=True)
class Workload:
    input_tokens: float
    output_tokens: float
    average_output_tokens_per_s: float
    peak_output_tokens_per_s: float


@dataclass(frozen=True, slots=True)
class Evaluated:
    option: Option
    config: ServingConfig
    fits: bool
    reason: str | None
    meets_targets: bool
    concurrency: int
    speed: speed.Speed | None
    replicas_for_peak: int
    usd_per_million_tokens: float
    operating: speed.Speed | None = None  # at the peak the plan carries (None: at `speed`)


def workload_of(request: CapacityRequest) -> Workload:
    """tokens_per_day counts input and output tokens together."""
    tokens_per_request = request.input_tokens_per_request + request.output_tokens_per_request
    requests_per_s = request.tokens_per_day / SECONDS_PER_DAY / tokens_per_request
    average = requests_per_s * request.output_tokens_per_request
    return Workload(request.input_tokens_per_request, request.output_tokens_per_request, average,
                    average * request.peak_to_average_ratio)


def plan_capacity(request: CapacityRequest, hardware: HardwareCatalog) -> list[CapacityPlan]:
    """One plan per candidate model x GPU x weight format, cheapest first: plans that fit and meet the
    latency targets, then those that fit but miss them, then those that do not fit."""
    workload = workload_of(request)
    plans = []
    for model_id in request.model_ids or tuple(hardware.models):
        for gpu_id in request.gpu_ids or tuple(hardware.gpus):
            plans.extend(_plans_for_pair(request, hardware, workload, model_id, gpu_id))
    risk = {precision_id: RISK_ORDER.index(precision.quality_risk)
            for precision_id, precision in hardware.precisions.items()}
    return sorted(plans, key=lambda plan: _plan_order(plan, risk))


def best_plan(request: CapacityRequest, hardware: HardwareCatalog) -> CapacityPlan | None:
    """The cheapest plan that meets the targets; else the cheapest that fits (meets_latency_targets
    False says so); None when nothing fits."""
    fitting = [plan for plan in plan_capacity(request, hardware) if plan.fits]
    return fitting[0] if fitting else None


def _plan_order(plan: CapacityPlan, risk: dict[str, int]) -> tuple:
    """Cheapest first; at equal cost the lower quality risk, then fewer GPUs."""
    return (not plan.fits, not plan.meets_latency_targets, round(plan.usd_per_million_tokens_on_demand, COST_DECIMALS),
            risk[plan.precision], plan.total_gpus, plan.model_id, plan.gpu_id)


def _precisions(request: CapacityRequest, hardware: HardwareCatalog) -> list[str]:
    engine = hardware.engines[request.engine]
    wanted = ("bf16", *QUANTISED_WEIGHTS) if request.allow_quantisation else ("bf16",)
    return [p for p in wanted if p in engine.precisions and p in hardware.precisions]


def _plans_for_pair(request, hardware, workload, model_id, gpu_id) -> list[CapacityPlan]:
    best_by_precision = {p: _best_option(request, hardware, workload, model_id, gpu_id, p)
                         for p in _precisions(request, hardware)}
    sixteen_bit = next((best_by_precision[p] for p in SIXTEEN_BIT if p in best_by_precision), None)
    plans = []
    for evaluated in best_by_precision.values():
        if evaluated.fits and evaluated.option.precision not in SIXTEEN_BIT:
            if sixteen_bit and sixteen_bit.fits and _cost_key(sixteen_bit) <= _cost_key(evaluated):
                continue  # quantising bought nothing here: do not offer the quality risk
        plans.append(_to_plan(request, hardware, workload, evaluated, sixteen_bit))
    return plans


def _cost_key(evaluated: Evaluated) -> tuple:
    return (not evaluated.fits, not evaluated.meets_targets, evaluated.usd_per_million_tokens,
            evaluated.option.lever_count)


def _widths(hardware: HardwareCatalog) -> list[int]:
    max_gpus = int(hardware.levers["tensor-parallelism"].parameters["max_gpus"])
    return [2**i for i in range(int(math.log2(max_gpus)) + 1)]


def _options(request: CapacityRequest, hardware: HardwareCatalog, precision: str, width: int) -> list[Option]:
    engine = hardware.engines[request.engine]
    kv_choices = ["fp16"] + (["fp8"] if request.allow_quantisation and "fp8" in engine.kv_precisions else [])
    wants_speed = request.tokens_per_s_per_user_target is not None or request.latency_critical
    speculation = [False, True] if wants_speed else [False]
    return [Option(precision, kv, width, spec, request.cached_input_share > 0)
            for kv in kv_choices for spec in speculation]


def _best_option(request, hardware, workload, model_id, gpu_id, precision) -> Evaluated:
    """Widen tensor parallelism only while it keeps lowering the cost: once a width meets the targets,
    a wider one that costs more ends the search (more GPUs per copy rarely gets cheaper again)."""
    best = None
    for width in _widths(hardware):
        evaluated = min((_evaluate(request, hardware, workload, model_id, gpu_id, option)
                         for option in _options(request, hardware, precision, width)), key=_cost_key)
        if best is not None and best.fits and best.meets_targets and _cost_key(evaluated) >= _cost_key(best):
            break
        best = evaluated if best is None or _cost_key(evaluated) < _cost_key(best) else best
    return best


def speculation_of(hardware: HardwareCatalog) -> Speculation:
    parameters = hardware.levers["speculative-decoding"].parameters
    return Speculation(int(parameters["draft_tokens"]), parameters["acceptance_rate"],
                       parameters["draft_cost_fraction"])


def _evaluate(request, hardware, workload, model_id, gpu_id, option: Option) -> Evaluated:
    config = build_config(hardware, model_id, gpu_id, option.precision, option.kv_precision, request.engine,
                          option.gpus, speculation_of(hardware) if option.speculative else None)
    return evaluate_option(request, hardware, workload, config, option)


def evaluate_option(request: CapacityRequest, hardware: HardwareCatalog, workload: Workload,
                    config: ServingConfig, option: Option) -> Evaluated:
    tokens_per_sequence = workload.input_tokens + workload.output_tokens
    context_fit = memory_fit(config, max(request.context_tokens, tokens_per_sequence), 1)
    if not context_fit.fits:
        return Evaluated(option, config, False, context_fit.reason, False, 1, None, 1, 0.0)
    cached = request.cached_input_share if option.prefix_caching else 0.0
    limit = max_concurrency(config, tokens_per_sequence)
    concurrency, meets = _highest_concurrency_meeting(request, config, workload, limit, cached)
    at_load = speed.serve(config, concurrency, workload.input_tokens, workload.output_tokens, cached)
    replicas = max(math.ceil(workload.peak_output_tokens_per_s / at_load.output_tokens_per_s),
                   request.min_replicas - request.redundancy, 1)
    gpus_total = (replicas + request.redundancy) * config.gpus
    usd_per_day = gpus_total * hardware.gpus[config.gpu_id].on_demand_usd_per_gpu_hour.typical * HOURS_PER_DAY
    usd_per_million = usd_per_day / (request.tokens_per_day / TOKENS_PER_MILLION)
    operating = _operating_speed(config, workload, concurrency, replicas, cached) if meets else at_load
    return Evaluated(option, config, True, None, meets, concurrency, at_load, replicas, usd_per_million, operating)


def _operating_speed(config, workload: Workload, limit: int, replicas: int, cached: float) -> speed.Speed:
    """Latency at the peak the plan carries: the fewest sequences in flight per replica whose throughput, over
    the replicas for the peak (the spare idle), carries the peak. Capacity is priced at `limit`, the most
    sequences that still meet the targets; a replica that the peak fills only partly answers faster than that,
    and the latency margin the decision weighs is the margin at this load."""
    def carries(concurrency: int) -> bool:
        served = speed.serve(config, concurrency, workload.input_tokens, workload.output_tokens, cached)
        return served.output_tokens_per_s * replicas >= workload.peak_output_tokens_per_s

    low, high = 1, limit
    while low < high:  # throughput rises with concurrency (a tested property of speed.serve)
        middle = (low + high) // 2
        low, high = (low, middle) if carries(middle) else (middle + 1, high)
    return speed.serve(config, low, workload.input_tokens, workload.output_tokens, cached)


def _meets(request: CapacityRequest, at_load: speed.Speed) -> bool:
    if request.ttft_target_ms is not None and at_load.ttft_s * MS_PER_S > request.ttft_target_ms:
        return False
    target = request.tokens_per_s_per_user_target
    return target is None or at_load.tokens_per_s_per_user >= target


def _highest_concurrency_meeting(request, config, workload, limit, cached) -> tuple[int, bool]:
    """Latency only worsens as concurrency rises, so binary-search the highest concurrency that meets."""
    def ok(concurrency: int) -> bool:
        return _meets(request, speed.serve(config, concurrency, workload.input_tokens, workload.output_tokens,
                                           cached))

    if not ok(1):
        return 1, False
    low, high = 1, limit
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if ok(middle) else (low, middle - 1)
    return low, True


def _to_plan(request, hardware, workload, evaluated: Evaluated, sixteen_bit: Evaluated | None) -> CapacityPlan:
    config, option = evaluated.config, evaluated.option
    at_load = evaluated.speed
    throughput = at_load.output_tokens_per_s if at_load else 0.0
    latency = evaluated.operating or at_load
    replicas_total = evaluated.replicas_for_peak + request.redundancy
    gpus_total = replicas_total * config.gpus
    memory = memory_fit(config, workload.input_tokens + workload.output_tokens, evaluated.concurrency)
    kv_gib = evaluated.concurrency * memory.kv_cache_gib_per_sequence
    notes = (evaluated.reason,) if evaluated.reason else ()
    if config.weight_only:
        notes += (f"{option.precision} runs weight-only on {config.gpu.name} (dequantised for compute)",)
    return CapacityPlan(
        model_id=config.model_id, gpu_id=config.gpu_id, precision=option.precision,
        kv_precision=config.kv_precision, engine=config.engine_id, engine_version=config.engine.version,
        gpus_per_replica=config.gpus,
        replicas_for_peak=evaluated.replicas_for_peak, redundancy_replicas=request.redundancy,
        concurrency_per_replica=evaluated.concurrency, meets_latency_targets=evaluated.meets_targets,
        fits=evaluated.fits, ttft_ms=latency.ttft_s * MS_PER_S if latency else None,
        tpot_ms=latency.tpot_s * MS_PER_S if latency else None,
        output_tokens_per_s_per_replica=throughput,
        utilisation_at_average=(workload.average_output_tokens_per_s / (replicas_total * throughput)
                                if throughput else 0.0),
        memory_per_gpu_gib=memory.memory_per_gpu_gib, weights_gib=config.weights_bytes_total / BYTES_PER_GIB,
        kv_cache_gib=kv_gib, gpu_power_kw=gpus_total * config.gpu.tdp_w / W_PER_KW,
        usd_per_million_tokens_on_demand=evaluated.usd_per_million_tokens,
        levers=_levers(request, hardware, workload, evaluated, sixteen_bit) if evaluated.fits else (),
        notes=notes,
    )


def _levers(request, hardware, workload, evaluated: Evaluated, sixteen_bit: Evaluated | None):
    def reevaluate(option: Option) -> Evaluated:
        return _evaluate(request, hardware, workload, evaluated.config.model_id, evaluated.config.gpu_id, option)

    return describe_levers(request, hardware, evaluated, sixteen_bit, reevaluate)
