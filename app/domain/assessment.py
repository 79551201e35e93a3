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

FORMAT_VERSION = 2


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
    # What opening an older file changed, said once to the consultant (never written back to the file).
    migration_notes: tuple[str, ...] = Field(default=(), exclude=True)

    def answers_for(self, workload: Workload | None) -> dict[str, Answer]:
        """The answers in scope: organisation answers, overlaid with one workload's answers."""
        if workload is None:
            return self.organisation_answers
        return {**self.organisation_answers, **workload.answers}

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
