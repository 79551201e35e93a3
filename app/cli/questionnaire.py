"""`llm-advisor questionnaire check FILE`: validate a questionnaire file."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.storage.questionnaires import load_questionnaire

SUMMARY = "work with questionnaire files (check FILE)"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("questionnaire", help=SUMMARY, description=SUMMARY)
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="validate a questionnaire YAML file")
    check.add_argument("file", type=Path)
    check.set_defaults(handler=handle_check)


def handle_check(args: argparse.Namespace) -> int:
    questionnaire = load_questionnaire(args.file)
    questions = sum(len(s.questions) for s in questionnaire.sections)
    workload_sections = len(questionnaire.sections_in_scope("workload"))
    print(f"{args.file}: valid questionnaire '{questionnaire.id}' version {questionnaire.version}: "
          f"{len(questionnaire.sections)} sections ({workload_sections} per workload), {questions} questions, "
          f"{len(questionnaire.dimensions)} readiness dimensions")
    return 0
