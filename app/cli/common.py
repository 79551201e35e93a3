"""What the headless subcommands share: opening an assessment file given on the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.domain.assessment import Assessment
from app.storage.assessment_files import load_assessment


def add_file_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="assessment file (.llmassess)")


def open_assessment(args: argparse.Namespace) -> Assessment:
    """Load the assessment named by args.file; AssessmentFileError reaches the dispatcher (exit 2)."""
    return load_assessment(args.file)
