"""Export speed (issue 16): the Excel model and the Word report each build in under 1 s once the evaluation
is in hand (median of several runs in one process after a warm-up), and, as whole processes, `llm-advisor
export` costs little more than `llm-advisor evaluate --json` on the same file: the ratio of the two, measured
in the same run, is what to compare across machines (this one is shared and noisy).

`run()` returns rows for benchmarks/run.py: benchmark, value, unit, target, ok."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "midsize-general-api.llmassess"  # three workloads: the largest exports
BUILD_TARGET_S = 1.0
# A whole export process may take this many times a whole `evaluate --json` process (the same evaluation,
# plus the export libraries' imports and the build).
PROCESS_RATIO_TARGET = 1.6
REPEATS = 5
CLI = [sys.executable, "-m", "app"]


def _build_seconds() -> dict[str, float]:
    from app.domain.brand import BrandProfile
    from app.engine.evaluate import evaluate
    from app.engine.scenario import build_context
    from app.report.docx_report import build_docx
    from app.report.plan_years import yearly_items
    from app.report.xlsx_model import build_xlsx
    from app.storage.assessment_files import load_assessment
    from app.storage.catalogs import catalogs_for

    assessment = load_assessment(EXAMPLE)
    catalogs, cache = catalogs_for(assessment), {}
    ctx = build_context(assessment, catalogs, cache)
    evaluation = evaluate(assessment, catalogs, cache)
    builds = {"xlsx": lambda: build_xlsx(assessment, evaluation, yearly_items(ctx), catalogs),
              "docx": lambda: build_docx(assessment, evaluation, BrandProfile(), catalogs)}
    medians = {}
    for name, build in builds.items():
        build()  # warm-up: fonts, templates
        timings = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            build()
            timings.append(time.perf_counter() - start)
        medians[name] = statistics.median(timings)
    return medians


def _process_seconds(args: list[str]) -> float:
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(CLI + args, cwd=ROOT, capture_output=True, check=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def run() -> list[dict]:
    rows = []
    for name, seconds in _build_seconds().items():
        rows.append({"benchmark": f"export: {name} build, {EXAMPLE.stem} (median of {REPEATS})", "value": seconds,
                     "unit": "s", "target": f"< {BUILD_TARGET_S}", "ok": seconds < BUILD_TARGET_S})
    baseline = _process_seconds(["evaluate", str(EXAMPLE), "--json"])
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("xlsx", "docx", "csv"):
            out = Path(folder) / f"out.{fmt}"
            ratio = _process_seconds(["export", str(EXAMPLE), "--format", fmt, "-o", str(out)]) / baseline
            rows.append({"benchmark": f"export: whole `export --format {fmt}` / `evaluate --json`", "value": ratio,
                         "unit": "x", "target": f"< {PROCESS_RATIO_TARGET}", "ok": ratio < PROCESS_RATIO_TARGET})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
