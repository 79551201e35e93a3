"""The tables of what-if scenarios and of a quarterly comparison, as rows of text in the display currency and
locale. The PDF report, the quarterly review and the app's screens lay out these same rows."""

from __future__ import annotations

from collections.abc import Mapping

from app.domain.assessment import Answer, AnswerStatus, Assessment
from app.domain.comparison import ATTRIBUTION_STEPS, Comparison
from app.domain.pricing import Assumption
from app.domain.evaluation import OPTION_IDS, OPTION_LABELS, Evaluation, option_for_recommendation
from app.report.facts import answer_value, quantity
from app.report.formatting import Money, percent, tokens

BASE_NAME = "Base (as answered)"
NO_RECOMMENDATION = "None yet"
SCENARIO_COST_HEADERS = ("Scenario", "Recommendation", "Confidence", *(OPTION_LABELS[o] for o in OPTION_IDS))
# Short option names: seven columns fit a page and a results tab.
SCENARIO_NPV_HEADERS = ("Scenario", "NPV: API", "NPV: cloud", "NPV: on-prem", "NPV: hybrid", "Break-even (cloud)",
                        "Break-even (on-prem)")
OPTION_MOVE_HEADERS = ("Option", "Monthly, last quarter", "Monthly, this quarter", "NPV, last quarter",
                       "NPV, this quarter")
ANSWER_HEADERS = ("Use case", "Question", "Last quarter", "This quarter")
ASSUMPTION_HEADERS = ("Assumption", "Last quarter", "This quarter")
PRICE_HEADERS = ("Catalog", "Entry", "Field", "Last quarter", "This quarter")
ATTRIBUTION_LABELS = {"volume": "Volume", "prices": "Catalog prices", "answers": "Other answers",
                      "assumptions": "Assumptions"}


def recommendation_name(recommendation: str | None) -> str:
    return OPTION_LABELS[option_for_recommendation(recommendation)] if recommendation else NO_RECOMMENDATION


def _break_even(value: float | None, money: Money) -> str:
    return "none in range" if value is None else f"{tokens(value, money.locale)}/day"


def _lines(evaluation: Evaluation):
    """(name, recommendation, confidence, options, break-evens): the base, then each scenario."""
    yield (BASE_NAME, evaluation.recommendation, evaluation.confidence, evaluation.options,
           evaluation.break_even_tokens_per_day)
    for s in evaluation.scenarios:
        yield s.name, s.recommendation, s.confidence, s.options, s.break_even_tokens_per_day


def scenario_cost_rows(evaluation: Evaluation, money: Money) -> list[tuple[str, ...]]:
    return [(name, recommendation_name(rec), percent(confidence, money.locale),
             *(money.amount(options[o].monthly_usd) for o in OPTION_IDS))
            for name, rec, confidence, options, _ in _lines(evaluation)]


def scenario_npv_rows(evaluation: Evaluation, money: Money) -> list[tuple[str, ...]]:
    return [(name, *(money.amount(options[o].npv_usd) for o in OPTION_IDS),
             _break_even(be.get("self_host_cloud"), money), _break_even(be.get("self_host_on_prem"), money))
            for name, _, _, options, be in _lines(evaluation)]


def signed(usd: float, money: Money) -> str:
    return ("+" if usd >= 0 else "-") + money.amount(abs(usd))


def option_move_rows(comparison: Comparison, money: Money) -> list[tuple[str, ...]]:
    return [(OPTION_LABELS[o], money.amount(m.old_monthly_usd), money.amount(m.new_monthly_usd),
             money.amount(m.old_npv_usd), money.amount(m.new_npv_usd)) for o, m in comparison.options.items()]


def attribution_rows(comparison: Comparison, money: Money) -> list[tuple[str, str]]:
    parts = comparison.attribution_usd
    steps = comparison.attribution_steps_usd
    return [("Last quarter", money.amount(steps[0])),
            *((ATTRIBUTION_LABELS[step], signed(getattr(parts, step), money)) for step in ATTRIBUTION_STEPS),
            ("This quarter", money.amount(steps[-1]))]


def _shown(value, old: Assessment, new: Assessment, question_id: str, locale: str) -> str:
    """A compared value as the report shows answers (choice labels, units), through NEW's question (else OLD's)."""
    if value is None:
        return "—"
    question = new.questionnaire.questions_by_id.get(question_id) or old.questionnaire.questions_by_id.get(question_id)
    statuses = {s.value for s in AnswerStatus} - {AnswerStatus.ANSWERED.value}
    answer = Answer(status=AnswerStatus(value)) if isinstance(value, str) and value in statuses else Answer(value=value)
    return answer_value(question, answer, locale) if question is not None else str(value)


def changed_answer_rows(comparison: Comparison, old: Assessment, new: Assessment, money: Money) -> list[tuple[str, ...]]:
    names = {w.id: w.name for w in (*old.workloads, *new.workloads)}
    questions = {**old.questionnaire.questions_by_id, **new.questionnaire.questions_by_id}
    return [(names.get(c.workload, c.workload) if c.workload else "Organisation",
             questions[c.question].label if c.question in questions else c.question,
             _shown(c.old, old, new, c.question, money.locale), _shown(c.new, old, new, c.question, money.locale))
            for c in comparison.changed_answers]


def changed_assumption_rows(comparison: Comparison, assumptions: Mapping[str, Assumption],
                            money: Money) -> list[tuple[str, ...]]:
    """Each changed assumption by its label, its values in its unit (money in the display currency)."""
    def value(number: float | None, assumption: Assumption | None) -> str:
        if number is None:
            return "—"
        return quantity(number, assumption.unit, money) if assumption else f"{number:g}"

    return [(assumptions[c.id].label if c.id in assumptions else c.id, value(c.old, assumptions.get(c.id)),
             value(c.new, assumptions.get(c.id))) for c in comparison.changed_assumptions]


def changed_price_rows(comparison: Comparison) -> list[tuple[str, ...]]:
    return [(c.catalog, c.id, c.field, "—" if c.old is None else str(c.old), "—" if c.new is None else str(c.new))
            for c in comparison.changed_prices]
