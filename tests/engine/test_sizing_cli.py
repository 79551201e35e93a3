"""`llm-advisor size`: the exact command-line contract (flags, exit codes, JSON keys)."""

from __future__ import annotations

import json

import pytest

from app.cli import main

CONTRACT_KEYS = {"model", "gpu", "gpus", "precision", "engine", "fits", "reason", "weights_gib",
                 "kv_cache_bytes_per_token", "memory_per_gpu_gib", "max_concurrency", "concurrency",
                 "output_tokens_per_s", "ttft_ms", "tpot_ms", "bound"}
SPEED_KEYS = ("output_tokens_per_s", "ttft_ms", "tpot_ms", "bound")


def run_json(capsys, *args):
    code = main(["size", *args, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured


def test_defaults(capsys):
    code, out, _ = run_json(capsys, "--model", "llama-3.1-8b", "--gpu", "h100-sxm")
    assert code == 0
    assert CONTRACT_KEYS <= set(out)
    assert (out["gpus"], out["precision"], out["kv_precision"], out["engine"], out["concurrency"]) == (
        1, "bf16", "fp16", "vllm", 1)
    assert (out["input_tokens"], out["output_tokens"]) == (1024, 256)
    assert out["fits"] is True and out["reason"] is None
    assert out["kv_cache_bytes_per_token"] == 131072
    assert out["bound"] == "memory-bandwidth"
    assert out["ttft_ms"] > 0 and out["tpot_ms"] > 0 and out["output_tokens_per_s"] > 0


def test_json_is_the_only_thing_on_stdout(capsys):
    main(["size", "--model", "llama-3.1-8b", "--gpu", "l4", "--json"])
    out = capsys.readouterr().out
    assert out.strip().startswith("{") and out.strip().endswith("}")
    json.loads(out)


def test_no_fit_exits_zero_with_a_reason_and_null_speed(capsys):
    code, out, _ = run_json(capsys, "--model", "llama-3.1-70b", "--gpu", "rtx-4090", "--precision", "fp16")
    assert code == 0 and out["fits"] is False and "weights need" in out["reason"]
    assert all(out[key] is None for key in SPEED_KEYS)
    assert out["weights_gib"] == pytest.approx(131.42, abs=0.01)


def test_concurrency_above_capacity_does_not_fit(capsys):
    code, out, _ = run_json(capsys, "--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--precision", "fp8",
                            "--concurrency", "5000")
    assert code == 0 and out["fits"] is False and "above" in out["reason"]
    assert out["concurrency"] == 5000 and out["output_tokens_per_s"] is None


def test_unsupported_combination_does_not_fit(capsys):
    code, out, _ = run_json(capsys, "--model", "llama-3.1-8b", "--gpu", "mi300x", "--engine", "tensorrt-llm")
    assert code == 0 and out["fits"] is False and out["reason"]


def test_max_throughput_reports_the_concurrency_it_used(capsys):
    _, single, _ = run_json(capsys, "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--precision", "fp8",
                            "--engine", "tensorrt-llm", "--input-tokens", "128", "--output-tokens", "128")
    _, best, _ = run_json(capsys, "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--precision", "fp8",
                          "--engine", "tensorrt-llm", "--input-tokens", "128", "--output-tokens", "128",
                          "--max-throughput")
    assert best["concurrency"] == best["max_concurrency"] > 1
    assert best["output_tokens_per_s"] > 10 * single["output_tokens_per_s"]
    assert best["bound"] == "compute"


def test_concurrency_and_max_throughput_are_exclusive(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["size", "--model", "llama-3.1-8b", "--gpu", "l4", "--concurrency", "2", "--max-throughput"])
    assert exit_info.value.code == 2


@pytest.mark.parametrize(("flag", "value", "listed"), [
    ("--model", "no-such-model", "llama-3.1-8b"),
    ("--gpu", "tpu-v5", "h100-sxm"),
    ("--precision", "fp7", "int4"),
    ("--engine", "magic", "tensorrt-llm"),
])
def test_unknown_ids_exit_2_listing_known_ids(capsys, flag, value, listed):
    args = {"--model": "llama-3.1-8b", "--gpu": "h100-sxm", flag: value}
    code = main(["size", *[item for pair in args.items() for item in pair], "--json"])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert value in captured.err and listed in captured.err


def test_table_without_json(capsys):
    assert main(["size", "--model", "mixtral-8x7b", "--gpu", "h100-sxm", "--gpus", "2"]) == 0
    out = capsys.readouterr().out
    for label in ("Fits", "Weights", "KV cache per token", "Time to first token", "Bound by"):
        assert label in out


def test_kv_precision_flag(capsys):
    _, fp16, _ = run_json(capsys, "--model", "llama-3.1-70b", "--gpu", "h200", "--precision", "fp8")
    _, fp8, _ = run_json(capsys, "--model", "llama-3.1-70b", "--gpu", "h200", "--precision", "fp8",
                         "--kv-precision", "fp8")
    assert fp8["kv_cache_bytes_per_token"] == fp16["kv_cache_bytes_per_token"] / 2
    assert fp8["max_concurrency"] > fp16["max_concurrency"]


def test_tensorrt_llm_fp8_checkpoints_bring_an_fp8_kv_cache(capsys):
    _, out, _ = run_json(capsys, "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--precision", "fp8",
                         "--engine", "tensorrt-llm")
    assert out["kv_precision"] == "fp8"
