"""The questionnaire format (`questionnaires/*.yaml`). A questionnaire is data: a consultancy can add
or reword questions without touching Python. See docs/questionnaire-format.md."""

from __future__ import annotations

from enum import StrEnum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.domain.expressions import ExpressionError, parse_expression

ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"
    NUMBER = "number"
    INTEGER = "integer"
    TEXT = "text"
    LONG_TEXT = "long_text"
    SCALE = "scale"
    DATE = "date"


CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE, QuestionKind.YES_NO}
NUMERIC_KINDS = {QuestionKind.NUMBER, QuestionKind.INTEGER, QuestionKind.SCALE}


# Caps on everything a questionnaire file (or one embedded in an assessment) can make the app lay out:
# the bundled questionnaire's longest text is under 250 characters and its longest list 15 options. A
# 100,000-character label would make a report run for minutes.
MAX_TEXT_CHARS = 2000
MAX_SECTIONS, MAX_QUESTIONS_PER_SECTION, MAX_OPTIONS, MAX_DIMENSIONS, MAX_SCALE_LABELS = 50, 100, 50, 50, 20
# And in all: the bundled questionnaire has 63 questions and about 14,000 characters of text. The report
# lays all of it out, so these bound its time (about 5 s at the limits on a laptop).
MAX_QUESTIONS, MAX_TOTAL_TEXT_CHARS = 500, 200_000


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=MAX_TEXT_CHARS)


class Option(_Model):
    value: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    label: str
    help: str = ""
    # Readiness points (0-100) this answer earns in the question's dimensions; None = not scored.
    score: float | None = Field(default=None, ge=0, le=100)


class Dimension(_Model):
    id: str = Field(pattern=ID_PATTERN)
    label: str
    description: str = ""


class Question(_Model):
    id: str = Field(pattern=ID_PATTERN)
    kind: QuestionKind
    label: str
    help: str = ""  # client-facing
    guidance: str = ""  # for the consultant only
    required: bool = False
    unit: str = ""
    min: float | None = None
    max: float | None = None
    step: float | None = None
    default: str | float | int | bool | list[str] | None = None
    options: tuple[Option, ...] = Field(default=(), max_length=MAX_OPTIONS)
    scale_labels: dict[int, str] = Field(default_factory=dict, max_length=MAX_SCALE_LABELS)
    allow_unknown: bool = False
    allow_not_applicable: bool = False
    visible_if: str | None = None
    # Readiness: weight of this question in each named dimension (dimension id -> weight > 0).
    dimensions: dict[str, float] = Field(default_factory=dict, max_length=MAX_DIMENSIONS)
    # Engine input this answer feeds, e.g. "workload.requests_per_day" (see app/domain/inputs.py).
    binding: str | None = Field(default=None, pattern=r"^(workload|organisation|engagement)\.[a-z][a-z0-9_]*$")
    # Numbers are asked in the unit people think in (percent) and fed to the engine in its own (share):
    # the engine input is answer x binding_factor.
    binding_factor: float = 1.0
    placeholder: str = ""
    # Sensitive answers (client identity, contacts) are removed by "Export for sharing".
    identifying: bool = False

    @model_validator(mode="after")
    def _check_kind(self) -> "Question":
        if self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE) and not self.options:
            raise ValueError(f"question '{self.id}' is a {self.kind.value} question but has no options")
        if self.kind not in CHOICE_KINDS and self.options:
            raise ValueError(f"question '{self.id}' of kind {self.kind.value} cannot have options")
        if self.kind == QuestionKind.SCALE and (self.min is None or self.max is None):
            raise ValueError(f"scale question '{self.id}' needs min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"question '{self.id}': min {self.min} is above max {self.max}")
        values = [o.value for o in self.options]
        if len(values) != len(set(values)):
            raise ValueError(f"question '{self.id}' repeats an option value")
        if self.visible_if:
            try:
                parse_expression(self.visible_if)
            except ExpressionError as error:
                raise ValueError(f"question '{self.id}': visible_if: {error}") from None
        return self

    @property
    def choice_options(self) -> tuple[Option, ...]:
        """Options as shown: yes/no questions get their two options implicitly unless they define scores."""
        if self.kind == QuestionKind.YES_NO and not self.options:
            return (Option(value="yes", label="Yes"), Option(value="no", label="No"))
        return self.options

    @cached_property
    def visibility(self):
        return parse_expression(self.visible_if) if self.visible_if else None


class Section(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    description: str = ""
    # "workload" sections are answered once per workload (use case); "organisation" sections once.
    scope: Literal["organisation", "workload"] = "organisation"
    questions: tuple[Question, ...] = Field(max_length=MAX_QUESTIONS_PER_SECTION)


def _text_chars(model: BaseModel) -> int:
    """Characters of text in a model and the models, lists and mappings it holds."""
    total, pending = 0, [model]
    while pending:
        node = pending.pop()
        if isinstance(node, str):
            total += len(node)
        elif isinstance(node, BaseModel):
            pending.extend(getattr(node, name) for name in type(node).model_fields)
        elif isinstance(node, (list, tuple)):
            pending.extend(node)
        elif isinstance(node, dict):
            pending.extend(node.values())
    return total


class Questionnaire(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_\-]*$")
    version: str
    title: str
    description: str = ""
    dimensions: tuple[Dimension, ...] = Field(default=(), max_length=MAX_DIMENSIONS)
    sections: tuple[Section, ...] = Field(max_length=MAX_SECTIONS)

    @cached_property
    def text_chars(self) -> int:
        """Kept: this `after` check runs again each time an assessment embeds the questionnaire."""
        return _text_chars(self)

    @model_validator(mode="after")
    def _check_size(self) -> "Questionnaire":
        questions = [q for section in self.sections for q in section.questions]
        if len(questions) > MAX_QUESTIONS:
            raise ValueError(f"has {len(questions):,} questions; at most {MAX_QUESTIONS:,}")
        if self.text_chars > MAX_TOTAL_TEXT_CHARS:
            raise ValueError(f"holds more than {MAX_TOTAL_TEXT_CHARS:,} characters of text in all")
        return self

    @model_validator(mode="after")
    def _check_references(self) -> "Questionnaire":
        seen: dict[str, Question] = {}
        section_ids: set[str] = set()
        dimension_ids = {d.id for d in self.dimensions}
        for section in self.sections:
            if section.id in section_ids:
                raise ValueError(f"section id '{section.id}' is used twice")
            section_ids.add(section.id)
            for question in section.questions:
                if question.id in seen:
                    raise ValueError(f"question id '{question.id}' is used twice")
                for name in question.visibility.names if question.visibility else ():
                    if name not in seen:
                        raise ValueError(
                            f"question '{question.id}': visible_if refers to '{name}', "
                            "which is not an earlier question"
                        )
                for dimension in question.dimensions:
                    if dimension not in dimension_ids:
                        raise ValueError(f"question '{question.id}' scores unknown dimension '{dimension}'")
                seen[question.id] = question
        return self

    @cached_property
    def questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for s in self.sections for q in s.questions}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        return {q.id: s for s in self.sections for q in s.questions}

    def sections_in_scope(self, scope: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.scope == scope)
