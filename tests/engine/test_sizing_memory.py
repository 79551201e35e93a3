"""Memory: hand-worked weights, KV cache per token (GQA and MLA), the fit/no-fit boundary, TP splits."""

from __future__ import annotations

import pytest

from app.engine.sizing import architecture
from app.engine.sizing.config import BYTES_PER_GIB, build_config
from app.engine.sizing.memory import kv_bytes_per_sequence_per_gpu, max_concurrency, memory_fit
from app.storage.hardware_catalog import load_hardware_catalog

# Llama 3.1 70B by hand: 80 layers x (attention 2*8192*8192 + 2*8192*1024, MLP 3*8192*28672, 2 norms)
# + untied embeddings 2*128256*8192 + final norm.
LLAMA_70B_PARAMS = 80 * (2 * 8192 * 8192 + 2 * 8192 * 1024 + 3 * 8192 * 28672 + 2 * 8192) + 2 * 128256 * 8192 + 8192


@pytest.fixture(scope="module")
def hardware():
    return load_hardware_catalog()


def test_hand_counted_70b_parameters(hardware):
    assert LLAMA_70B_PARAMS == 70_553_706_496
    assert architecture.total_params(hardware.models["llama-3.1-70b"]) == LLAMA_70B_PARAMS


@pytest.mark.parametrize(("precision", "bits"), [
    ("fp16", 16), ("bf16", 16), ("fp8", 8), ("int8", 8),
    ("int4", 4.5),  # 4-bit values + group-128 scales/zeros and 16-bit embeddings
    ("fp4", 4.5),  # NVFP4: 4-bit values + one FP8 scale per 16
])
def test_weights_of_a_70b_model_at_each_precision(hardware, precision, bits):
    config = build_config(hardware, "llama-3.1-70b", "h200", precision, engine_id="vllm")
    expected_gib = LLAMA_70B_PARAMS * bits / 8 / BYTES_PER_GIB
    assert config.weights_bytes_total / BYTES_PER_GIB == pytest.approx(expected_gib)


def test_70b_weights_in_familiar_units(hardware):
    gib = {p: build_config(hardware, "llama-3.1-70b", "h200", p).weights_bytes_total / BYTES_PER_GIB
           for p in ("bf16", "fp8", "int4")}
    # The GGUF F16 file of Llama 3 70B is 131.42 GiB; Q8_0 69.83; Q4_K_M 39.6 (reference MEM-03).
    assert gib["bf16"] == pytest.approx(131.42, abs=0.01)
    assert gib["fp8"] == pytest.approx(65.71, abs=0.01)
    assert gib["int4"] == pytest.approx(36.96, abs=0.01)


def test_kv_per_token_gqa(hardware):
    # 2 (K and V) x 80 layers x 8 KV heads x 128 dims x 2 bytes = 327,680 B (0.3125 MiB, reference MEM-09)
    model = hardware.models["llama-3.1-70b"]
    assert architecture.kv_bytes_per_token(model, 2) == 2 * 80 * 8 * 128 * 2 == 327_680
    assert architecture.kv_bytes_per_token(model, 1) == 163_840


def test_kv_per_token_405b_uses_eight_kv_heads(hardware):
    assert architecture.kv_bytes_per_token(hardware.models["llama-3.1-405b"], 2) == 2 * 126 * 8 * 128 * 2


def test_kv_per_token_mla_caches_the_latent(hardware):
    # DeepSeek-V3: (kv_lora_rank 512 + rope 64) x 61 layers x 2 bytes = 70,272 B, about 70 KB
    model = hardware.models["deepseek-v3"]
    assert architecture.kv_bytes_per_token(model, 2) == (512 + 64) * 61 * 2 == 70_272


def test_mla_latent_is_replicated_under_tensor_parallelism(hardware):
    config = build_config(hardware, "deepseek-v3", "h200", "fp8", "fp16", gpus=8)
    assert config.kv_bytes_per_token_per_gpu == config.kv_bytes_per_token_total


def test_gqa_kv_heads_split_then_replicate(hardware):
    total = build_config(hardware, "llama-3.1-405b", "h100-sxm", "fp8", "fp16", gpus=1).kv_bytes_per_token_total
    tp8 = build_config(hardware, "llama-3.1-405b", "h100-sxm", "fp8", "fp16", gpus=8)
    tp16 = build_config(hardware, "llama-3.1-405b", "h100-sxm", "fp8", "fp16", gpus=16)
    assert tp8.kv_bytes_per_token_per_gpu == total / 8
    assert tp16.kv_bytes_per_token_per_gpu == total / 8  # 8 KV heads over 16 GPUs: each head is kept twice


def test_fit_boundary_on_weights(hardware):
    """vLLM uses 90% of a GPU less 2.5 GiB: 70B in FP8 fits one H100, in BF16 it needs two."""
    engine, gpu = hardware.engines["vllm"], hardware.gpus["h100-sxm"]
    usable_gib = gpu.memory_gib * engine.gpu_memory_fraction - engine.runtime_overhead_gib
    fp8 = build_config(hardware, "llama-3.1-70b", "h100-sxm", "fp8", "fp16")
    bf16 = build_config(hardware, "llama-3.1-70b", "h100-sxm", "bf16", "fp16")
    assert fp8.weights_bytes_per_gpu / BYTES_PER_GIB < usable_gib < bf16.weights_bytes_per_gpu / BYTES_PER_GIB
    assert memory_fit(fp8, 1280, 1).fits
    no_fit = memory_fit(bf16, 1280, 1)
    assert not no_fit.fits and "weights need" in no_fit.reason
    assert memory_fit(build_config(hardware, "llama-3.1-70b", "h100-sxm", "bf16", "fp16", gpus=2), 1280, 1).fits


def test_fit_boundary_on_concurrency(hardware):
    config = build_config(hardware, "llama-3.1-70b", "h100-sxm", "fp8", "fp16")
    tokens = 1280
    budget = config.usable_bytes_per_gpu - config.weights_bytes_per_gpu
    expected = int(budget // kv_bytes_per_sequence_per_gpu(config, tokens))
    assert max_concurrency(config, tokens) == expected > 0
    assert memory_fit(config, tokens, expected).fits
    over = memory_fit(config, tokens, expected + 1)
    assert not over.fits and "above" in over.reason


def test_engine_batch_limit_caps_concurrency(hardware):
    """vLLM allows 1024 sequences on a >= 70 GiB GPU other than an A100, 256 elsewhere."""
    h200 = build_config(hardware, "llama-3.1-8b", "h200", "fp8", "fp8", engine_id="vllm")
    a100 = build_config(hardware, "llama-3.1-8b", "a100-80gb", "fp8", "fp8", engine_id="vllm")
    assert max_concurrency(h200, 256) == 1024
    assert max_concurrency(a100, 256) == 256


def test_sequence_longer_than_the_context_window_does_not_fit(hardware):
    config = build_config(hardware, "llama-2-7b", "h100-sxm")
    result = memory_fit(config, 5000, 1)
    assert not result.fits and "context window" in result.reason


def test_layer_split_adds_memory(hardware):
    one = build_config(hardware, "llama-3.1-70b", "rtx-4090", "int4", "fp16", "llama.cpp", gpus=1)
    two = build_config(hardware, "llama-3.1-70b", "rtx-4090", "int4", "fp16", "llama.cpp", gpus=2)
    assert not memory_fit(one, 1024, 1).fits
    assert memory_fit(two, 1024, 1).fits
