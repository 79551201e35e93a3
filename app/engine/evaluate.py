"""THE entry point: an assessment and the catalogs in, one Evaluation out. Pure: no I/O, no Qt, no globals.

`evaluate_core` gives costs, break-even, readiness and the recommendation, fast enough to rerun as the user
types (the caller may pass a `sizing_cache` dict it keeps between calls, because capacity planning is the slow
part and only changes when the serving need does). `evaluate` adds the tornado, tipping points and the
uncertainty run; the UI runs it off its main thread."""


from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from app.domain.assessment import Assessment, Scenario
from app.domain.catalogs import Catalogs
from app.domain.sizing import LeverApplied
from app.domain.evaluation import (OPTION_IDS, OPTION_LABELS, RoadmapPhase, option_for_recommendation, AssumptionValue, BridgeRow, CashFlowYear, CostCurve, Evaluation, LeverEffect,
                                   LineItem, Notice, OptionCost, Pool, Reason, ScenarioOption, ScenarioResult,
                                   SizingSummary, WorkloadResult)
from app.engine import decision
from app.engine.costs import (CURVE_FACTORS, MONTHS_PER_YEAR, TOKENS_PER_MILLION, Item, PoolFacts, WorkloadBasis,
                              discount_factors, load_of, pool_facts, total_monthly, total_one_time)
from app.engine.pools import member_units
from app.engine.readiness import assess_readiness, gaps_for
from app.engine.scenario import (Context, SizingCache, break_even, build_context, cash_flows, cost_view, items_of,
                                 feasible, monthly_totals)
from app.engine.sensitivity import tipping_points, tornado
from app.engine.staleness import STALENESS_ASSUMPTION, stale_price_ids
from app.engine import uncertainty, wording
from app.engine.uncertainty import Draws, draw, simulate


# ---- Assembling the result --------------------------------------------------------------------------------


def _line_item(item: Item, words: Mapping[str, str]) -> LineItem:
    quantity, rate = item.quantity_rate
    note = {} if item.note is None else wording.worded_fields(
        words, {"note": "line_note.j2"}, code=item.note.code, figures=item.note.figures, names=item.note.names)
    return LineItem(id=item.id, label=item.label, monthly_usd=float(item.monthly), one_time_usd=float(item.one_time),
                    rests_on=item.rests_on, quantity=float(quantity), unit=item.unit, rate_usd=float(rate), **note)


def _pool(facts: PoolFacts) -> Pool:
    p = facts.pool
    return Pool(id=p.id, model=p.key.model_id, gpu=p.key.gpu_id, provider=facts.provider, instance=facts.instance,
                precision=p.key.precision, engine=p.key.engine, replicas=round(facts.replicas),
                gpus_per_replica=p.key.gpus_per_replica, utilisation=facts.utilisation, workloads=p.workload_ids,
                monthly_usd=facts.monthly)


def _pools(ctx: Context) -> dict[str, list[PoolFacts]]:
    return {o: pool_facts(ctx.pools.get(o, ()), ctx.workloads, ctx.params, ctx.org) for o in OPTION_IDS}


def _cash_flow(flows: np.ndarray, ctx: Context) -> tuple[CashFlowYear, ...]:
    discounted = flows * discount_factors(ctx.params, len(flows))
    return tuple(CashFlowYear(year=year, usd=float(np.ravel(flows[year])[0]),
                              discounted_usd=float(np.ravel(discounted[year])[0]),
                              tokens_per_day=_traffic(ctx, max(year - 1, 0))) for year in range(len(flows)))


def _traffic(ctx: Context, years: int) -> float:
    """Tokens per day in a year of the horizon (0 = the first), growth applied once a year as in the costs."""
    return sum(float(w.tokens_per_day) * (1 + w.growth_share_per_year) ** years for w in ctx.workloads)


def payback_months(option: np.ndarray, api: np.ndarray, months: int) -> float | None:
    """When the option's cumulative cost falls to the API's for good (straight lines inside each year); 0 when
    it never costs more, None when it still costs more at the end of the horizon."""
    ends = np.minimum(months, MONTHS_PER_YEAR * np.arange(len(option)))
    gap = np.cumsum(np.ravel(api)) - np.cumsum(np.ravel(option))
    behind = np.nonzero(gap < 0)[0]
    if not behind.size:
        return 0.0
    k = int(behind[-1])
    if k == len(gap) - 1:
        return None
    return float(ends[k] + (ends[k + 1] - ends[k]) * -gap[k] / (gap[k + 1] - gap[k]))


def _infeasible_reason(ctx: Context, option: str, words: Mapping[str, str]) -> str | None:
    problem = ctx.infeasible.get(option)
    if problem is None:
        return None
    where = f"at {problem.rests_on[0]}" if problem.rests_on and problem.rests_on[0] else "at any catalogued provider"
    return wording.render(words, "infeasible.j2", code=problem.code, names=problem.names, figures=problem.figures,
                          where=where)


def _option_cost(ctx: Context, option: str, items: list[Item], flows: Mapping[str, np.ndarray],
                 pools: list[PoolFacts], words: Mapping[str, str]) -> OptionCost:
    monthly = float(total_monthly(items))
    million_tokens = ctx.tokens_per_day * ctx.params["days_per_month"] / TOKENS_PER_MILLION
    cash = _cash_flow(flows[option], ctx)
    return OptionCost(
        option=option, feasible=ctx.infeasible.get(option) is None,
        infeasible_reason=_infeasible_reason(ctx, option, words), offered=option != "hybrid" or ctx.hybrid_mixed,
        monthly_usd=monthly, one_time_usd=float(total_one_time(items)),
        horizon_usd=float(np.sum(np.ravel(flows[option]))),
        usd_per_million_tokens=monthly / million_tokens, line_items=tuple(_line_item(i, ctx.wording) for i in items),
        capital_usd=_capital(ctx, items), pools=tuple(_pool(f) for f in pools), cash_flow_by_year=cash,
        npv_usd=sum(c.discounted_usd for c in cash),
        payback_months=None if option == "api" else payback_months(flows[option], flows["api"], ctx.horizon_months))


def _capital(ctx: Context, items: list[Item]) -> float:
    amortisation = next((i for i in items if i.id == "hardware_amortisation"), None)
    return float(amortisation.monthly) * ctx.params["amortisation_months"] if amortisation else 0.0


def _busy(ctx: Context, pools: list[PoolFacts]) -> dict[str, dict[str, float]]:
    """pool id -> workload id -> share of the pool's load."""
    loads = {w.workload_id: load_of(w) for w in ctx.workloads}
    shares = {}
    for f in pools:
        units = {m.workload_id: float(member_units(loads[m.workload_id], m, ctx.params)[0]) for m in f.pool.members}
        total = sum(units.values()) or 1.0
        shares[f.pool.id] = {w: u / total for w, u in units.items()}
    return shares


def _workload_share(ctx: Context, option: str, items: list[Item], w: WorkloadBasis,
                    pools: list[PoolFacts]) -> float:
    """The workload's own API tokens, its load share of its pool's compute, and its token share of the rest
    (within its part, for the hybrid)."""
    if option == "hybrid":
        side = ctx.hybrid_route[w.workload_id][0]
        part = [x for x in ctx.workloads if ctx.hybrid_route[x.workload_id][0] == side]
        items = [i for i in items if i.id.startswith("api_") == (side == "api")]
    else:
        part = list(ctx.workloads)
    busy = _busy(ctx, pools)
    own = sum(float(i.monthly) for i in items if i.id == f"api_tokens_{w.workload_id}")
    pooled = sum(float(i.monthly) * busy[pool_id].get(w.workload_id, 0.0)
                 for i in items for pool_id in busy if i.id == f"gpu_compute_{pool_id}")
    shared = sum(float(i.monthly) for i in items if not i.id.startswith(("api_tokens_", "gpu_compute_")))
    part_tokens = sum(float(x.tokens_per_day) for x in part) or 1.0
    return own + pooled + shared * float(w.tokens_per_day) / part_tokens


def _sizing(ctx: Context, facts: PoolFacts, workload_id: str | None = None) -> SizingSummary:
    """A pool's deployment, through the plan of one of its workloads (the busiest when none is named)."""
    members = {m.workload_id: m for m in facts.pool.members}
    member = members[workload_id] if workload_id else max(
        facts.pool.members, key=lambda m: float(member_units(load_of(_workload(ctx, m.workload_id)), m,
                                                             ctx.params)[0]))
    plan = member.plan
    inputs = next(w for w in ctx.inputs.workloads if w.workload_id == member.workload_id)
    return SizingSummary(
        model=plan.model_id, gpu=plan.gpu_id, gpus_per_replica=plan.gpus_per_replica,
        replicas=round(facts.replicas), precision=plan.precision, kv_precision=plan.kv_precision,
        engine=plan.engine, redundancy_replicas=facts.pool.redundancy_replicas,
        memory_per_gpu_gib=plan.memory_per_gpu_gib, weights_gib=plan.weights_gib, kv_cache_gib=plan.kv_cache_gib,
        ttft_ms=plan.ttft_ms, tpot_ms=plan.tpot_ms, output_tokens_per_s_per_replica=plan.output_tokens_per_s_per_replica,
        utilisation=facts.utilisation, levers=tuple(_lever(lever, ctx.wording) for lever in plan.levers),
        pool_id=facts.pool.id, margins=decision.margins(inputs, plan.ttft_ms, plan.tpot_ms))


def _lever(lever: LeverApplied, words: Mapping[str, str]) -> LeverEffect:
    return LeverEffect(id=lever.id, label=lever.label, applied=lever.applied, risk=lever.risk, source=lever.source,
                       **wording.worded_fields(words, {"effect": "lever.j2"}, code=lever.code,
                                               figures=lever.figures, names=lever.names))


def _workload(ctx: Context, workload_id: str) -> WorkloadBasis:
    return next(w for w in ctx.workloads if w.workload_id == workload_id)


def deployment_option(ctx: Context, recommendation: str | None, view: decision.CostView) -> str | None:
    """Whose pools the results show: the recommended deployment's, or else the cheapest feasible self-hosted
    option's (None when no self-hosted option has pools)."""
    option = option_for_recommendation(recommendation) if recommendation else None
    if option and ctx.pools.get(option):
        return option
    best = decision._best_self(view)
    return best if best and ctx.pools.get(best) else next((o for o in decision.SELF_HOST_OPTIONS if ctx.pools.get(o)),
                                                          None)


def _routes(ctx: Context, option: str | None) -> dict[str, tuple[str, str]]:
    """workload id -> (route, route code) under the recommended option (the hybrid's split when there is none)."""
    self_option = "self_host_cloud" if ctx.hybrid_deployment == "mixed" else f"self_host_{ctx.hybrid_deployment}"
    place = {m.workload_id: p.place for p in ctx.pools.get("hybrid", ()) for m in p.members}
    routes = {}
    for w in ctx.workloads:
        side, code = ctx.hybrid_route[w.workload_id]
        if option in (None, "hybrid"):
            routes[w.workload_id] = ("api" if side == "api" else
                                     f"self_host_{place[w.workload_id]}" if w.workload_id in place else self_option,
                                     code)
        else:
            routes[w.workload_id] = (option, code if (side == "self") == (option != "api") else "recommended")
    return routes


def _route_reason(ctx: Context, w: WorkloadBasis, code: str, words: Mapping[str, str]) -> str:
    facts = next(f for f in ctx.facts if f.workload_id == w.workload_id)
    tier = next(x.capability_tier for x in ctx.inputs.workloads if x.workload_id == w.workload_id)
    return wording.render(words, "route.j2", code=code, why=facts.sovereignty_why, tier=tier,
                          threshold_ms=ctx.params["latency_local_threshold_ms"])


def _workload_results(ctx: Context, items: Mapping[str, list[Item]], pools: Mapping[str, list[PoolFacts]],
                      shown: str | None, option: str | None, words: Mapping[str, str]) -> tuple[WorkloadResult, ...]:
    self_option = "self_host_cloud" if ctx.hybrid_deployment == "mixed" else f"self_host_{ctx.hybrid_deployment}"
    shown_pools = pools.get(shown, []) if shown else []
    home = {m.workload_id: f for f in shown_pools for m in f.pool.members}
    if shown == "hybrid":  # the hybrid's API-side workloads are described on the self-hosted option's pools
        home = {**{m.workload_id: f for f in pools[self_option] for m in f.pool.members}, **home}
    routes = _routes(ctx, option)
    return tuple(
        WorkloadResult(
            workload_id=w.workload_id, name=w.name, tokens_per_day=float(w.tokens_per_day),
            route=routes[w.workload_id][0], route_code=routes[w.workload_id][1],
            route_reason=_route_reason(ctx, w, routes[w.workload_id][1], words),
            monthly_usd={o: _workload_share(ctx, o, items[o], w, pools[o]) for o in OPTION_IDS},
            sizing=_sizing(ctx, home[w.workload_id], w.workload_id) if w.workload_id in home else None)
        for w in ctx.workloads)


def _primary_sizing(ctx: Context, pools: list[PoolFacts]) -> SizingSummary | None:
    """The sizing shown on its own: the largest pool (most GPUs)."""
    if not pools:
        return None
    return _sizing(ctx, max(pools, key=lambda f: f.replicas * f.pool.key.gpus_per_replica))


def _assumption_values(ctx: Context, assessment: Assessment) -> tuple[AssumptionValue, ...]:
    return tuple(
        # Catalog values were validated on load: skip re-validating 50-odd records on every keystroke.
        AssumptionValue.model_construct(id=a.id, label=a.label, value=float(ctx.params[a.id]), default=a.default, unit=a.unit,
                        low=a.low, high=a.high, valid=a.valid, source=a.source.source, as_of=a.source.as_of,
                        overridden=a.id in assessment.assumption_overrides,
                        override_reason=assessment.assumption_overrides[a.id].reason
                        if a.id in assessment.assumption_overrides else "")
        for a in ctx.pricing.assumptions.values())


def _curve(ctx: Context) -> CostCurve:
    totals = monthly_totals(ctx, ctx.params, CURVE_FACTORS)
    return CostCurve(tokens_per_day=tuple(float(v) for v in CURVE_FACTORS * ctx.tokens_per_day),
                     monthly_usd={o: tuple(float(v) for v in np.broadcast_to(t, CURVE_FACTORS.shape))
                                  for o, t in totals.items()},
                     current_tokens_per_day=ctx.tokens_per_day)


def _volume_view(ctx: Context, best_self: str | None, break_evens: Mapping[str, float | None]) -> decision.VolumeView:
    projected = tuple(w.name for w in ctx.inputs.workloads if w.volume_basis == "projected")
    rests_on = tuple(dict.fromkeys(i for w in ctx.workloads for i in w.rests_on))
    return decision.VolumeView(stated_tokens_per_day=ctx.stated_tokens_per_day or ctx.tokens_per_day,
                               decision_tokens_per_day=ctx.tokens_per_day,
                               projected=projected, break_even_tokens_per_day=break_evens.get(best_self),
                               rests_on=rests_on)


RISKY = ("medium", "high")


def _precision_notes(ctx: Context, pools: list[PoolFacts]) -> list[decision.Fact]:
    """Quantised formats with a real quality risk, named with the tasks they serve."""
    notes = []
    tasks = {w.workload_id: w.task_types for w in ctx.inputs.workloads}
    for f in pools:
        risk, note = ctx.quality_risks.get(f.pool.key.precision, ("none", ""))
        if risk in RISKY:
            served = sorted({t for w in f.pool.workload_ids for t in tasks[w]}) or ["unspecified tasks"]
            notes.append(decision.Fact("precision_risk", names=(
                f.pool.id, f.pool.key.model_id, f.pool.key.precision.upper(), f.pool.gpu.name, risk,
                ", ".join(served), note)))
    return notes


def _workload_notes(ctx: Context) -> list[decision.Fact]:
    params, notes = ctx.params, []
    for w in ctx.inputs.workloads:
        if w.volume_basis == "measured" and (w.volume_measured_days or 0) < params["volume_measurement_days"]:
            notes.append(decision.Fact("measured_too_short", {
                "measured_days": float(w.volume_measured_days or 0),
                "volume_measurement_days": params["volume_measurement_days"]}, (w.name,)))
        if w.fine_tuning_need == "critical" and w.fine_tuning_gain_demonstrated != "yes":
            notes.append(decision.Fact("fine_tuning_unproven", names=(w.name,)))
        if (w.ttft_target_ms is not None and w.ttft_target_ms <= params["latency_local_threshold_ms"]
                and w.single_geography != "yes"):
            notes.append(decision.Fact("latency_many_geographies", {
                "latency_local_threshold_ms": params["latency_local_threshold_ms"]}, (w.name,)))
    notes.extend(decision.Fact("no_serving_plan", names=(w.name,)) for w in ctx.workloads if w.serving is None)
    return notes


def _notices(ctx: Context, pools: list[PoolFacts], assessment: Assessment, reasons: list[Reason],
             words: Mapping[str, str]) -> tuple[Notice, ...]:
    """The named risks among the reasons, then the notes beside the figures, each worded by notice.j2."""
    risks = [Notice(code=r.code, text=r.text, wordings={"text": r.wordings["text"]}, placed=r.placed)
             for r in reasons if r.code in ("thin_margin", "unknown_terms")]
    facts = [*(decision.Fact("migration", names=(note,)) for note in assessment.migration_notes),
             *_precision_notes(ctx, pools), *_workload_notes(ctx), *_spend_check(ctx)]
    return (*risks, *(Notice(code=f.code, **wording.worded_fields(words, {"text": "notice.j2"}, code=f.code,
                                                                  figures=f.figures, names=f.names))
                      for f in facts))


def _spend_check(ctx: Context) -> list[decision.Fact]:
    """A stated API bill far from the priced volume means the volume, the model or the bill is wrong."""
    stated = ctx.inputs.organisation.current_api_spend_usd_per_month
    priced = float(total_monthly(items_of(ctx, "api", ctx.params)))
    if not stated or priced <= 0:
        return []
    ratio = stated / priced
    limit = ctx.params["api_spend_mismatch_factor"]
    if 1 / limit <= ratio <= limit:
        return []
    return [decision.Fact("spend_mismatch", {"stated_usd_per_month": stated, "ratio": ratio,
                                             "priced_usd_per_month": priced})]


# Why each of our figures differs from the article's (worded by templates/report/bridge.j2).
BRIDGE_WHY = {
    "gpu_rent_usd_per_gpu_month": "rentable_instances",
    "capital_usd_per_gpu": "catalog_hardware",
    "ml_engineer_share": "pools_and_models",
    "self_hosted_usd_per_month": "fleet_team_availability",
    "crossover_tokens_per_day": "api_prices_and_plan",
}


def _per_gpu(pools: tuple[Pool, ...], total: float) -> float | None:
    gpus = sum(p.replicas * p.gpus_per_replica for p in pools)
    return total / gpus if gpus else None


def _ours(options: Mapping[str, OptionCost], best_self: str | None,
          break_evens: Mapping[str, float | None]) -> dict[str, float | None]:
    cloud, on_prem = options["self_host_cloud"], options["self_host_on_prem"]
    best = options.get(best_self) if best_self else None
    engineer = next((i for i in best.line_items if i.id == "ml_engineer"), None) if best else None
    return {
        "gpu_rent_usd_per_gpu_month": _per_gpu(cloud.pools, sum(p.monthly_usd for p in cloud.pools)),
        "capital_usd_per_gpu": _per_gpu(on_prem.pools, on_prem.capital_usd),
        "ml_engineer_share": engineer.quantity if engineer else None,
        "self_hosted_usd_per_month": best.monthly_usd if best else None,
        "crossover_tokens_per_day": break_evens.get(best_self) if best_self else None,
    }


def _bridge(ctx: Context, options: Mapping[str, OptionCost], best_self: str | None,
            break_evens: Mapping[str, float | None]) -> tuple[BridgeRow, ...]:
    ours = _ours(options, best_self, break_evens)
    return tuple(BridgeRow(id=key, label=f.label, unit=f.unit, article_low=f.low, article_value=f.value,
                           article_high=f.high, ours=ours[key], why=BRIDGE_WHY[key], source=f.source.source)
                 for key, f in ctx.pricing.article.items() if key in BRIDGE_WHY)


def _stale_prices(catalogs: Catalogs, assessment: Assessment, params: Mapping[str, float]) -> dict:
    """Stale on the assessment's own date (its last save), so a reopened file reproduces its results. A
    catalog snapshot older than the staleness assumption has no threshold: nothing is flagged until it is
    re-baselined (Edit > Update to Current Catalogs)."""
    if STALENESS_ASSUMPTION not in params:
        return {}
    day = assessment.modified_at.date()
    return {"stale_price_ids": stale_price_ids(catalogs, day, params[STALENESS_ASSUMPTION]),
            "stale_prices_on": day.isoformat()}


@dataclass(frozen=True)
class Choice:
    """The recommendation taken on the draws, and how sure it is."""

    option: str | None
    confidence: float | None
    basis: str | None
    candidates: tuple[str, ...]
    probability_best: Mapping[str, float]


def choose(ctx: Context, drawn: Draws) -> Choice:
    """The feasible option most often lowest in horizon NPV (with the saving needed to move work off the API).
    Its confidence is that share of draws (cost basis); when a rule takes the API off the table it is the share
    of draws in which the chosen plan meets its targets and is the lowest of what remains (constraint basis)."""
    options = tuple(decision.candidates(feasible(ctx), ctx.hybrid_mixed))
    probs = decision.probability_best(drawn.npv, options)
    if ctx.missing or not options:
        return Choice(None, None, None, options, probs)
    required = decision.required_saving(ctx.moat, ctx.params)
    option = decision.choose(drawn.npv, options, required)
    picked = decision.rule_winners(drawn.npv, options, required) == options.index(option)
    if decision.api_constraint(ctx.facts):
        return Choice(option, float(np.mean(picked & drawn.meets_targets[option])), "constraint", options, probs)
    return Choice(option, float(np.mean(picked)), "cost", options, probs)


def _median_saving(drawn: Draws, choice: Choice) -> float | None:
    """The chosen option's median saving against the API, or the best alternative's against the API."""
    if choice.option is None or "api" not in choice.candidates:
        return None
    if choice.option != "api":
        return decision.median_saving(drawn.npv, choice.option, "api")
    others = [o for o in choice.candidates if o != "api"]
    if not others:
        return None
    runner_up = max(others, key=lambda o: choice.probability_best[o])
    return decision.median_saving(drawn.npv, runner_up, "api")


def _runner_up(choice: Choice) -> str | None:
    others = [o for o in choice.candidates if o != choice.option]
    return max(others, key=lambda o: choice.probability_best[o]) if others else None


def _allowed_cost(ctx: Context, choice: Choice, drawn: Draws, runner: str | None) -> list[decision.Fact]:
    """Where a rule takes the API off the table, cost still chooses among what is allowed: the choice against
    the runner-up, in the options table's own terms (median NPVs; the runner-up's saving and the saving needed
    when it would take more work off the API)."""
    if "api" in choice.candidates or runner is None:
        return []
    further = decision.OFF_API_LEVEL[runner] > decision.OFF_API_LEVEL[choice.option]
    ours, theirs = (float(np.median(drawn.npv[o])) for o in (choice.option, runner))
    return [decision.Fact("cost_among_allowed", {
        "npv_usd": ours, "runner_npv_usd": theirs,
        "runner_saving_share": (ours - theirs) / max(abs(ours), 1.0),  # of the two medians the sentence shows
        "required_saving_share": decision.required_saving(ctx.moat, ctx.params) if further else 0.0,
        "confidence": choice.confidence or 0.0}, names=(OPTION_LABELS[runner],),
        rests_on=("self_host_required_saving_share",), option=choice.option, strength=0.7)]


def _thin_margins(ctx: Context, pools: list[PoolFacts]) -> list[decision.Fact]:
    by_id = {w.workload_id: w for w in ctx.inputs.workloads}
    found = []
    floor = ctx.params["latency_margin_min_share"]
    for f in pools:
        for m in f.pool.members:
            shares = [v for v in decision.margins(by_id[m.workload_id], m.plan.ttft_ms, m.plan.tpot_ms).values()
                      if v is not None and 0 <= v < floor]
            if shares:
                found.append(decision.Fact("thin_margin", {"margin_share": min(shares),
                                                           "latency_margin_min_share": floor},
                                           (by_id[m.workload_id].name,), ("latency_margin_min_share",), 0.65))
    return found


CHANGES = {"on_prem_refused": "allow_on_prem", "no_tenancy": "allow_tenancy", "misses_target": "relax_target"}


CHANGE_QUESTIONS = {"allow_on_prem": ("on_prem_allowed",), "allow_tenancy": ("own_cloud_acceptable",),
                    "relax_target": ("ttft_target_ms", "tokens_per_s_per_user_target")}


def _change_questions(ctx: Context) -> tuple[str, ...]:
    """The question ids of the smallest change (what `missing_for_recommendation` lists when nothing is
    feasible)."""
    for option in ("self_host_on_prem", "self_host_cloud"):
        problem = ctx.infeasible.get(option)
        if problem is not None and problem.code in CHANGES:
            fields = CHANGE_QUESTIONS[CHANGES[problem.code]]
            if CHANGES[problem.code] == "allow_on_prem":
                return tuple(decision.question_id(ctx.inputs, f) for f in fields)
            return tuple(dict.fromkeys(decision.question_id(ctx.inputs, f, w.workload_id) for f in fields
                                       for w in ctx.inputs.workloads if w.name in problem.names
                                       and f"workload.{w.workload_id}.{f}" in ctx.inputs.provenance))
    return tuple(dict.fromkeys(decision.question_id(ctx.inputs, f, w.workload_id)
                               for w in ctx.inputs.workloads for f in ("data_classes", "residency")))


def _smallest_change(ctx: Context, words: Mapping[str, str]) -> str:
    """What one answer would make a deployment feasible, worded: on-prem hardware first (it lifts tenancy and
    latency limits), then the client's own cloud, then a relaxed target."""
    for option in ("self_host_on_prem", "self_host_cloud"):
        problem = ctx.infeasible.get(option)
        if problem is not None and problem.code in CHANGES:
            plans = [p for o in decision.SELF_HOST_OPTIONS for p in uncertainty.plans_of(ctx, o).values()]
            figures = {"ttft_ms": min((p.ttft_ms for p in plans if p.ttft_ms is not None), default=0.0),
                       "tpot_ms": min((p.tpot_ms for p in plans if p.tpot_ms is not None), default=0.0)}
            return wording.render(words, "change.j2", code=CHANGES[problem.code], names=problem.names,
                                  figures=figures, question=decision.question_id(ctx.inputs, "on_prem_allowed"))
    reasons = [_infeasible_reason(ctx, o, words) for o in OPTION_IDS if ctx.infeasible.get(o) is not None]
    return wording.render(words, "change.j2", code="", names=reasons, figures={}, question="")


def _reason(fact: decision.Fact, ctx: Context, words: Mapping[str, str]) -> Reason:
    label = OPTION_LABELS.get(fact.option, "")
    runner = fact.figures.get("runner_up")
    text = wording.worded_fields(words, {"text": "reason.j2"}, code=fact.code, figures=fact.figures,
                                 names=fact.names, option_label=label, horizon_months=ctx.horizon_months,
                                 runner_up_label=fact.rests_on[-1] if runner else "")
    return Reason(**text, code=fact.code, figures={k: float(v) for k, v in fact.figures.items()},
                  rests_on=tuple(i for i in fact.rests_on if i), strength=fact.strength)


def _facts(ctx: Context, choice: Choice, drawn: Draws, volume: decision.VolumeView, readiness_fact,
           shown_pools: list[PoolFacts], terms: list) -> list[decision.Fact]:
    params = ctx.params
    if ctx.missing:
        return [decision.Fact("missing_answers", {"missing": float(len(ctx.missing))}, ctx.missing,
                              ctx.missing, 1.0)]
    found = decision.constraint_facts(ctx.facts, ctx.moat, params)
    if choice.option is None:
        return [decision.Fact("no_feasible", names=(), strength=1.0), *found]
    option_npv = float(np.median(drawn.npv[choice.option]))
    api_npv = float(np.median(drawn.npv["api"])) if "api" in choice.candidates else None
    cost = decision.cost_facts(choice.option, api_npv, option_npv, choice.probability_best.get(choice.option, 0.0),
                               _median_saving(drawn, choice), volume, ctx.moat, params)
    # The headline's confidence counts the saving rule; the plain share of lowest NPVs may differ: say both.
    cost = [replace(f, figures={**f.figures, "confidence": choice.confidence}) if f.code.startswith("cost_") else f
            for f in cost]
    runner = _runner_up(choice)
    if choice.option == "api" and runner:  # the alternative the saving was measured on, for the wording
        cost = [replace(f, figures={**f.figures, "runner_up": 1.0}, rests_on=(*f.rests_on, OPTION_LABELS[runner]))
                if f.code == "cost_api_cheaper" else f for f in cost]
    found += cost + _allowed_cost(ctx, choice, drawn, runner)
    found += _thin_margins(ctx, shown_pools) if shown_pools and choice.option != "api" else []
    if decision.close_call(choice.confidence, params):
        found.append(decision.Fact("close_call", {"confidence": choice.confidence,
                                                  "close_call_confidence": params["close_call_confidence"]},
                                   rests_on=("close_call_confidence",), strength=0.9))
    if terms:
        found.append(decision.Fact("unknown_terms", names=tuple(w.name for w in terms),
                                   rests_on=tuple(decision.question_id(ctx.inputs, "api_terms_acceptable",
                                                                       w.workload_id) for w in terms), strength=0.8))
    if readiness_fact is not None:
        found.append(readiness_fact)
    return sorted(found, key=lambda f: -f.strength)


def growth_switch(ctx: Context, choice: Choice, options: Mapping[str, OptionCost]) -> decision.Fact | None:
    """When growth makes another candidate cheaper by the required saving in a later year of the horizon, the
    first such year: its first month and the traffic then (growth as in the costs)."""
    if choice.option is None or len(options[choice.option].cash_flow_by_year) < 3:
        return None
    required = decision.required_saving(ctx.moat, ctx.params)
    ours = options[choice.option].cash_flow_by_year
    for other in choice.candidates:
        if other == choice.option or (other == "api") == (choice.option == "api"):
            continue  # growth moves work between the API and self-hosting, not between two self-hosted plans
        theirs = options[other].cash_flow_by_year
        for year in range(2, len(ours)):  # year 0 is the one-time cost, year 1 the decision's own year
            if theirs[year].usd < ours[year].usd * (1 - required):
                return decision.Fact("growth_switch", {"month": float(MONTHS_PER_YEAR * (year - 1) + 1),
                                                       "tokens_per_day": ours[year].tokens_per_day},
                                     option=other, rests_on=("growth_per_year",), strength=0.65)
    return None


def _phases(phases: list[decision.Fact], words: Mapping[str, str]) -> tuple[RoadmapPhase, ...]:
    last = len(phases) - 1
    return tuple(RoadmapPhase(
        phase=i + 1, option=p.option, code=p.code,
        **wording.worded_fields(words, {"title": "roadmap_title.j2", "trigger": "roadmap_trigger.j2"},
                                code=p.code, figures=p.figures, names=p.names, last=i == last,
                                option_label=OPTION_LABELS.get(p.option, "")))
        for i, p in enumerate(phases))


CONSTRAINT_LABELS = {"sovereignty": "data sovereignty", "latency": "latency", "fine_tuning": "fine-tuning"}


def _headline(ctx: Context, choice: Choice, words: Mapping[str, str], change: str) -> dict:
    close = choice.confidence is not None and decision.close_call(choice.confidence, ctx.params)
    constraint = decision.api_constraint(ctx.facts)
    return wording.worded_fields(words, {"headline": "headline.j2"}, missing=ctx.missing, recommendation=choice.option,
                          change=change, close=close, option_label=OPTION_LABELS.get(choice.option or "", ""),
                          basis=choice.basis, constraint_label=CONSTRAINT_LABELS.get(constraint or "", ""),
                          confidence=choice.confidence or 0.0, days=ctx.params["volume_measurement_days"])


def core_from_context(ctx: Context, assessment: Assessment, catalogs: Catalogs,
                      drawn: Draws | None = None) -> Evaluation:
    params, words = ctx.params, catalogs.wording
    items = {o: items_of(ctx, o, params) for o in OPTION_IDS}
    flows = cash_flows(ctx, params)
    pools = _pools(ctx)
    options = {o: _option_cost(ctx, o, items[o], flows, pools[o], words) for o in OPTION_IDS}
    horizon = {o: options[o].horizon_usd for o in OPTION_IDS}
    view = cost_view(ctx, params, horizon=horizon)
    drawn = drawn or draw(ctx, live=True)
    choice = choose(ctx, drawn)
    break_evens = {o: break_even(ctx, o, params) for o in decision.SELF_HOST_OPTIONS}
    best_self = decision._best_self(view)
    volume = _volume_view(ctx, best_self, break_evens)
    readiness = assess_readiness(assessment, params, words)
    readiness_fact = decision.readiness_fact(readiness, ctx.org.needs_inference_hire, params)
    recommendation = decision.recommendation_id(choice.option) if choice.option else None
    shown = deployment_option(ctx, recommendation, view)
    shown_pools = pools.get(shown, []) if shown else []
    routes = {k: r for k, (r, _) in _routes(ctx, choice.option).items()}
    terms = decision.unknown_terms(ctx.inputs, routes)
    change = _smallest_change(ctx, words) if choice.option is None and not ctx.missing else ""
    found = _facts(ctx, choice, drawn, volume, readiness_fact, shown_pools, terms)
    if change:
        found[0] = replace(found[0], names=(change,))
    reasons = [_reason(f, ctx, words) for f in found]
    close = decision.Fact("close_call", {"confidence": choice.confidence or 0.0,
                                         "close_call_confidence": params["close_call_confidence"],
                                         "constraint": float(choice.basis == "constraint"),
                                         **({"break_even_tokens_per_day": volume.break_even_tokens_per_day}
                                            if volume.break_even_tokens_per_day and "api" in choice.candidates
                                            else {})})
    phases = [] if choice.option is None else decision.roadmap(
        choice.option, ctx.facts, readiness_fact, volume, best_self,
        close if decision.close_call(choice.confidence, params) else None, [w.name for w in terms], params)
    switch = growth_switch(ctx, choice, options)
    if switch is not None:
        phases.append(switch)
        reasons.append(_reason(switch, ctx, words))
    return Evaluation(
        recommendation=recommendation, confidence=choice.confidence, confidence_basis=choice.basis,
        missing_for_recommendation=ctx.missing or (_change_questions(ctx) if change else ()),
        **_headline(ctx, choice, words, change),
        reasons=tuple(reasons),
        roadmap=_phases(phases, words),
        options=options, break_even_tokens_per_day=break_evens, readiness=gaps_for(readiness, recommendation),
        sizing=_primary_sizing(ctx, shown_pools), pools=tuple(_pool(f) for f in shown_pools),
        article_bridge=_bridge(ctx, options, best_self, break_evens),
        workloads=_workload_results(ctx, items, pools, shown, choice.option, words),
        assumptions=_assumption_values(ctx, assessment),
        notices=_notices(ctx, shown_pools, assessment, reasons, words),
        tokens_per_day=ctx.tokens_per_day, horizon_months=ctx.horizon_months,
        **_stale_prices(catalogs, assessment, params))


def evaluate_core(assessment: Assessment, catalogs: Catalogs, sizing_cache: SizingCache | None = None) -> Evaluation:
    """Costs, break-even, readiness and the recommendation (taken on the draws): for live updates (no curves,
    sweeps or tornado)."""
    return core_from_context(build_context(assessment, catalogs, sizing_cache), assessment, catalogs)


def evaluate(assessment: Assessment, catalogs: Catalogs, sizing_cache: SizingCache | None = None, *,
             scenarios: bool = True) -> Evaluation:
    """The full evaluation: the core plus tornado, tipping points, uncertainty and the cost curves."""
    ctx = build_context(assessment, catalogs, sizing_cache)
    drawn = draw(ctx)
    core = core_from_context(ctx, assessment, catalogs, drawn)
    options = decision.candidates(feasible(ctx), ctx.hybrid_mixed)
    tipping = tipping_points(ctx, core.recommendation) if core.recommendation else ()
    return core.model_copy(update={"tornado": tornado(ctx), "tipping_points": tipping,
                                   "uncertainty": simulate(ctx, drawn, options), "cost_curve": _curve(ctx),
                                   "scenarios": scenario_results(assessment, catalogs, sizing_cache) if scenarios else ()})


def scenario_result(scenario: Scenario, evaluation: Evaluation) -> ScenarioResult:
    """The side-by-side figures of one scenario's evaluation."""
    return ScenarioResult(
        id=scenario.id, name=scenario.name, recommendation=evaluation.recommendation,
        confidence=evaluation.confidence,
        options={o: ScenarioOption(monthly_usd=c.monthly_usd, npv_usd=c.npv_usd) for o, c in evaluation.options.items()},
        break_even_tokens_per_day=dict(evaluation.break_even_tokens_per_day))


def scenario_results(assessment: Assessment, catalogs: Catalogs,
                     sizing_cache: SizingCache | None = None) -> tuple[ScenarioResult, ...]:
    """Each what-if scenario, in its order: the base with the scenario laid over it, re-planned and re-decided
    by the core evaluation (its own sweeps and ranges are not needed side by side)."""
    return tuple(scenario_result(s, evaluate_core(assessment.with_scenario(s), catalogs, sizing_cache))
                 for s in assessment.scenarios)
