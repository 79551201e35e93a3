"""Client text is data, never markup or template: whatever a consultant types comes out as typed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.assessment import Answer
from app.domain.evaluation import Reason
from app.report.fonts import font_set
from app.report.markup import user_markup
from app.report.pdf import build_report

HOSTILE = ["ACME <Ltd> & Co", "R&D; AT&T", "an unclosed <b>bold", "<img src=\"http://example.invalid/x.png\"/>",
           "{{ 7*7 }}", "{% raw %}", "Société Générale – Zürich, Ærø", "&amp; stays &amp;"]
LONG_NOTE = ("Interview notes, paragraph after paragraph. " * 120)[:5000]


def _hostile(assessment, client: str, note: str = ""):
    answers = dict(assessment.organisation_answers)
    answers["client_name"] = Answer(value=client)
    answers["engagement_title"] = Answer(value="Review <i>of</i> {{ title }} & more")
    answers["client_contact"] = Answer(value="Jo <Admin>", note=note)
    return assessment.model_copy(update={"organisation_answers": answers})


@pytest.mark.parametrize("typed", HOSTILE)
def test_user_markup_escapes_and_keeps_the_text(typed):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    fonts = font_set("Lato")
    paragraph = Paragraph(user_markup(typed, fonts), ParagraphStyle("t", fontName=fonts.regular))
    assert paragraph.getPlainText() == typed


def test_hostile_text_comes_out_as_typed_in_the_pdf(assessment, evaluation, brand, tmp_path, text_of, monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("the report must never fetch anything")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    reasons = tuple(Reason(text=t, rests_on=(), strength=0.9 - i / 100) for i, t in enumerate(HOSTILE))
    hostile_evaluation = evaluation.model_copy(update={"reasons": reasons})
    out = build_report(_hostile(assessment, "ACME <Ltd> & Co", LONG_NOTE), hostile_evaluation, brand,
                       tmp_path / "hostile.pdf")
    text = text_of(out.read_bytes())
    for typed in HOSTILE:
        assert typed in text, typed
    assert "ACME <Ltd> & Co · Confidential" in text
    assert "Review <i>of</i> {{ title }} & more" in text
    assert "49" not in text.split("{{ 7*7 }}")[0][-5:]  # never evaluated
    # The 5,000-character note, whole: it splits across pages, so headers and footers come between its
    # lines; every word is there, and so is its end.
    for word in ("Interview", "paragraph"):
        assert text.count(word) == LONG_NOTE.count(word)
    assert " ".join(LONG_NOTE.split()[-6:]) in text


def test_right_to_left_and_emoji_stay_extractable(assessment, evaluation, brand, tmp_path):
    # reportlab does not shape right-to-left scripts or draw colour emoji: the fallback font (DejaVu Sans)
    # draws the characters in logical order, unshaped, and monochrome; the text layer keeps them as typed.
    import pdfplumber

    client = "مستشفى الشفاء שלום Clinic 😀 ✓"
    out = build_report(_hostile(assessment, client), evaluation, brand, tmp_path / "rtl.pdf")
    with pdfplumber.open(out) as document:
        cover = document.pages[0].extract_text()
    assert client in cover


def test_fallback_font_is_used_only_for_characters_the_brand_font_lacks():
    fonts = font_set("Lato")
    assert user_markup("Zürich", fonts) == "Zürich"
    assert user_markup("a ✓ b", fonts) == 'a <font face="DejaVuSans">✓</font> b'
    assert user_markup("北京 Ltd", fonts) == '<font face="DroidSansFallbackCJK">北京</font> Ltd'
    assert user_markup("line one\nline two", fonts) == "line one<br/>line two"
    assert user_markup("bell\x07", fonts) == "bell"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=80))
def test_any_typed_text_survives_the_markup_parser(typed):
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    fonts = font_set("Lato")
    paragraph = Paragraph(user_markup(typed, fonts), ParagraphStyle("t", fontName=fonts.regular))
    # The parser folds runs of whitespace as HTML does; every other character survives as typed.
    assert " ".join(paragraph.getPlainText().split()) == " ".join(typed.split())


def test_chinese_client_names_print_in_the_bundled_cjk_font(assessment, evaluation, brand, tmp_path, text_of):
    """"北京协和医院" was dropped from the PDF: no bundled font had the characters."""
    warnings = []
    out = build_report(_hostile(assessment, "北京协和医院"), evaluation, brand, tmp_path / "cjk.pdf",
                       warn=warnings.append)
    data = out.read_bytes()
    assert "北京协和医院" in text_of(data)
    assert b"+DroidSansFallback" in data and not warnings  # embedded, and nothing was missing


def test_a_character_no_bundled_font_has_is_warned_about(assessment, evaluation, brand, tmp_path,
                                                                   text_of):
    # Hangul is in none of the bundled fonts (Droid Sans Fallback has no Hangul), nor is the flamingo emoji.
    warnings = []
    out = build_report(_hostile(assessment, "서울 Clinic 🦩"), evaluation, brand, tmp_path / "missing.pdf",
                       warn=warnings.append)
    assert len(warnings) == 1
    assert all(f"U+{ord(c):04X}" in warnings[0] for c in "서울🦩") and warnings[0].startswith("3 character(s)")
    assert "Clinic" in text_of(out.read_bytes())


def test_a_500_character_client_name_is_shortened_in_the_running_header(assessment, evaluation, brand, tmp_path):
    import pdfplumber

    from app.report.layout import HEADER_HEIGHT, MARGIN

    client = ("Very Long Regional Health and Social Care Partnership Trust " * 10)[:500]
    out = build_report(_hostile(assessment, client), evaluation, brand, tmp_path / "long.pdf")
    with pdfplumber.open(out) as document:
        page = document.pages[3]
        header = [w for w in page.extract_words() if w["top"] < MARGIN + HEADER_HEIGHT]
        below = [w for w in page.extract_words() if w["top"] >= MARGIN + HEADER_HEIGHT]
    line = " ".join(w["text"] for w in header)
    assert "…" in line and "Confidential" in line and line.split()[-2] == "·"
    assert len({round(w["top"]) for w in header if w["x0"] > page.width / 2}) == 1  # one line, on the right
    assert "Partnership" not in " ".join(w["text"] for w in below[:5])  # nothing spills onto the page
