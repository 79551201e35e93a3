"""The comparison of two assessments (last quarter's and this quarter's): what changed and how the costs, the
recommendation and the confidence moved, with the monthly cost change attributed to its causes. Its JSON dump
is the contract of `llm-advisor compare --json` (docs/cli.md); app/engine/compare.py computes it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.domain.assessment import AnswerValue
from app.domain.evaluation import OptionId, Recommendation

# The attribution's steps, in the order they are substituted (the order is part of what the parts mean).
ATTRIBUTION_STEPS: tuple[str, ...] = ("volume", "prices", "answers", "assumptions")


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RecommendationMove(_Result):
    old: Recommendation | None
    new: Recommendation | None


class ConfidenceMove(_Result):
    old: float | None = Field(ge=0, le=1)  # None where that file has no recommendation
    new: float | None = Field(ge=0, le=1)


class OptionMove(_Result):
    old_monthly_usd: float
    new_monthly_usd: float
    old_npv_usd: float
    new_npv_usd: float


class ChangedAnswer(_Result):
    workload: str | None  # the workload's id; None for an organisation answer
    question: str  # the question's id
    # The answer's value; "unknown" / "not_applicable" for those statuses; None where there was no answer.
    old: AnswerValue
    new: AnswerValue


class ChangedAssumption(_Result):
    id: str
    old: float | None  # the value in effect (catalog default or override); None: the assumption did not exist
    new: float | None


class ChangedPrice(_Result):
    catalog: str  # "<catalog>.<collection>", e.g. "pricing.api_models", "hardware.gpus"
    id: str  # the entry's id
    field: str  # dotted within the entry, e.g. "on_demand_usd_per_gpu_hour.typical"
    old: Any  # None: the entry (or field) was added
    new: Any  # None: it was removed


class Attribution(_Result):
    """USD per month: each step's change of the attributed option's monthly cost. The four sum to the total."""

    volume: float
    prices: float
    answers: float
    assumptions: float

    @property
    def total(self) -> float:
        return self.volume + self.prices + self.answers + self.assumptions


class Comparison(_Result):
    recommendation: RecommendationMove
    confidence: ConfidenceMove
    options: dict[str, OptionMove]
    changed_answers: tuple[ChangedAnswer, ...]
    changed_assumptions: tuple[ChangedAssumption, ...]
    changed_prices: tuple[ChangedPrice, ...]
    attribution_usd: Attribution
    # Whose monthly cost is attributed: NEW's recommended option, or, when NEW recommends nothing, its
    # cheapest feasible option (its cheapest option when none is feasible).
    attribution_option: OptionId
    # The attributed option's monthly cost in each state of the substitution: old, +volume, +prices, +answers,
    # +assumptions (= new). For the waterfall and the tests; the parts are its differences.
    attribution_steps_usd: tuple[float, float, float, float, float]
