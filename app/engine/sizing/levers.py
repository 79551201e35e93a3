"""Optimisation levers: which ones a plan uses, and what each bought compared with the plan without it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from app.domain.hardware import HardwareCatalog
from app.domain.sizing import CapacityRequest, LeverApplied
from app.engine.sizing.config import MS_PER_S

SIXTEEN_BIT = ("bf16", "fp16")
QUANTISATION_LEVER = {"fp8": "quantisation-fp8", "int8": "quantisation-int8", "int4": "quantisation-int4-awq",
                      "fp4": "quantisation-fp4"}


@dataclass(frozen=True, slots=True)
class Option:
    """One lever setting the planner tries."""

    precision: str
    kv_precision: str
    gpus: int
    speculative: bool
    prefix_caching: bool

    @property
    def lever_count(self) -> int:
        return sum((self.precision not in SIXTEEN_BIT, self.kv_precision == "fp8", self.gpus > 1,
                    self.speculative))


def _brief(evaluated, side: str) -> tuple[dict[str, float], tuple[str, ...]]:
    """One side of a lever's comparison as figures (and, for a plan that does not fit, its reason)."""
    if not evaluated.fits:
        return {f"{side}_fits": 0.0}, (evaluated.reason,)
    return {f"{side}_fits": 1.0, f"{side}_replicas": float(evaluated.replicas_for_peak),
            f"{side}_gpus": float(evaluated.option.gpus),
            f"{side}_usd_per_million_tokens": evaluated.usd_per_million_tokens,
            f"{side}_ttft_ms": evaluated.speed.ttft_s * MS_PER_S,
            f"{side}_tokens_per_s_per_user": evaluated.speed.tokens_per_s_per_user,
            f"{side}_meets_targets": float(evaluated.meets_targets)}, ()


def _bought(evaluated, without) -> dict:
    """What a lever bought: the plan without it and with it (worded by templates/decision/lever.j2)."""
    (before, before_names), (after, after_names) = _brief(without, "without"), _brief(evaluated, "with")
    return {"code": "bought", "figures": {**before, **after}, "names": before_names + after_names}


def _lever(hardware: HardwareCatalog, lever_id: str, applied: bool, effect: dict) -> LeverApplied:
    """effect: the code, figures and names lever.j2 words."""
    lever = hardware.levers[lever_id]
    return LeverApplied(id=lever_id, label=lever.label, applied=applied, **effect,
                        risk=f"{lever.quality_risk}: {lever.risk_note}" if lever.risk_note else lever.quality_risk,
                        source=lever.source.source)


def _quantisation(hardware, request, evaluated, sixteen_bit) -> list[LeverApplied]:
    precision = evaluated.option.precision
    if precision in SIXTEEN_BIT:
        why = "not_allowed" if not request.allow_quantisation else "already_cheapest"
        return [_lever(hardware, "quantisation-fp8", False, {"code": why})]
    effect = _bought(evaluated, sixteen_bit) if sixteen_bit else _catalog(hardware, QUANTISATION_LEVER[precision])
    return [_lever(hardware, QUANTISATION_LEVER[precision], True, effect)]


def _toggle(hardware, lever_id, evaluated, reevaluate, applied: bool, field: str, off_value) -> LeverApplied:
    if not applied:
        return _lever(hardware, lever_id, False, {"code": "not_used"})
    without = reevaluate(replace(evaluated.option, **{field: off_value}))
    return _lever(hardware, lever_id, True, _bought(evaluated, without))


def _catalog(hardware: HardwareCatalog, lever_id: str) -> dict:
    """What the lever's catalog entry says it buys (catalog text, quoted as it is)."""
    return {"code": "catalog", "names": (hardware.levers[lever_id].effect,)}


def describe_levers(request: CapacityRequest, hardware: HardwareCatalog, evaluated, sixteen_bit,
                    reevaluate: Callable[[Option], object]) -> tuple[LeverApplied, ...]:
    option = evaluated.option
    engine = hardware.engines[request.engine]
    levers = _quantisation(hardware, request, evaluated, sixteen_bit)
    levers.append(_toggle(hardware, "fp8-kv-cache", evaluated, reevaluate, option.kv_precision == "fp8",
                          "kv_precision", "fp16"))
    levers.append(_toggle(hardware, "tensor-parallelism", evaluated, reevaluate, option.gpus > 1, "gpus", 1))
    levers.append(_toggle(hardware, "speculative-decoding", evaluated, reevaluate, option.speculative,
                          "speculative", False))
    if option.prefix_caching:
        levers.append(_toggle(hardware, "prefix-caching", evaluated, reevaluate, True, "prefix_caching", False))
    levers.append(_lever(hardware, "continuous-batching", engine.continuous_batching,
                         _catalog(hardware, "continuous-batching") if engine.continuous_batching
                         else {"code": "static_batching", "names": (engine.name,)}))
    return tuple(levers)
