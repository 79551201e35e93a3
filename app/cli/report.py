"""`llm-advisor report FILE -o OUT.pdf [--brand BRAND.yaml] [--draft] [--encrypt | --no-encrypt] [--password-file FILE]`.

The report of a password-protected assessment is an encrypted PDF, with the assessment's password,
unless --no-encrypt asks for a plain one: nothing derived from a protected file is left readable beside
it by default. --encrypt protects the report of a plain assessment (its password from --password-file or
a prompt).

The report stack (reportlab, jinja2) is imported inside the handler, so other commands and the GUI
start without it. A password never comes from the command line, where other users can read it: it comes
from --password-file (which also opens an encrypted assessment) or from a terminal prompt."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.cli.common import add_file_argument, add_password_argument, open_assessment_and_password, read_password_file
from app.domain.errors import ReportError

SUMMARY = "write the branded PDF recommendation report"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help=SUMMARY, description=SUMMARY)
    add_file_argument(parser)
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.pdf", help="the PDF to write")
    parser.add_argument("--brand", type=Path, metavar="BRAND.yaml",
                        help="brand profile (default: the one saved in the app's preferences, else neutral)")
    parser.add_argument("--draft", action="store_true", help="mark every page DRAFT")
    protection = parser.add_mutually_exclusive_group()
    protection.add_argument("--encrypt", action="store_true",
                            help="protect the PDF with AES-256; the password comes from --password-file or a "
                                 "prompt (the default for a protected assessment, with its password)")
    protection.add_argument("--no-encrypt", action="store_true",
                            help="write a plain PDF even when the assessment is password protected")
    add_password_argument(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app.engine.evaluate import evaluate
    from app.report.pdf import build_report
    from app.storage.brand import load_brand
    from app.storage.catalogs import catalogs_for

    password = _report_password(args) if args.encrypt else None
    brand = load_brand(args.brand)
    assessment, file_password = open_assessment_and_password(args)
    if password is None and not args.no_encrypt:
        password = file_password  # a protected assessment's report is protected too
    catalogs = catalogs_for(assessment)
    evaluation = evaluate(assessment, catalogs)
    path = build_report(assessment, evaluation, brand, args.output, draft=args.draft, password=password,
                        warn=lambda message: print(f"warning: {message}", file=sys.stderr), catalogs=catalogs)
    protected = " (AES-256 encrypted)" if password else ""
    print(f"wrote {path}{protected}")
    return 0


def _report_password(args: argparse.Namespace) -> str:
    """From --password-file, else asked twice at a terminal; with neither, ReportError (exit 2)."""
    if args.password_file is not None:
        password = read_password_file(args.password_file)
    elif sys.stdin.isatty():
        password = getpass.getpass("Password for the report: ")
        if getpass.getpass("Repeat the password: ") != password:
            raise ReportError("the two passwords differ; the report was not written")
    else:
        raise ReportError("--encrypt needs a password: give --password-file FILE, or run in a terminal to be asked")
    if not password:
        raise ReportError("the report password is empty; the report was not written")
    return password
