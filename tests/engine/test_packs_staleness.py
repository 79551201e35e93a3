"""Stale prices: which catalog prices are older than the price_staleness_days assumption on the assessment's
date, as a fact of the Evaluation; the assumption changes what it claims to change."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.domain.assessment import AssumptionOverride
from app.engine.evaluate import evaluate_core
from app.engine.staleness import latest_day, price_sources, stale_price_ids
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs

from tests.conftest import EXAMPLES_DIR


@pytest.mark.parametrize("as_of, day", [("2026-05-07", date(2026, 5, 7)), ("2026-05", date(2026, 5, 31)),
                                        ("2024-02", date(2024, 2, 29)), ("2025", date(2025, 12, 31))])
def test_a_partial_as_of_date_means_its_last_day(as_of, day):
    assert latest_day(as_of) == day


def test_the_threshold_is_exclusive_at_the_day():
    catalogs = load_catalogs()
    assert catalogs.pricing.api_models["gpt-4o"].source.as_of == "2026-05"
    # 2026-05-31 + 120 days = 2026-09-28: still fresh that day, stale the next.
    assert "api_models.gpt-4o" not in stale_price_ids(catalogs, date(2026, 9, 28), 120)
    assert "api_models.gpt-4o" in stale_price_ids(catalogs, date(2026, 9, 29), 120)


def test_every_api_and_gpu_price_is_checked():
    catalogs = load_catalogs()
    sources = price_sources(catalogs)
    assert len(sources) == len(catalogs.pricing.api_models) + 4 * len(catalogs.hardware.gpus)
    assert "gpus.h100-sxm.on_demand_usd_per_gpu_hour" in sources
    assert stale_price_ids(catalogs, date(2020, 1, 1), 120) == ()


def _example(day: date, **overrides):
    assessment = load_assessment(EXAMPLES_DIR / "midsize-general-api.llmassess")
    return assessment.model_copy(update={"modified_at": datetime(day.year, day.month, day.day, tzinfo=timezone.utc),
                                         "assumption_overrides": {k: AssumptionOverride(value=v)
                                                                  for k, v in overrides.items()}})


def test_the_evaluation_names_stale_prices_on_the_assessment_date():
    catalogs = load_catalogs()
    result = evaluate_core(_example(date(2026, 12, 1)), catalogs)
    assert result.stale_prices_on == "2026-12-01"
    assert result.stale_price_ids == stale_price_ids(catalogs, date(2026, 12, 1), 120)
    assert "api_models.gpt-4o" in result.stale_price_ids
    # llama-3.3-70b-groq is dated "2025" (2025-12-31): 335 days before, stale at 120 days but not at 365.
    assert "api_models.llama-3.3-70b-groq" in result.stale_price_ids
    longer = evaluate_core(_example(date(2026, 12, 1), price_staleness_days=365), catalogs)
    assert "api_models.llama-3.3-70b-groq" not in longer.stale_price_ids
    assert set(longer.stale_price_ids) < set(result.stale_price_ids)
    assert evaluate_core(_example(date(2026, 5, 1)), catalogs).stale_price_ids == stale_price_ids(
        catalogs, date(2026, 5, 1), 120)


def test_a_snapshot_from_before_the_assumption_flags_nothing():
    catalogs = load_catalogs()
    data = catalogs.model_dump()
    del data["pricing"]["assumptions"]["price_staleness_days"]
    old = type(catalogs).model_validate(data)
    result = evaluate_core(_example(date(2026, 12, 1)), old)
    assert (result.stale_price_ids, result.stale_prices_on) == ((), "")
