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


def test_readiness_bands_meet_at_the_engines_threshold(evaluated):
    _assessment, evaluation = evaluated
    ready = next(a.value for a in evaluation.assumptions if a.id == "readiness_self_host_min")
    bands = charts.readiness_bands(evaluation)
    assert bands[-1][0] == ready and bands[0][0] == 0 < bands[1][0] < ready
    assert [charts.readiness_band(s, bands) for s in (0, bands[1][0] - 0.1, bands[1][0], ready - 0.1, ready, 100)] \
        == [bands[0], bands[0], bands[1], bands[1], bands[2], bands[2]]


def test_readiness_bars_take_their_bands_colour_and_the_legend_names_them(evaluated):
    assessment, evaluation = evaluated
    svg = charts.chart_svg("readiness", evaluation, BrandProfile(), assessment.display).decode()
    bands = charts.readiness_bands(evaluation)
    for _low, name, _colour in bands:
        assert name in svg
    drawing = charts.build_chart("readiness", evaluation, BrandProfile(), assessment.display)
    fills = {shape.fillColor.hexval() for shape in drawing.getContents()[0].contents if isinstance(shape, Rect)
             and shape.width > 9}  # the bars, not the legend's swatches
    scores = [s for s in evaluation.readiness.dimensions.values() if s is not None]
    assert fills == {charts.readiness_band(score, bands)[2].hexval() for score in scores}


def test_tornado_ends_say_their_money(evaluated):
    assessment, evaluation = evaluated
    svg = charts.chart_svg("tornado", evaluation, BrandProfile(), assessment.display).decode()
    money = Money.from_display(assessment.display)
    assert evaluation.tornado
    for bar in evaluation.tornado:
        for saving in (bar.outcome_at_low, bar.outcome_at_high):
            assert f"{money.compact(saving)} (at " in svg.replace("&#8722;", "-"), (bar.label, saving)
