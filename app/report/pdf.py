"""`build_report`: the one way a PDF report is made (the CLI's `report` and the desktop app's Export).

The PDF is built in memory and written with one atomic rename, so a failure at any step leaves no file,
or the previous report untouched. Encryption is AES-256 through pypdf (reportlab's own is RC4)."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Callable

from app import APP_NAME, __version__
from app.domain.assessment import Assessment
from app.domain.brand import BrandProfile
from app.domain.catalogs import Catalogs
from app.domain.errors import AdvisorError, ReportError
from app.domain.evaluation import Evaluation
from app.report.facts import gather
from app.report.layout import PageDecor, ReportDocument, make_styles
from app.report.logo import Logo
from app.report.markup import missing_glyphs
from app.report.plan_rows import latency_targets
from app.report.sections import Inputs, story
from app.storage.atomic import atomic_write_bytes

Progress = Callable[[float, str], None]
Warn = Callable[[str], None]
log = logging.getLogger(__name__)
# Passes over the layout: the table of contents and "page X of Y" settle in two or three.
MAX_LAYOUT_PASSES = 6
MISSING_SHOWN = 10  # characters named in the warning


def _no_progress(fraction: float, message: str) -> None:
    """Default progress callback: nobody is watching."""


def build_report(assessment: Assessment, evaluation: Evaluation, brand: BrandProfile, out_path: Path, *,
                 draft: bool = False, deterministic: bool = False, password: str | None = None,
                 progress: Progress | None = None, warn: Warn | None = None,
                 catalogs: Catalogs | None = None) -> Path:
    """Write the PDF report to out_path atomically and return the path. ReportError on failure; `warn` gets
    each warning (a character no bundled font can draw), by default the log. `catalogs`: the ones the caller
    evaluated against, so they are not loaded again (default: the assessment's own)."""
    progress = progress or _no_progress
    out_path = Path(out_path)
    progress(0.05, "Gathering results")
    try:
        data = render_pdf(assessment, evaluation, brand, draft=draft, deterministic=deterministic,
                          progress=progress, warn=warn or log.warning, catalogs=catalogs)
        if password is not None:
            progress(0.9, "Encrypting")
            data = encrypt_pdf(data, password)
    except AdvisorError:
        raise
    except Exception as error:  # a layout bug must reach the user as one message, not a traceback
        raise ReportError(f"the report could not be laid out ({type(error).__name__}: {error})") from error
    progress(0.95, "Saving")
    try:
        atomic_write_bytes(out_path, data)
    except OSError as error:
        raise ReportError(f"cannot write {out_path} ({error.strerror or error})") from None
    progress(1.0, "Done")
    return out_path


def render_pdf(assessment: Assessment, evaluation: Evaluation, brand: BrandProfile, *, draft: bool = False,
               deterministic: bool = False, progress: Progress = _no_progress, warn: Warn = log.warning,
               catalogs: Catalogs | None = None) -> bytes:
    """The report as PDF bytes (unencrypted)."""
    with missing_glyphs() as missing:
        data = _layout(assessment, evaluation, brand, draft, deterministic, progress, catalogs)
    if missing:
        shown = " ".join(f"{c} (U+{ord(c):04X})" for c in sorted(missing)[:MISSING_SHOWN])
        more = f" and {len(missing) - MISSING_SHOWN} more" if len(missing) > MISSING_SHOWN else ""
        warn(f"{len(missing)} character(s) in the report have no glyph in any bundled font and print as a "
             f"box: {shown}{more}")
    return data


def _layout(assessment: Assessment, evaluation: Evaluation, brand: BrandProfile, draft: bool, deterministic: bool,
            progress: Progress, catalogs: Catalogs | None) -> bytes:
    facts = gather(assessment, evaluation, catalogs)
    styles = make_styles(brand)
    logo = Logo(brand.logo_path, styles.fonts.regular) if brand.logo_path is not None else None
    inputs = Inputs(facts, evaluation, brand, assessment.display, styles, logo, latency_targets(assessment))
    progress(0.15, "Writing the narrative and charts")
    flowables = story(inputs)
    buffer = io.BytesIO()
    engagement = facts.engagement
    decor = PageDecor(styles, brand, logo, engagement.client_name, draft)
    document = ReportDocument(
        buffer, decor, invariant=1 if deterministic else 0,
        title=f"{engagement.title}: {engagement.client_name}",
        author=" · ".join(p for p in (engagement.consultant, brand.consultancy_name) if p),
        subject=f"LLM deployment recommendation: {facts.recommendation}",
        creator=f"{APP_NAME} {__version__}", keywords=["LLM", "deployment", "recommendation"],
    )
    progress(0.3, "Laying out pages")
    document.multiBuild(flowables, maxPasses=MAX_LAYOUT_PASSES)
    if not document.pages_consistent:
        raise ReportError("the page count did not settle while laying out the report")
    return buffer.getvalue()


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """AES-256 (PDF 2.0 / R6) with the given password; metadata kept."""
    if not password:
        raise ReportError("an empty password cannot protect a report")
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
