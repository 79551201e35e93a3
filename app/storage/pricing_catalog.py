"""Loads the pricing catalog (catalogs/api_models.yaml + catalogs/assumptions.yaml) through the resource
locator: a consultancy's updated copy in the user data folder wins over the bundled one."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from app.domain.errors import CatalogError
from app.domain.pricing import PricingCatalog
from app.storage.resources import find_resource
from app.storage.yamlfiles import describe_validation_error, read_yaml

API_MODELS_FILE = "api_models.yaml"
ASSUMPTIONS_FILE = "assumptions.yaml"


def locate_catalog(name: str, folder: Path | None) -> Path:
    if folder is not None:
        return folder / name
    try:
        return find_resource("catalogs", name)
    except FileNotFoundError as error:
        raise CatalogError(str(error)) from None


def read_mapping(path: Path) -> dict:
    data = read_yaml(path, CatalogError)
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping at the top level")
    return data


def _validated(path: Path, data: dict) -> PricingCatalog:
    try:
        return PricingCatalog.model_validate(data)
    except ValidationError as error:
        raise CatalogError(f"{path}: {describe_validation_error(error)}") from None


def load_pricing_catalog(folder: Path | None = None) -> PricingCatalog:
    """API models and assumptions; CatalogError names the file and the field on any problem."""
    models_path, assumptions_path = locate_catalog(API_MODELS_FILE, folder), locate_catalog(ASSUMPTIONS_FILE, folder)
    models, assumptions = read_mapping(models_path), read_mapping(assumptions_path)
    unexpected = sorted(set(assumptions) - {"version", "assumptions", "article"})
    if unexpected:
        raise CatalogError(f"{assumptions_path}: unexpected keys {unexpected}")
    # Validate each file alone first, so an error names the file it is in.
    _validated(models_path, {**models, "assumptions": {}, "version": str(models.get("version", ""))})
    _validated(assumptions_path, {"version": "", "api_models": {}, "assumptions": assumptions.get("assumptions"),
                                  "article": assumptions.get("article") or {}})
    version = f"{models.get('version', '')}+{assumptions.get('version', '')}"
    return _validated(assumptions_path, {**models, "version": version, "assumptions": assumptions["assumptions"],
                                         "article": assumptions.get("article") or {}})
