"""Readiness 0-100 per dimension, from the questionnaire's own weights and option scores.

Unknown and Not applicable are never scored as zero: Not applicable leaves the question out; Unknown leaves
it out of the score too but becomes a gap ("find out"), and lowers the dimension's coverage. A dimension with
nothing scored is None, not 0."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.assessment import Answer, AnswerStatus, Assessment
from app.domain.evaluation import Gap, Readiness
from app.domain.questionnaire import Question, QuestionKind
from app.engine import wording
from app.engine.answers import QuestionSlot, scope_values, visible_questions

FULL_SCORE = 100.0

@dataclass
class _Tally:
    weighted_score: float = 0.0
    weight_scored: float = 0.0
    weight_asked: float = 0.0


def option_score(question: Question, value) -> float | None:
    """Points an answer earns: the option's score, the mean over a multi-choice, or a scale's position."""
    if question.kind == QuestionKind.SCALE and isinstance(value, (int, float)) and question.max != question.min:
        return FULL_SCORE * (float(value) - question.min) / (question.max - question.min)
    scores = {o.value: o.score for o in question.choice_options if o.score is not None}
    chosen = value if isinstance(value, list) else [value]
    earned = [scores[str(v)] for v in chosen if str(v) in scores]
    return sum(earned) / len(earned) if earned else None


def _better_option(question: Question, score: float) -> str:
    better = sorted((o for o in question.choice_options if o.score is not None and o.score > score),
                    key=lambda o: o.score)
    return better[0].label if better else ""


def _gap(slot: QuestionSlot, dimension: str, score: float | None, params: Mapping[str, float],
         words: Mapping[str, str]) -> Gap | None:
    """A gap's facts worded by templates/decision/gap.j2 (the action by dimension; a custom questionnaire's own
    dimensions get the generic one)."""
    question, answer = slot.question, slot.answer
    unknown = answer is not None and answer.status == AnswerStatus.UNKNOWN
    if not unknown and (score is None or score >= params["readiness_gap_threshold"]):
        return None
    severity = "medium" if unknown or score >= params["readiness_high_severity_below"] else "high"
    facts = {"question": question.label, "workload": slot.workload.name if slot.workload else "",
             "unknown": unknown, "score": score or 0.0, "dimension": dimension,
             "next_step": "" if unknown else _better_option(question, score)}
    return Gap(dimension=dimension, question_id=question.id, severity=severity,
               text=wording.render(words, "gap.j2", part="text", **facts),
               action=wording.render(words, "gap.j2", part="action", **facts))


def _status(answer: Answer | None) -> str:
    if answer is None:
        return "unanswered"
    if answer.status != AnswerStatus.ANSWERED:
        return answer.status.value
    return "answered" if answer.is_given else "unanswered"


def _scored_slots(assessment: Assessment):
    """Visible questions that score readiness, organisation once and workload questions per workload.
    Visibility is worked out once per scope (not per section): this runs on every keystroke."""
    scopes = [None, *assessment.workloads]
    for workload in scopes:
        scope = "organisation" if workload is None else "workload"
        values = scope_values(assessment, workload)
        answers = assessment.answers_for(workload)
        for section in assessment.questionnaire.sections_in_scope(scope):
            for question in visible_questions(section, values):
                if question.dimensions:
                    yield QuestionSlot(section, question, workload, answers.get(question.id))


def assess_readiness(assessment: Assessment, params: Mapping[str, float], words: Mapping[str, str]) -> Readiness:
    questionnaire = assessment.questionnaire
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    gaps: list[tuple[float, Gap]] = []  # (the answer's score, its gap)
    workloads = max(1, len(assessment.workloads))
    for slot in _scored_slots(assessment):
        status = _status(slot.answer)
        if status == AnswerStatus.NOT_APPLICABLE.value:
            continue
        score = option_score(slot.question, slot.answer.value) if status == "answered" else None
        # A workload question counts once overall, shared among the workloads that answer it.
        share = 1 / workloads if slot.workload is not None else 1.0
        for dimension, weight in slot.question.dimensions.items():
            tally = tallies[dimension]
            tally.weight_asked += weight * share
            if score is not None:
                tally.weighted_score += weight * share * score
                tally.weight_scored += weight * share
            gap = _gap(slot, dimension, score, params, words)
            if gap is not None:
                gaps.append((score or 0.0, gap))
    labels = {d.id: d.label for d in questionnaire.dimensions}
    scores = {d: (t.weighted_score / t.weight_scored if t.weight_scored else None) for d, t in tallies.items()}
    for dimension in labels:
        scores.setdefault(dimension, None)
    known = [s for s in scores.values() if s is not None]
    coverage = {d: (t.weight_scored / t.weight_asked if t.weight_asked else 0.0) for d, t in tallies.items()}
    order = {"high": 0, "medium": 1, "low": 2}
    return Readiness(overall=sum(known) / len(known) if known else None, dimensions=scores,
                     dimension_labels=labels, coverage=coverage,
                     # Worst first: by severity, then by how low the answer scored (the report's "largest gap").
                     gaps=tuple(g for _score, g in sorted(gaps, key=lambda sg: (order[sg[1].severity], sg[0]))))


# Capabilities only a self-hosted deployment needs: under an API recommendation they are not gaps to act on.
SELF_HOSTING_DIMENSIONS = frozenset({"production_inference", "ml_engineering"})
SELF_HOSTING_QUESTIONS = frozenset({"competitive_moat"})
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


def gaps_for(readiness: Readiness, recommendation: str | None) -> Readiness:
    """The gaps to act on under the recommendation, each once: a question scored under two dimensions counts
    in the first, and a dimension's questions that share one action become one gap at the highest severity."""
    gaps = sorted(readiness.gaps, key=lambda g: SEVERITY_RANK[g.severity])
    if recommendation == "api":
        gaps = [g for g in gaps if g.dimension not in SELF_HOSTING_DIMENSIONS
                and g.question_id not in SELF_HOSTING_QUESTIONS]
    merged: dict[str, Gap] = {}
    seen_questions: set[str | None] = set()
    for gap in gaps:
        if gap.question_id is not None and gap.question_id in seen_questions:
            continue
        seen_questions.add(gap.question_id)
        first = merged.get(gap.dimension)  # one action per dimension: its questions' gaps become one
        merged[gap.dimension] = gap if first is None else first.model_copy(update={"text": f"{first.text}; {gap.text}"})
    return readiness.model_copy(update={"gaps": tuple(merged.values())})
