"""The effects beyond the roofline (catalogs/engines.yaml `physics`, gpus.yaml `kernel_efficiency`): each one
changes what it claims to change, by the amount its formula says, and nothing else."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.sizing import CapacityRequest, SizingRequest
from app.engine.sizing import architecture, best_plan, estimate, speed
from app.engine.sizing.config import build_config
from app.storage.hardware_catalog import load_hardware_catalog

HARDWARE = load_hardware_catalog()


def _with_physics(engine_id: str, **changes):
    engine = HARDWARE.engines[engine_id]
    engine = engine.model_copy(update={"physics": engine.physics.model_copy(update=changes)})
    return HARDWARE.model_copy(update={"engines": {**HARDWARE.engines, engine_id: engine}})


def _with_gpu(gpu_id: str, **changes):
    gpu = HARDWARE.gpus[gpu_id].model_copy(update=changes)
    return HARDWARE.model_copy(update={"gpus": {**HARDWARE.gpus, gpu_id: gpu}})


def test_mla_attention_flops_hand_worked_for_deepseek():
    model = HARDWARE.models["deepseek-r1"]
    # 2 FLOPs x 61 layers x 128 heads x (2 x 512 + 64) over the latent
    assert architecture.attention_flops_per_token_per_context_token(model) == 2 * 61 * 128 * 1088
    # unabsorbed: QK over 128 + 64 key dims, AV over 128 value dims
    assert architecture.attention_flops_per_token_per_context_token(model, False) == 2 * 61 * 128 * 320
    # re-expanding one cached latent: 512 x 128 heads x (128 + 128) MACs per layer
    assert architecture.mla_expansion_flops_per_context_token(model) == 2 * 61 * 512 * 128 * 256


def test_unabsorbed_mla_decode_costs_more_at_long_context():
    absorbed = build_config(HARDWARE, "deepseek-r1", "h200", "fp8", None, "vllm", 8)
    unabsorbed = build_config(_with_physics("vllm", mla_decode_absorbed=False), "deepseek-r1", "h200", "fp8",
                              None, "vllm", 8)
    assert (speed.decode_step(unabsorbed, 64, 16_000).seconds
            > 1.5 * speed.decode_step(absorbed, 64, 16_000).seconds)


def test_moe_gemm_efficiency_follows_expert_width_per_gpu():
    physics = HARDWARE.engines["vllm"].physics
    half = physics.moe_gemm_half_efficiency_columns
    bf16 = build_config(HARDWARE, "deepseek-r1", "h200", "bf16", None, "vllm", 8)
    assert bf16.moe_gemm_efficiency == pytest.approx(256 / (256 + half))  # 2048 columns over 8 GPUs
    fp8 = build_config(HARDWARE, "deepseek-r1", "h200", "fp8", None, "vllm", 8)
    assert fp8.moe_gemm_efficiency == pytest.approx(bf16.moe_gemm_efficiency * physics.fp8_expert_gemm_efficiency)
    dense = build_config(HARDWARE, "llama-3.1-70b", "h200", "fp8", None, "vllm", 8)
    assert dense.moe_gemm_efficiency == 1.0


def test_narrow_expert_gemms_slow_moe_prefill_not_dense_prefill():
    off = _with_physics("vllm", moe_gemm_half_efficiency_columns=0.0)
    for model_id, slower in (("deepseek-r1", True), ("llama-3.1-70b", False)):
        on_s = speed.prefill(build_config(HARDWARE, model_id, "h200", "fp8", None, "vllm", 8), 16, 2000).seconds
        off_s = speed.prefill(build_config(off, model_id, "h200", "fp8", None, "vllm", 8), 16, 2000).seconds
        assert (on_s > 1.15 * off_s) if slower else on_s == pytest.approx(off_s)  # 256 columns: 0.63 of the rate


def test_expert_imbalance_is_the_binomial_maximum():
    config = build_config(_with_physics("tensorrt-llm", expert_parallel=True), "deepseek-r1", "h200", "fp8",
                          None, "tensorrt-llm", 8)
    assert config.expert_parallel_gpus == 8 and config.alltoalls_per_pass == 58
    assert speed.expert_imbalance(config, 4) == pytest.approx(1 + math.sqrt(2 * math.log(8) * 7 / 32))
    assert speed.expert_imbalance(config, 8192) < 1.05
    sliced = build_config(_with_physics("tensorrt-llm", expert_parallel=False), "deepseek-r1", "h200", "fp8",
                          None, "tensorrt-llm", 8)
    assert speed.expert_imbalance(sliced, 4) == 1.0 and sliced.alltoalls_per_pass == 0


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 1000), st.integers(1, 10**6))
def test_expert_imbalance_falls_with_tokens(gpus_exp, tokens):
    config = build_config(_with_physics("tensorrt-llm", expert_parallel=True), "deepseek-r1", "h200", "fp8",
                          None, "tensorrt-llm", 8)
    assert 1.0 <= speed.expert_imbalance(config, tokens + gpus_exp) <= speed.expert_imbalance(config, tokens)


def test_scheduler_overhead_adds_per_sequence_per_step():
    per_sequence_us = 20.0
    base = build_config(_with_physics("vllm", scheduler_overhead_us_per_sequence=0.0), "llama-3.1-8b", "h100-sxm")
    loaded = build_config(_with_physics("vllm", scheduler_overhead_us_per_sequence=per_sequence_us),
                          "llama-3.1-8b", "h100-sxm")
    delta = speed.decode_step(loaded, 256, 1000).seconds - speed.decode_step(base, 256, 1000).seconds
    assert delta == pytest.approx(256 * per_sequence_us * 1e-6)


def test_request_overhead_is_in_ttft_only():
    base = build_config(_with_physics("vllm", request_overhead_ms=0.0), "llama-3.1-8b", "h100-sxm")
    online = build_config(_with_physics("vllm", request_overhead_ms=40.0), "llama-3.1-8b", "h100-sxm")
    a, b = speed.serve(base, 4, 256, 256), speed.serve(online, 4, 256, 256)
    assert b.ttft_s - a.ttft_s == pytest.approx(0.040)
    assert b.tpot_s == pytest.approx(a.tpot_s)


def test_chunked_prefill_rereads_the_weights_per_chunk():
    whole = build_config(_with_physics("llama.cpp", prefill_chunk_tokens=None), "llama-3.1-8b", "rtx-4090",
                         "fp16", None, "llama.cpp")
    chunked = build_config(_with_physics("llama.cpp", prefill_chunk_tokens=512), "llama-3.1-8b", "rtx-4090",
                           "fp16", None, "llama.cpp")
    long_prompt = 4096
    extra = speed.prefill(chunked, 1, long_prompt).seconds - speed.prefill(whole, 1, long_prompt).seconds
    assert extra > 0
    short = speed.prefill(chunked, 1, 256).seconds - speed.prefill(whole, 1, 256).seconds
    assert short == pytest.approx(0.0)  # a prompt under one chunk is one pass either way


def test_rocm_kernel_efficiency_slows_batched_decode_not_batch_one():
    full = build_config(_with_gpu("mi300x", kernel_efficiency=1.0), "llama-3.1-405b", "mi300x", "fp8", None,
                        "vllm", 8)
    rocm = build_config(HARDWARE, "llama-3.1-405b", "mi300x", "fp8", None, "vllm", 8)
    assert speed.decode_step(rocm, 1, 256).seconds == pytest.approx(speed.decode_step(full, 1, 256).seconds,
                                                                     rel=0.03)
    assert speed.decode_step(rocm, 256, 256).seconds > 1.3 * speed.decode_step(full, 256, 256).seconds


def test_llama_cpp_prompts_run_at_the_fp16_accumulate_rate_and_dequantise_quantised_weights():
    config = build_config(HARDWARE, "llama-2-7b", "rtx-4090", "fp16", None, "llama.cpp")
    engine = HARDWARE.engines["llama.cpp"]
    assert config.prefill_flops_per_s == pytest.approx(330.3e12 * engine.prefill_compute_efficiency)
    q8 = build_config(HARDWARE, "llama-2-7b", "rtx-4090", "int8", None, "llama.cpp")
    assert q8.weight_only
    assert q8.prefill_flops_per_s == pytest.approx(
        config.prefill_flops_per_s * engine.physics.weight_only_prefill_efficiency)
    vllm_q8 = build_config(HARDWARE, "llama-2-7b", "rtx-4090", "int8", None, "vllm")
    assert not vllm_q8.weight_only  # vLLM runs W8A8 on the INT8 tensor cores


def test_dequantising_kernels_read_slower_in_vllm_than_llama_cpp():
    vllm = build_config(HARDWARE, "llama-3.1-8b", "rtx-3090", "int4", None, "vllm")
    lcpp = build_config(HARDWARE, "llama-3.1-8b", "rtx-3090", "int4", None, "llama.cpp")
    factor = HARDWARE.precisions["int4"].weight_only_bandwidth_factor
    assert lcpp.weight_read_factor == pytest.approx(1 / factor)
    assert vllm.weight_read_factor == pytest.approx(
        1 / (factor * HARDWARE.engines["vllm"].physics.weight_only_kernel_efficiency))


def test_engine_version_reaches_the_sizing_result_and_the_plan():
    result = estimate(SizingRequest(model_id="llama-3.1-8b", gpu_id="h100-sxm"), HARDWARE)
    assert result.engine_version == HARDWARE.engines["vllm"].version != ""
    plan = best_plan(CapacityRequest(tokens_per_day=5e7, input_tokens_per_request=500,
                                     output_tokens_per_request=200, model_ids=("llama-3.1-8b",),
                                     gpu_ids=("l40s",), engine="sglang"), HARDWARE)
    assert plan.engine_version == HARDWARE.engines["sglang"].version


def test_every_engine_names_its_version():
    assert all(engine.version for engine in HARDWARE.engines.values())


def test_published_precision_on_every_model():
    assert HARDWARE.models["deepseek-r1"].published_precision == "fp8"
    assert HARDWARE.models["llama-3.1-8b"].published_precision == "bf16"
    assert {model.published_precision for model in HARDWARE.models.values()} <= {
        "fp32", "bf16", "fp16", "fp8", "mxfp4", "nvfp4", "int4"}


def test_a_decode_step_off_the_captured_graph_sizes_runs_at_the_hosts_pace():
    """trtllm-serve's default graphs (1-31, 32, 64, 128 unpadded): batch 32 replays a graph; batch 33 runs eagerly,
    taking the longer of its kernels and 3 dense + 58 MoE layers of eager host time."""
    sizes = [*range(1, 32), 32, 64, 128]
    physics = HARDWARE.engines["tensorrt-llm"].physics
    graphs = build_config(_with_physics("tensorrt-llm", cuda_graph_batch_sizes=sizes), "deepseek-r1", "h200",
                          "fp8", None, "tensorrt-llm", 8)
    padded = build_config(HARDWARE, "deepseek-r1", "h200", "fp8", None, "tensorrt-llm", 8)
    host_s = (3 * physics.eager_overhead_us_per_layer + 58 * physics.eager_overhead_us_per_moe_layer) * 1e-6
    assert graphs.eager_step_overhead_s == pytest.approx(host_s)
    assert speed.decode_step(graphs, 32, 500).seconds == speed.decode_step(padded, 32, 500).seconds
    kernels_s = speed.decode_step(padded, 33, 500).seconds - padded.step_overhead_s \
        - 33 * padded.scheduler_overhead_s_per_sequence
    assert speed.decode_step(graphs, 33, 500).seconds == pytest.approx(
        max(kernels_s, host_s) + 33 * padded.scheduler_overhead_s_per_sequence)
    assert speed.decode_step(graphs, 33, 500).seconds > speed.decode_step(padded, 33, 500).seconds


def test_attention_data_parallelism_keeps_each_gpus_own_kv_cache_only():
    """Qwen3-235B has 4 KV heads: tensor-parallel attention on 8 GPUs replicates each head twice (1/4 of the cache
    per GPU); attention data parallelism (TensorRT-LLM's MoE setting) holds 1/8, doubling the sequences that fit."""
    dp = build_config(HARDWARE, "qwen3-235b-a22b", "h200", "fp8", None, "tensorrt-llm", 8)
    tp = build_config(_with_physics("tensorrt-llm", attention_data_parallel=False), "qwen3-235b-a22b", "h200",
                      "fp8", None, "tensorrt-llm", 8)
    assert dp.kv_bytes_per_token_per_gpu == pytest.approx(dp.kv_bytes_per_token_total / 8)
    assert tp.kv_bytes_per_token_per_gpu == pytest.approx(tp.kv_bytes_per_token_total / 4)
    dense = build_config(HARDWARE, "llama-3.1-70b", "h200", "fp8", None, "tensorrt-llm", 8)
    assert dense.kv_bytes_per_token_per_gpu == pytest.approx(dense.kv_bytes_per_token_total / 8)  # 8 heads, 8 GPUs
