"""Typed engine inputs: what the questionnaire's bindings produce and the engines consume.

A question with `binding: workload.requests_per_day` feeds `WorkloadInputs.requests_per_day` of each
workload; `organisation.*` feeds `OrganisationInputs`. Choice answers arrive as their option values, so a
question's option values are the literal values declared here. A field left at its default because the
question was unanswered, unknown or not applicable is recorded as such in `EngineInputs.provenance`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

YesNoUnknown = Literal["yes", "no", "unknown"]
SkillLevel = Literal["none", "basic", "experienced", "expert"]


class _Inputs(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)


class WorkloadInputs(_Inputs):
    workload_id: str
    name: str
    # Volume: either requests x lengths, or tokens per day directly (the direct figure wins when given).
    requests_per_day: float | None = Field(default=None, ge=0, le=1e12)
    input_tokens_per_request: float = Field(default=1000, ge=1, le=10_000_000)
    output_tokens_per_request: float = Field(default=250, ge=1, le=10_000_000)
    tokens_per_day_direct: float | None = Field(default=None, ge=0, le=1e15)
    peak_to_average_ratio: float = Field(default=2.0, ge=1, le=100)
    growth_pct_per_year: float = Field(default=0.0, ge=-90, le=1000)
    volume_basis: Literal["measured", "projected"] = "projected"
    volume_measured_days: int | None = Field(default=None, ge=0, le=3650)
    cached_input_share: float = Field(default=0.0, ge=0, le=1, description="share of input tokens that are a repeated prefix")
    batch_eligible_share: float = Field(default=0.0, ge=0, le=1, description="share of requests that can wait for a batch API")
    # Data.
    data_classes: list[str] = Field(default_factory=list)  # phi, pii, payment, mnpi, classified, confidential, public
    residency: str = "none"
    api_terms_acceptable: YesNoUnknown = "unknown"  # BAA / DPA etc. acceptable for this data?
    own_cloud_acceptable: YesNoUnknown = "unknown"  # may this data sit in the client's own cloud tenancy?
    # Latency.
    latency_mode: Literal["realtime", "interactive", "batch"] = "interactive"
    ttft_target_ms: float | None = Field(default=None, gt=0, le=3_600_000)
    tokens_per_s_per_user_target: float | None = Field(default=None, gt=0, le=100_000)
    single_geography: YesNoUnknown = "unknown"
    # Task and model.
    task_types: list[str] = Field(default_factory=list)  # classification, extraction, summarisation, reasoning, creative, code, chat
    capability_tier: Literal["frontier", "strong", "narrow"] = "strong"
    context_tokens: int = Field(default=8192, ge=256, le=10_000_000)
    candidate_models: list[str] = Field(default_factory=list)
    api_model: str | None = None  # API model id this workload uses or would use
    # Fine-tuning.
    fine_tuning_need: Literal["none", "helpful", "critical"] = "none"
    fine_tuning_gain_demonstrated: YesNoUnknown = "unknown"
    prompt_engineering_tried: YesNoUnknown = "unknown"
    labelled_examples: int | None = Field(default=None, ge=0, le=10**9)
    fine_tuning_runs_per_year: float = Field(default=0, ge=0, le=1000)
    fine_tuning_method: Literal["lora", "full"] = "lora"  # full: its own serving pool

    @property
    def tokens_per_day(self) -> float:
        """Average tokens per day (input + output); at least one, so every cost per token is finite."""
        if self.tokens_per_day_direct is not None:
            return max(1.0, self.tokens_per_day_direct)
        requests = self.requests_per_day or 0.0
        return max(1.0, requests * (self.input_tokens_per_request + self.output_tokens_per_request))

    @property
    def input_share(self) -> float:
        return self.input_tokens_per_request / (self.input_tokens_per_request + self.output_tokens_per_request)


class OrganisationInputs(_Inputs):
    client_name: str = ""
    industry: str = ""
    region: str = ""
    # Team.
    ml_engineering: SkillLevel | None = None
    production_inference: SkillLevel | None = None
    mlops_gpu_oncall: SkillLevel | None = None
    security_compliance: SkillLevel | None = None
    evaluation_practice: SkillLevel | None = None
    # Infrastructure.
    existing_data_centre: YesNoUnknown = "unknown"
    existing_gpus: YesNoUnknown = "unknown"
    cloud_provider: str = "none"
    on_prem_allowed: YesNoUnknown = "unknown"
    power_usd_per_kwh: float | None = Field(default=None, ge=0, le=10)
    # Strategy and spend.
    ai_role: Literal["product", "core_feature", "feature", "internal"] | None = None
    competitive_moat: YesNoUnknown = "unknown"
    current_api_spend_usd_per_month: float | None = Field(default=None, ge=0, le=1e10)
    current_api_provider: str = ""
    horizon_months: int = Field(default=36, ge=1, le=120)
    prefer_reserved_gpus: YesNoUnknown = "unknown"
    availability_required: Literal["business_hours", "24x7"] = "business_hours"


class InputProvenance(_Inputs):
    """Where an engine input came from: the question that fed it, and how sure the answer is."""

    question_id: str
    confidence: str  # stated / estimated / measured / default
    defaulted: bool = False  # True when no answer was given and the engine default stands


class EngineInputs(_Inputs):
    organisation: OrganisationInputs
    workloads: list[WorkloadInputs]
    # "organisation.ml_engineering" or "workload.<workload_id>.requests_per_day" -> provenance
    provenance: dict[str, InputProvenance] = Field(default_factory=dict)

    @property
    def tokens_per_day(self) -> float:
        return sum(w.tokens_per_day for w in self.workloads) or 1.0
