"""Speed: which resource bounds each regime, MoE, tensor parallelism, layer split, speculative decoding,
and the properties every estimate must keep."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.domain.errors import UnknownIdError
from app.domain.sizing import SizingRequest
from app.engine.sizing import estimate, speed
from app.engine.sizing.capacity import speculation_of
from app.engine.sizing.config import build_config
from app.engine.sizing.memory import max_concurrency
from app.storage.hardware_catalog import load_hardware_catalog

HARDWARE = load_hardware_catalog()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
COMBOS = st.tuples(st.sampled_from(sorted(HARDWARE.models)), st.sampled_from(sorted(HARDWARE.gpus)),
                   st.sampled_from(["bf16", "fp8", "int8", "int4"]), st.sampled_from(["vllm", "tensorrt-llm"]),
                   st.sampled_from([1, 2, 4, 8]))
LENGTHS = st.tuples(st.integers(16, 4096), st.integers(16, 2048))


def _fitting_config(combo, lengths):
    model_id, gpu_id, precision, engine_id, gpus = combo
    config = build_config(HARDWARE, model_id, gpu_id, precision, None, engine_id, gpus)
    limit = max_concurrency(config, sum(lengths))
    assume(config.unsupported_reason is None and limit >= 2 and sum(lengths) <= config.model.context_tokens)
    return config, limit


def test_single_stream_decode_is_memory_bound():
    config = build_config(HARDWARE, "llama-3.1-8b", "h100-sxm", "bf16")
    assert speed.decode_step(config, 1, 1024).bound == speed.MEMORY


def test_decode_turns_compute_bound_with_batch():
    config = build_config(HARDWARE, "llama-3.1-8b", "h100-sxm", "fp8", "fp8", "tensorrt-llm")
    assert speed.decode_step(config, 2048, 192).bound == speed.COMPUTE


def test_prefill_is_compute_bound():
    config = build_config(HARDWARE, "llama-3.1-70b", "h100-sxm", "fp8", gpus=2)
    assert speed.prefill(config, 1, 2048).bound == speed.COMPUTE


def test_tensor_parallel_over_pcie_can_be_communication_bound():
    """8 x L40S over PCIe: each prefill token's all-reduces take longer than its share of the matmuls."""
    config = build_config(HARDWARE, "llama-3.1-8b", "l40s", "bf16", gpus=8)
    assert speed.prefill(config, 1, 2048).bound == speed.COMMUNICATION
    assert build_config(HARDWARE, "llama-3.1-8b", "l40s", "bf16").allreduces_per_pass == 0


def test_single_stream_speed_follows_bandwidth():
    """At batch 1 an 8B BF16 model moves its 16 GB of weights per token: H100 must beat A100 by roughly
    the bandwidth ratio (3.35 / 2.04)."""
    h100 = build_config(HARDWARE, "llama-3.1-8b", "h100-sxm")
    a100 = build_config(HARDWARE, "llama-3.1-8b", "a100-80gb")
    ratio = speed.decode_step(a100, 1, 512).seconds / speed.decode_step(h100, 1, 512).seconds
    assert 1.4 < ratio < 1.7


def test_moe_touches_active_experts_at_batch_one_and_all_at_large_batch():
    config = build_config(HARDWARE, "mixtral-8x7b", "h100-sxm", "bf16", gpus=2)
    assert speed.experts_touched(config, 1) == pytest.approx(2)
    assert speed.experts_touched(config, 256) == pytest.approx(8, abs=1e-6)


def test_moe_decodes_faster_than_a_dense_model_of_the_same_size():
    moe = build_config(HARDWARE, "mixtral-8x7b", "h100-sxm", "fp8")
    dense = build_config(HARDWARE, "llama-3.1-70b", "h100-sxm", "int4")  # similar weight bytes
    assert speed.decode_step(moe, 1, 512).seconds < speed.decode_step(dense, 1, 512).seconds / 2


def test_layer_split_adds_capacity_not_speed():
    one = build_config(HARDWARE, "llama-3.1-8b", "rtx-4090", "int4", engine_id="llama.cpp", gpus=1)
    four = build_config(HARDWARE, "llama-3.1-8b", "rtx-4090", "int4", engine_id="llama.cpp", gpus=4)
    assert speed.decode_step(four, 1, 512).seconds == pytest.approx(speed.decode_step(one, 1, 512).seconds)
    assert max_concurrency(four, 1024) >= max_concurrency(one, 1024)


def test_speculative_decoding_helps_latency_bound_serving_only():
    plain = build_config(HARDWARE, "llama-3.1-70b", "h100-sxm", "fp8", gpus=2)
    drafted = build_config(HARDWARE, "llama-3.1-70b", "h100-sxm", "fp8", gpus=2,
                           speculation=speculation_of(HARDWARE))
    assert speed.serve(drafted, 1, 512, 256).tpot_s < 0.6 * speed.serve(plain, 1, 512, 256).tpot_s
    assert speed.serve(drafted, 256, 512, 256).output_tokens_per_s < speed.serve(plain, 256, 512, 256).output_tokens_per_s


@pytest.mark.parametrize("max_throughput", [False, True])
def test_untuned_baseline_is_three_to_five_times_worse_than_tuned(max_throughput):
    """The seed's claim: out of the box is 3-5x worse than tuned serving, alone or under load."""
    def throughput(engine):
        return estimate(SizingRequest(model_id="llama-3.1-8b", gpu_id="a100-80gb", engine=engine,
                                      max_throughput=max_throughput), HARDWARE).output_tokens_per_s

    assert 3 <= throughput("vllm") / throughput("baseline-untuned") <= 5


def test_fp8_on_a100_runs_weight_only():
    result = estimate(SizingRequest(model_id="llama-3.1-8b", gpu_id="a100-80gb", precision="fp8"), HARDWARE)
    assert result.fits and result.weight_only


def test_engine_that_lacks_the_gpu_vendor_does_not_fit():
    result = estimate(SizingRequest(model_id="llama-3.1-8b", gpu_id="mi300x", engine="tensorrt-llm"), HARDWARE)
    assert not result.fits and "AMD" in result.reason and result.output_tokens_per_s is None


def test_tensorrt_llm_cannot_run_fp8_on_ampere():
    result = estimate(SizingRequest(model_id="llama-3.1-8b", gpu_id="a100-80gb", precision="fp8",
                                    engine="tensorrt-llm"), HARDWARE)
    assert not result.fits and "FP8" in result.reason


def test_unknown_ids_list_the_known_ones():
    with pytest.raises(UnknownIdError) as error:
        estimate(SizingRequest(model_id="llama-9", gpu_id="h100-sxm"), HARDWARE)
    assert "llama-3.1-8b" in str(error.value)
    with pytest.raises(UnknownIdError):
        estimate(SizingRequest(model_id="llama-3.1-8b", gpu_id="h100-sxm", precision="fp7"), HARDWARE)


def test_max_throughput_runs_at_the_largest_concurrency_that_fits():
    result = estimate(SizingRequest(model_id="llama-3.1-70b", gpu_id="h100-sxm", gpus=2, precision="fp8",
                                    max_throughput=True), HARDWARE)
    assert result.concurrency == result.max_concurrency
    assert result.output_tokens_per_s == pytest.approx(result.max_load_output_tokens_per_s)


@SETTINGS
@given(COMBOS, LENGTHS, st.data())
def test_more_concurrency_never_lowers_throughput_nor_raises_per_user_speed(combo, lengths, data):
    config, limit = _fitting_config(combo, lengths)
    low = data.draw(st.integers(1, limit - 1))
    high = data.draw(st.integers(low + 1, limit))
    slow, fast = (speed.serve(config, c, *lengths) for c in (low, high))
    assert fast.output_tokens_per_s >= slow.output_tokens_per_s * (1 - 1e-9)
    assert fast.tokens_per_s_per_user <= slow.tokens_per_s_per_user * (1 + 1e-9)


@SETTINGS
@given(COMBOS, LENGTHS, st.floats(1.01, 4.0))
def test_more_bandwidth_never_slows_decode(combo, lengths, factor):
    config, limit = _fitting_config(combo, lengths)
    gpu = config.gpu
    faster_gpu = gpu.model_copy(update={"bandwidth_gb_per_s": gpu.bandwidth_gb_per_s * factor})
    faster = HARDWARE.model_copy(update={"gpus": {**HARDWARE.gpus, config.gpu_id: faster_gpu}})
    quicker = build_config(faster, config.model_id, config.gpu_id, config.precision, config.kv_precision,
                           config.engine_id, config.gpus)
    for batch in (1, limit):
        assert speed.decode_step(quicker, batch, sum(lengths)).seconds <= speed.decode_step(
            config, batch, sum(lengths)).seconds


@SETTINGS
@given(st.sampled_from(sorted(HARDWARE.models)), st.sampled_from(sorted(HARDWARE.gpus)), st.integers(1, 8),
       st.integers(64, 8192), st.integers(1, 64))
def test_halving_precision_never_grows_memory(model_id, gpu_id, gpus, tokens, concurrency):
    def fit(precision, kv):
        config = build_config(HARDWARE, model_id, gpu_id, precision, kv, "vllm", gpus)
        return estimate_memory(config, tokens, concurrency)

    from app.engine.sizing.memory import memory_fit as estimate_memory
    chain = [fit("bf16", "fp16"), fit("fp8", "fp16"), fit("fp8", "fp8"), fit("int4", "fp8")]
    for wider, narrower in zip(chain, chain[1:]):
        assert narrower.weights_gib_total <= wider.weights_gib_total
        assert narrower.memory_per_gpu_gib <= wider.memory_per_gpu_gib + 1e-9
        assert narrower.max_concurrency >= wider.max_concurrency


def test_tensor_parallelism_must_divide_the_attention_heads():
    result = estimate(SizingRequest(model_id="qwen2.5-7b", gpu_id="l4", gpus=8), HARDWARE)  # 28 heads
    assert not result.fits and "28 attention heads" in result.reason


def test_prefix_caching_cuts_time_to_first_token():
    config = build_config(HARDWARE, "llama-3.1-70b", "h100-sxm", "fp8", gpus=2)
    cold = speed.serve(config, 8, 4096, 256)
    warm = speed.serve(config, 8, 4096, 256, cached_share=0.75)
    assert warm.ttft_s < cold.ttft_s / 2
    assert warm.output_tokens_per_s > cold.output_tokens_per_s
