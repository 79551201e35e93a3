"""The daily series of a usage export as a chart: tokens per UTC day, in total and for the busiest models.
Built with the report's chart parts (app.report.charts), so the usage dialog draws it through the same
SVG path as every other chart. It plots the figures app.engine.usage computed and derives none."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.shapes import Drawing, Group, PolyLine
from reportlab.lib.colors import Color, white

from app.domain.brand import BrandProfile
from app.domain.usage import UsageSummary
from app.report.charts import (CHART_WIDTH_PT, Plot, Scale, _drawing, _fit, _legend, _style, _x_axis, _y_axis,
                               drawing_svg, nice_ticks)
from app.report.colours import INK, mix

USAGE_CHART_TITLE = "Tokens per day"
MAX_MODEL_LINES = 4  # more lines than this cannot be told apart; the table lists every model
LEGEND_LABEL_PT = 120


def _day_ticks(first: date, last: date) -> list[float]:
    span = (last - first).days
    ticks = nice_ticks(0, max(span, 1), 6)
    return [t for t in ticks if 0 <= t <= span] or [0.0]


def _series_colours(primary: Color, accent: Color) -> list[Color]:
    return [accent, mix(primary, white, 0.45), mix(accent, white, 0.5), mix(primary, white, 0.7)]


def usage_chart(summary: UsageSummary, brand: BrandProfile) -> Drawing:
    style = _style(brand, None)
    drawing = _drawing(240, style)
    first, last = summary.first_day, summary.last_day
    series = [("Total", summary.total_daily_tokens, INK)]
    busiest = sorted(summary.models, key=lambda m: -m.tokens_per_day * m.days)[:MAX_MODEL_LINES]
    if len(summary.models) > 1:
        series += [(_fit(m.model, LEGEND_LABEL_PT, style), summary.daily_tokens[m.model], colour)
                   for m, colour in zip(busiest, _series_colours(style.primary, style.accent))]
    top = max([v for _, points, _ in series for _, v in points] + [1])
    y_ticks = nice_ticks(0, top * 1.05)
    plot = Plot(Scale(0, max((last - first).days, 1), 58, CHART_WIDTH_PT - 12), Scale(0, y_ticks[-1], 40, 205))
    group = Group()
    _y_axis(group, plot, y_ticks, style.tokens, "Tokens per day", style)
    _x_axis(group, plot, _day_ticks(first, last),
            lambda offset: date.fromordinal(first.toordinal() + int(offset)).strftime("%d %b"),
            f"UTC day, {first.isoformat()} to {last.isoformat()}", style)
    for _label, points, colour in series:
        coordinates = [c for day, value in points for c in (plot.x((day - first).days), plot.y(value))]
        if len(coordinates) == 2:  # one day: a short tick, so a single point is still visible
            coordinates += [coordinates[0] + 2, coordinates[1]]
        group.add(PolyLine(coordinates, strokeColor=colour, strokeWidth=1.8 if _label == "Total" else 1.2))
    _legend(group, [(label, colour) for label, _, colour in series], plot.left, plot.top + 14, style)
    drawing.add(group)
    return drawing


def usage_chart_svg(summary: UsageSummary, brand: BrandProfile) -> bytes:
    return drawing_svg(usage_chart(summary, brand))
