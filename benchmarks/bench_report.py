"""Report speed: a full PDF report (narrative, charts, layout passes, fonts embedded) for the largest example
assessment, median of several runs in one process after a warm-up (fonts registered once, as in the app);
plus the proof that starting the CLI or the GUI package does not import the report stack.

The evaluation is computed once, outside the timing: the report reads it, it does not compute it.
`run()` returns rows for benchmarks/run.py: benchmark, value, unit, target, ok."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

REPORT_TARGET_S = 1.5
REPEATS = 5
EXAMPLE = ROOT / "examples" / "midsize-general-api.llmassess"  # three workloads: the longest report
REPORT_MODULES = ("reportlab", "jinja2", "pypdf")


def _median_report_seconds() -> float:
    from app.domain.brand import BrandProfile
    from app.engine.evaluate import evaluate
    from app.report.pdf import build_report
    from app.storage.assessment_files import load_assessment
    from app.storage.catalogs import catalogs_for

    assessment = load_assessment(EXAMPLE)
    evaluation = evaluate(assessment, catalogs_for(assessment))
    brand = BrandProfile()
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.pdf"
        build_report(assessment, evaluation, brand, out)  # warm-up: font registration, template compilation
        for _ in range(REPEATS):
            start = time.perf_counter()
            build_report(assessment, evaluation, brand, out)
            timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _modules_loaded_by(statement: str) -> list[str]:
    """Report modules a fresh interpreter has loaded after running the statement."""
    code = (f"import sys\n{statement}\n"
            f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules if m.startswith({REPORT_MODULES!r})}})))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return result.stdout.split()


def run() -> list[dict]:
    seconds = _median_report_seconds()
    rows = [{"benchmark": f"report: full PDF, {EXAMPLE.stem} (median of {REPEATS})", "value": seconds,
             "unit": "s", "target": f"< {REPORT_TARGET_S}", "ok": seconds < REPORT_TARGET_S}]
    for label, statement in (("import app.cli + dispatcher", "import app.cli"),
                             ("import app.ui.main (GUI start)", "import app.ui.main, app.ui.main_window"),
                             ("import app.report", "import app.report")):
        loaded = _modules_loaded_by(statement)
        rows.append({"benchmark": f"report stack loaded by {label}", "value": " ".join(loaded) or "none",
                     "unit": "", "target": "none", "ok": not loaded})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
