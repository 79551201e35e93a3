"""Sizing contract: what the cost engine asks of the sizing engine (CapacityRequest) and what it gets
back (CapacityPlan). The sizing engine (app/engine/sizing) owns the details and may add fields; the
fields below are relied on by app/engine (costs) and must keep their names and meaning."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field



class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CapacityRequest(_Frozen):
    """One workload's serving need."""

    tokens_per_day: float = Field(gt=0)
    input_tokens_per_request: float = Field(ge=1)
    output_tokens_per_request: float = Field(ge=1)
    peak_to_average_ratio: float = Field(default=2.0, ge=1)
    ttft_target_ms: float | None = None
    tokens_per_s_per_user_target: float | None = None
    context_tokens: int = 8192
    cached_input_share: float = Field(default=0.0, ge=0, le=1)
    # Candidates: empty means "let the engine choose" from the catalog.
    model_ids: tuple[str, ...] = ()
    gpu_ids: tuple[str, ...] = ()
    engine: str = "vllm"
    redundancy: int = Field(default=1, ge=0, description="extra replicas beyond the peak need (N+1 = 1)")
    min_replicas: int = Field(default=2, ge=1, description="production needs at least two (seed article)")
    allow_quantisation: bool = True  # False when quality risk is unacceptable (long-form, reasoning)
    latency_critical: bool = False


class LeverApplied(_Frozen):
    """A lever and what it bought, as facts: `code` (templates/decision/lever.j2), its figures and names."""
    id: str
    label: str
    applied: bool
    code: str
    figures: dict[str, float] = Field(default_factory=dict)
    names: tuple[str, ...] = ()
    risk: str = ""
    source: str = ""


class CapacityPlan(_Frozen):
    """How one model on one GPU type carries the workload."""

    model_id: str
    gpu_id: str
    precision: str
    kv_precision: str
    engine: str
    engine_version: str = Field(default="", description="engine release the sizing was calibrated on")
    gpus_per_replica: int = Field(ge=1)
    replicas_for_peak: int = Field(ge=1)
    redundancy_replicas: int = Field(ge=0)
    concurrency_per_replica: int = Field(ge=1)
    meets_latency_targets: bool
    fits: bool
    ttft_ms: float | None = None
    tpot_ms: float | None = None
    output_tokens_per_s_per_replica: float = Field(ge=0)
    utilisation_at_average: float = Field(ge=0)
    memory_per_gpu_gib: float = Field(ge=0)
    weights_gib: float = Field(ge=0)
    kv_cache_gib: float = Field(ge=0)
    gpu_power_kw: float = Field(ge=0)
    usd_per_million_tokens_on_demand: float = Field(ge=0)
    levers: tuple[LeverApplied, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def replicas(self) -> int:
        return self.replicas_for_peak + self.redundancy_replicas

    @property
    def total_gpus(self) -> int:
        return self.gpus_per_replica * self.replicas


class SizingRequest(_Frozen):
    """One configuration to size: the `llm-advisor size` command's arguments."""

    model_id: str
    gpu_id: str
    gpus: int = Field(default=1, ge=1, description="GPUs serving one copy of the model")
    precision: str = "bf16"
    kv_precision: str = Field(
        default="auto", description="'auto': 16-bit, or FP8 where the engine's FP8/FP4 checkpoints bring it")
    engine: str = "vllm"
    input_tokens: int = Field(default=1024, ge=1)
    output_tokens: int = Field(default=256, ge=1)
    concurrency: int = Field(default=1, ge=1)
    max_throughput: bool = False
    cached_input_share: float = Field(default=0.0, ge=0, le=1)


class SizingResult(_Frozen):
    """Memory and speed of one configuration. Speed fields are None when it does not fit."""

    model: str
    gpu: str
    gpus: int
    precision: str
    kv_precision: str
    engine: str
    engine_version: str = ""  # the release the engine profile was calibrated on (catalogs/engines.yaml)
    input_tokens: int
    output_tokens: int
    fits: bool
    reason: str | None
    weight_only: bool
    weights_gib: float
    kv_cache_bytes_per_token: float
    kv_cache_gib_per_sequence: float
    memory_per_gpu_gib: float
    max_concurrency: int
    concurrency: int
    output_tokens_per_s: float | None
    tokens_per_s_per_user: float | None
    ttft_ms: float | None
    tpot_ms: float | None
    bound: str | None
    max_load_output_tokens_per_s: float | None
