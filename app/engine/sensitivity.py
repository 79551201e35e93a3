"""What moves the decision: a tornado of cost assumptions swung over their ranges, and tipping points, the
value of each key input at which the recommendation flips. Both run the cost engine on numpy arrays, one
column per scenario, so a whole sweep costs about as much as one evaluation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from app.domain.evaluation import OPTION_IDS, TippingPoint, TornadoBar
from app.engine import decision
from app.engine.costs import (Number, api_usd_per_million, gpu_usd_per_hour, hours_per_month, million_tokens_per_month,
                              pool_facts)
from app.engine.scenario import Context, cost_view, feasible, monthly_totals, recommend

# Assumption categories that are costs (decision, readiness and uncertainty settings are not swung).
COST_CATEGORIES = frozenset({"time", "api", "cloud", "on_prem", "people", "process"})
TORNADO_BARS_SHOWN = 15
# Tipping points are searched from 1/20x to 20x the current value, then refined inside the step that flips.
TIPPING_MULTIPLIERS = np.geomspace(1 / 20, 20, 41)
TIPPING_REFINE_POINTS = 21


def self_host_advantage(ctx: Context, totals: Mapping[str, Number]) -> Number:
    """API monthly cost minus the cheapest (feasible, where any is) self-hosted monthly cost."""
    allowed = [o for o in decision.SELF_HOST_OPTIONS if feasible(ctx)[o]] or list(decision.SELF_HOST_OPTIONS)
    return totals["api"] - np.minimum.reduce([np.asarray(totals[o], dtype=float) for o in allowed])


def _columns(params: Mapping[str, float], size: int) -> dict[str, np.ndarray]:
    return {key: np.full(size, float(value)) for key, value in params.items()}


def tornado(ctx: Context) -> tuple[TornadoBar, ...]:
    swung = [a for a in ctx.pricing.assumptions.values() if a.category in COST_CATEGORIES and a.low < a.high]
    columns = _columns(ctx.params, 2 * len(swung))
    for i, assumption in enumerate(swung):
        columns[assumption.id][2 * i] = assumption.low
        columns[assumption.id][2 * i + 1] = assumption.high
    advantage = np.broadcast_to(self_host_advantage(ctx, monthly_totals(ctx, columns)), (2 * len(swung),))
    bars = [TornadoBar(assumption_id=a.id, label=a.label, low_value=a.low, high_value=a.high,
                       outcome_at_low=float(advantage[2 * i]), outcome_at_high=float(advantage[2 * i + 1]))
            for i, a in enumerate(swung)]
    bars.sort(key=lambda b: -abs(b.outcome_at_high - b.outcome_at_low))
    return tuple(bars[:TORNADO_BARS_SHOWN])


# ---- Tipping points ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyInput:
    id: str
    label: str
    unit: str
    current: float
    upper_bound: float | None
    # multipliers (array) -> (params, volume factor) to evaluate at
    scenario: Callable[[np.ndarray], tuple[Mapping[str, Number], Number]]


def _scaled_param(ctx: Context, key: str) -> Callable[[np.ndarray], tuple[Mapping[str, Number], Number]]:
    def scenario(multipliers: np.ndarray):
        return {**ctx.params, key: ctx.params[key] * multipliers}, 1.0
    return scenario


def _blended_api_price(ctx: Context) -> float:
    tokens = [float(million_tokens_per_month(w, ctx.params)) for w in ctx.workloads]
    spend = [float(api_usd_per_million(w, ctx.params)) * t for w, t in zip(ctx.workloads, tokens)]
    return sum(spend) / max(sum(tokens), 1e-9)


def _gpu_rate(ctx: Context, served) -> tuple[str, float]:
    """The GPU-hour the cloud plan pays in its largest pool (whole instances included), else the market rate of
    the busiest workload's GPU."""
    pools = pool_facts(ctx.pools.get("self_host_cloud", ()), ctx.workloads, ctx.params, ctx.org)
    if pools:
        largest = max(pools, key=lambda f: f.replicas * f.pool.key.gpus_per_replica)
        gpu_hours = largest.replicas * largest.pool.key.gpus_per_replica * float(hours_per_month(ctx.params))
        return largest.pool.gpu.name, largest.monthly / gpu_hours
    primary = max(served, key=lambda w: float(w.tokens_per_day))
    return primary.serving.gpu.name, float(gpu_usd_per_hour(primary.serving.gpu, ctx.params, ctx.org.reserved_gpus))


def key_inputs(ctx: Context) -> list[KeyInput]:
    inputs = [
        KeyInput("tokens_per_day", "Volume", "tokens/day", ctx.tokens_per_day, None,
                 lambda m: (ctx.params, m)),
        KeyInput("api_usd_per_million_tokens", "API list price (blended, before retries)", "USD per million tokens",
                 _blended_api_price(ctx), None, _scaled_param(ctx, "api_price_factor")),
        KeyInput("ml_engineer_usd_per_year", "Senior ML engineer cost", "USD per year",
                 ctx.params["ml_engineer_usd_per_year"], None, _scaled_param(ctx, "ml_engineer_usd_per_year")),
    ]
    served = [w for w in ctx.workloads if w.serving is not None]
    if served:
        gpu_name, rate = _gpu_rate(ctx, served)
        inputs.append(KeyInput("gpu_usd_per_hour", f"GPU price, {gpu_name}", "USD per GPU-hour", rate, None,
                               _scaled_param(ctx, "gpu_price_factor")))
        inputs.append(KeyInput(
            "gpu_peak_utilisation_target", "Usable share of replica throughput", "share",
            ctx.params["gpu_peak_utilisation_target"], 1.0, _scaled_param(ctx, "gpu_peak_utilisation_target")))
    return inputs


def _recommendations(ctx: Context, key: KeyInput, multipliers: np.ndarray) -> list[str]:
    params, factor = key.scenario(multipliers)
    view = cost_view(ctx, params, factor)
    size = multipliers.shape
    monthly = {o: np.broadcast_to(view.monthly[o], size) for o in OPTION_IDS}
    horizon = {o: np.broadcast_to(view.horizon[o], size) for o in OPTION_IDS}
    return [recommend(ctx, decision.CostView({o: float(monthly[o][i]) for o in OPTION_IDS},
                                             {o: float(horizon[o][i]) for o in OPTION_IDS},
                                             view.feasible, view.hybrid_mixed))
            for i in range(size[0])]


def _multipliers(key: KeyInput) -> np.ndarray:
    if key.upper_bound is None or key.current <= 0:
        return TIPPING_MULTIPLIERS
    return TIPPING_MULTIPLIERS[TIPPING_MULTIPLIERS * key.current <= key.upper_bound]


def _first_flip(recommendations: list[str], base: str, centre: int) -> int | None:
    """Index of the flip nearest to the centre (the current value), looking both ways."""
    for distance in range(1, len(recommendations)):
        for index in (centre - distance, centre + distance):
            if 0 <= index < len(recommendations) and recommendations[index] != base:
                return index
    return None


def tipping_point(ctx: Context, key: KeyInput, base_option: str) -> TippingPoint:
    grid = _multipliers(key)
    centre = int(np.argmin(np.abs(np.log(grid))))
    coarse = _recommendations(ctx, key, grid)
    flip = _first_flip(coarse, base_option, centre)
    flips_at = flips_to = None
    if flip is not None:
        inner = grid[flip - 1] if flip > centre else grid[flip + 1]
        fine = np.linspace(inner, grid[flip], TIPPING_REFINE_POINTS)
        refined = _recommendations(ctx, key, fine)
        index = next(i for i, r in enumerate(refined) if r != base_option)
        flips_at, flips_to = float(fine[index] * key.current), decision.recommendation_id(refined[index])
    return TippingPoint(input=key.id, label=key.label, unit=key.unit, current=key.current, flips_at=flips_at,
                        flips_to=flips_to)


def tipping_points(ctx: Context, recommendation: str) -> tuple[TippingPoint, ...]:
    base_option = recommendation.replace("-", "_")
    return tuple(tipping_point(ctx, key, base_option) for key in key_inputs(ctx))
