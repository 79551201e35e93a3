"""Report speed: a full PDF report (narrative, charts, layout passes, fonts embedded) for the largest example
assessment, median of several runs in one process after a warm-up (fonts registered once, as in the app);
plus the proof that starting the CLI or the GUI package does not import the report stack.

The evaluation is computed once, outside the timing: the report reads it, it does not compute it.

And, as whole processes (issue 16): `llm-advisor report` against a plain reportlab document of the same
pages, tables and charts (benchmarks/plain_report.py: the same load and evaluation, then one plain pass),
run alternately so both see the same machine load; the ratio of the medians must stay under 1.5.
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
PROCESS_RATIO_TARGET = 1.5
PROCESS_REPEATS = 5
PLAIN = ROOT / "benchmarks" / "plain_report.py"


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


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    return time.perf_counter() - start


def process_ratio() -> tuple[float, float, float]:
    """Medians of whole `llm-advisor report` and plain-reportlab processes, alternating; and their ratio."""
    with tempfile.TemporaryDirectory() as folder:
        content, out = Path(folder) / "content.json", Path(folder) / "out.pdf"
        subprocess.run([sys.executable, str(PLAIN), "dump", str(EXAMPLE), str(content)], cwd=ROOT, check=True)
        full_command = [sys.executable, "-m", "app", "report", str(EXAMPLE), "-o", str(out)]
        plain_command = [sys.executable, str(PLAIN), "build", str(EXAMPLE), str(content), str(out)]
        _seconds(full_command), _seconds(plain_command)  # warm the file cache
        full, plain = [], []
        for _ in range(PROCESS_REPEATS):
            full.append(_seconds(full_command))
            plain.append(_seconds(plain_command))
    full_s, plain_s = statistics.median(full), statistics.median(plain)
    return full_s, plain_s, full_s / plain_s


def run() -> list[dict]:
    seconds = _median_report_seconds()
    rows = [{"benchmark": f"report: full PDF, {EXAMPLE.stem} (median of {REPEATS})", "value": seconds,
             "unit": "s", "target": f"< {REPORT_TARGET_S}", "ok": seconds < REPORT_TARGET_S}]
    full, plain, ratio = process_ratio()
    rows.append({"benchmark": f"report: whole `report` process / plain reportlab of the same content "
                              f"({full:.2f} s / {plain:.2f} s, medians of {PROCESS_REPEATS} alternating)",
                 "value": ratio, "unit": "x", "target": f"< {PROCESS_RATIO_TARGET}",
                 "ok": ratio < PROCESS_RATIO_TARGET})
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
