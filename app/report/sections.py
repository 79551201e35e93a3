"""The report's sections, in the order the issue sets, each a list of flowables. Words come from the
narrative templates, numbers from ReportFacts (already formatted) and charts from app.report.charts."""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak, FrameBreak, KeepInFrame, KeepTogether, NextPageTemplate, PageBreak, Paragraph, Spacer,
)

from app.domain.assessment import DisplayPreferences
from app.domain.brand import BrandProfile
from app.domain.evaluation import OPTION_LABELS, Evaluation
from app.report import charts
from app.report.facts import ReportFacts, quantity
from app.report.findings import LINE_HEADERS, source_and_rationale
from app.report.formatting import number, percent, worded
from app.report.layout import (
    FRAME_HEIGHT, FRAME_WIDTH, Styles, contents, heading, markup, table, table_heading, text,
)
from app.report.logo import Logo
from app.report.names import display_name
from app.report.narrative import Block, render_blocks, section_titles
from app.report.whatif_rows import (SCENARIO_COST_HEADERS, SCENARIO_NPV_HEADERS, scenario_cost_rows,
                                    scenario_npv_rows)
from app.report.plan_rows import (CASH_FLOW_HEADERS, POOL_HEADERS, USE_CASE_HEADERS, bridge_rows, cash_flow_rows,
                                  payback, pool_rows, use_case_rows)

# Leave room for a chart and its caption before starting one near the bottom of a page.
CHART_SPACE = 70 * mm


@dataclass(frozen=True)
class Inputs:
    facts: ReportFacts
    evaluation: Evaluation
    brand: BrandProfile
    display: DisplayPreferences
    styles: Styles
    logo: Logo | None
    targets: dict = field(default_factory=dict)  # workload id -> (first-token ms, tokens/s) targets
    # Charts are numbered in the order they are laid out: the count so far.
    figures: list[str] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.titles.update(section_titles(self.styles.fonts, {"facts": self.facts, "brand": self.brand}))


def narrative(name: str, inputs: Inputs, *, lead: bool = False, **context) -> list:
    """A template's paragraphs; with `lead`, the first is set large (the one-sentence answer)."""
    blocks = render_blocks(name, inputs.styles.fonts, {"facts": inputs.facts, "brand": inputs.brand, **context})
    return [_block(block, inputs.styles, lead and index == 0) for index, block in enumerate(blocks)]


def section_heading(section: str, default: str, inputs: Inputs) -> Paragraph:
    """A level-1 heading that states the section's finding (templates/report/titles.j2)."""
    title = inputs.titles.get(section)
    if title is None:
        return heading(default, "H1", inputs.styles)
    return markup(title, inputs.styles.h1, "titles.j2")


def figure(chart_id: str, inputs: Inputs) -> tuple:
    """The chart's drawing and its caption: figure number, title, source line."""
    inputs.figures.append(chart_id)
    drawing = charts.build_chart(chart_id, inputs.evaluation, inputs.brand, inputs.display)
    words = render_blocks("figure.j2", inputs.styles.fonts, {"facts": inputs.facts, "number": len(inputs.figures),
                                                              "title": charts.chart_title(chart_id),
                                                              "chart_id": chart_id})
    return drawing, [markup(b.markup, inputs.styles.small, b.template) for b in words]


def _block(block: Block, styles: Styles, lead: bool = False) -> Paragraph:
    if lead:
        return markup(block.markup, styles.lead, block.template)
    if block.kind == "h":
        return markup(block.markup, styles.h3, block.template)
    if block.kind == "bullet":
        return markup(block.markup, styles.bullet, block.template, bulletText="•")
    return markup(block.markup, styles.body, block.template)


def chart(chart_id: str, inputs: Inputs, caption: list) -> list:
    """A chart with the words that explain it, kept on one page."""
    if not charts.has_chart(chart_id, inputs.evaluation):
        return []
    drawing, source = figure(chart_id, inputs)
    title = heading(charts.chart_title(chart_id), "H2", inputs.styles)
    return [CondPageBreak(CHART_SPACE), KeepTogether([title, *caption, Spacer(1, 2 * mm), drawing, *source,
                                                      Spacer(1, 4 * mm)])]


# ------------------------------------------------------------------------------------------ cover

def cover(inputs: Inputs) -> list:
    facts, styles, brand = inputs.facts, inputs.styles, inputs.brand
    engagement = facts.engagement
    masthead = [text(brand.consultancy_name, styles.masthead, styles)]
    if inputs.logo is not None:
        width, height = inputs.logo.fit(70 * mm, 18 * mm)
        masthead = [_LogoFlowable(inputs.logo, width, height), Spacer(1, 2 * mm), *masthead]
    band = [
        text(engagement.title, styles.title, styles),
        text(engagement.client_name, styles.cover_line, styles),
        Spacer(1, 4 * mm),
        text(f"Recommendation: {facts.recommendation}", styles.cover_line, styles),
        Spacer(1, 12 * mm),
        text(" · ".join(p for p in (engagement.date, engagement.engagement_id, brand.confidentiality) if p),
             styles.cover_small, styles),
    ]
    details = [
        table(None, _cover_rows(facts, brand.confidentiality), (0.3, 0.7), styles),
        Spacer(1, 6 * mm),
        text(brand.disclaimer, styles.small, styles),
    ]
    return [
        KeepInFrame(FRAME_WIDTH, 30 * mm, masthead, mode="shrink"), FrameBreak(),
        KeepInFrame(FRAME_WIDTH - 20 * mm, 120 * mm, band, mode="shrink"), FrameBreak(),
        KeepInFrame(FRAME_WIDTH, 90 * mm, details, mode="shrink"),
        NextPageTemplate("body"), PageBreak(),
    ]


def _cover_rows(facts: ReportFacts, confidentiality: str) -> list[tuple[str, str]]:
    engagement = facts.engagement
    rows = [("Client", engagement.client_name), ("Engagement", engagement.title),
            ("Engagement id", engagement.engagement_id), ("Date", engagement.date),
            ("Consultant", engagement.consultant), ("Industry", engagement.industry),
            ("Classification", confidentiality)]
    return [(label, value) for label, value in rows if value]


class _LogoFlowable(Spacer):
    """The logo as a flowable of a known size (a Spacer that paints)."""

    def __init__(self, logo: Logo, width: float, height: float):
        super().__init__(width, height)
        self.logo = logo

    def draw(self) -> None:
        self.logo.draw(self.canv, 0, 0, self.width, self.height)


def table_of_contents(inputs: Inputs) -> list:
    return [heading("Contents", "H3", inputs.styles), contents(inputs.styles), PageBreak()]


# ------------------------------------------------------------------------------------------ summary

def options_table(inputs: Inputs, *, with_reasons: bool):
    """Each option's monthly, one-time and horizon cost; `with_reasons` says why an option is not feasible
    (the summary only says that it is not, to stay on one page)."""
    facts = inputs.facts
    rows = [(o.label + (" (recommended)" if o.recommended else ""), o.monthly, o.one_time, o.horizon, o.per_million,
             "yes" if o.feasible else (f"no: {o.infeasible_reason}" if with_reasons else "no (see Costs)"))
            for o in facts.options]
    highlight = [i for i, o in enumerate(facts.options) if o.recommended]
    header = ["Option", "Monthly", "One-time", f"{facts.horizon_months}-month total", "All-in per 1M tokens",
              "Feasible"]
    return table(header, rows, (0.25, 0.12, 0.12, 0.15, 0.12, 0.24), inputs.styles, right=(1, 2, 3, 4),
                 highlight=highlight)


def executive_summary(inputs: Inputs) -> list:
    styles = inputs.styles
    blocks = narrative("executive_summary.j2", inputs, lead=True)
    drawing, source = figure("cost_comparison", inputs)
    body = [*blocks[:1], options_table(inputs, with_reasons=False), Spacer(1, 3 * mm), *blocks[1:],
            Spacer(1, 4 * mm), drawing, *source]
    # One page, always: shrink rather than spill (long reasons or notes must not push it over).
    return [section_heading("executive_summary", "Executive summary", inputs),
            KeepInFrame(FRAME_WIDTH, FRAME_HEIGHT - 30 * mm, body, mode="shrink"), PageBreak()]


# ------------------------------------------------------------------------------------------ rationale

def recommendation(inputs: Inputs) -> list:
    facts, styles = inputs.facts, inputs.styles
    story = [heading("Recommendation and rationale", "H1", styles), *narrative("recommendation.j2", inputs),
             heading("Reasons", "H2", styles)]
    for index, reason in enumerate(facts.reasons, start=1):
        story.append(KeepTogether([
            text(f"{index}. {reason.text}", styles.h3, styles),
            *[text(item, styles.bullet, styles) for item in _rests_on(reason.rests_on)],
        ]))
    if facts.workloads:
        story += [*table_heading("Workloads and where each runs", styles),
                  table(["Workload", "Volume", "Runs on", "Why"], facts.workloads, (0.3, 0.17, 0.18, 0.35), styles)]
    # Short tables stay on the page of the heading and words that introduce them.
    tipping = [table(["Input", "Today", "Flips at", "Recommendation becomes"], facts.tipping_points,
                     (0.34, 0.22, 0.22, 0.22), styles)] if facts.tipping_points else []
    story.append(KeepTogether([heading("What would change the answer", "H2", styles),
                               *narrative("tipping_points.j2", inputs), *tipping]))
    roadmap = [table(["Phase", "Option", "What", "Trigger"], facts.roadmap, (0.08, 0.2, 0.36, 0.36),
                     styles)] if facts.roadmap else []
    story.append(KeepTogether([heading("Roadmap", "H2", styles), *narrative("roadmap.j2", inputs), *roadmap]))
    if facts.warnings:
        story += [heading("Caveats", "H2", styles)]
        story += [text(warning, styles.bullet, styles) for warning in facts.warnings]
    return [*story, PageBreak()]


def _rests_on(items: tuple[str, ...]) -> list[str]:
    return [f"• Rests on: {item}" for item in items] or ["• Rests on: the engine's general rules (Appendix C)"]


# ------------------------------------------------------------------------------------------ costs

def costs(inputs: Inputs) -> list:
    facts, styles = inputs.facts, inputs.styles
    story = [section_heading("costs", "Costs", inputs), *narrative("costs.j2", inputs)]
    story += chart("cost_comparison", inputs, [])
    story += [*table_heading(f"Total cost of ownership over {facts.horizon_months} months", styles),
              options_table(inputs, with_reasons=True)]
    for option in facts.options:
        story += _line_items(option, styles)
    story += scenarios(inputs)
    story += _money_over_time(inputs)
    story += _bridge(inputs)
    story += chart("cost_curve", inputs, narrative("cost_curve.j2", inputs))
    story += chart("uncertainty", inputs, narrative("uncertainty.j2", inputs))
    story += chart("tornado", inputs, narrative("sensitivity.j2", inputs))
    return [*story, PageBreak()]


def _line_items(option, styles: Styles) -> list:
    """One option's lines as quantity x rate, a total row, and the rounding note when the printed items do
    not add up to the totals."""
    note = [] if option.feasible else [text(f"Not feasible: {option.infeasible_reason}", styles.small, styles)]
    if option.capital:
        note.append(text(f"Capital outlay {option.capital}, financed through the amortisation line below "
                         "(not counted again).", styles.small, styles))
    lines = option.table
    rows = [(line.label, line.quantity_rate, line.monthly, line.one_time, line.rests_on) for line in lines.lines]
    rows.append(("Total", "", lines.monthly, lines.one_time, ""))
    after = [markup(b.markup, styles.small, b.template) for b in
             render_blocks("rounding.j2", styles.fonts, {"table": lines})] if lines.rounding else []
    return [*table_heading(f"{option.label}: line items", styles), *note,
            table(list(LINE_HEADERS), rows, (0.22, 0.2, 0.1, 0.1, 0.38), styles, right=(1, 2, 3),
                  highlight=(len(rows) - 1,)), *after]


def _price_sheet(inputs: Inputs) -> list:
    """The prices the lines use, with their sources and dates: what a reader needs to re-price a line."""
    prices = inputs.facts.findings.prices if inputs.facts.findings else ()
    if not prices:
        return []
    styles = inputs.styles
    return [*table_heading("Price sheet", styles),
            text("The catalog prices the line items in Costs rest on; every other rate is an assumption in the "
                 "table above, with its range, source and rationale.", styles.body, styles),
            table(["Price", "Rate", "Source", "As of"], prices, (0.28, 0.3, 0.32, 0.1), styles)]


# ------------------------------------------------------------------------------------------ hardware

def hardware(inputs: Inputs) -> list:
    evaluation, styles = inputs.evaluation, inputs.styles
    story = [section_heading("hardware", "Hardware and serving", inputs), *narrative("hardware.j2", inputs)]
    sizing = evaluation.sizing
    if sizing is not None:
        story.append(table(["Deployment", ""], _sizing_rows(sizing, inputs.facts.money.locale), (0.4, 0.6), styles))
        story += _pools(inputs)
        story += chart("memory", inputs, [])
        rows = use_case_rows(evaluation, inputs.targets, inputs.facts.money.locale)
        story += [*table_heading("Use cases: route, targets and margin", styles),
                  table(list(USE_CASE_HEADERS), rows, (0.15, 0.1, 0.2, 0.1, 0.09, 0.12, 0.12, 0.12), styles,
                        right=(3, 4, 6, 7))]
        if sizing.levers:
            rows = [(lever.label, "applied" if lever.applied else "available",
                     worded(lever, inputs.facts.money, "effect"), lever.risk, lever.source) for lever in sizing.levers]
            story += [*table_heading("Inference optimisation plan", styles),
                      table(["Lever", "Status", "What it buys", "What it risks", "Source"], rows,
                            (0.18, 0.1, 0.28, 0.26, 0.18), styles)]
    return [*story, PageBreak()]


def _pools(inputs: Inputs) -> list:
    evaluation, styles, money = inputs.evaluation, inputs.styles, inputs.facts.money
    if not evaluation.pools:
        return []
    return [*table_heading("Serving pools", styles),
            table(list(POOL_HEADERS), pool_rows(evaluation.pools, evaluation, money),
                  (0.08, 0.13, 0.1, 0.08, 0.12, 0.15, 0.07, 0.1, 0.17), styles, right=(6, 7))]


def scenarios(inputs: Inputs) -> list:
    """The what-if scenarios beside the base (nothing when the assessment has none)."""
    evaluation, styles, money = inputs.evaluation, inputs.styles, inputs.facts.money
    if not evaluation.scenarios:
        return []
    words = render_blocks("scenarios.j2", styles.fonts, {"facts": inputs.facts, "brand": inputs.brand,
                                                          "count": len(evaluation.scenarios)})
    return [*table_heading("What-if scenarios", styles), *(_block(b, styles) for b in words),
            table(list(SCENARIO_COST_HEADERS), scenario_cost_rows(evaluation, money),
                  (0.2, 0.16, 0.1, 0.135, 0.135, 0.135, 0.135), styles, right=(2, 3, 4, 5, 6), highlight=(0,)),
            Spacer(1, 3 * mm),
            table(list(SCENARIO_NPV_HEADERS), scenario_npv_rows(evaluation, money),
                  (0.2, 0.12, 0.12, 0.12, 0.12, 0.16, 0.16), styles, right=(1, 2, 3, 4, 5, 6), highlight=(0,)),
            *chart("scenarios", inputs, [])]


def _money_over_time(inputs: Inputs) -> list:
    evaluation, styles, money = inputs.evaluation, inputs.styles, inputs.facts.money
    options = [o for o in evaluation.options.values() if o.cash_flow_by_year]
    if not options:
        return []
    years = len(options[0].cash_flow_by_year)
    headers = ["Option", *("Up front" if y == 0 else f"Year {y}" for y in range(years)), "Total", "NPV", "Payback"]
    rows = [(OPTION_LABELS[o.option], *(money.amount(c.usd) for c in o.cash_flow_by_year), money.amount(o.horizon_usd),
             money.amount(o.npv_usd), payback(o)) for o in options]
    first = 0.2
    rest = (1 - first) / (len(headers) - 1)
    story = [*table_heading("Money over time", styles), *narrative("money_over_time.j2", inputs),
             table(headers, rows, (first, *([rest] * (len(headers) - 1))), styles,
                   right=tuple(range(1, len(headers))))]
    for option in options:  # how each horizon figure is built, year by year
        story += [*table_heading(f"{OPTION_LABELS[option.option]}: {evaluation.horizon_months} months, year by year",
                                 styles),
                  table(list(CASH_FLOW_HEADERS), cash_flow_rows(option, money), (0.25, 0.35, 0.2, 0.2), styles,
                        right=(2, 3))]
    return story


def _bridge(inputs: Inputs) -> list:
    if not inputs.evaluation.article_bridge:
        return []
    blocks = render_blocks("bridge.j2", inputs.styles.fonts, {"facts": inputs.facts, "brand": inputs.brand,
                                                               "rows": bridge_rows(inputs.evaluation,
                                                                                   inputs.facts.money)})
    return [*table_heading("Bridge to the article", inputs.styles), *(_block(b, inputs.styles) for b in blocks)]


def _sizing_rows(sizing, locale: str) -> list[tuple[str, str]]:
    spare = f" (including {sizing.redundancy_replicas} for redundancy)" if sizing.redundancy_replicas else ""
    return [
        ("Model", display_name(sizing.model)),
        ("GPU", f"{sizing.gpus_per_replica} x {display_name(sizing.gpu)} per replica"),
        ("Replicas", f"{sizing.replicas}{spare}"),
        ("Precision (weights / KV cache)", f"{display_name(sizing.precision)} / {display_name(sizing.kv_precision)}"),
        ("Serving engine", display_name(sizing.engine)),
        ("Memory used per GPU", number(sizing.memory_per_gpu_gib, "GiB", locale=locale)),
        ("Model weights / KV cache",
         f"{number(sizing.weights_gib, 'GiB', locale=locale)} / {number(sizing.kv_cache_gib, 'GiB', locale=locale)}"),
        ("Time to first token", number(sizing.ttft_ms, "ms", locale=locale)),
        ("Time per output token", number(sizing.tpot_ms, "ms", locale=locale)),
        ("Output throughput per replica", number(sizing.output_tokens_per_s_per_replica, "tokens/s", locale=locale)),
        ("GPU utilisation at today's volume", percent(sizing.utilisation, locale)),
    ]


# ------------------------------------------------------------------------------------------ readiness, risks

def readiness(inputs: Inputs) -> list:
    facts, styles = inputs.facts, inputs.styles
    story = [section_heading("readiness", "Readiness", inputs), *narrative("readiness.j2", inputs)]
    story += chart("readiness", inputs, [])
    if facts.gaps:
        story += [*table_heading("Gaps and the actions that close them", styles),
                  table(["Dimension", "Severity", "Gap", "Action"], facts.gaps, (0.2, 0.1, 0.35, 0.35), styles)]
    return [*story, PageBreak()]


def risks(inputs: Inputs) -> list:
    """This client's risk register first, then the risks every deployment of the route carries."""
    styles = inputs.styles
    return [section_heading("risks", "Risks and mitigations", inputs),
            heading("Risk register", "H2", styles), *narrative("risk_register.j2", inputs),
            heading("Risks of the route", "H2", styles), *narrative("risks.j2", inputs), PageBreak()]


# ------------------------------------------------------------------------------------------ appendices

def appendix_assumptions(inputs: Inputs) -> list:
    facts, evaluation, styles = inputs.facts, inputs.evaluation, inputs.styles
    rationales = facts.findings.rationales if facts.findings else {}
    rows = []
    for value in evaluation.assumptions:
        label = value.label + (f"\nOverridden (default {_quantity(value.default, value.unit, inputs)}): "
                               f"{value.override_reason or 'no reason given'}" if value.overridden else "")
        rows.append((label, _quantity(value.value, value.unit, inputs),
                     f"{_quantity(value.low, value.unit, inputs)} to {_quantity(value.high, value.unit, inputs)}",
                     source_and_rationale(value, rationales), value.as_of))
    overridden = [i for i, v in enumerate(evaluation.assumptions) if v.overridden]
    story = [heading("Appendix A: Assumptions", "H1", styles),
             text("Every figure the costs rest on, with its plausible range, source and date. Rows in bold were "
                  "overridden for this assessment; the reason is given under the label.", styles.body, styles)]
    if facts.money.rate_note:
        story.append(text(facts.money.rate_note, styles.small, styles))
    story.append(table(["Assumption", "Value", "Range", "Source and rationale", "As of"], rows,
                       (0.24, 0.13, 0.17, 0.37, 0.09), styles, highlight=overridden))
    return [*story, *_price_sheet(inputs), PageBreak()]


def _quantity(value: float, unit: str, inputs: Inputs) -> str:
    return quantity(value, unit, inputs.facts.money)


def appendix_answers(inputs: Inputs) -> list:
    facts, styles = inputs.facts, inputs.styles
    story = [heading("Appendix B: Answers", "H1", styles),
             text("Every answer collected, with the consultant's note, how it was known (stated by the client, "
                  "estimated, measured) and whether it was flagged for review.", styles.body, styles)]
    scopes = list(dict.fromkeys(row.scope for row in facts.answers))
    for scope in scopes:
        rows = [(r.question, r.value, r.note, r.confidence, "review" if r.review else "")
                for r in facts.answers if r.scope == scope]
        title = scope if scope == "Organisation" else f"Workload: {scope}"
        story += [*table_heading(title, styles),
                  table(["Question", "Answer", "Note", "Known as", "Flag"], rows, (0.32, 0.22, 0.28, 0.1, 0.08),
                        styles)]
    return [*story, PageBreak()]


def appendix_methodology(inputs: Inputs) -> list:
    styles = inputs.styles
    return [heading("Appendix C: Methodology", "H1", styles), *narrative("methodology.j2", inputs),
            heading("Disclaimer", "H2", styles), text(inputs.brand.disclaimer, styles.small, styles)]


SECTIONS = (cover, table_of_contents, executive_summary, recommendation, costs, hardware, readiness, risks,
            appendix_assumptions, appendix_answers, appendix_methodology)


def story(inputs: Inputs) -> list:
    return [flowable for section in SECTIONS for flowable in section(inputs)]

