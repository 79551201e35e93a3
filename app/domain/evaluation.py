"""One immutable result type: everything the UI, the CLI, the report and the tests show.
Nothing downstream recomputes a number; it reads the Evaluation. `evaluate --json` is its JSON dump
(see the contract in issue 4 and docs/cli.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from app.domain.figures import Worded
from app.domain.pricing import ValidRange

OptionId = Literal["api", "self_host_cloud", "self_host_on_prem", "hybrid"]
Recommendation = Literal["api", "hybrid", "self-host-cloud", "self-host-on-prem"]
OPTION_IDS: tuple[str, ...] = ("api", "self_host_cloud", "self_host_on_prem", "hybrid")
OPTION_LABELS = {
    "api": "API",
    "self_host_cloud": "Self-hosted (cloud)",
    "self_host_on_prem": "Self-hosted (on-prem)",
    "hybrid": "Hybrid",
}


def option_for_recommendation(recommendation: str) -> str:
    """'self-host-cloud' -> 'self_host_cloud'."""
    return recommendation.replace("-", "_")


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LineItem(Worded):  # its note is worded
    id: str
    label: str
    monthly_usd: float = Field(ge=0)
    one_time_usd: float = Field(default=0.0, ge=0)
    rests_on: tuple[str, ...] = ()  # assumption ids, question ids, catalog ids
    note: str = ""
    # monthly_usd = quantity x rate_usd (a fixed fee: one "month" at its monthly rate)
    quantity: float = Field(default=1.0, ge=0)
    unit: str = "month"
    rate_usd: float = Field(default=0.0, ge=0)


class Pool(_Result):
    """One serving pool: a model at a precision on an engine and a GPU type, shared by the workloads listed."""

    id: str
    model: str
    gpu: str
    provider: str  # "on_prem" for owned hardware, else the cloud rented from ("market": priced per GPU)
    instance: str  # the instance type rented ("" on-prem)
    precision: str
    engine: str
    replicas: int = Field(ge=0)
    gpus_per_replica: int = Field(ge=1)
    utilisation: float = Field(ge=0)  # average load over deployed capacity
    workloads: tuple[str, ...]
    monthly_usd: float = Field(ge=0)


class CashFlowYear(_Result):
    year: int = Field(ge=0)  # 0: one-time costs at the start; then each year's costs, paid at its end
    usd: float
    discounted_usd: float
    # The traffic that year's costs serve (growth applied), for the tables; not part of the JSON contract.
    tokens_per_day: float = Field(default=0.0, ge=0, exclude=True)


class OptionCost(_Result):
    option: OptionId
    feasible: bool
    infeasible_reason: str | None = None
    monthly_usd: float = Field(ge=0)
    one_time_usd: float = Field(ge=0)
    horizon_usd: float = Field(ge=0)
    usd_per_million_tokens: float = Field(ge=0)
    line_items: tuple[LineItem, ...]
    # Upfront capital financed through the amortisation line item (on-prem hardware); not added again.
    capital_usd: float = Field(default=0.0, ge=0)
    pools: tuple[Pool, ...] = ()
    cash_flow_by_year: tuple[CashFlowYear, ...] = ()
    npv_usd: float = 0.0  # the discounted sum of cash_flow_by_year (horizon_usd is the undiscounted one)
    payback_months: float | None = None  # when its cumulative cost first falls below the API's; None: never
    offered: bool = True  # False for a hybrid that is the same deployment as a pure option


class Reason(Worded):
    text: str
    code: str = ""  # from the vocabulary in docs/decision.md; `text` is its wording
    figures: dict[str, float] = Field(default_factory=dict)  # the numbers `text` speaks of
    rests_on: tuple[str, ...] = ()
    strength: float = Field(default=0.5, ge=0, le=1)  # ranks reasons; the report shows the strongest


class Notice(Worded):
    """A note beside the figures: a named risk, a check the answers call for, a migration's note."""
    code: str = ""  # docs/decision.md
    text: str


class RoadmapPhase(Worded):
    phase: int
    option: OptionId
    trigger: str
    title: str = ""
    code: str = ""  # what starts the phase (docs/decision.md)


class Gap(_Result):
    dimension: str
    question_id: str | None = None
    text: str
    action: str
    severity: Literal["high", "medium", "low"] = "medium"


class Readiness(_Result):
    overall: float | None = Field(ge=0, le=100)
    dimensions: dict[str, float | None]
    dimension_labels: dict[str, str] = Field(default_factory=dict)
    # Share of each dimension's question weight that was actually scored (Unknown and unanswered lower it).
    coverage: dict[str, float] = Field(default_factory=dict)
    gaps: tuple[Gap, ...] = ()


class LeverEffect(Worded):
    id: str
    label: str
    applied: bool
    effect: str  # what it bought, in words with numbers
    risk: str = ""
    source: str = ""


class SizingSummary(_Result):
    model: str
    gpu: str
    gpus_per_replica: int = Field(ge=1)
    replicas: int = Field(ge=0)
    precision: str = "bf16"
    kv_precision: str = "fp16"
    engine: str = "vllm"
    redundancy_replicas: int = Field(default=0, ge=0)
    memory_per_gpu_gib: float | None = None
    weights_gib: float | None = None
    kv_cache_gib: float | None = None
    ttft_ms: float | None = None
    tpot_ms: float | None = None
    output_tokens_per_s_per_replica: float | None = None
    utilisation: float | None = None
    levers: tuple[LeverEffect, ...] = ()
    pool_id: str | None = None
    # How far the plan beats the workload's targets, as a share of each (None: no target; negative: misses).
    margins: dict[str, float | None] = Field(default_factory=dict)


class WorkloadResult(_Result):
    workload_id: str
    name: str
    tokens_per_day: float
    route: OptionId  # where the recommended option sends this workload
    route_reason: str = ""
    route_code: str = ""  # why, as a code (docs/decision.md)
    monthly_usd: dict[str, float] = Field(default_factory=dict)  # option id -> share of that option's cost
    sizing: SizingSummary | None = None


class TippingPoint(_Result):
    input: str  # assumption or input id
    label: str = ""
    unit: str = ""
    current: float
    flips_at: float | None
    flips_to: Recommendation | None


class TornadoBar(_Result):
    assumption_id: str
    label: str
    low_value: float
    high_value: float
    # Self-hosting monthly advantage (API cost minus best self-host cost) at the low / high value.
    outcome_at_low: float
    outcome_at_high: float


class CostCurve(_Result):
    tokens_per_day: tuple[float, ...]
    monthly_usd: dict[str, tuple[float, ...]]  # option id -> cost at each volume
    current_tokens_per_day: float


class Percentiles(_Result):
    p10: float
    p50: float
    p90: float


class Uncertainty(_Result):
    api: Percentiles
    self_host_cloud: Percentiles
    self_host_on_prem: Percentiles
    hybrid: Percentiles
    probability_self_host_cheaper: float = Field(ge=0, le=1)
    draws: int = 0
    npv: dict[str, Percentiles] = Field(default_factory=dict)  # option id -> NPV percentiles, USD
    # feasible, offered option id -> share of draws in which it has the lowest horizon NPV
    probability_best: dict[str, float] = Field(default_factory=dict)


class BridgeRow(_Result):
    """One of the seed article's figures beside ours, and why they differ (a code the templates word)."""

    id: str
    label: str
    unit: str
    article_low: float
    article_value: float
    article_high: float
    ours: float | None  # None where we have no such figure (no self-hosted plan, no break-even)
    why: str
    source: str


class AssumptionValue(_Result):
    id: str
    label: str
    value: float
    default: float
    unit: str
    low: float
    high: float
    source: str
    as_of: str
    overridden: bool = False
    override_reason: str = ""
    # What a value can mean at all (the Override dialog refuses others); not part of the JSON output.
    valid: ValidRange = Field(default=ValidRange(), exclude=True)


class Evaluation(Worded):  # its headline is worded
    # Both None when answers are missing (`missing_for_recommendation`) or nothing is feasible.
    recommendation: Recommendation | None
    confidence: float | None = Field(ge=0, le=1)
    confidence_basis: Literal["cost", "constraint"] | None = None
    missing_for_recommendation: tuple[str, ...] = ()
    headline: str = ""
    reasons: tuple[Reason, ...]
    roadmap: tuple[RoadmapPhase, ...]
    options: dict[str, OptionCost]
    break_even_tokens_per_day: dict[str, float | None]
    readiness: Readiness
    sizing: SizingSummary | None  # the largest pool of `pools`
    workloads: tuple[WorkloadResult, ...]
    # The recommended deployment's pools, or else the cheapest feasible self-hosted option's.
    pools: tuple[Pool, ...] = ()
    article_bridge: tuple[BridgeRow, ...] = ()  # "bridge to the article": its figures beside ours
    tipping_points: tuple[TippingPoint, ...] = ()
    uncertainty: Uncertainty | None = None
    tornado: tuple[TornadoBar, ...] = ()
    cost_curve: CostCurve | None = None
    assumptions: tuple[AssumptionValue, ...] = ()
    notices: tuple[Notice, ...] = Field(default=(), exclude=True)
    tokens_per_day: float = 0.0
    horizon_months: int = 36
    # Catalog prices older than the price_staleness_days assumption on `stale_prices_on` (app/engine/staleness.py).
    stale_price_ids: tuple[str, ...] = ()
    stale_prices_on: str = ""

    @computed_field  # the notices' English, as `evaluate --json` has always carried them
    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(n.text for n in self.notices)
