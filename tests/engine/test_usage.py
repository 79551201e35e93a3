"""Measured figures from usage buckets, worked by hand from the fixture exports (tests/fixtures/usage), and
the volume answers they give an assessment."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.usage import UsageBucket, UsageRow
from app.engine.usage import growth_share_per_month, summarize
from app.storage.usage_exports import read_usage_exports

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "usage"
DAYS_PER_MONTH = 30.416666666666668
approx = pytest.approx


def _summary(*names):
    return summarize(read_usage_exports([FIXTURES / n for n in names]), DAYS_PER_MONTH)


def test_openai_figures_by_hand():
    s = _summary("openai_completions_1d.json")
    assert (s.bucket_seconds, s.first_day, s.last_day) == (86400, date(2026, 9, 1), date(2026, 9, 3))
    big = s.model("gpt-4o-2024-08-06")
    # Days 1 and 2: (1000 + 500) and (2000 + 1000) tokens.
    assert (big.days, big.tokens_per_day, big.input_tokens_per_day, big.output_tokens_per_day) == (2, 2250, 1500, 750)
    assert big.cached_input_share == approx(1000 / 3000)
    assert big.requests_per_day == 15
    assert big.peak_to_average_ratio == approx(3000 / 2250)
    assert big.growth_share_per_month == approx(2 ** DAYS_PER_MONTH - 1)  # doubled in one day
    small = s.model("gpt-4o-mini-2024-07-18")
    assert (small.days, small.tokens_per_day, small.requests_per_day, small.peak_to_average_ratio) == (1, 300, 4, 1)
    assert small.cached_input_share == 0 and small.growth_share_per_month is None
    t = s.total
    # Three days with a bucket (the third empty): 1800, 3000 and 0 tokens.
    assert (t.days, t.tokens_per_day) == (3, 1600)
    assert (t.input_tokens_per_day, t.output_tokens_per_day) == (approx(3200 / 3), approx(1600 / 3))
    assert t.cached_input_share == approx(1000 / 3200)
    assert t.requests_per_day == approx(34 / 3)
    assert t.peak_to_average_ratio == approx(3000 / 1600)
    assert t.growth_share_per_month == approx((3000 / 1800) ** DAYS_PER_MONTH - 1)  # the empty day has no log


def test_anthropic_figures_by_hand():
    s = _summary("anthropic_messages_1h.json")
    m = s.model("claude-sonnet-4-20250514")
    # Buckets: 500 + 200, 100 + 100, 1000 + 0 tokens; days 1 and 2.
    assert (s.bucket_seconds, m.days, m.tokens_per_day) == (3600, 2, 950)
    assert (m.input_tokens_per_day, m.output_tokens_per_day) == (800, 150)
    assert m.cached_input_share == approx(800 / 1600)
    assert m.requests_per_day is None
    assert m.peak_to_average_ratio == approx(1000 / (1900 / 3))
    assert m.growth_share_per_month == approx((1000 / 900) ** DAYS_PER_MONTH - 1)


def test_bedrock_figures_by_hand():
    m = _summary("bedrock_invocations.jsonl").model("anthropic.claude-3-haiku-20240307-v1:0")
    # Hour 10 on day 1: 35 + 446 + 150 + 50 = 681 tokens in two requests; hour 9 on day 2: 20 in one.
    assert (m.days, m.tokens_per_day, m.requests_per_day) == (2, 350.5, 1.5)
    assert m.cached_input_share == approx(50 / 195)
    assert m.peak_to_average_ratio == approx(681 / 350.5)


def test_csv_figures_by_hand():
    m = _summary("generic.csv").model("support-bot")
    assert (m.days, m.tokens_per_day, m.requests_per_day) == (2, 1650, 15)
    assert m.cached_input_share == approx(100 / 3000)
    assert m.peak_to_average_ratio == approx(2200 / 1650)
    assert m.growth_share_per_month == approx(2 ** DAYS_PER_MONTH - 1)


def test_mixed_widths_are_put_on_the_widest_grid():
    s = _summary("openai_completions_1d.json", "anthropic_messages_1h.json")
    assert s.bucket_seconds == 86400
    m = s.model("claude-sonnet-4-20250514")
    assert m.peak_to_average_ratio == approx(1000 / 950)  # days 900 and 1000 tokens


def test_requests_are_null_when_any_row_lacks_them():
    s = _summary("openai_completions_1d.json", "anthropic_messages_1h.json")
    assert s.total.requests_per_day is None
    assert s.model("gpt-4o-2024-08-06").requests_per_day == 15


def test_growth_recovers_a_known_daily_rate():
    start = date(2026, 1, 1)
    daily = {start + timedelta(days=i): 1000 * 1.01 ** i for i in range(90)}
    assert growth_share_per_month(daily, DAYS_PER_MONTH) == approx(1.01 ** DAYS_PER_MONTH - 1)
    flat = {start + timedelta(days=i): 5000 for i in range(30)}
    assert growth_share_per_month(flat, DAYS_PER_MONTH) == approx(0, abs=1e-12)


def _buckets(counts):
    start = datetime(2026, 3, 1, tzinfo=timezone.utc)
    return [UsageBucket(start=start + timedelta(hours=i), width_seconds=3600,
                        rows=(UsageRow(model="m", input_tokens=a, output_tokens=b, cached_input_tokens=min(c, a)),))
            for i, (a, b, c) in enumerate(counts)]


counts = st.lists(st.tuples(st.integers(1, 10**6), st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1,
                  max_size=60)


@settings(max_examples=60, deadline=None)
@given(counts, st.integers(2, 50))
def test_scaling_the_volume_scales_only_the_volumes(rows, factor):
    base = summarize(_buckets(rows), DAYS_PER_MONTH).total
    scaled = summarize(_buckets([(a * factor, b * factor, c * factor) for a, b, c in rows]), DAYS_PER_MONTH).total
    assert scaled.tokens_per_day == approx(base.tokens_per_day * factor)
    assert scaled.cached_input_share == approx(base.cached_input_share)
    assert scaled.peak_to_average_ratio == approx(base.peak_to_average_ratio)
    if base.growth_share_per_month is not None:
        assert scaled.growth_share_per_month == approx(base.growth_share_per_month, rel=1e-6, abs=1e-9)
    assert 1 <= base.peak_to_average_ratio <= len(rows) + 1e-9
    assert 0 <= base.cached_input_share <= 1
    assert not math.isnan(base.tokens_per_day)


@pytest.mark.parametrize("model, expected", [
    ("gpt-4o-2024-08-06", "gpt-4o"), ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"), ("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini"),
    ("claude-haiku-4-5-20251001", "claude-haiku-4.5"), ("us.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4"),
    ("anthropic.claude-3-haiku-20240307-v1:0", None), ("gpt-4oo", None), ("support-bot", None),
])
def test_export_models_are_priced_as_their_catalog_model(model, expected):
    from app.engine.usage import catalog_model_for
    from app.storage.catalogs import load_catalogs
    assert catalog_model_for(model, load_catalogs().pricing.api_models) == expected


def test_reconciliation_prices_cached_input_apart():
    from app.engine.usage import reconcile
    from app.storage.catalogs import load_catalogs
    pricing = load_catalogs().pricing
    s = _summary("openai_completions_1d.json")
    result = reconcile(s.models, pricing, DAYS_PER_MONTH, stated_usd_per_month=10.0, mismatch_factor=2.0)
    big, small = result.models
    # gpt-4o at $2.50 / $1.25 cached / $10 per M: a day of 1,000 uncached + 500 cached input and 750 output.
    assert big.api_model_id == "gpt-4o"
    assert big.usd_per_month == approx((1000 * 2.5 + 500 * 1.25 + 750 * 10) / 1e6 * DAYS_PER_MONTH)
    # gpt-4o-mini at $0.15 / $0.60: 200 input and 100 output a day.
    assert small.usd_per_month == approx((200 * 0.15 + 100 * 0.6) / 1e6 * DAYS_PER_MONTH)
    assert result.priced_usd_per_month == approx(big.usd_per_month + small.usd_per_month)
    assert result.stated_over_priced == approx(10.0 / result.priced_usd_per_month)
    assert result.within_tolerance is False  # $10 against about $0.33
    none = reconcile(s.models, pricing, DAYS_PER_MONTH, stated_usd_per_month=None, mismatch_factor=2.0)
    assert (none.stated_over_priced, none.within_tolerance) == (None, None)
