"""Hand-worked steps: an MoE decode step, an INT4 single-stream step, a llama.cpp prompt and a dataset burst,
each computed here from the architecture, the datasheet and the catalog's named parameters, then checked
against the engine. A change to any formula moves one of these."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.sizing import speed
from app.engine.sizing.config import build_config
from app.storage.hardware_catalog import load_hardware_catalog

HARDWARE = load_hardware_catalog()
VLLM = HARDWARE.engines["vllm"]
LLAMA_CPP = HARDWARE.engines["llama.cpp"]
US = 1e-6


def _roofline(memory_s: float, compute_s: float) -> float:
    return math.hypot(memory_s, compute_s)  # the catalog's sharpness p = 2


def test_int4_single_stream_step_llama_3_1_8b_on_rtx_3090():
    """Batch 1, empty context: the 4.5-bit weights stream at the bandwidth x the format's factor x vLLM's
    dequantising-kernel share, so INT4 is not 16/4.5 = 3.6x faster than 16-bit but well under half that
    (gigagpu measured 58 vs 43 tok/s on this card, 1.35x)."""
    params = 8_030_261_248
    bandwidth = 936e9 * VLLM.bandwidth_efficiency
    read_share = 0.85 * VLLM.physics.weight_only_kernel_efficiency
    weights_s = params * 4.5 / 8 / bandwidth / read_share
    linear_s = 2 * params / (71e12 * VLLM.decode_compute_efficiency)  # dequantised to BF16 tensor cores
    overhead_s = VLLM.decode_overhead_us_per_layer * US * 32 + VLLM.physics.scheduler_overhead_us_per_sequence * US
    expected = _roofline(weights_s, linear_s) + overhead_s

    int4 = build_config(HARDWARE, "llama-3.1-8b", "rtx-3090", "int4", None, "vllm")
    assert speed.decode_step(int4, 1, 0).seconds == pytest.approx(expected, rel=1e-9)
    bf16 = build_config(HARDWARE, "llama-3.1-8b", "rtx-3090", "bf16", None, "vllm")
    speed_up = speed.decode_step(bf16, 1, 0).seconds / expected
    assert 1.2 < speed_up < 2.5


def test_moe_decode_step_qwen3_30b_a3b_batch_16_on_one_h200():
    """16 tokens x top-8 of 128 experts: 82.42 distinct experts read per layer, 128 / 82.42 = 1.55 rows per
    touched expert (untouched experts launch no tile), so the grouped GEMMs run at rows / (rows + half) of the
    rate on top of the expert-width share. Each token's 8 expert copies also move their activations (hidden 2048 +
    2 x 768 expert width, 16-bit) `moe_activation_passes` times per layer, in kernels of their own."""
    physics = VLLM.physics
    total, active, one_expert = 30_532_110_336, 3_353_020_416, 226_492_416  # expert: summed over 48 layers
    touched = 128 * (1 - (120 / 128) ** 16)
    assert touched == pytest.approx(82.42, abs=0.01)
    bytes_read = (total - (128 - touched) * one_expert) * 2
    weights_s = bytes_read / (4800e9 * VLLM.bandwidth_efficiency)
    routed_flops = 2 * one_expert * 8
    width_share = 768 / (768 + physics.moe_gemm_half_efficiency_columns)
    rows = 16 * 8 / touched
    assert rows == pytest.approx(1.553, abs=0.001)
    row_share = rows / (rows + physics.moe_gemm_half_efficiency_rows)
    linear_s = 16 * (2 * active - routed_flops + routed_flops / (width_share * row_share)) / (
        989.4e12 * VLLM.decode_compute_efficiency)
    overhead_s = (VLLM.decode_overhead_us_per_layer * US * 48 * VLLM.moe_overhead_factor
                  + 16 * physics.scheduler_overhead_us_per_sequence * US)
    activations_s = 16 * 8 * physics.moe_activation_passes * (2048 + 2 * 768) * 2 * 48 / (
        4800e9 * VLLM.bandwidth_efficiency)
    expected = _roofline(weights_s, linear_s) + activations_s + overhead_s

    config = build_config(HARDWARE, "qwen3-30b-a3b", "h200", "bf16", None, "vllm")
    assert speed.experts_touched(config, 16) == pytest.approx(touched)
    assert speed.expert_row_efficiency(config, 16) == pytest.approx(row_share)
    assert speed.decode_step(config, 16, 0).seconds == pytest.approx(expected, rel=1e-9)


def test_expert_rows_cost_nothing_for_dense_models_and_little_for_prefill_chunks():
    dense = build_config(HARDWARE, "llama-3.1-8b", "h200", "bf16", None, "vllm")
    assert speed.expert_row_efficiency(dense, 16) == 1.0
    moe = build_config(HARDWARE, "qwen3-30b-a3b", "h200", "bf16", None, "vllm")
    rows = 8192 * 8 / 128  # one 8192-token prefill chunk: 512 rows per expert
    assert speed.expert_row_efficiency(moe, 8192) == pytest.approx(
        rows / (rows + VLLM.physics.moe_gemm_half_efficiency_rows))
    assert speed.expert_row_efficiency(moe, 8192) > 0.9 > 0.2 > speed.expert_row_efficiency(moe, 16)


def test_llama_cpp_prompt_of_512_tokens_llama_2_7b_fp16_on_rtx_4090():
    """One micro-batch of 512 tokens: matmuls at the FP16-accumulate rate (330.3 TFLOPS) x the prefill
    efficiency against one read of the weights, then causal attention over 512^2 / 2 pairs in 16 bits, and the
    per-layer launch costs of a decode step and a prefill pass."""
    params, layers = 6_738_415_616, 32
    weights_s = params * 2 / (1008e9 * LLAMA_CPP.bandwidth_efficiency)
    linear_s = 512 * 2 * params / (330.3e12 * LLAMA_CPP.prefill_compute_efficiency)
    attention_flops = 512 * 512 / 2 * 2 * layers * 32 * 2 * 128  # QK^T and AV over 32 heads of 128 dims
    attention_s = attention_flops / (165.2e12 * LLAMA_CPP.prefill_compute_efficiency)
    overhead_s = (LLAMA_CPP.decode_overhead_us_per_layer + LLAMA_CPP.prefill_overhead_us_per_layer) * US * layers
    expected = _roofline(weights_s, linear_s) + attention_s + overhead_s

    config = build_config(HARDWARE, "llama-2-7b", "rtx-4090", "fp16", None, "llama.cpp")
    assert speed.prefill(config, 1, 512).seconds == pytest.approx(expected, rel=1e-9)
    assert expected * 1000 == pytest.approx(50.7, abs=1.0)  # llama-bench pp512 measured 46.3 ms (PR 4766)


def test_burst_pays_the_draining_batch():
    """1000 prompts at once, mean output 200: full batch while the queue lasts (none here), then the batch
    drains for 200 x ln 1000 = 1382 steps and the longest runs ~0.577 x 200 = 115 steps alone."""
    config = build_config(HARDWARE, "llama-3.1-8b", "h100-sxm", "bf16", None, "vllm")
    result = speed.burst(config, 1000, 1000, 200, 200, 10_000)
    drain = 200 * math.log(1000)
    assert drain == pytest.approx(1381.6, abs=0.1)
    lower = speed.prefill(config, 1000, 200).seconds + 115.4 * speed.decode_step(config, 1, 200 + drain).seconds
    assert result.seconds > lower
    steady = speed.serve(config, 1000, 200, 200)
    assert result.output_tokens_per_s < 0.8 * steady.output_tokens_per_s
    assert result.output_tokens_per_s == pytest.approx(1000 * 200 / result.seconds, rel=0.02)  # ~all tokens


def test_burst_cap_and_queue():
    config = build_config(HARDWARE, "llama-3.1-8b", "h100-sxm", "bf16", None, "vllm")
    capped = speed.burst(config, 1000, 1000, 200, 200, 300)
    free = speed.burst(config, 1000, 1000, 200, 200, 10_000)
    assert capped.seconds < free.seconds  # no output is longer than the cap, so the tail is shorter
    queued = speed.burst(config, 2000, 1000, 200, 200, 10_000)
    # twice the prompts through the same 1000 slots: the extra 1000 run as a full batch for 200 steps
    extra = (queued.seconds - free.seconds
             - (speed.prefill(config, 2000, 200).seconds - speed.prefill(config, 1000, 200).seconds))
    assert extra == pytest.approx(200 * speed.decode_step(config, 1000, 300).seconds)


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 1024), st.integers(0, 3000), st.integers(16, 1000), st.integers(0, 2))
def test_a_burst_never_beats_the_steady_state(concurrency, input_tokens, mean_output, queue_rounds):
    """The draining batch only lowers the batch (and lengthens survivors' contexts), so a burst's throughput is
    at most the steady state's at the same concurrency; more prompts take longer."""
    config = build_config(HARDWARE, "llama-3.1-8b", "h100-sxm", "bf16", None, "vllm")
    requests = concurrency * (1 + queue_rounds)
    result = speed.burst(config, requests, concurrency, input_tokens, mean_output, 2048)
    steady = speed.serve(config, concurrency, input_tokens, mean_output)
    assert result.output_tokens_per_s <= steady.output_tokens_per_s * 1.0001
    more = speed.burst(config, requests + concurrency, concurrency, input_tokens, mean_output, 2048)
    assert more.seconds > result.seconds
