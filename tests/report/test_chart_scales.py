"""Readiness bars on a red-amber-green scale with its legend; tornado bars with their money at the ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.graphics.shapes import Rect

from app.domain.brand import BrandProfile
from app.engine.evaluate import evaluate
from app.report import charts
from app.report.formatting import Money
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "hospital-phi-on-prem.llmassess"


@pytest.fixture(scope="module")
def evaluated():
    assessment = load_assessment(EXAMPLE)
    return assessment, evaluate(assessment, load_catalogs())


def test_readiness_bands_cover_the_scale():
    assert [charts.readiness_band(s)[0] for s in (0, 39.9, 40, 69.9, 70, 100)] == [0, 0, 40, 40, 70, 70]


def test_readiness_bars_take_their_bands_colour_and_the_legend_names_them(evaluated):
    assessment, evaluation = evaluated
    svg = charts.chart_svg("readiness", evaluation, BrandProfile(), assessment.display).decode()
    for _low, name, colour in charts.READINESS_BANDS:
        assert name in svg
    drawing = charts.build_chart("readiness", evaluation, BrandProfile(), assessment.display)
    fills = {shape.fillColor.hexval() for shape in drawing.getContents()[0].contents if isinstance(shape, Rect)
             and shape.width > 9}  # the bars, not the legend's swatches
    scores = [s for s in evaluation.readiness.dimensions.values() if s is not None]
    assert fills == {charts.readiness_band(score)[2].hexval() for score in scores}


def test_tornado_ends_say_their_money(evaluated):
    assessment, evaluation = evaluated
    svg = charts.chart_svg("tornado", evaluation, BrandProfile(), assessment.display).decode()
    money = Money.from_display(assessment.display)
    assert evaluation.tornado
    for bar in evaluation.tornado:
        for saving in (bar.outcome_at_low, bar.outcome_at_high):
            assert f"{money.compact(saving)} (at " in svg.replace("&#8722;", "-"), (bar.label, saving)
