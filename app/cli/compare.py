"""`llm-advisor compare OLD NEW [--json] [-o REVIEW.pdf] [--brand B] [--no-encrypt] [--password-file F]`: this
quarter's assessment (NEW) beside last quarter's (OLD), each on the catalogs its results rest on.

With --json, exactly one JSON object on stdout (app/domain/comparison.py, docs/cli.md); without, a readable
summary. -o writes the "quarterly review" PDF (atomically); when OLD or NEW is password protected it is
encrypted with that password (NEW's first) unless --no-encrypt. An unreadable file: exit 2, one line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.cli.common import add_password_argument, open_assessment_and_password
from app.cli.evaluate import finite_json
from app.domain.comparison import ATTRIBUTION_STEPS, Comparison
from app.domain.evaluation import OPTION_LABELS

SUMMARY = "compare two assessments (last quarter's and this one's): what changed and why the costs moved"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("compare", help=SUMMARY, description=SUMMARY)
    parser.add_argument("old", type=Path, metavar="OLD", help="the earlier assessment (.llmassess)")
    parser.add_argument("new", type=Path, metavar="NEW", help="the later assessment (.llmassess)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("-o", "--output", type=Path, metavar="REVIEW.pdf", help="write the quarterly review PDF")
    parser.add_argument("--brand", type=Path, metavar="BRAND.yaml",
                        help="brand profile for the review (default: the saved one, else neutral)")
    parser.add_argument("--no-encrypt", action="store_true",
                        help="write a plain review PDF even when an assessment is password protected")
    add_password_argument(parser)
    parser.set_defaults(handler=handle)


def _open(path: Path, args: argparse.Namespace):
    return open_assessment_and_password(argparse.Namespace(file=path, password_file=args.password_file))


def handle(args: argparse.Namespace) -> int:
    from app.engine.compare import compare
    from app.storage.catalogs import catalogs_for

    old, old_password = _open(args.old, args)
    new, new_password = _open(args.new, args)
    comparison = compare(old, catalogs_for(old), new, catalogs_for(new))
    # Everything that can fail comes first: a failure prints one line and nothing else.
    text = finite_json(comparison.model_dump(mode="json")) if args.json else summary(comparison)
    wrote = _write_review(args, old, new, comparison, new_password or old_password) if args.output else ""
    print(text)
    if wrote:
        print(wrote, file=sys.stderr if args.json else sys.stdout)  # with --json, stdout holds the JSON alone
    return 0


def _write_review(args: argparse.Namespace, old, new, comparison: Comparison, password: str | None) -> str:
    from app.report.review import build_review
    from app.storage.brand import load_brand
    from app.storage.catalogs import catalogs_for

    password = None if args.no_encrypt else password
    path = build_review(old, new, comparison, load_brand(args.brand), args.output, password=password,
                        assumptions=catalogs_for(new).pricing.assumptions)
    return f"wrote {path}{' (AES-256 encrypted)' if password else ''}"


def _usd(value: float) -> str:
    return f"${value:,.0f}"


def _share(value: float | None) -> str:
    return "none" if value is None else f"{value:.0%}"


def _signed(value: float) -> str:
    return f"{'+' if value >= 0 else '-'}${abs(value):,.0f}"


def summary(c: Comparison) -> str:
    lines = [f"Recommendation: {c.recommendation.old} -> {c.recommendation.new}",
             f"Confidence: {_share(c.confidence.old)} -> {_share(c.confidence.new)}", "",
             f"  {'option':<24}{'monthly (old)':>15}{'monthly (new)':>15}{'NPV (old)':>15}{'NPV (new)':>15}"]
    lines += [f"  {OPTION_LABELS[o]:<24}{_usd(m.old_monthly_usd):>15}{_usd(m.new_monthly_usd):>15}"
              f"{_usd(m.old_npv_usd):>15}{_usd(m.new_npv_usd):>15}" for o, m in c.options.items()]
    a = c.attribution_usd
    lines += ["", f"Monthly cost change of {OPTION_LABELS[c.attribution_option]}: {_signed(a.total)}",
              *(f"  {step:<12}{_signed(getattr(a, step)):>12}" for step in ATTRIBUTION_STEPS), ""]
    lines.append(f"Changed answers ({len(c.changed_answers)}):")
    lines += [f"  {x.workload + ': ' if x.workload else ''}{x.question}: {json.dumps(x.old)} -> {json.dumps(x.new)}"
              for x in c.changed_answers]
    lines.append(f"Changed assumptions ({len(c.changed_assumptions)}):")
    lines += [f"  {x.id}: {x.old} -> {x.new}" for x in c.changed_assumptions]
    lines.append(f"Changed catalog prices ({len(c.changed_prices)}):")
    lines += [f"  {x.catalog} {x.id} {x.field}: {x.old} -> {x.new}" for x in c.changed_prices]
    return "\n".join(lines)
