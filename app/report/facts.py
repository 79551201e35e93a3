"""What the report says, gathered once from the assessment and its Evaluation: plain values with every
number already formatted by the one presentation rule (app.report.formatting). Nothing here computes a
result; it selects, orders, resolves ids to labels and formats. User text stays raw here and is escaped
where it is laid out (app.report.markup)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.assessment import Answer, AnswerStatus, Assessment
from app.domain.catalogs import Catalogs
from app.domain.evaluation import OPTION_IDS, OPTION_LABELS, Evaluation, option_for_recommendation
from app.domain.questionnaire import Question, QuestionKind
from app.engine.answers import iter_visible_slots
from app.domain.numbers import format_date, localise
from app.report.findings import Findings, LineTable, catalog_names, gather_findings, line_table
from app.report.formatting import Money, number, percent, tokens, worded
from app.report.names import display_name, price_name, with_names
from app.storage.assessment_files import engagement_summary

REASONS_IN_SUMMARY = 3
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
STATUS_LABELS = {AnswerStatus.UNKNOWN: "Unknown", AnswerStatus.NOT_APPLICABLE: "Not applicable"}


@dataclass(frozen=True)
class Engagement:
    client_name: str
    title: str
    engagement_id: str
    consultant: str
    date: str
    industry: str


@dataclass(frozen=True)
class OptionFacts:
    id: str
    label: str
    feasible: bool
    infeasible_reason: str
    monthly: str
    one_time: str
    horizon: str
    per_million: str
    recommended: bool
    capital: str  # upfront capital financed through amortisation; empty when none
    line_items: tuple[tuple[str, str, str, str], ...]  # label, monthly, one-time, what it rests on
    table: LineTable | None = None  # the lines as quantity x rate, with totals that reconcile


@dataclass(frozen=True)
class ReasonFacts:
    text: str
    rests_on: tuple[str, ...]


@dataclass(frozen=True)
class AnswerRow:
    scope: str
    section: str
    question: str
    value: str
    note: str
    confidence: str
    review: bool


@dataclass(frozen=True)
class ReportFacts:
    engagement: Engagement
    money: Money
    recommendation: str
    confidence: str
    horizon_months: int
    tokens_per_day: str
    options: tuple[OptionFacts, ...]
    reasons: tuple[ReasonFacts, ...]
    top_reasons: tuple[ReasonFacts, ...]
    tipping_points: tuple[tuple[str, str, str, str], ...]  # input, current, flips at, flips to
    nearest_tipping_point: str
    roadmap: tuple[tuple[str, str, str, str], ...]  # phase, option, title, trigger
    next_step: str
    gaps: tuple[tuple[str, str, str, str], ...]  # dimension, severity, gap, action; most severe first
    workloads: tuple[tuple[str, str, str, str], ...]  # name, volume, route, why
    break_even: tuple[tuple[str, str], ...]  # option label, tokens/day or "none"
    probability_self_host_cheaper: str
    readiness_overall: str
    answers: tuple[AnswerRow, ...]
    warnings: tuple[str, ...]
    flags: dict[str, bool] = field(default_factory=dict)
    stale_prices: tuple[str, ...] = ()  # the prices of Evaluation.stale_price_ids, by name
    stale_prices_on: str = ""
    price_staleness_days: str = ""
    findings: Findings | None = None


class IdResolver:
    """Turns the ids a reason or line item rests on into words a reader understands."""

    def __init__(self, assessment: Assessment, evaluation: Evaluation, money: Money,
                 names: dict[str, str] | None = None):
        self._assessment = assessment
        self._names = names or {}
        self._questions = assessment.questionnaire.questions_by_id
        self._assumptions = {a.id: a for a in evaluation.assumptions}
        self._money = money

    def describe(self, item_id: str, *, with_answer: bool = True) -> str:
        """'Label = value (assumption)', 'Question: answer' or 'catalog entry id'. Without the answer (for
        line items, where the same answers recur row after row) a question is named only."""
        if item_id in self._assumptions:
            value = self._assumptions[item_id]
            mark = ", overridden" if value.overridden else ""
            return f"{value.label} = {quantity(value.value, value.unit, self._money)} (assumption{mark})"
        if item_id in self._questions:
            question = self._questions[item_id]
            return f"{question.label}: {self._answer_text(question)}" if with_answer else f"answer: {question.label}"
        if item_id in OPTION_LABELS or item_id in OPTION_LABELS.values():  # a reason resting on an option's costs
            return f"the line items of {OPTION_LABELS.get(item_id, item_id)} (Costs)"
        return self._names.get(item_id) or _catalog_entry(item_id)

    def _answer_text(self, question: Question) -> str:
        given = [(None, self._assessment.organisation_answers.get(question.id))]
        given += [(w.name, w.answers.get(question.id)) for w in self._assessment.workloads]
        parts = [(scope, answer_value(question, answer, self._money.locale)) for scope, answer in given if answer is not None]
        if not parts:
            return "not answered (default used)"
        if len(parts) == 1:
            return parts[0][1]
        return "; ".join(f"{scope or 'organisation'}: {text}" for scope, text in parts)


# What a catalog entry a line rests on is, by the kind in its id ("gpu:a100-80gb").
ENTRY_KINDS = {"gpu": "price", "api_model": "list price", "instance": "instance rate"}


def _catalog_entry(item_id: str) -> str:
    """An entry these catalogs no longer hold (a pack since removed): named from the app's catalogs, as
    "A100 80GB price", never by its id."""
    kind, _, key = item_id.partition(":")
    if not key:
        return display_name(item_id)
    return f"{display_name(key)} {ENTRY_KINDS.get(kind, 'figure')}"


def quantity(value: float, unit: str, money: Money) -> str:
    """A value in its unit; money units (USD, USD/...) are converted to the display currency."""
    if unit.startswith("USD"):
        rest = unit[len("USD"):]
        shown = money.price(value) if abs(money.convert(value)) < 100 else money.amount(value)
        return f"{shown}{rest}" if rest.startswith("/") else f"{shown} {rest.strip()}".strip()
    if unit.startswith("share"):
        return f"{percent(value, money.locale)}{unit[len('share'):]}"
    if unit == "score 0-100":
        return f"{localise(f'{value:g}', money.locale)}/100"
    if "token" in unit and abs(value) >= 1e4:
        return f"{tokens(value, money.locale)} {unit}"
    return number(value, unit, locale=money.locale)


def answer_value(question: Question, answer: Answer | None, locale: str = "") -> str:
    if answer is None:
        return ""
    if answer.status != AnswerStatus.ANSWERED:
        return STATUS_LABELS[answer.status]
    value = answer.value
    labels = {o.value: o.label for o in question.choice_options}
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value)
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.YES_NO):
        return labels.get(str(value), str(value))
    if isinstance(value, int):
        return f"{localise(f'{value:,}', locale)} {question.unit}".strip()
    if isinstance(value, float):
        return number(value, question.unit, digits=6, locale=locale)
    if question.kind == QuestionKind.DATE and isinstance(value, str):
        return format_date(value, locale)
    return "" if value is None else str(value)


def engagement_of(assessment: Assessment, locale: str = "") -> Engagement:
    summary = engagement_summary(assessment)
    industry_question = assessment.questionnaire.questions_by_id.get("industry")
    industry = summary.get("industry", "")
    if industry_question is not None and industry:
        industry = {o.value: o.label for o in industry_question.choice_options}.get(industry, industry)
    return Engagement(
        client_name=str(summary.get("client_name") or "Client not named"),
        title=str(summary.get("title") or assessment.title),
        engagement_id=str(summary.get("engagement_id") or ""),
        consultant=str(summary.get("consultant") or ""),
        date=format_date(str(summary.get("date") or assessment.modified_at.date().isoformat()), locale),
        industry=str(industry),
    )


def gather(assessment: Assessment, evaluation: Evaluation, catalogs: Catalogs | None = None) -> ReportFacts:
    """`catalogs` (default: the assessment's own) name the catalog entries lines rest on and fill the price
    sheet."""
    from app.storage.catalogs import catalogs_for

    money = Money.from_display(assessment.display)
    catalogs = catalogs if catalogs is not None else catalogs_for(assessment)
    resolve = IdResolver(assessment, evaluation, money, catalog_names(catalogs))
    # No recommendation (answers missing, or nothing feasible): the headline says why.
    recommended = option_for_recommendation(evaluation.recommendation) if evaluation.recommendation else None
    reasons = tuple(ReasonFacts(worded(r, money), tuple(resolve.describe(i) for i in r.rests_on))
                    for r in sorted(evaluation.reasons, key=lambda r: -r.strength))
    gaps = sorted(evaluation.readiness.gaps, key=lambda g: SEVERITY_ORDER[g.severity])
    dimension_labels = evaluation.readiness.dimension_labels
    return ReportFacts(
        engagement=engagement_of(assessment, money.locale),
        money=money,
        recommendation=OPTION_LABELS[recommended] if recommended else worded(evaluation, money, "headline"),
        confidence=percent(evaluation.confidence, money.locale) if evaluation.confidence is not None else "no",
        horizon_months=evaluation.horizon_months,
        tokens_per_day=tokens(evaluation.tokens_per_day, money.locale),
        options=_options(evaluation, money, resolve, recommended),
        reasons=reasons,
        top_reasons=reasons[:REASONS_IN_SUMMARY],
        tipping_points=tipping_point_rows(evaluation, money),
        nearest_tipping_point=_nearest_tipping_point(evaluation, money),
        roadmap=tuple((str(p.phase), OPTION_LABELS[p.option], worded(p, money, "title"), worded(p, money, "trigger"))
                      for p in sorted(evaluation.roadmap, key=lambda p: p.phase)),
        next_step=_next_step(evaluation, money),
        gaps=tuple((dimension_labels.get(g.dimension, g.dimension), g.severity, g.text, g.action) for g in gaps),
        workloads=tuple((w.name, f"{tokens(w.tokens_per_day, money.locale)} tokens/day", OPTION_LABELS[w.route], w.route_reason)
                        for w in evaluation.workloads),
        break_even=tuple((OPTION_LABELS[o], f"{tokens(v, money.locale)} tokens/day" if v is not None else "none in range")
                         for o, v in evaluation.break_even_tokens_per_day.items()),
        probability_self_host_cheaper=(percent(evaluation.uncertainty.probability_self_host_cheaper, money.locale)
                                       if evaluation.uncertainty else ""),
        readiness_overall=number(evaluation.readiness.overall, "/ 100", digits=3, locale=money.locale),
        answers=_answers(assessment, money.locale),
        warnings=tuple(worded(n, money) for n in evaluation.notices),
        flags=_flags(evaluation, recommended),
        stale_prices=tuple(price_name(p) for p in evaluation.stale_price_ids),
        stale_prices_on=format_date(evaluation.stale_prices_on, money.locale),
        price_staleness_days=next((f"{a.value:.0f}" for a in evaluation.assumptions if a.id == "price_staleness_days"), ""),
        findings=gather_findings(assessment, evaluation, money, catalogs,
                                 lambda value, unit: quantity(value, unit, money)),
    )


def _options(evaluation: Evaluation, money: Money, resolve: IdResolver, recommended: str) -> tuple[OptionFacts, ...]:
    facts = []
    for option_id in OPTION_IDS:
        cost = evaluation.options.get(option_id)
        if cost is None:
            continue
        items = tuple((with_names(i.label), money.amount(i.monthly_usd), money.amount(i.one_time_usd) if i.one_time_usd else "—",
                       "; ".join(resolve.describe(r, with_answer=False) for r in i.rests_on) or worded(i, money, "note"))
                      for i in cost.line_items)
        facts.append(OptionFacts(
            id=option_id, label=OPTION_LABELS[option_id], feasible=cost.feasible,
            infeasible_reason=cost.infeasible_reason or "", monthly=money.amount(cost.monthly_usd),
            one_time=money.amount(cost.one_time_usd), horizon=money.amount(cost.horizon_usd),
            per_million=money.price(cost.usd_per_million_tokens), recommended=option_id == recommended,
            capital=money.amount(cost.capital_usd) if cost.capital_usd else "", line_items=items,
            table=line_table(cost, money, lambda i: "; ".join(resolve.describe(r, with_answer=False)
                                                              for r in i.rests_on) or i.note)))
    return tuple(facts)


def tipping_point_rows(evaluation: Evaluation, money: Money) -> tuple[tuple[str, str, str, str], ...]:
    rows = []
    for point in evaluation.tipping_points:
        flips_at = quantity(point.flips_at, point.unit, money) if point.flips_at is not None else "does not flip"
        flips_to = OPTION_LABELS[option_for_recommendation(point.flips_to)] if point.flips_to else "—"
        rows.append((point.label or point.input, quantity(point.current, point.unit, money), flips_at, flips_to))
    return tuple(rows)


def _nearest_tipping_point(evaluation: Evaluation, money: Money) -> str:
    """The flip the client is closest to, relative to where it stands today: the main risk to the answer."""
    candidates = [p for p in evaluation.tipping_points if p.flips_at is not None and p.flips_to and p.current]
    if not candidates:
        return ""
    point = min(candidates, key=lambda p: abs(p.flips_at / p.current - 1))
    to = OPTION_LABELS[option_for_recommendation(point.flips_to)]
    return (f"if {point.label or point.input} moves from {quantity(point.current, point.unit, money)} to "
            f"{quantity(point.flips_at, point.unit, money)}, the recommendation becomes {to}")


def _next_step(evaluation: Evaluation, money: Money) -> str:
    if evaluation.roadmap:
        first = min(evaluation.roadmap, key=lambda p: p.phase)
        return worded(first, money, "title") or f"{OPTION_LABELS[first.option]}: {worded(first, money, 'trigger')}"
    return ""


def _answers(assessment: Assessment, locale: str) -> tuple[AnswerRow, ...]:
    rows = []
    for slot in iter_visible_slots(assessment):
        if slot.answer is None or slot.answer.is_empty:
            continue
        answer = slot.answer
        rows.append(AnswerRow(
            scope=slot.workload.name if slot.workload else "Organisation",
            section=slot.section.title, question=slot.question.label,
            value=answer_value(slot.question, answer, locale), note=answer.note,
            confidence=answer.confidence.value if answer.confidence else "", review=answer.review))
    return tuple(rows)


def _flags(evaluation: Evaluation, recommended: str) -> dict[str, bool]:
    """Yes/no facts the narrative templates branch on."""
    return {
        "recommended": recommended is not None,
        "self_host": recommended in ("self_host_cloud", "self_host_on_prem", "hybrid"),
        "api_only": recommended == "api",
        "has_sizing": evaluation.sizing is not None,
        "any_infeasible": any(not o.feasible for o in evaluation.options.values()),
    }
