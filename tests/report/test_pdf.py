"""The PDF as a reader gets it: content, structure, fonts, metadata, determinism, encryption, atomic
writes. Text is checked through extraction (pypdf), as rst2pdf's tests do."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.domain.errors import ReportError
from app.report import pdf as pdf_module
from app.report.formatting import Money
from app.report.pdf import build_report


def test_text_shows_client_recommendation_costs_and_assumptions(report_bytes, evaluation, text_of):
    text = text_of(report_bytes)
    assert "Harbour Bank plc" in text
    assert "We recommend Self-hosted (cloud)" in text
    # 12,345.50 USD a month rounds half-up to $12,346 (the presentation rule), never $12,345.
    assert "$12,346" in text and "$12,345 " not in text
    money = Money()
    for option in evaluation.options.values():
        assert money.amount(option.monthly_usd) in text
        assert money.amount(option.horizon_usd) in text
    for assumption in evaluation.assumptions:
        assert assumption.label in text
    assert "Client measured 3% retries over 90 days" in text  # the override's reason


def test_reasons_show_what_they_rest_on(report_bytes, text_of):
    text = text_of(report_bytes)
    # ttft_target is a question id: resolved to its label and the answer given.
    assert "Rests on: Target time to first token: 40 ms" in text
    assert "GPU price per hour (L4, on demand) = $1.20/GPU-hour (assumption)" in text


def test_every_answer_appears_with_its_note_flag_and_confidence(assessment, evaluation, brand, tmp_path, text_of):
    workload = assessment.workloads[0]
    answers = dict(workload.answers)
    answers["requests_per_day"] = answers["requests_per_day"].model_copy(
        update={"note": "From the switch logs, week 38", "review": True})
    flagged = assessment.model_copy(update={"workloads": [workload.model_copy(update={"answers": answers})]})
    out = build_report(flagged, evaluation, brand, tmp_path / "r.pdf")
    text = text_of(out.read_bytes())
    assert "From the switch logs, week 38" in text
    assert re.search(r"Requests per day 400,000 requests/day From the switch logs, week 38 stated review", text)


def test_page_count_is_in_the_expected_range(report_bytes):
    assert 12 <= len(PdfReader(io.BytesIO(report_bytes)).pages) <= 22


def test_every_page_has_header_footer_and_page_x_of_y(report_bytes, pages_of):
    pages = pages_of(report_bytes)
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {len(pages)}" in page
        assert "Garnet Grid Advisory" in page
    for page in pages[1:]:
        assert "Harbour Bank plc · Confidential" in page


def test_sections_come_in_order_with_outline_and_contents(report_bytes, pages_of):
    order = ["Executive summary", "Recommendation and rationale", "Costs", "Hardware and serving", "Readiness",
             "Risks and mitigations", "Appendix A: Assumptions", "Appendix B: Answers", "Appendix C: Methodology"]
    reader = PdfReader(io.BytesIO(report_bytes))
    top_level = [item for item in reader.outline if not isinstance(item, list)]
    # Titles state each section's finding after its name ("Costs: API is the cheapest ...").
    assert [item.title.split(":")[0] if item.title.split(":")[0] in order else item.title
            for item in top_level] == order
    pages = [reader.get_destination_page_number(item) for item in top_level]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)  # each section starts a page
    contents = pages_of(report_bytes)[1]
    assert "Contents" in contents and all(title in contents for title in order)
    assert all(item.title in " ".join(contents.split()) for item in top_level)


def test_executive_summary_fits_on_one_page(report_bytes, pages_of):
    pages = pages_of(report_bytes)
    summary = [i for i, page in enumerate(pages) if "Executive summary" in page and "Main risk" in page]
    assert len(summary) == 1
    assert "Next step" in pages[summary[0]] and "Recommendation and rationale" not in pages[summary[0]].split(
        "Next step")[1]


def test_risks_cover_the_seed_themes(report_bytes, text_of):
    text = text_of(report_bytes)
    for theme in ("GPU failure modes", "Evaluation burden", "Model churn", "Security and compliance",
                  "Volume overestimation"):
        assert theme in text


def test_metadata_is_set(report_bytes):
    info = PdfReader(io.BytesIO(report_bytes)).metadata
    assert info.title == "Real-time payment message screening: Harbour Bank plc"
    assert "Garnet Grid Advisory" in info.author and "Dana Whitfield" in info.author
    assert info.subject == "LLM deployment recommendation: Self-hosted (cloud)"


def _fonts(reader: PdfReader):
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            yield font.get_object()


def test_every_font_is_embedded(report_bytes):
    fonts = list(_fonts(PdfReader(io.BytesIO(report_bytes))))
    assert fonts
    names = set()
    for font in fonts:
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert descriptor is not None, f"{font.get('/BaseFont')} is not embedded (a standard font)"
        descriptor = descriptor.get_object()
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
        names.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"Lato-Regular", "Lato-Bold"} <= names


def test_deterministic_mode_gives_identical_bytes(assessment, evaluation, brand, tmp_path, report_bytes):
    again = build_report(assessment, evaluation, brand, tmp_path / "again.pdf", deterministic=True)
    assert again.read_bytes() == report_bytes


def test_non_deterministic_mode_dates_the_file(assessment, evaluation, brand, tmp_path, report_bytes):
    normal = build_report(assessment, evaluation, brand, tmp_path / "normal.pdf").read_bytes()
    assert normal != report_bytes  # a real creation date, not the invariant one


def test_encrypted_report_opens_only_with_its_password_and_uses_aes_256(assessment, evaluation, brand, tmp_path,
                                                                          text_of):
    out = build_report(assessment, evaluation, brand, tmp_path / "secret.pdf", password="correct horse")
    data = out.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"].get_object()
    assert encrypt["/V"] == 5 and encrypt["/R"] == 6  # PDF 2.0 AES-256, not RC4
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    assert not PdfReader(io.BytesIO(data)).decrypt("wrong")
    assert "Harbour Bank plc" not in data.decode("latin-1")
    assert "Harbour Bank plc" in text_of(data, password="correct horse")


def test_empty_password_is_refused(assessment, evaluation, brand, tmp_path):
    with pytest.raises(ReportError, match="empty password"):
        build_report(assessment, evaluation, brand, tmp_path / "x.pdf", password="")
    assert not (tmp_path / "x.pdf").exists()


def test_failure_while_building_leaves_no_pdf_and_keeps_the_old_one(assessment, evaluation, brand, tmp_path,
                                                                     monkeypatch):
    out = tmp_path / "report.pdf"
    out.write_bytes(b"previous report")

    def broken_story(inputs):
        raise RuntimeError("layout exploded")

    monkeypatch.setattr(pdf_module, "story", broken_story)
    with pytest.raises(ReportError, match="layout exploded"):
        build_report(assessment, evaluation, brand, out)
    assert out.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]  # no temp file left behind
    with pytest.raises(ReportError):
        build_report(assessment, evaluation, brand, tmp_path / "new.pdf")
    assert not (tmp_path / "new.pdf").exists()


def test_unwritable_destination_is_one_report_error(assessment, evaluation, brand, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(ReportError, match="cannot write"):
        build_report(assessment, evaluation, brand, blocker / "report.pdf")


def test_progress_is_reported_from_start_to_done(assessment, evaluation, brand, tmp_path):
    seen = []
    build_report(assessment, evaluation, brand, tmp_path / "p.pdf", progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(seen) >= 4


def test_draft_is_watermarked_on_every_page(assessment, evaluation, brand, tmp_path, pages_of, report_bytes):
    draft = build_report(assessment, evaluation, brand, tmp_path / "d.pdf", draft=True).read_bytes()
    assert all("DRAFT" in page for page in pages_of(draft))
    assert not any("DRAFT" in page for page in pages_of(report_bytes))
