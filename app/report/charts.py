"""Every chart of the report, defined once as a reportlab.graphics Drawing built from an Evaluation and
the brand's colours. The PDF embeds the drawings as vectors; the desktop app shows the very same drawing
through `chart_svg` (QtSvg), so screen and paper agree. Axes carry their units.

The charts only read the Evaluation: they plot numbers the engine computed and never derive new ones."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib.colors import Color, HexColor, white
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.domain.assessment import DisplayPreferences
from app.domain.brand import BrandProfile
from app.domain.comparison import ATTRIBUTION_STEPS, Comparison
from app.domain.evaluation import OPTION_IDS, OPTION_LABELS, Evaluation
from app.report.colours import GRID, INK, MUTED, NEUTRAL, mix
from app.report.fonts import FontSet, font_set
from app.domain.numbers import localise
from app.report.formatting import Money, tokens

CHART_WIDTH_PT = 480
TICK_FONT_PT = 7.5
LABEL_FONT_PT = 8.5
TICKS_WANTED = 5
# A cost curve spanning more than this ratio of volumes reads better on a logarithmic axis.
LOG_AXIS_MIN_RATIO = 100


@dataclass(frozen=True)
class Style:
    fonts: FontSet
    primary: Color
    accent: Color
    money: Money

    def tokens(self, count: float) -> str:
        """'88.8M' / '88,8M' (de): token counts in the display locale."""
        return tokens(count, self.money.locale)

    def figure(self, text: str) -> str:
        """A figure made with Python's formatting, in the display locale's separators."""
        return localise(text, self.money.locale)

    @property
    def option_colours(self) -> dict[str, Color]:
        return {"api": self.accent, "self_host_cloud": self.primary,
                "self_host_on_prem": mix(self.primary, white, 0.5), "hybrid": NEUTRAL}


def _style(brand: BrandProfile, display: DisplayPreferences | None) -> Style:
    return Style(font_set(brand.font_family), HexColor(brand.primary_colour), HexColor(brand.accent_colour),
                 Money.from_display(display or DisplayPreferences()))


# ----------------------------------------------------------------------------------------- axes

def nice_ticks(low: float, high: float, wanted: int = TICKS_WANTED) -> list[float]:
    """Round tick values (1, 2, 2.5, 5 x 10^n) covering [low, high]."""
    if high <= low:
        high = low + 1
    raw_step = (high - low) / wanted
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    first = math.floor(low / step) * step
    count = math.ceil((high - first) / step - 1e-9)
    return [first + i * step for i in range(count + 1)]


def log_ticks(low: float, high: float) -> list[float]:
    start, stop = math.floor(math.log10(low)), math.ceil(math.log10(high))
    return [10.0 ** e for e in range(start, stop + 1)]


@dataclass(frozen=True)
class Scale:
    """Maps data values to drawing coordinates along one axis."""
    low: float
    high: float
    start: float
    end: float
    log: bool = False

    def __call__(self, value: float) -> float:
        if self.log:
            value, low, high = (math.log10(max(v, 1e-12)) for v in (value, self.low, self.high))
        else:
            low, high = self.low, self.high
        span = (high - low) or 1.0  # a single value sits at the start rather than dividing by zero
        return self.start + (value - low) / span * (self.end - self.start)


@dataclass(frozen=True)
class Plot:
    """A plot area inside a drawing, with its two scales."""
    x: Scale
    y: Scale

    @property
    def left(self) -> float:
        return self.x.start

    @property
    def right(self) -> float:
        return self.x.end

    @property
    def bottom(self) -> float:
        return self.y.start

    @property
    def top(self) -> float:
        return self.y.end


def _drawing(height: float, style: Style) -> Drawing:
    drawing = Drawing(CHART_WIDTH_PT, height)
    # Without this the renderer starts every drawing in Helvetica, a standard font the PDF would not embed.
    drawing.initialFontName = style.fonts.regular
    return drawing


def _label(x: float, y: float, text: str, style: Style, anchor: str) -> Group:
    """Bold small text on a white patch, so lines it crosses never run through the letters."""
    width = stringWidth(text, style.fonts.bold, TICK_FONT_PT)
    left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
    return Group(Rect(left - 2, y - 2.5, width + 4, TICK_FONT_PT + 3, fillColor=white, strokeColor=None),
                 _text(x, y, text, style, TICK_FONT_PT, anchor, bold=True))


def _text(x: float, y: float, text: str, style: Style, size: float = TICK_FONT_PT, anchor: str = "start",
          colour: Color = INK, bold: bool = False) -> String:
    return String(x, y, text, fontName=style.fonts.bold if bold else style.fonts.regular, fontSize=size,
                  fillColor=colour, textAnchor=anchor)


def _fit(text: str, width: float, style: Style, size: float = TICK_FONT_PT) -> str:
    """Shorten a label with an ellipsis to fit; the tables beside the chart carry the full text."""
    if stringWidth(text, style.fonts.regular, size) <= width:
        return text
    while text and stringWidth(text + "…", style.fonts.regular, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _row_label(group: Group, x: float, y: float, text: str, width: float, style: Style) -> None:
    """A bar's name right-aligned at `x` beside the bar whose bottom is `y`: on one line, or on two when
    it is longer than `width` (a name is read whole; only a third line's worth would end in "…")."""
    size = LABEL_FONT_PT
    if stringWidth(text, style.fonts.regular, size) <= width:
        group.add(_text(x, y + 4, text, style, size, "end"))
        return
    words, first = text.split(), ""
    while words and stringWidth(f"{first} {words[0]}".strip(), style.fonts.regular, size) <= width:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one word longer than the room
        group.add(_text(x, y + 4, _fit(text, width, style, size), style, size, "end"))
        return
    group.add(_text(x, y + 9, first, style, size, "end"))
    group.add(_text(x, y - 0.5, _fit(" ".join(words), width, style, size), style, size, "end"))


def _x_axis(group: Group, plot: Plot, ticks: list[float], label: Callable[[float], str], title: str,
            style: Style) -> None:
    group.add(Line(plot.left, plot.bottom, plot.right, plot.bottom, strokeColor=MUTED, strokeWidth=0.6))
    for value in ticks:
        x = plot.x(value)
        group.add(Line(x, plot.bottom, x, plot.top, strokeColor=GRID, strokeWidth=0.4))
        group.add(_text(x, plot.bottom - 10, label(value), style, anchor="middle", colour=MUTED))
    group.add(_text((plot.left + plot.right) / 2, plot.bottom - 24, title, style, LABEL_FONT_PT, "middle"))


def _y_axis(group: Group, plot: Plot, ticks: list[float], label: Callable[[float], str], title: str,
            style: Style) -> None:
    group.add(Line(plot.left, plot.bottom, plot.left, plot.top, strokeColor=MUTED, strokeWidth=0.6))
    for value in ticks:
        y = plot.y(value)
        group.add(Line(plot.left, y, plot.right, y, strokeColor=GRID, strokeWidth=0.4))
        group.add(_text(plot.left - 4, y - 2.5, label(value), style, anchor="end", colour=MUTED))
    title_string = _text(0, 0, title, style, LABEL_FONT_PT, "middle")
    rotated = Group(title_string)
    rotated.translate(10, (plot.bottom + plot.top) / 2)
    rotated.rotate(90)
    group.add(rotated)


def _legend(group: Group, entries: list[tuple[str, Color]], x: float, y: float, style: Style) -> None:
    for label, colour in entries:
        group.add(Rect(x, y, 9, 9, fillColor=colour, strokeColor=None))
        group.add(_text(x + 13, y + 1.5, label, style, LABEL_FONT_PT - 0.5))
        x += 13 + stringWidth(label, style.fonts.regular, LABEL_FONT_PT - 0.5) + 16


def _money_axis_title(style: Style, what: str) -> str:
    return f"{what} ({style.money.unit}/month)"


# ----------------------------------------------------------------------------------------- charts

def cost_comparison(evaluation: Evaluation, style: Style) -> Drawing:
    """Monthly cost of each option; infeasible options pale and marked."""
    options = [evaluation.options[o] for o in OPTION_IDS if o in evaluation.options]
    drawing = _drawing(210, style)
    top_value = max([o.monthly_usd for o in options] + [1.0])
    ticks = nice_ticks(0, top_value * 1.12)
    plot = Plot(Scale(0, len(options), 62, CHART_WIDTH_PT - 10), Scale(0, ticks[-1], 40, 200))
    group = Group()
    _y_axis(group, plot, ticks, style.money.compact, _money_axis_title(style, "Monthly cost"), style)
    group.add(Line(plot.left, plot.bottom, plot.right, plot.bottom, strokeColor=MUTED, strokeWidth=0.6))
    slot = (plot.right - plot.left) / max(len(options), 1)
    for index, option in enumerate(options):
        colour = style.option_colours[option.option]
        centre = plot.left + slot * (index + 0.5)
        width = slot * 0.5
        height = plot.y(option.monthly_usd) - plot.bottom
        fill = colour if option.feasible else mix(colour, white, 0.7)
        group.add(Rect(centre - width / 2, plot.bottom, width, height, fillColor=fill, strokeColor=None))
        value = style.money.amount(option.monthly_usd) + ("" if option.feasible else " (not feasible)")
        group.add(_text(centre, plot.bottom + height + 4, value, style, LABEL_FONT_PT - 0.5, "middle", bold=True))
        group.add(_text(centre, plot.bottom - 12, OPTION_LABELS[option.option], style, LABEL_FONT_PT, "middle"))
    drawing.add(group)
    return drawing


def _curve_x_scale(curve, start: float, end: float) -> tuple[Scale, list[float], bool]:
    low, high = min(curve.tokens_per_day), max(curve.tokens_per_day)
    use_log = low > 0 and high / low >= LOG_AXIS_MIN_RATIO
    if use_log:
        ticks = [t for t in log_ticks(low, high) if low <= t <= high] or [low, high]
        return Scale(low, high, start, end, log=True), ticks, True
    ticks = [t for t in nice_ticks(low, high) if low <= t <= high]
    return Scale(low, high, start, end), ticks, False


def cost_curve(evaluation: Evaluation, style: Style) -> Drawing:
    """Monthly cost of each option against daily volume, today's volume and the break-evens marked."""
    curve = evaluation.cost_curve
    drawing = _drawing(250, style)
    x_scale, x_ticks, is_log = _curve_x_scale(curve, 62, CHART_WIDTH_PT - 12)
    top_value = max([max(v) for v in curve.monthly_usd.values() if v] + [1.0])
    y_ticks = nice_ticks(0, top_value * 1.05)
    plot = Plot(x_scale, Scale(0, y_ticks[-1], 42, 222))
    group = Group()
    _y_axis(group, plot, y_ticks, style.money.compact, _money_axis_title(style, "Monthly cost"), style)
    title = "Volume (tokens/day" + (", logarithmic scale)" if is_log else ")")
    _x_axis(group, plot, x_ticks, style.tokens, title, style)
    legend, drawn = [], {}
    for option_id in OPTION_IDS:
        values = curve.monthly_usd.get(option_id)
        if not values:
            continue
        points = [c for x, y in zip(curve.tokens_per_day, values) for c in (plot.x(x), plot.y(y))]
        colour = style.option_colours[option_id]
        # A line identical to one already drawn (a hybrid that routes everything to the API) would hide it:
        # it is drawn dashed over it, so both colours show, and the legend says they are the same.
        same = next((other for other, drawn_values in drawn.items() if _same_line(values, drawn_values)), None)
        dash = {"strokeDashArray": [4, 4]} if same else {}
        group.add(PolyLine(points, strokeColor=colour, strokeWidth=1.6, **dash))
        legend.append((OPTION_LABELS[option_id] + (f" (same as {OPTION_LABELS[same]})" if same else ""), colour))
        drawn[option_id] = values
    _mark_today(group, plot, curve.current_tokens_per_day, style)
    _mark_break_evens(group, plot, evaluation, style)
    _legend(group, legend, plot.left, plot.top + 12, style)
    drawing.add(group)
    return drawing


def _same_line(a, b) -> bool:
    return len(a) == len(b) and all(math.isclose(x, y, rel_tol=1e-6, abs_tol=0.5) for x, y in zip(a, b))


def _mark_today(group: Group, plot: Plot, volume: float, style: Style) -> None:
    x = plot.x(volume)
    group.add(Line(x, plot.bottom, x, plot.top, strokeColor=INK, strokeWidth=0.8, strokeDashArray=[3, 2]))
    group.add(_label(x + 3, plot.top - 9, f"today: {style.tokens(volume)}/day", style, "start"))


def _mark_break_evens(group: Group, plot: Plot, evaluation: Evaluation, style: Style) -> None:
    """A ring where the API curve meets each self-hosted curve (the engine's break-even volume), labelled
    in a stack under the top of the plot with a leader line, so two close break-evens never overlap."""
    curve = evaluation.cost_curve
    api = curve.monthly_usd.get("api")
    marked = [(o, v) for o, v in evaluation.break_even_tokens_per_day.items()
              if v is not None and api and o in curve.monthly_usd and plot.x.low <= v <= plot.x.high]
    for index, (option_id, volume) in enumerate(sorted(marked, key=lambda item: item[1])):
        colour = style.option_colours[option_id]
        # Height of the ring: where the API line passes at that volume (read off the plotted line).
        x, y = plot.x(volume), plot.y(_read_line(curve.tokens_per_day, api, volume, plot.x.log))
        label_y = plot.top - 24 - 12 * index
        group.add(Line(x, y + 4, x, label_y - 2, strokeColor=colour, strokeWidth=0.5, strokeDashArray=[1, 1.5]))
        group.add(Circle(x, y, 4, fillColor=white, strokeColor=colour, strokeWidth=1.6))
        label = f"{OPTION_LABELS[option_id]} break-even: {style.tokens(volume)}/day"
        on_left = x < (plot.left + plot.right) / 2
        group.add(_label(x + 4 if on_left else x - 4, label_y, label, style, "start" if on_left else "end"))


def _read_line(xs: tuple[float, ...], ys: tuple[float, ...], at: float, log: bool) -> float:
    """Where a plotted polyline passes at `at`, so the marker sits on the drawn line."""
    pairs = list(zip(xs, ys))
    for (x0, y0), (x1, y1) in zip(pairs, pairs[1:]):
        if x0 <= at <= x1 and x1 > x0:
            share = (math.log10(at / x0) / math.log10(x1 / x0)) if log else (at - x0) / (x1 - x0)
            return y0 + share * (y1 - y0)
    return ys[-1]


# Readiness bands, low to high, around the score the engine asks before self-hosting (the assumption
# readiness_self_host_min): red well below it, amber short of it, green at or above it. The legend names the
# bands, so colour is never the only cue (each bar carries its score too).
BAND_COLOURS = (HexColor("#C0392B"), HexColor("#D68910"), HexColor("#1E8449"))
READY_DEFAULT = 60.0


def readiness_bands(evaluation: Evaluation) -> list[tuple[float, str, Color]]:
    """(lowest score, legend text, colour) per band, from the assessment's own readiness threshold."""
    ready = next((a.value for a in evaluation.assumptions if a.id == "readiness_self_host_min"), READY_DEFAULT)
    short = round(ready * 2 / 3)
    return [(0, f"below {short:.0f}: far from ready", BAND_COLOURS[0]),
            (short, f"{short:.0f}-{ready - 1:.0f}: gaps to close", BAND_COLOURS[1]),
            (ready, f"{ready:.0f}+: ready to self-host", BAND_COLOURS[2])]


def readiness_band(score: float, bands: list[tuple[float, str, Color]]) -> tuple[float, str, Color]:
    return [band for band in bands if score >= band[0]][-1]


def readiness(evaluation: Evaluation, style: Style) -> Drawing:
    """Readiness score per dimension, 0-100, coloured on a red-amber-green scale with its legend; unknown
    dimensions say so."""
    dims = list(evaluation.readiness.dimensions.items())
    row_height = 22
    height = 66 + row_height * max(len(dims), 1)
    drawing = _drawing(height, style)
    plot = Plot(Scale(0, 100, 170, CHART_WIDTH_PT - 20), Scale(0, len(dims), 38, height - 24))
    group = Group()
    _x_axis(group, plot, [0, 25, 50, 75, 100], lambda v: f"{v:.0f}", "Readiness score (0-100)", style)
    labels = evaluation.readiness.dimension_labels
    bands = readiness_bands(evaluation)
    for index, (dimension, score) in enumerate(dims):
        y = plot.top - row_height * (index + 1) + 5
        _row_label(group, plot.left - 6, y, labels.get(dimension, dimension), 160, style)
        if score is None:
            group.add(_text(plot.left + 4, y + 4, "unknown (not enough answers)", style, TICK_FONT_PT,
                            colour=MUTED))
            continue
        colour = readiness_band(score, bands)[2]
        group.add(Rect(plot.left, y, plot.x(score) - plot.left, 13, fillColor=colour, strokeColor=None))
        group.add(_text(plot.x(score) + 4, y + 3.5, f"{score:.0f}", style, TICK_FONT_PT, bold=True))
    _legend(group, [(name, colour) for _low, name, colour in bands], 6, plot.top + 8, style)
    drawing.add(group)
    return drawing


def tornado(evaluation: Evaluation, style: Style) -> Drawing:
    """How far each assumption, swung over its range, moves the monthly saving from self-hosting."""
    bars = sorted(evaluation.tornado, key=lambda b: -abs(b.outcome_at_high - b.outcome_at_low))
    row_height = 24
    height = 74 + row_height * max(len(bars), 1)
    values = [v for b in bars for v in (b.outcome_at_low, b.outcome_at_high)] + [0.0]
    span = max(values) - min(values) or 1.0
    ticks = nice_ticks(min(values) - span * 0.3, max(values) + span * 0.3)  # room for the money at the ends
    drawing = _drawing(height, style)
    plot = Plot(Scale(ticks[0], ticks[-1], 170, CHART_WIDTH_PT - 16), Scale(0, len(bars), 42, height - 26))
    group = Group()
    title = f"Monthly saving from self-hosting: API minus best self-hosted option ({style.money.unit}/month)"
    _x_axis(group, plot, ticks, style.money.compact, title, style)
    zero = plot.x(0)
    group.add(Line(zero, plot.bottom, zero, plot.top + 6, strokeColor=INK, strokeWidth=1))
    # The note sits on the side of the zero line with more room, so it never runs off the chart.
    on_left = zero > (plot.left + plot.right) / 2
    group.add(_text(zero + (-3 if on_left else 3), plot.top + 2, "0 = same cost as the API", style, TICK_FONT_PT,
                    "end" if on_left else "start", colour=MUTED))
    units = {a.id: a.unit for a in evaluation.assumptions}
    for index, bar in enumerate(bars):
        _tornado_bar(group, plot, bar, plot.top - row_height * (index + 1) + 6, style, units.get(bar.assumption_id, ""))
    _legend(group, [("End at the assumption's low value", style.accent), ("at its high value", style.primary)],
            6, plot.top + 14, style)
    drawing.add(group)
    return drawing


def _tornado_bar(group: Group, plot: Plot, bar, y: float, style: Style, unit: str) -> None:
    """One bar spanning the saving at the assumption's low and high values; each end capped in the colour
    of the value it stands for and labelled with that value, outside the bar (a money value in the display
    currency)."""
    _row_label(group, plot.left - 6, y, bar.label, 160, style)
    ends = sorted([(plot.x(bar.outcome_at_low), bar.low_value, style.accent, bar.outcome_at_low),
                   (plot.x(bar.outcome_at_high), bar.high_value, style.primary, bar.outcome_at_high)],
                  key=lambda end: end[0])
    (left, left_value, left_colour, left_money), (right, right_value, right_colour, right_money) = ends
    group.add(Rect(left, y, max(right - left, 1), 13, fillColor=mix(style.primary, white, 0.7), strokeColor=None))
    for x, colour in ((left, left_colour), (right - 3, right_colour)):
        group.add(Rect(x, y, 3, 13, fillColor=colour, strokeColor=None))
    # Each end says its money (the saving there) and, after it, the assumption's value that gives it.
    group.add(_text(left - 3, y + 3.5, _end_label(left_money, left_value, unit, style), style, TICK_FONT_PT - 0.5,
                    "end"))
    group.add(_text(right + 3, y + 3.5, _end_label(right_money, right_value, unit, style), style, TICK_FONT_PT - 0.5))


def _end_label(saving: float, value: float, unit: str, style: Style) -> str:
    shown = style.money.compact(value) if unit.startswith("USD") else style.figure(f"{value:,.6g}")
    return f"{style.money.compact(saving)} (at {shown})"


def uncertainty(evaluation: Evaluation, style: Style) -> Drawing:
    """P10-P90 range of each option's monthly cost, with the median marked."""
    ranges = [(o, getattr(evaluation.uncertainty, o)) for o in OPTION_IDS]
    row_height = 26
    height = 70 + row_height * len(ranges)
    ticks = nice_ticks(0, max(p.p90 for _, p in ranges) * 1.08 or 1.0)
    drawing = _drawing(height, style)
    plot = Plot(Scale(0, ticks[-1], 130, CHART_WIDTH_PT - 24), Scale(0, len(ranges), 42, height - 24))
    group = Group()
    _x_axis(group, plot, ticks, style.money.compact, _money_axis_title(style, "Monthly cost"), style)
    for index, (option_id, p) in enumerate(ranges):
        y = plot.top - row_height * (index + 1) + 8
        colour = style.option_colours[option_id]
        group.add(_text(plot.left - 6, y + 2, OPTION_LABELS[option_id], style, LABEL_FONT_PT, "end"))
        group.add(Rect(plot.x(p.p10), y - 3, plot.x(p.p90) - plot.x(p.p10), 11, fillColor=mix(colour, white, 0.55),
                       strokeColor=None))
        group.add(Line(plot.x(p.p50), y - 5, plot.x(p.p50), y + 10, strokeColor=colour, strokeWidth=2.2))
        group.add(_text(plot.x(p.p90) + 4, y + 1, f"P50 {style.money.compact(p.p50)}", style, TICK_FONT_PT,
                        colour=MUTED))
    _legend(group, [("P10 to P90 range (bar), P50 (line)", NEUTRAL)], plot.left, plot.top + 8, style)
    drawing.add(group)
    return drawing


def memory(evaluation: Evaluation, style: Style) -> Drawing:
    """GPU memory per GPU, and what fills it: model weights and KV cache."""
    sizing = evaluation.sizing
    rows = [(label, value) for label, value in (("Model weights", sizing.weights_gib),
                                                ("KV cache", sizing.kv_cache_gib),
                                                ("Memory used per GPU", sizing.memory_per_gpu_gib))
            if value is not None]
    row_height = 22
    height = 50 + row_height * len(rows)
    ticks = nice_ticks(0, max(v for _, v in rows) * 1.1)
    drawing = _drawing(height, style)
    plot = Plot(Scale(0, ticks[-1], 130, CHART_WIDTH_PT - 40), Scale(0, len(rows), 38, height - 8))
    group = Group()
    _x_axis(group, plot, ticks, lambda v: style.figure(f"{v:g}"), "GPU memory (GiB)", style)
    for index, (label, value) in enumerate(rows):
        y = plot.top - row_height * (index + 1) + 5
        group.add(_text(plot.left - 6, y + 3.5, label, style, LABEL_FONT_PT, "end"))
        group.add(Rect(plot.left, y, plot.x(value) - plot.left, 13, fillColor=style.primary, strokeColor=None))
        group.add(_text(plot.x(value) + 4, y + 3.5, style.figure(f"{value:.1f} GiB"), style, TICK_FONT_PT, bold=True))
    drawing.add(group)
    return drawing


def scenarios(evaluation: Evaluation, style: Style) -> Drawing:
    """Monthly cost of each option in the base and in each what-if scenario, grouped by scenario."""
    groups = [("Base", {o: c.monthly_usd for o, c in evaluation.options.items()})]
    groups += [(s.name, {o: c.monthly_usd for o, c in s.options.items()}) for s in evaluation.scenarios]
    drawing = _drawing(230, style)
    ticks = nice_ticks(0, max([v for _, costs in groups for v in costs.values()] + [1.0]) * 1.1)
    plot = Plot(Scale(0, len(groups), 62, CHART_WIDTH_PT - 10), Scale(0, ticks[-1], 44, 200))
    group = Group()
    _y_axis(group, plot, ticks, style.money.compact, _money_axis_title(style, "Monthly cost"), style)
    group.add(Line(plot.left, plot.bottom, plot.right, plot.bottom, strokeColor=MUTED, strokeWidth=0.6))
    slot = (plot.right - plot.left) / len(groups)
    bar = slot * 0.8 / len(OPTION_IDS)
    for index, (name, costs) in enumerate(groups):
        left = plot.left + slot * (index + 0.1)
        for position, option in enumerate(OPTION_IDS):
            height = plot.y(costs.get(option, 0.0)) - plot.bottom
            group.add(Rect(left + bar * position, plot.bottom, bar * 0.9, height,
                           fillColor=style.option_colours[option], strokeColor=None))
        group.add(_text(plot.left + slot * (index + 0.5), plot.bottom - 12, _fit(name, slot - 4, style, LABEL_FONT_PT),
                        style, LABEL_FONT_PT, "middle"))
    _legend(group, [(OPTION_LABELS[o], style.option_colours[o]) for o in OPTION_IDS], plot.left, 214, style)
    drawing.add(group)
    return drawing


WATERFALL_LABELS = {"volume": "Volume", "prices": "Prices", "answers": "Answers", "assumptions": "Assumptions"}


def waterfall(comparison: Comparison, style: Style) -> Drawing:
    """The attributed option's monthly cost last quarter, each part of its change as a floating bar (rises in
    the accent colour, falls in the primary), and this quarter's cost."""
    steps = comparison.attribution_steps_usd
    drawing = _drawing(230, style)
    low, high = min(0.0, *steps), max(steps)
    ticks = nice_ticks(low, high * 1.12 if high > 0 else 1.0)
    plot = Plot(Scale(0, 6, 62, CHART_WIDTH_PT - 10), Scale(ticks[0], ticks[-1], 40, 215))
    group = Group()
    _y_axis(group, plot, ticks, style.money.compact, _money_axis_title(style, "Monthly cost"), style)
    group.add(Line(plot.left, plot.y(0), plot.right, plot.y(0), strokeColor=MUTED, strokeWidth=0.6))
    bars = [("Last quarter", 0.0, steps[0], NEUTRAL)]
    bars += [(WATERFALL_LABELS[step], steps[i], steps[i + 1],
              style.accent if steps[i + 1] >= steps[i] else style.primary) for i, step in enumerate(ATTRIBUTION_STEPS)]
    bars.append(("This quarter", 0.0, steps[-1], NEUTRAL))
    slot = (plot.right - plot.left) / len(bars)
    for index, (label, start, end, colour) in enumerate(bars):
        centre = plot.left + slot * (index + 0.5)
        bottom, top = sorted((plot.y(start), plot.y(end)))
        group.add(Rect(centre - slot * 0.3, bottom, slot * 0.6, max(top - bottom, 0.6), fillColor=colour,
                       strokeColor=None))
        change = end - start
        figure = style.money.amount(end) if start == 0.0 and label.endswith("quarter") else (
            ("+" if change >= 0 else "-") + style.money.amount(abs(change)))
        group.add(_text(centre, top + 4, figure, style, LABEL_FONT_PT - 0.5, "middle", bold=True))
        group.add(_text(centre, plot.bottom - 12, label, style, LABEL_FONT_PT, "middle"))
    drawing.add(group)
    return drawing


def waterfall_drawing(comparison: Comparison, brand: BrandProfile,
                      display: DisplayPreferences | None = None) -> Drawing:
    """The quarterly review's waterfall, for the PDF and (through drawing_svg) the app."""
    return waterfall(comparison, _style(brand, display))


# ----------------------------------------------------------------------------------------- registry

CHARTS: dict[str, tuple[str, Callable[[Evaluation, Style], Drawing], Callable[[Evaluation], bool]]] = {
    "cost_comparison": ("Monthly cost by option", cost_comparison, lambda e: bool(e.options)),
    "cost_curve": ("Cost versus volume", cost_curve,
                   lambda e: e.cost_curve is not None and len(e.cost_curve.tokens_per_day) >= 2),
    "uncertainty": ("Uncertainty ranges", uncertainty, lambda e: e.uncertainty is not None),
    "tornado": ("Sensitivity", tornado, lambda e: bool(e.tornado)),
    "readiness": ("Readiness by dimension", readiness, lambda e: bool(e.readiness.dimensions)),
    "scenarios": ("Scenarios side by side", scenarios, lambda e: bool(e.scenarios)),
    "memory": ("GPU memory", memory,
               lambda e: e.sizing is not None and any(v is not None for v in (
                   e.sizing.weights_gib, e.sizing.kv_cache_gib, e.sizing.memory_per_gpu_gib))),
}
CHART_IDS: tuple[str, ...] = tuple(CHARTS)


def chart_title(chart_id: str) -> str:
    return CHARTS[chart_id][0]


def has_chart(chart_id: str, evaluation: Evaluation) -> bool:
    """False when the Evaluation has no data for this chart (no sizing, no uncertainty run...)."""
    return CHARTS[chart_id][2](evaluation)


def build_chart(chart_id: str, evaluation: Evaluation, brand: BrandProfile,
                display: DisplayPreferences | None = None) -> Drawing:
    if chart_id not in CHARTS:
        raise KeyError(f"unknown chart {chart_id!r}; known: {', '.join(CHART_IDS)}")
    return CHARTS[chart_id][1](evaluation, _style(brand, display))


_CLIP_PATH = re.compile(r"<clipPath\b.*?</clipPath>", re.DOTALL)
# reportlab refers to it as an attribute or inside a style attribute, depending on the element.
_CLIP_REF = re.compile(r'\s+clip-path="[^"]*"|\s+style="clip-path:\s*url\(#[^)]*\);?"|clip-path:\s*url\(#[^)]*\);?\s*')


def chart_svg(chart_id: str, evaluation: Evaluation, brand: BrandProfile,
              display: DisplayPreferences | None = None) -> bytes:
    """The chart as SVG for QtSvg. reportlab wraps drawings in a <clipPath>, which QtSvg paints as a
    black box, so it is stripped (with the references to it). reportlab also writes `fill: None`, which
    QtSvg does not read as `none`: unfilled lines would be painted as black polygons."""
    return drawing_svg(build_chart(chart_id, evaluation, brand, display))


def drawing_svg(drawing: Drawing) -> bytes:
    """Any chart drawing as SVG that QtSvg paints correctly (see chart_svg)."""
    svg = renderSVG.drawToString(drawing)
    svg = svg.replace("fill: None", "fill: none").replace("stroke: None", "stroke: none")
    svg = _FACE_NAME.sub(_css_face, svg)
    return _CLIP_REF.sub("", _CLIP_PATH.sub("", svg)).encode("utf-8")


# reportlab names each face of a family ("Lato-Bold"); Qt knows the family with a weight and a style.
_FACE_NAME = re.compile(r"font-family: ([A-Za-z0-9 ]+?)-(Bold|Italic|BoldItalic)(?=[;\"])")


def _css_face(match: re.Match) -> str:
    family, face = match.groups()
    weight = "; font-weight: bold" if "Bold" in face else ""
    style = "; font-style: italic" if "Italic" in face else ""
    return f"font-family: {family}{weight}{style}"
