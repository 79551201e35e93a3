"""Stale prices: catalog prices whose as-of date is older than the `price_staleness_days` assumption on a
given day. Prices fall fast (the seed: Mistral Large from $8/$24 to $2/$6 in a year), so an offline laptop's
catalog must say when its prices have aged. Pure: the reference day is an input."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date

from app.domain.catalogs import Catalogs
from app.domain.packs import InstalledPack
from app.domain.sourced import Source

STALENESS_ASSUMPTION = "price_staleness_days"
GPU_PRICE_FIELDS = ("on_demand_usd_per_gpu_hour", "reserved_usd_per_gpu_hour", "purchase_usd",
                    "server_usd_per_gpu_slot")


def latest_day(as_of: str) -> date:
    """The last day an as-of date can mean: '2026-05' -> 2026-05-31, '2026' -> 2026-12-31 (a price quoted for a
    month was true at least until that month's end as far as the catalog knows)."""
    parts = [int(p) for p in as_of.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], 12, 31)


def price_sources(catalogs: Catalogs) -> dict[str, Source]:
    """Every catalog price, by a stable id: 'api_models.gpt-4o', 'gpus.h100-sxm.on_demand_usd_per_gpu_hour'."""
    sources = {f"api_models.{model_id}": model.source for model_id, model in catalogs.pricing.api_models.items()}
    for gpu_id, gpu in catalogs.hardware.gpus.items():
        for field in GPU_PRICE_FIELDS:
            sources[f"gpus.{gpu_id}.{field}"] = getattr(gpu, field).source
    return sources


def stale_price_ids(catalogs: Catalogs, today: date, staleness_days: float) -> tuple[str, ...]:
    """Ids of prices whose as-of date is more than `staleness_days` before `today`, sorted."""
    return tuple(sorted(price_id for price_id, source in price_sources(catalogs).items()
                        if (today - latest_day(source.as_of)).days > staleness_days))


def oldest_price_day(catalogs: Catalogs) -> date:
    return min(latest_day(s.as_of) for s in price_sources(catalogs).values())


def catalog_status(catalogs: Catalogs, today: date, packs: Sequence[InstalledPack],
                   catalog_files: Mapping[str, str]) -> dict:
    """What `catalog status --json` prints and the packs dialog shows: installed packs, catalog versions,
    where each catalog file comes from, and the prices stale today."""
    staleness_days = catalogs.pricing.assumptions[STALENESS_ASSUMPTION].default
    stale = stale_price_ids(catalogs, today, staleness_days)
    sources = price_sources(catalogs)
    return {
        "today": today.isoformat(),
        "packs": [p.model_dump(mode="json") for p in packs],
        "catalog_versions": catalogs.versions,
        "catalog_files": dict(catalog_files),
        "price_staleness_days": staleness_days,
        "prices": len(sources),
        "stale_price_ids": list(stale),
        "stale_as_of": {price_id: sources[price_id].as_of for price_id in stale},
    }
