"""Uncertainty: seeded, ordered percentiles; an estimated volume gives a wider range than a measured one."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.assessment import Confidence
from app.engine.scenario import build_context
from app.engine.uncertainty import centred_draws, simulate
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGS = load_catalogs()


def _with_volume_confidence(assessment, basis: str, confidence: Confidence):
    workloads = []
    for w in assessment.workloads:
        answers = dict(w.answers)
        answers["volume_basis"] = answers["volume_basis"].model_copy(update={"value": basis})
        for key in ("requests_per_day", "tokens_per_day"):
            if key in answers:
                answers[key] = answers[key].model_copy(update={"confidence": confidence})
        workloads.append(w.model_copy(update={"answers": answers}))
    return assessment.model_copy(update={"workloads": workloads})


@pytest.fixture(scope="module")
def midsize():
    return load_assessment(EXAMPLES / "midsize-general-api.llmassess")


def test_percentiles_are_ordered_and_reproducible(midsize):
    ctx = build_context(midsize, CATALOGS)
    first, second = simulate(ctx), simulate(ctx)
    assert first == second
    assert first.draws == 10_000
    for option in ("api", "self_host_cloud", "self_host_on_prem", "hybrid"):
        p = getattr(first, option)
        assert 0 <= p.p10 <= p.p50 <= p.p90
    assert 0 <= first.probability_self_host_cheaper <= 1


def test_an_estimate_is_wider_than_a_measurement(midsize):
    measured = simulate(build_context(_with_volume_confidence(midsize, "measured", Confidence.MEASURED), CATALOGS))
    estimated = simulate(build_context(_with_volume_confidence(midsize, "projected", Confidence.ESTIMATED), CATALOGS))
    # Relative spread: the projection is also discounted, so its dollars are fewer and wider apart.
    assert math.log(estimated.api.p90 / estimated.api.p10) > 2 * math.log(measured.api.p90 / measured.api.p10)


def test_the_api_company_is_unlikely_to_save_by_self_hosting(midsize):
    assert simulate(build_context(midsize, CATALOGS)).probability_self_host_cheaper < 0.1


def _with_growth(assessment, pct: float, confidence: Confidence):
    from app.domain.assessment import Answer
    return assessment.model_copy(update={"workloads": [w.model_copy(update={"answers": {
        **w.answers, "growth_per_year": Answer(value=pct, confidence=confidence)}}) for w in assessment.workloads]})


def test_growth_is_drawn_by_how_it_is_known_and_only_moves_the_horizon(midsize):
    measured = simulate(build_context(_with_growth(midsize, 30, Confidence.MEASURED), CATALOGS))
    estimated = simulate(build_context(_with_growth(midsize, 30, Confidence.ESTIMATED), CATALOGS))
    width = lambda band: band.p90 / band.p10
    assert width(estimated.npv["api"]) > width(measured.npv["api"]) * 1.1  # the horizon spreads with the growth
    assert estimated.api == measured.api  # the first month's cost has no growth in it yet


@settings(max_examples=60, deadline=None)
@given(low=st.floats(0.0, 100.0), centre_share=st.floats(0.0, 1.0), width=st.floats(0.01, 100.0))
def test_a_default_is_the_mean_of_its_draws_and_the_ends_bound_them(low, centre_share, width):
    """Mean-centred (docs/costs.md, "Uncertainty"): a sum of many skewed lines centres on the sum of their means,
    so each line's draws must average to its default, wherever in its range the default sits."""
    high = low + width
    centre = low + centre_share * width
    drawn = centred_draws(np.random.default_rng(7), low, centre, high, 200_000)
    assert low - 1e-9 <= drawn.min() and drawn.max() <= high + 1e-9
    assert abs(drawn.mean() - centre) <= 0.005 * width


def test_a_skewed_default_sits_above_its_median_draw():
    # Default 0.3 in 0.25-0.5 (the ML-engineer share): 80% of the draws lie below it, so the median is under it
    # while the mean is on it.
    drawn = centred_draws(np.random.default_rng(3), 0.25, 0.3, 0.5, 100_000)
    assert np.mean(drawn < 0.3) == pytest.approx(0.8, abs=0.01)
    assert drawn.mean() == pytest.approx(0.3, abs=0.002)
