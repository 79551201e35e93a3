"""Optimisation levers: which ones a plan uses, and what each bought compared with the plan without it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from app.domain.figures import Figure, literal, worded
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


def _summary(evaluated, price: str) -> tuple[str, dict[str, Figure]]:
    """The plan in words, its price per million tokens as the figure named `price` (printed in the display
    currency by each reader)."""
    if not evaluated.fits:
        return literal(f"does not fit ({evaluated.reason})"), {}
    targets = "meets targets" if evaluated.meets_targets else "misses targets"
    return (f"{evaluated.replicas_for_peak} replica(s) of {evaluated.option.gpus} GPU(s) for the peak, "
            f"{{{price}}}, TTFT {evaluated.speed.ttft_s * MS_PER_S:.0f} ms, "
            f"{evaluated.speed.tokens_per_s_per_user:.0f} tok/s per user, {targets}",
            {price: Figure(kind="usd_per_million_tokens", value=evaluated.usd_per_million_tokens)})


def _bought(evaluated, without) -> dict:
    """What a lever bought, as the keyword arguments of its effect (worded, with its figures)."""
    (before, before_figures), (after, after_figures) = _summary(without, "without"), _summary(evaluated, "with")
    return worded("effect", f"without it: {before}; with it: {after}", **before_figures, **after_figures)


def _lever(hardware: HardwareCatalog, lever_id: str, applied: bool, effect: str | dict) -> LeverApplied:
    """effect: plain words, or the worded keyword arguments _bought gives."""
    lever = hardware.levers[lever_id]
    words = effect if isinstance(effect, dict) else {"effect": effect}
    return LeverApplied(id=lever_id, label=lever.label, applied=applied, **words,
                        risk=f"{lever.quality_risk}: {lever.risk_note}" if lever.risk_note else lever.quality_risk,
                        source=lever.source.source)


def _quantisation(hardware, request, evaluated, sixteen_bit) -> list[LeverApplied]:
    precision = evaluated.option.precision
    if precision in SIXTEEN_BIT:
        why = "not allowed: quality risk unacceptable for this workload" if not request.allow_quantisation \
            else "16-bit weights were already the cheapest way to meet the targets"
        return [_lever(hardware, "quantisation-fp8", False, why)]
    effect = _bought(evaluated, sixteen_bit) if sixteen_bit else hardware.levers[QUANTISATION_LEVER[precision]].effect
    return [_lever(hardware, QUANTISATION_LEVER[precision], True, effect)]


def _toggle(hardware, lever_id, evaluated, reevaluate, applied: bool, field: str, off_value) -> LeverApplied:
    if not applied:
        return _lever(hardware, lever_id, False, "not used: it did not lower the cost of meeting the targets")
    without = reevaluate(replace(evaluated.option, **{field: off_value}))
    return _lever(hardware, lever_id, True, _bought(evaluated, without))


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
    batching = hardware.levers["continuous-batching"]
    levers.append(_lever(hardware, "continuous-batching", engine.continuous_batching,
                         batching.effect if engine.continuous_batching else f"{engine.name} batches statically"))
    return tuple(levers)
