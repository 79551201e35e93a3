"""Names for catalog ids, on screen and on paper: "Llama 3.3 70B" for llama-3.3-70b, "A100 80GB" for
a100-80gb, "FP8" for fp8. The catalogs hold the names (each entry's `name` or `label`); an id no
catalog knows is shown as it is. Machine-read exports (CSV, the Excel model's data) keep the ids."""

from __future__ import annotations

import functools
import re

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
    names.update(catalogs.instances.provider_names)
    return names


@functools.cache
def _current_names() -> dict[str, str]:
    from app.storage.catalogs import load_catalogs  # the user's catalog packs first, then the bundled ones
    try:
        return catalog_names(load_catalogs())
    except Exception:  # noqa: BLE001 (a damaged catalog is reported where it is loaded; here ids stand in)
        return {}


def pool_label(pool_id: str) -> str:
    """ "Pool 2" for the plan's pool p2: how a pool is named to people (exports' data keep the id)."""
    number = pool_id.removeprefix("p")
    return f"Pool {number}" if number.isdigit() else pool_id


def display_name(catalog_id: str) -> str:
    """The catalogs' name for `catalog_id`, or the id itself where none has one."""
    return _current_names().get(catalog_id, catalog_id)


@functools.cache
def _id_pattern() -> re.Pattern | None:
    """Every catalog id that has a name of its own, as a whole word (longest first, so a longer id wins)."""
    ids = sorted((key for key, name in _current_names().items() if name != key), key=len, reverse=True)
    # Not inside a longer name: "p6-b200.48xlarge" keeps its "b200"; a sentence's full stop may follow.
    return re.compile(r"(?<![\w./:-])(" + "|".join(map(re.escape, ids)) + r")(?![\w/-]|\.\w)") if ids else None


def with_names(text: str) -> str:
    """`text` with every catalog id in it replaced by the catalog's name: for labels built from ids
    ("llama-3.3-70b (bf16) on NVIDIA H100" reads "Llama 3.3 70B (BF16) on NVIDIA H100")."""
    pattern = _id_pattern()
    return pattern.sub(lambda match: display_name(match.group(1)), text) if pattern else text


def catalog_ids_in(text: str) -> list[str]:
    """The catalog ids `text` shows where their names belong (the tests' check on screens and reports)."""
    pattern = _id_pattern()
    return sorted({match.group(1) for match in pattern.finditer(text)}) if pattern else []


PRICE_FIELDS = {"on_demand_usd_per_gpu_hour": "on-demand price", "reserved_usd_per_gpu_hour": "reserved price",
                "purchase_usd": "purchase price", "server_usd_per_gpu_slot": "server price per GPU slot"}


def price_name(price_id: str) -> str:
    """A catalog price by name: "OpenAI GPT-4o" for api_models.gpt-4o, "A100 40GB on-demand price" for
    gpus.a100-40gb.on_demand_usd_per_gpu_hour (app/engine/staleness.py's ids)."""
    kind, _, rest = price_id.partition(".")
    if kind == "gpus" and "." in rest:
        gpu, _, field = rest.rpartition(".")
        return f"{display_name(gpu)} {PRICE_FIELDS.get(field, field.replace('_', ' '))}"
    return display_name(rest or price_id)
