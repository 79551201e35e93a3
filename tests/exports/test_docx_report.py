"""The Word report: opens with python-docx, its headings are the PDF's sections (named Heading styles), its
tables hold the PDF's figures, LibreOffice converts it to PDF; a consultancy's template is filled sandboxed
and a bad one is refused with one message."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pdfplumber
import pytest
from pypdf import PdfReader

from app.domain.brand import BrandProfile
from app.domain.errors import ReportError
from app.engine.evaluate import evaluate
from app.report.docx_report import build_docx
from app.report.pdf import render_pdf
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import catalogs_for
from tests.exports.libreoffice import convert

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hospital-phi-on-prem.llmassess"


@pytest.fixture(scope="module")
def exported():
    assessment = load_assessment(EXAMPLE)
    evaluation = evaluate(assessment, catalogs_for(assessment))
    brand = BrandProfile(primary_colour="#114477")
    return assessment, evaluation, build_docx(assessment, evaluation, brand), render_pdf(assessment, evaluation, brand)


def _headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _cells(document) -> set[str]:
    return {cell.text for table in document.tables for row in table.rows for cell in row.cells}


def test_headings_are_the_pdfs_sections(exported):
    _, _, data, pdf = exported
    document = docx.Document(io.BytesIO(data))
    outline = [item.title for item in PdfReader(io.BytesIO(pdf)).outline if not isinstance(item, list)]
    sections = [title for title in outline if title not in ("Contents",)]
    assert _headings(document, 1) == sections
    assert "Serving pools" in _headings(document, 2) and "Money over time" in _headings(document, 2)


def test_tables_hold_the_pdfs_figures(exported):
    _, evaluation, data, pdf = exported
    document = docx.Document(io.BytesIO(data))
    cells = _cells(document)
    with pdfplumber.open(io.BytesIO(pdf)) as report:
        pdf_text = "\n".join(page.extract_text() or "" for page in report.pages)
    headers = {tuple(c.text for c in t.rows[0].cells) for t in document.tables}
    assert ("Item", "Quantity x rate", "Monthly", "One-time", "Rests on") in headers  # line items
    assert any(h[:3] == ("Pool", "Model", "Replicas x GPUs") for h in headers)  # pools
    assert any(h[:2] == ("Assumption", "Value") for h in headers)  # assumptions
    assert any(h[0] == "Option" and "NPV" in h for h in headers)  # cash flow
    on_prem = evaluation.options["self_host_on_prem"]
    figures = [f"${on_prem.monthly_usd:,.0f}", f"${on_prem.horizon_usd:,.0f}", f"${on_prem.npv_usd:,.0f}"]
    figures += [f"${c.usd:,.0f}" for c in on_prem.cash_flow_by_year]
    for figure in figures:
        assert figure in cells, figure
        assert figure in pdf_text, figure


def test_libreoffice_converts_it_to_pdf(exported, tmp_path):
    _, _, data, _ = exported
    (tmp_path / "report.docx").write_bytes(data)
    pdf = convert(tmp_path / "report.docx", "pdf", tmp_path)
    assert len(PdfReader(pdf).pages) > 5


def _template(tmp_path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    path = tmp_path / "house.docx"
    document.save(path)
    return path


def test_a_consultancy_template_is_filled_and_the_report_follows(exported, tmp_path):
    assessment, evaluation, _, _ = exported
    brand = BrandProfile(docx_template=_template(tmp_path, "Prepared for {{ client_name }} by {{ consultancy_name }}"))
    document = docx.Document(io.BytesIO(build_docx(assessment, evaluation, brand)))
    assert document.paragraphs[0].text == "Prepared for St Aldhelm University Hospital by Independent advisory"
    assert _headings(document, 1)[0].startswith("Executive summary")


@pytest.mark.parametrize("text", ["{{ ''.__class__.__mro__[1].__subclasses__() }}", "{% for x in %}"])
def test_a_bad_or_unsafe_template_is_refused_with_one_message(exported, tmp_path, text):
    assessment, evaluation, _, _ = exported
    brand = BrandProfile(docx_template=_template(tmp_path, text))
    with pytest.raises(ReportError, match="the Word template house.docx could not be used"):
        build_docx(assessment, evaluation, brand)
