"""Monthly and one-time costs of each deployment option, line by line: the whole iceberg, not only the GPU.

Every figure comes from a named assumption (`params`, catalogs/assumptions.yaml after the assessment's
overrides) or a catalog entry (API prices, GPU prices, power). The arithmetic works on floats and, unchanged,
on numpy arrays: the break-even search, the sensitivity sweeps and the uncertainty draws pass arrays of
volumes or assumption values through the same functions the line items come from."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Union

import numpy as np

from app.domain.hardware import Gpu
from app.domain.pricing import ApiModel, PricingCatalog
from app.domain.sizing import CapacityPlan

Number = Union[float, np.ndarray]
Params = Mapping[str, Number]
Deployment = Literal["cloud", "on_prem"]

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
    serving: Serving | None
    rests_on: tuple[str, ...] = ()

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


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    monthly: Number
    one_time: Number = 0.0
    rests_on: tuple[str, ...] = ()
    note: str = ""


def total_monthly(items: Sequence[Item]) -> Number:
    return sum((item.monthly for item in items), 0.0)


def total_one_time(items: Sequence[Item]) -> Number:
    return sum((item.one_time for item in items), 0.0)


def _scalar_note(template: str, value: Number) -> str:
    """Counts in labels only make sense for one scenario, not for arrays of draws."""
    return template.format(float(value)) if np.ndim(value) == 0 else ""


# ---- API -------------------------------------------------------------------------------------------


def api_usd_per_million(workload: WorkloadBasis, params: Params) -> Number:
    """Blended price per million tokens of this workload: input (cache hits at the cached price), output,
    the batch discount on batch-eligible requests, and the price level assumption."""
    model = workload.api_model
    cached = workload.cached_input_share
    input_price = (1 - cached) * model.usd_per_million_input_tokens + cached * model.usd_per_million_cached_input_tokens
    blended = workload.input_share * input_price + (1 - workload.input_share) * model.usd_per_million_output_tokens
    return blended * (1 - workload.batch_eligible_share * model.batch_discount) * params["api_price_factor"]


def million_tokens_per_month(workload: WorkloadBasis, params: Params) -> Number:
    return workload.tokens_per_day * params["days_per_month"] / TOKENS_PER_MILLION


def api_items(workloads: Sequence[WorkloadBasis], params: Params) -> list[Item]:
    tokens = [
        Item(f"api_tokens_{w.workload_id}", f"API tokens: {w.name} ({w.api_model.label})",
             million_tokens_per_month(w, params) * api_usd_per_million(w, params),
             rests_on=("days_per_month", "api_price_factor", f"api_model:{w.api_model_id}", *w.rests_on))
        for w in workloads
    ]
    retries = Item("api_retries", "Retried and failed calls", total_monthly(tokens) * params["api_retry_overhead_share"],
                   rests_on=("api_retry_overhead_share",))
    return [*tokens, retries]


# ---- Self-hosted: GPUs -----------------------------------------------------------------------------


def replicas(workload: WorkloadBasis, params: Params) -> Number:
    """Serving replicas: whole copies of the model for the peak output rate, plus redundancy, never fewer
    than the production minimum. The staircase that makes self-hosting cost step, not slope."""
    plan = workload.serving.plan
    if plan.output_tokens_per_s_per_replica <= 0:
        return np.maximum(params["min_production_replicas"], plan.replicas)
    peak_output_per_s = (workload.tokens_per_day * (1 - workload.input_share) / SECONDS_PER_DAY
                         * workload.peak_to_average_ratio)
    usable_per_replica = plan.output_tokens_per_s_per_replica * params["gpu_peak_utilisation_target"]
    needed = np.ceil(peak_output_per_s / usable_per_replica)
    return np.maximum(params["min_production_replicas"], needed + plan.redundancy_replicas)


def gpus(workload: WorkloadBasis, params: Params) -> Number:
    return replicas(workload, params) * workload.serving.plan.gpus_per_replica


def _served(workloads: Sequence[WorkloadBasis]) -> list[WorkloadBasis]:
    return [w for w in workloads if w.serving is not None]


def gpu_usd_per_hour(gpu: Gpu, params: Params, reserved: bool) -> Number:
    prices = gpu.reserved_usd_per_gpu_hour if reserved else gpu.on_demand_usd_per_gpu_hour
    return prices.typical * params["gpu_price_factor"]


def hours_per_month(params: Params) -> Number:
    return params["days_per_month"] * HOURS_PER_DAY


def cloud_gpu_items(workloads: Sequence[WorkloadBasis], params: Params, org: Organisation) -> list[Item]:
    term = "reserved" if org.reserved_gpus else "on-demand"
    hours = hours_per_month(params)
    return [
        Item(f"gpu_compute_{w.workload_id}", f"GPU compute ({term}): {w.name}",
             count * gpu_usd_per_hour(w.serving.gpu, params, org.reserved_gpus) * hours,
             rests_on=("gpu_price_factor", "days_per_month", "min_production_replicas", "gpu_peak_utilisation_target",
                       f"gpu:{w.serving.plan.gpu_id}", *w.rests_on),
             note=_scalar_note("{:.0f} x " + w.serving.gpu.name + f" serving {w.serving.plan.model_id}", count))
        for w, count in ((w, gpus(w, params)) for w in _served(workloads))
    ]


def fine_tuning_item(workloads: Sequence[WorkloadBasis], params: Params) -> Item:
    """Training runs rent extra on-demand capacity (the seed: runs 'can spike costs significantly')."""
    monthly = sum((w.fine_tuning_runs_per_year * params["fine_tuning_gpu_hours_per_run"]
                   * gpu_usd_per_hour(w.serving.gpu, params, reserved=False) / MONTHS_PER_YEAR
                   for w in _served(workloads)), 0.0)
    return Item("fine_tuning", "Fine-tuning runs (extra GPU capacity)", monthly,
                rests_on=("fine_tuning_gpu_hours_per_run", "gpu_price_factor"))


# ---- Self-hosted on-prem: hardware, power, space ----------------------------------------------------


def _fleet(workloads: Sequence[WorkloadBasis], params: Params) -> list[tuple[Gpu, Number]]:
    """(GPU, count) per served workload: counted once, used by every on-prem line."""
    return [(w.serving.gpu, gpus(w, params)) for w in _served(workloads)]


def capital_usd(workloads: Sequence[WorkloadBasis], params: Params) -> Number:
    """Purchase price of GPUs and their share of host servers."""
    return _capital(_fleet(workloads, params), params)


def _capital(fleet: list[tuple[Gpu, Number]], params: Params) -> Number:
    return sum((count * (gpu.purchase_usd.usd + gpu.server_usd_per_gpu_slot.usd) * params["hardware_price_factor"]
                for gpu, count in fleet), 0.0)


def on_prem_hardware_items(workloads: Sequence[WorkloadBasis], params: Params, org: Organisation) -> list[Item]:
    fleet = _fleet(workloads, params)
    capital = _capital(fleet, params)
    all_gpus = sum((count for _, count in fleet), 0.0)
    kw_drawn = sum((count * gpu.tdp_w / WATTS_PER_KW for gpu, count in fleet), 0.0)
    space_share = params["existing_data_centre_cost_share"] if org.existing_data_centre else 1.0
    return [
        Item("hardware_amortisation", "GPU servers (amortised)", capital / params["amortisation_months"],
             rests_on=("amortisation_months", "hardware_price_factor", "min_production_replicas"),
             note=_scalar_note("capital outlay ${:,.0f}", capital)),
        Item("power", "Power and cooling",
             kw_drawn * params["gpu_average_power_share_of_tdp"] * params["server_power_overhead_factor"]
             * params["pue"] * hours_per_month(params) * params["power_usd_per_kwh"],
             rests_on=("power_usd_per_kwh", "pue", "gpu_average_power_share_of_tdp", "server_power_overhead_factor")),
        Item("colocation", "Rack space and colocation",
             all_gpus * params["colocation_usd_per_gpu_per_month"] * space_share,
             rests_on=("colocation_usd_per_gpu_per_month", "existing_data_centre_cost_share")),
        Item("maintenance", "Hardware maintenance and support",
             capital * params["hardware_maintenance_share_per_year"] / MONTHS_PER_YEAR,
             rests_on=("hardware_maintenance_share_per_year",)),
        Item("on_prem_setup", "Installation and networking", 0.0, params["on_prem_setup_usd"],
             rests_on=("on_prem_setup_usd",)),
    ]


# ---- People and process (both self-hosted options) --------------------------------------------------


def engineer_usd_per_month(params: Params, share: Number) -> Number:
    return params["ml_engineer_usd_per_year"] * share / MONTHS_PER_YEAR


def engineer_usd_per_week(params: Params) -> Number:
    return params["ml_engineer_usd_per_year"] / WEEKS_PER_YEAR


def people_items(params: Params, org: Organisation) -> list[Item]:
    hire = (params["recruiting_fee_share_of_base"] * params["ml_engineer_base_usd_per_year"]
            + params["signing_bonus_usd"]) if org.needs_inference_hire else 0.0
    return [
        Item("ml_engineer", "Senior ML engineer (serving, weights, scaling, incidents)",
             engineer_usd_per_month(params, params["ml_engineer_share"]),
             rests_on=("ml_engineer_usd_per_year", "ml_engineer_share")),
        Item("sre_oncall", "On-call / SRE with GPU failure modes",
             params["sre_usd_per_year"] * params["sre_oncall_share"] / MONTHS_PER_YEAR,
             rests_on=("sre_usd_per_year", "sre_oncall_share")),
        Item("optimisation", "Inference optimisation (upfront weeks, then ongoing tuning)",
             engineer_usd_per_month(params, params["ongoing_tuning_share"]),
             engineer_usd_per_week(params) * params["upfront_optimisation_weeks"],
             rests_on=("ongoing_tuning_share", "upfront_optimisation_weeks", "ml_engineer_usd_per_year")),
        Item("monitoring", "Monitoring and reliability tooling", params["monitoring_tooling_usd_per_month"],
             rests_on=("monitoring_tooling_usd_per_month",)),
        Item("evaluation", "Model evaluation and updates (harness, datasets, recurring)",
             engineer_usd_per_month(params, params["evaluation_share"]),
             engineer_usd_per_week(params) * params["evaluation_harness_weeks"],
             rests_on=("evaluation_share", "evaluation_harness_weeks", "ml_engineer_usd_per_year")),
        Item("security_compliance", "Security and compliance (controls, audits, PII, prompt injection)",
             params["security_compliance_usd_per_month"], params["security_review_usd"],
             rests_on=("security_compliance_usd_per_month", "security_review_usd")),
        Item("recruiting", "Recruiting an inference engineer (fee and signing bonus)", 0.0, hire,
             rests_on=("recruiting_fee_share_of_base", "ml_engineer_base_usd_per_year", "signing_bonus_usd",
                       "production_inference"),
             note="the team has production inference experience" if not org.needs_inference_hire else
             "no one in the team has run production inference"),
    ]


# ---- Options ----------------------------------------------------------------------------------------


def self_host_items(workloads: Sequence[WorkloadBasis], params: Params, org: Organisation,
                    deployment: Deployment) -> list[Item]:
    if deployment == "cloud":
        infrastructure = cloud_gpu_items(workloads, params, org)
    else:
        infrastructure = on_prem_hardware_items(workloads, params, org)
    storage = Item("storage_egress", "Storage, weights registry and egress", params["storage_egress_usd_per_month"],
                   rests_on=("storage_egress_usd_per_month",))
    return [*infrastructure, fine_tuning_item(workloads, params), storage, *people_items(params, org)]


def hybrid_items(api_part: Sequence[WorkloadBasis], self_part: Sequence[WorkloadBasis], params: Params,
                 org: Organisation, deployment: Deployment) -> list[Item]:
    """Each part with its own fixed costs: the self-hosted part carries the whole team and tooling."""
    items = api_items(api_part, params) if api_part else []
    if self_part:
        items += self_host_items(self_part, params, org, deployment)
    return items


def option_items(option: str, workloads: Sequence[WorkloadBasis], params: Params, org: Organisation,
                 hybrid_route: Mapping[str, str] | None = None, hybrid_deployment: Deployment = "cloud") -> list[Item]:
    """Line items of one option for these workloads; `hybrid_route` maps workload id -> 'api' | 'self'."""
    if option == "api":
        return api_items(workloads, params)
    if option == "self_host_cloud":
        return self_host_items(workloads, params, org, "cloud")
    if option == "self_host_on_prem":
        return self_host_items(workloads, params, org, "on_prem")
    route = hybrid_route or {}
    api_part = [w for w in workloads if route.get(w.workload_id, "api") == "api"]
    self_part = [w for w in workloads if route.get(w.workload_id, "api") == "self"]
    return hybrid_items(api_part, self_part, params, org, hybrid_deployment)


def grown(workloads: Sequence[WorkloadBasis], months: int) -> list[WorkloadBasis]:
    """Each workload's volume in every year of the horizon, as an extra array axis (years x scenarios), so a
    horizon costs one pass through the line items, not one per year. Growth applies once a year."""
    years = np.arange(-(-months // MONTHS_PER_YEAR)).reshape(-1, 1)
    return [w.scaled((1 + w.growth_share_per_year) ** years) for w in workloads]


def horizon_usd(option: str, grown_workloads: Sequence[WorkloadBasis], params: Params, org: Organisation,
                months: int, **routing) -> Number:
    """One-time costs plus every month of the horizon, on workloads from `grown`."""
    years = np.arange(-(-months // MONTHS_PER_YEAR)).reshape(-1, 1)
    months_in_year = np.minimum(MONTHS_PER_YEAR, months - MONTHS_PER_YEAR * years)
    items = option_items(option, grown_workloads, params, org, **routing)
    total = np.squeeze(total_one_time(items) + np.sum(months_in_year * total_monthly(items), axis=0))
    return float(total) if total.ndim == 0 else total


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
