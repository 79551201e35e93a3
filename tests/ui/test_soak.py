"""The soak test of the real wizard (issue 11): 20,000 edits through the real widgets in one process.
It catches what no single test does: a binding that drops or leaks references to None on every call,
widgets that are never deleted, caches that grow for as long as the app runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.ui.results.evaluation import BoundedCache

DRIVER = Path(__file__).with_name("soak_driver.py")
EDITS = 20_000


def test_soak_twenty_thousand_edits_lose_nothing_and_leak_nothing(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LLM_ADVISOR_HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    child = subprocess.run([sys.executable, str(DRIVER), str(EDITS), "11"], capture_output=True, text=True,
                           timeout=600, env=env)  # about 1 min on an idle 2-core CI machine
    assert child.returncode == 0, f"the app died (rc={child.returncode}): {child.stderr[-600:]}"
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    print("soak figures:", figures)  # shown with -s / in the CI log on failure
    assert figures["edits"] >= EDITS
    assert figures["mismatches"] == []
    assert abs(figures["none_refcount_drift"]) <= 50, figures
    assert figures["rss_growth_mib"] < 40, figures


def test_the_sizing_cache_forgets_its_least_recently_used_plans():
    cache = BoundedCache(limit=3)
    for key in "abc":
        cache[key] = key.upper()
    assert cache["a"] == "A"  # a is now the most recently used
    cache["d"] = "D"
    assert list(cache) == ["c", "a", "d"]
    assert "b" not in cache and len(cache) == 3
