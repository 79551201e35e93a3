"""Creating a new assessment: the questionnaire embedded, one workload, catalogs snapshotted."""

from __future__ import annotations

from app import __version__
from app.domain.assessment import Assessment, Workload
from app.domain.catalogs import Catalogs
from app.domain.questionnaire import Questionnaire
from app.storage.catalogs import snapshot_of

FIRST_WORKLOAD_NAME = "Main use case"


def new_assessment(questionnaire: Questionnaire, catalogs: Catalogs | None = None) -> Assessment:
    workloads = [Workload(name=FIRST_WORKLOAD_NAME)] if questionnaire.sections_in_scope("workload") else []
    return Assessment(
        app_version=__version__,
        questionnaire=questionnaire,
        workloads=workloads,
        catalog_snapshot=snapshot_of(catalogs) if catalogs is not None else None,
    )
