"""All catalogs, and the catalog snapshot an assessment carries so its results reproduce exactly."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from app.domain.assessment import Assessment
from app.domain.catalogs import Catalogs
from app.domain.errors import AssessmentFileError
from app.storage.hardware_catalog import load_hardware_catalog
from app.storage.pricing_catalog import load_pricing_catalog
from app.storage.yamlfiles import describe_validation_error


def load_catalogs(folder: Path | None = None) -> Catalogs:
    """The app's current catalogs (user data folder first, then the bundled ones)."""
    return Catalogs(hardware=load_hardware_catalog(folder), pricing=load_pricing_catalog(folder))


def snapshot_of(catalogs: Catalogs) -> dict:
    return catalogs.model_dump(mode="json")


def catalogs_for(assessment: Assessment, current: Catalogs | None = None) -> Catalogs:
    """The catalogs an assessment's results rest on: its snapshot when it has one, else the current ones."""
    if assessment.catalog_snapshot is None:
        return current if current is not None else load_catalogs()
    try:
        return Catalogs.model_validate(assessment.catalog_snapshot)
    except ValidationError as error:
        raise AssessmentFileError(f"the catalog snapshot in this file is damaged: {describe_validation_error(error)}",
                                  field="catalog_snapshot") from None

