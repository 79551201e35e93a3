"""Every assumption has valid bounds from its unit and meaning, wider than its plausible range."""

from __future__ import annotations

import math

import pytest

from app.domain.pricing import UNIT_RANGES
from app.storage.pricing_catalog import load_pricing_catalog


def test_every_bundled_assumption_has_a_known_unit_and_a_plausible_range_inside_its_valid_one():
    for assumption in load_pricing_catalog().assumptions.values():
        assert assumption.unit in UNIT_RANGES, f"{assumption.id}: unit {assumption.unit!r} has no valid range"
        for value in (assumption.low, assumption.default, assumption.high):
            assert assumption.valid.problem(value) is None, (assumption.id, value)


@pytest.mark.parametrize("assumption_id, value, problem", [
    ("min_production_replicas", 0.5, "must be a whole number"),
    ("min_production_replicas", 0, "must be at least 1"),
    ("hardware_price_factor", -1, "must be more than 0"),
    ("hardware_price_factor", 0, "must be more than 0"),
    ("days_per_month", 0, "must be more than 0"),
    ("api_retry_overhead_share", 1.5, "must be at most 1"),
    ("uncertainty_draws", 10**9, "must be at most 100000"),
    ("volume_sigma_stated", math.inf, "must be a finite number"),
])
def test_values_an_assumption_cannot_mean_are_refused(assumption_id, value, problem):
    assert load_pricing_catalog().assumptions[assumption_id].valid.problem(value) == problem


def test_outside_the_plausible_range_is_still_valid():
    days = load_pricing_catalog().assumptions["days_per_month"]
    assert days.valid.problem(days.high + 5) is None  # allowed (the dialog warns)
