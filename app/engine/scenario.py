"""The scenario an evaluation rests on (inputs, workloads with their serving plans, facts, parameters,
feasibility, hybrid routing) and the option costs computed from it. The core evaluation, the sensitivity
sweeps and the uncertainty run all recompute costs through these functions, with floats or numpy arrays."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, replace

from app.domain.assessment import Assessment
from app.domain.catalogs import Catalogs
from app.domain.evaluation import OPTION_IDS
from app.domain.inputs import EngineInputs, WorkloadInputs
from app.domain.instances import RESTRICTING_PROVIDERS
from app.domain.pricing import HostedModel, PricingCatalog
from app.domain.sizing import CapacityPlan, CapacityRequest
from app.engine import decision
from app.engine.bindings import build_inputs
import numpy as np

from app.engine.costs import (BREAK_EVEN_SEARCH_TOKENS_PER_DAY, Item, Number, Organisation, Serving, WorkloadBasis,
                              break_even_factor, discount_factors, grown, horizon_usd, list_usd_per_million,
                              option_items, resolve_params, self_host_items, total_monthly, yearly_usd)
from app.engine.pools import MULTI_LORA_ENGINES, Candidates, Pool, build_pools, candidates, choose
from app.engine.sizing import plan_capacity

# Capacity plans by request, and pool plans under ("pools", ...) keys: one cache the caller keeps between runs.
SizingCache = MutableMapping[CapacityRequest | tuple, tuple]
PLACES = ("cloud", "on_prem")
# Capability tiers from the least to the most capable: a use case may share a pool of a more capable model.
TIERS = ("narrow", "strong", "frontier")
# Task types whose long-form or reasoning output makes aggressive quantisation a quality risk (the seed:
# "INT4 quantization might be fine for classification but produce unacceptable quality degradation for
# long-form generation").
QUALITY_SENSITIVE_TASKS = frozenset({"reasoning", "creative", "code"})
# vLLM is the default engine (the article's, and the most deployed open server). Where no vLLM plan meets a use
# case's latency targets in a place, an inference engineer tries the engines with the leaner request path, in
# this order (docs/sizing.md, "From plans to pools"): SGLang, then TensorRT-LLM (NVIDIA only).
LATENCY_ENGINES = ("sglang", "tensorrt-llm")


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
    pools: Mapping[str, tuple[Pool, ...]]  # each self-hosted option's (and the hybrid's) deployment
    infeasible: Mapping[str, "decision.Fact | None"]  # why an option cannot be built (None: it can)
    decision_factors: Mapping[str, float]  # per workload: 1, or the discount already applied to its projected volume
    horizon_months: int
    quality_risks: Mapping[str, tuple[str, str]] | None = None  # precision id -> (quality risk, what it risks)
    planner: "Planner | None" = None  # plans pools for any part in any place (what-if questions, tests)
    missing: tuple[str, ...] = ()  # question ids without which there is no recommendation
    wording: Mapping[str, str] | None = None  # templates/decision/*.j2 by name, for what the results say
    stated_tokens_per_day: float = 0.0  # before any projected volume is discounted

    @property
    def tokens_per_day(self) -> float:
        return float(sum(w.tokens_per_day for w in self.workloads)) or 1.0

    @property
    def hybrid_mixed(self) -> bool:
        sides = {side for side, _ in self.hybrid_route.values()}
        return sides == {"api", "self"}

    def routing(self) -> dict:
        return {"hybrid_route": {k: side for k, (side, _) in self.hybrid_route.items()},
                "hybrid_deployment": self.hybrid_deployment, "pools": self.pools}


# ---- Building the context -----------------------------------------------------------------------------


# Data that needs a provider that keeps nothing, and data that needs a signed BAA (HIPAA).
RETENTION_SENSITIVE = frozenset({"pii", "phi", "payment", "mnpi", "confidential"})
BAA_NEEDED = frozenset({"phi"})


def data_terms_met(w: WorkloadInputs, model: HostedModel, region: str) -> bool:
    """May this use case's data go to this hosted endpoint under its published terms?"""
    classes = set(w.data_classes)
    if classes & BAA_NEEDED and not model.baa_available:
        return False
    if classes & RETENTION_SENSITIVE and not model.zero_retention:
        return False
    return w.residency not in ("region", "country", "premises") or (
        w.residency != "premises" and region in model.regions)


def _api_model_id(w: WorkloadInputs, catalogs: Catalogs, region: str) -> str:
    """The consultant's choice; else the cheapest of the tier's default API model and the hosted open-weight
    models at least as capable whose data terms this use case's data allows."""
    pricing, hosted = catalogs.pricing, catalogs.hosted.hosted_models
    if w.api_model in pricing.api_models or w.api_model in hosted:
        return w.api_model
    default = pricing.default_api_model_by_tier.get(w.capability_tier) or next(iter(pricing.api_models))
    rank = TIERS.index(w.capability_tier)
    eligible = [default, *(k for k, m in hosted.items()
                           if TIERS.index(m.capability_tier) >= rank and data_terms_met(w, m, region))]
    return min(eligible, key=lambda k: (list_usd_per_million(_api_model(catalogs, k), w.input_share,
                                                             w.cached_input_share, w.batch_eligible_share), k))


def _api_model(catalogs: Catalogs, model_id: str):
    return catalogs.pricing.api_models.get(model_id) or catalogs.hosted.hosted_models[model_id]


def quality_sensitive(w: WorkloadInputs) -> bool:
    return w.capability_tier == "frontier" or bool(set(w.task_types) & QUALITY_SENSITIVE_TASKS)


def _candidate_models(w: WorkloadInputs, pricing: PricingCatalog) -> tuple[str, ...]:
    """The client's candidates, else the open models of its tier and of every more capable tier (a narrow
    task may share a strong model's pool)."""
    if w.candidate_models:
        return tuple(w.candidate_models)
    tiers = TIERS[TIERS.index(w.capability_tier):]
    return tuple(dict.fromkeys(m for t in tiers for m in pricing.open_models_by_tier.get(t, ())))


def capacity_request(w: WorkloadInputs, catalogs: Catalogs, params: Mapping[str, float],
                     latency_critical: bool, pool_tokens_per_day: float | None = None) -> CapacityRequest:
    """Every format is sized; which of them may be deployed is the pool planner's rule (pools.allowed_precisions).
    `pool_tokens_per_day` sizes the configurations for the traffic a shared pool carries (the organisation's),
    so a use case's candidates depend on its request shape and targets, never on how finely traffic is split."""
    pricing, hardware = catalogs.pricing, catalogs.hardware
    models = tuple(m for m in _candidate_models(w, pricing) if m in hardware.models)
    gpus = tuple(g for g in pricing.production_gpu_ids if g in hardware.gpus)
    return CapacityRequest(
        tokens_per_day=pool_tokens_per_day or w.tokens_per_day, input_tokens_per_request=w.input_tokens_per_request,
        output_tokens_per_request=w.output_tokens_per_request, peak_to_average_ratio=w.peak_to_average_ratio,
        ttft_target_ms=w.ttft_target_ms, tokens_per_s_per_user_target=w.tokens_per_s_per_user_target,
        context_tokens=w.context_tokens, cached_input_share=w.cached_input_share, model_ids=models, gpu_ids=gpus,
        min_replicas=int(params["min_production_replicas"]), latency_critical=latency_critical,
        allow_quantisation=True)


def _plans(request: CapacityRequest, catalogs: Catalogs, cache: SizingCache | None) -> tuple[CapacityPlan, ...]:
    if cache is not None and request in cache:
        return cache[request]
    plans = tuple(plan_capacity(request, catalogs.hardware))
    if cache is not None:
        cache[request] = plans
    return plans


def _candidates(w: WorkloadInputs, request: CapacityRequest, catalogs: Catalogs, cloud_provider: str,
                cache: SizingCache | None, margin: float) -> dict[str, Candidates]:
    """Per place, the configurations this use case may run on (remembered beside its capacity plans): those that
    beat its targets by `margin` (latency_margin_min_share, the sizing model's own error) when any do, else those
    that meet them. Where no vLLM plan clears the targets by the margin, the leaner engines are sized too."""
    tuned = w.fine_tuning_need != "none"
    dedicated = tuned and w.fine_tuning_method == "full"
    key = ("candidates", request, quality_sensitive(w), tuned, dedicated, cloud_provider, margin,
           tuple(sorted(catalogs.versions.items())))
    if cache is not None and key in cache:
        return cache[key]

    def comfortable(plan: CapacityPlan) -> bool:
        return all(v is None or v >= margin for v in decision.margins(w, plan.ttft_ms, plan.tpot_ms).values())

    def in_place(plans, place: str) -> Candidates:
        usable = [p for p in plans if not tuned or dedicated or p.engine in MULTI_LORA_ENGINES]
        return candidates(w.workload_id, usable, catalogs.hardware, place, quality_sensitive(w), catalogs.instances,
                          cloud_provider, dedicated, tuned, comfortable)

    found = {place: in_place(_plans(request, catalogs, cache), place) for place in PLACES}
    for place, found_here in found.items():
        if found_here.plans and not comfortable(next(iter(found_here.plans.values()))):
            engines = (request, *(request.model_copy(update={"engine": e}) for e in LATENCY_ENGINES))
            found[place] = in_place([p for r in engines for p in _plans(r, catalogs, cache)], place)
    if cache is not None:
        cache[key] = found
    return found


def _standalone(c: Candidates, catalogs: Catalogs) -> Serving | None:
    """The use case's cheapest deployable plan on its own."""
    if not c.ranked:
        return None
    plan = c.plans[c.ranked[0]]
    return Serving(plan, catalogs.hardware.gpus[plan.gpu_id])


def _volume_question(inputs: EngineInputs, w: WorkloadInputs) -> tuple[str, ...]:
    fields = ("tokens_per_day_direct",) if w.tokens_per_day_direct is not None else (
        "requests_per_day", "input_tokens_per_request", "output_tokens_per_request")
    return tuple(decision.question_id(inputs, f, w.workload_id) for f in fields)


def _basis(inputs: EngineInputs, w: WorkloadInputs, catalogs: Catalogs, serving: Serving | None) -> WorkloadBasis:
    model_id = _api_model_id(w, catalogs, inputs.organisation.region)
    return WorkloadBasis(
        workload_id=w.workload_id, name=w.name, tokens_per_day=w.tokens_per_day, input_share=w.input_share,
        cached_input_share=w.cached_input_share, batch_eligible_share=w.batch_eligible_share,
        peak_to_average_ratio=w.peak_to_average_ratio, growth_share_per_year=w.growth_pct_per_year / 100,
        fine_tuning_runs_per_year=w.fine_tuning_runs_per_year if w.fine_tuning_need != "none" else 0.0,
        api_model_id=model_id, api_model=_api_model(catalogs, model_id), serving=serving,
        rests_on=_volume_question(inputs, w), traffic_profile=w.latency_mode)


def _params(assessment: Assessment, inputs: EngineInputs, pricing: PricingCatalog) -> dict[str, float]:
    overrides = {key: o.value for key, o in assessment.assumption_overrides.items()}
    # The client's own power price replaces the default, unless the consultant overrode it explicitly.
    if inputs.organisation.power_usd_per_kwh is not None and "power_usd_per_kwh" not in overrides:
        overrides["power_usd_per_kwh"] = inputs.organisation.power_usd_per_kwh
    return resolve_params(pricing, overrides)


def _unserved(workloads, options: Mapping[str, Candidates], ids=None) -> list[str]:
    return [w.name for w in workloads if (ids is None or w.workload_id in ids) and not options[w.workload_id].ranked]


def _infeasible(facts, workloads, org_inputs, params, options: Mapping[str, Mapping[str, Candidates]]
                ) -> dict[str, decision.Fact | None]:
    """Why each option cannot be built, as facts (templates/decision/infeasible.j2 words them)."""
    not_cloud = tuple(f.name for f in facts if not f.cloud_allowed)
    no_cloud_plan = tuple(_unserved(workloads, options["cloud"]))
    no_plan = tuple(_unserved(workloads, options["on_prem"]))
    provider = org_inputs.cloud_provider
    where = provider.upper() if provider in RESTRICTING_PROVIDERS else ""
    constraint = decision.api_constraint(facts)
    api = None
    if constraint:
        hit = {"sovereignty": lambda f: f.sovereign, "latency": lambda f: f.latency_critical,
               "fine_tuning": lambda f: f.fine_tuning_critical}[constraint]
        names = tuple(f"{f.name} ({f.sovereignty_why})" if constraint == "sovereignty" else f.name
                      for f in facts if hit(f))
        api = decision.Fact(constraint, {"latency_local_threshold_ms": params["latency_local_threshold_ms"]}, names,
                            option="api")
    cloud = (decision.Fact("no_tenancy", names=not_cloud, option="self_host_cloud") if not_cloud else
             decision.Fact("no_instance", names=no_cloud_plan, rests_on=(where,), option="self_host_cloud")
             if no_cloud_plan else None)
    on_prem = (decision.Fact("on_prem_refused", option="self_host_on_prem") if org_inputs.on_prem_allowed == "no"
               else decision.Fact("no_plan", names=no_plan, option="self_host_on_prem") if no_plan else None)
    return {"api": api, "self_host_cloud": cloud, "self_host_on_prem": on_prem}


def _missed_targets(inputs: EngineInputs, pools: Mapping[str, tuple[Pool, ...]]) -> dict[str, decision.Fact]:
    """Options whose plan misses a use case's first-token or per-user speed target: not feasible for it."""
    by_id = {w.workload_id: w for w in inputs.workloads}
    missed = {}
    for option, option_pools in pools.items():
        names = tuple(dict.fromkeys(by_id[m.workload_id].name for p in option_pools for m in p.members
                                    if decision.misses(decision.margins(by_id[m.workload_id], m.plan.ttft_ms,
                                                                        m.plan.tpot_ms))))
        if names:
            missed[option] = decision.Fact("misses_target", names=names, option=option)
    return missed


@dataclass(frozen=True)
class Planner:
    """Plans pools for any part of the workloads in any place, remembering plans in the caller's cache (beside
    the capacity plans, under keys of their own) so live re-evaluation only searches again when something the
    plan rests on changed."""

    options: Mapping[str, Mapping[str, Candidates]]
    params: Mapping[str, float]
    org: Organisation
    catalogs: Catalogs
    cloud_provider: str
    signature: tuple  # what the candidates rest on: capacity requests, catalog versions, assumptions
    cache: SizingCache | None

    def pools(self, part: list[WorkloadBasis], place: str) -> tuple[Pool, ...]:
        loads = tuple((w.workload_id, w.tokens_per_day, w.input_share, w.peak_to_average_ratio, w.traffic_profile,
                       w.fine_tuning_runs_per_year) for w in part)
        key = ("pools", place, loads, self.signature)
        if self.cache is not None and key in self.cache:
            return self.cache[key]
        planned = plan_pools(part, self.options[place], place, self.params, self.org, self.catalogs,
                             self.cloud_provider)
        if self.cache is not None:
            self.cache[key] = planned
        return planned


def plan_pools(part: list[WorkloadBasis], options: Mapping[str, Candidates], place: str, params, org: Organisation,
               catalogs: Catalogs, cloud_provider: str) -> tuple[Pool, ...]:
    """The cheapest set of pools for these workloads in one place (workloads with no plan there left out)."""
    served = {w.workload_id: options[w.workload_id] for w in part if options[w.workload_id].ranked}

    def pools_for(assignment):
        return build_pools(assignment, served, catalogs.hardware, place, catalogs.instances, cloud_provider)

    def cost(assignment) -> float:
        return float(total_monthly(self_host_items(part, params, org, place, pools_for(assignment))))

    return pools_for(choose(served, cost))


def _hybrid_plans(part: list[WorkloadBasis], facts, on_prem_allowed: bool, planner: Planner
                  ) -> dict[str, tuple[Pool, ...]]:
    """The hybrid's self-hosted part, planned in every allowed way: all rented, all owned, or mixed (workloads
    whose data may not sit in the cloud on owned hardware, the rest rented: one on-prem pool beside a cloud pool)."""
    in_cloud = {f.workload_id for f in facts if f.cloud_allowed}
    rentable = [w for w in part if w.workload_id in in_cloud]
    plans = {}
    if len(rentable) == len(part):
        plans["cloud"] = planner.pools(part, "cloud")
    if on_prem_allowed:
        plans["on_prem"] = planner.pools(part, "on_prem")
        if rentable and len(rentable) < len(part):
            owned = planner.pools([w for w in part if w.workload_id not in in_cloud], "on_prem")
            rented = planner.pools(rentable, "cloud")
            plans["mixed"] = (*rented, *(replace(p, id=f"p{len(rented) + n}") for n, p in enumerate(owned, 1)))
    return plans


def _hybrid_deployment(facts, route, workloads, months: int, on_prem_allowed: bool, planner: Planner, pools: dict
                       ) -> tuple[str, decision.Fact | None, tuple[Pool, ...]]:
    """Where the hybrid's self-hosted part runs (the cheapest allowed way over the horizon), its pools, and why
    the hybrid is infeasible, if it is."""
    self_ids = {k for k, (side, _) in route.items() if side == "self"}
    part = [w for w in workloads if w.workload_id in self_ids]
    planned = _hybrid_plans(part, [f for f in facts if f.workload_id in self_ids], on_prem_allowed, planner)
    if not planned:
        return "on_prem", decision.Fact("hybrid_nowhere", option="hybrid"), ()
    sides = {k: side for k, (side, _) in route.items()}
    yearly = grown(workloads, months)
    params, org = planner.params, planner.org
    costs = {place: float(horizon_usd("hybrid", yearly, params, org, months, hybrid_route=sides,
                                      hybrid_deployment=place, pools={**pools, "hybrid": planned[place]}))
             for place in planned}
    place = min(costs, key=costs.get)
    served = {m.workload_id for p in planned[place] for m in p.members}
    unserved = [w.name for w in part if w.workload_id not in served]
    problem = decision.Fact("no_plan", names=tuple(unserved), option="hybrid") if unserved else None
    return place, problem, planned[place]


def _organisation(o) -> Organisation:
    return Organisation(needs_inference_hire=o.production_inference in decision.NEEDS_HIRE,
                        existing_data_centre=o.existing_data_centre == "yes",
                        reserved_gpus=o.prefer_reserved_gpus == "yes", availability=o.availability_required)


def _answered_only(inputs: EngineInputs) -> EngineInputs:
    """An unanswered use case adds no cost: the use cases without a volume answer are left out (all kept when
    none has one, so a blank assessment still shows its costs)."""
    answered = [w for w in inputs.workloads if decision.volume_answered(inputs, w)]
    return inputs.model_copy(update={"workloads": answered}) if answered else inputs


def volume_discounts(inputs: EngineInputs, params: Mapping[str, float]) -> dict[str, float]:
    """Per workload: 1 for a measured volume, the discount of a projected one (teams overestimate)."""
    return {w.workload_id: (1 / params["projected_volume_overestimation_factor"]
                            if w.volume_basis == "projected" else 1.0) for w in inputs.workloads}


def _discounted(inputs: EngineInputs, factors: Mapping[str, float]) -> EngineInputs:
    """The volumes the plan, the costs and the draws rest on: each projected volume discounted, so the
    options table, the pools and the decision all speak of the same traffic (the stated one stays in the
    answers and in the projected-volume reason)."""
    def scaled(w: WorkloadInputs) -> WorkloadInputs:
        factor = factors[w.workload_id]
        if factor == 1.0:
            return w
        return w.model_copy(update={
            "requests_per_day": None if w.requests_per_day is None else w.requests_per_day * factor,
            "tokens_per_day_direct": None if w.tokens_per_day_direct is None else w.tokens_per_day_direct * factor})
    return inputs.model_copy(update={"workloads": [scaled(w) for w in inputs.workloads]})


def build_context(assessment: Assessment, catalogs: Catalogs, sizing_cache: SizingCache | None = None) -> Context:
    full = build_inputs(assessment)
    stated = _answered_only(full)
    pricing = catalogs.pricing
    params = _params(assessment, stated, pricing)
    factors = volume_discounts(stated, params)
    inputs = _discounted(stated, factors)
    o = inputs.organisation
    facts = tuple(decision.workload_facts(inputs, w, params) for w in inputs.workloads)
    requests = [capacity_request(w, catalogs, params, f.latency_critical, inputs.tokens_per_day)
                for w, f in zip(inputs.workloads, facts)]
    per_workload = [_candidates(w, r, catalogs, o.cloud_provider, sizing_cache, params["latency_margin_min_share"])
                    for w, r in zip(inputs.workloads, requests)]
    options = {place: {w.workload_id: c[place] for w, c in zip(inputs.workloads, per_workload)} for place in PLACES}
    workloads = tuple(_basis(inputs, w, catalogs, _standalone(c["on_prem"], catalogs))
                      for w, c in zip(inputs.workloads, per_workload))
    org = _organisation(o)
    infeasible = _infeasible(facts, workloads, o, params, options)
    signature = (tuple(requests), tuple((w.workload_id, quality_sensitive(w), w.fine_tuning_need, w.fine_tuning_method)
                                        for w in inputs.workloads),
                 tuple(sorted(params.items())), org, o.cloud_provider, tuple(sorted(catalogs.versions.items())))
    planner = Planner(options, params, org, catalogs, o.cloud_provider, signature, sizing_cache)
    pools = {f"self_host_{place}": planner.pools(list(workloads), place) for place in PLACES}
    route = decision.hybrid_route(facts)
    deployment, hybrid_problem, hybrid_pools = _hybrid_deployment(
        facts, route, workloads, o.horizon_months, o.on_prem_allowed != "no", planner, pools)
    pools["hybrid"] = hybrid_pools
    infeasible["hybrid"] = hybrid_problem
    for option, missed in _missed_targets(inputs, pools).items():
        infeasible[option] = infeasible.get(option) or missed
    return Context(inputs=inputs, workloads=workloads, facts=facts, org=org, moat=o.ai_role == "product",
                   params=params, pricing=pricing, hybrid_route=route, hybrid_deployment=deployment, pools=pools,
                   infeasible=infeasible, decision_factors=factors, horizon_months=o.horizon_months,
                   stated_tokens_per_day=stated.tokens_per_day,
                   quality_risks={k: (p.quality_risk, p.quality_note) for k, p in catalogs.hardware.precisions.items()},
                   planner=planner, missing=decision.missing_for_recommendation(full), wording=catalogs.wording)


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


def cash_flows(ctx: Context, params: Mapping[str, Number], factor: Number = 1.0,
               per_workload: Mapping[str, Number] | None = None,
               growth: Mapping[str, Number] | None = None) -> dict[str, np.ndarray]:
    """Each option's cash out per year (rows: year 0 = one-time, then each year; columns: scenarios).
    `growth`: per workload, a growth share per year in place of the answered one (the uncertainty draws)."""
    scaled = scaled_workloads(ctx, factor, per_workload)
    if growth is not None:
        scaled = [replace(w, growth_share_per_year=growth.get(w.workload_id, w.growth_share_per_year)) for w in scaled]
    workloads = grown(scaled, ctx.horizon_months)
    return {o: yearly_usd(o, workloads, params, ctx.org, ctx.horizon_months, **ctx.routing()) for o in OPTION_IDS}


def _squeezed(values: np.ndarray) -> Number:
    values = np.squeeze(values)
    return float(values) if values.ndim == 0 else values


def horizon_totals(ctx: Context, params: Mapping[str, Number], factor: Number = 1.0) -> dict[str, Number]:
    return {o: _squeezed(np.sum(f, axis=0)) for o, f in cash_flows(ctx, params, factor).items()}


def npv(flows: np.ndarray, params: Mapping[str, Number]) -> Number:
    """Net present value of a cash-out stream from `cash_flows` (a cost: lower is better)."""
    return _squeezed(np.sum(flows * discount_factors(params, len(flows)), axis=0))


def feasible(ctx: Context) -> dict[str, bool]:
    return {o: ctx.infeasible.get(o) is None for o in OPTION_IDS}


def cost_view(ctx: Context, params: Mapping[str, Number], factor: Number = 1.0,
              horizon: Mapping[str, Number] | None = None) -> decision.CostView:
    """The costs the rules look at; `horizon` may be passed in when the caller has it already."""
    return decision.CostView(monthly=monthly_totals(ctx, params, factor),
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
