"""`llm-advisor validate FILE`: exit 0 and a one-line summary when valid, exit 2 and one clear message
when not."""

from __future__ import annotations

import argparse

from app.cli.common import add_file_argument, add_password_argument, open_assessment
from app.engine.answers import progress
from app.storage.assessment_files import engagement_summary

SUMMARY = "check an assessment file and say how complete it is"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("validate", help=SUMMARY, description=SUMMARY)
    add_file_argument(parser)
    add_password_argument(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    assessment = open_assessment(args)
    state = progress(assessment)
    client = engagement_summary(assessment).get("client_name") or "no client named"
    workloads = len(assessment.workloads)
    print(f"{args.file.name}: valid (format {assessment.format_version}, {client}, "
          f"{workloads} workload{'s' if workloads != 1 else ''}, {state.percent}% answered, "
          f"{state.required_answered}/{state.required_total} required answers)")
    return 0
