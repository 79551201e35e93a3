"""Speed from first principles: each pass is limited by memory traffic, arithmetic or GPU-to-GPU traffic.

Decode moves the weights (MoE: only the experts the batch touches) and every sequence's KV cache once per
step, and does 2 FLOPs per active weight per token; prefill does the same arithmetic for every prompt token
at once, so it is compute-bound. Tensor parallelism adds two all-reduces per layer per pass. Achieved rates
are peak x the engine's calibrated efficiencies (catalogs/engines.yaml)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.engine.sizing.config import ServingConfig

MEMORY, COMPUTE, COMMUNICATION = "memory-bandwidth", "compute", "communication"


@dataclass(frozen=True, slots=True)
class PassTime:
    seconds: float
    bound: str


@dataclass(frozen=True, slots=True)
class Speed:
    concurrency: int
    ttft_s: float
    tpot_s: float
    output_tokens_per_s: float  # whole system
    tokens_per_s_per_user: float
    bound: str


def experts_touched(config: ServingConfig, tokens: float) -> float:
    """Expected distinct routed experts per layer that `tokens` tokens activate (uniform routing)."""
    share_missed = (1 - config.experts_active / config.experts_total) ** tokens
    return config.experts_total * (1 - share_missed)


def _weight_bytes_read(config: ServingConfig, tokens: float) -> float:
    if not config.experts_total:
        return config.step_weight_bytes * config.weight_read_factor
    untouched = config.experts_total - experts_touched(config, tokens)
    read = config.step_weight_bytes - untouched * config.step_routed_expert_bytes
    return read * config.weight_read_factor


def expert_imbalance(config: ServingConfig, tokens: float) -> float:
    """Busiest GPU's share of routed-expert work over the mean when experts sit whole on N GPUs: each GPU
    receives Binomial(tokens x top-k, 1/N) assignments and the largest of N is about mean + sd x sqrt(2 ln N)."""
    gpus = config.expert_parallel_gpus
    if gpus < 2:
        return 1.0
    assignments = max(tokens * config.experts_active, 1.0)
    return 1 + math.sqrt(2 * math.log(gpus) * (gpus - 1) / assignments)


def expert_row_efficiency(config: ServingConfig, tokens: float) -> float:
    """Share of the matmul rate a grouped expert GEMM reaches with `tokens` x top-k rows shared by the experts
    they touch: rows / (rows + half), tile occupancy along the token dimension (1 when the effect is off).
    An expert no token reaches launches no tile, so at small batch each touched expert holds about one row
    (dividing by every expert would charge a tile to the untouched ones too)."""
    half = config.moe_gemm_half_efficiency_rows
    if not config.experts_total or half <= 0:
        return 1.0
    rows = tokens * config.experts_active / max(experts_touched(config, tokens), config.experts_active)
    return rows / (rows + half)


def _linear_s(config: ServingConfig, tokens: float, flops_per_s: float) -> float:
    """Matmul arithmetic: routed experts run as narrow grouped GEMMs on the busiest GPU, short ones when
    few tokens reach each expert."""
    experts = config.expert_linear_flops_per_token_per_gpu
    dense = config.linear_flops_per_token_per_gpu - experts
    # The busiest GPU's extra tokens scale its work; the short-tile cost (1/row efficiency - 1) is paid once per
    # expert pass whoever sends the rows, so imbalance does not multiply it (else a second token made the step
    # faster: the property test found it).
    short_tiles = 1 / expert_row_efficiency(config, tokens) - 1
    routed = experts * (expert_imbalance(config, tokens) + short_tiles) / config.moe_gemm_efficiency
    return tokens * (dense + routed) / flops_per_s


def _moe_activation_s(config: ServingConfig, tokens: float) -> float:
    """Routed activations through memory (gather, SwiGLU, combine: kernels of their own, not hidden behind the
    expert GEMMs); the busiest expert-parallel GPU carries its excess tokens."""
    if not config.moe_activation_bytes_per_token_per_gpu:
        return 0.0
    moved = tokens * config.moe_activation_bytes_per_token_per_gpu * expert_imbalance(config, tokens)
    return moved / config.effective_bandwidth_bytes_per_s


def _communication_s(config: ServingConfig, tokens: float) -> float:
    if not config.allreduces_per_pass:
        return 0.0
    per_allreduce = (config.allreduce_latency_s
                     + tokens * config.allreduce_bytes_per_token / config.interconnect_bytes_per_s)
    per_alltoall = (config.allreduce_latency_s
                    + tokens * config.alltoall_bytes_per_token / config.interconnect_bytes_per_s)
    return config.allreduces_per_pass * per_allreduce + config.alltoalls_per_pass * per_alltoall


def _roofline(memory_s: float, compute_s: float, sharpness: float) -> float:
    """Kernel time from its memory and arithmetic times: the max far from the ridge point, more near it,
    where a kernel neither streams at full bandwidth nor computes at peak (a smooth roofline)."""
    return (memory_s**sharpness + compute_s**sharpness) ** (1 / sharpness)


def _pass_time(config: ServingConfig, weights_s: float, linear_s: float, kv_s: float, attention_s: float,
               communication_s: float, overhead_s: float, activations_s: float = 0.0) -> PassTime:
    """Matmuls (bound by weight traffic or arithmetic), attention (bound by KV traffic or arithmetic) and MoE
    activation traffic run as separate kernels one after the other, so their times add; all-reduces follow
    each layer."""
    sharpness = config.roofline_sharpness
    matmul_s, attend_s = _roofline(weights_s, linear_s, sharpness), _roofline(kv_s, attention_s, sharpness)
    memory_s = (weights_s if weights_s >= linear_s else 0.0) + (kv_s if kv_s >= attention_s else 0.0) + activations_s
    compute_s = (linear_s if linear_s > weights_s else 0.0) + (attention_s if attention_s > kv_s else 0.0)
    busiest = max(memory_s, compute_s)
    bound = COMMUNICATION if communication_s > busiest else MEMORY if memory_s >= compute_s else COMPUTE
    return PassTime(matmul_s + attend_s + activations_s + communication_s + overhead_s, bound)


def decode_step(config: ServingConfig, batch: int, context_tokens: float, tokens_per_sequence: int = 1) -> PassTime:
    """One decode step for `batch` sequences of mean length `context_tokens`; each verifies
    `tokens_per_sequence` tokens (1 without speculative decoding)."""
    tokens = batch * tokens_per_sequence
    bandwidth = config.effective_bandwidth_bytes_per_s
    weights_s = _weight_bytes_read(config, tokens) / bandwidth
    kv_s = batch * context_tokens * config.step_kv_bytes_per_token / bandwidth
    linear_s = _linear_s(config, tokens, config.decode_flops_per_s)
    attention_s = (tokens * context_tokens * config.attention_flops_per_context_token_per_gpu
                   / config.attention_flops_per_s)
    sequences_s = batch * config.scheduler_overhead_s_per_sequence
    communication_s = _communication_s(config, tokens)
    activations_s = _moe_activation_s(config, tokens)
    if _graphed(config, batch):
        return _pass_time(config, weights_s, linear_s, kv_s, attention_s, communication_s,
                          config.step_overhead_s + sequences_s, activations_s)
    # Eager: the host issues the kernels one by one while the GPU runs those already queued, so the step takes
    # the longer of the two.
    kernels = _pass_time(config, weights_s, linear_s, kv_s, attention_s, communication_s, 0.0, activations_s)
    return PassTime(max(kernels.seconds, config.eager_step_overhead_s) + sequences_s, kernels.bound)


def _graphed(config: ServingConfig, batch: int) -> bool:
    sizes = config.cuda_graph_batch_sizes
    return sizes is None or batch in sizes


def prefill(config: ServingConfig, requests: int, input_tokens: float, cached_share: float = 0.0) -> PassTime:
    """Prefill of `requests` prompts of `input_tokens`; a cached prefix is neither recomputed nor re-read.
    Under chunked prefill the tokens go through in passes of at most the engine's budget, each pass
    re-reading the weights the chunk touches and paying a step's fixed cost (the interference a prompt
    causes to every running decode)."""
    new_tokens = input_tokens * (1 - cached_share)
    cached_tokens = input_tokens - new_tokens
    tokens = requests * new_tokens
    # Causal attention: the i-th new token attends to the cached prefix plus the i new tokens before it.
    attended = requests * (new_tokens * cached_tokens + new_tokens * new_tokens / 2)
    # Passes are counted fractionally: in steady state a partial chunk shares its pass with decode tokens.
    chunk = min(tokens, config.prefill_chunk_tokens or tokens)
    passes = tokens / chunk if chunk > 0 else 1.0
    weights_s = passes * _weight_bytes_read(config, chunk) / config.effective_bandwidth_bytes_per_s
    linear_s = passes * _linear_s(config, chunk, config.prefill_flops_per_s)
    attention_s = (attended * config.prefill_attention_flops_per_context_token_per_gpu
                   / config.attention_flops_per_s)
    return _pass_time(config, weights_s, linear_s, 0.0, attention_s, passes * _communication_s(config, chunk),
                      passes * (config.step_overhead_s + config.prefill_overhead_s), passes * _moe_activation_s(config, chunk))


def _speculative_step(config: ServingConfig, batch: int, context_tokens: float) -> tuple[PassTime, float]:
    """(step time, accepted tokens per sequence per step). Draft k tokens, verify k+1 in one pass."""
    spec = config.speculation
    if spec is None:
        return decode_step(config, batch, context_tokens), 1.0
    verify = decode_step(config, batch, context_tokens, spec.draft_tokens + 1)
    alpha = spec.acceptance_rate
    accepted = (1 - alpha ** (spec.draft_tokens + 1)) / (1 - alpha)
    return PassTime(verify.seconds * (1 + spec.draft_cost_fraction), verify.bound), accepted


def serve(config: ServingConfig, concurrency: int, input_tokens: float, output_tokens: float,
          cached_share: float = 0.0) -> Speed:
    """Steady state with `concurrency` sequences in flight under continuous batching: in one request
    lifetime the GPU prefills every in-flight prompt once and runs `output_tokens` decode steps."""
    context = input_tokens + output_tokens / 2  # mean KV length over a sequence's decode
    step, accepted = _speculative_step(config, concurrency, context)
    steps = output_tokens / accepted
    own_prefill = prefill(config, 1, input_tokens, cached_share)
    all_prefills = prefill(config, concurrency, input_tokens, cached_share)
    lifetime_s = all_prefills.seconds + steps * step.seconds
    throughput = concurrency * output_tokens / lifetime_s * config.batch_utilisation
    # Other requests' prefills stall this one's decode; its own prefill is the time to first token.
    tpot_s = (lifetime_s - own_prefill.seconds) / output_tokens
    ttft_s = config.request_overhead_s + own_prefill.seconds + (step.seconds if concurrency > 1 else 0.0)
    return Speed(concurrency=concurrency, ttft_s=ttft_s, tpot_s=tpot_s, output_tokens_per_s=throughput,
                 tokens_per_s_per_user=1 / tpot_s, bound=step.bound)


EULER_GAMMA = 0.5772  # the longest of n exponential lengths is mean x (ln n + gamma) on average
BURST_TAIL_SEGMENTS = 48  # quadrature points over the draining batch (error well under 1%)


@dataclass(frozen=True, slots=True)
class Burst:
    seconds: float
    output_tokens_per_s: float
    concurrency: int


def burst(config: ServingConfig, requests: int, concurrency: int, input_tokens: float,
          mean_output_tokens: float, longest_output_tokens: float) -> Burst:
    """`requests` prompts sent at once, output lengths drawn from a dataset (exponential with the given
    mean, the maximum-entropy shape for a known mean, cut at the longest allowed), at most `concurrency`
    in flight. Unlike steady state, the batch drains: while the queue lasts it is full; then it shrinks as
    requests finish, to batch 1 for the longest, so the makespan pays the small-batch step for about
    mean x ln(concurrency) steps. Every prompt is prefilled once; a survivor at step s attends to
    input + s tokens. Throughput counts the tokens the modelled steps produce."""
    mean = mean_output_tokens
    queue_steps = max(requests - concurrency, 0) * mean / concurrency
    seconds = prefill(config, requests, input_tokens).seconds
    seconds += queue_steps * decode_step(config, concurrency, input_tokens + mean / 2).seconds
    tokens = queue_steps * concurrency
    drain_steps = min(mean * math.log(concurrency), longest_output_tokens)
    width = drain_steps / BURST_TAIL_SEGMENTS
    for segment in range(BURST_TAIL_SEGMENTS):
        step = (segment + 0.5) * width
        batch = max(round(concurrency * math.exp(-step / mean)), 1)
        seconds += width * decode_step(config, batch, input_tokens + step).seconds
        tokens += width * batch
    last_steps = min(EULER_GAMMA * mean, max(longest_output_tokens - drain_steps, 0.0))
    seconds += last_steps * decode_step(config, 1, input_tokens + drain_steps).seconds
    tokens += last_steps
    return Burst(seconds, tokens / seconds * config.batch_utilisation, concurrency)
