"""Ranges, not points: P10/P50/P90 of each option's monthly cost and NPV, and the probability that self-hosting
is cheaper. Every cost assumption's default is its central estimate, its expected value: it is drawn from two
half-triangles that meet at the default, weighted so that the draws' mean is the default whichever end of its
range the default sits nearer. Mean, not median: a monthly total adds many such lines, and a sum of skewed draws
centres on the sum of their means, so mean-centred draws keep the base case in the middle of its own range
(median-centred ones put the midsize client's on-prem base case below its P10). Volumes move by a lognormal
factor whose spread follows how the volume is known (a measurement is tight, an estimate wide, a missing answer
wider still), one factor per way of knowing it, not per use case: splitting a use case in two leaves the draws
unchanged. Seeded: the same file gives the same ranges."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from app.domain.evaluation import Percentiles, Uncertainty
from app.domain.inputs import WorkloadInputs
from app.engine import decision
from app.engine.scenario import Context, cash_flows, feasible, monthly_totals, npv
from app.engine.sensitivity import COST_CATEGORIES

PERCENTILES = (10, 50, 90)
INTEGER_UNITS = frozenset({"replicas"})


def _known(ctx: Context, w: WorkloadInputs, field: str) -> str:
    """The confidence of a workload's answer bound to `field`; "default" when nobody gave it."""
    provenance = ctx.inputs.provenance.get(f"workload.{w.workload_id}.{field}")
    return "default" if provenance is None or provenance.defaulted else provenance.confidence


def volume_basis(ctx: Context, w: WorkloadInputs) -> str:
    """How a workload's volume is known: measured, or the confidence of its volume answer."""
    if w.volume_basis == "measured":
        return "measured"
    return _known(ctx, w, "tokens_per_day_direct" if w.tokens_per_day_direct is not None else "requests_per_day")


def growth_basis(ctx: Context, w: WorkloadInputs) -> str:
    return _known(ctx, w, "growth_pct_per_year")


def _growth_draws(ctx: Context, rng: np.random.Generator, draws: int) -> dict[str, np.ndarray]:
    """Each workload's growth per year, drawn around its answer with the spread of how it is known: one normal
    draw per way of knowing it (in a fixed order), shared like the volume draws, so a split changes nothing.
    Never below a 90% fall a year, the answer's own floor."""
    bases = {w.workload_id: growth_basis(ctx, w) for w in ctx.inputs.workloads}
    shocks = {basis: rng.normal(0.0, 1.0, draws) for basis in sorted(set(bases.values()))}
    answered = {w.workload_id: w.growth_share_per_year for w in ctx.workloads}
    return {k: np.maximum(answered[k] + ctx.params[f"growth_sigma_{b}"] * shocks[b], -0.9) for k, b in bases.items()}


def volume_sigma(ctx: Context, w: WorkloadInputs) -> float:
    """Lognormal spread of a workload's true volume, from how its volume answer is known."""
    basis = volume_basis(ctx, w)
    return ctx.params.get(f"volume_sigma_{basis}", ctx.params["volume_sigma_stated"])  # no answer: as stated


def centred_draws(rng: np.random.Generator, low: float, centre: float, high: float, draws: int) -> np.ndarray:
    """A triangle from `low` up to `centre` and one from `centre` down to `high`, holding shares of the draws
    chosen so that their mean is `centre`: the lower one's mean is centre - (centre - low) / 3 and the upper
    one's centre + (high - centre) / 3, so the lower holds (high - centre) / (high - low). The extremes are the
    range's ends; a default at one end of its range leaves nothing to draw on the other side."""
    below_share = (high - centre) / (high - low)
    u = rng.random(draws)
    with np.errstate(divide="ignore", invalid="ignore"):  # an empty side is never chosen (np.where)
        below = centre - (centre - low) * (1 - np.sqrt(np.minimum(u / below_share, 1.0)))
        above = centre + (high - centre) * (1 - np.sqrt(np.minimum((1 - u) / (1 - below_share), 1.0)))
    return np.where(u < below_share, below, above)


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


def _discount_draws(ctx: Context, columns: Mapping[str, np.ndarray],
                    volumes: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A projected volume's discount is an assumption too: each draw applies its own overestimation factor in
    place of the base case's (already applied to the context's volumes)."""
    base = ctx.params[OVERESTIMATION]
    drawn = columns.get(OVERESTIMATION, base)
    return {w: v * (base / drawn) if ctx.decision_factors.get(w, 1.0) != 1.0 else v for w, v in volumes.items()}


def _percentiles(values: np.ndarray) -> Percentiles:
    p10, p50, p90 = np.percentile(values, PERCENTILES)
    return Percentiles(p10=float(p10), p50=float(p50), p90=float(p90))


@dataclass(frozen=True)
class Draws:
    """The uncertainty run's draws: each option's monthly total and horizon NPV, and whether each option's
    plans meet their latency targets, draw by draw."""

    monthly: Mapping[str, np.ndarray]
    npv: Mapping[str, np.ndarray]
    meets_targets: Mapping[str, np.ndarray]


def plans_of(ctx: Context, option: str) -> dict[str, object]:
    """workload id -> the capacity plan serving it under `option`."""
    return {m.workload_id: m.plan for p in ctx.pools.get(option, ()) for m in p.members}


def _meets_targets(ctx: Context, rng: np.random.Generator, draws: int) -> dict[str, np.ndarray]:
    """A plan's latency is an estimate: each draw scales first-token and per-token times by one lognormal
    factor (the sizing model's calibrated spread), and a plan meets its targets when every workload with a
    target still beats it. The API has no plan: it meets what the rules let it serve."""
    factor = rng.lognormal(0.0, ctx.params["sizing_latency_sigma"], draws)
    by_id = {w.workload_id: w for w in ctx.inputs.workloads}
    met = {"api": np.ones(draws, dtype=bool)}
    for option in ("self_host_cloud", "self_host_on_prem", "hybrid"):
        ok = np.ones(draws, dtype=bool)
        for workload_id, plan in plans_of(ctx, option).items():
            w = by_id[workload_id]
            tpot_target = decision.target_tpot_ms(w)
            if w.ttft_target_ms and plan.ttft_ms is not None:
                ok &= plan.ttft_ms * factor <= w.ttft_target_ms
            if tpot_target and plan.tpot_ms is not None:
                ok &= plan.tpot_ms * factor <= tpot_target
        met[option] = ok
    return met


OVERESTIMATION = "projected_volume_overestimation_factor"


def draw(ctx: Context, live: bool = False) -> Draws:
    """The draws; `live` takes fewer (uncertainty_live_draws) for re-evaluation as the user types."""
    draws = int(ctx.params["uncertainty_live_draws" if live else "uncertainty_draws"])
    rng = np.random.default_rng(int(ctx.params["uncertainty_seed"]))
    columns = _draw_assumptions(ctx, rng, draws)
    volumes = _discount_draws(ctx, columns, _volume_draws(ctx, rng, draws))
    totals = {o: np.broadcast_to(t, (draws,)) for o, t in monthly_totals(ctx, columns, 1.0, volumes).items()}
    growth = _growth_draws(ctx, rng, draws)
    flows = cash_flows(ctx, columns, 1.0, volumes, growth)
    npvs = {o: np.broadcast_to(npv(f, columns), (draws,)) for o, f in flows.items()}
    return Draws(monthly=totals, npv=npvs, meets_targets=_meets_targets(ctx, rng, draws))


def simulate(ctx: Context, drawn: Draws | None = None, options: Sequence[str] | None = None) -> Uncertainty:
    """P10/P50/P90 per option and `probability_best` over `options` (the feasible, offered ones)."""
    drawn = drawn or draw(ctx)
    totals = drawn.monthly
    allowed = [o for o in decision.SELF_HOST_OPTIONS if feasible(ctx)[o]] or list(decision.SELF_HOST_OPTIONS)
    cheapest_self = np.minimum.reduce([totals[o] for o in allowed])
    chosen = list(options) if options is not None else decision.candidates(feasible(ctx), ctx.hybrid_mixed)
    return Uncertainty(**{o: _percentiles(t) for o, t in totals.items()},
                       probability_self_host_cheaper=float(np.mean(cheapest_self < totals["api"])),
                       draws=len(next(iter(totals.values()))),
                       npv={o: _percentiles(v) for o, v in drawn.npv.items()},
                       probability_best=decision.probability_best(drawn.npv, chosen))
