"""Tornado and tipping points: what moves the decision, and where it flips."""

from __future__ import annotations

from app.domain.assessment import AssumptionOverride

from pathlib import Path

import pytest

from app.engine.scenario import build_context, cost_view, monthly_totals, recommend
from app.engine.sensitivity import key_inputs, self_host_advantage, tipping_points, tornado
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGS = load_catalogs()


@pytest.fixture(scope="module")
def midsize():
    return build_context(load_assessment(EXAMPLES / "midsize-general-api.llmassess"), CATALOGS)


def test_tornado_bars_are_sorted_by_swing_and_match_a_direct_recomputation(midsize):
    bars = tornado(midsize)
    swings = [abs(b.outcome_at_high - b.outcome_at_low) for b in bars]
    assert swings == sorted(swings, reverse=True) and swings[0] > 0
    top = bars[0]
    direct = self_host_advantage(midsize, monthly_totals(midsize, {**midsize.params, top.assumption_id: top.high_value}))
    assert top.outcome_at_high == pytest.approx(float(direct))


def test_engineering_cost_is_in_the_tornado(midsize):
    assert "ml_engineer_usd_per_year" in {b.assumption_id for b in tornado(midsize)}


def test_a_volume_tipping_point_flips_the_recommendation_just_past_it():
    """With no saving required, the hospital's on-prem plan and its hybrid are a close call: a little volume
    flips it (the midsize API company no longer flips within 20x: its AWS-only plan pays for real B200 nodes)."""
    assessment = load_assessment(EXAMPLES / "hospital-phi-on-prem.llmassess")
    assessment = assessment.model_copy(update={"assumption_overrides": {
        "self_host_required_saving_share": AssumptionOverride(value=0.0, reason="no saving required")}})
    hospital = build_context(assessment, CATALOGS)
    current = recommend(hospital, cost_view(hospital, hospital.params))
    volume = {p.input: p for p in tipping_points(hospital, current.replace("_", "-"))}["tokens_per_day"]
    assert volume.flips_to is not None and volume.flips_to != current.replace("_", "-")
    factor = volume.flips_at / volume.current
    step = 0.998 if factor < 1 else 1.002  # the two plans are dollars apart: the next replica step flips it back
    assert recommend(hospital, cost_view(hospital, hospital.params, factor * step)) != current
    assert recommend(hospital, cost_view(hospital, hospital.params, factor / step ** 3)) == current


def test_api_price_tipping_point_is_a_higher_price(midsize):
    price = {p.input: p for p in tipping_points(midsize, "api")}["api_usd_per_million_tokens"]
    assert price.flips_at is not None and price.flips_at > price.current


def test_key_inputs_cover_the_issue_list(midsize):
    assert {k.id for k in key_inputs(midsize)} == {"tokens_per_day", "api_usd_per_million_tokens",
                                                  "ml_engineer_usd_per_year", "gpu_usd_per_hour",
                                                  "gpu_peak_utilisation_target"}


def test_a_hard_constraint_has_no_cost_tipping_point():
    hospital = build_context(load_assessment(EXAMPLES / "hospital-phi-on-prem.llmassess"), CATALOGS)
    points = tipping_points(hospital, "hybrid")
    assert all(p.flips_to != "api" for p in points)
