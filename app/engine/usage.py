"""Measured volume from usage exports: per-model and total figures from time buckets, and the volume answers
they give an assessment. Pure: buckets in (app/storage/usage_exports.py reads them), figures out.

Definitions (docs/usage-exports.md): a day is a UTC date on which a bucket starts; tokens are input +
output; the peak-to-average ratio is the busiest bucket over the mean bucket at the export's bucket width;
growth per month comes from a least-squares fit of ln(daily tokens) against the day."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone

from app.domain.assessment import Answer, Assessment, Confidence
from app.domain.errors import AdvisorError
from app.domain.questionnaire import Question, QuestionKind
from app.domain.pricing import PricingCatalog
from app.domain.usage import (ModelUsage, PricedModel, UsageBucket, UsageExportError, UsageFigures,
                              UsageReconciliation, UsageRow, UsageSummary)

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _floored(start: datetime, width: int) -> datetime:
    """The start of the `width`-second bucket holding `start` (buckets align to UTC midnight)."""
    seconds = int((start - _EPOCH).total_seconds())
    return datetime.fromtimestamp(seconds - seconds % width, tz=timezone.utc)


def _merged(rows: Iterable[UsageRow]) -> dict[str, UsageRow]:
    """Rows of one bucket added up per model; a request count is kept only when every row has one."""
    merged: dict[str, UsageRow] = {}
    for row in rows:
        old = merged.get(row.model)
        if old is None:
            merged[row.model] = row
            continue
        requests = None if old.requests is None or row.requests is None else old.requests + row.requests
        merged[row.model] = UsageRow(model=row.model, input_tokens=old.input_tokens + row.input_tokens,
                                     output_tokens=old.output_tokens + row.output_tokens,
                                     cached_input_tokens=old.cached_input_tokens + row.cached_input_tokens,
                                     requests=requests)
    return merged


def rebucketed(buckets: Iterable[UsageBucket]) -> tuple[int, dict[datetime, dict[str, UsageRow]]]:
    """Several exports on one grid: the widest bucket width of any of them, each bucket's rows moved into
    the wide bucket holding its start and added up per model."""
    buckets = list(buckets)
    if not buckets:
        raise UsageExportError("the export holds no usage buckets")
    width = max(b.width_seconds for b in buckets)
    grid: dict[datetime, list[UsageRow]] = defaultdict(list)
    for bucket in buckets:
        grid[_floored(bucket.start, width)].extend(bucket.rows)
    return width, {start: _merged(rows) for start, rows in sorted(grid.items())}


def growth_share_per_month(daily: Mapping[date, float], days_per_month: float) -> float | None:
    """exp(slope x days per month) - 1, the slope fitted to ln(tokens) over days with usage; None with
    fewer than two such days (zero days have no logarithm and are left out)."""
    points = [((day - min(daily)).days, math.log(tokens)) for day, tokens in daily.items() if tokens > 0]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return math.expm1(slope * days_per_month)


def _figures(grid: Mapping[datetime, Mapping[str, UsageRow]], models: set[str] | None,
             days_per_month: float) -> tuple[UsageFigures, dict[date, int]]:
    """Figures over the given models (None: all) and their daily tokens. For one model, only the buckets on
    the days it appears count (a model that starts mid-export is not averaged over days before it)."""
    def chosen(rows: Mapping[str, UsageRow]) -> list[UsageRow]:
        return [r for m, r in rows.items() if models is None or m in models]

    days = {start.date() for start, rows in grid.items() if models is None or chosen(rows)}
    covered = {start: chosen(rows) for start, rows in grid.items() if start.date() in days}
    all_rows = [r for rows in covered.values() for r in rows]
    input_tokens = sum(r.input_tokens for r in all_rows)
    output_tokens = sum(r.output_tokens for r in all_rows)
    cached = sum(r.cached_input_tokens for r in all_rows)
    requests = None if any(r.requests is None for r in all_rows) else sum(r.requests or 0 for r in all_rows)
    per_bucket = [sum(r.input_tokens + r.output_tokens for r in rows) for rows in covered.values()]
    daily: dict[date, int] = defaultdict(int)
    for start, rows in covered.items():
        daily[start.date()] += sum(r.input_tokens + r.output_tokens for r in rows)
    n_days = len(days) or 1
    mean_bucket = sum(per_bucket) / len(per_bucket) if per_bucket else 0.0
    figures = UsageFigures(
        days=len(days), tokens_per_day=(input_tokens + output_tokens) / n_days,
        input_tokens_per_day=input_tokens / n_days, output_tokens_per_day=output_tokens / n_days,
        cached_input_share=cached / input_tokens if input_tokens else None,
        requests_per_day=None if requests is None or not all_rows else requests / n_days,
        peak_to_average_ratio=max(per_bucket) / mean_bucket if mean_bucket > 0 else None,
        growth_share_per_month=growth_share_per_month(daily, days_per_month))
    return figures, dict(sorted(daily.items()))


def summarize(buckets: Iterable[UsageBucket], days_per_month: float) -> UsageSummary:
    width, grid = rebucketed(buckets)
    names = sorted({m for rows in grid.values() for m in rows})
    models, daily = [], {}
    for name in names:
        figures, series = _figures(grid, {name}, days_per_month)
        models.append(ModelUsage(model=name, first_day=min(series), last_day=max(series), **figures.model_dump()))
        daily[name] = tuple(series.items())
    total, total_series = _figures(grid, None, days_per_month)
    starts = list(grid)
    return UsageSummary(bucket_seconds=width, first_day=starts[0].date(), last_day=starts[-1].date(),
                        models=tuple(models), total=total, daily_tokens=daily,
                        total_daily_tokens=tuple(total_series.items()))


def figures_for(buckets: Iterable[UsageBucket], models: set[str], days_per_month: float) -> tuple[UsageFigures, date, date]:
    """The figures of several models taken together (one use case served by them), with their period."""
    _, grid = rebucketed(buckets)
    figures, series = _figures(grid, models, days_per_month)
    if not series:
        raise UsageExportError(f"none of the models {', '.join(sorted(models))} is in the export")
    return figures, min(series), max(series)


# ---- Into an assessment -----------------------------------------------------------------------------------

# Peak-to-average in the questionnaire is the busiest hour over the average: a daily export cannot measure it.
PEAK_BUCKET_MAX_SECONDS = 3600
VOLUME_METHOD_QUESTION, VOLUME_METHOD_TOKENS = "volume_method", "tokens"


class UsageMappingError(AdvisorError):
    """A --map entry names a workload or a model the assessment or the export does not have."""


def _clamped(question: Question, value: float) -> float:
    low = question.min if question.min is not None else value
    high = question.max if question.max is not None else value
    return min(max(value, low), high)


def measured_values(figures: UsageFigures, bucket_seconds: int) -> dict[str, float | str]:
    """Engine binding -> answer value (in the question's own unit; percent for shares) measured by an export."""
    values: dict[str, float | str] = {
        "workload.tokens_per_day_direct": round(figures.tokens_per_day, 1),
        "workload.volume_basis": "measured",
        "workload.volume_measured_days": figures.days,
    }
    if figures.cached_input_share is not None:
        values["workload.cached_input_share"] = round(figures.cached_input_share * 100, 2)
    if figures.requests_per_day:
        values["workload.input_tokens_per_request"] = round(figures.input_tokens_per_day / figures.requests_per_day, 1)
        values["workload.output_tokens_per_request"] = round(figures.output_tokens_per_day / figures.requests_per_day, 1)
    if figures.peak_to_average_ratio is not None and bucket_seconds <= PEAK_BUCKET_MAX_SECONDS:
        values["workload.peak_to_average_ratio"] = round(figures.peak_to_average_ratio, 2)
    if figures.growth_share_per_month is not None:
        values["workload.growth_pct_per_year"] = round(((1 + figures.growth_share_per_month) ** 12 - 1) * 100, 1)
    return values


def apply_measured(assessment: Assessment, workload_id: str, figures: UsageFigures, bucket_seconds: int,
                   period: tuple[date, date], models: Iterable[str]) -> Assessment:
    """A copy of the assessment whose workload carries the measured volume answers (confidence "measured",
    a note naming the export's models and period), so the 90-day measurement rule applies to it."""
    try:
        workload = assessment.workload(workload_id)
    except KeyError:
        known = ", ".join(w.id for w in assessment.workloads)
        raise UsageMappingError(f"no workload with id '{workload_id}' (workloads: {known})") from None
    note = (f"Measured from a usage export: {', '.join(sorted(models))}, {period[0].isoformat()} to "
            f"{period[1].isoformat()} ({figures.days} days).")
    by_binding = {q.binding: q for s in assessment.questionnaire.sections_in_scope("workload")
                  for q in s.questions if q.binding}
    answers = dict(workload.answers)
    for binding, value in measured_values(figures, bucket_seconds).items():
        question = by_binding.get(binding)
        if question is None:
            continue
        if isinstance(value, (int, float)):
            value = _clamped(question, value)
            value = int(round(value)) if question.kind == QuestionKind.INTEGER else value
        answers[question.id] = Answer(value=value, confidence=Confidence.MEASURED, note=note)
    method = assessment.questionnaire.questions_by_id.get(VOLUME_METHOD_QUESTION)
    if method is not None and VOLUME_METHOD_TOKENS in {o.value for o in method.options}:
        answers[method.id] = Answer(value=VOLUME_METHOD_TOKENS, confidence=Confidence.MEASURED, note=note)
    workloads = [w.model_copy(update={"answers": answers}) if w.id == workload_id else w for w in assessment.workloads]
    return assessment.model_copy(update={"workloads": workloads})


# ---- Reconciling the bill -----------------------------------------------------------------------------------

TOKENS_PER_MILLION = 1_000_000


def _comparable(name: str) -> str:
    return name.lower().replace(".", "-")  # the catalog's 'claude-haiku-4.5' is billed as 'claude-haiku-4-5-...'


def catalog_model_for(model: str, api_model_ids: Iterable[str]) -> str | None:
    """The catalog API model an export's model string is billed as: the longest catalog id equal to it or
    followed by '-' (a dated snapshot: 'gpt-4o-mini-2024-07-18' -> 'gpt-4o-mini'), dots and dashes alike,
    after dropping alphabetic dotted prefixes (Bedrock's 'us.anthropic.claude-...' -> 'claude-...')."""
    ids = sorted(api_model_ids, key=len, reverse=True)
    name = model
    while True:
        wanted = _comparable(name)
        match = next((i for i in ids if wanted == _comparable(i) or wanted.startswith(_comparable(i) + "-")), None)
        prefix, dot, rest = name.partition(".")
        if match or not dot or not prefix.isalpha():
            return match
        name = rest


def reconcile(models: Iterable[ModelUsage], pricing: PricingCatalog, days_per_month: float,
              stated_usd_per_month: float | None, mismatch_factor: float) -> UsageReconciliation:
    """Each model's measured day priced at its catalog model's list prices (uncached input, cached input,
    output), times days per month; beside the stated bill, the ratio and whether it is within the factor."""
    priced = []
    for usage in models:
        model_id = catalog_model_for(usage.model, pricing.api_models)
        if model_id is None:
            priced.append(PricedModel(model=usage.model, api_model_id=None))
            continue
        api = pricing.api_models[model_id]
        cached = usage.input_tokens_per_day * (usage.cached_input_share or 0.0)
        per_day = ((usage.input_tokens_per_day - cached) * api.usd_per_million_input_tokens
                   + cached * api.usd_per_million_cached_input_tokens
                   + usage.output_tokens_per_day * api.usd_per_million_output_tokens) / TOKENS_PER_MILLION
        priced.append(PricedModel(model=usage.model, api_model_id=model_id, usd_per_month=per_day * days_per_month))
    total = sum(p.usd_per_month or 0.0 for p in priced)
    ratio = stated_usd_per_month / total if stated_usd_per_month and total > 0 else None
    return UsageReconciliation(models=tuple(priced), priced_usd_per_month=total, stated_usd_per_month=stated_usd_per_month,
                               stated_over_priced=ratio,
                               within_tolerance=None if ratio is None else 1 / mismatch_factor <= ratio <= mismatch_factor)
