"""Serving pools: the deployment a self-hosted option runs, shared by the use cases it can carry.

A pool is one model at one precision, on one engine and one GPU type, with replicas. Every use case whose
capability tier, latency targets and data constraints a pool meets may share it; the pool is sized for their
combined traffic, keeps one spare replica (N+1) and never drops below the production minimum. Fine-tuned use
cases ride on a shared base as LoRA adapters (at the adapters' throughput cost) unless a full fine-tune is
needed, which takes a pool of its own.

The plan is chosen once, on the base-case volumes, by a small local search that minimises the option's whole
monthly cost (pool operations and people included); ties go to fewer pools. The arithmetic that prices a pool
then works unchanged on numpy arrays of volumes and assumption values, so growth, break-even curves,
sensitivity and uncertainty move replicas up and down the staircase of a fixed deployment."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from app.domain.hardware import Gpu, HardwareCatalog, OpenModel
from app.domain.instances import Instance, InstanceCatalog, RESTRICTING_PROVIDERS, Term
from app.domain.sizing import CapacityPlan

Number = float | np.ndarray
Params = Mapping[str, Number]

SECONDS_PER_DAY = 86_400
SIXTEEN_BIT = frozenset({"bf16", "fp16"})
# Formats a GPU without FP8 tensor cores (Ampere and older) runs natively for quantised serving.
PRE_FP8_QUANTISED = frozenset({"int8", "int4"})
# The publisher's format, as a precision id of the hardware catalog.
PUBLISHED_AS = {"bf16": "bf16", "fp8": "fp8", "mxfp4": "fp4"}
# Engines that serve many LoRA adapters on one base model (vLLM --enable-lora, SGLang --lora-paths,
# TensorRT-LLM multi-LoRA); the untuned baseline loads one merged model per process.
MULTI_LORA_ENGINES = frozenset({"vllm", "sglang", "tensorrt-llm"})
# Moves the pool search tries per workload: its cheapest standalone configurations, plus those of the others.
CANDIDATES_PER_WORKLOAD = 8
MAX_SEARCH_PASSES = 20
COST_TIE_USD = 0.5  # two plans within fifty cents a month cost the same; the one with fewer pools wins


# ---- Precision as deployed --------------------------------------------------------------------------------


def allowed_precisions(model: OpenModel, gpu: Gpu, quality_sensitive: bool) -> frozenset[str]:
    """Formats a plan may serve `model` in on `gpu`: the publisher's own, or a quantised one the GPU runs
    natively (FP8 where it has FP8 tensor cores, INT8/INT4 on Ampere, FP4 on Blackwell). Never a 16-bit copy
    of an FP8 or FP4 release, and never FP8 on a GPU without FP8 units. Tasks whose quality quantisation puts at
    risk (long-form, reasoning, frontier) keep the publisher's format."""
    published = PUBLISHED_AS[model.published_precision]
    native_fp8 = gpu.fp8_dense_tflops is not None
    if published == "fp4":
        return frozenset({published})  # already the narrowest format: served as shipped
    if published == "fp8" and not native_fp8:
        return frozenset() if quality_sensitive else PRE_FP8_QUANTISED
    own = SIXTEEN_BIT if published == "bf16" else frozenset({published})
    if quality_sensitive:
        return own
    quantised = {"fp8"} if native_fp8 else set(PRE_FP8_QUANTISED)
    if gpu.fp4_dense_tflops is not None:
        quantised.add("fp4")
    return own | quantised


# ---- Pools --------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class PoolKey:
    """What makes two use cases able to share replicas: the same model, format, engine and GPU layout."""

    model_id: str
    gpu_id: str
    precision: str
    engine: str
    gpus_per_replica: int


def key_of(plan: CapacityPlan) -> PoolKey:
    return PoolKey(plan.model_id, plan.gpu_id, plan.precision, plan.engine, plan.gpus_per_replica)


@dataclass(frozen=True)
class Member:
    """One use case in a pool, with its own plan on the pool's configuration (its throughput per replica at
    its own request shape and latency targets)."""

    workload_id: str
    plan: CapacityPlan
    lora: bool = False


@dataclass(frozen=True)
class Pool:
    id: str
    key: PoolKey
    gpu: Gpu
    place: str  # "cloud" | "on_prem"
    members: tuple[Member, ...]
    instances: tuple[Instance, ...] = ()  # what may be rented for it (cloud); none: the market per-GPU rate

    @property
    def workload_ids(self) -> tuple[str, ...]:
        return tuple(m.workload_id for m in self.members)

    @property
    def redundancy_replicas(self) -> int:
        return max(m.plan.redundancy_replicas for m in self.members)


@dataclass(frozen=True)
class Candidates:
    """The configurations one use case can run on in one place, with its plan on each."""

    workload_id: str
    plans: Mapping[PoolKey, CapacityPlan]
    ranked: tuple[PoolKey, ...]  # cheapest standalone first
    dedicated: bool = False  # a full fine-tune: a pool of its own
    lora: bool = False


@dataclass(frozen=True)
class Load:
    """What the pool arithmetic reads of a workload (floats or arrays)."""

    tokens_per_day: Number
    output_share: float
    peak_to_average_ratio: float
    traffic_profile: str


def member_units(load: Load, member: Member, params: Params) -> tuple[Number, Number]:
    """Replica-equivalents this member keeps busy at its average and at its peak."""
    usable = member.plan.output_tokens_per_s_per_replica * params["gpu_peak_utilisation_target"]
    if member.lora:
        usable = usable * (1 - params["lora_throughput_overhead_share"])
    average = load.tokens_per_day * load.output_share / SECONDS_PER_DAY / usable
    return average, average * load.peak_to_average_ratio


def peak_units(pool: Pool, loads: Mapping[str, Load], params: Params) -> Number:
    """The pool's peak in replica-equivalents. Use cases with the same traffic profile peak together, so their
    peaks add (a split never changes a pool's peak); different profiles peak apart: the largest profile's peak,
    plus the others' averages and the coincidence share of their excess over it."""
    profiles: dict[str, list[Number]] = {}
    for m in pool.members:
        average, peak = member_units(loads[m.workload_id], m, params)
        summed = profiles.setdefault(loads[m.workload_id].traffic_profile, [0.0, 0.0])
        summed[0], summed[1] = summed[0] + average, summed[1] + peak
    averages = sum((a for a, _ in profiles.values()), 0.0)
    excess = [p - a for a, p in profiles.values()]
    if len(excess) == 1:
        return averages + excess[0]
    largest = np.maximum.reduce(excess)
    return averages + largest + params["peak_coincidence_share"] * (sum(excess, 0.0) - largest)


def average_units(pool: Pool, loads: Mapping[str, Load], params: Params) -> Number:
    return sum((member_units(loads[m.workload_id], m, params)[0] for m in pool.members), 0.0)


def replicas_needed(pool: Pool, loads: Mapping[str, Load], params: Params) -> Number:
    """Whole replicas for the combined peak, plus the spare (N+1), never below the production minimum."""
    needed = np.ceil(peak_units(pool, loads, params) - 1e-9)
    return np.maximum(params["min_production_replicas"], needed + pool.redundancy_replicas)


# ---- Renting ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rental:
    """The cheapest way to rent a pool's replicas: instances, their hours, the replicas they hold."""

    usd_per_month: Number
    instance_hours: Number
    replicas: Number  # whole nodes hold more replicas than needed: they are deployed, not wasted
    instance: Instance | None  # None: priced per GPU at the market rate


def instance_rental(instance: Instance, replicas: Number, gpus_per_replica: int, hours: Number, term: Term,
                    params: Params, year: Number = 0) -> Rental:
    """Whole nodes at the instance's rate, `year` years from now (its catalogued price decline applied)."""
    per_node = instance.gpus // gpus_per_replica
    nodes = np.ceil(replicas / per_node)
    rate = (instance.usd_per_hour(term) * params["gpu_price_factor"]
            * (1 - instance.price_decline_share_per_year) ** year)
    return Rental(nodes * hours * rate, nodes * hours, nodes * per_node, instance)


def market_rental(gpu: Gpu, replicas: Number, gpus_per_replica: int, hours: Number, reserved: bool,
                  params: Params) -> Rental:
    prices = gpu.reserved_usd_per_gpu_hour if reserved else gpu.on_demand_usd_per_gpu_hour
    gpu_hours = replicas * gpus_per_replica * hours
    return Rental(gpu_hours * prices.typical * params["gpu_price_factor"], gpu_hours, replicas, None)


def cheapest_rental(pool: Pool, replicas: Number, hours: Number, term: Term, reserved: bool,
                    params: Params, year: Number = 0) -> Rental:
    """Per scenario the cheapest instance; the one named is the cheapest at the first scenario."""
    gpr = pool.key.gpus_per_replica
    if not pool.instances:
        return market_rental(pool.gpu, replicas, gpr, hours, reserved, params)
    rentals = [instance_rental(i, replicas, gpr, hours, term, params, year) for i in pool.instances]
    if all(np.ndim(r.usd_per_month) == 0 for r in rentals):  # one scenario: the plan search's common case
        return min(rentals, key=lambda r: float(r.usd_per_month))
    shape = np.broadcast_shapes(*(np.shape(r.usd_per_month) for r in rentals), np.shape(replicas))
    costs = np.stack([np.broadcast_to(r.usd_per_month, shape) for r in rentals])
    best = np.argmin(costs, axis=0)
    first = int(np.ravel(best)[0])

    def pick(field: str) -> Number:
        values = np.stack([np.broadcast_to(getattr(r, field), shape) for r in rentals])
        chosen = np.take_along_axis(values, np.expand_dims(best, 0), 0)[0]
        return float(chosen) if np.ndim(chosen) == 0 else chosen

    return Rental(pick("usd_per_month"), pick("instance_hours"), pick("replicas"), rentals[first].instance)


def rentable(instances: InstanceCatalog, gpu_id: str, gpus_per_replica: int,
             cloud_provider: str) -> tuple[Instance, ...]:
    """Instances that can hold whole replicas of this layout, at the client's provider when it names one of
    the providers the catalog covers (any catalogued provider otherwise)."""
    providers = frozenset({cloud_provider}) if cloud_provider in RESTRICTING_PROVIDERS else None
    return tuple(i for i in instances.for_gpu(gpu_id, providers) if i.gpus >= gpus_per_replica
                 and i.gpus % gpus_per_replica == 0)


def market_allowed(instances: InstanceCatalog, gpu_id: str, cloud_provider: str) -> bool:
    """A GPU no catalogued provider rents may still be priced per GPU at the market rate, unless the client
    is tied to one provider (then only that provider's instances count)."""
    return cloud_provider not in RESTRICTING_PROVIDERS and not instances.for_gpu(gpu_id)


# ---- Candidates ---------------------------------------------------------------------------------------


def candidates(workload_id: str, plans: Sequence[CapacityPlan], hardware: HardwareCatalog, place: str,
               quality_sensitive: bool, instances: InstanceCatalog, cloud_provider: str, dedicated: bool,
               lora: bool, comfortable: Callable[[CapacityPlan], bool] = lambda plan: True) -> Candidates:
    """The fitting plans a use case may run in `place`: formats as deployed, rentable in the cloud; those that
    meet its latency targets when any do, and of those the `comfortable` ones (a margin over the targets) when
    any are."""
    usable = [p for p in plans if p.fits and p.output_tokens_per_s_per_replica > 0
              and p.precision in allowed_precisions(hardware.models[p.model_id], hardware.gpus[p.gpu_id],
                                                    quality_sensitive)
              and (place == "on_prem" or rentable(instances, p.gpu_id, p.gpus_per_replica, cloud_provider)
                   or market_allowed(instances, p.gpu_id, cloud_provider))]
    meeting = [p for p in usable if p.meets_latency_targets] or usable
    meeting = [p for p in meeting if p.meets_latency_targets and comfortable(p)] or meeting
    ranked = sorted(meeting, key=lambda p: (p.usd_per_million_tokens_on_demand, key_of(p)))
    by_key: dict[PoolKey, CapacityPlan] = {}
    for p in ranked:
        by_key.setdefault(key_of(p), p)
    return Candidates(workload_id, by_key, tuple(by_key), dedicated, lora and not dedicated)


# ---- Choosing the pools -------------------------------------------------------------------------------

Assignment = Mapping[str, tuple[PoolKey, str]]  # workload id -> (configuration, group: "" shared, else own id)


def build_pools(assignment: Assignment, options: Mapping[str, Candidates],
                hardware: HardwareCatalog, place: str, instances: InstanceCatalog,
                cloud_provider: str) -> tuple[Pool, ...]:
    groups: dict[tuple[PoolKey, str], list[Member]] = {}
    for workload_id, slot in assignment.items():
        c = options[workload_id]
        groups.setdefault(slot, []).append(Member(workload_id, c.plans[slot[0]], c.lora))
    pools = []
    for n, ((key, _), members) in enumerate(sorted(groups.items(), key=lambda kv: kv[0]), start=1):
        rent = rentable(instances, key.gpu_id, key.gpus_per_replica, cloud_provider) if place == "cloud" else ()
        pools.append(Pool(f"p{n}", key, hardware.gpus[key.gpu_id], place, tuple(members), rent))
    return tuple(pools)


def choose(options: Mapping[str, Candidates], cost: Callable[[Assignment], float]) -> Assignment:
    """The assignment of use cases to pool configurations with the lowest `cost` (ties: fewer pools). Starts
    from the better of 'each on its cheapest own pool' and 'all on the best shared one', then moves one use
    case, or every member of a pool that fits another configuration, or merges two pools, while that lowers the
    cost."""
    if not options:
        return {}

    def slot(workload_id: str, key: PoolKey) -> tuple[PoolKey, str]:
        return key, workload_id if options[workload_id].dedicated else ""

    def score(a: Assignment) -> tuple[float, int]:
        return round(cost(a) / COST_TIE_USD), len(set(a.values()))

    moves = sorted({k for c in options.values() for k in c.ranked[:CANDIDATES_PER_WORKLOAD]})
    starts = [{w: slot(w, c.ranked[0]) for w, c in options.items()}]
    for key in moves:
        if all(key in c.plans for c in options.values()):
            starts.append({w: slot(w, key) for w in options})
    best = min(starts, key=score)
    best_score = score(best)
    for _ in range(MAX_SEARCH_PASSES):
        improved = False
        for trial in _neighbours(best, options, moves, slot):
            trial_score = score(trial)
            if trial_score < best_score:
                best, best_score, improved = trial, trial_score, True
        if not improved:
            break
    return best


def _neighbours(current: Assignment, options: Mapping[str, Candidates], moves: Sequence[PoolKey],
                slot) -> list[Assignment]:
    trials = []
    for workload_id, c in options.items():
        for key in moves:
            if key in c.plans and current[workload_id][0] != key:
                trials.append({**current, workload_id: slot(workload_id, key)})
    groups: dict[tuple[PoolKey, str], list[str]] = {}
    for workload_id, s in current.items():
        groups.setdefault(s, []).append(workload_id)
    shared = [ids for s, ids in groups.items() if not s[1]]
    # Every member of one pool that can run on another configuration moved there together: a use case described
    # as several parts leaves a pool only if all parts go (one part alone keeps the pool's replicas and adds a
    # second pool).
    for ids in shared:
        for key in moves:
            movable = [w for w in ids if key in options[w].plans and current[w][0] != key]
            if len(movable) > 1:
                trials.append({**current, **{w: slot(w, key) for w in movable}})
    for i, first in enumerate(shared):
        for second in shared[i + 1:]:
            together = first + second
            for key in moves:
                if all(key in options[w].plans for w in together):
                    trials.append({**current, **{w: slot(w, key) for w in together}})
    return trials

