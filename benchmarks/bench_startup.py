"""Startup: wall time of the whole process `llm-advisor --startup-check` (first wizard page shown and
painted) against a minimal PySide6 script that shows one QMainWindow and quits once painted. Runs
alternate so both see the same machine load; medians and their ratio are reported.
Targets: ratio at most 1.5, and the app under 1 s."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.UpdateRequest:
            watched.removeEventFilter(self)
            app.quit()
        return False
window.installEventFilter(Painted(window))
window.show()
app.exec()
"""


def _app_command() -> list[str]:
    script = Path(sys.executable).parent / "llm-advisor"
    return [str(script), "--startup-check"] if script.exists() else [sys.executable, "-m", "app", "--startup-check"]


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-300:]}")
    return elapsed * 1000, done.stdout


def run() -> list[dict]:
    home = tempfile.mkdtemp(prefix="llm-advisor-bench-")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "LLM_ADVISOR_HOME": home}
    bare_script = Path(home) / "bare_window.py"
    bare_script.write_text(BARE_WINDOW, encoding="utf-8")
    app_ms, bare_ms, reported = [], [], []
    try:
        _timed(_app_command(), env)  # warm the file cache once for both
        _timed([sys.executable, str(bare_script)], env)
        for _ in range(RUNS):
            elapsed, out = _timed(_app_command(), env)
            app_ms.append(elapsed)
            reported += [int(line.split("=")[1]) for line in out.splitlines() if line.startswith("startup_ms=")]
            bare_ms.append(_timed([sys.executable, str(bare_script)], env)[0])
    finally:
        shutil.rmtree(home, ignore_errors=True)
    app, bare = statistics.median(app_ms), statistics.median(bare_ms)
    ratio = app / bare
    return [
        {"benchmark": "startup: llm-advisor --startup-check (process wall)", "value": round(app), "unit": "ms",
         "target": "< 1000", "ok": app < 1000},
        {"benchmark": "startup: startup_ms printed by the app", "value": round(statistics.median(reported)),
         "unit": "ms", "target": "", "ok": True},
        {"benchmark": "startup: bare PySide6 QMainWindow (process wall)", "value": round(bare), "unit": "ms",
         "target": "", "ok": True},
        {"benchmark": "startup: ratio app / bare window", "value": round(ratio, 2), "unit": "x", "target": "<= 1.5",
         "ok": ratio <= 1.5},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
