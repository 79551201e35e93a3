"""The instance and hosted-model catalogs load validated, with errors naming the file; an assessment whose
catalog snapshot predates them still opens and evaluates on its own figures plus what it lacked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from app.domain.errors import CatalogError
from app.engine.evaluate import evaluate_core
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import catalogs_for, load_catalogs, snapshot_of
from app.storage.resources import bundled_dir

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def catalog_copy(tmp_path) -> Path:
    folder = tmp_path / "catalogs"
    shutil.copytree(bundled_dir("catalogs"), folder)
    return folder


def _edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_the_bundled_catalogs_cover_the_providers():
    catalogs = load_catalogs()
    providers = {i.provider for i in catalogs.instances.instances.values()}
    assert providers == {"aws", "azure", "gcp", "oracle", "coreweave", "lambda"}
    assert all(i.source.as_of for i in catalogs.instances.instances.values())
    assert not any(i.gpu == "mi300x" for i in catalogs.instances.instances.values() if i.provider == "aws")


def test_a_commitment_dearer_than_on_demand_is_refused(catalog_copy):
    def dearer(data):
        entry = data["instances"]["aws-p5-48xlarge"]
        entry["committed_1y_usd_per_hour"] = entry["on_demand_usd_per_hour"] * 2

    _edit(catalog_copy, "instances.yaml", dearer)
    with pytest.raises(CatalogError, match="instances.yaml.*3-year <= 1-year <= on-demand"):
        load_catalogs(catalog_copy)


def test_an_instance_of_an_unknown_gpu_is_refused(catalog_copy):
    _edit(catalog_copy, "instances.yaml", lambda data: data["instances"]["aws-p5-48xlarge"].update(gpu="h900"))
    with pytest.raises(CatalogError, match="instances.yaml.*h900"):
        load_catalogs(catalog_copy)


def test_a_hosted_model_without_data_terms_is_refused(catalog_copy):
    _edit(catalog_copy, "hosted_models.yaml", lambda data: data["hosted_models"]["groq-llama-3.3-70b"].pop("baa_available"))
    with pytest.raises(CatalogError, match="hosted_models.yaml.*baa_available"):
        load_catalogs(catalog_copy)


def test_an_old_snapshot_keeps_its_figures_and_gains_what_it_lacked():
    current = load_catalogs()
    old = snapshot_of(current)
    old.pop("instances")
    old.pop("hosted")
    old["pricing"].pop("article")
    for new in ("peak_coincidence_share", "discount_rate_per_year"):
        old["pricing"]["assumptions"].pop(new)
    old["pricing"]["assumptions"]["gpu_price_factor"]["default"] = 1.3  # the figure the file was evaluated on
    assessment = load_assessment(EXAMPLES / "hospital-phi-on-prem.llmassess").model_copy(
        update={"catalog_snapshot": old})
    catalogs = catalogs_for(assessment, current)
    assert catalogs.pricing.assumptions["gpu_price_factor"].default == 1.3
    assert catalogs.instances == current.instances and "discount_rate_per_year" in catalogs.pricing.assumptions
    assert evaluate_core(assessment, catalogs).options["self_host_cloud"].pools
