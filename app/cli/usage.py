"""`llm-advisor usage summarize EXPORT... [--json]` and
`llm-advisor usage apply ASSESSMENT EXPORT... --map MODEL=WORKLOAD_ID ... -o OUT`.

Measured volume from provider usage exports (docs/usage-exports.md). An unreadable export is an
AdvisorError: the dispatcher prints `llm-advisor usage: ...` and exits 2."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from app.cli.common import read_password_file
from app.domain.errors import PasswordRequiredError
from app.domain.usage import UsageFigures, UsageSummary
from app.engine.usage import UsageMappingError, apply_measured, figures_for, summarize
from app.storage.assessment_files import load_assessment, read_file_bytes, save_assessment
from app.storage.crypto import is_encrypted
from app.storage.pricing_catalog import load_pricing_catalog
from app.storage.usage_exports import read_usage_exports

SUMMARY = "measured volume from provider usage exports: summarize, or apply to an assessment"
FIGURE_KEYS = ("days", "tokens_per_day", "input_tokens_per_day", "output_tokens_per_day", "cached_input_share",
               "requests_per_day", "peak_to_average_ratio", "growth_share_per_month")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("usage", help=SUMMARY, description=SUMMARY)
    commands = parser.add_subparsers(dest="usage_command", required=True, metavar="ACTION")
    summarize_parser = commands.add_parser("summarize", help="per-model and total figures of one or more exports")
    summarize_parser.add_argument("exports", nargs="+", type=Path, metavar="EXPORT")
    summarize_parser.add_argument("--json", action="store_true", help="print one JSON object")
    summarize_parser.set_defaults(handler=handle_summarize)
    apply_parser = commands.add_parser("apply", help="write measured volume answers into an assessment")
    apply_parser.add_argument("assessment", type=Path, metavar="ASSESSMENT")
    apply_parser.add_argument("exports", nargs="+", type=Path, metavar="EXPORT")
    apply_parser.add_argument("--map", action="append", required=True, metavar="MODEL=WORKLOAD_ID", dest="mapping",
                              help="feed the export's MODEL (verbatim) into workload WORKLOAD_ID; repeatable")
    apply_parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                              help="the assessment to write (may be ASSESSMENT itself)")
    apply_parser.add_argument("--password-file", type=Path, metavar="FILE",
                              help="password of an encrypted assessment (first line); the output is sealed with it")
    apply_parser.set_defaults(handler=handle_apply)


def _days_per_month() -> float:
    return load_pricing_catalog().assumptions["days_per_month"].default


def figures_json(figures: UsageFigures) -> dict:
    return {key: getattr(figures, key) for key in FIGURE_KEYS}


def summary_json(summary: UsageSummary) -> dict:
    """The `usage summarize --json` contract: exactly these keys."""
    return {"bucket_seconds": summary.bucket_seconds, "first_day": summary.first_day.isoformat(),
            "last_day": summary.last_day.isoformat(),
            "models": [{"model": m.model, **figures_json(m)} for m in summary.models],
            "total": figures_json(summary.total)}


def _number(value: float | None, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def summary_table(summary: UsageSummary) -> str:
    lines = [f"Usage {summary.first_day} to {summary.last_day}, buckets of {summary.bucket_seconds} s",
             f"  {'model':<40}{'days':>6}{'tokens/day':>16}{'input/day':>14}{'output/day':>14}{'cached':>8}"
             f"{'requests/day':>14}{'peak/avg':>10} {'growth/mo':>11}"]
    entries = [(m.model, m) for m in summary.models] + [("TOTAL", summary.total)]
    for name, f in entries:
        lines.append(f"  {name[:39]:<40}{f.days:>6}{_number(f.tokens_per_day):>16}{_number(f.input_tokens_per_day):>14}"
                     f"{_number(f.output_tokens_per_day):>14}{_share(f.cached_input_share):>8}"
                     f"{_number(f.requests_per_day, 1):>14}{_number(f.peak_to_average_ratio, 2):>10}"
                     f" {_share(f.growth_share_per_month):>11}")
    return "\n".join(lines)


def handle_summarize(args: argparse.Namespace) -> int:
    summary = summarize(read_usage_exports(args.exports), _days_per_month())
    print(json.dumps(summary_json(summary), indent=2) if args.json else summary_table(summary))
    return 0


def parse_mapping(entries: list[str]) -> dict[str, set[str]]:
    """['gpt-4o=chat', 'gpt-4o-mini=chat'] -> {'chat': {'gpt-4o', 'gpt-4o-mini'}}. A model string may hold '=',
    a workload id cannot: split at the last one."""
    by_workload: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        model, sep, workload_id = entry.rpartition("=")
        if not sep or not model or not workload_id:
            raise UsageMappingError(f"--map needs MODEL=WORKLOAD_ID, not '{entry}'")
        other = next((w for w, models in by_workload.items() if model in models and w != workload_id), None)
        if other is not None:
            raise UsageMappingError(f"model '{model}' is mapped to both '{other}' and '{workload_id}': its usage "
                                    "would be counted twice")
        by_workload[workload_id].add(model)
    return dict(by_workload)


def handle_apply(args: argparse.Namespace) -> int:
    password = read_password_file(args.password_file) if args.password_file else None
    encrypted = is_encrypted(read_file_bytes(args.assessment))
    if password is None and encrypted:
        raise PasswordRequiredError(f"{args.assessment.name} is encrypted: give its password with --password-file FILE")
    assessment = load_assessment(args.assessment, password=password)
    buckets = read_usage_exports(args.exports)
    days_per_month = _days_per_month()
    summary = summarize(buckets, days_per_month)
    known = {m.model for m in summary.models}
    for workload_id, models in parse_mapping(args.mapping).items():
        unknown = sorted(models - known)
        if unknown:
            raise UsageMappingError(f"model '{unknown[0]}' is not in the export (models: {', '.join(sorted(known))})")
        figures, first, last = figures_for(buckets, models, days_per_month)
        assessment = apply_measured(assessment, workload_id, figures, summary.bucket_seconds, (first, last), models)
        print(f"{workload_id}: {figures.tokens_per_day:,.0f} tokens/day measured over {figures.days} days "
              f"({first} to {last})")
    save_assessment(assessment, args.output, password=password if encrypted else None)
    print(f"wrote {args.output}")
    return 0
