"""Pricing catalog: API models with their token prices, and every cost assumption the engine uses.

Loaded from catalogs/api_models.yaml and catalogs/assumptions.yaml by app/storage/pricing_catalog.py.
Every figure carries a `Source` (citation, as-of date, confidence); an assumption the seed article does not
quantify has confidence "rationale" and says why its default was chosen."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from app.domain.sourced import Source, Strict

CapabilityTier = Literal["frontier", "strong", "narrow"]
# The seed article's figures the results are bridged to (catalogs/assumptions.yaml, section "article").
ARTICLE_FIGURES = ("gpu_rent_usd_per_gpu_month", "capital_usd_per_gpu", "ml_engineer_share",
                   "self_hosted_usd_per_month", "crossover_tokens_per_day")


class ApiModel(Strict):
    provider: str
    label: str
    usd_per_million_input_tokens: float = Field(ge=0)
    usd_per_million_output_tokens: float = Field(ge=0)
    usd_per_million_cached_input_tokens: float = Field(ge=0, description="price of a cache hit on the input")
    batch_discount: float = Field(default=0.0, ge=0, lt=1, description="share taken off by the batch API")
    capability_tier: CapabilityTier
    source: Source


# No figure this app computes with needs more; larger ones only serve to overflow to infinity later.
MAX_MAGNITUDE = 1e12


@dataclass(frozen=True)
class ValidRange:
    """What a value of an assumption can mean at all (its unit and meaning), wider than the plausible
    low-high range: a share is 0 to 1, a price is not negative, a divisor is more than 0, replicas are
    whole. Values outside it are refused (the Override dialog, loading a file); values inside it but
    outside low-high are allowed with a warning."""

    minimum: float = 0.0
    maximum: float = MAX_MAGNITUDE
    minimum_exclusive: bool = False  # divisors: more than `minimum`, never equal
    integer: bool = False

    def problem(self, value: float) -> str | None:
        """None when `value` is valid; else what it must be ('must be more than 0')."""
        if not math.isfinite(value):
            return "must be a finite number"
        if self.integer and not float(value).is_integer():
            return "must be a whole number"
        if value < self.minimum or (self.minimum_exclusive and value == self.minimum):
            return f"must be {'more than' if self.minimum_exclusive else 'at least'} {_figure(self.minimum)}"
        if value > self.maximum:
            return f"must be at most {_figure(self.maximum)}"
        return None


def _figure(value: float) -> str:
    return f"{value:g}"


SHARE = ValidRange(maximum=1.0)
AMOUNT = ValidRange()  # money, hours, weeks: not negative
FACTOR = ValidRange(minimum_exclusive=True)  # multipliers and divisors: more than 0
# By unit, the one place that says what each unit allows (catalogs/assumptions.yaml names the unit).
# A unit missing here fails the catalog's validation: every assumption has valid bounds.
UNIT_RANGES: dict[str, ValidRange] = {
    "0-1": SHARE, "0-1 per input": SHARE, "0-1 per unit gap": SHARE, "share": SHARE,
    "share of API cost": SHARE, "share of TDP": SHARE, "share of base salary": SHARE,
    "share of capital per year": SHARE, "share of tokens": SHARE, "share of the smaller peaks' excess": SHARE,
    "share of a replica's throughput": ValidRange(maximum=0.99),  # throughput is scaled by 1 minus it
    "share of capital after amortisation": SHARE,
    "share per year": SHARE,  # a discount rate of 100% a year is already far beyond any cost of capital
    "GPUs per FTE": ValidRange(maximum=1e6, minimum_exclusive=True),  # staffing divides by it
    "FTE": ValidRange(maximum=100.0),
    "share of throughput": ValidRange(maximum=1.0, minimum_exclusive=True),  # capacity is divided by it
    "share of one FTE": ValidRange(maximum=100.0),  # 1.5 engineers is 1.5
    "USD one-time": AMOUNT, "USD per GPU": AMOUNT, "USD per GPU-month": AMOUNT, "USD per kWh": AMOUNT,
    "USD per month": AMOUNT, "USD per year": AMOUNT, "GPU-hours per run": AMOUNT, "engineer-weeks one-time": AMOUNT,
    "days": ValidRange(maximum=366.0, minimum_exclusive=True), "months": ValidRange(maximum=1200.0, minimum_exclusive=True),
    "ms to first token": FACTOR, "tokens per day": ValidRange(maximum=1e15, minimum_exclusive=True),
    "ratio": FACTOR, "x": FACTOR, "x GPU power": FACTOR, "x actual": FACTOR, "x catalog price": FACTOR,
    "x list price": FACTOR,
    "replicas": ValidRange(minimum=1.0, maximum=10_000.0, integer=True),
    "draws": ValidRange(minimum=1.0, maximum=100_000.0, integer=True),  # the engine's work grows with it
    "integer": ValidRange(maximum=2.0**32 - 1, integer=True),
    "lognormal sigma": ValidRange(maximum=5.0),  # exp(5 sigma) is already a factor of 10^10
    "score 0-100": ValidRange(maximum=100.0),
}


class Assumption(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    unit: str
    default: float
    low: float
    high: float
    category: Literal["time", "api", "cloud", "on_prem", "people", "process", "volume", "decision", "readiness",
                      "uncertainty"]
    source: Source
    description: str = ""
    rationale: str = Field(default="", description="why this default, where the seed gives no figure")

    @property
    def valid(self) -> ValidRange:
        # A unit this version does not know (an older catalog snapshot) is only held to finite magnitudes;
        # every unit of the bundled catalog is known (tests/domain/test_assumption_bounds.py).
        return UNIT_RANGES.get(self.unit, ValidRange(minimum=-MAX_MAGNITUDE))

    @model_validator(mode="after")
    def _ordered(self) -> Assumption:
        if not self.low <= self.default <= self.high:
            raise ValueError(f"assumption '{self.id}': needs low <= default <= high")
        if self.valid.problem(self.default):
            raise ValueError(f"assumption '{self.id}': default {self.valid.problem(self.default)}")
        if self.source.confidence == "rationale" and not self.rationale:
            raise ValueError(f"assumption '{self.id}': a 'rationale' source needs a written rationale")
        return self


class ArticleFigure(Strict):
    """A figure the seed article quotes, kept to bridge our results to it (never computed with)."""

    label: str
    unit: str
    low: float
    value: float
    high: float
    source: Source


class PricingCatalog(Strict):
    version: str
    api_models: dict[str, ApiModel]
    assumptions: dict[str, Assumption]
    article: dict[str, ArticleFigure] = Field(default_factory=dict)
    # Which API model and which open models stand in for a capability tier when the client names none.
    default_api_model_by_tier: dict[CapabilityTier, str] = Field(default_factory=dict)
    open_models_by_tier: dict[CapabilityTier, tuple[str, ...]] = Field(default_factory=dict)
    # GPUs the advisor proposes for production serving (empty: every GPU in the hardware catalog).
    production_gpu_ids: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> PricingCatalog:
        for key, assumption in self.assumptions.items():
            if key != assumption.id:
                raise ValueError(f"assumptions.{key}: id '{assumption.id}' differs from its key")
        missing = [key for key in ARTICLE_FIGURES if key not in self.article]
        if self.assumptions and missing:
            raise ValueError(f"article: the seed article's figures {missing} are missing")
        for tier, model_id in self.default_api_model_by_tier.items():
            if model_id not in self.api_models:
                raise ValueError(f"default_api_model_by_tier.{tier}: unknown API model '{model_id}'")
        return self

    def defaults(self) -> dict[str, float]:
        return {key: a.default for key, a in self.assumptions.items()}


class HostedModel(ApiModel):
    """An open-weight model on a hosted endpoint (catalogs/hosted_models.yaml), with the data terms that decide
    which use cases may send it their data."""

    open_model: str = Field(description="the open model served (an id of catalogs/models.yaml where it has one)")
    zero_retention: bool = Field(description="prompts and outputs are not stored (by default or on request)")
    baa_available: bool = Field(description="a HIPAA business associate agreement can be signed")
    regions: tuple[str, ...] = Field(description="operating regions (engagement.region values) it can pin data to")


class HostedCatalog(Strict):
    version: str = ""
    hosted_models: dict[str, HostedModel] = Field(default_factory=dict)
