"""Fixtures for the report tests: an example assessment and a hand-built Evaluation with known numbers
(so a test can say which figure must appear, independently of the engine)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.brand import BrandProfile
from app.domain.evaluation import (
    AssumptionValue, CostCurve, Evaluation, Gap, LeverEffect, LineItem, Notice, OptionCost, Percentiles, Readiness,
    Reason, RoadmapPhase, SizingSummary, TippingPoint, TornadoBar, Uncertainty, WorkloadResult,
)
from app.storage.assessment_files import load_assessment

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "bank-low-latency.llmassess"


def _option(option: str, items: list[tuple[str, str, float, float, tuple[str, ...]]], *, feasible: bool = True,
            reason: str | None = None, per_million: float = 1.0, horizon_months: int = 36) -> OptionCost:
    line_items = tuple(LineItem(id=i, label=label, monthly_usd=m, one_time_usd=o, rests_on=rests)
                       for i, label, m, o, rests in items)
    monthly = sum(i.monthly_usd for i in line_items)
    one_time = sum(i.one_time_usd for i in line_items)
    return OptionCost(option=option, feasible=feasible, infeasible_reason=reason, monthly_usd=monthly,
                      one_time_usd=one_time, horizon_usd=monthly * horizon_months + one_time,
                      usd_per_million_tokens=per_million, line_items=line_items)


def make_evaluation(**overrides) -> Evaluation:
    """A plausible Evaluation for the bank example; monthly API cost is exactly 12,345.50 USD."""
    options = {
        "api": _option("api", [("api_tokens", "API tokens", 12_000.0, 0.0,
                                ("api_price_gpt_4o_mini", "requests_per_day")),
                               ("api_retries", "Retries and overhead", 345.5, 0.0, ("retry_share",))],
                       per_million=2.93),
        "self_host_cloud": _option("self_host_cloud", [
            ("gpu_compute", "GPU compute (2 x L4, on demand)", 1_752.0, 0.0, ("gpu_hour_price", "replicas")),
            ("ml_engineer", "ML engineer share (25%)", 5_833.33, 0.0, ("ml_engineer_cost", "ml_engineer_share")),
            ("oncall", "On-call for GPU failure modes", 2_000.0, 0.0, ("oncall_cost",)),
            ("optimisation", "Upfront inference optimisation", 0.0, 16_000.0, ("optimisation_weeks",)),
            ("evaluation", "Model evaluation and updates", 1_500.0, 0.0, ("evaluation_cost",)),
        ], per_million=2.60),
        "self_host_on_prem": _option("self_host_on_prem", [
            ("hardware", "GPU servers, amortised over 36 months", 1_100.0, 0.0, ("server_price",)),
            ("power", "Power and cooling", 310.0, 0.0, ("power_cost", "pue")),
            ("ml_engineer", "ML engineer share (25%)", 5_833.33, 0.0, ("ml_engineer_cost",)),
            ("oncall", "On-call for GPU failure modes", 2_000.0, 0.0, ("oncall_cost",)),
        ], per_million=2.31),
        "hybrid": _option("hybrid", [("hybrid_all", "Self-hosted classifier and API for the rest", 10_900.0,
                                      16_000.0, ("routing",))], feasible=False,
                          reason="only one workload: nothing to split", per_million=2.70),
    }
    assumptions = (
        AssumptionValue(id="gpu_hour_price", label="GPU price per hour (L4, on demand)", value=1.2, default=1.2,
                        unit="USD/GPU-hour", low=0.8, high=1.6, source="Cloud list prices, eu-west", as_of="2026-10"),
        AssumptionValue(id="ml_engineer_cost", label="Senior ML engineer, fully loaded", value=280_000,
                        default=280_000, unit="USD/year", low=220_000, high=340_000,
                        source="The Self-Hosting Calculus", as_of="2026"),
        AssumptionValue(id="ml_engineer_share", label="Share of an ML engineer", value=0.25, default=0.25,
                        unit="share", low=0.15, high=0.5, source="The Self-Hosting Calculus", as_of="2026"),
        AssumptionValue(id="retry_share", label="Retried requests", value=0.03, default=0.02, unit="share",
                        low=0.01, high=0.05, source="Rationale: client logs", as_of="2026-11", overridden=True,
                        override_reason="Client measured 3% retries over 90 days"),
    )
    values = dict(
        recommendation="self-host-cloud", confidence=0.78,
        headline="Self-host a small classification model in Harbour Bank's cloud account.",
        reasons=(
            Reason(text="A 40 ms time-to-first-token target in one geography rules out a cross-internet API.",
                   rests_on=("ttft_target", "single_geography"), strength=0.95),
            Reason(text="Fine-tuning gains are demonstrated on 250,000 labelled examples.",
                   rests_on=("fine_tuning_gain_demonstrated", "labelled_examples"), strength=0.8),
            Reason(text="Self-hosting is cheaper at the measured volume.",
                   rests_on=("requests_per_day", "gpu_hour_price"), strength=0.7),
            Reason(text="The team runs production services with on-call already.",
                   rests_on=("mlops_gpu_oncall",), strength=0.4),
        ),
        roadmap=(
            RoadmapPhase(phase=1, option="api", trigger="now", title="Pilot on the API while the platform is built"),
            RoadmapPhase(phase=2, option="self_host_cloud", trigger="GPU runbooks written and on-call staffed",
                         title="Move classification to the self-hosted model"),
        ),
        options=options,
        break_even_tokens_per_day={"self_host_cloud": 95_000_000.0, "self_host_on_prem": 80_000_000.0},
        readiness=Readiness(overall=62.0, dimensions={"data_governance": 80.0, "ml_engineering": 55.0,
                                                      "production_inference": 40.0, "evaluation": None},
                            dimension_labels={"data_governance": "Data governance", "ml_engineering": "ML engineering",
                                              "production_inference": "Production inference & on-call",
                                              "evaluation": "Evaluation"},
                            gaps=(Gap(dimension="production_inference", question_id="mlops_gpu_oncall",
                                      text="No GPU on-call rota.", action="Train two SREs on GPU failure modes.",
                                      severity="high"),)),
        sizing=SizingSummary(model="llama-3.1-8b", gpu="L4 24GB", gpus_per_replica=1, replicas=2,
                             redundancy_replicas=1, memory_per_gpu_gib=21.5, weights_gib=16.1, kv_cache_gib=4.2,
                             ttft_ms=32.0, tpot_ms=18.0, output_tokens_per_s_per_replica=1450.0, utilisation=0.41,
                             levers=(LeverEffect(id="int8", label="INT8 weights", applied=True,
                                                 effect="halves weight memory", risk="small accuracy loss"),)),
        workloads=(WorkloadResult(workload_id="w1", name="Payment message classification",
                                  tokens_per_day=144_000_000.0, route="self_host_cloud",
                                  route_reason="latency", monthly_usd={"api": 12_345.5}),),
        tipping_points=(TippingPoint(input="tokens_per_day", label="Volume", unit="tokens/day",
                                     current=144_000_000.0, flips_at=95_000_000.0, flips_to="api"),),
        uncertainty=Uncertainty(api=Percentiles(p10=10_000, p50=12_300, p90=15_000),
                                self_host_cloud=Percentiles(p10=9_000, p50=11_000, p90=14_500),
                                self_host_on_prem=Percentiles(p10=8_000, p50=9_300, p90=13_000),
                                hybrid=Percentiles(p10=9_500, p50=10_900, p90=13_500),
                                probability_self_host_cheaper=0.71, draws=10_000),
        tornado=(TornadoBar(assumption_id="gpu_hour_price", label="GPU price per hour", low_value=0.8, high_value=1.6,
                            outcome_at_low=2_000.0, outcome_at_high=-500.0),
                 TornadoBar(assumption_id="ml_engineer_cost", label="Senior ML engineer, fully loaded",
                            low_value=220_000, high_value=340_000, outcome_at_low=1_800.0, outcome_at_high=-200.0)),
        cost_curve=CostCurve(tokens_per_day=(1e6, 1e7, 5e7, 1e8, 2e8, 5e8),
                             monthly_usd={"api": (86.0, 857.0, 4_286.0, 8_573.0, 17_146.0, 42_865.0),
                                          "self_host_cloud": (11_085.0, 11_085.0, 11_085.0, 11_961.0, 12_837.0,
                                                              16_341.0)},
                             current_tokens_per_day=144_000_000.0),
        assumptions=assumptions,
        notices=(Notice(text="Volume is stated, not measured: measure actual usage for 90 days."),),
        tokens_per_day=144_000_000.0, horizon_months=36,
    )
    values.update(overrides)
    return Evaluation(**values)


@pytest.fixture(scope="session")
def assessment():
    return load_assessment(EXAMPLE)


@pytest.fixture(scope="session")
def evaluation() -> Evaluation:
    return make_evaluation()


@pytest.fixture(scope="session")
def brand() -> BrandProfile:
    return BrandProfile(consultancy_name="Garnet Grid Advisory", contact_line="advisory@example.com")


def pdf_text(data: bytes, password: str | None = None) -> str:
    """All the text of a PDF, whitespace collapsed to single spaces (lines wrap wherever they wrap)."""
    import io
    import re

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        reader.decrypt(password)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def page_texts(data: bytes) -> list[str]:
    import io

    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="session")
def report_bytes(assessment, evaluation, brand, tmp_path_factory) -> bytes:
    """One report of the fixture evaluation, shared by the read-only checks."""
    from app.report.pdf import build_report

    out = tmp_path_factory.mktemp("report") / "report.pdf"
    build_report(assessment, evaluation, brand, out, deterministic=True)
    return out.read_bytes()


@pytest.fixture(scope="session")
def text_of():
    return pdf_text


@pytest.fixture(scope="session")
def pages_of():
    return page_texts
