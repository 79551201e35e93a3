"""Loads catalogs/instances.yaml (what each cloud rents, at what price; every instance must name a GPU the
hardware catalog knows) and catalogs/hosted_models.yaml (open-weight models on hosted endpoints)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from app.domain.errors import CatalogError
from app.domain.hardware import HardwareCatalog
from app.domain.instances import InstanceCatalog
from app.domain.pricing import HostedCatalog
from app.storage.pricing_catalog import locate_catalog, read_mapping
from app.storage.yamlfiles import describe_validation_error

INSTANCES_FILE = "instances.yaml"


def load_instance_catalog(hardware: HardwareCatalog, folder: Path | None = None) -> InstanceCatalog:
    path = locate_catalog(INSTANCES_FILE, folder)
    try:
        catalog = InstanceCatalog.model_validate(read_mapping(path))
    except ValidationError as error:
        raise CatalogError(f"{path}: {describe_validation_error(error)}") from None
    unknown = sorted({i.gpu for i in catalog.instances.values()} - set(hardware.gpus))
    if unknown:
        raise CatalogError(f"{path}: instances name GPUs the hardware catalog does not know: {unknown}")
    return catalog


HOSTED_FILE = "hosted_models.yaml"


def load_hosted_catalog(folder: Path | None = None) -> HostedCatalog:
    """Open-weight models on hosted endpoints, with their prices and data terms."""
    path = locate_catalog(HOSTED_FILE, folder)
    try:
        return HostedCatalog.model_validate(read_mapping(path))
    except ValidationError as error:
        raise CatalogError(f"{path}: {describe_validation_error(error)}") from None
