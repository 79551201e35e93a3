"""The recommendation rules, one by one, on hand-made facts and costs."""

from __future__ import annotations

import numpy as np
import pytest

from app.domain.evaluation import Readiness
from app.domain.inputs import EngineInputs, OrganisationInputs, WorkloadInputs
from app.engine import decision
from app.engine.decision import CostView, VolumeView, decide, roadmap, workload_facts
from app.storage.pricing_catalog import load_pricing_catalog

PARAMS = load_pricing_catalog().defaults()
ALL_FEASIBLE = {"api": True, "self_host_cloud": True, "self_host_on_prem": True, "hybrid": True}


def facts(**fields) -> decision.WorkloadFacts:
    w = WorkloadInputs(workload_id=fields.pop("workload_id", "w1"), name="Workload", **fields)
    return workload_facts(EngineInputs(organisation=OrganisationInputs(), workloads=[w]), w, PARAMS)


def costs(api=10_000.0, cloud=20_000.0, on_prem=22_000.0, hybrid=15_000.0, feasible=None, mixed=False) -> CostView:
    monthly = {"api": api, "self_host_cloud": cloud, "self_host_on_prem": on_prem, "hybrid": hybrid}
    return CostView(monthly=monthly, horizon={k: 36 * v for k, v in monthly.items()},
                    feasible={**ALL_FEASIBLE, **(feasible or {})}, hybrid_mixed=mixed)


# ---- Facts ---------------------------------------------------------------------------------------------


def test_premises_residency_is_sovereign_and_rules_out_the_cloud():
    f = facts(data_classes=["phi"], residency="premises")
    assert f.sovereign and not f.cloud_allowed
    assert "premises" in f.sovereignty_why


def test_sensitive_data_without_acceptable_terms_is_sovereign_but_acceptable_terms_are_not():
    assert facts(data_classes=["pii"], api_terms_acceptable="no").sovereign
    assert not facts(data_classes=["pii"], api_terms_acceptable="yes").sovereign
    assert facts(data_classes=["classified"], api_terms_acceptable="yes").sovereign


def test_sub_50ms_is_latency_critical_only_in_one_geography():
    assert facts(ttft_target_ms=40, single_geography="yes").latency_critical
    assert not facts(ttft_target_ms=40, single_geography="no").latency_critical
    assert not facts(ttft_target_ms=200, single_geography="yes").latency_critical


def test_fine_tuning_counts_only_when_critical_and_demonstrated():
    assert facts(fine_tuning_need="critical", fine_tuning_gain_demonstrated="yes").fine_tuning_critical
    assert not facts(fine_tuning_need="critical", fine_tuning_gain_demonstrated="unknown").fine_tuning_critical


def test_narrow_tasks():
    assert facts(task_types=["classification", "extraction"]).narrow
    assert not facts(task_types=["classification", "reasoning"]).narrow
    assert facts(capability_tier="narrow", task_types=["chat"]).narrow


# ---- Rules ---------------------------------------------------------------------------------------------


def test_apis_win_by_default():
    assert decide([facts()], moat=False, costs=costs(), params=PARAMS) == "api"


def test_sovereignty_is_never_sent_to_the_api_however_cheap():
    sovereign = facts(data_classes=["phi"], residency="premises")
    cheap_api = costs(api=100.0, feasible={"api": False, "self_host_cloud": False})
    assert decide([sovereign], moat=False, costs=cheap_api, params=PARAMS) == "self_host_on_prem"


def test_some_sovereign_workloads_make_a_hybrid_when_pure_self_hosting_saves_too_little():
    mixed = [facts(workload_id="a", data_classes=["phi"], residency="premises"), facts(workload_id="b")]
    view = costs(on_prem=14_500.0, feasible={"api": False, "self_host_cloud": False}, mixed=True)
    assert decide(mixed, moat=False, costs=view, params=PARAMS) == "hybrid"


def test_nothing_feasible_is_no_recommendation():
    nothing = {o: False for o in ALL_FEASIBLE}
    assert decide([facts()], moat=False, costs=costs(feasible=nothing), params=PARAMS) is None


def test_ai_as_the_product_lowers_the_saving_but_never_picks_a_far_dearer_option():
    assert decide([facts()], moat=True, costs=costs(api=21_500.0, cloud=20_000.0), params=PARAMS) == "self_host_cloud"
    assert decide([facts()], moat=False, costs=costs(api=21_500.0, cloud=20_000.0), params=PARAMS) == "api"
    assert decide([facts()], moat=True, costs=costs(api=10_000.0, cloud=20_000.0), params=PARAMS) == "api"


def test_volume_self_hosts_only_with_a_clear_saving():
    clear = costs(api=30_000.0, cloud=20_000.0)
    near_tie = costs(api=21_000.0, cloud=20_000.0)  # cheaper, but by less than the required 10%
    assert decide([facts()], moat=False, costs=clear, params=PARAMS) == "self_host_cloud"
    assert decide([facts()], moat=False, costs=near_tie, params=PARAMS) == "api"


def test_narrow_work_goes_hybrid_only_when_cheaper():
    narrow = [facts(workload_id="a", task_types=["classification"]), facts(workload_id="b")]
    assert decide(narrow, moat=False, costs=costs(api=20_000.0, hybrid=15_000.0, cloud=40_000.0, mixed=True),
                  params=PARAMS) == "hybrid"
    assert decide(narrow, moat=False, costs=costs(api=10_000.0, hybrid=15_000.0, mixed=True),
                  params=PARAMS) == "api"


# ---- On the draws --------------------------------------------------------------------------------------


def test_probability_best_counts_the_draws_each_option_is_lowest():
    npvs = {"api": np.array([1.0, 2.0, 3.0, 4.0]), "self_host_cloud": np.array([2.0, 1.0, 1.0, 1.0])}
    assert decision.probability_best(npvs, ["api", "self_host_cloud"]) == {"api": 0.25, "self_host_cloud": 0.75}


def test_a_draw_moves_off_the_api_only_with_the_required_saving():
    npvs = {"api": np.array([100.0, 100.0, 100.0]), "self_host_cloud": np.array([95.0, 85.0, 120.0])}
    winners = decision.rule_winners(npvs, ["api", "self_host_cloud"], 0.10)
    assert winners.tolist() == [0, 1, 0]  # 5% saved is not enough, 15% is, a loss never
    assert decision.choose(npvs, ["api", "self_host_cloud"], 0.10) == "api"
    assert decision.median_saving(npvs, "self_host_cloud", "api") == pytest.approx(0.05)


def test_margins_are_shares_of_the_target_and_negative_when_missed():
    w = WorkloadInputs(workload_id="w", name="W", ttft_target_ms=200, tokens_per_s_per_user_target=20)
    m = decision.margins(w, ttft_ms=150, tpot_ms=55)
    assert m["ttft_share"] == pytest.approx(0.25) and m["tpot_share"] == pytest.approx(-0.1)
    assert decision.misses(m)
    assert decision.margins(WorkloadInputs(workload_id="w", name="W"), 10, 10) == {"ttft_share": None,
                                                                                  "tpot_share": None}


# ---- Roadmap -------------------------------------------------------------------------------------------

LOW = Readiness(overall=20, dimensions={"production_inference": 20.0})
HIGH = Readiness(overall=90, dimensions={"production_inference": 90.0})
VOLUME = VolumeView(stated_tokens_per_day=30e6, decision_tokens_per_day=30e6, projected=(),
                    break_even_tokens_per_day=120e6, rests_on=())


def _readiness(readiness: Readiness, needs_hire: bool):
    return decision.readiness_fact(readiness, needs_hire, PARAMS)


@pytest.mark.parametrize("option", ["hybrid", "self_host_on_prem"])
def test_no_phase_sends_sovereign_data_to_an_api(option):
    sovereign = [facts(workload_id="a", data_classes=["phi"], residency="premises"), facts(workload_id="b")]
    phases = roadmap(option, sovereign, _readiness(LOW, True), VOLUME, "self_host_on_prem", None, (), PARAMS)
    assert all(p.option != "api" for p in phases)
    assert [p.code for p in phases] == ["minimal_self_host", "readiness"]


def test_low_readiness_without_constraints_starts_on_the_api():
    phases = roadmap("self_host_cloud", [facts()], _readiness(LOW, True), VOLUME, "self_host_cloud", None, (),
                     PARAMS)
    assert [p.option for p in phases] == ["api", "self_host_cloud"]


def test_low_readiness_is_a_reason_under_every_option_and_a_ready_team_builds_now():
    assert _readiness(LOW, False) is not None and _readiness(HIGH, False) is None
    phases = roadmap("self_host_cloud", [facts()], None, VOLUME, "self_host_cloud", None, (), PARAMS)
    assert [p.code for p in phases] == ["build_now"]


def test_api_route_names_the_volume_that_would_change_it():
    phases = roadmap("api", [facts()], None, VOLUME, "self_host_cloud", None, (), PARAMS)
    assert phases[0].option == "api" and phases[1].figures["break_even_tokens_per_day"] == 120e6


def test_a_close_call_measures_first_and_unknown_terms_are_a_condition():
    close = decision.Fact("close_call", {"confidence": 0.55, "close_call_confidence": 0.6})
    phases = roadmap("api", [facts()], None, VOLUME, "self_host_cloud", close, ("Triage",), PARAMS)
    assert [p.code for p in phases][:2] == ["measure_first", "unknown_terms"]
