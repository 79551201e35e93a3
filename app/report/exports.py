"""One way to export an assessment as an Excel model, a Word report or CSV files (the CLI's `export` and
the app's File > Export): evaluated once, built in memory, then written atomically, so a failure at any
step writes nothing. A protected assessment's XLSX and DOCX are Office-encrypted (msoffcrypto-tool, Agile
encryption: readable only with the password); CSV cannot be encrypted, so it is written for a protected
assessment only when the caller says so (`plain_csv_ok`)."""

from __future__ import annotations

import io
from pathlib import Path

from app.domain.assessment import Assessment
from app.domain.brand import BrandProfile
from app.domain.catalogs import Catalogs
from app.domain.errors import AdvisorError, ReportError
from app.storage.atomic import atomic_write_bytes

FORMATS = ("xlsx", "docx", "csv")


def encrypt_office(data: bytes, password: str) -> bytes:
    """An OOXML file (xlsx, docx) encrypted with the password (ECMA-376 Agile, AES-256)."""
    if not password:
        raise ReportError("an empty password cannot protect an export")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def render(assessment: Assessment, catalogs: Catalogs, fmt: str, brand: BrandProfile) -> dict[str, bytes] | bytes:
    """The export's bytes (csv: file name -> bytes), from one evaluation."""
    from app.engine.evaluate import evaluate, evaluate_core, scenario_results
    from app.engine.scenario import build_context

    cache: dict = {}
    if fmt == "xlsx":
        from app.report.plan_years import yearly_items
        from app.report.xlsx_model import build_xlsx

        ctx = build_context(assessment, catalogs, cache)
        # The core figures the formulas reproduce, and the what-if scenarios for their own sheet.
        evaluation = evaluate_core(assessment, catalogs, cache).model_copy(
            update={"scenarios": scenario_results(assessment, catalogs, cache)})
        return build_xlsx(assessment, evaluation, yearly_items(ctx), catalogs)
    if fmt == "docx":
        from app.report.docx_report import build_docx

        return build_docx(assessment, evaluate(assessment, catalogs, cache), brand, catalogs)
    if fmt == "csv":
        from app.report.csv_export import csv_files

        return csv_files(evaluate_core(assessment, catalogs, cache))
    raise ReportError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")


def export(assessment: Assessment, catalogs: Catalogs, fmt: str, out: Path, brand: BrandProfile, *,
           password: str | None = None, plain_csv_ok: bool = False) -> list[Path]:
    """Write the export (for csv, `out` is a folder) and return the files written. AdvisorError, with
    nothing written, on any failure."""
    out = Path(out)
    if fmt == "csv" and password is not None and not plain_csv_ok:
        raise ReportError("the assessment is password protected and CSV cannot be encrypted; pass --no-encrypt "
                          "to write plain CSV files")
    if fmt == "csv" and out.exists() and not out.is_dir():
        raise ReportError(f"{out} is a file; for csv, -o names a folder")
    try:
        data = render(assessment, catalogs, fmt, brand)
        if fmt != "csv" and password is not None:
            data = encrypt_office(data, password)
    except AdvisorError:
        raise
    except Exception as error:  # a bug in a builder reaches the user as one message, and nothing is written
        raise ReportError(f"the {fmt} export could not be built ({type(error).__name__}: {error})") from error
    files = {out / name: content for name, content in data.items()} if fmt == "csv" else {out: data}
    try:
        if fmt == "csv":
            out.mkdir(parents=True, exist_ok=True)
        for path, content in files.items():
            atomic_write_bytes(path, content)
    except OSError as error:
        raise ReportError(f"cannot write {out} ({error.strerror or error})") from None
    return list(files)
