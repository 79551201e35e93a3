"""The screen half of "one chart definition, two surfaces": QtSvg draws chart_svg as it is on paper. With
reportlab's <clipPath> left in, QtSvg paints a black box; this test catches it coming back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from app.report import charts


def _pixels(svg: bytes, step: int) -> list[QColor]:
    """QtSvg's rendering of the SVG on white, sampled every `step` pixels."""
    renderer = QSvgRenderer(QByteArray(svg))
    assert renderer.isValid()
    size = renderer.defaultSize()
    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return [image.pixelColor(x, y) for x in range(0, size.width(), step) for y in range(0, size.height(), step)]


def _dark_share(pixels: list[QColor]) -> float:
    return sum(1 for p in pixels if p.lightness() < 40) / len(pixels)


@pytest.mark.parametrize("chart_id", charts.CHART_IDS)
def test_qt_draws_the_chart_on_a_mostly_white_image(chart_id, evaluation, brand, qapp):
    pixels = _pixels(charts.chart_svg(chart_id, evaluation, brand), step=7)
    assert _dark_share(pixels) < 0.2, "QtSvg painted a black box"
    assert len({p.name() for p in pixels}) > 3, "nothing was drawn"


def test_real_cost_curves_are_lines_not_black_polygons(example_paths, brand, qapp):
    # reportlab writes `fill: None`; QtSvg took that for a fill and painted each curve's area black.
    from app.engine.evaluate import evaluate
    from app.storage.assessment_files import load_assessment
    from app.storage.catalogs import catalogs_for

    assessment = load_assessment(next(p for p in example_paths if "midsize" in p.name))
    evaluation = evaluate(assessment, catalogs_for(assessment))
    assert _dark_share(_pixels(charts.chart_svg("cost_curve", evaluation, brand), step=3)) < 0.03


@pytest.mark.parametrize("chart_id", charts.CHART_IDS)
def test_svg_names_font_families_qt_can_match(chart_id, evaluation, brand):
    # reportlab writes a face name ("Lato-Bold"); Qt matches a family plus weight ("Lato", bold).
    svg = charts.chart_svg(chart_id, evaluation, brand).decode("utf-8")
    assert "-Bold" not in svg and "-Italic" not in svg
