"""Ranges, not points: P10/P50/P90 of each option's monthly cost and the probability that self-hosting is
cheaper. Every cost assumption is drawn from a triangular distribution over its low/default/high range, and
each workload's volume from a lognormal whose spread follows how the volume is known: a measurement is tight,
an estimate wide, a missing answer wider still. Seeded: the same file gives the same ranges."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from app.domain.evaluation import Percentiles, Uncertainty
from app.domain.inputs import WorkloadInputs
from app.engine import decision
from app.engine.scenario import Context, feasible, monthly_totals
from app.engine.sensitivity import COST_CATEGORIES

PERCENTILES = (10, 50, 90)
INTEGER_UNITS = frozenset({"replicas"})


def volume_sigma(ctx: Context, w: WorkloadInputs) -> float:
    """Lognormal spread of a workload's true volume, from how its volume answer is known."""
    if w.volume_basis == "measured":
        return ctx.params["volume_sigma_measured"]
    field = "tokens_per_day_direct" if w.tokens_per_day_direct is not None else "requests_per_day"
    provenance = ctx.inputs.provenance.get(f"workload.{w.workload_id}.{field}")
    confidence = "default" if provenance is None or provenance.defaulted else provenance.confidence
    return ctx.params.get(f"volume_sigma_{confidence}", ctx.params["volume_sigma_default"])


def _draw_assumptions(ctx: Context, rng: np.random.Generator, draws: int) -> dict[str, np.ndarray | float]:
    columns: dict[str, np.ndarray | float] = dict(ctx.params)
    for a in ctx.pricing.assumptions.values():
        if a.category not in COST_CATEGORIES or a.low >= a.high:
            continue
        value = ctx.params[a.id]
        low, high = min(a.low, value), max(a.high, value)  # an override may sit outside the catalog range
        if a.unit in INTEGER_UNITS:
            columns[a.id] = rng.integers(int(low), int(high) + 1, draws).astype(float)
        else:
            columns[a.id] = rng.triangular(low, value, high, draws)
    return columns


def _percentiles(values: np.ndarray) -> Percentiles:
    p10, p50, p90 = np.percentile(values, PERCENTILES)
    return Percentiles(p10=float(p10), p50=float(p50), p90=float(p90))


def simulate(ctx: Context) -> Uncertainty:
    draws = int(ctx.params["uncertainty_draws"])
    rng = np.random.default_rng(int(ctx.params["uncertainty_seed"]))
    columns = _draw_assumptions(ctx, rng, draws)
    volumes: Mapping[str, np.ndarray] = {
        w.workload_id: rng.lognormal(0.0, volume_sigma(ctx, w), draws) for w in ctx.inputs.workloads}
    totals = {o: np.broadcast_to(t, (draws,)) for o, t in monthly_totals(ctx, columns, 1.0, volumes).items()}
    allowed = [o for o in decision.SELF_HOST_OPTIONS if feasible(ctx)[o]] or list(decision.SELF_HOST_OPTIONS)
    cheapest_self = np.minimum.reduce([totals[o] for o in allowed])
    return Uncertainty(**{o: _percentiles(t) for o, t in totals.items()},
                       probability_self_host_cheaper=float(np.mean(cheapest_self < totals["api"])), draws=draws)
