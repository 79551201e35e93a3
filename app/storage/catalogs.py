"""All catalogs, and the catalog snapshot an assessment carries so its results reproduce exactly."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from app.domain.assessment import Assessment
from app.domain.catalogs import Catalogs
from app.domain.errors import AssessmentFileError
from app.storage.hardware_catalog import load_hardware_catalog
from app.storage.instance_catalog import load_hosted_catalog, load_instance_catalog
from app.storage.pricing_catalog import load_pricing_catalog
from app.storage.resources import list_resources
from app.storage.yamlfiles import describe_validation_error


def load_catalogs(folder: Path | None = None) -> Catalogs:
    """The app's current catalogs (user data folder first, then the bundled ones)."""
    hardware = load_hardware_catalog(folder)
    return Catalogs(hardware=hardware, pricing=load_pricing_catalog(folder),
                    instances=load_instance_catalog(hardware, folder), hosted=load_hosted_catalog(folder),
                    wording=load_wording())


def load_wording() -> dict[str, str]:
    """The decision's templates (templates/decision/*.j2), a user copy hiding the bundled one."""
    return {path.name: path.read_text(encoding="utf-8") for path in list_resources("templates", "decision/*.j2")}


def snapshot_of(catalogs: Catalogs) -> dict:
    return catalogs.model_dump(mode="json", exclude={"wording"})


def catalogs_for(assessment: Assessment, current: Catalogs | None = None) -> Catalogs:
    """The catalogs an assessment's results rest on: its snapshot when it has one, else the current ones."""
    current = current if current is not None else load_catalogs()
    if assessment.catalog_snapshot is None:
        return current
    try:
        return Catalogs.model_validate({**_completed(assessment.catalog_snapshot, current),
                                        "wording": current.wording})
    except ValidationError as error:
        raise AssessmentFileError(f"the catalog snapshot in this file is damaged: {describe_validation_error(error)}",
                                  field="catalog_snapshot") from None



def _completed(snapshot: dict, current: Catalogs) -> dict:
    """A snapshot taken before a catalog or an assumption existed takes the current one for what it lacks
    (and only that): an old file keeps every figure it had and gains what newer costs need to run."""
    filled = dict(snapshot)
    now = snapshot_of(current)
    for name in now:
        filled.setdefault(name, now[name])
    pricing = dict(filled.get("pricing") or {})
    if isinstance(pricing.get("assumptions"), dict):
        pricing["assumptions"] = {**now["pricing"]["assumptions"], **pricing["assumptions"]}
        pricing.setdefault("article", now["pricing"]["article"])
        filled["pricing"] = pricing
    return filled
