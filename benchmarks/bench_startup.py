"""Startup: `llm-advisor --startup-check` against a minimal PySide6 script that shows one QMainWindow and
quits once painted, whole processes, run alternately so both see the same machine load; medians and
their ratios. Both measure from the moment the OS created the process (/proc on Linux), so the bare
window's first paint and the app's first paint (the start page, `startup_ms`) and ready (the wizard
takes input, `ready_ms`) are on one clock. Peak resident memory at the first paint is reported for both.
Targets: first paint at most 1.5x the bare window, ready at most 2.5x, the app's whole process under 1 s."""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
# Prints the same two measures the app prints (milliseconds since process creation; peak RSS in KiB).
BARE_WINDOW = """
import os, resource, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
def since_start_ms():
    with open("/proc/self/stat", "rb") as handle:
        ticks = int(handle.read().rsplit(b")", 1)[1].split()[19])
    with open("/proc/uptime", "rb") as handle:
        uptime = float(handle.read().split()[0])
    return round((time.time() - (time.time() - uptime + ticks / os.sysconf("SC_CLK_TCK"))) * 1000)
app = QApplication(sys.argv)
window = QMainWindow()
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.UpdateRequest:
            watched.removeEventFilter(self)
            print(f"startup_ms={since_start_ms()}", flush=True)
            print(f"peak_rss_kib_at_first_paint={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}",
                  file=sys.stderr, flush=True)
            app.quit()
        return False
window.installEventFilter(Painted(window))
window.show()
app.exec()
"""


def _app_command() -> list[str]:
    script = Path(sys.executable).parent / "llm-advisor"
    return [str(script), "--startup-check"] if script.exists() else [sys.executable, "-m", "app", "--startup-check"]


def _measure(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Process wall time plus every `name=<int>` the process printed (stdout and stderr)."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-300:]}")
    found = dict(re.findall(r"^(\w+)=(\d+)$", done.stdout + "\n" + done.stderr, re.MULTILINE))
    return {"wall_ms": elapsed * 1000, **{name: float(value) for name, value in found.items()}}


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def run() -> list[dict]:
    home = tempfile.mkdtemp(prefix="llm-advisor-bench-")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "LLM_ADVISOR_HOME": home}
    # As on a user's machine (an installed wheel or the bundle), the app's modules load from bytecode:
    # with PYTHONDONTWRITEBYTECODE (set on some CI shells) every run would compile them from source.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    bare_script = Path(home) / "bare_window.py"
    bare_script.write_text(BARE_WINDOW, encoding="utf-8")
    bare_command = [sys.executable, str(bare_script)]
    app_runs, bare_runs = [], []
    try:
        _measure(_app_command(), env)  # warm the file cache once for both
        _measure(bare_command, env)
        for _ in range(RUNS):
            app_runs.append(_measure(_app_command(), env))
            bare_runs.append(_measure(bare_command, env))
    finally:
        shutil.rmtree(home, ignore_errors=True)
    bare, paint, ready = (_median(bare_runs, "startup_ms"), _median(app_runs, "startup_ms"),
                          _median(app_runs, "ready_ms"))
    wall = _median(app_runs, "wall_ms")
    bare_kib, app_kib = _median(bare_runs, "peak_rss_kib_at_first_paint"), _median(app_runs, "peak_rss_kib_at_first_paint")
    return [
        {"benchmark": "startup: bare PySide6 QMainWindow, first paint", "value": round(bare), "unit": "ms",
         "target": "", "ok": True},
        {"benchmark": "startup: app first paint, start page (startup_ms)", "value": round(paint), "unit": "ms",
         "target": "", "ok": True},
        {"benchmark": "startup: app ready, wizard takes input (ready_ms)", "value": round(ready), "unit": "ms",
         "target": "", "ok": True},
        {"benchmark": "startup: ratio first paint / bare window", "value": round(paint / bare, 2), "unit": "x",
         "target": "<= 1.5", "ok": paint / bare <= 1.5},
        {"benchmark": "startup: ratio ready / bare window", "value": round(ready / bare, 2), "unit": "x",
         "target": "<= 2.5", "ok": ready / bare <= 2.5},
        {"benchmark": "startup: llm-advisor --startup-check (process wall)", "value": round(wall), "unit": "ms",
         "target": "< 1000", "ok": wall < 1000},
        {"benchmark": "startup: peak memory at first paint, bare window", "value": round(bare_kib / 1024, 1),
         "unit": "MiB", "target": "", "ok": True},
        {"benchmark": "startup: peak memory at first paint, app", "value": round(app_kib / 1024, 1),
         "unit": "MiB", "target": "", "ok": True},
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
