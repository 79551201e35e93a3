"""Accuracy against published measurements (../shared/calibration and benchmarks/data), in sample and with
each source held out of the calibration (leave-one-source-out). The bounds are the figures measured when the
catalog was last calibrated (docs/sizing.md); a change that makes any of them worse fails here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from app.storage.hardware_catalog import load_hardware_catalog

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "sizing_accuracy.py"
HELD_OUT_FILE = BENCHMARK.parent / "data" / "heldout_2026.csv"

# Measured at calibration (benchmarks/sizing_accuracy.py), rounded up a little.
IN_SAMPLE_MEDIAN_PCT = 8.0
IN_SAMPLE_WORST = 1.55
LOSO_MEDIAN_PCT = 12.0
LOSO_WORST = 1.8
CATALOG_FIT_TOLERANCE = 0.05
# Rows the physics does not explain, each bounded so it cannot silently get worse (docs/sizing.md).
KNOWN_OUTLIERS = {
    # gpustack's default `trtllm-serve --ep_size 8` DeepSeek-R1 burst: 1,619 tok/s; its peak matches vLLM's but
    # its median ITL is 1.7x vLLM's (112 ms vs 66 ms). Sized as a burst with default-flag CUDA graphs (eager steps
    # off the captured sizes) and tensor-parallel attention: 1.76x optimistic, in sample and held out (1.85x held
    # out in a bare clone, whose folds fit without ../shared/calibration's rows).
    "GPS-03": 1.9,
}


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("benchmarks_sizing_accuracy", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


ACCURACY = _load_benchmark()
ROWS = ACCURACY.load_rows()
SCORED = ACCURACY.scored(ROWS)
HARDWARE = load_hardware_catalog()


# The catalog is fitted on every source, ../shared/calibration's included; a checkout without that folder next to it
# (a bare clone) cannot reproduce the fit or its worst held-out row, so those two checks need it.
NEEDS_SHARED = pytest.mark.skipif(not ACCURACY.SHARED_CSV.exists(),
                                  reason="../shared/calibration/measured-inference.csv is not next to this checkout")


@pytest.fixture(scope="module")
def held_out():
    return ACCURACY.leave_one_source_out(HARDWARE, ROWS)


def test_there_are_many_measurements_from_several_sources():
    assert len(ROWS) >= 170
    assert len({row["engine"] for row in ROWS}) >= 3
    assert len({row["gpu"] for row in ROWS}) >= 6
    assert len({ACCURACY.source_of(row) for row in ROWS}) >= 12
    assert all(row.get("source") for row in ROWS)


def test_the_held_out_file_has_40_dated_rows_from_6_sources():
    rows = ACCURACY.load_rows([HELD_OUT_FILE])
    assert len(rows) >= 40
    assert len({ACCURACY.source_of(row) for row in rows}) >= 6
    assert all(row["date"] and row["source"] for row in rows)


def test_disputed_rows_say_why_and_are_few():
    disputed = [row for row in ROWS if row.get("disputed")]
    assert len(disputed) <= 1 and all(len(row["disputed"]) > 40 for row in disputed)


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_every_row_is_answered(row):
    assert ACCURACY.compare(row, HARDWARE).predicted is not None, f"{row['id']}: no prediction"


def test_in_sample_median_and_worst():
    comparisons = ACCURACY.compare_all(HARDWARE, SCORED)
    assert ACCURACY.median_abs_error_pct(comparisons) <= IN_SAMPLE_MEDIAN_PCT
    worst = max((c for c in comparisons if c.row_id not in KNOWN_OUTLIERS), key=lambda c: c.ratio)
    assert worst.ratio <= IN_SAMPLE_WORST, f"{worst.row_id}: x{worst.ratio:.2f}"


@pytest.mark.parametrize("row_id", sorted(KNOWN_OUTLIERS))
def test_known_outliers_stay_within_their_bound(row_id, held_out):
    row = next(row for row in SCORED if row["id"] == row_id)
    assert ACCURACY.compare(row, HARDWARE).ratio <= KNOWN_OUTLIERS[row_id]
    assert held_out[row_id].ratio <= KNOWN_OUTLIERS[row_id]


def test_leave_one_source_out_median_meets_the_issue_target(held_out):
    loso = ACCURACY.summarise("all", [held_out[row["id"]] for row in SCORED])
    assert loso.median_pct <= min(LOSO_MEDIAN_PCT, ACCURACY.LOSO_MEDIAN_TARGET_PCT)


@NEEDS_SHARED
def test_leave_one_source_out_worst_row(held_out):
    """Held out, the worst row is a single-source effect whose parameter falls back to an outside prior: gpustack's
    Qwen3-235B FP8 on vLLM (1.79x pessimistic: block-scaled FP8 experts are measured there only, and the kernel
    benchmark prior is harsher than that row). TensorRT-LLM's MoE tables held out stay within 1.6x."""
    others = [held_out[row["id"]] for row in SCORED if row["id"] not in KNOWN_OUTLIERS]
    worst = max(others, key=lambda c: c.ratio)
    assert worst.ratio <= LOSO_WORST, f"{worst.row_id}: x{worst.ratio:.2f}"


def test_tables_cover_every_source_and_the_five_classes(held_out):
    sources = {s.group for s in ACCURACY.by_source(ROWS, held_out)}
    classes = {s.group for s in ACCURACY.by_class(ROWS, held_out, HARDWARE)}
    assert sources == {ACCURACY.source_of(row) for row in SCORED}
    assert classes == {"MoE", "AMD", "saturation", "small-model single stream", "llama.cpp prefill"}


def test_held_out_predictions_differ_from_the_shipped_catalog(held_out):
    """The fold really refits: a held-out source's rows are not predicted by the numbers fitted on them."""
    row = next(row for row in SCORED if row["id"] == "ORA-256")
    assert held_out["ORA-256"].predicted != pytest.approx(ACCURACY.compare(row, HARDWARE).predicted, rel=0.01)


@NEEDS_SHARED
def test_catalog_holds_the_all_source_fit():
    fitted = ACCURACY.fitted_values(ACCURACY.fit(ACCURACY.with_priors(HARDWARE), SCORED))
    shipped = ACCURACY.fitted_values(HARDWARE)
    for name, value in fitted.items():
        assert shipped[name] == pytest.approx(value, rel=CATALOG_FIT_TOLERANCE, abs=0.5), name




# MLP-01's configuration as ../shared/calibration holds it, stated as four TP2 engines on its eight H100s.
STATED_ROW = {"id": "TP-TEST", "model": "llama-2-70b", "gpu": "h100-sxm", "gpus": "8", "precision": "fp8",
              "engine": "tensorrt-llm", "input_tokens": "300", "output_tokens": "265", "load": "max",
              "metric": "output_tokens_per_s", "measured": "24528.3", "notes": "", "tensor_parallel": "2",
              "source": "MLPerf Inference v4.1 closed, HPE Cray XD670 (offline scenario)"}


def test_a_row_that_states_its_tensor_parallel_degree_is_sized_as_data_parallel_copies():
    """One TP2 copy's throughput, four times."""
    assert (ACCURACY.tensor_parallel(STATED_ROW), ACCURACY.replicas(STATED_ROW)) == (2, 4)
    one_copy = {**STATED_ROW, "gpus": "2", "tensor_parallel": ""}
    assert ACCURACY.compare(STATED_ROW, HARDWARE).predicted == pytest.approx(
        4 * ACCURACY.compare(one_copy, HARDWARE).predicted)


@NEEDS_SHARED
def test_mlperfs_row_takes_its_stated_degree_with_its_source():
    """benchmarks/stated_configurations.csv: the HPE XD670 ran four TP2 engines."""
    row = next(row for row in ROWS if row["id"] == "MLP-01")
    assert (ACCURACY.tensor_parallel(row), ACCURACY.replicas(row)) == (2, 4)
    assert "inference_results_v4.1" in row["notes"]


def test_a_stated_degree_must_divide_the_gpus():
    with pytest.raises(ValueError):
        ACCURACY.replicas({**STATED_ROW, "tensor_parallel": "3"})
