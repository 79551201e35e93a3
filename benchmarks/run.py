"""Runs every benchmarks/bench_*.py and prints one table of results against their targets.

    make benchmarks                     # all
    .venv/bin/python benchmarks/run.py startup report   # only the modules whose name contains a word

Each module exposes run() -> list of rows {benchmark, value, unit, target, ok}. Timings are medians of
repeated runs within one process run; this machine is shared and noisy, so compare ratios measured in
the same run rather than absolute numbers across runs."""

from __future__ import annotations

import importlib.util
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _format_value(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def main(words: list[str]) -> int:
    sys.path.insert(0, str(HERE.parent))
    modules = sorted(HERE.glob("bench_*.py"))
    if words:
        modules = [m for m in modules if any(w in m.stem for w in words)]
    rows = []
    for path in modules:
        started = time.perf_counter()
        try:
            rows += _load(path).run()
        except Exception as error:  # one broken benchmark must not hide the others
            rows.append({"benchmark": f"{path.stem}: FAILED ({type(error).__name__}: {error})",
                         "value": "", "unit": "", "target": "", "ok": False})
        print(f"  ran {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    width = max([len(r["benchmark"]) for r in rows] + [9])
    print(f"machine: {platform.platform()}, python {platform.python_version()}")
    print(f"{'benchmark':<{width}}  {'value':>12}  {'unit':<8}  {'target':<14}  ok")
    print("-" * (width + 46))
    for row in rows:
        print(f"{row['benchmark']:<{width}}  {_format_value(row['value']):>12}  {row['unit']:<8}  "
              f"{str(row['target']):<14}  {'yes' if row['ok'] else 'NO'}")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
