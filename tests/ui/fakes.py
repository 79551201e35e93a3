"""A stand-in engine for UI tests: the UI's wiring (live panel, results, assumptions, links) is tested
on its own, with numbers that follow the answers so a stale panel is caught."""

from __future__ import annotations

from types import SimpleNamespace

from app.domain.evaluation import (AssumptionValue, CostCurve, Evaluation, Gap, LineItem, OptionCost, Readiness,
                                   Reason, RoadmapPhase, SizingSummary, TippingPoint, WorkloadResult)
from app.engine.answers import scope_values

GPU_PRICE = AssumptionValue(id="gpu_hour_usd", label="GPU hourly price", value=2.5, default=2.5, unit="USD/h",
                            low=1.5, high=4.0, source="Cloud list prices", as_of="2026-10-01")


def _option(option: str, monthly: float) -> OptionCost:
    return OptionCost(option=option, feasible=True, monthly_usd=monthly, one_time_usd=0, horizon_usd=monthly * 36,
                      usd_per_million_tokens=1.0,
                      line_items=(LineItem(id="x", label="Everything", monthly_usd=monthly),))


def fake_evaluation(assessment, catalogs=None, sizing_cache=None, scenarios: bool = True) -> Evaluation:
    workload = assessment.workloads[0] if assessment.workloads else None
    values = scope_values(assessment, workload)
    requests = values.get("requests_per_day") or 0
    override = assessment.assumption_overrides.get(GPU_PRICE.id)
    gpu = GPU_PRICE.model_copy(update={"value": override.value, "overridden": True,
                                       "override_reason": override.reason}) if override else GPU_PRICE
    api = requests * 0.5
    return Evaluation(
        recommendation="api" if api < 20_000 else "hybrid", confidence=0.7, headline="Fake headline.",
        reasons=(Reason(text="Volume is modest.", rests_on=("requests_per_day", GPU_PRICE.id), strength=0.9),),
        roadmap=(RoadmapPhase(phase=1, option="api", trigger="now", title="Start"),),
        options={"api": _option("api", api), "self_host_cloud": _option("self_host_cloud", 20_000 + gpu.value),
                 "self_host_on_prem": _option("self_host_on_prem", 25_000), "hybrid": _option("hybrid", api + 1)},
        break_even_tokens_per_day={"self_host_cloud": 5e7, "self_host_on_prem": None, "hybrid": None},
        readiness=Readiness(overall=55, dimensions={"strategy": 60}, dimension_labels={"strategy": "Strategy"},
                            gaps=(Gap(dimension="strategy", text="No sponsor", action="Find one"),)),
        sizing=SizingSummary(model="llama-3.1-70b", gpu="H100", gpus_per_replica=2, replicas=1),
        workloads=tuple(WorkloadResult(workload_id=w.id, name=w.name, tokens_per_day=1e6, route="api")
                        for w in assessment.workloads),
        tipping_points=(TippingPoint(input="requests_per_day", current=requests, flips_at=40_000,
                                     flips_to="hybrid"),),
        cost_curve=CostCurve(tokens_per_day=(1e6, 1e8), monthly_usd={"api": (10, 1000), "self_host_cloud": (20000, 20000),
                                                                    "self_host_on_prem": (25000, 25000),
                                                                    "hybrid": (10, 1000)},
                             current_tokens_per_day=1e6),
        assumptions=(gpu,), tokens_per_day=requests * 1250.0)


FAKE_ENGINE = SimpleNamespace(evaluate=fake_evaluation, evaluate_core=fake_evaluation)
