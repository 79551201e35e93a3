"""The deployment plan's costs: the article's configuration on a real instance, people who scale with the
fleet and the availability asked for, line items as quantity x rate, money over time (cash flow, NPV,
resale, payback) and the base case inside its own range."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine.costs import (Organisation, Serving, grown, ml_engineer_share, people_items, resale_usd,
                              self_host_items, total_monthly, yearly_usd)
from app.engine.evaluate import evaluate, payback_months
from app.engine.pools import Member, Pool, key_of
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs
from app.engine.scenario import build_context, monthly_totals, npv
from app.engine.uncertainty import simulate
from tests.engine.test_costs import item, params, plan, workload

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CATALOGS = load_catalogs()
EXAMPLE_NAMES = sorted(p.stem for p in EXAMPLES.glob("*.llmassess"))
BUSINESS_HOURS = Organisation(needs_inference_hire=False, existing_data_centre=False, reserved_gpus=False)
ROUND_THE_CLOCK = Organisation(needs_inference_hire=False, existing_data_centre=False, reserved_gpus=False,
                               availability="24x7")


@pytest.fixture(scope="module")
def evaluations():
    return {name: evaluate(load_assessment(EXAMPLES / f"{name}.llmassess"), CATALOGS) for name in EXAMPLE_NAMES}


# ---- The article's configuration ---------------------------------------------------------------------------


def test_the_articles_configuration_costs_15_to_25k_a_month_on_a_real_instance():
    """One 70B workload on two A100 80GB (Azure NC24ads A100 v4, one GPU each), business-hours on-call and 25%
    of a senior ML engineer: the seed's $15,000-25,000 a month."""
    a100 = CATALOGS.instances.instances["azure-standard-nc24ads-a100-v4"]
    p = params(ml_engineer_share=0.25)
    w = workload(serving=Serving(plan(gpus_per_replica=1, output_tps=1e9, redundancy=1),
                                 CATALOGS.hardware.gpus["a100-80gb"]))
    pool = Pool("p1", key_of(w.serving.plan), w.serving.gpu, "cloud", (Member("w1", w.serving.plan),), (a100,))
    items = self_host_items([w], p, BUSINESS_HOURS, "cloud", (pool,))
    assert item(items, "gpu_compute_p1").monthly == pytest.approx(2 * 3.673 * p["days_per_month"] * 24)
    assert item(items, "gpu_compute_p1").unit == "azure Standard_NC24ads_A100_v4 hours"
    assert item(items, "ml_engineer").monthly == pytest.approx(5833.33, abs=0.01)
    assert item(items, "sre_oncall").monthly == pytest.approx(230_000 * 0.15 / 12)  # two GPUs: the seed's share
    assert 15_000 <= total_monthly(items) <= 25_000


# ---- People who scale -------------------------------------------------------------------------------------


def test_on_call_follows_the_fleet():
    p = params()
    small = item(people_items(p, BUSINESS_HOURS, fleet_gpus=2), "sre_oncall")
    large = item(people_items(p, BUSINESS_HOURS, fleet_gpus=128), "sre_oncall")
    assert small.monthly == pytest.approx(230_000 * 0.15 / 12)
    assert large.monthly == pytest.approx(230_000 * 2 / 12)  # 128 GPUs / 64 per SRE = 2 FTE
    assert large.quantity == pytest.approx(2.0) and large.quantity * large.rate == pytest.approx(large.monthly)


def test_round_the_clock_cover_costs_a_rota_or_a_managed_fee_whichever_is_cheaper():
    p = params()
    sre_month = 230_000 / 12
    # Small fleet: the 1.5-FTE rota ($28,750) costs more than business hours + the $7,000 managed fee.
    small = item(people_items(p, ROUND_THE_CLOCK, fleet_gpus=2), "sre_oncall")
    assert small.monthly == pytest.approx(0.15 * sre_month + 7000)
    # A fleet that needs three SREs anyway pays for its own rota, not a fee on top.
    large = item(people_items(p, ROUND_THE_CLOCK, fleet_gpus=192), "sre_oncall")
    assert large.monthly == pytest.approx(3 * sre_month)
    cheap_rota = item(people_items(params(managed_oncall_usd_per_month=40_000), ROUND_THE_CLOCK, 2), "sre_oncall")
    assert cheap_rota.monthly == pytest.approx(1.5 * sre_month)


def test_the_ml_engineer_share_grows_with_pools_and_models():
    p = params(ml_engineer_share=0.25)
    assert ml_engineer_share(p, pools=1, models=1) == pytest.approx(0.25)
    assert ml_engineer_share(p, pools=3, models=2) == pytest.approx(0.25 + 2 * 0.1 + 0.05)


# ---- Line items ----------------------------------------------------------------------------------------


def test_every_line_item_is_quantity_times_rate(evaluations):
    for name, evaluation in evaluations.items():
        for option in evaluation.options.values():
            for line in option.line_items:
                assert line.quantity * line.rate_usd == pytest.approx(line.monthly_usd, rel=1e-9, abs=1e-6), (
                    name, option.option, line.id)


def test_pool_lines_add_up_to_the_compute_line(evaluations):
    for evaluation in evaluations.values():
        cloud = evaluation.options["self_host_cloud"]
        compute = sum(i.monthly_usd for i in cloud.line_items if i.id.startswith("gpu_compute_"))
        assert sum(p.monthly_usd for p in cloud.pools) == pytest.approx(compute)


# ---- Money over time --------------------------------------------------------------------------------------


def test_cash_flow_starts_with_one_time_costs_and_sums_to_the_horizon(evaluations):
    for evaluation in evaluations.values():
        for option in evaluation.options.values():
            flows = option.cash_flow_by_year
            assert [f.year for f in flows] == list(range(len(flows)))
            assert flows[0].usd == pytest.approx(option.one_time_usd)
            assert sum(f.usd for f in flows) == pytest.approx(option.horizon_usd)
            assert option.npv_usd == pytest.approx(sum(f.discounted_usd for f in flows))
            assert option.npv_usd < option.horizon_usd or option.horizon_usd == 0


def test_discounting_by_hand():
    # API only, flat: $1,000/month for 24 months at 8%: year 0 nothing, then 12,000 / 1.08 and 12,000 / 1.08^2.
    p = params(api_retry_overhead_share=0.0)
    w = workload()
    flows = yearly_usd("api", grown([w], 24), p, BUSINESS_HOURS, 24)
    monthly = float(np.ravel(flows)[1]) / 12
    assert npv(flows, p) == pytest.approx(12 * monthly / 1.08 + 12 * monthly / 1.08 ** 2)


def test_owned_hardware_is_sold_at_the_end():
    # 8 A100s worth $184,000 (see test_on_prem_lines), fully amortised over the 36-month horizon: 15% back.
    w = workload(tokens_per_day=86.4e6, input_share=0.75, serving=Serving(plan(), CATALOGS.hardware.gpus["a100-80gb"]))
    p = params()
    items = self_host_items([w], p, BUSINESS_HOURS, "on_prem")
    assert resale_usd(items, p, 36) == pytest.approx(184_000 * 0.15)
    assert resale_usd(items, p, 18) == pytest.approx(184_000 * 0.15 / 2)
    flows = yearly_usd("self_host_on_prem", grown([w], 36), p, BUSINESS_HOURS, 36)
    assert float(np.ravel(flows)[3]) == pytest.approx(12 * total_monthly(items) - 184_000 * 0.15)


def test_payback_is_where_the_cumulative_costs_cross():
    # Option: $120 up front, then $10/month; API: $20/month. Cumulative gap closes after 12 months.
    option = np.array([[120.0], [120.0], [120.0]])
    api = np.array([[0.0], [240.0], [240.0]])
    assert payback_months(option, api, 24) == pytest.approx(12.0)
    assert payback_months(api * 2, api, 24) is None


def test_growth_is_applied_to_traffic_year_by_year(evaluations):
    ai_native = evaluations["ai-native-200m-tokens"]
    api = [f.usd for f in ai_native.options["api"].cash_flow_by_year[1:]]
    assert api[1] > api[0] and api[2] > api[1]  # the example grows its traffic every year


# ---- Ranges ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_the_base_case_lies_inside_its_own_range(evaluations, name):
    evaluation = evaluations[name]
    for option, cost in evaluation.options.items():
        p = getattr(evaluation.uncertainty, option)
        assert p.p10 <= cost.monthly_usd <= p.p90, (name, option, cost.monthly_usd, p)
        npv = evaluation.uncertainty.npv[option]
        assert npv.p10 <= npv.p50 <= npv.p90


def _scaled_volumes(assessment, factor: float):
    """Every use case's answered volume times `factor` (answers keep their confidence)."""
    workloads = []
    for w in assessment.workloads:
        answers = {key: a.model_copy(update={"value": a.value * factor})
                   if key in ("requests_per_day", "tokens_per_day") and isinstance(a.value, (int, float)) else a
                   for key, a in w.answers.items()}
        workloads.append(w.model_copy(update={"answers": answers}))
    return assessment.model_copy(update={"workloads": workloads})


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["midsize-general-api", "hospital-phi-on-prem", "ai-native-200m-tokens"]),
       factor=st.floats(0.3, 3.0))
def test_the_base_case_stays_inside_its_range_at_any_volume(name, factor):
    """Capacity steps (whole replicas, whole nodes) make a plan's cost jump when its load crosses one; the base
    case may sit just under a step, yet the draws' mean-centred assumptions keep it inside P10-P90."""
    ctx = build_context(_scaled_volumes(load_assessment(EXAMPLES / f"{name}.llmassess"), factor), CATALOGS)
    base = monthly_totals(ctx, ctx.params, 1.0)
    band = simulate(ctx)
    for option, monthly in base.items():
        p = getattr(band, option)
        assert p.p10 <= float(monthly) <= p.p90, (option, float(monthly), p)


def test_a_projected_volume_keeps_the_base_case_inside_its_range():
    """A projected volume is discounted for the decision (docs/costs.md, "Volume"); the monthly figures and the
    simulated futures both price the same discounted volume, so the base case stays inside its own range."""
    assessment = load_assessment(EXAMPLES / "ai-native-200m-tokens.llmassess")
    workload = assessment.workloads[0]
    basis = workload.answers["volume_basis"].model_copy(update={"value": "projected"})
    projected = assessment.model_copy(update={"workloads": [
        workload.model_copy(update={"answers": {**workload.answers, "volume_basis": basis}})]})
    evaluation = evaluate(projected, CATALOGS)
    assert any(r.text.startswith("Projected, not measured") for r in evaluation.reasons)
    for option, cost in evaluation.options.items():
        p = getattr(evaluation.uncertainty, option)
        assert p.p10 <= cost.monthly_usd <= p.p90, (option, cost.monthly_usd, p)


# ---- Contract -------------------------------------------------------------------------------------------


POOL_KEYS = {"id", "model", "gpu", "provider", "instance", "precision", "engine", "replicas", "gpus_per_replica",
             "utilisation", "workloads", "monthly_usd"}


def test_the_json_carries_the_pool_and_money_keys(evaluations):
    data = json.loads(evaluations["midsize-general-api"].model_dump_json())
    for option in ("self_host_cloud", "self_host_on_prem", "hybrid"):
        assert "pools" in data["options"][option]
    for option in data["options"].values():
        assert {"cash_flow_by_year", "npv_usd", "horizon_usd"} <= set(option)
        assert all(set(year) == {"year", "usd", "discounted_usd"} for year in option["cash_flow_by_year"])
        assert all({"quantity", "unit", "rate_usd"} <= set(line) for line in option["line_items"])
    assert data["pools"] and all(set(pool) == POOL_KEYS for pool in data["pools"])
    pool_ids = {pool["id"] for pool in data["pools"]}
    assert all(w["sizing"]["pool_id"] in pool_ids for w in data["workloads"])
    assert data["sizing"]["pool_id"] in pool_ids
    assert set(data["uncertainty"]["npv"]) == set(data["options"])
