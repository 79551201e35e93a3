"""`llm-advisor size`: memory and speed of one model on one GPU configuration.

Exit 0 with `fits: false` and a reason when the configuration does not fit or the engine cannot run it;
exit 2 (UnknownIdError, printed by the dispatcher) for an unknown model, GPU, precision or engine."""

from __future__ import annotations

import argparse
import json

from app.domain.sizing import SizingRequest, SizingResult
from app.engine.sizing import estimate
from app.storage.hardware_catalog import load_hardware_catalog

SUMMARY = "GPU memory, fit, throughput and latency of one model on one GPU configuration"
JSON_KEYS = ("model", "gpu", "gpus", "precision", "kv_precision", "engine", "engine_version", "input_tokens", "output_tokens",
             "fits", "reason", "weight_only", "weights_gib", "kv_cache_bytes_per_token",
             "kv_cache_gib_per_sequence", "memory_per_gpu_gib", "max_concurrency", "concurrency",
             "output_tokens_per_s", "tokens_per_s_per_user", "ttft_ms", "tpot_ms", "bound",
             "max_load_output_tokens_per_s")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more, got {value}")
    return value


def register(subparsers) -> None:
    parser = subparsers.add_parser("size", help=SUMMARY, description=SUMMARY)
    parser.add_argument("--model", required=True, help="open-model id, e.g. llama-3.1-8b")
    parser.add_argument("--gpu", required=True, help="GPU id, e.g. h100-sxm")
    parser.add_argument("--gpus", type=_positive_int, default=1, help="GPUs serving one copy (default 1)")
    parser.add_argument("--precision", default="bf16", help="weights: fp16, bf16, fp8, int8, int4, fp4 (default bf16)")
    parser.add_argument("--kv-precision", default="auto",
                        help="KV cache: fp16, bf16, fp8 (default: fp16; FP8 for FP8/FP4 checkpoints of "
                             "engines whose checkpoints carry an FP8 KV cache, i.e. TensorRT-LLM)")
    parser.add_argument("--engine", default="vllm", help="serving engine (default vllm)")
    parser.add_argument("--input-tokens", type=_positive_int, default=1024, help="prompt tokens (default 1024)")
    parser.add_argument("--output-tokens", type=_positive_int, default=256, help="generated tokens (default 256)")
    load = parser.add_mutually_exclusive_group()
    load.add_argument("--concurrency", type=_positive_int, default=1, help="sequences in flight (default 1)")
    load.add_argument("--max-throughput", action="store_true",
                      help="run at the concurrency that maximises output tokens/s")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    request = SizingRequest(
        model_id=args.model, gpu_id=args.gpu, gpus=args.gpus, precision=args.precision,
        kv_precision=args.kv_precision, engine=args.engine, input_tokens=args.input_tokens,
        output_tokens=args.output_tokens, concurrency=args.concurrency, max_throughput=args.max_throughput)
    result = estimate(request, load_hardware_catalog())
    print(json.dumps(as_json(result), indent=2) if args.json else as_table(result))
    return 0


def _rounded(value):
    return round(value, 3) if isinstance(value, float) else value


def as_json(result: SizingResult) -> dict:
    return {key: _rounded(getattr(result, key)) for key in JSON_KEYS}


def _number(value: float | None, unit: str, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f} {unit}".strip()


def as_table(result: SizingResult) -> str:
    rows = [
        ("Model", result.model),
        ("GPU", f"{result.gpus} x {result.gpu}"),
        ("Engine", f"{result.engine} {result.engine_version}".strip()),
        ("Weights / KV cache", f"{result.precision} / {result.kv_precision}"
                               + (" (weight-only)" if result.weight_only else "")),
        ("Tokens in / out", f"{result.input_tokens} / {result.output_tokens}"),
        ("Fits", "yes" if result.fits else f"no: {result.reason}"),
        ("Weights (all GPUs)", _number(result.weights_gib, "GiB")),
        ("KV cache per token", _number(result.kv_cache_bytes_per_token / 1024, "KiB")),
        ("KV cache per sequence", _number(result.kv_cache_gib_per_sequence, "GiB", 2)),
        ("Memory per GPU", _number(result.memory_per_gpu_gib, "GiB")),
        ("Max concurrency", str(result.max_concurrency)),
        ("Concurrency", str(result.concurrency)),
        ("Output tokens/s (system)", _number(result.output_tokens_per_s, "tok/s")),
        ("Tokens/s per user", _number(result.tokens_per_s_per_user, "tok/s")),
        ("Time to first token", _number(result.ttft_ms, "ms")),
        ("Time per output token", _number(result.tpot_ms, "ms", 2)),
        ("Bound by", result.bound or "-"),
        ("Output tokens/s at max load", _number(result.max_load_output_tokens_per_s, "tok/s")),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value}" for label, value in rows)
