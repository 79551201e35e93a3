"""Creating a new assessment: the questionnaire embedded, one workload, catalogs snapshotted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app import __version__
from app.domain.assessment import Assessment, Workload
from app.domain.questionnaire import Questionnaire

if TYPE_CHECKING:  # the catalog models are not needed to draw the first page; keep them off startup
    from app.domain.catalogs import Catalogs

FIRST_WORKLOAD_NAME = "Main use case"


def new_assessment(questionnaire: Questionnaire, catalogs: "Catalogs | None" = None) -> Assessment:
    workloads = [Workload(name=FIRST_WORKLOAD_NAME)] if questionnaire.sections_in_scope("workload") else []
    snapshot = None
    if catalogs is not None:
        from app.storage.catalogs import snapshot_of  # lazily: not needed to draw the first page

        snapshot = snapshot_of(catalogs)
    return Assessment(
        app_version=__version__,
        questionnaire=questionnaire,
        workloads=workloads,
        catalog_snapshot=snapshot,
    )
