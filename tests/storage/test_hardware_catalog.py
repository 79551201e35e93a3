"""Loading the hardware catalog: bundled files, user overrides, and errors that name file and field."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from app.domain.errors import CatalogError
from app.storage.hardware_catalog import FILE_SECTIONS, catalog_paths, load_hardware_catalog
from app.storage.resources import USER_DIR_ENV, bundled_dir

REQUIRED_GPUS = {"a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "l40s", "l4", "a10g",
                 "rtx-4090", "rtx-3090", "mi300x"}
REQUIRED_ENGINES = {"tensorrt-llm", "vllm", "sglang", "llama.cpp"}
REQUIRED_LEVERS = {"quantisation-int8", "quantisation-fp8", "quantisation-int4-awq", "quantisation-int4-gptq",
                   "continuous-batching", "prefix-caching", "speculative-decoding", "tensor-parallelism",
                   "fp8-kv-cache"}


@pytest.fixture
def catalog_copy(tmp_path) -> Path:
    folder = tmp_path / "catalogs"
    shutil.copytree(bundled_dir("catalogs"), folder)
    return folder


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_bundled_catalog_has_everything_the_issue_lists():
    catalog = load_hardware_catalog()
    assert REQUIRED_GPUS <= set(catalog.gpus)
    assert REQUIRED_ENGINES <= set(catalog.engines)
    assert any(not engine.tuned for engine in catalog.engines.values()), "an untuned baseline is needed"
    assert REQUIRED_LEVERS <= set(catalog.levers)
    assert {"fp16", "bf16", "fp8", "int8", "int4", "fp4"} <= set(catalog.precisions)
    assert catalog.version


def test_every_entry_carries_a_source_and_date():
    catalog = load_hardware_catalog()
    for gpu in catalog.gpus.values():
        for sourced in (gpu, gpu.on_demand_usd_per_gpu_hour, gpu.reserved_usd_per_gpu_hour, gpu.purchase_usd,
                        gpu.server_usd_per_gpu_slot):
            assert sourced.source.source and sourced.source.as_of
    for table in (catalog.models, catalog.engines, catalog.precisions, catalog.levers):
        assert all(entry.source.as_of for entry in table.values())


def test_tensor_rates_are_dense_not_sparse():
    gpus = load_hardware_catalog().gpus
    assert gpus["h100-sxm"].bf16_dense_tflops == pytest.approx(989.4)  # 1,979 is the 2:4-sparse headline
    assert gpus["a100-80gb"].dense_tflops("fp8") is None
    assert gpus["b200"].dense_tflops("fp4") == 2 * gpus["b200"].dense_tflops("fp8")


def test_reserved_is_cheaper_than_on_demand_typically():
    for gpu_id, gpu in load_hardware_catalog().gpus.items():
        assert gpu.reserved_usd_per_gpu_hour.typical <= gpu.on_demand_usd_per_gpu_hour.typical, gpu_id


def test_explicit_folder(catalog_copy):
    _edit(catalog_copy / "gpus.yaml", lambda data: data.update(version="test-1"))
    assert load_hardware_catalog(catalog_copy).version == "test-1"


def test_user_folder_overrides_bundled_file(tmp_path, monkeypatch):
    monkeypatch.setenv(USER_DIR_ENV, str(tmp_path / "home"))
    user_catalogs = tmp_path / "home" / "data" / "catalogs"
    user_catalogs.mkdir(parents=True)
    shutil.copy(bundled_dir("catalogs") / "gpus.yaml", user_catalogs / "gpus.yaml")
    _edit(user_catalogs / "gpus.yaml", lambda data: data.update(version="consultancy-2026-12"))
    assert catalog_paths()["gpus.yaml"] == user_catalogs / "gpus.yaml"
    assert catalog_paths()["models.yaml"].parent == bundled_dir("catalogs")
    assert load_hardware_catalog().version == "consultancy-2026-12"


def test_bad_field_names_file_and_field(catalog_copy):
    _edit(catalog_copy / "gpus.yaml", lambda data: data["gpus"]["h100-sxm"].update(memory_gib=-1))
    with pytest.raises(CatalogError) as error:
        load_hardware_catalog(catalog_copy)
    assert "gpus.yaml" in str(error.value) and "h100-sxm.memory_gib" in str(error.value)


def test_typo_in_a_key_is_an_error(catalog_copy):
    _edit(catalog_copy / "engines.yaml", lambda data: data["engines"]["vllm"].update(bandwith_efficiency=0.8))
    with pytest.raises(CatalogError) as error:
        load_hardware_catalog(catalog_copy)
    assert "engines.yaml" in str(error.value) and "bandwith_efficiency" in str(error.value)


def test_price_range_must_be_ordered(catalog_copy):
    def invert(data):
        data["gpus"]["l4"]["on_demand_usd_per_gpu_hour"].update(low=5.0)

    _edit(catalog_copy / "gpus.yaml", invert)
    with pytest.raises(CatalogError, match="low <= typical <= high"):
        load_hardware_catalog(catalog_copy)


def test_engine_naming_an_unknown_precision_is_an_error(catalog_copy):
    _edit(catalog_copy / "engines.yaml", lambda data: data["engines"]["vllm"].update(precisions=["bf16", "fp3"]))
    with pytest.raises(CatalogError):
        load_hardware_catalog(catalog_copy)


def test_malformed_yaml_names_file_and_line(catalog_copy):
    (catalog_copy / "levers.yaml").write_text("precisions: {fp16: [\n", encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_hardware_catalog(catalog_copy)
    assert "levers.yaml" in str(error.value) and "line" in str(error.value)


def test_unknown_top_level_key(catalog_copy):
    _edit(catalog_copy / "models.yaml", lambda data: data.update(modles={}))
    with pytest.raises(CatalogError, match="modles"):
        load_hardware_catalog(catalog_copy)


def test_missing_file(catalog_copy):
    (catalog_copy / "engines.yaml").unlink()
    with pytest.raises(CatalogError, match="engines.yaml"):
        load_hardware_catalog(catalog_copy)


def test_loaded_once_until_a_file_changes(catalog_copy):
    first = load_hardware_catalog(catalog_copy)
    assert load_hardware_catalog(catalog_copy) is first
    gpus = catalog_copy / "gpus.yaml"
    _edit(gpus, lambda data: data.update(version="changed"))
    stat = gpus.stat()
    os.utime(gpus, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_hardware_catalog(catalog_copy).version == "changed"


def test_every_catalog_file_is_bundled():
    assert all((bundled_dir("catalogs") / name).is_file() for name in FILE_SECTIONS)
