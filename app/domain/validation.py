"""Checks one answer against its question: kind, range, allowed options. Used at entry (UI), at load
(storage) and before the engine runs, so the engine never sees NaN, infinity or a negative volume."""

from __future__ import annotations

import math

from app.domain.assessment import Answer, AnswerStatus
from app.domain.numbers import parse_date
from app.domain.questionnaire import Question, QuestionKind

MAX_TEXT_CHARS = {QuestionKind.TEXT: 500, QuestionKind.LONG_TEXT: 20_000}
MAX_NOTE_CHARS = 20_000


def _limit(question: Question, bound: float) -> str:
    return f"{bound:,.15g}{(' ' + question.unit) if question.unit else ''}"


def _number_problem(question: Question, value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return "must be a number"
    # Range first: a typed number too large for a float (1e400) is an out-of-range value like any other.
    if question.min is not None and value < question.min:
        return f"must be at least {_limit(question, question.min)}"
    if question.max is not None and value > question.max:
        return f"must be at most {_limit(question, question.max)}"
    if not math.isfinite(value):
        return "must be a finite number"
    if question.kind == QuestionKind.INTEGER and float(value) != int(value):
        return "must be a whole number"
    return None


def value_problem(question: Question, value: object) -> str | None:
    """A plain-words problem with a value typed for this question (before it becomes an Answer)."""
    if value in (None, "", []):
        return None
    if question.kind in (QuestionKind.NUMBER, QuestionKind.INTEGER, QuestionKind.SCALE):
        return _number_problem(question, value)
    return answer_problem(question, Answer(value=value))


def _choice_problem(question: Question, value: object) -> str | None:
    allowed = {o.value for o in question.choice_options}
    if question.kind == QuestionKind.MULTI_CHOICE:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of choices"
        unknown = [v for v in value if v not in allowed]
        return f"has choices that are not offered: {', '.join(unknown)}" if unknown else None
    if not isinstance(value, str) or value not in allowed:
        return "must be one of the offered choices"
    return None


def answer_problem(question: Question, answer: Answer) -> str | None:
    """A plain-words problem with this answer, or None when it is acceptable."""
    if len(answer.note) > MAX_NOTE_CHARS:
        return f"note is longer than {MAX_NOTE_CHARS} characters"
    if answer.status == AnswerStatus.UNKNOWN and not question.allow_unknown:
        return "does not accept 'Unknown'"
    if answer.status == AnswerStatus.NOT_APPLICABLE and not question.allow_not_applicable:
        return "does not accept 'Not applicable'"
    if answer.status != AnswerStatus.ANSWERED or answer.value in (None, "", []):
        return None
    value = answer.value
    if question.kind in (QuestionKind.NUMBER, QuestionKind.INTEGER, QuestionKind.SCALE):
        return _number_problem(question, value)
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE, QuestionKind.YES_NO):
        return _choice_problem(question, value)
    if question.kind == QuestionKind.DATE:
        return None if parse_date(value) else "must be a date (YYYY-MM-DD)"
    if not isinstance(value, str):
        return "must be text"
    limit = MAX_TEXT_CHARS[question.kind]
    return f"is longer than {limit} characters" if len(value) > limit else None


def impossible_date_flagged(question: Question, answer: Answer) -> Answer | None:
    """An old file's date that does not exist (2025-02-30, written before dates were checked strictly):
    the answer it becomes, its value cleared, flagged for review, the text kept in the note so nothing typed
    is lost. None for any other answer. Files are never refused for such a date (docs/numbers.md)."""
    value = answer.value
    if question.kind != QuestionKind.DATE or not isinstance(value, str) or not value or parse_date(value):
        return None
    remark = f"Was {value[:40]}, which is not a date."
    note = f"{answer.note}\n{remark}" if answer.note else remark
    return answer.model_copy(update={"value": None, "review": True,
                                     "note": note if len(note) <= MAX_NOTE_CHARS else answer.note})
