"""All catalogs together: hardware (GPUs, open models, serving engines, optimisation levers) and
pricing (API models, cost assumptions), cloud instances and hosted open-weight APIs. Every entry carries a source and an as-of date."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.domain.hardware import HardwareCatalog
from app.domain.instances import InstanceCatalog
from app.domain.pricing import HostedCatalog, PricingCatalog


class Catalogs(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hardware: HardwareCatalog
    pricing: PricingCatalog
    # Snapshots written before a catalog existed lack it; storage fills it from the current catalogs.
    instances: InstanceCatalog = InstanceCatalog()
    hosted: HostedCatalog = HostedCatalog()
    # The decision's wording: templates/decision/*.j2 by name (not part of a file's snapshot: words follow the app).
    wording: dict[str, str] = Field(default_factory=dict)

    @property
    def versions(self) -> dict[str, str]:
        return {"hardware": self.hardware.version, "pricing": self.pricing.version, "instances": self.instances.version,
                "hosted": self.hosted.version}
