"""What cloud providers rent: instance types with their GPUs and prices (catalogs/instances.yaml).

A self-hosted cloud plan pays for whole instances: where a provider rents 8-GPU nodes only, a pool that needs
two GPUs pays for eight. Prices are USD per instance-hour, on demand and under 1- and 3-year commitments."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from app.domain.sourced import Source, Strict

Provider = Literal["aws", "azure", "gcp", "oracle", "coreweave", "lambda"]
# Answers to the cloud-provider question that restrict plans to one provider's instances.
RESTRICTING_PROVIDERS: frozenset[str] = frozenset({"aws", "azure", "gcp", "oracle"})
Term = Literal["on_demand", "committed_1y", "committed_3y"]


class Instance(Strict):
    provider: Provider
    name: str = Field(min_length=1)
    gpu: str = Field(description="GPU id in catalogs/gpus.yaml")
    gpus: int = Field(ge=1, le=16)
    on_demand_usd_per_hour: float = Field(gt=0)
    committed_1y_usd_per_hour: float = Field(gt=0)
    committed_3y_usd_per_hour: float = Field(gt=0)
    price_decline_share_per_year: float = Field(
        default=0.0, ge=0, lt=1, description="expected fall of this rate per year; 0 where no source gives one")
    source: Source

    @model_validator(mode="after")
    def _commitments_cost_less(self) -> Instance:
        if not self.committed_3y_usd_per_hour <= self.committed_1y_usd_per_hour <= self.on_demand_usd_per_hour:
            raise ValueError(f"{self.provider} {self.name}: needs 3-year <= 1-year <= on-demand price")
        return self

    def usd_per_hour(self, term: Term) -> float:
        return {"on_demand": self.on_demand_usd_per_hour, "committed_1y": self.committed_1y_usd_per_hour,
                "committed_3y": self.committed_3y_usd_per_hour}[term]


class InstanceCatalog(Strict):
    version: str = ""
    # How each provider is written on screen and on paper ("AWS", "Microsoft Azure"); ids stay in the data.
    provider_names: dict[Provider, str] = Field(default_factory=dict)
    instances: dict[str, Instance] = Field(default_factory=dict)

    def for_gpu(self, gpu_id: str, providers: frozenset[str] | None = None) -> tuple[Instance, ...]:
        """Instances of this GPU, from `providers` only when given."""
        return tuple(i for i in self.instances.values()
                     if i.gpu == gpu_id and (providers is None or i.provider in providers))
