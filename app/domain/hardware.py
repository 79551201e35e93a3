"""Hardware catalog: GPUs, open models, serving engines, number formats and optimisation levers.

Every entry says where its figures come from (`Source`). Units are in the field names. The sizing engine
(app/engine/sizing) reads these models; app/storage/hardware_catalog.py loads them from catalogs/*.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from app.domain.sourced import Source, Strict

PrecisionId = Literal["fp16", "bf16", "fp8", "int8", "int4", "fp4"]
ComputeFormat = Literal["bf16", "fp8", "int8", "fp4"]
PublishedPrecision = Literal["fp32", "bf16", "fp16", "fp8", "mxfp4", "nvfp4", "int4"]


class PriceRange(Strict):
    """A market price as low / typical / high, with where and when it was seen."""

    low: float = Field(ge=0)
    typical: float = Field(ge=0)
    high: float = Field(ge=0)
    source: Source

    @model_validator(mode="after")
    def _ordered(self) -> PriceRange:
        if not self.low <= self.typical <= self.high:
            raise ValueError("prices must satisfy low <= typical <= high")
        return self


class PricePoint(Strict):
    usd: float = Field(ge=0)
    source: Source


class Gpu(Strict):
    """One accelerator. Tensor rates are DENSE (vendor headlines are often 2:4-sparse, twice as high)."""

    name: str
    short_name: str = ""  # "A100 80GB": what tables and sentences call it ("" : the name)
    vendor: Literal["nvidia", "amd"]
    memory_gib: float = Field(gt=0, description="memory the runtime can address (nvidia-smi total), GiB")
    bandwidth_gb_per_s: float = Field(gt=0, description="peak memory bandwidth, GB/s (10^9 bytes)")
    bf16_dense_tflops: float = Field(gt=0)
    fp8_dense_tflops: float | None = Field(default=None, gt=0, description="None: no FP8 tensor cores")
    int8_dense_tops: float | None = Field(default=None, gt=0)
    fp4_dense_tflops: float | None = Field(default=None, gt=0)
    fp16_accumulate_dense_tflops: float | None = Field(
        default=None, gt=0, description="GeForce tensor rate with FP16 accumulation (2x the FP32-accumulate rate)")
    kernel_efficiency: float = Field(
        default=1.0, gt=0, le=1,
        description="share of an engine's calibrated matmul and attention efficiency this GPU's kernel stack reaches "
                    "(ROCm kernels below CUDA's); memory streaming is not affected")
    kernel_efficiency_source: Source | None = None
    sold_per_node_gpus: int | None = Field(
        default=None, ge=1, description="bought and rented only as whole nodes of this many GPUs (GB200 NVL "
                                        "trays, HGX B300); None when single GPUs are sold")
    interconnect: str
    interconnect_gb_per_s: float = Field(gt=0, description="GPU-to-GPU bandwidth, bidirectional, GB/s")
    interconnect_kind: Literal["nvlink", "xgmi", "pcie"]
    tdp_w: float = Field(gt=0)
    source: Source
    on_demand_usd_per_gpu_hour: PriceRange
    reserved_usd_per_gpu_hour: PriceRange
    purchase_usd: PricePoint
    server_usd_per_gpu_slot: PricePoint = Field(
        description="host server, networking and chassis per GPU for an on-prem build (GPU excluded)")

    def dense_tflops(self, compute_format: str) -> float | None:
        """Dense tensor rate for a compute format, None when the chip has no tensor cores for it."""
        return {
            "bf16": self.bf16_dense_tflops,
            "fp8": self.fp8_dense_tflops,
            "int8": self.int8_dense_tops,
            "fp4": self.fp4_dense_tflops,
        }.get(compute_format)


class MoeSpec(Strict):
    experts_total: int = Field(ge=2)
    experts_active: int = Field(ge=1)
    shared_experts: int = Field(default=0, ge=0)
    expert_intermediate_size: int = Field(gt=0)
    dense_layers: int = Field(default=0, ge=0, description="leading layers with a dense MLP instead of experts")


class MlaSpec(Strict):
    """Multi-head latent attention (DeepSeek): the cache holds a compressed latent plus a RoPE key."""

    kv_lora_rank: int = Field(gt=0)
    q_lora_rank: int | None = Field(default=None, gt=0)
    qk_nope_head_dim: int = Field(gt=0)
    qk_rope_head_dim: int = Field(gt=0)
    v_head_dim: int = Field(gt=0)


class OpenModel(Strict):
    """An open-weights model's architecture, as in its config.json."""

    name: str
    hf_id: str
    layers: int = Field(gt=0)
    hidden_size: int = Field(gt=0)
    attention_heads: int = Field(gt=0)
    kv_heads: int = Field(gt=0)
    head_dim: int = Field(gt=0)
    intermediate_size: int = Field(gt=0, description="dense MLP width (dense layers of an MoE)")
    vocab_size: int = Field(gt=0)
    tied_embeddings: bool
    context_tokens: int = Field(gt=0)
    qkv_bias: bool = False
    norms_per_layer: int = Field(default=2, ge=1)
    attention: Literal["mha", "gqa", "mla"]
    moe: MoeSpec | None = None
    mla: MlaSpec | None = None
    published_precision: PublishedPrecision = Field(
        default="bf16", description="format the publisher ships the weights in (DeepSeek-V3/R1 fp8, gpt-oss mxfp4)")
    published_params_b: float = Field(gt=0, description="total parameters as published, billions")
    published_active_params_b: float | None = Field(default=None, gt=0)
    source: Source
    params_source: Source

    @model_validator(mode="after")
    def _consistent(self) -> OpenModel:
        if (self.attention == "mla") != (self.mla is not None):
            raise ValueError("attention 'mla' needs an 'mla' block, and only then")
        if self.attention_heads % self.kv_heads:
            raise ValueError("attention_heads must be a multiple of kv_heads")
        if self.moe and self.moe.experts_active > self.moe.experts_total:
            raise ValueError("moe.experts_active cannot exceed moe.experts_total")
        return self


class Precision(Strict):
    """A weight/KV number format: its storage size and the tensor-core format it computes in."""

    label: str
    short_name: str = ""  # "FP8": what tables call it ("" : the label)
    bits_per_weight: float = Field(gt=0, description="stored bits per weight, including scales")
    kv_bytes_per_element: float = Field(gt=0)
    compute_format: ComputeFormat = Field(description="tensor-core format used when the GPU has it")
    weight_only: bool = Field(description="always dequantised to 16-bit for the matmuls (AWQ/GPTQ INT4)")
    compute_efficiency_factor: float = Field(
        gt=0, le=1, description="share of the engine's matmul efficiency this format's kernels reach")
    weight_only_bandwidth_factor: float = Field(
        gt=0, le=1, description="decode bandwidth efficiency of weight-only (dequantising) kernels")
    quality_risk: Literal["none", "low", "medium", "high"]
    quality_note: str = ""
    source: Source


class EnginePhysics(Strict):
    """Effects beyond the roofline, each a named, sourced number (docs/sizing.md). Defaults are neutral."""

    moe_gemm_half_efficiency_columns: float = Field(
        default=0.0, ge=0,
        description="expert GEMM width per GPU at which grouped MoE kernels reach half the dense matmul rate "
                    "(fine-grained experts split over tensor-parallel ranks are narrow); 0 = no penalty")
    moe_gemm_half_efficiency_rows: float = Field(
        default=0.0, ge=0,
        description="tokens routed to one expert in a pass at which its grouped GEMM reaches half the matmul "
                    "rate (tensor-core tiles are 64-128 rows tall: a decode step gives each expert a few rows, "
                    "a prefill chunk hundreds); 0 = no penalty")
    fp8_expert_gemm_efficiency: float = Field(
        default=1.0, gt=0, le=1,
        description="extra share FP8 expert GEMMs reach: block-scaled FP8 checkpoints (DeepSeek, Qwen3-FP8: one "
                    "scale per 128x128 tile) run slower grouped kernels than per-tensor FP8 (ModelOpt)")
    moe_activation_passes: float = Field(
        default=0.0, ge=0,
        description="times a routed token's activations cross GPU memory per MoE layer beyond the weight stream, "
                    "in units of (hidden + 2 x expert intermediate per GPU) 16-bit elements: gather, gate/up "
                    "output, SwiGLU, expert output, combine; 0 = not counted")
    expert_parallel: bool = Field(
        default=False, description="experts are spread whole over the GPUs (all-to-all, load imbalance) "
                                   "instead of sliced by tensor parallelism")
    mla_prefill_absorbed: bool = Field(
        default=False, description="prefill attends over the MLA latent (absorbed) instead of per-head keys")
    mla_decode_absorbed: bool = Field(
        default=True, description="decode attends over the MLA latent; False re-expands keys/values per step")
    scheduler_overhead_us_per_sequence: float = Field(
        default=0.0, ge=0, description="host time per running sequence per decode step (scheduling, sampling, "
                                       "detokenising) not hidden behind the GPU")
    request_overhead_ms: float = Field(
        default=0.0, ge=0, description="front-end time a new request spends before its prefill starts (HTTP, "
                                       "tokenising, admission to the next scheduler step); part of TTFT online")
    prefill_chunk_tokens: int | None = Field(
        default=None, ge=1, description="chunked-prefill token budget per pass: each chunk is a full pass that "
                                        "re-reads the weights and stalls every running decode")
    weight_only_kernel_efficiency: float = Field(
        default=1.0, gt=0, le=1, description="bandwidth share this engine's dequantising (AWQ/GPTQ/GGUF) kernels "
                                             "reach relative to the format's own factor, small batches")
    dequantises_all_formats: bool = Field(
        default=False, description="every quantised format is dequantised to 16-bit for the matmuls (GGUF)")
    weight_only_prefill_efficiency: float = Field(
        default=1.0, gt=0, le=1, description="prompt matmul rate with dequantising kernels vs 16-bit weights")
    prefill_fp16_accumulate: bool = Field(
        default=False, description="prompt matmuls accumulate in FP16 (cuBLAS CUBLAS_COMPUTE_16F), which runs "
                                   "at the GPU's fp16_accumulate_dense_tflops where it has one")
    attention_data_parallel: bool = Field(
        default=False,
        description="MoE models on several GPUs: each GPU attends for its own share of the sequences and keeps "
                    "their whole KV cache (no KV heads or MLA latent replicated across ranks)")
    eager_overhead_us_per_layer: float = Field(
        default=0.0, ge=0,
        description="host time per dense layer of a decode step run without a CUDA graph (eager PyTorch "
                    "dispatch); such a step takes the longer of its kernels and its host time")
    eager_overhead_us_per_moe_layer: float = Field(
        default=0.0, ge=0, description="the same for an MoE layer (routing, expert dispatch: several times the "
                                       "launches of a dense layer)")
    cuda_graph_batch_sizes: list[int] | None = Field(
        default=None,
        description="decode batch sizes captured as CUDA graphs when batches are not padded up to one; any "
                    "other size runs eagerly. None: every decode step replays a graph (padding on)")
    source: Source | None = None


class EngineProfile(Strict):
    """How a serving engine uses a GPU: calibrated efficiencies, batching, memory policy."""

    name: str
    version: str = Field(description="engine release the efficiencies were calibrated on, e.g. '0.11.x'")
    description: str
    tuned: bool
    continuous_batching: bool
    paged_kv: bool
    multi_gpu: Literal["tensor-parallel", "layer-split"]
    vendors: tuple[Literal["nvidia", "amd"], ...]
    precisions: tuple[PrecisionId, ...]
    kv_precisions: tuple[PrecisionId, ...]
    weight_only_fallback: bool = Field(description="runs a format the GPU lacks by dequantising to 16-bit")
    fp8_checkpoint_kv_precision: PrecisionId = Field(
        description="KV format an FP8/FP4 checkpoint brings when the user does not choose one")
    max_concurrent_sequences: int = Field(ge=1, description="default batch limit (max_num_seqs)")
    large_gpu_max_concurrent_sequences: int | None = Field(
        default=None, ge=1, description="batch limit the engine picks on GPUs with large_gpu_memory_gib or more")
    large_gpu_memory_gib: float | None = Field(default=None, gt=0)
    large_gpu_exceptions: tuple[str, ...] = Field(default=(), description="GPU ids kept at the default limit")
    gpu_memory_fraction: float = Field(gt=0, le=1, description="share of GPU memory the engine claims")
    runtime_overhead_gib: float = Field(ge=0, description="CUDA context, activations, graphs per GPU")
    kv_memory_waste_fraction: float = Field(ge=0, lt=1, description="KV memory lost to fragmentation")
    bandwidth_efficiency: float = Field(gt=0, le=1, description="achieved / peak memory bandwidth")
    prefill_compute_efficiency: float = Field(gt=0, le=1, description="achieved / dense peak, prefill")
    decode_compute_efficiency: float = Field(gt=0, le=1, description="achieved / dense peak, batched decode")
    interconnect_efficiency: float = Field(gt=0, le=1, description="all-reduce bus bandwidth / link peak")
    allreduce_latency_us: float = Field(ge=0, description="fixed cost of one all-reduce")
    decode_overhead_us_per_layer: float = Field(
        ge=0, description="launches, synchronisation and scheduling per layer of a decode step")
    moe_overhead_factor: float = Field(
        ge=1, description="extra kernels of an MoE layer (routing, permutation, grouped GEMMs) vs a dense one")
    prefill_overhead_us_per_layer: float = Field(ge=0, description="kernel launches per layer of a prefill pass")
    roofline_sharpness: float = Field(
        ge=1, description="p of the smooth roofline (t_mem^p + t_compute^p)^(1/p); large p = sharp max")
    static_batch_utilisation: float = Field(
        gt=0, le=1, description="share of batch slots doing useful work when lengths vary (1 if continuous)")
    physics: EnginePhysics = Field(default_factory=EnginePhysics)
    source: Source

    def batch_limit(self, gpu_id: str, gpu: Gpu) -> int:
        """The engine's default cap on sequences in flight, which some engines raise on large GPUs."""
        large = (self.large_gpu_max_concurrent_sequences is not None and self.large_gpu_memory_gib is not None
                 and gpu.memory_gib >= self.large_gpu_memory_gib and gpu_id not in self.large_gpu_exceptions)
        return self.large_gpu_max_concurrent_sequences if large else self.max_concurrent_sequences


class OptimisationLever(Strict):
    """An inference optimisation with its effect and risk; parameters are the numbers the engine uses."""

    label: str
    kind: Literal["quantisation", "batching", "caching", "decoding", "parallelism", "kv-cache"]
    effect: str
    quality_risk: Literal["none", "low", "medium", "high"]
    risk_note: str = ""
    parameters: dict[str, float] = Field(default_factory=dict)
    source: Source


class HardwareCatalog(Strict):
    version: str
    gpus: dict[str, Gpu]
    models: dict[str, OpenModel]
    engines: dict[str, EngineProfile]
    precisions: dict[str, Precision]
    levers: dict[str, OptimisationLever]

    @model_validator(mode="after")
    def _engines_name_known_precisions(self) -> HardwareCatalog:
        for engine_id, engine in self.engines.items():
            named = {*engine.precisions, *engine.kv_precisions, engine.fp8_checkpoint_kv_precision}
            unknown = sorted(named - set(self.precisions))
            if unknown:
                raise ValueError(f"engine {engine_id!r} names unknown precisions {unknown}")
        return self
