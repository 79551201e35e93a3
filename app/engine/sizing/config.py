"""Resolve catalog ids into one plain, pre-computed serving configuration.

Everything the memory and speed formulas need is turned into floats once here, so the formulas themselves
are cheap enough to run thousands of times (the capacity planner does) without touching pydantic."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.domain.errors import UnknownIdError
from app.domain.hardware import EngineProfile, Gpu, HardwareCatalog, OpenModel, Precision
from app.engine.sizing import architecture

BYTES_PER_GIB = 1024**3
BITS_PER_BYTE = 8
TERA = 1e12
GIGA = 1e9
MS_PER_S = 1000
S_PER_US = 1e-6
ACTIVATION_BYTES_PER_ELEMENT = 2  # all-reduced activations travel in 16-bit
ALLREDUCES_PER_LAYER = 2  # after attention and after the MLP (Megatron-style tensor parallelism)
RING_PASSES = 2
QUANTISED_CHECKPOINT_PRECISIONS = ("fp8", "fp4")
AUTO_KV = "auto"
SIXTEEN_BITS = 16
DEFAULT_KV = "fp16"


@dataclass(frozen=True, slots=True)
class Speculation:
    draft_tokens: int
    acceptance_rate: float
    draft_cost_fraction: float


@dataclass(frozen=True, slots=True)
class ServingConfig:
    """One model on `gpus` GPUs of one type, one engine, one weight and KV format: all floats."""

    model_id: str
    gpu_id: str
    engine_id: str
    precision: str
    kv_precision: str
    gpus: int
    model: OpenModel
    gpu: Gpu
    engine: EngineProfile
    unsupported_reason: str | None
    weight_only: bool
    # memory, per GPU unless named otherwise
    weights_bytes_total: float
    weights_bytes_per_gpu: float
    # traffic of one step on the critical path: one GPU's share under tensor parallelism, all of it when
    # a layer split runs the GPUs one after another
    step_weight_bytes: float
    step_routed_expert_bytes: float  # one expert's weights summed over MoE layers
    experts_total: int
    experts_active: int
    kv_bytes_per_token_total: float
    kv_bytes_per_token_per_gpu: float
    step_kv_bytes_per_token: float
    usable_bytes_per_gpu: float
    # speed
    effective_bandwidth_bytes_per_s: float  # bandwidth x efficiency, for one step (layer-split: one GPU)
    weight_read_factor: float  # >1 when weight-only kernels read slower than 16-bit ones
    prefill_flops_per_s: float
    decode_flops_per_s: float
    attention_flops_per_s: float  # attention runs in 16-bit (FlashAttention-style kernels)
    linear_flops_per_token_per_gpu: float  # all active weights, routed experts included
    expert_linear_flops_per_token_per_gpu: float  # the routed experts' share of the above
    moe_gemm_efficiency: float  # share of the matmul rate narrow expert GEMMs reach (1 for dense models)
    moe_gemm_half_efficiency_rows: float  # tokens per expert at which a grouped GEMM reaches half its rate
    moe_activation_bytes_per_token_per_gpu: float  # routed activations through memory, all MoE layers (0: dense)
    expert_parallel_gpus: int  # GPUs the experts are spread over whole (0: sliced by tensor parallelism)
    attention_flops_per_context_token_per_gpu: float  # decode
    prefill_attention_flops_per_context_token_per_gpu: float
    alltoall_bytes_per_token: float  # expert-parallel dispatch + combine, per MoE layer, per GPU
    alltoalls_per_pass: int
    scheduler_overhead_s_per_sequence: float
    request_overhead_s: float
    prefill_chunk_tokens: float | None
    allreduce_bytes_per_token: float  # bus bytes per token per all-reduce (0 without tensor parallelism)
    allreduces_per_pass: int
    allreduce_latency_s: float
    interconnect_bytes_per_s: float
    step_overhead_s: float
    eager_step_overhead_s: float  # host time of a decode step without a CUDA graph
    cuda_graph_batch_sizes: frozenset[int] | None  # None: every decode batch replays a graph
    prefill_overhead_s: float
    roofline_sharpness: float
    max_concurrent_sequences: int
    kv_waste_fraction: float
    batch_utilisation: float
    speculation: Speculation | None = None


def _lookup(kind: str, table: dict, key: str):
    if key not in table:
        raise UnknownIdError(kind, key, list(table))
    return table[key]


def resolve_kv_precision(kv_precision: str | None, precision: str, engine: EngineProfile) -> str:
    """'auto' (or None): 16-bit, except FP8/FP4 checkpoints that bring an FP8 KV cache in this engine."""
    if kv_precision not in (None, AUTO_KV):
        return kv_precision
    if precision in QUANTISED_CHECKPOINT_PRECISIONS:
        return engine.fp8_checkpoint_kv_precision
    return DEFAULT_KV


def _compute_rate(gpu: Gpu, engine: EngineProfile, precision: Precision) -> tuple[float | None, bool, str | None]:
    """(dense TFLOPS used, weight-only?, reason it cannot run)."""
    dequantised = engine.physics.dequantises_all_formats and precision.bits_per_weight < SIXTEEN_BITS
    if precision.weight_only or dequantised:
        return gpu.bf16_dense_tflops, True, None
    native = gpu.dense_tflops(precision.compute_format)
    if native is not None:
        return native, False, None
    if engine.weight_only_fallback:
        return gpu.bf16_dense_tflops, True, None
    return None, False, (f"{gpu.name} has no {precision.compute_format.upper()} tensor cores and "
                         f"{engine.name} cannot run {precision.label} weight-only")


def _unsupported_reason(model: OpenModel, gpu: Gpu, engine: EngineProfile, precision_id: str,
                        kv_precision: str, gpus: int) -> str | None:
    if gpu.vendor not in engine.vendors:
        return f"{engine.name} does not run on {gpu.vendor.upper()} GPUs ({gpu.name})"
    if precision_id not in engine.precisions:
        return f"{engine.name} does not serve {precision_id} weights"
    if kv_precision not in engine.kv_precisions:
        return f"{engine.name} does not store a {kv_precision} KV cache"
    if engine.multi_gpu == "tensor-parallel" and model.attention_heads % gpus:
        return f"tensor parallelism over {gpus} GPUs must divide the {model.attention_heads} attention heads"
    return None


def _kv_share_per_gpu(model: OpenModel, engine: EngineProfile, gpus: int) -> float:
    """Share of the whole-model KV cache each GPU holds (and reads per step for the whole batch)."""
    if engine.multi_gpu == "layer-split" or (model.moe and engine.physics.attention_data_parallel):
        return 1 / gpus  # each GPU holds only its own sequences' (or layers') cache
    if model.mla is not None:
        return 1.0  # the MLA latent is shared by all heads, so every tensor-parallel rank keeps all of it
    return math.ceil(model.kv_heads / gpus) / model.kv_heads  # fewer KV heads than GPUs: heads replicate


@dataclass(frozen=True, slots=True)
class _Entries:
    """The catalog entries one configuration uses."""

    model: OpenModel
    gpu: Gpu
    engine: EngineProfile
    precision: Precision
    kv_format: Precision
    gpus: int

    @property
    def speed_gpus(self) -> int:
        """GPUs working on one pass at once: a layer split runs them one after another (memory, not speed)."""
        return 1 if self.engine.multi_gpu == "layer-split" else self.gpus

    @property
    def tensor_parallel(self) -> bool:
        return self.speed_gpus > 1


def build_config(hardware: HardwareCatalog, model_id: str, gpu_id: str, precision_id: str = "bf16",
                 kv_precision: str | None = None, engine_id: str = "vllm", gpus: int = 1,
                 speculation: Speculation | None = None) -> ServingConfig:
    """Resolve ids (UnknownIdError for an unknown one) into a ServingConfig."""
    engine = _lookup("engine", hardware.engines, engine_id)
    kv_id = resolve_kv_precision(kv_precision, precision_id, engine)
    entries = _Entries(
        model=_lookup("model", hardware.models, model_id), gpu=_lookup("GPU", hardware.gpus, gpu_id),
        engine=engine, precision=_lookup("precision", hardware.precisions, precision_id),
        kv_format=_lookup("KV precision", hardware.precisions, kv_id), gpus=gpus)
    rate_tflops, weight_only, rate_reason = _compute_rate(entries.gpu, engine, entries.precision)
    reason = _unsupported_reason(entries.model, entries.gpu, engine, precision_id, kv_id, gpus) or rate_reason
    return ServingConfig(
        model_id=model_id, gpu_id=gpu_id, engine_id=engine_id, precision=precision_id, kv_precision=kv_id,
        gpus=gpus, model=entries.model, gpu=entries.gpu, engine=engine, unsupported_reason=reason,
        weight_only=weight_only, speculation=speculation,
        max_concurrent_sequences=engine.batch_limit(gpu_id, entries.gpu) * _attention_ranks(entries),
        **_memory_fields(entries), **_speed_fields(entries, rate_tflops or entries.gpu.bf16_dense_tflops,
                                                   weight_only))


def _memory_fields(entries: _Entries) -> dict[str, float]:
    model, engine, gpus, speed_gpus = entries.model, entries.engine, entries.gpus, entries.speed_gpus
    bytes_per_weight = entries.precision.bits_per_weight / BITS_PER_BYTE
    weights_total = architecture.total_params(model) * bytes_per_weight
    kv_total = architecture.kv_bytes_per_token(model, entries.kv_format.kv_bytes_per_element)
    return {
        "weights_bytes_total": weights_total,
        "weights_bytes_per_gpu": weights_total / gpus,
        "step_weight_bytes": weights_total / speed_gpus,
        "step_routed_expert_bytes": architecture.expert_params(model) * bytes_per_weight / speed_gpus,
        "experts_total": model.moe.experts_total if model.moe else 0,
        "experts_active": model.moe.experts_active if model.moe else 0,
        "kv_bytes_per_token_total": kv_total,
        "kv_bytes_per_token_per_gpu": kv_total * _kv_share_per_gpu(model, engine, gpus),
        "step_kv_bytes_per_token": kv_total * _kv_share_per_gpu(model, engine, speed_gpus),
        "usable_bytes_per_gpu": (entries.gpu.memory_gib * engine.gpu_memory_fraction
                                 - engine.runtime_overhead_gib) * BYTES_PER_GIB,
        "kv_waste_fraction": engine.kv_memory_waste_fraction,
    }


def _speed_fields(entries: _Entries, rate_tflops: float, weight_only: bool) -> dict[str, float]:
    model, gpu, engine, precision = entries.model, entries.gpu, entries.engine, entries.precision
    physics = engine.physics
    matmul_factor = 1.0 if weight_only else precision.compute_efficiency_factor
    kernels = gpu.kernel_efficiency
    weight_read = precision.weight_only_bandwidth_factor * physics.weight_only_kernel_efficiency
    return {
        "effective_bandwidth_bytes_per_s": gpu.bandwidth_gb_per_s * GIGA * engine.bandwidth_efficiency,
        "weight_read_factor": 1 / weight_read if weight_only else 1.0,
        "prefill_flops_per_s": (_prefill_rate_tflops(entries, rate_tflops, weight_only) * TERA
                                * engine.prefill_compute_efficiency * matmul_factor * kernels),
        "decode_flops_per_s": rate_tflops * TERA * engine.decode_compute_efficiency * matmul_factor * kernels,
        "attention_flops_per_s": gpu.bf16_dense_tflops * TERA * engine.prefill_compute_efficiency * kernels,
        "linear_flops_per_token_per_gpu": (architecture.FLOPS_PER_MAC * architecture.active_params(model)
                                           / entries.speed_gpus),
        "expert_linear_flops_per_token_per_gpu": (architecture.FLOPS_PER_MAC
                                                  * architecture.routed_expert_params_per_token(model)
                                                  / entries.speed_gpus),
        "moe_gemm_efficiency": _moe_gemm_efficiency(entries, weight_only),
        "moe_gemm_half_efficiency_rows": physics.moe_gemm_half_efficiency_rows if model.moe else 0.0,
        "moe_activation_bytes_per_token_per_gpu": _moe_activation_bytes_per_token(entries),
        "expert_parallel_gpus": entries.speed_gpus if _expert_parallel(entries) else 0,
        "attention_flops_per_context_token_per_gpu": _decode_attention_flops(model, physics) / entries.speed_gpus,
        "prefill_attention_flops_per_context_token_per_gpu": (
            architecture.attention_flops_per_token_per_context_token(model, physics.mla_prefill_absorbed)
            / entries.speed_gpus),
        "step_overhead_s": engine.decode_overhead_us_per_layer * S_PER_US * _overhead_layers(model, engine),
        "eager_step_overhead_s": _eager_step_overhead_s(model, physics),
        "cuda_graph_batch_sizes": (None if physics.cuda_graph_batch_sizes is None
                                   else frozenset(physics.cuda_graph_batch_sizes)),
        "prefill_overhead_s": engine.prefill_overhead_us_per_layer * S_PER_US * model.layers,
        "scheduler_overhead_s_per_sequence": physics.scheduler_overhead_us_per_sequence * S_PER_US,
        "request_overhead_s": physics.request_overhead_ms / MS_PER_S,
        "prefill_chunk_tokens": physics.prefill_chunk_tokens,
        "roofline_sharpness": engine.roofline_sharpness,
        "batch_utilisation": engine.static_batch_utilisation,
        **_communication_fields(entries),
    }


def _prefill_rate_tflops(entries: _Entries, rate_tflops: float, weight_only: bool) -> float:
    """Prompt matmul rate: FP16-accumulating engines run at the GeForce FP16-accumulate rate; dequantising
    kernels lose a share of it to unpacking the weights."""
    physics, gpu = entries.engine.physics, entries.gpu
    rate = rate_tflops
    sixteen_bit = weight_only or entries.precision.compute_format == "bf16"
    if physics.prefill_fp16_accumulate and gpu.fp16_accumulate_dense_tflops and sixteen_bit:
        rate = gpu.fp16_accumulate_dense_tflops
    return rate * (physics.weight_only_prefill_efficiency if weight_only else 1.0)


def _decode_attention_flops(model: OpenModel, physics) -> float:
    absorbed = physics.mla_decode_absorbed
    flops = architecture.attention_flops_per_token_per_context_token(model, absorbed)
    return flops if absorbed else flops + architecture.mla_expansion_flops_per_context_token(model)


def _attention_ranks(entries: _Entries) -> int:
    """Schedulers that each admit up to the engine's batch limit. With attention data parallelism every GPU
    attends for its own requests and the limit is per rank (TensorRT-LLM py_executor._fetch_new_requests:
    total_max_num_active_requests = tp_size x max_num_active_requests)."""
    model, physics = entries.model, entries.engine.physics
    return entries.speed_gpus if model.moe and physics.attention_data_parallel and entries.tensor_parallel else 1


def _expert_parallel(entries: _Entries) -> bool:
    return bool(entries.model.moe and entries.engine.physics.expert_parallel and entries.tensor_parallel)


def _moe_gemm_efficiency(entries: _Entries, weight_only: bool) -> float:
    """Grouped expert GEMMs lose efficiency as each GPU's slice of an expert narrows: width / (width + half),
    the usual tile-occupancy curve (expert parallelism keeps experts whole); FP8 experts run at the engine's
    FP8 grouped-kernel share on top."""
    model, physics = entries.model, entries.engine.physics
    if model.moe is None:
        return 1.0
    fp8 = physics.fp8_expert_gemm_efficiency if entries.precision.compute_format == "fp8" and not weight_only \
        else 1.0
    half = physics.moe_gemm_half_efficiency_columns
    if half <= 0:
        return fp8
    slices = 1 if _expert_parallel(entries) else entries.speed_gpus
    width = model.moe.expert_intermediate_size / slices
    return fp8 * width / (width + half)


def _moe_activation_bytes_per_token(entries: _Entries) -> float:
    """Bytes a token's routed activations move through one GPU's memory over all MoE layers, outside the GEMMs'
    weight stream: each of its top-k expert copies carries the hidden vector in and out and the gate/up and
    SwiGLU outputs (the GPU's slice of the expert width), `moe_activation_passes` times. Expert parallelism
    spreads the copies over the GPUs (the busiest one's excess is the caller's imbalance)."""
    model, physics = entries.model, entries.engine.physics
    if model.moe is None or not physics.moe_activation_passes:
        return 0.0
    expert_parallel = _expert_parallel(entries)
    width = model.moe.expert_intermediate_size / (1 if expert_parallel else entries.speed_gpus)
    elements = physics.moe_activation_passes * (model.hidden_size + 2 * width)
    copies = model.moe.experts_active / (entries.speed_gpus if expert_parallel else 1)
    moe_layers = model.layers - model.moe.dense_layers
    return elements * ACTIVATION_BYTES_PER_ELEMENT * copies * moe_layers


def _overhead_layers(model: OpenModel, engine: EngineProfile) -> float:
    """Layers weighted by their kernel count: an MoE layer launches several times a dense layer's kernels."""
    if model.moe is None:
        return model.layers
    moe_layers = model.layers - model.moe.dense_layers
    return model.moe.dense_layers + moe_layers * engine.moe_overhead_factor


def _eager_step_overhead_s(model: OpenModel, physics) -> float:
    moe_layers = model.layers - model.moe.dense_layers if model.moe else 0
    return S_PER_US * ((model.layers - moe_layers) * physics.eager_overhead_us_per_layer
                       + moe_layers * physics.eager_overhead_us_per_moe_layer)


def _communication_fields(entries: _Entries) -> dict[str, float]:
    model, gpus, engine = entries.model, entries.gpus, entries.engine
    if not entries.tensor_parallel:
        return {"allreduce_bytes_per_token": 0.0, "allreduces_per_pass": 0, "allreduce_latency_s": 0.0,
                "interconnect_bytes_per_s": entries.gpu.interconnect_gb_per_s * GIGA,
                "alltoall_bytes_per_token": 0.0, "alltoalls_per_pass": 0}
    # A ring all-reduce sends each byte around twice (reduce-scatter, then all-gather): 2(N-1)/N per GPU.
    ring_share = RING_PASSES * (gpus - 1) / gpus
    token_bytes = model.hidden_size * ACTIVATION_BYTES_PER_ELEMENT
    allreduces = ALLREDUCES_PER_LAYER * model.layers
    alltoall_bytes, alltoalls = 0.0, 0
    if _expert_parallel(entries):
        # Each MoE layer's MLP all-reduce becomes a dispatch and a combine: every GPU sends its 1/N share of
        # the tokens to experts_active experts, (N-1)/N of them on other GPUs, and receives the results back.
        moe_layers = model.layers - model.moe.dense_layers
        allreduces -= moe_layers
        alltoalls = moe_layers
        alltoall_bytes = RING_PASSES * token_bytes * model.moe.experts_active * (gpus - 1) / gpus / gpus
    return {
        "allreduce_bytes_per_token": token_bytes * ring_share,
        "allreduces_per_pass": allreduces,
        "allreduce_latency_s": engine.allreduce_latency_us * S_PER_US,
        "interconnect_bytes_per_s": entries.gpu.interconnect_gb_per_s * GIGA * engine.interconnect_efficiency,
        "alltoall_bytes_per_token": alltoall_bytes,
        "alltoalls_per_pass": alltoalls,
    }
