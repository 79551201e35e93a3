"""Names for catalog ids, on screen and on paper: "Llama 3.3 70B" for llama-3.3-70b, "A100 80GB" for
a100-80gb, "FP8" for fp8. The catalogs hold the names (each entry's `name` or `label`); an id no
catalog knows is shown as it is. Machine-read exports (CSV, the Excel model's data) keep the ids."""

from __future__ import annotations

import functools

from app.domain.catalogs import Catalogs


def catalog_names(catalogs: Catalogs) -> dict[str, str]:
    """Every id a result can name, mapped to the catalog's name for it."""
    hardware = catalogs.hardware
    names: dict[str, str] = {}
    for entries in (hardware.models, hardware.engines):
        names.update({key: entry.name for key, entry in entries.items()})
    names.update({key: gpu.short_name or gpu.name for key, gpu in hardware.gpus.items()})
    names.update({key: p.short_name or p.label for key, p in hardware.precisions.items()})
    names.update({key: entry.label for key, entry in catalogs.pricing.api_models.items()})
    names.update({key: entry.label for key, entry in catalogs.hosted.hosted_models.items()})
    return names


@functools.cache
def _current_names() -> dict[str, str]:
    from app.storage.catalogs import load_catalogs  # the user's catalog packs first, then the bundled ones
    try:
        return catalog_names(load_catalogs())
    except Exception:  # noqa: BLE001 (a damaged catalog is reported where it is loaded; here ids stand in)
        return {}


def display_name(catalog_id: str) -> str:
    """The catalogs' name for `catalog_id`, or the id itself where none has one."""
    return _current_names().get(catalog_id, catalog_id)
