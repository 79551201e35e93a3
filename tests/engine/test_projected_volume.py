"""A projected volume is discounted once, for everything: the options table, the pools, the draws and the
reason that names the discount all rest on the same traffic (issues 13 and 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.evaluate import evaluate
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs
from tests.engine.test_assumptions_live import _answer

CATALOGS = load_catalogs()
MIDSIZE = Path(__file__).parents[2] / "examples" / "midsize-general-api.llmassess"


def _support(volume_basis: str, requests_per_day: float):
    a = _answer(load_assessment(MIDSIZE), "requests_per_day", requests_per_day, 0)
    return _answer(a, "volume_basis", volume_basis, 0)


def test_a_projection_costs_what_a_measurement_of_a_fifth_of_it_costs():
    projected = evaluate(_support("projected", 500_000), CATALOGS)
    measured = evaluate(_support("measured", 100_000), CATALOGS)  # the default overestimation factor is 5
    for option in ("api", "self_host_cloud"):
        assert projected.options[option].monthly_usd == pytest.approx(measured.options[option].monthly_usd, rel=1e-9)
    reason = next(r for r in projected.reasons if r.code == "projected_volume")
    assert reason.figures["decision_tokens_per_day"] == pytest.approx(sum(w.tokens_per_day for w in projected.workloads))
    assert reason.figures["stated_tokens_per_day"] > reason.figures["decision_tokens_per_day"]


def test_the_base_case_of_a_projection_lies_inside_its_own_range():
    result = evaluate(_support("projected", 2_000_000), CATALOGS)
    for option in ("api", "self_host_cloud"):
        band = getattr(result.uncertainty, option)
        assert band.p10 <= result.options[option].monthly_usd <= band.p90, option
