"""Accuracy against published measurements (../shared/calibration and benchmarks/data)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from app.storage.hardware_catalog import load_hardware_catalog

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "sizing_accuracy.py"


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("benchmarks_sizing_accuracy", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


ACCURACY = _load_benchmark()
ROWS = ACCURACY.load_rows()
HARDWARE = load_hardware_catalog()


def test_there_are_many_measurements_from_several_sources():
    assert len(ROWS) >= 60
    assert len({row["engine"] for row in ROWS}) >= 3
    assert len({row["gpu"] for row in ROWS}) >= 6
    assert all(row.get("source") for row in ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_every_measurement_within_a_factor_of_1_6(row):
    comparison = ACCURACY.compare(row, HARDWARE)
    assert comparison.predicted is not None, f"{row['id']}: no prediction"
    assert comparison.ratio <= ACCURACY.RATIO_TARGET, (
        f"{row['id']}: measured {comparison.measured}, predicted {comparison.predicted:.1f}")


def test_median_error_within_target():
    assert ACCURACY.median_abs_error_pct(ACCURACY.compare_all(HARDWARE, ROWS)) <= ACCURACY.MEDIAN_TARGET_PCT
