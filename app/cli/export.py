"""`llm-advisor export FILE --format xlsx|docx|csv -o OUT [--brand BRAND.yaml] [--password-file F] [--no-encrypt]`.

The Excel model (live formulas), the Word report or the CSV files (OUT is then a folder) of an assessment.
Exit 0 and an atomic write, or exit 2, one `llm-advisor export: ...` line on stderr and nothing written.
A protected assessment's XLSX and DOCX are encrypted with its password (Office encryption) unless
--no-encrypt; its CSV is written only with --no-encrypt, since CSV cannot be encrypted."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import add_file_argument, add_password_argument, open_assessment_and_password

SUMMARY = "write the Excel model, the Word report or CSV files"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help=SUMMARY, description=SUMMARY)
    add_file_argument(parser)
    parser.add_argument("--format", required=True, choices=("xlsx", "docx", "csv"), help="what to write")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                        help="the file to write (for csv: a folder)")
    parser.add_argument("--brand", type=Path, metavar="BRAND.yaml",
                        help="brand profile for the Word report (default: the saved one, else neutral)")
    parser.add_argument("--no-encrypt", action="store_true",
                        help="write plain files even when the assessment is password protected")
    add_password_argument(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app.report.exports import export
    from app.storage.brand import load_brand
    from app.storage.catalogs import catalogs_for

    brand = load_brand(args.brand)
    assessment, password = open_assessment_and_password(args)
    if args.no_encrypt:
        password = None
    written = export(assessment, catalogs_for(assessment), args.format, args.output, brand, password=password,
                     plain_csv_ok=args.no_encrypt)
    protected = " (encrypted with the assessment's password)" if password else ""
    print(f"wrote {', '.join(str(p) for p in written)}{protected}")
    return 0
