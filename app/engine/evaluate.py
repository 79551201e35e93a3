"""THE entry point: an assessment and the catalogs in, one Evaluation out. Pure: no I/O, no Qt, no globals.

`evaluate_core` gives costs, break-even, readiness and the recommendation, fast enough to rerun as the user
types (the caller may pass a `sizing_cache` dict it keeps between calls, because capacity planning is the slow
part and only changes when the serving need does). `evaluate` adds the tornado, tipping points and the
uncertainty run; the UI runs it off its main thread."""


from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from app.domain.assessment import Assessment
from app.domain.catalogs import Catalogs
from app.domain.evaluation import (OPTION_IDS, AssumptionValue, CostCurve, Evaluation, LeverEffect, LineItem,
                                   OptionCost, Reason, SizingSummary, WorkloadResult)
from app.engine import decision
from app.engine.costs import (CURVE_FACTORS, TOKENS_PER_MILLION, Item, WorkloadBasis, replicas, total_monthly,
                              total_one_time)
from app.engine.readiness import assess_readiness
from app.engine.scenario import (Context, SizingCache, break_even, build_context, cost_view, horizon_totals,
                                 items_of, monthly_totals, recommend)
from app.engine.sensitivity import tipping_points, tornado
from app.engine.uncertainty import simulate


# ---- Assembling the result --------------------------------------------------------------------------------


def _line_item(item: Item) -> LineItem:
    return LineItem(id=item.id, label=item.label, monthly_usd=float(item.monthly), one_time_usd=float(item.one_time),
                    rests_on=item.rests_on, note=item.note)


def _option_cost(ctx: Context, option: str, items: list[Item], horizon: float) -> OptionCost:
    monthly = float(total_monthly(items))
    million_tokens = ctx.tokens_per_day * ctx.params["days_per_month"] / TOKENS_PER_MILLION
    return OptionCost(
        option=option, feasible=ctx.infeasible.get(option) is None, infeasible_reason=ctx.infeasible.get(option),
        monthly_usd=monthly, one_time_usd=float(total_one_time(items)), horizon_usd=float(horizon),
        usd_per_million_tokens=monthly / million_tokens, line_items=tuple(_line_item(i) for i in items),
        capital_usd=_capital(ctx, items))


def _capital(ctx: Context, items: list[Item]) -> float:
    amortisation = next((i for i in items if i.id == "hardware_amortisation"), None)
    return float(amortisation.monthly) * ctx.params["amortisation_months"] if amortisation else 0.0


def _workload_share(ctx: Context, option: str, items: list[Item], w: WorkloadBasis) -> float:
    """The workload's own items plus its token share of the shared ones (within its part, for the hybrid)."""
    if option == "hybrid":
        side = ctx.hybrid_route[w.workload_id][0]
        part = [x for x in ctx.workloads if ctx.hybrid_route[x.workload_id][0] == side]
        items = [i for i in items if i.id.startswith("api_") == (side == "api")]
    else:
        part = list(ctx.workloads)
    suffixes = tuple(f"_{x.workload_id}" for x in part)
    own = sum(float(i.monthly) for i in items if i.id.endswith(f"_{w.workload_id}"))
    shared = sum(float(i.monthly) for i in items if not i.id.endswith(suffixes))
    part_tokens = sum(float(x.tokens_per_day) for x in part) or 1.0
    return own + shared * float(w.tokens_per_day) / part_tokens


def _sizing(ctx: Context, w: WorkloadBasis) -> SizingSummary | None:
    if w.serving is None:
        return None
    plan = w.serving.plan
    return SizingSummary(
        model=plan.model_id, gpu=plan.gpu_id, gpus_per_replica=plan.gpus_per_replica,
        replicas=int(replicas(w, ctx.params)), precision=plan.precision, kv_precision=plan.kv_precision,
        engine=plan.engine, redundancy_replicas=plan.redundancy_replicas, memory_per_gpu_gib=plan.memory_per_gpu_gib,
        weights_gib=plan.weights_gib, kv_cache_gib=plan.kv_cache_gib, ttft_ms=plan.ttft_ms, tpot_ms=plan.tpot_ms,
        output_tokens_per_s_per_replica=plan.output_tokens_per_s_per_replica,
        utilisation=plan.utilisation_at_average,
        levers=tuple(LeverEffect(**lever.model_dump()) for lever in plan.levers))


def _workload_results(ctx: Context, items: Mapping[str, list[Item]]) -> tuple[WorkloadResult, ...]:
    self_option = f"self_host_{ctx.hybrid_deployment}"
    return tuple(
        WorkloadResult(
            workload_id=w.workload_id, name=w.name, tokens_per_day=float(w.tokens_per_day),
            route="api" if ctx.hybrid_route[w.workload_id][0] == "api" else self_option,
            route_reason=ctx.hybrid_route[w.workload_id][1],
            monthly_usd={o: _workload_share(ctx, o, items[o], w) for o in OPTION_IDS},
            sizing=_sizing(ctx, w))
        for w in ctx.workloads)


def _primary_sizing(ctx: Context) -> SizingSummary | None:
    """The sizing shown on its own: the self-hosted workload with the most tokens."""
    served = [w for w in ctx.workloads if w.serving is not None]
    preferred = [w for w in served if ctx.hybrid_route[w.workload_id][0] == "self"] or served
    return _sizing(ctx, max(preferred, key=lambda w: float(w.tokens_per_day))) if preferred else None


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
                               rests_on=rests_on)


def _warnings(ctx: Context) -> tuple[str, ...]:
    notes = []
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


HEADLINE_MAX_CHARS = 110


def _headline(reasons: list[Reason]) -> str:
    """The strongest reason's first sentence, short enough for a panel line."""
    if not reasons:
        return ""
    sentence = reasons[0].text.split(". ")[0].rstrip(".")
    if len(sentence) > HEADLINE_MAX_CHARS:
        sentence = sentence[:HEADLINE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "..."
    return sentence


def core_from_context(ctx: Context, assessment: Assessment) -> Evaluation:
    params = ctx.params
    items = {o: items_of(ctx, o, params) for o in OPTION_IDS}
    horizon = horizon_totals(ctx, params)
    options = {o: _option_cost(ctx, o, items[o], horizon[o]) for o in OPTION_IDS}
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
    return Evaluation(
        recommendation=recommendation,
        confidence=decision.confidence(option, ctx.facts, ctx.moat, view, decision.unknown_key_inputs(ctx.inputs),
                                       volume_driven, params),
        headline=_headline(reasons),
        reasons=tuple(reasons),
        roadmap=decision.roadmap(option, ctx.facts, readiness, ctx.org.needs_inference_hire, volume, best_self,
                                 volume_driven, params),
        options=options, break_even_tokens_per_day=break_evens, readiness=readiness, sizing=_primary_sizing(ctx),
        workloads=_workload_results(ctx, items),
        assumptions=_assumption_values(ctx, assessment), warnings=_warnings(ctx),
        tokens_per_day=ctx.tokens_per_day, horizon_months=ctx.horizon_months)


def evaluate_core(assessment: Assessment, catalogs: Catalogs, sizing_cache: SizingCache | None = None) -> Evaluation:
    """Costs, break-even, readiness and recommendation: for live updates (no curves, sweeps or ranges)."""
    return core_from_context(build_context(assessment, catalogs, sizing_cache), assessment)


def evaluate(assessment: Assessment, catalogs: Catalogs, sizing_cache: SizingCache | None = None) -> Evaluation:
    """The full evaluation: the core plus tornado, tipping points, uncertainty and the cost curves."""
    ctx = build_context(assessment, catalogs, sizing_cache)
    core = core_from_context(ctx, assessment)
    return core.model_copy(update={"tornado": tornado(ctx), "tipping_points": tipping_points(ctx, core.recommendation),
                                   "uncertainty": simulate(ctx), "cost_curve": _curve(ctx)})
