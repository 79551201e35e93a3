"""Comparing two assessments of one client (last quarter's OLD and this quarter's NEW), each on the catalogs its
results rest on: which answers, assumptions and catalog prices changed, how each option's costs, the
recommendation and the confidence moved, and the monthly cost change of NEW's recommended option attributed to
volume, prices, answers and assumptions by sequential substitution, in that order:

    S0  OLD as it is, on OLD's catalogs
    S1  + volume: NEW's use cases, each with NEW's volume answers (a use case NEW added comes in whole, one it
          dropped goes); every other answer as OLD has it
    S2  + prices: NEW's catalogs, with the assumptions held at OLD's values (its overrides, and its defaults
          where NEW's catalogs changed them)
    S3  + answers: NEW's answers (and questionnaire), assumptions still held at OLD's values
    S4  + assumptions: NEW as it is (its catalog defaults and overrides)

Each part is the change of that option's monthly cost from one state to the next, so the parts sum to the total
change (S4 - S0) by construction. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.assessment import Answer, AnswerStatus, AnswerValue, Assessment, AssumptionOverride, Workload
from app.domain.catalogs import Catalogs
from app.domain.comparison import (Attribution, ChangedAnswer, ChangedAssumption, ChangedPrice, Comparison,
                                   ConfidenceMove, OptionMove, RecommendationMove)
from app.domain.evaluation import OPTION_IDS, Evaluation, option_for_recommendation
from app.engine.costs import resolve_params
from app.engine.evaluate import evaluate_core
from app.engine.rebaseline import PROVENANCE_KEYS, leaves_of
from app.engine.scenario import SizingCache

# Engine inputs that say how much a use case is used: the "volume" step substitutes the answers bound to them.
VOLUME_INPUTS = frozenset({"requests_per_day", "input_tokens_per_request", "output_tokens_per_request",
                           "tokens_per_day_direct", "peak_to_average_ratio", "growth_pct_per_year", "volume_basis",
                           "volume_measured_days"})
# A catalog field is a price when its name says it is money or a share off money.
PRICE_WORDS = ("usd", "price", "discount")
# Catalog parts that are not prices: assumptions are compared as assumptions; the article's figures are fixed.
NOT_PRICES = frozenset({("pricing", "assumptions"), ("pricing", "article")})


# ---- What changed ----------------------------------------------------------------------------------------


def shown_answer(answer: Answer | None) -> AnswerValue:
    """An answer as the comparison shows it: its value, the status when it has none, None when absent."""
    if answer is None:
        return None
    if answer.status != AnswerStatus.ANSWERED:
        return answer.status.value
    return answer.value


def _answer_changes(workload: str | None, old: Mapping[str, Answer], new: Mapping[str, Answer],
                    order: list[str]) -> list[ChangedAnswer]:
    ids = sorted(old.keys() | new.keys(), key=lambda q: (order.index(q) if q in order else len(order), q))
    changes = []
    for question in ids:
        before, after = shown_answer(old.get(question)), shown_answer(new.get(question))
        if before != after:
            changes.append(ChangedAnswer(workload=workload, question=question, old=before, new=after))
    return changes


def changed_answers(old: Assessment, new: Assessment) -> tuple[ChangedAnswer, ...]:
    """Organisation answers first, then each use case by id (NEW's order, then those only OLD has); values
    compared, notes and how-known left out."""
    order = [*new.questionnaire.questions_by_id, *old.questionnaire.questions_by_id]
    changes = _answer_changes(None, old.organisation_answers, new.organisation_answers, order)
    before = {w.id: w.answers for w in old.workloads}
    after = {w.id: w.answers for w in new.workloads}
    for workload_id in [*after, *(w for w in before if w not in after)]:
        changes += _answer_changes(workload_id, before.get(workload_id, {}), after.get(workload_id, {}), order)
    return tuple(changes)


def assumption_values(assessment: Assessment, catalogs: Catalogs) -> dict[str, float]:
    """Every assumption's value in effect: the catalog's default, or the assessment's override."""
    return resolve_params(catalogs.pricing, {k: o.value for k, o in assessment.assumption_overrides.items()})


def changed_assumptions(old: Mapping[str, float], new: Mapping[str, float]) -> tuple[ChangedAssumption, ...]:
    return tuple(ChangedAssumption(id=key, old=old.get(key), new=new.get(key))
                 for key in sorted(old.keys() | new.keys()) if old.get(key) != new.get(key))


def _is_price(field: str) -> bool:
    parts = field.split(".")
    return not (PROVENANCE_KEYS & set(parts)) and any(word in field for word in PRICE_WORDS)


def _collections(catalogs: Catalogs) -> dict[tuple[str, str], dict[str, Any]]:
    """(catalog, collection) -> entry id -> entry: every part of the catalogs that is a table of entries."""
    found = {}
    for name, catalog in catalogs.model_dump(mode="json").items():
        for collection, entries in catalog.items():
            if isinstance(entries, dict) and entries and all(isinstance(e, dict) for e in entries.values()):
                found[(name, collection)] = entries
    return found


def changed_prices(old: Catalogs, new: Catalogs) -> tuple[ChangedPrice, ...]:
    """Price fields that differ between the two files' catalogs (their snapshots), entries added or removed
    included; provenance (source, date) and non-price fields are left out."""
    before, after = _collections(old), _collections(new)
    changes = []
    for key in sorted((before.keys() | after.keys()) - NOT_PRICES):
        entries_before, entries_after = before.get(key, {}), after.get(key, {})
        for entry_id in sorted(entries_before.keys() | entries_after.keys()):
            fields_before = leaves_of(entries_before.get(entry_id, {}))
            fields_after = leaves_of(entries_after.get(entry_id, {}))
            for field in sorted(fields_before.keys() | fields_after.keys()):
                if _is_price(field) and fields_before.get(field) != fields_after.get(field):
                    changes.append(ChangedPrice(catalog=".".join(key), id=entry_id, field=field,
                                                old=fields_before.get(field), new=fields_after.get(field)))
    return tuple(changes)


# ---- The substitution ------------------------------------------------------------------------------------


def volume_questions(assessment: Assessment) -> frozenset[str]:
    return frozenset(q.id for q in assessment.questionnaire.questions_by_id.values()
                     if q.binding and q.binding.split(".")[-1] in VOLUME_INPUTS
                     and q.binding.startswith("workload."))


def with_new_volume(old: Assessment, new: Assessment) -> Assessment:
    """S1: OLD with NEW's use cases and their volume answers; every other answer of a kept use case as in OLD.
    Answers to questions OLD's questionnaire lacks are left out (they come with the answers step)."""
    volume = volume_questions(old)
    known = old.questionnaire.questions_by_id
    before = {w.id: w for w in old.workloads}
    workloads = []
    for w in new.workloads:
        if w.id in before:
            kept = {q: a for q, a in before[w.id].answers.items() if q not in volume}
            moved = {q: a for q, a in w.answers.items() if q in volume}
            workloads.append(before[w.id].model_copy(update={"answers": {**kept, **moved}}))
        else:
            workloads.append(Workload(id=w.id, name=w.name, answers={q: a for q, a in w.answers.items() if q in known}))
    return old.model_copy(update={"workloads": workloads, "scenarios": []})


def held_values(old: Assessment, old_catalogs: Catalogs, new_catalogs: Catalogs) -> dict[str, float]:
    """What holds the assumptions at OLD's values on NEW's catalogs: OLD's overrides, and OLD's default of each
    assumption whose default NEW's catalogs changed. (An unchanged default is not pinned, so an answer that
    feeds an assumption, such as the client's power price, still takes effect in the answers step.)"""
    overrides = {key: o.value for key, o in old.assumption_overrides.items()}
    before, after = old_catalogs.pricing.defaults(), new_catalogs.pricing.defaults()
    moved = {key: value for key, value in before.items() if key in after and after[key] != value}
    return {**moved, **overrides}


def with_assumptions(assessment: Assessment, values: Mapping[str, float]) -> Assessment:
    """The assessment with exactly these assumption overrides (and no scenarios)."""
    overrides = {key: AssumptionOverride(value=value, reason="held for the comparison",
                                         changed_at=assessment.modified_at) for key, value in values.items()}
    return assessment.model_copy(update={"assumption_overrides": overrides, "scenarios": []})


def attributed_option(evaluation: Evaluation) -> str:
    """NEW's recommended option; with no recommendation, its cheapest feasible option (else its cheapest)."""
    if evaluation.recommendation is not None:
        return option_for_recommendation(evaluation.recommendation)
    feasible = [o for o in OPTION_IDS if evaluation.options[o].feasible] or list(OPTION_IDS)
    return min(feasible, key=lambda o: evaluation.options[o].monthly_usd)


def _monthly(assessment: Assessment, catalogs: Catalogs, option: str, cache: SizingCache) -> float:
    return evaluate_core(assessment, catalogs, cache).options[option].monthly_usd


def _options(old: Evaluation, new: Evaluation) -> dict[str, OptionMove]:
    return {o: OptionMove(old_monthly_usd=old.options[o].monthly_usd, new_monthly_usd=new.options[o].monthly_usd,
                          old_npv_usd=old.options[o].npv_usd, new_npv_usd=new.options[o].npv_usd)
            for o in OPTION_IDS}


def compare(old: Assessment, old_catalogs: Catalogs, new: Assessment, new_catalogs: Catalogs,
            sizing_cache: SizingCache | None = None) -> Comparison:
    cache: SizingCache = {} if sizing_cache is None else sizing_cache
    before, after = evaluate_core(old, old_catalogs, cache), evaluate_core(new, new_catalogs, cache)
    option = attributed_option(after)
    held = held_values(old, old_catalogs, new_catalogs)
    with_volume = with_new_volume(old, new)
    steps = (before.options[option].monthly_usd,
             _monthly(with_volume, old_catalogs, option, cache),
             _monthly(with_assumptions(with_volume, held), new_catalogs, option, cache),
             _monthly(with_assumptions(new, held), new_catalogs, option, cache),
             after.options[option].monthly_usd)
    parts = [steps[i + 1] - steps[i] for i in range(4)]
    return Comparison(
        recommendation=RecommendationMove(old=before.recommendation, new=after.recommendation),
        confidence=ConfidenceMove(old=before.confidence, new=after.confidence),
        options=_options(before, after), changed_answers=changed_answers(old, new),
        changed_assumptions=changed_assumptions(assumption_values(old, old_catalogs),
                                                assumption_values(new, new_catalogs)),
        changed_prices=changed_prices(old_catalogs, new_catalogs),
        attribution_usd=Attribution(volume=parts[0], prices=parts[1], answers=parts[2], assumptions=parts[3]),
        attribution_option=option, attribution_steps_usd=steps)
