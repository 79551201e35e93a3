"""Sizing speed: one estimate, and a sweep of every GPU x precision x engine for one workload.

`run()` returns rows for benchmarks/run.py: benchmark, value, unit, target, ok."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from app.domain.sizing import SizingRequest
from app.engine.sizing import estimate
from app.storage.hardware_catalog import load_hardware_catalog

ESTIMATE_TARGET_MS = 1.0
SWEEP_TARGET_MS = 100.0
ESTIMATE_REPEATS = 200
SWEEP_REPEATS = 7
WORKLOAD = {"model_id": "llama-3.1-70b", "input_tokens": 1024, "output_tokens": 256, "concurrency": 8}


def _median_ms(action, repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _sweep_requests(hardware) -> list[SizingRequest]:
    return [SizingRequest(gpu_id=gpu, precision=precision, engine=engine, **WORKLOAD)
            for gpu in hardware.gpus for precision in hardware.precisions for engine in hardware.engines]


def run() -> list[dict]:
    hardware = load_hardware_catalog()
    single = SizingRequest(gpu_id="h100-sxm", gpus=2, precision="fp8", **WORKLOAD)
    sweep = _sweep_requests(hardware)
    one_ms = _median_ms(lambda: estimate(single, hardware), ESTIMATE_REPEATS)
    sweep_ms = _median_ms(lambda: [estimate(request, hardware) for request in sweep], SWEEP_REPEATS)
    return [
        {"benchmark": "sizing: one estimate (median)", "value": round(one_ms, 4), "unit": "ms",
         "target": f"< {ESTIMATE_TARGET_MS:g} ms", "ok": one_ms < ESTIMATE_TARGET_MS},
        {"benchmark": f"sizing: sweep of {len(sweep)} GPU x precision x engine (median)",
         "value": round(sweep_ms, 2), "unit": "ms", "target": f"< {SWEEP_TARGET_MS:g} ms",
         "ok": sweep_ms < SWEEP_TARGET_MS},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
