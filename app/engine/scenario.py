"""The scenario an evaluation rests on (inputs, workloads with their serving plans, facts, parameters,
feasibility, hybrid routing) and the option costs computed from it. The core evaluation, the sensitivity
sweeps and the uncertainty run all recompute costs through these functions, with floats or numpy arrays."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

from app.domain.assessment import Assessment
from app.domain.catalogs import Catalogs
from app.domain.evaluation import OPTION_IDS
from app.domain.inputs import EngineInputs, WorkloadInputs
from app.domain.pricing import PricingCatalog
from app.domain.sizing import CapacityPlan, CapacityRequest
from app.engine import decision
from app.engine.bindings import build_inputs
from app.engine.costs import (BREAK_EVEN_SEARCH_TOKENS_PER_DAY, Item, grown, Number, Organisation, Serving, WorkloadBasis, break_even_factor, horizon_usd,
                              option_items, resolve_params, total_monthly)
from app.engine.sizing import best_plan

SizingCache = MutableMapping[CapacityRequest, CapacityPlan | None]
# Task types whose long-form or reasoning output makes aggressive quantisation a quality risk (the seed:
# "INT4 quantization might be fine for classification but produce unacceptable quality degradation for
# long-form generation").
QUALITY_SENSITIVE_TASKS = frozenset({"reasoning", "creative", "code"})


@dataclass(frozen=True)
class Context:
    """Everything an evaluation rests on; sensitivity and uncertainty recompute costs from it."""

    inputs: EngineInputs
    workloads: tuple[WorkloadBasis, ...]
    facts: tuple[decision.WorkloadFacts, ...]
    org: Organisation
    moat: bool
    params: Mapping[str, float]
    pricing: PricingCatalog
    hybrid_route: Mapping[str, tuple[str, str]]
    hybrid_deployment: str
    infeasible: Mapping[str, str | None]
    decision_factors: Mapping[str, float]  # per workload: 1, or the discount of a projected volume
    horizon_months: int

    @property
    def tokens_per_day(self) -> float:
        return float(sum(w.tokens_per_day for w in self.workloads)) or 1.0

    @property
    def hybrid_mixed(self) -> bool:
        sides = {side for side, _ in self.hybrid_route.values()}
        return sides == {"api", "self"}

    def routing(self) -> dict:
        return {"hybrid_route": {k: side for k, (side, _) in self.hybrid_route.items()},
                "hybrid_deployment": self.hybrid_deployment}


# ---- Building the context -----------------------------------------------------------------------------


def _api_model_id(w: WorkloadInputs, pricing: PricingCatalog) -> str:
    if w.api_model in pricing.api_models:
        return w.api_model
    return pricing.default_api_model_by_tier.get(w.capability_tier) or next(iter(pricing.api_models))


def capacity_request(w: WorkloadInputs, catalogs: Catalogs, params: Mapping[str, float],
                     latency_critical: bool) -> CapacityRequest:
    pricing, hardware = catalogs.pricing, catalogs.hardware
    models = tuple(m for m in (w.candidate_models or pricing.open_models_by_tier.get(w.capability_tier, ()))
                   if m in hardware.models)
    gpus = tuple(g for g in pricing.production_gpu_ids if g in hardware.gpus)
    return CapacityRequest(
        tokens_per_day=w.tokens_per_day, input_tokens_per_request=w.input_tokens_per_request,
        output_tokens_per_request=w.output_tokens_per_request, peak_to_average_ratio=w.peak_to_average_ratio,
        ttft_target_ms=w.ttft_target_ms, tokens_per_s_per_user_target=w.tokens_per_s_per_user_target,
        context_tokens=w.context_tokens, cached_input_share=w.cached_input_share, model_ids=models, gpu_ids=gpus,
        min_replicas=int(params["min_production_replicas"]), latency_critical=latency_critical,
        allow_quantisation=w.capability_tier != "frontier" and not set(w.task_types) & QUALITY_SENSITIVE_TASKS)


def _serving(request: CapacityRequest, catalogs: Catalogs, cache: SizingCache | None) -> Serving | None:
    if cache is not None and request in cache:
        plan = cache[request]
    else:
        plan = best_plan(request, catalogs.hardware)
        if cache is not None:
            cache[request] = plan
    return Serving(plan, catalogs.hardware.gpus[plan.gpu_id]) if plan is not None else None


def _volume_question(inputs: EngineInputs, w: WorkloadInputs) -> tuple[str, ...]:
    fields = ("tokens_per_day_direct",) if w.tokens_per_day_direct is not None else (
        "requests_per_day", "input_tokens_per_request", "output_tokens_per_request")
    return tuple(decision.question_id(inputs, f, w.workload_id) for f in fields)


def _basis(inputs: EngineInputs, w: WorkloadInputs, catalogs: Catalogs, serving: Serving | None) -> WorkloadBasis:
    pricing = catalogs.pricing
    model_id = _api_model_id(w, pricing)
    return WorkloadBasis(
        workload_id=w.workload_id, name=w.name, tokens_per_day=w.tokens_per_day, input_share=w.input_share,
        cached_input_share=w.cached_input_share, batch_eligible_share=w.batch_eligible_share,
        peak_to_average_ratio=w.peak_to_average_ratio, growth_share_per_year=w.growth_pct_per_year / 100,
        fine_tuning_runs_per_year=w.fine_tuning_runs_per_year if w.fine_tuning_need != "none" else 0.0,
        api_model_id=model_id, api_model=pricing.api_models[model_id], serving=serving,
        rests_on=_volume_question(inputs, w))


def _params(assessment: Assessment, inputs: EngineInputs, pricing: PricingCatalog) -> dict[str, float]:
    overrides = {key: o.value for key, o in assessment.assumption_overrides.items()}
    # The client's own power price replaces the default, unless the consultant overrode it explicitly.
    if inputs.organisation.power_usd_per_kwh is not None and "power_usd_per_kwh" not in overrides:
        overrides["power_usd_per_kwh"] = inputs.organisation.power_usd_per_kwh
    return resolve_params(pricing, overrides)


def _infeasible(facts, workloads, org_inputs, params) -> dict[str, str | None]:
    unserved = [w.name for w in workloads if w.serving is None]
    no_plan = f"no catalog model and GPU can serve: {', '.join(unserved)}" if unserved else None
    not_cloud = [f.name for f in facts if not f.cloud_allowed]
    on_prem_refused = "the client does not allow on-premises hardware" if org_inputs.on_prem_allowed == "no" else None
    return {
        "api": decision.api_infeasible_reason(facts, params),
        "self_host_cloud": (f"data may not sit in the client's own cloud tenancy: {', '.join(not_cloud)}"
                            if not_cloud else no_plan),
        "self_host_on_prem": on_prem_refused or no_plan,
    }


def _hybrid_deployment(facts, route, workloads, params, org: Organisation, months: int,
                       on_prem_allowed: bool) -> tuple[str, str | None]:
    """Where the hybrid's self-hosted part runs: the cheaper allowed deployment over the horizon; and why the
    hybrid is infeasible, if it is."""
    self_ids = {k for k, (side, _) in route.items() if side == "self"}
    unserved = [w.name for w in workloads if w.workload_id in self_ids and w.serving is None]
    allowed = (["cloud"] if all(f.cloud_allowed for f in facts if f.workload_id in self_ids) else []) + (
        ["on_prem"] if on_prem_allowed else [])
    if not allowed:
        return "on_prem", "the self-hosted part may use neither the client's cloud nor on-premises hardware"
    sides = {k: side for k, (side, _) in route.items()}
    yearly = grown(workloads, months)
    costs = {d: float(horizon_usd("hybrid", yearly, params, org, months, hybrid_route=sides, hybrid_deployment=d))
             for d in allowed}
    problem = f"no catalog model and GPU can serve: {', '.join(unserved)}" if unserved else None
    return min(costs, key=costs.get), problem


def build_context(assessment: Assessment, catalogs: Catalogs, sizing_cache: SizingCache | None = None) -> Context:
    inputs = build_inputs(assessment)
    pricing = catalogs.pricing
    params = _params(assessment, inputs, pricing)
    facts = tuple(decision.workload_facts(inputs, w, params) for w in inputs.workloads)
    workloads = tuple(
        _basis(inputs, w, catalogs, _serving(capacity_request(w, catalogs, params, f.latency_critical), catalogs,
                                             sizing_cache))
        for w, f in zip(inputs.workloads, facts))
    o = inputs.organisation
    org = Organisation(needs_inference_hire=o.production_inference in decision.NEEDS_HIRE,
                       existing_data_centre=o.existing_data_centre == "yes", reserved_gpus=o.prefer_reserved_gpus == "yes")
    infeasible = _infeasible(facts, workloads, o, params)
    route = decision.hybrid_route(facts)
    deployment, hybrid_problem = _hybrid_deployment(facts, route, workloads, params, org, o.horizon_months,
                                                    o.on_prem_allowed != "no")
    infeasible["hybrid"] = hybrid_problem
    factors = {w.workload_id: (1 / params["projected_volume_overestimation_factor"]
                               if w.volume_basis == "projected" else 1.0) for w in inputs.workloads}
    return Context(inputs=inputs, workloads=workloads, facts=facts, org=org, moat=o.ai_role == "product",
                   params=params, pricing=pricing, hybrid_route=route, hybrid_deployment=deployment,
                   infeasible=infeasible, decision_factors=factors, horizon_months=o.horizon_months)


# ---- Costs of all options -------------------------------------------------------------------------------


def scaled_workloads(ctx: Context, factor: Number = 1.0,
                     per_workload: Mapping[str, Number] | None = None) -> list[WorkloadBasis]:
    per_workload = per_workload or {}
    return [w.scaled(factor * per_workload.get(w.workload_id, 1.0)) for w in ctx.workloads]


def items_of(ctx: Context, option: str, params: Mapping[str, Number], workloads=None) -> list[Item]:
    return option_items(option, workloads if workloads is not None else ctx.workloads, params, ctx.org,
                        **ctx.routing())


def monthly_totals(ctx: Context, params: Mapping[str, Number], factor: Number = 1.0,
                   per_workload: Mapping[str, Number] | None = None) -> dict[str, Number]:
    workloads = scaled_workloads(ctx, factor, per_workload)
    return {o: total_monthly(items_of(ctx, o, params, workloads)) for o in OPTION_IDS}


def horizon_totals(ctx: Context, params: Mapping[str, Number], factor: Number = 1.0) -> dict[str, Number]:
    workloads = grown(scaled_workloads(ctx, factor), ctx.horizon_months)
    return {o: horizon_usd(o, workloads, params, ctx.org, ctx.horizon_months, **ctx.routing()) for o in OPTION_IDS}


def feasible(ctx: Context) -> dict[str, bool]:
    return {o: ctx.infeasible.get(o) is None for o in OPTION_IDS}


def cost_view(ctx: Context, params: Mapping[str, Number], factor: Number = 1.0,
              horizon: Mapping[str, Number] | None = None) -> decision.CostView:
    """The costs the rules look at; `horizon` may be passed in when the caller has it already."""
    return decision.CostView(monthly=monthly_totals(ctx, params, factor, ctx.decision_factors),
                             horizon=horizon if horizon is not None else horizon_totals(ctx, params, factor),
                             feasible=feasible(ctx),
                             hybrid_mixed=ctx.hybrid_mixed)


def recommend(ctx: Context, view: decision.CostView) -> str:
    return decision.decide(ctx.facts, ctx.moat, view, ctx.params)


def break_even(ctx: Context, option: str, params: Mapping[str, Number]) -> float | None:
    if not any(w.serving for w in ctx.workloads):
        return None
    factor = break_even_factor(lambda k: total_monthly(items_of(ctx, "api", params, scaled_workloads(ctx, k))),
                               lambda k: total_monthly(items_of(ctx, option, params, scaled_workloads(ctx, k))),
                               BREAK_EVEN_SEARCH_TOKENS_PER_DAY / ctx.tokens_per_day)
    return None if factor is None else factor * ctx.tokens_per_day
