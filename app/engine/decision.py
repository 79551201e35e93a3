"""The recommendation: the seed's logic as explicit, testable rules.

1. Data sovereignty is a hard constraint: data that may not leave the client's infrastructure never goes to
   an API, in any phase; cost is irrelevant for that data.
2. A sub-50 ms need with users in one geography rules the API out for that workload.
3. Fine-tuning that is critical and whose gain was demonstrated routes the workload to self-hosting.
4. AI as the product (a moat): AI-native companies self-host.
5. Extreme volume: self-hosting wins on cost at the volume we trust (a projected volume is discounted first),
   by a margin.
6. Otherwise the API wins. Narrow, high-volume tasks may still go hybrid when that is cheaper.
Low readiness turns the route into phases with triggers the client can monitor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain.evaluation import Readiness, Reason, RoadmapPhase
from app.domain.figures import Figure, literal, worded
from app.domain.inputs import EngineInputs, WorkloadInputs

SELF_HOST_OPTIONS = ("self_host_cloud", "self_host_on_prem")
# Data classes that need a provider's compliance terms before they may go to an API; classified never may.
SENSITIVE_CLASSES = frozenset({"phi", "pii", "payment", "mnpi", "classified", "confidential"})
NEVER_TO_API = frozenset({"classified"})
# Well-defined tasks a small, possibly fine-tuned model does well (the seed's hybrid approach).
NARROW_TASKS = frozenset({"classification", "extraction", "summarisation"})
NEEDS_HIRE = (None, "none", "basic")


def question_id(inputs: EngineInputs, field: str, workload_id: str | None = None) -> str:
    """The question that fed an input (for `rests_on`); the input's own name when none did."""
    key = f"workload.{workload_id}.{field}" if workload_id else f"organisation.{field}"
    provenance = inputs.provenance.get(key)
    return provenance.question_id if provenance else field


@dataclass(frozen=True)
class WorkloadFacts:
    workload_id: str
    name: str
    sovereign: bool
    sovereignty_why: str
    cloud_allowed: bool
    latency_critical: bool
    fine_tuning_critical: bool
    narrow: bool
    volume_trusted: bool  # measured over the full measurement period
    rests_on: Mapping[str, tuple[str, ...]]


def _sovereignty(w: WorkloadInputs) -> str:
    sensitive = sorted(set(w.data_classes) & SENSITIVE_CLASSES)
    if w.residency == "premises":
        return f"{', '.join(sensitive) or 'its data'} must stay on the client's premises"
    if set(w.data_classes) & NEVER_TO_API:
        return "classified data may not go to an external provider"
    if sensitive and w.api_terms_acceptable == "no":
        return f"{', '.join(sensitive)} data and no API provider's compliance terms are acceptable"
    return ""


def workload_facts(inputs: EngineInputs, w: WorkloadInputs, params: Mapping[str, float]) -> WorkloadFacts:
    q = lambda field: question_id(inputs, field, w.workload_id)  # noqa: E731 - local shorthand
    why = _sovereignty(w)
    latency = (w.ttft_target_ms is not None and w.ttft_target_ms <= params["latency_local_threshold_ms"]
               and w.single_geography == "yes")
    narrow = w.capability_tier == "narrow" or (
        bool(w.task_types) and set(w.task_types) <= NARROW_TASKS and w.capability_tier != "frontier")
    trusted = w.volume_basis == "measured" and (w.volume_measured_days or 0) >= params["volume_measurement_days"]
    return WorkloadFacts(
        workload_id=w.workload_id, name=w.name, sovereign=bool(why), sovereignty_why=why,
        cloud_allowed=w.residency != "premises" and w.own_cloud_acceptable != "no",
        latency_critical=latency,
        fine_tuning_critical=w.fine_tuning_need == "critical" and w.fine_tuning_gain_demonstrated == "yes",
        narrow=narrow, volume_trusted=trusted,
        rests_on={
            "sovereignty": (q("data_classes"), q("residency"), q("api_terms_acceptable")),
            "latency": (q("ttft_target_ms"), q("single_geography"), "latency_local_threshold_ms"),
            "fine_tuning": (q("fine_tuning_need"), q("fine_tuning_gain_demonstrated"), q("prompt_engineering_tried")),
            "narrow": (q("task_types"), q("capability_tier")),
            "volume": (q("requests_per_day"), q("tokens_per_day_direct"), q("volume_basis"),
                       "projected_volume_overestimation_factor", "volume_measurement_days"),
        },
    )


def hybrid_route(facts: Sequence[WorkloadFacts]) -> dict[str, tuple[str, str]]:
    """workload id -> ('self' | 'api', why): sensitive, latency-bound, fine-tuned and narrow high-volume work
    to a self-hosted model; complex reasoning and exploration to a frontier API."""
    route = {}
    for f in facts:
        if f.sovereign:
            route[f.workload_id] = ("self", f"sovereign data: {f.sovereignty_why}")
        elif f.latency_critical:
            route[f.workload_id] = ("self", "needs sub-50 ms latency in one geography")
        elif f.fine_tuning_critical:
            route[f.workload_id] = ("self", "critical fine-tuning with a demonstrated gain")
        elif f.narrow:
            route[f.workload_id] = ("self", "well-defined task for a small, specialised model")
        else:
            route[f.workload_id] = ("api", "needs frontier-model capability")
    return route


def api_infeasible_reason(facts: Sequence[WorkloadFacts], params: Mapping[str, float]) -> str | None:
    sovereign = [f"{f.name} ({f.sovereignty_why})" for f in facts if f.sovereign]
    if sovereign:
        return "data may not go to an API: " + "; ".join(sovereign)
    latency = [f.name for f in facts if f.latency_critical]
    if latency:
        return (f"an API call across the internet cannot answer in under "
                f"{params['latency_local_threshold_ms']:.0f} ms: " + ", ".join(latency))
    return None


@dataclass(frozen=True)
class CostView:
    """What the rules need of the costs: monthly totals at the decision volume, horizon totals, feasibility."""

    monthly: Mapping[str, float]
    horizon: Mapping[str, float]
    feasible: Mapping[str, bool]
    hybrid_mixed: bool  # the hybrid really splits: some workloads on the API, some self-hosted


def _best_self(costs: CostView) -> str | None:
    feasible = [o for o in SELF_HOST_OPTIONS if costs.feasible[o]]
    return min(feasible, key=lambda o: costs.horizon[o]) if feasible else None


def _cheaper(costs: CostView, option: str, than: str, params: Mapping[str, float]) -> bool:
    return costs.monthly[option] <= costs.monthly[than] * (1 - params["self_host_required_saving_share"])


def decide(facts: Sequence[WorkloadFacts], moat: bool, costs: CostView, params: Mapping[str, float]) -> str:
    """The end state, as an option id."""
    best_self = _best_self(costs)
    needs_self = [f for f in facts if f.sovereign or f.latency_critical or f.fine_tuning_critical]
    volume_case = best_self is not None and costs.feasible["api"] and _cheaper(costs, best_self, "api", params)
    if best_self and (moat or volume_case or (facts and len(needs_self) == len(facts))):
        return best_self
    if needs_self:
        if costs.hybrid_mixed and costs.feasible["hybrid"] and (
                best_self is None or costs.horizon["hybrid"] <= costs.horizon[best_self]):
            return "hybrid"
        return best_self or "self_host_on_prem"
    if costs.hybrid_mixed and costs.feasible["hybrid"] and _cheaper(costs, "hybrid", "api", params):
        return "hybrid"
    return "api"


# ---- Confidence -----------------------------------------------------------------------------------------

KEY_ORGANISATION_INPUTS = ("production_inference", "ml_engineering", "ai_role", "on_prem_allowed")
KEY_WORKLOAD_INPUTS = ("data_classes", "api_terms_acceptable", "ttft_target_ms", "requests_per_day",
                       "tokens_per_day_direct")


def unknown_key_inputs(inputs: EngineInputs) -> int:
    organisation = sum(1 for f in KEY_ORGANISATION_INPUTS
                       if f"organisation.{f}" not in inputs.provenance
                       or inputs.provenance[f"organisation.{f}"].defaulted)
    volume_unknown = sum(1 for w in inputs.workloads if w.requests_per_day is None and w.tokens_per_day_direct is None)
    terms_unknown = sum(1 for w in inputs.workloads
                        if set(w.data_classes) & SENSITIVE_CLASSES and w.api_terms_acceptable == "unknown"
                        and w.residency != "premises")
    return organisation + volume_unknown + terms_unknown


def confidence(option: str, facts: Sequence[WorkloadFacts], moat: bool, costs: CostView, unknowns: int,
               volume_driven: bool, params: Mapping[str, float]) -> float:
    hard = option != "api" and any(f.sovereign or f.latency_critical for f in facts)
    if hard:
        value = params["confidence_hard_constraint"]
    else:
        # A hybrid that routes everything one way is the same deployment as another option: no runner-up.
        others = [costs.monthly[o] for o in costs.monthly
                  if o != option and costs.feasible[o] and (o != "hybrid" or costs.hybrid_mixed)]
        runner_up = min(others) if others else costs.monthly[option]
        gap = abs(runner_up - costs.monthly[option]) / max(costs.monthly[option], runner_up, 1.0)
        value = params["confidence_base"] + params["confidence_cost_gap_weight"] * min(1.0, gap)
        if option != "api" and (moat or any(f.fine_tuning_critical for f in facts)):
            value += params["confidence_strategic_bonus"]
    value -= params["confidence_unknown_penalty"] * unknowns
    if volume_driven and not all(f.volume_trusted for f in facts):
        value -= params["confidence_projected_penalty"]
    return float(min(params["confidence_max"], max(params["confidence_min"], value)))


# ---- Reasons ----------------------------------------------------------------------------------------------


def _names(facts: Sequence[WorkloadFacts]) -> str:
    return ", ".join(f.name for f in facts)


def _ids(facts: Sequence[WorkloadFacts], rule: str, *extra: str) -> tuple[str, ...]:
    ids = [i for f in facts for i in f.rests_on[rule]] + list(extra)
    return tuple(dict.fromkeys(ids))


def constraint_reasons(facts: Sequence[WorkloadFacts], moat: bool, params: Mapping[str, float]) -> list[Reason]:
    reasons = []
    sovereign = [f for f in facts if f.sovereign]
    if sovereign:
        detail = "; ".join(f"{f.name}: {f.sovereignty_why}" for f in sovereign)
        reasons.append(Reason(
            text=f"Data sovereignty: {detail}. An API is not an option for this data in any phase, so cost is "
                 "irrelevant for it: treat its self-hosted infrastructure as a compliance cost.",
            rests_on=_ids(sovereign, "sovereignty"), strength=1.0))
    latency = [f for f in facts if f.latency_critical]
    if latency:
        reasons.append(Reason(
            text=f"Latency: {_names(latency)} needs a first token in under "
                 f"{params['latency_local_threshold_ms']:.0f} ms with users in one geography; a local GPU delivers "
                 "that, a cross-internet API call cannot. A small self-hosted model keeps it fast and cheap.",
            rests_on=_ids(latency, "latency"), strength=0.95))
    tuned = [f for f in facts if f.fine_tuning_critical]
    if tuned:
        reasons.append(Reason(
            text=f"Fine-tuning: {_names(tuned)} needs a fine-tuned model and the gain was demonstrated; "
                 "self-hosting allows fine-tuning, LoRA adapters and RLHF on proprietary data.",
            rests_on=_ids(tuned, "fine_tuning"), strength=0.85))
    if moat:
        reasons.append(Reason(
            text="AI is the product: owning the inference stack controls cost structure, model selection and "
                 "iteration speed that no vendor dependency can match.",
            rests_on=("ai_role", "competitive_moat"), strength=0.8))
    return reasons


def _tokens(value: float) -> Figure:
    return Figure(kind="tokens_per_day", value=value)


def _usd_per_month(value: float) -> Figure:
    return Figure(kind="usd_per_month", value=value)


@dataclass(frozen=True)
class VolumeView:
    """Volume facts for the reasons and the roadmap."""

    stated_tokens_per_day: float
    decision_tokens_per_day: float  # projected volume discounted
    projected: tuple[str, ...]  # names of workloads whose volume is projected
    break_even_tokens_per_day: float | None  # of the cheapest self-hosted option
    rests_on: tuple[str, ...]
    article_crossover_tokens_per_day: float  # the seed's rule of thumb, quoted beside ours


def cost_reasons(option: str, costs: CostView, volume: VolumeView, params: Mapping[str, float]) -> list[Reason]:
    best_self = _best_self(costs)
    reasons = []
    if best_self and costs.feasible["api"]:
        be = volume.break_even_tokens_per_day
        where = ("self-hosting pays off above {break_even}" if be is not None
                 else "self-hosting never catches up with the API at any volume")
        verdict = ("self-hosting is cheaper" if _cheaper(costs, best_self, "api", params)
                   else "the API is cheaper")
        reasons.append(Reason(
            **worded("text", f"Volume: at {{volume}} {verdict}: {{self_hosted}} self-hosted (GPUs, a share of a senior "
                             f"ML engineer, on-call, tooling, evaluation, security) against {{api}} on the API; {where} "
                             "(the seed's rule of thumb: about {crossover}).",
                     volume=_tokens(volume.decision_tokens_per_day), self_hosted=_usd_per_month(costs.monthly[best_self]),
                     api=_usd_per_month(costs.monthly["api"]), crossover=_tokens(volume.article_crossover_tokens_per_day),
                     **({"break_even": _tokens(be)} if be is not None else {})),
            rests_on=(*volume.rests_on, "article:crossover_tokens_per_day", "self_host_required_saving_share"),
            strength=0.75 if option in SELF_HOST_OPTIONS else 0.7))
    if volume.projected:
        reasons.append(Reason(
            **worded("text", f"Projected, not measured: {literal(', '.join(volume.projected))}. Teams overestimate "
                             "5-10x, so the decision uses {decision} instead of {stated}; measure actual usage for "
                             f"{params['volume_measurement_days']:.0f} days before relying on volume.",
                     decision=_tokens(volume.decision_tokens_per_day), stated=_tokens(volume.stated_tokens_per_day)),
            rests_on=("volume_basis", "projected_volume_overestimation_factor", "volume_measurement_days"),
            strength=0.55))
    if option == "api":
        reasons.append(Reason(
            text="APIs win otherwise: no GPUs, drivers or CUDA to run, frontier models on release day, elastic "
                 "scaling for spikes, compliance certifications carried by the vendor, and value in hours, not weeks.",
            rests_on=("ai_role",), strength=0.6))
    if option == "hybrid":
        reasons.append(Reason(
            text="Hybrid: sensitive, latency-bound and well-defined high-volume work goes to a self-hosted model; "
                 "complex reasoning and exploration stay on a frontier API. Each part carries its own fixed costs.",
            rests_on=("task_types", "capability_tier"), strength=0.7))
    return reasons


# ---- Roadmap ----------------------------------------------------------------------------------------------


def production_readiness(readiness: Readiness) -> float | None:
    return readiness.dimensions.get("production_inference")


def _readiness_gap(readiness: Readiness, needs_hire: bool, params: Mapping[str, float]) -> str | None:
    score = production_readiness(readiness)
    if score is not None and score >= params["readiness_self_host_min"] and not needs_hire:
        return None
    now = "unknown" if score is None else f"{score:.0f}/100"
    hire = (f"; hire or contract an engineer with production inference experience "
            f"({params['recruiting_months']:.1f} months of recruiting is typical)" if needs_hire else "")
    return (f"production inference readiness reaches {params['readiness_self_host_min']:.0f}/100 "
            f"(now {now}){hire}")


def readiness_reason(readiness: Readiness, needs_hire: bool, option: str,
                     params: Mapping[str, float]) -> Reason | None:
    gap = _readiness_gap(readiness, needs_hire, params)
    if gap is None or option == "api":
        return None
    return Reason(text=f"Readiness: the route is phased until {gap}.",
                  rests_on=("production_inference", "mlops_gpu_oncall", "readiness_self_host_min",
                            "recruiting_months"), strength=0.5)


QUARTERLY = "Revisit quarterly: prices, models and volumes move."


def roadmap(option: str, facts: Sequence[WorkloadFacts], readiness: Readiness, needs_hire: bool,
            volume: VolumeView, best_self: str | None, volume_driven: bool,
            params: Mapping[str, float]) -> tuple[RoadmapPhase, ...]:
    """Phases toward the end state. No phase routes sovereign data to an API: with such data the first phase
    is a minimal self-hosted deployment (alone, or beside the API for the rest)."""
    phases: list[tuple[str, str, str, dict[str, Figure]]] = []  # option, trigger's wording, title, its figures
    gap = _readiness_gap(readiness, needs_hire, params)
    sovereign = any(f.sovereign for f in facts)
    bound_to_self = any(f.sovereign or f.latency_critical for f in facts)
    days = f"{params['volume_measurement_days']:.0f} days"
    if option == "api":
        phases.append(("api", "Now", "Use the API; track monthly token volume and spend", {}))
        if best_self and volume.break_even_tokens_per_day is not None:
            phases.append((best_self, f"If measured volume stays above {{break_even}} for {days} (now {{stated}})",
                           "Re-evaluate self-hosting", {"break_even": _tokens(volume.break_even_tokens_per_day),
                                                        "stated": _tokens(volume.stated_tokens_per_day)}))
    else:
        if gap is not None or (volume_driven and volume.projected):
            if bound_to_self:
                first = "hybrid" if option == "hybrid" or (sovereign and not all(f.sovereign for f in facts)) else option
                phases.append((first, "Now", "Minimal managed self-hosted deployment for the data or latency that "
                                             "requires it, with outside help; the API only for the rest", {}))
            else:
                phases.append(("api", "Now", "Start on the API while the team closes the gap"
                               + (" and measures real volume" if volume.projected else ""), {}))
            figures = {} if gap else {"break_even": _tokens(volume.break_even_tokens_per_day or 0)}
            trigger = gap or f"measured volume stays above {{break_even}} for {days}"
            phases.append((option, f"When {trigger}", "Move to the recommended end state", figures))
        else:
            phases.append((option, "Now", "Build the recommended deployment", {}))
    last_option, last_trigger, last_title, last_figures = phases[-1]
    phases[-1] = (last_option, f"{last_trigger}. {QUARTERLY}", last_title, last_figures)
    return tuple(RoadmapPhase(phase=i + 1, option=o, title=title, **worded("trigger", t, **figures))
                 for i, (o, t, title, figures) in enumerate(phases))


def recommendation_id(option: str) -> str:
    """'self_host_cloud' -> 'self-host-cloud' (the inverse of option_for_recommendation)."""
    return option.replace("_", "-")
