"""THE entry point: an assessment and the catalogs in, one Evaluation out. Pure: no I/O, no Qt, no globals.

`evaluate_core` gives costs, break-even, readiness and the recommendation, fast enough to rerun as the user
types (the caller may pass a `sizing_cache` dict it keeps between calls, because capacity planning is the slow
part and only changes when the serving need does). `evaluate` adds the tornado, tipping points and the
uncertainty run; the UI runs it off its main thread."""


from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from app.domain.assessment import Assessment, Scenario
from app.domain.catalogs import Catalogs
from app.domain.evaluation import (OPTION_IDS, option_for_recommendation, AssumptionValue, BridgeRow, CashFlowYear, CostCurve, Evaluation, LeverEffect,
                                   LineItem, OptionCost, Pool, Reason, ScenarioOption, ScenarioResult, SizingSummary,
                                   WorkloadResult, headline_of)
from app.engine import decision
from app.engine.costs import (CURVE_FACTORS, MONTHS_PER_YEAR, TOKENS_PER_MILLION, Item, PoolFacts, WorkloadBasis,
                              discount_factors, load_of, pool_facts, total_monthly, total_one_time)
from app.engine.pools import member_units
from app.engine.readiness import assess_readiness
from app.engine.scenario import (Context, SizingCache, break_even, build_context, cash_flows, cost_view, items_of,
                                 monthly_totals, recommend)
from app.engine.sensitivity import tipping_points, tornado
from app.engine.staleness import STALENESS_ASSUMPTION, stale_price_ids
from app.engine.uncertainty import simulate


# ---- Assembling the result --------------------------------------------------------------------------------


def _line_item(item: Item) -> LineItem:
    quantity, rate = item.quantity_rate
    return LineItem(id=item.id, label=item.label, monthly_usd=float(item.monthly), one_time_usd=float(item.one_time),
                    rests_on=item.rests_on, note=item.note, quantity=float(quantity), unit=item.unit,
                    rate_usd=float(rate))


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


def _option_cost(ctx: Context, option: str, items: list[Item], flows: Mapping[str, np.ndarray],
                 pools: list[PoolFacts]) -> OptionCost:
    monthly = float(total_monthly(items))
    million_tokens = ctx.tokens_per_day * ctx.params["days_per_month"] / TOKENS_PER_MILLION
    cash = _cash_flow(flows[option], ctx)
    return OptionCost(
        option=option, feasible=ctx.infeasible.get(option) is None, infeasible_reason=ctx.infeasible.get(option),
        monthly_usd=monthly, one_time_usd=float(total_one_time(items)),
        horizon_usd=float(np.sum(np.ravel(flows[option]))),
        usd_per_million_tokens=monthly / million_tokens, line_items=tuple(_line_item(i) for i in items),
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
    return SizingSummary(
        model=plan.model_id, gpu=plan.gpu_id, gpus_per_replica=plan.gpus_per_replica,
        replicas=round(facts.replicas), precision=plan.precision, kv_precision=plan.kv_precision,
        engine=plan.engine, redundancy_replicas=facts.pool.redundancy_replicas,
        memory_per_gpu_gib=plan.memory_per_gpu_gib, weights_gib=plan.weights_gib, kv_cache_gib=plan.kv_cache_gib,
        ttft_ms=plan.ttft_ms, tpot_ms=plan.tpot_ms, output_tokens_per_s_per_replica=plan.output_tokens_per_s_per_replica,
        utilisation=facts.utilisation, levers=tuple(LeverEffect(**lever.model_dump()) for lever in plan.levers),
        pool_id=facts.pool.id)


def _workload(ctx: Context, workload_id: str) -> WorkloadBasis:
    return next(w for w in ctx.workloads if w.workload_id == workload_id)


def deployment_option(ctx: Context, recommendation: str, view: decision.CostView) -> str | None:
    """Whose pools the results show: the recommended deployment's, or else the cheapest feasible self-hosted
    option's (None when no self-hosted option has pools)."""
    option = option_for_recommendation(recommendation)
    if ctx.pools.get(option):
        return option
    best = decision._best_self(view)
    return best if best and ctx.pools.get(best) else next((o for o in decision.SELF_HOST_OPTIONS if ctx.pools.get(o)),
                                                          None)


def _workload_results(ctx: Context, items: Mapping[str, list[Item]], pools: Mapping[str, list[PoolFacts]],
                      shown: str | None) -> tuple[WorkloadResult, ...]:
    # A mixed hybrid rents most pools and owns those for data that may not sit in the cloud.
    self_option = "self_host_cloud" if ctx.hybrid_deployment == "mixed" else f"self_host_{ctx.hybrid_deployment}"
    place = {m.workload_id: f.pool.place for f in pools["hybrid"] for m in f.pool.members}
    shown_pools = pools.get(shown, []) if shown else []
    home = {m.workload_id: f for f in shown_pools for m in f.pool.members}
    if shown == "hybrid":  # the hybrid's API-side workloads are described on the self-hosted option's pools
        home = {**{m.workload_id: f for f in pools[self_option] for m in f.pool.members}, **home}
    return tuple(
        WorkloadResult(
            workload_id=w.workload_id, name=w.name, tokens_per_day=float(w.tokens_per_day),
            route="api" if ctx.hybrid_route[w.workload_id][0] == "api" else (
                f"self_host_{place[w.workload_id]}" if w.workload_id in place else self_option),
            route_reason=ctx.hybrid_route[w.workload_id][1],
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
    decided = sum(float(w.tokens_per_day) * ctx.decision_factors[w.workload_id] for w in ctx.workloads)
    rests_on = tuple(dict.fromkeys(i for w in ctx.workloads for i in w.rests_on))
    return decision.VolumeView(stated_tokens_per_day=ctx.tokens_per_day, decision_tokens_per_day=decided,
                               projected=projected, break_even_tokens_per_day=break_evens.get(best_self),
                               rests_on=rests_on,
                               article_crossover_tokens_per_day=ctx.pricing.article["crossover_tokens_per_day"].value)


RISKY = ("medium", "high")


def _precision_notes(ctx: Context, pools: list[PoolFacts]) -> list[str]:
    """Quantised formats with a real quality risk, named with the tasks they serve."""
    notes = []
    tasks = {w.workload_id: w.task_types for w in ctx.inputs.workloads}
    for f in pools:
        risk, note = ctx.quality_risks.get(f.pool.key.precision, ("none", ""))
        if risk in RISKY:
            served = sorted({t for w in f.pool.workload_ids for t in tasks[w]}) or ["unspecified tasks"]
            notes.append(f"Pool {f.pool.id} serves {f.pool.key.model_id} in {f.pool.key.precision.upper()} on "
                         f"{f.pool.gpu.name}: {risk} quality risk for {', '.join(served)} ({note}); validate on the "
                         "client's own tasks before production.")
    return notes


def _warnings(ctx: Context, pools: list[PoolFacts], assessment: Assessment) -> tuple[str, ...]:
    notes = [*assessment.migration_notes, *_precision_notes(ctx, pools)]
    for w in ctx.inputs.workloads:
        if w.volume_basis == "measured" and (w.volume_measured_days or 0) < ctx.params["volume_measurement_days"]:
            notes.append(f"{w.name}: volume measured over {w.volume_measured_days or 0} days; the seed asks for "
                         f"{ctx.params['volume_measurement_days']:.0f}.")
        if w.fine_tuning_need == "critical" and w.fine_tuning_gain_demonstrated != "yes":
            notes.append(f"{w.name}: fine-tuning is called critical but its gain is not demonstrated; prove it "
                         "against prompt engineering before it justifies self-hosting.")
        if (w.ttft_target_ms is not None and w.ttft_target_ms <= ctx.params["latency_local_threshold_ms"]
                and w.single_geography != "yes"):
            notes.append(f"{w.name}: sub-{ctx.params['latency_local_threshold_ms']:.0f} ms across several "
                         "geographies needs serving in each region; verify the requirement is real (many "
                         "applications tolerate 200-500 ms).")
    notes.extend(f"{w.name}: no serving plan found in the catalogs." for w in ctx.workloads if w.serving is None)
    notes.extend(_spend_check(ctx))
    notes.append(decision.QUARTERLY)
    return tuple(notes)


def _spend_check(ctx: Context) -> list[str]:
    """A stated API bill far from the priced volume means the volume, the model or the bill is wrong."""
    stated = ctx.inputs.organisation.current_api_spend_usd_per_month
    priced = float(total_monthly(items_of(ctx, "api", ctx.params)))
    if not stated or priced <= 0:
        return []
    ratio = stated / priced
    limit = ctx.params["api_spend_mismatch_factor"]
    if 1 / limit <= ratio <= limit:
        return []
    return [f"The stated API spend (${stated:,.0f}/month) is {ratio:.1f}x the volume priced at list prices "
            f"(${priced:,.0f}/month): check the volume answers, the API model and any negotiated rate."]


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


def _headline(reasons: list[Reason]) -> str:
    return headline_of(reasons[0].text) if reasons else ""


def _stale_prices(catalogs: Catalogs, assessment: Assessment, params: Mapping[str, float]) -> dict:
    """Stale on the assessment's own date (its last save), so a reopened file reproduces its results. A
    catalog snapshot older than the staleness assumption has no threshold: nothing is flagged until it is
    re-baselined (Edit > Update to Current Catalogs)."""
    if STALENESS_ASSUMPTION not in params:
        return {}
    day = assessment.modified_at.date()
    return {"stale_price_ids": stale_price_ids(catalogs, day, params[STALENESS_ASSUMPTION]),
            "stale_prices_on": day.isoformat()}


def core_from_context(ctx: Context, assessment: Assessment, catalogs: Catalogs) -> Evaluation:
    params = ctx.params
    items = {o: items_of(ctx, o, params) for o in OPTION_IDS}
    flows = cash_flows(ctx, params)
    pools = _pools(ctx)
    options = {o: _option_cost(ctx, o, items[o], flows, pools[o]) for o in OPTION_IDS}
    horizon = {o: options[o].horizon_usd for o in OPTION_IDS}
    view = cost_view(ctx, params, horizon=horizon)
    option = recommend(ctx, view)
    break_evens = {o: break_even(ctx, o, params) for o in decision.SELF_HOST_OPTIONS}
    best_self = decision._best_self(view)
    volume = _volume_view(ctx, best_self, break_evens)
    readiness = assess_readiness(assessment, params)
    volume_driven = option in decision.SELF_HOST_OPTIONS and not ctx.moat and not any(
        f.sovereign or f.latency_critical or f.fine_tuning_critical for f in ctx.facts)
    reasons = decision.constraint_reasons(ctx.facts, ctx.moat, params) + decision.cost_reasons(
        option, view, volume, params)
    readiness_reason = decision.readiness_reason(readiness, ctx.org.needs_inference_hire, option, params)
    if readiness_reason:
        reasons.append(readiness_reason)
    reasons.sort(key=lambda r: -r.strength)
    recommendation = decision.recommendation_id(option)
    shown = deployment_option(ctx, recommendation, view)
    shown_pools = pools.get(shown, []) if shown else []
    return Evaluation(
        recommendation=recommendation,
        confidence=decision.confidence(option, ctx.facts, ctx.moat, view, decision.unknown_key_inputs(ctx.inputs),
                                       volume_driven, params),
        headline=_headline(reasons),
        reasons=tuple(reasons),
        roadmap=decision.roadmap(option, ctx.facts, readiness, ctx.org.needs_inference_hire, volume, best_self,
                                 volume_driven, params),
        options=options, break_even_tokens_per_day=break_evens, readiness=readiness,
        sizing=_primary_sizing(ctx, shown_pools), pools=tuple(_pool(f) for f in shown_pools),
        article_bridge=_bridge(ctx, options, best_self, break_evens),
        workloads=_workload_results(ctx, items, pools, shown),
        assumptions=_assumption_values(ctx, assessment), warnings=_warnings(ctx, shown_pools, assessment),
        tokens_per_day=ctx.tokens_per_day, horizon_months=ctx.horizon_months,
        **_stale_prices(catalogs, assessment, params))


def evaluate_core(assessment: Assessment, catalogs: Catalogs, sizing_cache: SizingCache | None = None) -> Evaluation:
    """Costs, break-even, readiness and recommendation: for live updates (no curves, sweeps or ranges)."""
    return core_from_context(build_context(assessment, catalogs, sizing_cache), assessment, catalogs)


def evaluate(assessment: Assessment, catalogs: Catalogs, sizing_cache: SizingCache | None = None) -> Evaluation:
    """The full evaluation: the core plus tornado, tipping points, uncertainty and the cost curves."""
    ctx = build_context(assessment, catalogs, sizing_cache)
    core = core_from_context(ctx, assessment, catalogs)
    return core.model_copy(update={"tornado": tornado(ctx), "tipping_points": tipping_points(ctx, core.recommendation),
                                   "uncertainty": simulate(ctx), "cost_curve": _curve(ctx),
                                   "scenarios": scenario_results(assessment, catalogs, sizing_cache)})


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
