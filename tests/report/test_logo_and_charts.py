"""Logos in the PDF, and the charts: one definition, drawn in the PDF and as SVG for the screen."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from app.domain.assessment import DisplayPreferences
from app.domain.brand import BrandProfile
from app.report import charts
from app.report.pdf import build_report

from .test_brand import SVG, png_bytes


def test_png_logo_is_on_the_cover_and_in_every_header(assessment, evaluation, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes(40, 12))
    out = build_report(assessment, evaluation, BrandProfile(logo_path=logo), tmp_path / "r.pdf")
    for page in PdfReader(out).pages:
        images = [o for o in page["/Resources"].get("/XObject", {}).values() if o.get_object()["/Subtype"] == "/Image"]
        assert images, "every page shows the logo"


def test_svg_logo_is_drawn_as_vectors_with_its_text(assessment, evaluation, tmp_path, pages_of):
    logo = tmp_path / "logo.svg"
    logo.write_bytes(SVG)
    out = build_report(assessment, evaluation, BrandProfile(logo_path=logo), tmp_path / "r.pdf")
    pages = pages_of(out.read_bytes())
    assert all("Garnet" in page for page in pages)  # the SVG's own <text>, on the cover and in each header


def _strings(drawing) -> list[str]:
    found = []
    for node in drawing.getContents():
        if hasattr(node, "getContents"):
            found += _strings(node)
        elif hasattr(node, "text"):
            found.append(node.text)
    return found


def _shapes(drawing) -> list:
    found = []
    for node in drawing.getContents():
        found += _shapes(node) if hasattr(node, "getContents") else [node]
    return found


AXIS_TITLES = {
    "cost_comparison": ["Monthly cost (USD/month)"],
    "cost_curve": ["Monthly cost (USD/month)", "Volume (tokens/day, logarithmic scale)"],
    "uncertainty": ["Monthly cost (USD/month)"],
    "tornado": ["Monthly saving from self-hosting: API minus best self-hosted option (USD/month)"],
    "readiness": ["Readiness score (0-100)"],
    "memory": ["GPU memory (GiB)"],
    "scenarios": ["Monthly cost (USD/month)"],
}


@pytest.mark.parametrize("chart_id", charts.CHART_IDS)
def test_every_chart_labels_its_axes_with_units(chart_id, evaluation, brand):
    drawing = charts.build_chart(chart_id, evaluation, brand)
    strings = _strings(drawing)
    for title in AXIS_TITLES[chart_id]:
        assert title in strings


def test_cost_curve_marks_today_and_each_break_even(evaluation, brand):
    strings = _strings(charts.build_chart("cost_curve", evaluation, brand))
    assert "today: 144M/day" in strings
    assert "Self-hosted (cloud) break-even: 95M/day" in strings
    # On-prem has a break-even but no curve in this evaluation: no marker floating in the air.
    assert not any(s.startswith("Self-hosted (on-prem) break-even") for s in strings)


def test_charts_show_the_display_currency(evaluation, brand):
    euros = DisplayPreferences(currency="EUR", usd_to_currency_rate=0.5, rate_as_of="2026-11-01")
    strings = _strings(charts.build_chart("cost_comparison", evaluation, brand, euros))
    assert "Monthly cost (EUR/month)" in strings
    assert "€6,173" in strings  # 12,345.50 USD x 0.5 = 6,172.75 EUR, rounded half-up


@pytest.mark.parametrize("chart_id", charts.CHART_IDS)
def test_chart_svg_has_no_clip_path_and_parses(chart_id, evaluation, brand):
    svg = charts.chart_svg(chart_id, evaluation, brand)
    assert b"clipPath" not in svg and b"clip-path" not in svg
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert AXIS_TITLES[chart_id][0].encode() in svg


def test_charts_without_data_are_left_out(evaluation):
    bare = evaluation.model_copy(update={"sizing": None, "uncertainty": None, "tornado": (), "cost_curve": None})
    assert [c for c in charts.CHART_IDS if charts.has_chart(c, bare)] == ["cost_comparison", "readiness"]


def test_unknown_chart_id_names_the_known_ones(evaluation, brand):
    with pytest.raises(KeyError, match="cost_comparison"):
        charts.build_chart("pie", evaluation, brand)


def test_nice_ticks_cover_the_range_with_round_steps():
    assert charts.nice_ticks(0, 12_346) == [0, 2500, 5000, 7500, 10000, 12500]
    assert charts.nice_ticks(-1100, 2100) == [-2000, -1000, 0, 1000, 2000, 3000]


def test_report_without_optional_results_still_builds(assessment, evaluation, brand, tmp_path, text_of):
    bare = evaluation.model_copy(update={"sizing": None, "uncertainty": None, "tornado": (), "cost_curve": None,
                                         "tipping_points": (), "roadmap": (), "warnings": ()})
    text = text_of(build_report(assessment, bare, brand, tmp_path / "bare.pdf").read_bytes())
    assert "No self-hosted deployment is sized" in text
    assert "No phased route is needed" in text


def test_every_chart_and_the_tornado_show_the_display_currency(evaluation, brand):
    """The tornado's end labels printed a USD salary (220,000) in a report in euros."""
    euros = DisplayPreferences(currency="EUR", usd_to_currency_rate=0.5, rate_as_of="2026-11-01")
    for chart_id in ("cost_comparison", "cost_curve", "uncertainty", "tornado"):
        strings = _strings(charts.build_chart(chart_id, evaluation, brand, euros))
        assert not any("USD" in s or "$" in s for s in strings), chart_id
        assert any("€" in s or "EUR" in s for s in strings), chart_id
    tornado = _strings(charts.build_chart("tornado", evaluation, brand, euros))
    # Each end: the saving there, then the assumption's value that gives it, both in euros.
    assert any(s.endswith("(at €110k)") for s in tornado) and any(s.endswith("(at €170k)") for s in tornado)
    assert not any("220,000" in s for s in tornado)  # 220,000 and 340,000 USD a year at 0.5


def test_a_hybrid_line_identical_to_the_api_is_dashed_over_it_and_named(evaluation, brand):
    from reportlab.graphics.shapes import PolyLine

    curve = evaluation.cost_curve.model_copy(update={"monthly_usd": {
        **evaluation.cost_curve.monthly_usd, "hybrid": evaluation.cost_curve.monthly_usd["api"]}})
    drawing = charts.build_chart("cost_curve", evaluation.model_copy(update={"cost_curve": curve}), brand)
    assert "Hybrid (same as API)" in _strings(drawing)
    lines = [s for s in _shapes(drawing) if isinstance(s, PolyLine)]
    assert [bool(getattr(line, "strokeDashArray", None)) for line in lines].count(True) == 1
