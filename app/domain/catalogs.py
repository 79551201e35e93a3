"""All catalogs together: hardware (GPUs, open models, serving engines, optimisation levers) and
pricing (API models, cost assumptions). Every entry carries a source and an as-of date."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from app.domain.hardware import HardwareCatalog
from app.domain.pricing import PricingCatalog


class Catalogs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hardware: HardwareCatalog
    pricing: PricingCatalog

    @property
    def versions(self) -> dict[str, str]:
        return {"hardware": self.hardware.version, "pricing": self.pricing.version}
