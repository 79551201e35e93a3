"""The recommendation rules, one by one, on hand-made facts and costs."""

from __future__ import annotations

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


def test_some_sovereign_workloads_make_a_hybrid():
    mixed = [facts(workload_id="a", data_classes=["phi"], residency="premises"), facts(workload_id="b")]
    assert decide(mixed, moat=False, costs=costs(feasible={"api": False, "self_host_cloud": False}, mixed=True),
                  params=PARAMS) == "hybrid"


def test_latency_routes_to_self_hosting():
    latency = facts(ttft_target_ms=40, single_geography="yes")
    assert decide([latency], moat=False, costs=costs(feasible={"api": False}), params=PARAMS) == "self_host_cloud"


def test_ai_as_the_product_self_hosts():
    assert decide([facts()], moat=True, costs=costs(), params=PARAMS) == "self_host_cloud"


def test_volume_self_hosts_only_with_a_clear_saving():
    clear = costs(api=30_000.0, cloud=20_000.0)
    near_tie = costs(api=21_000.0, cloud=20_000.0)  # cheaper, but by less than the required 10%
    assert decide([facts()], moat=False, costs=clear, params=PARAMS) == "self_host_cloud"
    assert decide([facts()], moat=False, costs=near_tie, params=PARAMS) == "api"


def test_the_cheaper_self_hosted_deployment_over_the_horizon_is_chosen():
    assert decide([facts()], moat=True, costs=costs(cloud=20_000.0, on_prem=18_000.0),
                  params=PARAMS) == "self_host_on_prem"


def test_narrow_work_goes_hybrid_only_when_cheaper():
    narrow = [facts(workload_id="a", task_types=["classification"]), facts(workload_id="b")]
    assert decide(narrow, moat=False, costs=costs(api=20_000.0, hybrid=15_000.0, cloud=40_000.0, mixed=True),
                  params=PARAMS) == "hybrid"
    assert decide(narrow, moat=False, costs=costs(api=10_000.0, hybrid=15_000.0, mixed=True),
                  params=PARAMS) == "api"


# ---- Roadmap -------------------------------------------------------------------------------------------

LOW = Readiness(overall=20, dimensions={"production_inference": 20.0})
HIGH = Readiness(overall=90, dimensions={"production_inference": 90.0})
VOLUME = VolumeView(stated_tokens_per_day=30e6, decision_tokens_per_day=30e6, projected=(),
                    break_even_tokens_per_day=120e6, rests_on=(), article_crossover_tokens_per_day=50e6)


@pytest.mark.parametrize("option", ["hybrid", "self_host_on_prem"])
def test_no_phase_sends_sovereign_data_to_an_api(option):
    sovereign = [facts(workload_id="a", data_classes=["phi"], residency="premises"), facts(workload_id="b")]
    phases = roadmap(option, sovereign, LOW, True, VOLUME, "self_host_on_prem", False, PARAMS)
    assert all(p.option != "api" for p in phases)
    assert len(phases) == 2 and "production inference readiness" in phases[1].trigger


def test_low_readiness_without_constraints_starts_on_the_api():
    phases = roadmap("self_host_cloud", [facts()], LOW, True, VOLUME, "self_host_cloud", False, PARAMS)
    assert [p.option for p in phases] == ["api", "self_host_cloud"]
    assert "Revisit quarterly" in phases[-1].trigger


def test_a_ready_team_builds_now():
    phases = roadmap("self_host_cloud", [facts()], HIGH, False, VOLUME, "self_host_cloud", False, PARAMS)
    assert [p.option for p in phases] == ["self_host_cloud"]


def test_api_route_names_the_volume_that_would_change_it():
    phases = roadmap("api", [facts()], HIGH, False, VOLUME, "self_host_cloud", False, PARAMS)
    assert phases[0].option == "api" and "120.0M tokens/day" in phases[1].trigger


def test_confidence_is_high_for_hard_constraints_and_lower_for_projected_volume():
    sovereign = [facts(data_classes=["phi"], residency="premises")]
    view = costs(feasible={"api": False, "self_host_cloud": False})
    assert decision.confidence("self_host_on_prem", sovereign, False, view, 0, False, PARAMS) == PARAMS[
        "confidence_hard_constraint"]
    measured = [facts(volume_basis="measured", volume_measured_days=120)]
    projected = [facts(volume_basis="projected")]
    clear = costs(api=30_000.0, cloud=20_000.0)
    assert decision.confidence("self_host_cloud", projected, False, clear, 0, True, PARAMS) < decision.confidence(
        "self_host_cloud", measured, False, clear, 0, True, PARAMS)


def test_confidence_grows_with_the_cost_gap_and_ignores_a_one_sided_hybrid():
    one = [facts()]
    near = costs(api=10_000.0, cloud=10_500.0, on_prem=11_000.0, hybrid=10_000.0)
    far = costs(api=10_000.0, cloud=40_000.0, on_prem=40_000.0, hybrid=10_000.0)
    assert decision.confidence("api", one, False, far, 0, False, PARAMS) > decision.confidence(
        "api", one, False, near, 0, False, PARAMS)
    assert decision.confidence("api", one, False, far, 0, False, PARAMS) > PARAMS["confidence_base"]


def test_unknown_key_inputs_lower_confidence():
    view = costs(api=10_000.0, cloud=40_000.0)
    assert decision.confidence("api", [facts()], False, view, 3, False, PARAMS) == pytest.approx(
        decision.confidence("api", [facts()], False, view, 0, False, PARAMS) - 3 * PARAMS["confidence_unknown_penalty"])
