"""Sizing accuracy: predicted vs published measurements, in sample and leave-one-source-out.

Reads ../shared/calibration/measured-inference.csv (next to the repository, when present) and every
benchmarks/data/*.csv (same columns, each row with its source), sizes each row with the engine and prints:

1. every row: measured, predicted with the catalog as shipped, and predicted with its own source held out;
2. leave-one-source-out (LOSO): for each source, the calibrated parameters (FIT_PARAMETERS) are fitted on
   every OTHER source, starting from data-free priors (PRIORS), and that source's rows are predicted; the
   table gives each held-out source's median error and worst factor;
3. the same held-out predictions grouped by class (MoE, AMD, saturation, small-model single stream,
   llama.cpp prefill).

Rows with a `disputed` reason (a figure contradicted by another source on the same configuration) are
printed and answered but neither fitted nor scored. Targets: LOSO median <= 15%, every row within 1.6x.

    .venv/bin/python benchmarks/sizing_accuracy.py          # tables
    .venv/bin/python benchmarks/sizing_accuracy.py --fit    # also the all-source fit to copy into catalogs
"""

from __future__ import annotations

import csv
import math
import statistics
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.domain.hardware import HardwareCatalog  # noqa: E402
from app.domain.sizing import SizingRequest  # noqa: E402
from app.engine.sizing import estimate, speed  # noqa: E402
from app.engine.sizing.estimate import config_for  # noqa: E402
from app.engine.sizing.memory import memory_fit  # noqa: E402
from app.storage.hardware_catalog import load_hardware_catalog  # noqa: E402

SHARED_CSV = ROOT.parent / "shared" / "calibration" / "measured-inference.csv"
DATA_DIR = Path(__file__).resolve().parent / "data"
# Configuration a row's publisher states but its (read-only) file has no column for: by row id, with the source.
STATED_CONFIGURATIONS_CSV = Path(__file__).resolve().parent / "stated_configurations.csv"
LOSO_MEDIAN_TARGET_PCT = 15.0
MEDIAN_TARGET_PCT = 20.0  # in sample, catalog as shipped
RATIO_TARGET = 1.6
METRICS = ("output_tokens_per_s", "ttft_ms", "tpot_ms", "tokens_per_s_per_user")
NO_PREDICTION_LOG_ERROR = 10.0  # a row the engine cannot answer costs as much as being e^10 off
SMALL_MODEL_PARAMS_B = 15
SATURATION_LOAD = 64
MAX_BANDWIDTH_EFFICIENCY = 0.93  # HBM/GDDR streaming kernels top out near 90-93% of the datasheet rate
# vllm bench serve samples ShareGPT conversations with prompt <= 1024 and prompt + output <= 2048 tokens
# (vllm/benchmarks/datasets.py is_valid_sequence), so the longest output is 2048 - prompt.
SHAREGPT_MAX_TOTAL_TOKENS = 2048
SAMPLED_LENGTHS = "sharegpt"  # `output_lengths` of a burst whose outputs are the dataset's, not fixed
PRIOR_WEIGHT = 2.0  # pull toward the prior, in rows' worth of squared log error: no absurd values from few rows

# A row's source, by the first phrase its `source` contains (rows may instead carry a `source_id`).
SOURCE_GROUPS = (
    ("perf-overview", "TensorRT-LLM perf overview (2025)"),
    ("performance overview", "TensorRT-LLM perf overview (2025)"),
    ("performance.md", "TensorRT-LLM performance.md (v0.5-0.6)"),
    ("XiongjieDai", "XiongjieDai llama.cpp benchmarks"),
    ("MLPerf", "MLPerf Inference v4.1"),
    ("mushfiqrahman", "mushfiqrahman.dev vLLM RTX 4090"),
    ("johnmusgrave", "johnmusgrave.com vLLM A100"),
    ("yobitelcomm", "yobitelcomm InferenceBench H100"),
    ("gpustack", "gpustack performance lab"),
    ("Oracle", "Oracle OCI blog MI300X"),
    ("AMD ROCm developer hub", "AMD ROCm performance results"),
    ("#4766", "llama.cpp PR 4766 (ggerganov)"),
    ("#7676", "llama.cpp PR 7676 (JohannesGaessler)"),
    ("gigagpu", "gigagpu.com"),
)


@dataclass(frozen=True)
class FitParameter:
    """One calibrated catalog number: where it lives, its bounds, and a start for a parameter at zero."""

    kind: str  # "engine", "physics" (engine.physics) or "gpu"
    target: str  # engine or GPU id
    field: str
    low: float
    high: float
    seed: float = 0.0  # first non-zero value tried when the prior is 0 (an effect switched off)
    tied: tuple[str, ...] = ()  # further engines sharing the value (one kernel property, several engines)

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.target, *self.tied)

    @property
    def name(self) -> str:
        return f"{'+'.join(self.targets)}.{'physics.' if self.kind == 'physics' else ''}{self.field}"


def _engine_parameters(engine: str) -> list[FitParameter]:
    parameters = [
        FitParameter("engine", engine, "bandwidth_efficiency", 0.3, MAX_BANDWIDTH_EFFICIENCY),
        FitParameter("engine", engine, "decode_compute_efficiency", 0.05, 1.0),
        FitParameter("engine", engine, "prefill_compute_efficiency", 0.05, 1.0),
        FitParameter("engine", engine, "decode_overhead_us_per_layer", 0.0, 500.0, seed=10.0),
        FitParameter("physics", engine, "scheduler_overhead_us_per_sequence", 0.0, 200.0, seed=2.0),
        FitParameter("physics", engine, "request_overhead_ms", 0.0, 500.0, seed=10.0),
    ]
    return parameters


# MoE kernels: grouped-GEMM efficiency against expert width and rows is a property of the tiles, shared by the
# engines (one value, fitted on every engine's MoE rows). The launches of an MoE layer depend on each engine's
# kernel sequence: vLLM and SGLang share the Triton fused-MoE design, TensorRT-LLM runs its own (else TensorRT-LLM's
# 47 MoE rows set vLLM's and SGLang's per-step MoE cost in the fold that holds their only MoE source out).
MOE_ENGINES = ("vllm", "sglang", "tensorrt-llm")
MOE_PARAMETERS = (
    FitParameter("engine", "vllm", "moe_overhead_factor", 1.0, 50.0, tied=("sglang",)),
    FitParameter("engine", "tensorrt-llm", "moe_overhead_factor", 1.0, 50.0),
    FitParameter("physics", "vllm", "moe_gemm_half_efficiency_columns", 0.0, 50_000.0, seed=500.0,
                 tied=MOE_ENGINES[1:]),
    FitParameter("physics", "vllm", "moe_gemm_half_efficiency_rows", 0.0, 2_000.0, seed=32.0,
                 tied=MOE_ENGINES[1:]),
    # Activation traffic is a property of each engine's MoE kernel sequence: vLLM and SGLang share the Triton
    # fused-MoE design, TensorRT-LLM runs its own CUTLASS pipeline.
    FitParameter("physics", "vllm", "moe_activation_passes", 0.0, 20.0, seed=3.0, tied=("sglang",)),
    FitParameter("physics", "tensorrt-llm", "moe_activation_passes", 0.0, 20.0, seed=4.0),
)


FIT_PARAMETERS: tuple[FitParameter, ...] = (
    FitParameter("gpu", "mi300x", "kernel_efficiency", 0.1, 1.0),  # first: the only AMD number
    *_engine_parameters("vllm"),
    FitParameter("physics", "vllm", "weight_only_kernel_efficiency", 0.1, 1.0),
    FitParameter("physics", "vllm", "fp8_expert_gemm_efficiency", 0.05, 1.0),
    FitParameter("physics", "sglang", "fp8_expert_gemm_efficiency", 0.05, 1.0),
    *_engine_parameters("sglang"),
    *_engine_parameters("tensorrt-llm"),
    *MOE_PARAMETERS,
    FitParameter("engine", "llama.cpp", "bandwidth_efficiency", 0.3, MAX_BANDWIDTH_EFFICIENCY),
    FitParameter("engine", "llama.cpp", "prefill_compute_efficiency", 0.05, 1.0),
    FitParameter("engine", "llama.cpp", "decode_overhead_us_per_layer", 0.0, 500.0, seed=10.0),
    FitParameter("physics", "llama.cpp", "weight_only_prefill_efficiency", 0.1, 1.0),
)

# Data-free starting points: the catalog before any of benchmarks/data was fitted (engine defaults and
# the roofline with neutral physics). Held-out folds start here, so a source never informs its own fold.
PRIORS: dict[str, float] = {
    **{f"{e}.bandwidth_efficiency": v for e, v in (("vllm", 0.8), ("sglang", 0.82), ("tensorrt-llm", 0.85),
                                                   ("llama.cpp", 0.87))},
    **{f"{e}.decode_compute_efficiency": v for e, v in (("vllm", 0.53), ("sglang", 0.55), ("tensorrt-llm", 0.59))},
    **{f"{e}.prefill_compute_efficiency": v for e, v in (("vllm", 0.65), ("sglang", 0.65), ("tensorrt-llm", 0.7),
                                                         ("llama.cpp", 0.5))},
    **{f"{e}.decode_overhead_us_per_layer": v for e, v in (("vllm", 16.0), ("sglang", 47.0),
                                                           ("tensorrt-llm", 31.0), ("llama.cpp", 78.0))},
    "vllm+sglang.moe_overhead_factor": 3.0,
    "tensorrt-llm.moe_overhead_factor": 3.0,
    **{f"{e}.physics.scheduler_overhead_us_per_sequence": 0.0 for e in ("vllm", "sglang", "tensorrt-llm")},
    # vLLM's HTTP front end as its own serving benchmark measures it, ~40 ms of TTFT at batch 32 beyond the
    # engine (tenstorrent/tt-inference-server issue #259, 2025-05); no such outside figure for the others.
    "vllm.physics.request_overhead_ms": 40.0,
    # trtllm-serve is the same kind of front end: a FastAPI/uvicorn OpenAI server that templates and tokenises in
    # the server process and hands each request to executor processes over IPC (TensorRT-LLM
    # tensorrt_llm/serve/openai_server.py), so it starts from vLLM's figure. SGLang's tokenizer manager streams
    # from a separate detokenizer process; no outside figure, so none assumed.
    "tensorrt-llm.physics.request_overhead_ms": 40.0,
    "sglang.physics.request_overhead_ms": 0.0,
    # Grouped-GEMM tiles: fused-MoE kernels tile 64-128 expert columns (BLOCK_SIZE_N) and 16-64 token rows
    # (BLOCK_SIZE_M, vllm/model_executor/layers/fused_moe/configs): a partial tile wastes up to one tile.
    "vllm+sglang+tensorrt-llm.physics.moe_gemm_half_efficiency_columns": 128.0,
    "vllm+sglang+tensorrt-llm.physics.moe_gemm_half_efficiency_rows": 16.0,
    # Routed activations through memory per MoE layer, in (hidden + 2 x expert width) 16-bit elements, counted
    # from the kernels each routed token copy passes through. vLLM/SGLang fused_experts
    # (vllm/model_executor/layers/fused_moe/fused_moe.py): GEMM1 gathers the hidden row (H) and writes gate/up
    # (2I); silu_and_mul reads 2I, writes I; GEMM2 reads I, writes H; moe_sum reads H: 3H + 6I = 3 x (H + 2I).
    # TensorRT-LLM's CUTLASS MoE (cpp/tensorrt_llm/kernels/mixtureOfExperts/moe_kernels.cu): expandInputRows
    # reads and writes H, GEMM1 reads H and writes 2I, doActivation reads 2I and writes I, GEMM2 reads I and
    # writes H, finalizeMoeRouting reads H: 5H + 6I, about 4 x (H + 2I) at Qwen3/Llama 4 shapes.
    "vllm+sglang.physics.moe_activation_passes": 3.0,
    "tensorrt-llm.physics.moe_activation_passes": 4.0,
    # 4-bit GPTQ at batch 1 with the exllama kernel (vLLM's GPTQ kernels are adapted from exllama): Llama-2-7B at
    # 112.7 tok/s on an RTX 3090 Ti (mlc-ai/llm-perf-bench PR #1, 2023-08), i.e. ~105 on a 3090 by bandwidth,
    # which the roofline with these priors reproduces at 0.68 (benchmarks/data holds no exllama row).
    "vllm.physics.weight_only_kernel_efficiency": 0.68,
    # Block-scaled FP8 experts (DeepSeek/Qwen3 FP8 checkpoints, 128x128 scales) in the Triton fused-MoE kernel both
    # servers use: DeepSeek-V3 shapes at TP8 (E=256, N=512, K=7168, top-8), batch 2048, 2.82 ms on an H100 (vLLM PR
    # #13932 benchmark_moe, 2025-02) for the whole fused_experts call: 180 GFLOP of expert GEMMs (16,384 token copies
    # x (2 x 7168 x 512 + 2 x 256 x 7168)) plus the routed activations (3 x (7168 + 2 x 256) x 2 bytes per copy,
    # 755 MB, 0.28 ms at 3350 GB/s x the prior bandwidth 0.8), which the model counts separately
    # (moe_activation_passes). The GEMMs' 2.54 ms are 71 TFLOP/s, 0.149 of the 476 TFLOP/s the priors give (FP8
    # 1979 TFLOPS x decode 0.53 x FP8 factor 0.85, tile curves at 256 expert columns 0.67 and 64 rows 0.8).
    "vllm.physics.fp8_expert_gemm_efficiency": 0.149,
    "sglang.physics.fp8_expert_gemm_efficiency": 0.149,
    "llama.cpp.physics.weight_only_prefill_efficiency": 1.0,
    "mi300x.kernel_efficiency": 1.0,
}


@dataclass(frozen=True)
class Comparison:
    row_id: str
    label: str
    metric: str
    measured: float
    predicted: float | None

    @property
    def error_pct(self) -> float | None:
        return None if self.predicted is None else (self.predicted - self.measured) / self.measured * 100

    @property
    def ratio(self) -> float:
        """max(pred/meas, meas/pred); infinite when there is no prediction."""
        if not self.predicted:
            return float("inf")
        return max(self.predicted / self.measured, self.measured / self.predicted)


def measurement_files() -> list[Path]:
    files = [SHARED_CSV] if SHARED_CSV.is_file() else []
    return files + sorted(DATA_DIR.glob("*.csv"))


def _stated_configurations() -> dict[str, dict[str, str]]:
    with STATED_CONFIGURATIONS_CSV.open(newline="", encoding="utf-8") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def load_rows(files: list[Path] | None = None) -> list[dict[str, str]]:
    rows = []
    for path in files if files is not None else measurement_files():
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend(row for row in csv.DictReader(handle) if row.get("metric") in METRICS)
    stated = _stated_configurations()
    for row in rows:
        if row["id"] in stated:
            row["tensor_parallel"] = stated[row["id"]]["tensor_parallel"]
            row["notes"] = f"{row.get('notes') or ''}; tensor parallel: {stated[row['id']]['source']}".lstrip("; ")
    return rows


def tensor_parallel(row: dict[str, str]) -> int:
    """GPUs serving one copy of the model: all of the row's GPUs unless it states fewer (data-parallel copies)."""
    return int(row.get("tensor_parallel") or row["gpus"])


def replicas(row: dict[str, str]) -> int:
    copies, remainder = divmod(int(row["gpus"]), tensor_parallel(row))
    if remainder:
        raise ValueError(f"{row['id']}: tensor_parallel must divide gpus")
    return copies


def scored(rows: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    return [row for row in rows if not row.get("disputed")]


def source_of(row: dict[str, str]) -> str:
    if row.get("source_id"):
        return row["source_id"]
    text = row["source"]
    return next((group for phrase, group in SOURCE_GROUPS if phrase in text), text.split(" (")[0])


def request_for(row: dict[str, str]) -> SizingRequest:
    load = row["load"].strip()
    return SizingRequest(
        model_id=row["model"], gpu_id=row["gpu"], gpus=tensor_parallel(row), precision=row["precision"],
        kv_precision=row.get("kv_precision") or "auto", engine=row["engine"],
        input_tokens=int(row["input_tokens"]), output_tokens=int(row["output_tokens"]),
        concurrency=1 if load == "max" else int(load), max_throughput=load == "max")


OFFLINE_HARNESSES = ("llama-bench", "gptSessionBenchmark", "benchmark_latency", "trtllm-bench", "performance.md",
                     "benchmark_throughput", "MLPerf")


def offline(row: dict[str, str]) -> bool:
    """Measured in-process (no HTTP front end), so a request's front-end latency is not in its TTFT."""
    return any(harness in row["source"] + row.get("notes", "") for harness in OFFLINE_HARNESSES)


# trtllm-serve with default flags runs attention tensor-parallel (enable_attention_dp False) and captures CUDA graphs without padding for batch sizes 1-31, 32, 64 and 128
# (TensorRT-LLM llmapi/llm_args.py CudaGraphConfig: enable_padding False, max_batch_size 0 -> 128); a decode step
# of any other size runs eagerly. The catalog profile pads (trtllm-bench, and a tuned deployment).
TRTLLM_SERVE_DEFAULT_GRAPH_BATCH_SIZES = (*range(1, 32), 32, 64, 128)
DEFAULT_FLAGS_PHRASES = ("default serving flags", "trtllm-serve defaults")


def served_with_default_flags(row: dict[str, str]) -> bool:
    return row["engine"] == "tensorrt-llm" and any(phrase in row.get("notes", "") for phrase in DEFAULT_FLAGS_PHRASES)


def _with_physics(hardware: HardwareCatalog, engine_id: str, **update) -> HardwareCatalog:
    engine = hardware.engines[engine_id]
    physics = engine.physics.model_copy(update=update)
    engines = {**hardware.engines, engine_id: engine.model_copy(update={"physics": physics})}
    return hardware.model_copy(update={"engines": engines})


def _without_front_end(hardware: HardwareCatalog, engine_id: str) -> HardwareCatalog:
    return _with_physics(hardware, engine_id, request_overhead_ms=0.0)


def _burst_output_tokens_per_s(row: dict[str, str], hardware: HardwareCatalog) -> float | None:
    """A dataset burst (`burst_requests` prompts at once, `output_lengths` sampled): output tokens over the
    makespan, with the batch draining as requests finish (speed.burst), not steady state."""
    request = request_for(row)
    config = config_for(request, hardware)
    tokens_per_sequence = request.input_tokens + request.output_tokens
    limit = memory_fit(config, tokens_per_sequence, 1).max_concurrency
    if limit < 1 or not memory_fit(config, tokens_per_sequence, 1).fits:
        return None
    requests = int(row["burst_requests"]) // replicas(row)  # each data-parallel copy serves its share
    longest = SHAREGPT_MAX_TOTAL_TOKENS - request.input_tokens
    return speed.burst(config, requests, min(requests, limit), request.input_tokens, request.output_tokens,
                       longest).output_tokens_per_s


def compare(row: dict[str, str], hardware: HardwareCatalog) -> Comparison:
    if offline(row) and hardware.engines[row["engine"]].physics.request_overhead_ms:
        hardware = _without_front_end(hardware, row["engine"])
    if served_with_default_flags(row):
        hardware = _with_physics(hardware, row["engine"], attention_data_parallel=False,
                                 cuda_graph_batch_sizes=list(TRTLLM_SERVE_DEFAULT_GRAPH_BATCH_SIZES))
    tp = f"/tp{tensor_parallel(row)}" if replicas(row) > 1 else ""
    label = (f"{row['model']} {row['gpu']}x{row['gpus']}{tp} {row['precision']} {row['engine']} "
             f"{row['input_tokens']}/{row['output_tokens']} load={row['load']}")
    if row.get("output_lengths") == SAMPLED_LENGTHS and row["metric"] == "output_tokens_per_s":
        predicted = _burst_output_tokens_per_s(row, hardware)
    else:
        predicted = getattr(estimate(request_for(row), hardware), row["metric"])
    if predicted is not None and row["metric"] == "output_tokens_per_s":
        predicted *= replicas(row)  # data-parallel copies add throughput; latencies are one copy's
    return Comparison(row["id"], label, row["metric"], float(row["measured"]), predicted)


def compare_all(hardware=None, rows: list[dict[str, str]] | None = None) -> list[Comparison]:
    hardware = hardware or load_hardware_catalog()
    return [compare(row, hardware) for row in (rows if rows is not None else load_rows())]


def median_abs_error_pct(comparisons: list[Comparison]) -> float:
    return statistics.median(abs(c.error_pct) if c.error_pct is not None else float("inf") for c in comparisons)


# ---------------------------------------------------------------------------------------------- fitting


def _current(hardware: HardwareCatalog, parameter: FitParameter) -> float:
    if parameter.kind == "gpu":
        return getattr(hardware.gpus[parameter.target], parameter.field)
    engine = hardware.engines[parameter.target]
    return getattr(engine.physics if parameter.kind == "physics" else engine, parameter.field)


def with_value(hardware: HardwareCatalog, parameter: FitParameter, value: float) -> HardwareCatalog:
    """A copy of the catalog with one parameter changed (no re-validation: bounds are the fitter's)."""
    if parameter.kind == "gpu":
        gpus = {gpu_id: hardware.gpus[gpu_id].model_copy(update={parameter.field: value})
                for gpu_id in parameter.targets}
        return hardware.model_copy(update={"gpus": {**hardware.gpus, **gpus}})
    engines = {}
    for engine_id in parameter.targets:
        engine = hardware.engines[engine_id]
        if parameter.kind == "physics":
            physics = engine.physics.model_copy(update={parameter.field: value})
            engines[engine_id] = engine.model_copy(update={"physics": physics})
        else:
            engines[engine_id] = engine.model_copy(update={parameter.field: value})
    return hardware.model_copy(update={"engines": {**hardware.engines, **engines}})


def with_priors(hardware: HardwareCatalog) -> HardwareCatalog:
    for parameter in FIT_PARAMETERS:
        hardware = with_value(hardware, parameter, PRIORS[parameter.name])
    return hardware


def _affects(parameter: FitParameter, row: dict[str, str]) -> bool:
    return row["gpu" if parameter.kind == "gpu" else "engine"] in parameter.targets


def _log_error(comparison: Comparison) -> float:
    return math.log(comparison.ratio) if math.isfinite(comparison.ratio) else NO_PREDICTION_LOG_ERROR


def _cost(hardware: HardwareCatalog, rows: list[dict[str, str]]) -> float:
    """Mean absolute log error plus a penalty on the worst rows: the fit cares about the tail, not only the
    median."""
    errors = [_log_error(compare(row, hardware)) for row in rows]
    return sum(errors) + sum(max(e - math.log(RATIO_TARGET), 0.0) * 4 for e in errors)


def _candidates(parameter: FitParameter, value: float, step: float) -> list[float]:
    if value == 0:
        tried = [0.0] + [parameter.seed * 2.0**k for k in range(-2, 3)]
    else:
        tried = [value * math.exp(k * step) for k in (-2, -1, 0, 1, 2)]
        if parameter.low == 0:
            tried.append(0.0)
    return sorted({min(max(v, parameter.low), parameter.high) for v in tried})


STEPS = (0.6, 0.3, 0.15, 0.07)


def fit(hardware: HardwareCatalog, rows: list[dict[str, str]]) -> HardwareCatalog:
    """Coordinate descent in log space over FIT_PARAMETERS, each judged only on the rows it affects;
    parameters no training row touches keep their prior."""
    for step in STEPS:
        for parameter in FIT_PARAMETERS:
            affected = [row for row in rows if _affects(parameter, row)]
            if not affected:
                continue
            current, prior = _current(hardware, parameter), PRIORS[parameter.name]

            def objective(value: float) -> tuple[float, float]:
                pull = PRIOR_WEIGHT * math.log(max(value, prior / 10) / prior) ** 2 if prior > 0 else 0.0
                return _cost(with_value(hardware, parameter, value), affected) + pull, abs(value - current)

            best = min(_candidates(parameter, current, step), key=objective)
            hardware = with_value(hardware, parameter, best)
    return hardware


def fitted_values(hardware: HardwareCatalog) -> dict[str, float]:
    return {parameter.name: _current(hardware, parameter) for parameter in FIT_PARAMETERS}


def leave_one_source_out(hardware: HardwareCatalog, rows: list[dict[str, str]],
                         progress: Callable[[str], None] | None = None) -> dict[str, Comparison]:
    """Each row predicted by the parameters fitted on every other source (disputed rows included as
    predictions, never as training data)."""
    prior = with_priors(hardware)
    training = scored(rows)
    predictions = {}
    for source in sorted({source_of(row) for row in rows}):
        if progress:
            progress(source)
        held_out = fit(prior, [row for row in training if source_of(row) != source])
        predictions.update({row["id"]: compare(row, held_out) for row in rows if source_of(row) == source})
    return predictions


# ------------------------------------------------------------------------------------------------ classes


def classes_of(row: dict[str, str], hardware: HardwareCatalog) -> list[str]:
    model, gpu = hardware.models[row["model"]], hardware.gpus[row["gpu"]]
    load = row["load"].strip()
    found = []
    if model.moe:
        found.append("MoE")
    if gpu.vendor == "amd":
        found.append("AMD")
    if load == "max" or int(load) >= SATURATION_LOAD:
        found.append("saturation")
    if model.published_params_b < SMALL_MODEL_PARAMS_B and load == "1" and row["metric"] != "ttft_ms":
        found.append("small-model single stream")
    if row["engine"] == "llama.cpp" and row["metric"] == "ttft_ms":
        found.append("llama.cpp prefill")
    return found


@dataclass(frozen=True)
class Summary:
    group: str
    rows: int
    median_pct: float
    worst: float

    def line(self) -> str:
        return f"{self.group:<44}{self.rows:>5}{self.median_pct:>10.1f}%{self.worst:>9.2f}x"


def summarise(group: str, comparisons: list[Comparison]) -> Summary:
    return Summary(group, len(comparisons), median_abs_error_pct(comparisons), max(c.ratio for c in comparisons))


def by_source(rows, predictions) -> list[Summary]:
    groups: dict[str, list[Comparison]] = {}
    for row in scored(rows):
        groups.setdefault(source_of(row), []).append(predictions[row["id"]])
    return [summarise(group, items) for group, items in sorted(groups.items())]


def by_class(rows, predictions, hardware) -> list[Summary]:
    groups: dict[str, list[Comparison]] = {}
    for row in scored(rows):
        for name in classes_of(row, hardware):
            groups.setdefault(name, []).append(predictions[row["id"]])
    return [summarise(group, items) for group, items in sorted(groups.items())]


# --------------------------------------------------------------------------------------------------- main


def _print_rows(rows, shipped: dict[str, Comparison], held_out: dict[str, Comparison]) -> None:
    print(f"{'id':<11}{'configuration':<66}{'metric':<21}{'measured':>10}{'catalog':>10}{'err':>8}"
          f"{'held-out':>10}{'err':>8}")
    for row in rows:
        c, h = shipped[row["id"]], held_out[row["id"]]
        flag = "  (disputed, not scored)" if row.get("disputed") else ""
        print(f"{c.row_id:<11}{c.label:<66}{c.metric:<21}{c.measured:10.1f}{_fmt(c)}{_fmt(h)}{flag}")


def _fmt(c: Comparison) -> str:
    if c.predicted is None:
        return f"{'no fit':>10}{'-':>8}"
    return f"{c.predicted:10.1f}{c.error_pct:+7.1f}%"


def _print_table(title: str, summaries: list[Summary], overall: Summary) -> None:
    print(f"\n{title}\n{'':<44}{'rows':>5}{'median':>11}{'worst':>10}")
    for summary in summaries:
        print(summary.line())
    print(overall.line())


def main(argv: list[str]) -> int:
    hardware = load_hardware_catalog()
    rows = load_rows()
    if not rows:
        print("no measurement rows found")
        return 1
    shipped = {row["id"]: compare(row, hardware) for row in rows}
    held_out = leave_one_source_out(hardware, rows)
    _print_rows(rows, shipped, held_out)
    scored_ids = [row["id"] for row in scored(rows)]
    loso = summarise("all scored rows (held out)", [held_out[i] for i in scored_ids])
    in_sample = summarise("all scored rows (catalog as shipped)", [shipped[i] for i in scored_ids])
    _print_table("Leave-one-source-out, by held-out source", by_source(rows, held_out), loso)
    _print_table("Leave-one-source-out, by class", by_class(rows, held_out, hardware), loso)
    print(f"\n{in_sample.line()}")
    if "--fit" in argv:
        print("\nAll-source fit (copy into catalogs/engines.yaml and gpus.yaml):")
        for name, value in fitted_values(fit(with_priors(hardware), scored(rows))).items():
            print(f"  {name} = {value:.4g}")
    ok = loso.median_pct <= LOSO_MEDIAN_TARGET_PCT and loso.worst <= RATIO_TARGET
    print(f"\nLOSO targets: median <= {LOSO_MEDIAN_TARGET_PCT:.0f}%, worst <= x{RATIO_TARGET}: "
          f"{'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
