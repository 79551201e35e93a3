"""An assessment: the answers a consultant collected for one client, per workload, with notes,
confidence, review flags and assumption overrides. Serialised as a `.llmassess` file by app.storage."""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.domain.questionnaire import Questionnaire

FORMAT_VERSION = 3


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


class Confidence(StrEnum):
    STATED = "stated"  # stated by the client
    ESTIMATED = "estimated"
    MEASURED = "measured"
    DEFAULT = "default"  # nobody answered; the questionnaire's default stands


class AnswerStatus(StrEnum):
    ANSWERED = "answered"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


AnswerValue = bool | int | float | str | list[str] | None


class Answer(BaseModel):
    # hide_input_in_errors: answers are client data and must never reach a log through an error message.
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    value: AnswerValue = None
    status: AnswerStatus = AnswerStatus.ANSWERED
    note: str = ""
    confidence: Confidence | None = None
    review: bool = False

    @field_validator("value")
    @classmethod
    def _finite(cls, value: AnswerValue) -> AnswerValue:
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("numbers must be finite (no NaN or infinity)")
        return value

    @property
    def is_given(self) -> bool:
        """True when the answer holds a usable value (not unknown / not applicable / empty)."""
        if self.status != AnswerStatus.ANSWERED:
            return False
        return self.value not in (None, "", [])

    @property
    def is_empty(self) -> bool:
        """No value, no special status, no note and no flag: nothing worth keeping."""
        return (
            self.status == AnswerStatus.ANSWERED
            and self.value in (None, "", [])
            and not self.note
            and not self.review
            and self.confidence is None
        )


class Workload(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], pattern=r"^[A-Za-z0-9_\-]{1,64}$")
    name: str = Field(min_length=1, max_length=200)
    answers: dict[str, Answer] = Field(default_factory=dict)


class AssumptionOverride(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    value: float
    reason: str = ""
    changed_at: datetime = Field(default_factory=utc_now)

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("an assumption must be a finite number")
        return value


class DisplayPreferences(BaseModel):
    """Presentation only: money is always computed in USD."""

    model_config = ConfigDict(extra="forbid")

    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    usd_to_currency_rate: float = Field(default=1.0, gt=0, lt=1e6)
    rate_as_of: str = ""
    period: str = Field(default="monthly", pattern="^(monthly|yearly)$")
    # How numbers, money and dates are typed and shown (CLDR name such as "de_DE"); "" is the system's locale.
    # Presentation only: the file itself stays dot-decimal and ISO-dated. Rules: docs/numbers.md.
    locale: str = Field(default="", pattern=r"^([A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8}){0,3})?$")


SCENARIO_ID_PATTERN = r"^[A-Za-z0-9_\-]{1,64}$"


class Scenario(BaseModel):
    """A named what-if over the base assessment ("volume x3", "GPU prices -30%"): the answers it changes and
    the assumption overrides it sets. What it does not name stays as the base has it, so a scenario follows
    later edits of the base. Every field but the name is optional, for files written by other tools."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], pattern=SCENARIO_ID_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    organisation_answers: dict[str, Answer] = Field(default_factory=dict)
    # workload id -> question id -> answer; a workload the base no longer has is ignored
    workload_answers: dict[str, dict[str, Answer]] = Field(default_factory=dict)
    assumption_overrides: dict[str, AssumptionOverride] = Field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.organisation_answers or any(self.workload_answers.values()) or self.assumption_overrides)


class Assessment(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    format_version: int = FORMAT_VERSION
    app_version: str = ""
    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    title: str = Field(default="Untitled assessment", max_length=300)
    created_at: datetime = Field(default_factory=utc_now)
    modified_at: datetime = Field(default_factory=utc_now)
    questionnaire: Questionnaire
    organisation_answers: dict[str, Answer] = Field(default_factory=dict)
    workloads: list[Workload] = Field(default_factory=list)
    assumption_overrides: dict[str, AssumptionOverride] = Field(default_factory=dict)
    display: DisplayPreferences = Field(default_factory=DisplayPreferences)
    # Catalog values and assumption defaults the results rest on, frozen when the assessment was created
    # (or re-baselined), so a reopened file reproduces its results after the app's catalogs change.
    # Stored as plain data and validated into app.domain.catalogs.Catalogs by app.storage.
    catalog_snapshot: dict[str, Any] | None = None
    # What-if variants of this assessment, evaluated side by side with it (format 3; optional).
    scenarios: list[Scenario] = Field(default_factory=list)
    # What opening an older file changed, said once to the consultant (never written back to the file).
    migration_notes: tuple[str, ...] = Field(default=(), exclude=True)

    @field_validator("scenarios")
    @classmethod
    def _unique_scenarios(cls, scenarios: list[Scenario]) -> list[Scenario]:
        if len({s.id for s in scenarios}) != len(scenarios):
            raise ValueError("two scenarios have the same id")
        return scenarios

    def answers_for(self, workload: Workload | None) -> dict[str, Answer]:
        """The answers in scope: organisation answers, overlaid with one workload's answers."""
        if workload is None:
            return self.organisation_answers
        return {**self.organisation_answers, **workload.answers}

    def with_scenario(self, scenario: Scenario) -> Assessment:
        """The base with the scenario's answers and overrides laid over it (and no scenarios of its own)."""
        workloads = [w.model_copy(update={"answers": {**w.answers, **scenario.workload_answers.get(w.id, {})}})
                     for w in self.workloads]
        return self.model_copy(update={
            "organisation_answers": {**self.organisation_answers, **scenario.organisation_answers},
            "workloads": workloads, "scenarios": [],
            "assumption_overrides": {**self.assumption_overrides, **scenario.assumption_overrides}})

    def scenario(self, scenario_id: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)

    def workload(self, workload_id: str) -> Workload:
        for workload in self.workloads:
            if workload.id == workload_id:
                return workload
        raise KeyError(workload_id)

    def answer_store(self, question_id: str, workload: Workload | None) -> dict[str, Answer]:
        """The dict an answer to this question lives in (organisation or the workload's)."""
        section = self.questionnaire.section_of[question_id]
        if section.scope == "workload":
            if workload is None:
                raise ValueError(f"question '{question_id}' is answered per workload")
            return workload.answers
        return self.organisation_answers
