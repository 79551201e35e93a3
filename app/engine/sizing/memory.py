"""GPU memory: weights, KV cache and runtime overhead per GPU; whether it fits; how many sequences fit."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.engine.sizing.config import BYTES_PER_GIB, ServingConfig


@dataclass(frozen=True, slots=True)
class MemoryFit:
    fits: bool
    reason: str | None
    weights_gib_total: float
    memory_per_gpu_gib: float  # weights + runtime overhead + the KV cache of the requested sequences
    kv_cache_gib_per_sequence: float  # whole model
    max_concurrency: int


def kv_bytes_per_sequence_per_gpu(config: ServingConfig, tokens_per_sequence: float) -> float:
    """KV a sequence occupies on one GPU, with the engine's fragmentation loss."""
    return tokens_per_sequence * config.kv_bytes_per_token_per_gpu / (1 - config.kv_waste_fraction)


def max_concurrency(config: ServingConfig, tokens_per_sequence: float) -> int:
    """Sequences of that length whose KV fits next to the weights, capped by the engine's batch limit."""
    kv_budget = config.usable_bytes_per_gpu - config.weights_bytes_per_gpu
    per_sequence = kv_bytes_per_sequence_per_gpu(config, tokens_per_sequence)
    if kv_budget <= 0 or per_sequence <= 0:
        return 0
    return min(math.floor(kv_budget / per_sequence), config.max_concurrent_sequences)


def _no_fit_reason(config: ServingConfig, tokens_per_sequence: float, concurrency: int, limit: int) -> str | None:
    if config.unsupported_reason:
        return config.unsupported_reason
    if tokens_per_sequence > config.model.context_tokens:
        return (f"{tokens_per_sequence:.0f} tokens per sequence exceed {config.model.name}'s "
                f"{config.model.context_tokens}-token context window")
    usable_gib = config.usable_bytes_per_gpu / BYTES_PER_GIB
    weights_gib = config.weights_bytes_per_gpu / BYTES_PER_GIB
    if weights_gib >= usable_gib:
        return (f"weights need {weights_gib:.1f} GiB per GPU but {config.engine.name} can use only "
                f"{usable_gib:.1f} GiB of a {config.gpu.name} ({config.gpus} GPU(s))")
    if limit < 1:
        return (f"weights fit ({weights_gib:.1f} of {usable_gib:.1f} GiB per GPU) but no room is left for "
                f"the KV cache of one {tokens_per_sequence:.0f}-token sequence")
    if concurrency > limit:
        return f"concurrency {concurrency} is above the {limit} sequences that fit (memory or engine limit)"
    return None


def memory_fit(config: ServingConfig, tokens_per_sequence: float, concurrency: int) -> MemoryFit:
    limit = max_concurrency(config, tokens_per_sequence)
    reason = _no_fit_reason(config, tokens_per_sequence, concurrency, limit)
    kv_per_gpu = concurrency * kv_bytes_per_sequence_per_gpu(config, tokens_per_sequence)
    overhead = config.engine.runtime_overhead_gib * BYTES_PER_GIB
    return MemoryFit(
        fits=reason is None,
        reason=reason,
        weights_gib_total=config.weights_bytes_total / BYTES_PER_GIB,
        memory_per_gpu_gib=(config.weights_bytes_per_gpu + kv_per_gpu + overhead) / BYTES_PER_GIB,
        kv_cache_gib_per_sequence=tokens_per_sequence * config.kv_bytes_per_token_total / BYTES_PER_GIB,
        max_concurrency=max(limit, 0),
    )
