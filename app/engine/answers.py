"""Reading answers as the questionnaire means them: effective values (answer or default), visibility
(`visible_if`), and how complete an assessment is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from app.domain.assessment import Answer, AnswerStatus, Assessment, Workload
from app.domain.questionnaire import Question, Section


def effective_value(question: Question, answer: Answer | None) -> Any:
    """The value the engine uses: the answer when one is given, else the question's default, else None.
    Unknown and Not applicable give None: the engine then applies its own documented default."""
    if answer is not None and answer.status != AnswerStatus.ANSWERED:
        return None
    if answer is not None and answer.is_given:
        return answer.value
    return question.default


def scope_values(assessment: Assessment, workload: Workload | None) -> dict[str, Any]:
    """question id -> effective value, for every question in scope (organisation + this workload)."""
    answers = assessment.answers_for(workload)
    values: dict[str, Any] = {}
    for section in assessment.questionnaire.sections:
        if section.scope == "workload" and workload is None:
            continue
        for question in section.questions:
            values[question.id] = effective_value(question, answers.get(question.id))
    return values


def is_visible(question: Question, values: dict[str, Any]) -> bool:
    return question.visibility is None or question.visibility.evaluate(values)


def visible_questions(section: Section, values: dict[str, Any]) -> list[Question]:
    return [q for q in section.questions if is_visible(q, values)]


@dataclass(frozen=True)
class QuestionSlot:
    """One place an answer goes: a question, in a section, for the organisation or one workload."""

    section: Section
    question: Question
    workload: Workload | None
    answer: Answer | None


def iter_visible_slots(assessment: Assessment) -> Iterator[QuestionSlot]:
    """Every visible question slot: organisation sections once, workload sections once per workload."""
    # Values and answers per scope, computed once: this runs on every keystroke (live panel).
    scopes = {None: (scope_values(assessment, None), assessment.organisation_answers)}
    for workload in assessment.workloads:
        scopes[workload.id] = (scope_values(assessment, workload), assessment.answers_for(workload))
    for section in assessment.questionnaire.sections:
        workloads = assessment.workloads if section.scope == "workload" else [None]
        for workload in workloads:
            values, answers = scopes[workload.id if workload is not None else None]
            for question in visible_questions(section, values):
                yield QuestionSlot(section, question, workload, answers.get(question.id))


def is_answered(slot: QuestionSlot) -> bool:
    """Answered includes an explicit Unknown / Not applicable: the consultant asked and got that."""
    answer = slot.answer
    if answer is None:
        return False
    return answer.status != AnswerStatus.ANSWERED or answer.is_given


@dataclass(frozen=True)
class Progress:
    answered: int
    total: int
    required_answered: int
    required_total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def complete(self) -> bool:
        return self.required_answered == self.required_total


def progress(assessment: Assessment) -> Progress:
    answered = total = required_answered = required_total = 0
    for slot in iter_visible_slots(assessment):
        done = is_answered(slot)
        total += 1
        answered += done
        if slot.question.required:
            required_total += 1
            required_answered += done
    return Progress(answered, total, required_answered, required_total)
