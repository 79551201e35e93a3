"""One configuration, sized: memory fit, then speed at the requested load and at maximum load."""

from __future__ import annotations

from app.domain.hardware import HardwareCatalog
from app.domain.sizing import SizingRequest, SizingResult
from app.engine.sizing import speed
from app.engine.sizing.config import MS_PER_S, ServingConfig, build_config
from app.engine.sizing.memory import MemoryFit, memory_fit



def config_for(request: SizingRequest, hardware: HardwareCatalog) -> ServingConfig:
    return build_config(hardware, request.model_id, request.gpu_id, request.precision, request.kv_precision,
                        request.engine, request.gpus)


def estimate(request: SizingRequest, hardware: HardwareCatalog) -> SizingResult:
    """Size one configuration. Unknown ids raise UnknownIdError; a misfit is a result, not an error."""
    return estimate_config(config_for(request, hardware), request.input_tokens, request.output_tokens,
                           request.concurrency, request.max_throughput, request.cached_input_share)


def estimate_config(config: ServingConfig, input_tokens: int, output_tokens: int, concurrency: int = 1,
                    max_throughput: bool = False, cached_share: float = 0.0) -> SizingResult:
    tokens_per_sequence = input_tokens + output_tokens
    limit = memory_fit(config, tokens_per_sequence, 1).max_concurrency
    if max_throughput:
        # Throughput never falls as concurrency rises, so the most that fits is the maximum.
        concurrency = max(limit, 1)
    fit = memory_fit(config, tokens_per_sequence, concurrency)
    if not fit.fits:
        return _result(config, input_tokens, output_tokens, fit, concurrency, None, None)
    at_load = speed.serve(config, concurrency, input_tokens, output_tokens, cached_share)
    at_max = speed.serve(config, fit.max_concurrency, input_tokens, output_tokens, cached_share)
    return _result(config, input_tokens, output_tokens, fit, concurrency, at_load, at_max)


def _result(config: ServingConfig, input_tokens: int, output_tokens: int, fit: MemoryFit, concurrency: int,
            at_load: speed.Speed | None, at_max: speed.Speed | None) -> SizingResult:
    return SizingResult.model_construct(
        model=config.model_id, gpu=config.gpu_id, gpus=config.gpus, precision=config.precision,
        kv_precision=config.kv_precision, engine=config.engine_id, engine_version=config.engine.version,
        input_tokens=input_tokens,
        output_tokens=output_tokens, fits=fit.fits, reason=fit.reason, weight_only=config.weight_only,
        weights_gib=fit.weights_gib_total, kv_cache_bytes_per_token=config.kv_bytes_per_token_total,
        kv_cache_gib_per_sequence=fit.kv_cache_gib_per_sequence, memory_per_gpu_gib=fit.memory_per_gpu_gib,
        max_concurrency=fit.max_concurrency, concurrency=concurrency,
        output_tokens_per_s=at_load.output_tokens_per_s if at_load else None,
        tokens_per_s_per_user=at_load.tokens_per_s_per_user if at_load else None,
        ttft_ms=at_load.ttft_s * MS_PER_S if at_load else None,
        tpot_ms=at_load.tpot_s * MS_PER_S if at_load else None,
        bound=at_load.bound if at_load else None,
        max_load_output_tokens_per_s=at_max.output_tokens_per_s if at_max else None,
    )
