"""Sizing accuracy: predicted vs published measurements.

Reads ../shared/calibration/measured-inference.csv (next to the repository, when present) and every
benchmarks/data/*.csv (same columns, each row with its source), sizes each row with the engine and prints
measured, predicted and the error, then the median absolute percentage error and the worst ratio.
Targets: median error <= 20%, every row within a factor of 1.6.

    .venv/bin/python benchmarks/sizing_accuracy.py
"""

from __future__ import annotations

import csv
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.domain.sizing import SizingRequest  # noqa: E402
from app.engine.sizing import estimate  # noqa: E402
from app.storage.hardware_catalog import load_hardware_catalog  # noqa: E402

SHARED_CSV = ROOT.parent / "shared" / "calibration" / "measured-inference.csv"
DATA_DIR = Path(__file__).resolve().parent / "data"
MEDIAN_TARGET_PCT = 20.0
RATIO_TARGET = 1.6
METRICS = ("output_tokens_per_s", "ttft_ms", "tpot_ms", "tokens_per_s_per_user")


@dataclass(frozen=True)
class Comparison:
    row_id: str
    label: str
    metric: str
    measured: float
    predicted: float | None

    @property
    def error_pct(self) -> float | None:
        return None if self.predicted is None else (self.predicted - self.measured) / self.measured * 100

    @property
    def ratio(self) -> float:
        """max(pred/meas, meas/pred); infinite when there is no prediction."""
        if not self.predicted:
            return float("inf")
        return max(self.predicted / self.measured, self.measured / self.predicted)


def measurement_files() -> list[Path]:
    files = [SHARED_CSV] if SHARED_CSV.is_file() else []
    return files + sorted(DATA_DIR.glob("*.csv"))


def load_rows(files: list[Path] | None = None) -> list[dict[str, str]]:
    rows = []
    for path in files if files is not None else measurement_files():
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend(row for row in csv.DictReader(handle) if row.get("metric") in METRICS)
    return rows


def request_for(row: dict[str, str]) -> SizingRequest:
    load = row["load"].strip()
    return SizingRequest(
        model_id=row["model"], gpu_id=row["gpu"], gpus=int(row["gpus"]), precision=row["precision"],
        kv_precision=row.get("kv_precision") or "auto", engine=row["engine"],
        input_tokens=int(row["input_tokens"]), output_tokens=int(row["output_tokens"]),
        concurrency=1 if load == "max" else int(load), max_throughput=load == "max")


def compare(row: dict[str, str], hardware) -> Comparison:
    result = estimate(request_for(row), hardware)
    label = (f"{row['model']} {row['gpu']}x{row['gpus']} {row['precision']} {row['engine']} "
             f"{row['input_tokens']}/{row['output_tokens']} load={row['load']}")
    return Comparison(row["id"], label, row["metric"], float(row["measured"]), getattr(result, row["metric"]))


def compare_all(hardware=None, rows: list[dict[str, str]] | None = None) -> list[Comparison]:
    hardware = hardware or load_hardware_catalog()
    return [compare(row, hardware) for row in (rows if rows is not None else load_rows())]


def median_abs_error_pct(comparisons: list[Comparison]) -> float:
    return statistics.median(abs(c.error_pct) if c.error_pct is not None else float("inf") for c in comparisons)


def main() -> int:
    comparisons = compare_all()
    if not comparisons:
        print("no measurement rows found")
        return 1
    print(f"{'id':<12}{'configuration':<72}{'metric':<22}{'measured':>11}{'predicted':>11}{'error':>9}")
    for c in comparisons:
        predicted = f"{c.predicted:11.1f}" if c.predicted is not None else f"{'no fit':>11}"
        error = f"{c.error_pct:+8.1f}%" if c.error_pct is not None else f"{'-':>9}"
        print(f"{c.row_id:<12}{c.label:<72}{c.metric:<22}{c.measured:11.1f}{predicted}{error}")
    median = median_abs_error_pct(comparisons)
    worst = max(comparisons, key=lambda c: c.ratio)
    print(f"\nrows: {len(comparisons)}  median absolute error: {median:.1f}% (target <= {MEDIAN_TARGET_PCT:.0f}%)")
    print(f"worst row: {worst.row_id} x{worst.ratio:.2f} (target every row within x{RATIO_TARGET})")
    ok = median <= MEDIAN_TARGET_PCT and worst.ratio <= RATIO_TARGET
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
