"""Monthly and one-time costs of each deployment option, line by line: the whole iceberg, not only the GPU.

Every figure comes from a named assumption (`params`, catalogs/assumptions.yaml after the assessment's
overrides) or a catalog entry (API prices, GPU prices, power). The arithmetic works on floats and, unchanged,
on numpy arrays: the break-even search, the sensitivity sweeps and the uncertainty draws pass arrays of
volumes or assumption values through the same functions the line items come from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, Union

import numpy as np

from app.domain.hardware import Gpu
from app.domain.pricing import ApiModel, PricingCatalog
from app.domain.sizing import CapacityPlan
from app.engine.pools import Load, Member, Pool, average_units, cheapest_rental, key_of, replicas_needed

Number = Union[float, np.ndarray]
Params = Mapping[str, Number]
Deployment = Literal["cloud", "on_prem"]
# The hybrid's self-hosted part may also be "mixed": sovereign workloads on owned hardware, the rest rented.

# Unit conversions, not assumptions.
HOURS_PER_DAY = 24
SECONDS_PER_DAY = 86_400
TOKENS_PER_MILLION = 1_000_000
MONTHS_PER_YEAR = 12
WEEKS_PER_YEAR = 52
WATTS_PER_KW = 1000


def resolve_params(pricing: PricingCatalog, overrides: Mapping[str, float]) -> dict[str, float]:
    """Assumption defaults with the assessment's overrides applied (unknown ids are ignored by design:
    an override for an assumption a newer catalog dropped must not break an old file)."""
    params = pricing.defaults()
    params.update({key: value for key, value in overrides.items() if key in params})
    return params


@dataclass(frozen=True)
class Serving:
    """A workload's capacity plan and the catalog entry of its GPU (prices, power)."""

    plan: CapacityPlan
    gpu: Gpu


@dataclass(frozen=True)
class WorkloadBasis:
    """What the cost engine needs to know about one workload. `tokens_per_day` may be an array."""

    workload_id: str
    name: str
    tokens_per_day: Number
    input_share: float
    cached_input_share: float
    batch_eligible_share: float
    peak_to_average_ratio: float
    growth_share_per_year: float
    fine_tuning_runs_per_year: float
    api_model_id: str
    api_model: ApiModel
    serving: Serving | None  # its cheapest plan on its own (feasibility, fine-tuning price)
    rests_on: tuple[str, ...] = ()
    traffic_profile: str = "interactive"  # use cases with the same profile peak together

    def scaled(self, factor: Number) -> WorkloadBasis:
        if np.ndim(factor) == 0 and factor == 1:  # the common case; replace() is slow enough to matter live
            return self
        return replace(self, tokens_per_day=self.tokens_per_day * factor)


@dataclass(frozen=True)
class Organisation:
    """Organisation facts that change which costs apply."""

    needs_inference_hire: bool
    existing_data_centre: bool
    reserved_gpus: bool
    availability: str = "business_hours"  # or "24x7": who answers a GPU page at night


@dataclass(frozen=True)
class Item:
    """One line: monthly = quantity x rate (a fixed fee is one 'month' at its monthly rate)."""

    id: str
    label: str
    monthly: Number
    one_time: Number = 0.0
    rests_on: tuple[str, ...] = ()
    note: Note | None = None
    quantity: Number | None = None
    unit: str = "month"
    rate: Number | None = None

    @property
    def quantity_rate(self) -> tuple[Number, Number]:
        if self.quantity is None:
            return 1.0, self.monthly
        return self.quantity, self.rate


def total_monthly(items: Sequence[Item]) -> Number:
    return sum((item.monthly for item in items), 0.0)


def total_one_time(items: Sequence[Item]) -> Number:
    return sum((item.one_time for item in items), 0.0)


@dataclass(frozen=True)
class Note:
    """A line item's note as a fact: a code (templates/decision/line_note.j2), its figures and names."""

    code: str
    figures: Mapping[str, float] = field(default_factory=dict)
    names: tuple[str, ...] = ()


def _scalar_note(code: str, name: str, value: Number, *names: str) -> Note | None:
    """Counts in notes only make sense for one scenario, not for arrays of draws."""
    return Note(code, {name: float(value)}, names) if np.ndim(value) == 0 else None


# ---- API -------------------------------------------------------------------------------------------


def list_usd_per_million(model: ApiModel, input_share: float, cached_share: float, batch_share: float) -> float:
    """Blended list price per million tokens: input (cache hits at the cached price), output, and the batch
    discount on batch-eligible requests."""
    input_price = ((1 - cached_share) * model.usd_per_million_input_tokens
                   + cached_share * model.usd_per_million_cached_input_tokens)
    blended = input_share * input_price + (1 - input_share) * model.usd_per_million_output_tokens
    return blended * (1 - batch_share * model.batch_discount)


def api_usd_per_million(workload: WorkloadBasis, params: Params) -> Number:
    """The workload's blended price per million tokens at the price level assumption."""
    return list_usd_per_million(workload.api_model, workload.input_share, workload.cached_input_share,
                                workload.batch_eligible_share) * params["api_price_factor"]


def million_tokens_per_month(workload: WorkloadBasis, params: Params) -> Number:
    return workload.tokens_per_day * params["days_per_month"] / TOKENS_PER_MILLION


def api_items(workloads: Sequence[WorkloadBasis], params: Params) -> list[Item]:
    tokens = [
        Item(f"api_tokens_{w.workload_id}", f"API tokens: {w.name} ({w.api_model.label})",
             million_tokens_per_month(w, params) * api_usd_per_million(w, params),
             rests_on=("days_per_month", "api_price_factor", f"api_model:{w.api_model_id}", *w.rests_on),
             quantity=million_tokens_per_month(w, params), unit="million tokens", rate=api_usd_per_million(w, params))
        for w in workloads
    ]
    spend = total_monthly(tokens)
    retries = Item("api_retries", "Retried and failed calls", spend * params["api_retry_overhead_share"],
                   rests_on=("api_retry_overhead_share",), quantity=spend, unit="USD of token spend",
                   rate=params["api_retry_overhead_share"])
    return [*tokens, retries]


# ---- Self-hosted: pools of GPUs ---------------------------------------------------------------------------


def load_of(workload: WorkloadBasis) -> Load:
    return Load(workload.tokens_per_day, 1 - workload.input_share, workload.peak_to_average_ratio,
                workload.traffic_profile)


def _loads(workloads: Sequence[WorkloadBasis]) -> dict[str, Load]:
    return {w.workload_id: load_of(w) for w in workloads}


def _served(workloads: Sequence[WorkloadBasis]) -> list[WorkloadBasis]:
    return [w for w in workloads if w.serving is not None]


def each_alone(workloads: Sequence[WorkloadBasis], deployment: Deployment) -> tuple[Pool, ...]:
    """One pool per served workload on its own plan, named after it and priced per GPU at the market rate:
    what costs are without a deployment plan (hand-built scenarios, tests of single lines)."""
    return tuple(Pool(w.workload_id, key_of(w.serving.plan), w.serving.gpu, deployment,
                      (Member(w.workload_id, w.serving.plan),)) for w in _served(workloads))


def _in_scope(pools: Sequence[Pool], workloads: Sequence[WorkloadBasis]) -> list[Pool]:
    present = {w.workload_id for w in workloads}
    return [p for p in pools if set(p.workload_ids) <= present]


def pool_replicas(pools: Sequence[Pool], workloads: Sequence[WorkloadBasis], params: Params) -> list[Number]:
    loads = _loads(workloads)
    return [replicas_needed(p, loads, params) for p in pools]


def gpu_usd_per_hour(gpu: Gpu, params: Params, reserved: bool) -> Number:
    """The market per-GPU rate of the GPU catalog (fine-tuning runs, GPUs no catalogued provider rents)."""
    prices = gpu.reserved_usd_per_gpu_hour if reserved else gpu.on_demand_usd_per_gpu_hour
    return prices.typical * params["gpu_price_factor"]


def hours_per_month(params: Params) -> Number:
    return params["days_per_month"] * HOURS_PER_DAY


def _term(org: Organisation) -> str:
    return "committed_1y" if org.reserved_gpus else "on_demand"


def _pool_label(pool: Pool) -> str:
    return f"{pool.key.model_id} ({pool.key.precision}) on {pool.gpu.name}"


def cloud_gpu_items(pools: Sequence[Pool], workloads: Sequence[WorkloadBasis], params: Params,
                    org: Organisation, year: Number = 0) -> tuple[list[Item], Number]:
    """One line per pool: whole instances for its replicas, at the cheapest rentable instance. Also returns
    the GPUs deployed (the fleet the on-call rota looks after)."""
    term = "reserved" if org.reserved_gpus else "on-demand"
    hours = hours_per_month(params)
    items, fleet = [], 0.0
    for pool, needed in zip(pools, pool_replicas(pools, workloads, params)):
        rental = cheapest_rental(pool, needed, hours, _term(org), org.reserved_gpus, params, year)
        fleet = fleet + rental.replicas * pool.key.gpus_per_replica
        unit = f"{rental.instance.provider} {rental.instance.name} hours" if rental.instance else "GPU-hours"
        items.append(Item(
            f"gpu_compute_{pool.id}", f"GPU compute ({term}): {_pool_label(pool)}", rental.usd_per_month,
            rests_on=("gpu_price_factor", "days_per_month", "min_production_replicas", "gpu_peak_utilisation_target",
                      "peak_coincidence_share", f"gpu:{pool.key.gpu_id}",
                      *(f"instance:{i.provider}:{i.name}" for i in pool.instances[:1])),
            note=_scalar_note("gpus_serving", "gpus", rental.replicas * pool.key.gpus_per_replica, pool.gpu.name,
                              pool.key.model_id),
            quantity=rental.instance_hours, unit=unit, rate=rental.usd_per_month / rental.instance_hours))
    return items, fleet


def fine_tuning_item(workloads: Sequence[WorkloadBasis], params: Params) -> Item:
    """Training runs rent extra on-demand capacity (the seed: runs 'can spike costs significantly')."""
    monthly = sum((w.fine_tuning_runs_per_year * params["fine_tuning_gpu_hours_per_run"]
                   * gpu_usd_per_hour(w.serving.gpu, params, reserved=False) / MONTHS_PER_YEAR
                   for w in _served(workloads)), 0.0)
    return Item("fine_tuning", "Fine-tuning runs (extra GPU capacity)", monthly,
                rests_on=("fine_tuning_gpu_hours_per_run", "gpu_price_factor"))


@dataclass(frozen=True)
class PoolFacts:
    """A pool as deployed at one scenario: replicas (whole nodes where rented), load, cost, where it runs."""

    pool: Pool
    replicas: float
    utilisation: float
    monthly: float
    provider: str
    instance: str


def pool_facts(pools: Sequence[Pool], workloads: Sequence[WorkloadBasis], params: Params,
               org: Organisation) -> list[PoolFacts]:
    loads = _loads(workloads)
    facts = []
    for pool, needed in zip(pools, pool_replicas(pools, workloads, params)):
        # Utilisation counts the average load at full replica throughput (the target's headroom is capacity);
        # never below 0, which float rounding of a near-empty load can otherwise give.
        busy = max(0.0, float(average_units(pool, loads, params) * params["gpu_peak_utilisation_target"]))
        if pool.place == "cloud":
            rental = cheapest_rental(pool, needed, hours_per_month(params), _term(org), org.reserved_gpus, params)
            deployed, monthly = float(rental.replicas), float(rental.usd_per_month)
            provider = rental.instance.provider if rental.instance else "market"
            instance = rental.instance.name if rental.instance else ""
        else:
            deployed = float(needed)
            monthly = float(total_monthly(on_prem_hardware_items([pool], workloads, params, org)[0]))
            provider, instance = "on_prem", ""
        facts.append(PoolFacts(pool, deployed, busy / deployed, monthly, provider, instance))
    return facts


# ---- Self-hosted on-prem: hardware, power, space ----------------------------------------------------


def _fleet(pools: Sequence[Pool], workloads: Sequence[WorkloadBasis], params: Params) -> list[tuple[Gpu, Number]]:
    """(GPU, count) per pool: counted once, used by every on-prem line."""
    return [(p.gpu, n * p.key.gpus_per_replica) for p, n in zip(pools, pool_replicas(pools, workloads, params))]


def _capital(fleet: list[tuple[Gpu, Number]], params: Params) -> Number:
    """Purchase price of the GPUs and their share of host servers and networking."""
    return sum((count * (gpu.purchase_usd.usd + gpu.server_usd_per_gpu_slot.usd) * params["hardware_price_factor"]
                for gpu, count in fleet), 0.0)


def on_prem_hardware_items(pools: Sequence[Pool], workloads: Sequence[WorkloadBasis], params: Params,
                           org: Organisation) -> tuple[list[Item], Number]:
    fleet = _fleet(pools, workloads, params)
    capital = _capital(fleet, params)
    all_gpus = sum((count for _, count in fleet), 0.0)
    kw_drawn = sum((count * gpu.tdp_w / WATTS_PER_KW for gpu, count in fleet), 0.0)
    kwh = (kw_drawn * params["gpu_average_power_share_of_tdp"] * params["server_power_overhead_factor"]
           * params["pue"] * hours_per_month(params))
    space_share = params["existing_data_centre_cost_share"] if org.existing_data_centre else 1.0
    colocation_rate = params["colocation_usd_per_gpu_per_month"] * space_share
    maintenance_rate = params["hardware_maintenance_share_per_year"] / MONTHS_PER_YEAR
    return [
        Item("hardware_amortisation", "GPU servers and networking (amortised)", capital / params["amortisation_months"],
             rests_on=("amortisation_months", "hardware_price_factor", "min_production_replicas"),
             note=_scalar_note("capital_outlay", "capital_usd", capital),
             quantity=capital, unit="USD of capital", rate=1 / params["amortisation_months"]),
        Item("power", "Power and cooling", kwh * params["power_usd_per_kwh"],
             rests_on=("power_usd_per_kwh", "pue", "gpu_average_power_share_of_tdp", "server_power_overhead_factor"),
             quantity=kwh, unit="kWh", rate=params["power_usd_per_kwh"]),
        Item("colocation", "Rack space and colocation", all_gpus * colocation_rate,
             rests_on=("colocation_usd_per_gpu_per_month", "existing_data_centre_cost_share"),
             quantity=all_gpus, unit="GPUs", rate=colocation_rate),
        Item("maintenance", "Hardware maintenance and support", capital * maintenance_rate,
             rests_on=("hardware_maintenance_share_per_year",),
             quantity=capital, unit="USD of capital", rate=maintenance_rate),
        Item("on_prem_setup", "Installation and networking", 0.0, params["on_prem_setup_usd"],
             rests_on=("on_prem_setup_usd",)),
    ], all_gpus


# ---- People and process (both self-hosted options) --------------------------------------------------


def engineer_usd_per_month(params: Params, share: Number) -> Number:
    return params["ml_engineer_usd_per_year"] * share / MONTHS_PER_YEAR


def engineer_usd_per_week(params: Params) -> Number:
    return params["ml_engineer_usd_per_year"] / WEEKS_PER_YEAR


def ml_engineer_share(params: Params, pools: int, models: int) -> Number:
    """The seed's quarter of an engineer runs one model in one pool; each further pool (another GPU type or
    deployment to watch) and each further model (weights, upgrades, evaluations) adds its share."""
    return (params["ml_engineer_share"] + params["ml_engineer_share_per_extra_pool"] * max(0, pools - 1)
            + params["ml_engineer_share_per_extra_model"] * max(0, models - 1))


def sre_usd_per_month(params: Params, org: Organisation, fleet_gpus: Number) -> tuple[Number, Number]:
    """(monthly cost, SRE FTE) of on-call. Business hours: the seed's share, or more once the fleet needs it.
    24/7: a rota's minimum staffing, or business-hours cover plus a managed provider's out-of-hours fee,
    whichever is cheaper."""
    sre_month = params["sre_usd_per_year"] / MONTHS_PER_YEAR
    daytime = np.maximum(params["sre_oncall_share"], fleet_gpus / params["gpus_per_sre_fte"])
    if org.availability != "24x7":
        return daytime * sre_month, daytime
    rota = np.maximum(params["oncall_24x7_rota_fte"], daytime)
    managed = daytime * sre_month + params["managed_oncall_usd_per_month"]
    own = rota * sre_month
    return np.minimum(own, managed), np.where(own <= managed, rota, daytime)


def people_items(params: Params, org: Organisation, fleet_gpus: Number = 0.0, pools: int = 1,
                 models: int = 1) -> list[Item]:
    hire = (params["recruiting_fee_share_of_base"] * params["ml_engineer_base_usd_per_year"]
            + params["signing_bonus_usd"]) if org.needs_inference_hire else 0.0
    share = ml_engineer_share(params, pools, models)
    sre_monthly, sre_fte = sre_usd_per_month(params, org, fleet_gpus)
    cover = "24/7" if org.availability == "24x7" else "business hours"
    return [
        Item("ml_engineer", "Senior ML engineer (serving, weights, scaling, incidents)",
             engineer_usd_per_month(params, share),
             rests_on=("ml_engineer_usd_per_year", "ml_engineer_share", "ml_engineer_share_per_extra_pool",
                       "ml_engineer_share_per_extra_model"),
             note=Note("pools_and_models", {"pools": float(pools), "models": float(models)}), quantity=share, unit="FTE",
             rate=params["ml_engineer_usd_per_year"] / MONTHS_PER_YEAR),
        Item("sre_oncall", f"On-call / SRE with GPU failure modes ({cover})", sre_monthly,
             rests_on=("sre_usd_per_year", "sre_oncall_share", "gpus_per_sre_fte", "oncall_24x7_rota_fte",
                       "managed_oncall_usd_per_month", "availability_required"),
             quantity=sre_fte, unit="FTE", rate=sre_monthly / np.maximum(sre_fte, 1e-12)),
        Item("optimisation", "Inference optimisation (upfront weeks, then ongoing tuning)",
             engineer_usd_per_month(params, params["ongoing_tuning_share"]),
             engineer_usd_per_week(params) * params["upfront_optimisation_weeks"],
             rests_on=("ongoing_tuning_share", "upfront_optimisation_weeks", "ml_engineer_usd_per_year"),
             quantity=params["ongoing_tuning_share"], unit="FTE",
             rate=params["ml_engineer_usd_per_year"] / MONTHS_PER_YEAR),
        Item("monitoring", "Monitoring and reliability tooling", params["monitoring_tooling_usd_per_month"],
             rests_on=("monitoring_tooling_usd_per_month",)),
        Item("evaluation", "Model evaluation and updates (harness, datasets, recurring)",
             engineer_usd_per_month(params, params["evaluation_share"]),
             engineer_usd_per_week(params) * params["evaluation_harness_weeks"],
             rests_on=("evaluation_share", "evaluation_harness_weeks", "ml_engineer_usd_per_year"),
             quantity=params["evaluation_share"], unit="FTE",
             rate=params["ml_engineer_usd_per_year"] / MONTHS_PER_YEAR),
        Item("security_compliance", "Security and compliance (controls, audits, PII, prompt injection)",
             params["security_compliance_usd_per_month"], params["security_review_usd"],
             rests_on=("security_compliance_usd_per_month", "security_review_usd")),
        Item("recruiting", "Recruiting an inference engineer (fee and signing bonus)", 0.0, hire,
             rests_on=("recruiting_fee_share_of_base", "ml_engineer_base_usd_per_year", "signing_bonus_usd",
                       "production_inference"),
             note=Note("inference_hire" if org.needs_inference_hire else "inference_experience")),
    ]


# ---- Options ----------------------------------------------------------------------------------------

Pools = Mapping[str, Sequence[Pool]]  # option id -> its pools


def self_host_items(workloads: Sequence[WorkloadBasis], params: Params, org: Organisation,
                    deployment: Deployment | str, pools: Sequence[Pool] | None = None, year: Number = 0) -> list[Item]:
    """Each pool's infrastructure where it runs (rented instances, or owned hardware with its power, space and
    support: the on-prem lines appear for an on-prem deployment even before any pool), then one team for all."""
    pools = _in_scope(pools if pools is not None else each_alone(workloads, deployment), workloads)
    cloud = [p for p in pools if p.place == "cloud"]
    owned = [p for p in pools if p.place == "on_prem"]
    infrastructure, fleet = cloud_gpu_items(cloud, workloads, params, org, year) if cloud else ([], 0.0)
    if owned or deployment == "on_prem":
        hardware, owned_gpus = on_prem_hardware_items(owned, workloads, params, org)
        infrastructure, fleet = infrastructure + hardware, fleet + owned_gpus
    storage = Item("storage_egress", "Storage, weights registry and egress", params["storage_egress_usd_per_month"],
                   rests_on=("storage_egress_usd_per_month",))
    people = people_items(params, org, fleet, len(pools) or 1, len({p.key.model_id for p in pools}) or 1)
    return [*infrastructure, fine_tuning_item(workloads, params), storage, *people]


def hybrid_items(api_part: Sequence[WorkloadBasis], self_part: Sequence[WorkloadBasis], params: Params,
                 org: Organisation, deployment: Deployment | str, pools: Sequence[Pool] | None = None,
                 year: Number = 0) -> list[Item]:
    """Each part with its own fixed costs: the self-hosted part carries the whole team and tooling."""
    items = api_items(api_part, params) if api_part else []
    if self_part:
        items += self_host_items(self_part, params, org, deployment, pools, year)
    return items


def option_items(option: str, workloads: Sequence[WorkloadBasis], params: Params, org: Organisation,
                 hybrid_route: Mapping[str, str] | None = None, hybrid_deployment: Deployment = "cloud",
                 pools: Pools | None = None, year: Number = 0) -> list[Item]:
    """Line items of one option for these workloads; `hybrid_route` maps workload id -> 'api' | 'self';
    `pools` each self-hosted option's deployment (absent: each workload on its own plan)."""
    pools = pools or {}
    if option == "api":
        return api_items(workloads, params)
    if option == "self_host_cloud":
        return self_host_items(workloads, params, org, "cloud", pools.get(option), year)
    if option == "self_host_on_prem":
        return self_host_items(workloads, params, org, "on_prem", pools.get(option), year)
    route = hybrid_route or {}
    api_part = [w for w in workloads if route.get(w.workload_id, "api") == "api"]
    self_part = [w for w in workloads if route.get(w.workload_id, "api") == "self"]
    return hybrid_items(api_part, self_part, params, org, hybrid_deployment, pools.get("hybrid"), year)


def years_of(months: int) -> np.ndarray:
    """Year indices of the horizon (0 = the first year) as a column, one row per year."""
    return np.arange(-(-months // MONTHS_PER_YEAR)).reshape(-1, 1)


def grown(workloads: Sequence[WorkloadBasis], months: int) -> list[WorkloadBasis]:
    """Each workload's volume in every year of the horizon, as an extra array axis (years x scenarios), so a
    horizon costs one pass through the line items, not one per year. Growth applies once a year."""
    years = years_of(months)
    return [w.scaled((1 + w.growth_share_per_year) ** years) for w in workloads]


def yearly_usd(option: str, grown_workloads: Sequence[WorkloadBasis], params: Params, org: Organisation,
               months: int, **routing) -> np.ndarray:
    """Cash out per year of the horizon on workloads from `grown` (rows: year 0 = one-time costs at the start,
    then each year's running costs; columns: scenarios). Replicas follow the traffic up each year, instance
    prices fall where the catalog says they do, and owned hardware is sold at the end (a negative cost in the
    last year)."""
    years = years_of(months)
    months_in_year = np.minimum(MONTHS_PER_YEAR, months - MONTHS_PER_YEAR * years)
    items = option_items(option, grown_workloads, params, org, year=years, **routing)
    running = months_in_year * total_monthly(items)
    shape = np.broadcast_shapes(np.shape(running), years.shape, np.shape(total_one_time(items)))
    running = np.array(np.broadcast_to(running, shape), dtype=float)
    running[-1] = running[-1] - np.broadcast_to(resale_usd(items, params, months), shape)[-1]
    one_time = np.broadcast_to(total_one_time(items), shape)[:1]
    return np.concatenate([one_time, running])


def resale_usd(items: Sequence[Item], params: Params, months: int) -> Number:
    """What owned GPUs and servers fetch when the horizon ends: the resale share of their capital once they
    are fully amortised, in proportion before."""
    amortisation = next((i for i in items if i.id == "hardware_amortisation"), None)
    if amortisation is None:
        return 0.0
    capital = amortisation.monthly * params["amortisation_months"]
    return capital * params["on_prem_resale_share"] * np.minimum(1.0, months / params["amortisation_months"])


def horizon_usd(option: str, grown_workloads: Sequence[WorkloadBasis], params: Params, org: Organisation,
                months: int, **routing) -> Number:
    """Undiscounted cash out over the horizon, on workloads from `grown`: the sum of `yearly_usd`."""
    total = np.squeeze(np.sum(yearly_usd(option, grown_workloads, params, org, months, **routing), axis=0))
    return float(total) if total.ndim == 0 else total


def discount_factors(params: Params, rows: int) -> np.ndarray:
    """Year 0 is paid now, each later year's costs at its end, discounted at the named rate (rows x scenarios)."""
    return 1 / (1 + np.asarray(params["discount_rate_per_year"])) ** np.arange(rows).reshape(-1, 1)


# ---- Break-even on the real (staircase) curves ------------------------------------------------------

# Volumes searched for a break-even: a thousand to ten trillion tokens a day, about 7.5% apart (every real
# deployment lies inside); the crossing is then refined 128-fold inside the step where it lies.
BREAK_EVEN_SEARCH_TOKENS_PER_DAY = np.geomspace(1e3, 1e13, 321)
BREAK_EVEN_REFINE_POINTS = 129
# Volumes drawn on the cost chart, as factors of the current volume.
CURVE_FACTORS = np.geomspace(1 / 30, 30, 61)


def break_even_factor(api_cost, self_cost, grid: np.ndarray) -> float | None:
    """Smallest volume factor on `grid` (or between its points) at which the API costs at least as much as
    self-hosting, or None. Both cost arguments map an array of volume factors to monthly costs; the API cost is
    linear in volume, self-hosting a staircase (whole replicas), so the search runs on the curves themselves."""
    above = np.nonzero(api_cost(grid) - self_cost(grid) >= 0)[0]
    if not above.size:
        return None
    index = int(above[0])
    fine = np.linspace(grid[index - 1] if index else 0.0, grid[index], BREAK_EVEN_REFINE_POINTS)
    api_fine = np.broadcast_to(api_cost(fine), fine.shape)
    self_fine = np.broadcast_to(self_cost(fine), fine.shape)
    j = max(1, int(np.nonzero(api_fine - self_fine >= 0)[0][0]))
    # On the flat step where the curves cross, the API line meets the self-hosted cost exactly here:
    crossing = float(self_fine[j]) * fine[j] / float(api_fine[j])
    return float(min(fine[j], max(fine[j - 1], crossing)))
