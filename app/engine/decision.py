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
from dataclasses import dataclass, field

import numpy as np

from app.domain.evaluation import Readiness
from app.domain.inputs import EngineInputs, WorkloadInputs

SELF_HOST_OPTIONS = ("self_host_cloud", "self_host_on_prem")
# Data classes that need a provider's compliance terms before they may go to an API; classified never may.
SENSITIVE_CLASSES = frozenset({"phi", "pii", "payment", "mnpi", "classified", "confidential"})
NEVER_TO_API = frozenset({"classified"})
# How a sentence names a data class ("PHI, PII must stay on the client's premises"), never by its raw value.
DATA_CLASS_NAMES = {"phi": "PHI", "pii": "PII", "payment": "payment card", "mnpi": "MNPI", "classified": "classified",
                    "confidential": "confidential"}
# Well-defined tasks a small, possibly fine-tuned model does well (the seed's hybrid approach).
NARROW_TASKS = frozenset({"classification", "extraction", "summarisation"})
NEEDS_HIRE = (None, "none", "basic")
MS_PER_S = 1000.0


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
    sensitive = [DATA_CLASS_NAMES[c] for c in sorted(set(w.data_classes) & SENSITIVE_CLASSES)]
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
    """workload id -> ('self' | 'api', route code): sensitive, latency-bound, fine-tuned and narrow high-volume
    work to a self-hosted model; the rest to a frontier API (the templates word the code)."""
    route = {}
    for f in facts:
        if f.sovereign:
            route[f.workload_id] = ("self", "sovereignty")
        elif f.latency_critical:
            route[f.workload_id] = ("self", "latency")
        elif f.fine_tuning_critical:
            route[f.workload_id] = ("self", "fine_tuning")
        elif f.narrow:
            route[f.workload_id] = ("self", "narrow")
        else:
            route[f.workload_id] = ("api", "general")
    return route


def api_constraint(facts: Sequence[WorkloadFacts]) -> str | None:
    """The rule that takes the API off the table, as a reason code: sovereign data, a latency no API call can
    meet, or a demonstrated fine-tuning need."""
    for code, hit in (("sovereignty", lambda f: f.sovereign), ("latency", lambda f: f.latency_critical),
                      ("fine_tuning", lambda f: f.fine_tuning_critical)):
        if any(hit(f) for f in facts):
            return code
    return None


@dataclass(frozen=True)
class CostView:
    """What the point rule needs of the costs: monthly totals at the decision volume, horizon totals,
    feasibility (an option not offered counts as infeasible)."""

    monthly: Mapping[str, float]
    horizon: Mapping[str, float]
    feasible: Mapping[str, bool]
    hybrid_mixed: bool  # the hybrid really splits: some workloads on the API, some self-hosted


def _best_self(costs: CostView) -> str | None:
    feasible = [o for o in SELF_HOST_OPTIONS if costs.feasible[o]]
    return min(feasible, key=lambda o: costs.horizon[o]) if feasible else None


# How much work an option takes off the API: moving further needs the required saving against the nearer one.
OFF_API_LEVEL = {"api": 0, "hybrid": 1, "self_host_cloud": 2, "self_host_on_prem": 2}


def required_saving(moat: bool, params: Mapping[str, float]) -> float:
    """The median saving an option must show to take work off the API; AI as the product lowers it."""
    waived = params["ai_product_saving_share_reduction"] if moat else 0.0
    return max(0.0, params["self_host_required_saving_share"] - waived)


def candidates(feasible: Mapping[str, bool], hybrid_offered: bool) -> list[str]:
    return [o for o in ("api", "self_host_cloud", "self_host_on_prem", "hybrid")
            if feasible.get(o) and (o != "hybrid" or hybrid_offered)]


def probability_best(npvs: Mapping[str, np.ndarray], options: Sequence[str]) -> dict[str, float]:
    """option -> share of draws in which it has the lowest horizon NPV among `options`."""
    if not options:
        return {}
    winners = np.argmin(np.vstack([np.asarray(npvs[o], dtype=float) for o in options]), axis=0)
    return {o: float(np.mean(winners == i)) for i, o in enumerate(options)}


def median_saving(npvs: Mapping[str, np.ndarray], option: str, than: str) -> float:
    """Median over the draws of what `option` saves against `than`, as a share of `than`'s NPV."""
    reference = np.asarray(npvs[than], dtype=float)
    return float(np.median((reference - np.asarray(npvs[option], dtype=float)) / np.maximum(np.abs(reference), 1.0)))


def rule_winners(npvs: Mapping[str, np.ndarray], options: Sequence[str], required: float) -> np.ndarray:
    """Per draw, the index in `options` of the option the rule picks: the lowest NPV, except that an option
    taking more work off the API must save at least `required` against the lowest of the options nearer the
    API, or that one wins the draw."""
    values = np.vstack([np.broadcast_to(np.asarray(npvs[o], dtype=float), np.shape(npvs[options[0]]))
                        for o in options])
    levels = np.array([OFF_API_LEVEL[o] for o in options])
    winner = np.argmin(values, axis=0)
    columns = np.arange(values.shape[1])
    for _ in range(max(levels) + 1):
        nearer = levels[None, :] < levels[winner][:, None]  # draw x option: nearer the API than the winner
        masked = np.where(nearer.T, values, np.inf)
        fallback = np.argmin(masked, axis=0)
        has = np.isfinite(masked[fallback, columns])
        reference = values[fallback, columns]
        saving = (reference - values[winner, columns]) / np.maximum(np.abs(reference), 1.0)
        winner = np.where(has & (saving < required), fallback, winner)
    return winner


def rule_shares(npvs: Mapping[str, np.ndarray], options: Sequence[str], required: float) -> dict[str, float]:
    """option -> share of draws in which the rule picks it."""
    if not options:
        return {}
    winners = rule_winners(npvs, options, required)
    return {o: float(np.mean(winners == i)) for i, o in enumerate(options)}


def choose(npvs: Mapping[str, np.ndarray], options: Sequence[str], required: float) -> str | None:
    """The option the rule picks in most draws; one that takes more work off the API than a feasible
    alternative must also show a median saving of at least `required` against the best of those."""
    if not options:
        return None
    shares = rule_shares(npvs, options, required)
    choice = max(options, key=lambda o: (shares[o], -OFF_API_LEVEL[o]))
    nearer = [o for o in options if OFF_API_LEVEL[o] < OFF_API_LEVEL[choice]]
    while nearer:
        fallback = max(nearer, key=lambda o: (shares[o], -OFF_API_LEVEL[o], -float(np.median(npvs[o]))))
        if median_saving(npvs, choice, fallback) >= required:
            break
        choice = fallback
        nearer = [o for o in options if OFF_API_LEVEL[o] < OFF_API_LEVEL[choice]]
    return choice


def decide(facts: Sequence[WorkloadFacts], moat: bool, costs: CostView, params: Mapping[str, float],
           hybrid_offered: bool | None = None) -> str | None:
    """The point rule (the base case as a single draw): the same choice `choose` makes, on horizon totals.
    Tipping points and sweeps use it; the recommendation itself is taken on the draws."""
    offered = costs.hybrid_mixed if hybrid_offered is None else hybrid_offered
    options = candidates(costs.feasible, offered)
    return choose({o: np.array([costs.horizon[o]]) for o in options}, options, required_saving(moat, params))


# ---- Margins to targets -------------------------------------------------------------------------------


def target_tpot_ms(w: WorkloadInputs) -> float | None:
    """The per-output-token time a per-user speed target allows."""
    return MS_PER_S / w.tokens_per_s_per_user_target if w.tokens_per_s_per_user_target else None


def margins(w: WorkloadInputs, ttft_ms: float | None, tpot_ms: float | None) -> dict[str, float | None]:
    """How far a plan beats each target, as a share of the target (negative: it misses)."""
    tpot_target = target_tpot_ms(w)
    return {
        "ttft_share": (w.ttft_target_ms - ttft_ms) / w.ttft_target_ms
        if w.ttft_target_ms and ttft_ms is not None else None,
        "tpot_share": (tpot_target - tpot_ms) / tpot_target if tpot_target and tpot_ms is not None else None,
    }


def misses(margin: Mapping[str, float | None]) -> bool:
    return any(v is not None and v < 0 for v in margin.values())


# ---- Enough answers -------------------------------------------------------------------------------------

VOLUME_FIELDS = ("requests_per_day", "tokens_per_day_direct")


def _answered(inputs: EngineInputs, key: str) -> bool:
    provenance = inputs.provenance.get(key)
    return provenance is not None and not provenance.defaulted


def volume_answered(inputs: EngineInputs, w: WorkloadInputs) -> bool:
    return any(_answered(inputs, f"workload.{w.workload_id}.{f}") for f in VOLUME_FIELDS)


def missing_for_recommendation(inputs: EngineInputs) -> tuple[str, ...]:
    """Question ids without which there is no recommendation: each use case's volume and data classes
    ("workloads" when there is no use case at all)."""
    if not inputs.workloads:
        return ("workloads",)
    missing = []
    for w in inputs.workloads:
        if not volume_answered(inputs, w):
            missing.append(question_id(inputs, "requests_per_day", w.workload_id))
        if not _answered(inputs, f"workload.{w.workload_id}.data_classes"):
            missing.append(question_id(inputs, "data_classes", w.workload_id))
    return tuple(dict.fromkeys(missing))


# ---- Roadmap ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One thing the engine found, for the templates to word: a code from the vocabulary in docs/decision.md,
    its figures (numbers, also in the JSON), the names it speaks of, and the ids it rests on."""

    code: str
    figures: Mapping[str, float] = field(default_factory=dict)
    names: tuple[str, ...] = ()
    rests_on: tuple[str, ...] = ()
    strength: float = 0.5
    option: str = ""  # the option a roadmap phase moves to, or an infeasible option


def _ids(facts: Sequence[WorkloadFacts], rule: str, *extra: str) -> tuple[str, ...]:
    ids = [i for f in facts for i in f.rests_on[rule]] + list(extra)
    return tuple(dict.fromkeys(ids))


def constraint_facts(facts: Sequence[WorkloadFacts], moat: bool, params: Mapping[str, float]) -> list[Fact]:
    found = []
    sovereign = [f for f in facts if f.sovereign]
    if sovereign:
        found.append(Fact("sovereignty", names=tuple(f"{f.name}: {f.sovereignty_why}" for f in sovereign),
                          rests_on=_ids(sovereign, "sovereignty"), strength=1.0))
    latency = [f for f in facts if f.latency_critical]
    if latency:
        found.append(Fact("latency", {"latency_local_threshold_ms": params["latency_local_threshold_ms"]},
                          tuple(f.name for f in latency), _ids(latency, "latency"), 0.95))
    tuned = [f for f in facts if f.fine_tuning_critical]
    if tuned:
        found.append(Fact("fine_tuning", names=tuple(f.name for f in tuned), rests_on=_ids(tuned, "fine_tuning"),
                          strength=0.85))
    if moat:
        found.append(Fact("ai_is_product", {"ai_product_saving_share_reduction":
                                            params["ai_product_saving_share_reduction"],
                                            "required_saving_share": required_saving(True, params)},
                          rests_on=("ai_role", "ai_product_saving_share_reduction"), strength=0.7))
    return found


@dataclass(frozen=True)
class VolumeView:
    """Volume facts for the reasons and the roadmap."""

    stated_tokens_per_day: float
    decision_tokens_per_day: float  # projected volume discounted
    projected: tuple[str, ...]  # names of workloads whose volume is projected
    break_even_tokens_per_day: float | None  # of the cheapest self-hosted option, at the decision volume
    rests_on: tuple[str, ...]


def cost_facts(option: str, api_option_npv: float | None, option_npv: float, probability: float,
               saving_share: float | None, volume: VolumeView, moat: bool,
               params: Mapping[str, float]) -> list[Fact]:
    """Why the cost points where it does, with the same figures as the options table and the uncertainty run."""
    found = []
    required = required_saving(moat, params)
    base = {"probability_lowest": probability, "required_saving_share": required, "npv_usd": option_npv}
    if api_option_npv is not None and option != "api":
        found.append(Fact("cost_self_host_cheaper", {**base, "api_npv_usd": api_option_npv,
                                                      "median_saving_share": saving_share or 0.0},
                          option=option, rests_on=("self_host_required_saving_share",), strength=0.75))
    elif option == "api":
        found.append(Fact("cost_api_cheaper", {**base, "median_saving_share": saving_share or 0.0},
                          option=option, rests_on=("self_host_required_saving_share",), strength=0.7))
    if volume.break_even_tokens_per_day is not None and api_option_npv is not None:
        found.append(Fact("break_even", {"break_even_tokens_per_day": volume.break_even_tokens_per_day,
                                         "decision_tokens_per_day": volume.decision_tokens_per_day},
                          rests_on=volume.rests_on, strength=0.6))
    if volume.projected:
        found.append(Fact("projected_volume", {
            "stated_tokens_per_day": volume.stated_tokens_per_day,
            "decision_tokens_per_day": volume.decision_tokens_per_day,
            "projected_volume_overestimation_factor": params["projected_volume_overestimation_factor"],
            "volume_measurement_days": params["volume_measurement_days"]}, volume.projected,
            ("volume_basis", "projected_volume_overestimation_factor", "volume_measurement_days"), 0.55))
    return found


def close_call(confidence: float, params: Mapping[str, float]) -> bool:
    return confidence < params["close_call_confidence"]


def unknown_terms(inputs: EngineInputs, routes: Mapping[str, str]) -> list[WorkloadInputs]:
    """Sensitive data routed to an API whose compliance terms nobody has confirmed."""
    return [w for w in inputs.workloads if routes.get(w.workload_id) == "api"
            and set(w.data_classes) & SENSITIVE_CLASSES and w.api_terms_acceptable == "unknown"]


# ---- Readiness and the roadmap ---------------------------------------------------------------------------


def production_readiness(readiness: Readiness) -> float | None:
    return readiness.dimensions.get("production_inference")


def readiness_fact(readiness: Readiness, needs_hire: bool, params: Mapping[str, float]) -> Fact | None:
    """Low production-inference readiness: a reason under every option (the API too needs someone to run it)."""
    score = production_readiness(readiness)
    if score is not None and score >= params["readiness_self_host_min"] and not needs_hire:
        return None
    figures = {"readiness_self_host_min": params["readiness_self_host_min"]}
    if score is not None:
        figures["production_inference"] = score
    if needs_hire:
        figures["recruiting_months"] = params["recruiting_months"]
    return Fact("readiness", figures, rests_on=("production_inference", "mlops_gpu_oncall",
                                                "readiness_self_host_min", "recruiting_months"), strength=0.5)


def roadmap(option: str, facts: Sequence[WorkloadFacts], readiness: Fact | None, volume: VolumeView,
            best_self: str | None, close: Fact | None, terms: Sequence[str],
            params: Mapping[str, float]) -> list[Fact]:
    """Phases toward the end state, as facts (`option` is where each phase runs). No phase routes sovereign
    data to an API: with such data the first phase is a minimal self-hosted deployment."""
    phases: list[Fact] = []
    days = {"volume_measurement_days": params["volume_measurement_days"]}
    if close is not None:
        phases.append(Fact("measure_first", {**close.figures, **days}, option=option if api_constraint(facts)
                           else "api"))
    if terms:
        phases.append(Fact("unknown_terms", names=tuple(terms), option="api"))
    bound_to_self = api_constraint(facts) is not None
    if option == "api":
        phases.append(Fact("api_now", option="api"))
        if best_self and volume.break_even_tokens_per_day is not None:
            phases.append(Fact("break_even", {"break_even_tokens_per_day": volume.break_even_tokens_per_day,
                                              "stated_tokens_per_day": volume.stated_tokens_per_day, **days},
                               option=best_self))
    elif readiness is not None or volume.projected:
        if bound_to_self:
            phases.append(Fact("minimal_self_host", option="hybrid" if option == "hybrid" or not all(
                f.sovereign for f in facts) and any(f.sovereign for f in facts) else option))
        else:
            phases.append(Fact("api_while_closing_gap", {"measuring": float(bool(volume.projected))}, option="api"))
        trigger = readiness.figures if readiness is not None else {
            "break_even_tokens_per_day": volume.break_even_tokens_per_day or 0.0, **days}
        phases.append(Fact("readiness" if readiness is not None else "projected_volume", trigger, option=option))
    else:
        phases.append(Fact("build_now", {"after_measuring": float(close is not None)}, option=option))
    return phases


def recommendation_id(option: str) -> str:
    """'self_host_cloud' -> 'self-host-cloud' (the inverse of option_for_recommendation)."""
    return option.replace("_", "-")
