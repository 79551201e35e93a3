"""Pricing catalog: API models with their token prices, and every cost assumption the engine uses.

Loaded from catalogs/api_models.yaml and catalogs/assumptions.yaml by app/storage/pricing_catalog.py.
Every figure carries a `Source` (citation, as-of date, confidence); an assumption the seed article does not
quantify has confidence "rationale" and says why its default was chosen."""

from __future__ import annotations

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

    @model_validator(mode="after")
    def _ordered(self) -> Assumption:
        if not self.low <= self.default <= self.high:
            raise ValueError(f"assumption '{self.id}': needs low <= default <= high")
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
