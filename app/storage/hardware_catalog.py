"""Load the hardware catalog (catalogs/gpus.yaml, models.yaml, engines.yaml, levers.yaml).

Each file is found through the resource locator (user data folder first, then the bundled copy) unless a
folder is given. Errors are CatalogError naming the file and the field."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from app.domain.errors import CatalogError
from app.domain.hardware import EngineProfile, Gpu, HardwareCatalog, OpenModel, OptimisationLever, Precision
from app.storage.resources import find_resource
from app.storage.yamlfiles import describe_validation_error, read_yaml

# file -> {top-level key: type of each entry}; "version" is the one plain value (gpus.yaml).
FILE_SECTIONS: dict[str, dict[str, Any]] = {
    "gpus.yaml": {"gpus": Gpu},
    "models.yaml": {"models": OpenModel},
    "engines.yaml": {"engines": EngineProfile},
    "levers.yaml": {"precisions": Precision, "levers": OptimisationLever},
}
VERSION_FILE, VERSION_KEY = "gpus.yaml", "version"


def catalog_paths(folder: Path | None = None) -> dict[str, Path]:
    """Where each catalog file will be read from."""
    paths = {}
    for name in FILE_SECTIONS:
        if folder is not None:
            paths[name] = Path(folder) / name
            continue
        try:
            paths[name] = find_resource("catalogs", name)
        except FileNotFoundError as error:
            raise CatalogError(str(error)) from None
    return paths


def load_hardware_catalog(folder: Path | None = None) -> HardwareCatalog:
    paths = catalog_paths(folder)
    stamps = tuple((name, str(path), _mtime(path)) for name, path in sorted(paths.items()))
    return _load_cached(stamps)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        raise CatalogError(f"{path}: catalog file not found") from None


@functools.lru_cache(maxsize=8)
def _load_cached(stamps: tuple[tuple[str, str, float], ...]) -> HardwareCatalog:
    sections: dict[str, Any] = {}
    for name, path_text, _ in stamps:
        sections.update(_read_file(name, Path(path_text)))
    try:
        return HardwareCatalog.model_validate(sections)
    except ValidationError as error:
        raise CatalogError(f"hardware catalog: {describe_validation_error(error)}") from None


def _read_file(name: str, path: Path) -> dict[str, Any]:
    data = read_yaml(path, CatalogError)
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: expected a mapping at the top level")
    expected = dict(FILE_SECTIONS[name])
    allowed = set(expected) | ({VERSION_KEY} if name == VERSION_FILE else set())
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise CatalogError(f"{path}: unknown top-level key(s) {unknown}; expected {sorted(allowed)}")
    sections: dict[str, Any] = {}
    for key, entry_type in expected.items():
        if key not in data:
            raise CatalogError(f"{path}: missing top-level key '{key}'")
        try:
            sections[key] = TypeAdapter(dict[str, entry_type]).validate_python(data[key])
        except ValidationError as error:
            raise CatalogError(f"{path}: {key}.{describe_validation_error(error)}") from None
    if name == VERSION_FILE:
        if not isinstance(data.get(VERSION_KEY), str):
            raise CatalogError(f"{path}: field '{VERSION_KEY}' must be a text version")
        sections[VERSION_KEY] = data[VERSION_KEY]
    return sections
