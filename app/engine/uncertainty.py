"""Ranges, not points: P10/P50/P90 of each option's monthly cost and NPV, and the probability that self-hosting
is cheaper. Every cost assumption's default is its central estimate: it is drawn from two half-triangles that
meet at the default, each holding half the draws, so its median is the default whichever end of its range the
default sits nearer. Volumes move by a lognormal factor whose spread follows how the volume is known (a
measurement is tight, an estimate wide, a missing answer wider still), one factor per way of knowing it, not
per use case: splitting a use case in two leaves the draws unchanged. Seeded: the same file gives the same
ranges."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from app.domain.evaluation import Percentiles, Uncertainty
from app.domain.inputs import WorkloadInputs
from app.engine import decision
from app.engine.scenario import Context, cash_flows, feasible, monthly_totals, npv
from app.engine.sensitivity import COST_CATEGORIES

PERCENTILES = (10, 50, 90)
INTEGER_UNITS = frozenset({"replicas"})


def volume_basis(ctx: Context, w: WorkloadInputs) -> str:
    """How a workload's volume is known: measured, or the confidence of its volume answer."""
    if w.volume_basis == "measured":
        return "measured"
    field = "tokens_per_day_direct" if w.tokens_per_day_direct is not None else "requests_per_day"
    provenance = ctx.inputs.provenance.get(f"workload.{w.workload_id}.{field}")
    return "default" if provenance is None or provenance.defaulted else provenance.confidence


def volume_sigma(ctx: Context, w: WorkloadInputs) -> float:
    """Lognormal spread of a workload's true volume, from how its volume answer is known."""
    basis = volume_basis(ctx, w)
    return ctx.params.get(f"volume_sigma_{basis}", ctx.params["volume_sigma_default"])


def centred_draws(rng: np.random.Generator, low: float, centre: float, high: float, draws: int) -> np.ndarray:
    """Half the draws on a triangle from `low` up to `centre`, half on one from `centre` down to `high`: the
    median is `centre` and the extremes are the range's ends."""
    u = rng.random(draws)
    below = centre - (centre - low) * (1 - np.sqrt(np.minimum(2 * u, 1.0)))
    above = centre + (high - centre) * (1 - np.sqrt(np.minimum(2 * (1 - u), 1.0)))
    return np.where(u < 0.5, below, above)


def _draw_assumptions(ctx: Context, rng: np.random.Generator, draws: int) -> dict[str, np.ndarray | float]:
    columns: dict[str, np.ndarray | float] = dict(ctx.params)
    for a in ctx.pricing.assumptions.values():
        if a.category not in COST_CATEGORIES or a.low >= a.high:
            continue
        value = ctx.params[a.id]
        low, high = min(a.low, value), max(a.high, value)  # an override may sit outside the catalog range
        drawn = centred_draws(rng, low, value, high, draws)
        columns[a.id] = np.round(drawn) if a.unit in INTEGER_UNITS else drawn
    return columns


def _volume_draws(ctx: Context, rng: np.random.Generator, draws: int) -> dict[str, np.ndarray]:
    """One lognormal factor per volume basis (in a fixed order), shared by every workload known that way."""
    bases = {w.workload_id: volume_basis(ctx, w) for w in ctx.inputs.workloads}
    sigmas = {w.workload_id: volume_sigma(ctx, w) for w in ctx.inputs.workloads}
    factors = {basis: rng.lognormal(0.0, next(sigmas[k] for k, b in bases.items() if b == basis), draws)
               for basis in sorted(set(bases.values()))}
    return {workload_id: factors[basis] for workload_id, basis in bases.items()}


def _percentiles(values: np.ndarray) -> Percentiles:
    p10, p50, p90 = np.percentile(values, PERCENTILES)
    return Percentiles(p10=float(p10), p50=float(p50), p90=float(p90))


def simulate(ctx: Context) -> Uncertainty:
    draws = int(ctx.params["uncertainty_draws"])
    rng = np.random.default_rng(int(ctx.params["uncertainty_seed"]))
    columns = _draw_assumptions(ctx, rng, draws)
    volumes: Mapping[str, np.ndarray] = _volume_draws(ctx, rng, draws)
    totals = {o: np.broadcast_to(t, (draws,)) for o, t in monthly_totals(ctx, columns, 1.0, volumes).items()}
    npvs = {o: np.broadcast_to(npv(f, columns), (draws,)) for o, f in cash_flows(ctx, columns, 1.0, volumes).items()}
    allowed = [o for o in decision.SELF_HOST_OPTIONS if feasible(ctx)[o]] or list(decision.SELF_HOST_OPTIONS)
    cheapest_self = np.minimum.reduce([totals[o] for o in allowed])
    return Uncertainty(**{o: _percentiles(t) for o, t in totals.items()},
                       probability_self_host_cheaper=float(np.mean(cheapest_self < totals["api"])), draws=draws,
                       npv={o: _percentiles(v) for o, v in npvs.items()})
