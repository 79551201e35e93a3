"""Packaging: the frozen app (PyInstaller bundle from `packaging/build`) beside the development version.

Rows: the Linux bundle's size, and `llm-advisor --startup-check` run from the bundle and from the virtualenv
(`.venv/bin/llm-advisor`), alternating so both see the same machine load: process wall time (median) and the
startup_ms the app prints (median). Without a bundle in dist/ there is one row saying so (ok: the build is a
separate, slow step: packaging/build). A single-file build (packaging/build --onefile) gets its own row.
Targets: bundle < 150 MiB (du -sm); frozen start under 1 s and at most 1.5x the development version."""

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
BUNDLE = ROOT / "dist" / "llm-advisor"
FROZEN = BUNDLE / ("llm-advisor.exe" if sys.platform.startswith("win") else "llm-advisor")
ONEFILE = ROOT / "dist" / ("llm-advisor-onefile.exe" if sys.platform.startswith("win") else "llm-advisor-onefile")
DEV = ROOT / ".venv" / ("Scripts" if sys.platform.startswith("win") else "bin") / "llm-advisor"
RUNS = 5
SIZE_TARGET_MB = 150
STARTUP_TARGET_MS = 1000
RATIO_TARGET = 1.5


def bundle_size_mb(folder: Path) -> float:
    """Bytes of every regular file (symbolic links not followed), in MiB (2**20 bytes)."""
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            if not path.is_symlink():
                total += path.stat().st_size
    return total / 2**20


def _run(command: list[str], env: dict[str, str]) -> tuple[float, int | None]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} --startup-check exited {done.returncode}: {done.stderr.strip()[-300:]}")
    printed = [int(line.split("=", 1)[1]) for line in done.stdout.splitlines() if line.startswith("startup_ms=")]
    return elapsed, (printed[0] if printed else None)


def _measure(commands: dict[str, list[str]]) -> dict[str, tuple[float, float | None]]:
    home = tempfile.mkdtemp(prefix="llm-advisor-bench-packaging-")
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "LLM_ADVISOR_HOME": home}
    walls: dict[str, list[float]] = {name: [] for name in commands}
    printed: dict[str, list[int]] = {name: [] for name in commands}
    try:
        for command in commands.values():
            _run(command, env)  # warm the file cache
        for _ in range(RUNS):
            for name, command in commands.items():  # alternate: same load for all
                wall, ms = _run(command, env)
                walls[name].append(wall)
                if ms is not None:
                    printed[name].append(ms)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return {name: (statistics.median(walls[name]), statistics.median(printed[name]) if printed[name] else None)
            for name in commands}


def run() -> list[dict]:
    rows = []
    if not FROZEN.exists():
        rows.append({"benchmark": "packaging: frozen bundle (dist/llm-advisor) not built; run packaging/build",
                     "value": "", "unit": "", "target": "", "ok": True})
        return rows
    size = bundle_size_mb(BUNDLE)
    rows.append({"benchmark": "packaging: Linux bundle size (dist/llm-advisor)" if sys.platform == "linux"
                 else "packaging: bundle size (dist/llm-advisor)", "value": round(size, 1), "unit": "MiB",
                 "target": f"< {SIZE_TARGET_MB}", "ok": size < SIZE_TARGET_MB})
    commands = {"frozen": [str(FROZEN), "--startup-check"]}
    if DEV.exists():
        commands["dev"] = [str(DEV), "--startup-check"]
    if ONEFILE.exists():
        commands["onefile"] = [str(ONEFILE), "--startup-check"]
    results = _measure(commands)
    frozen_wall, frozen_ms = results["frozen"]
    rows.append({"benchmark": f"packaging: frozen --startup-check (process wall, median of {RUNS})",
                 "value": round(frozen_wall), "unit": "ms", "target": f"< {STARTUP_TARGET_MS}",
                 "ok": frozen_wall < STARTUP_TARGET_MS})
    rows.append({"benchmark": "packaging: frozen startup_ms printed by the app", "value": frozen_ms or "",
                 "unit": "ms", "target": "", "ok": frozen_ms is not None})
    if "dev" in results:
        dev_wall, dev_ms = results["dev"]
        rows.append({"benchmark": f"packaging: dev .venv/bin/llm-advisor --startup-check (process wall, median of {RUNS})",
                     "value": round(dev_wall), "unit": "ms", "target": "", "ok": True})
        rows.append({"benchmark": "packaging: dev startup_ms printed by the app", "value": dev_ms or "",
                     "unit": "ms", "target": "", "ok": dev_ms is not None})
        ratio = frozen_wall / dev_wall
        rows.append({"benchmark": "packaging: ratio frozen / dev (process wall)", "value": round(ratio, 2),
                     "unit": "x", "target": f"<= {RATIO_TARGET}", "ok": ratio <= RATIO_TARGET})
    if "onefile" in results:
        onefile_wall, _ = results["onefile"]
        rows.append({"benchmark": f"packaging: single-file --startup-check (process wall, median of {RUNS})",
                     "value": round(onefile_wall), "unit": "ms", "target": "", "ok": True})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
