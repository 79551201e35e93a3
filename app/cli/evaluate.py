"""`llm-advisor evaluate FILE [--json]`: the recommendation, costs, readiness and ranges for one assessment.

With --json, exactly one JSON object on stdout (the Evaluation, see docs/costs.md); without, a readable
summary. A malformed file raises AssessmentFileError: the dispatcher prints it and exits 2."""

from __future__ import annotations

import argparse
import json

from app.cli.common import add_file_argument, add_password_argument, open_assessment
from app.domain.errors import AssessmentFileError
from app.domain.evaluation import OPTION_LABELS, Evaluation
from app.engine.evaluate import evaluate
from app.storage.catalogs import catalogs_for

SUMMARY = "recommend API, self-hosting or hybrid for an assessment, with costs and reasons"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("evaluate", help=SUMMARY, description=SUMMARY)
    add_file_argument(parser)
    add_password_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    assessment = open_assessment(args)
    result = evaluate(assessment, catalogs_for(assessment))
    print(finite_json(result.model_dump(mode="json")) if args.json else summary(result))
    return 0


def finite_json(content: dict) -> str:
    """Valid JSON or one clear error: never NaN or Infinity, which JSON has no words for."""
    try:
        return json.dumps(content, indent=2, allow_nan=False)
    except ValueError:
        raise AssessmentFileError("the results hold a number that is not finite; check the assumption "
                                  "overrides and the answers for extreme values") from None


def _usd(value: float) -> str:
    return f"${value:,.0f}"


def _tokens(value: float | None) -> str:
    return "none" if value is None else f"{value / 1e6:,.1f}M tokens/day"


def _options(result: Evaluation) -> list[str]:
    lines = [f"Options ({result.horizon_months}-month horizon):",
             f"  {'option':<24}{'monthly':>12}{'one-time':>12}{'horizon':>14}{'NPV':>14}{'per M tokens':>14}"]
    for option_id, option in result.options.items():
        flag = "" if option.feasible else f"   not feasible: {option.infeasible_reason}"
        lines.append(f"  {OPTION_LABELS[option_id]:<24}{_usd(option.monthly_usd):>12}{_usd(option.one_time_usd):>12}"
                     f"{_usd(option.horizon_usd):>14}{_usd(option.npv_usd):>14}"
                     f"{'$' + format(option.usd_per_million_tokens, ',.2f'):>14}{flag}")
    return lines


def _readiness(result: Evaluation) -> list[str]:
    readiness = result.readiness
    overall = "unknown" if readiness.overall is None else f"{readiness.overall:.0f}/100"
    lines = [f"Readiness: {overall}"]
    for dimension, score in readiness.dimensions.items():
        label = readiness.dimension_labels.get(dimension, dimension)
        lines.append(f"  {label:<40}{'unknown' if score is None else f'{score:.0f}'}")
    lines += [f"  gap ({gap.severity}): {gap.text} -> {gap.action}" for gap in readiness.gaps[:5]]
    return lines


def _ranges(result: Evaluation) -> list[str]:
    ranges = result.uncertainty
    if ranges is None:
        return []
    lines = ["Monthly cost ranges (P10 / P50 / P90):"]
    for option_id in OPTION_LABELS:
        p = getattr(ranges, option_id)
        lines.append(f"  {OPTION_LABELS[option_id]:<24}{_usd(p.p10):>12}{_usd(p.p50):>12}{_usd(p.p90):>12}")
    lines.append(f"  probability self-hosting is cheaper: {ranges.probability_self_host_cheaper:.0%}")
    return lines


def summary(result: Evaluation) -> str:
    verdict = (f"{result.recommendation} (confidence {result.confidence:.0%})" if result.recommendation
               else f"none ({result.headline})")
    lines = [f"Recommendation: {verdict}", "", "Why:"]
    lines += [f"  {i}. {reason.text}" for i, reason in enumerate(result.reasons, 1)]
    lines += ["", "Route:"]
    lines += [f"  {phase.phase}. {OPTION_LABELS[phase.option]} - {phase.title} ({phase.trigger})"
              for phase in result.roadmap]
    lines += ["", *_options(result), ""]
    lines.append(f"Break-even: cloud {_tokens(result.break_even_tokens_per_day.get('self_host_cloud'))}, "
                 f"on-prem {_tokens(result.break_even_tokens_per_day.get('self_host_on_prem'))} "
                 f"(now {_tokens(result.tokens_per_day)})")
    if result.sizing:
        s = result.sizing
        lines.append(f"Sizing: {s.model} on {s.replicas} x {s.gpus_per_replica} {s.gpu} ({s.precision})")
    if result.pools:
        lines.append("Pools:")
        lines += [f"  {p.id}: {p.model} ({p.precision}) on {p.replicas} x {p.gpus_per_replica} {p.gpu}, "
                  f"{p.provider}{' ' + p.instance if p.instance else ''}, {p.utilisation:.0%} busy, "
                  f"{_usd(p.monthly_usd)}/month: {', '.join(p.workloads)}" for p in result.pools]
    lines += ["", *_readiness(result), "", *_ranges(result)]
    flips = [t for t in result.tipping_points if t.flips_at is not None]
    if flips:
        lines += ["", "Tipping points:"]
        lines += [f"  {t.label}: {t.current:,.2f} now, {t.flips_to} at {t.flips_at:,.2f} {t.unit}" for t in flips]
    if result.warnings:
        lines += ["", "Notes:", *(f"  - {w}" for w in result.warnings)]
    return "\n".join(lines)
