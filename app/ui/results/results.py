"""The results: recommendation and reasons (each linked to what it rests on), costs, sizing,
readiness and sensitivity, all read from the engine's Evaluation. Charts are the report's own
drawings (app.report.charts) shown through QtSvg, so the screen and the PDF never disagree."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QTabWidget, QVBoxLayout,
                               QWidget)

from app.domain.brand import BrandProfile
from app.domain.errors import BrandError
from app.domain.evaluation import OPTION_LABELS, Evaluation
from app.domain.numbers import format_percent
from app.ui.files.catalog_packs import stale_prices_label
from app.ui.files.document import Document
from app.ui.results.evaluation import Evaluator
from app.ui.widgets.format import (compact, headline, money, money_format, money_total, period_label, plain_number,
                            price, rate_note, sentence)
from app.ui.results.live_panel import recommendation_label
from app.ui.widgets.presenting import hide_working_marks, is_presenting
from app.ui.widgets.labels import muted_label
from app.ui.results.scenarios import ScenariosPage
from app.ui.widgets.widgets import SvgChart, heading, read_only_table
from app.ui.widgets.looks import styled


def current_brand() -> BrandProfile:
    from app.storage.brand import load_brand
    try:
        return load_brand()
    except BrandError:
        return BrandProfile()  # a broken brand file must not hide the results; Preferences reports it


def _scroll_page(*widgets: QWidget) -> QScrollArea:
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.setContentsMargins(16, 12, 16, 16)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    area = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
    area.setWidget(body)
    return area


def _rich(text: str) -> QLabel:
    label = QLabel(text, wordWrap=True, textFormat=Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    return label


class ResultsView(QWidget):
    def __init__(self, document: Document, evaluator: Evaluator, jump_to, first_tab: int = 0,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.evaluator = evaluator
        self.jump_to = jump_to
        self.first_tab = first_tab  # shown once the first evaluation fills the tabs
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 8)
        layout.addLayout(self._header())
        self.headline = muted_label("", "headline")
        layout.addWidget(self.headline)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs, 1)
        self.status = muted_label("", "resultsStatus")
        layout.addWidget(self.status)
        evaluator.full_ready.connect(self.show_evaluation)
        evaluator.message.connect(self.status.setText)

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(styled(QLabel("Results", objectName="pageTitle")))
        row.addSpacing(16)
        self.recommendation = styled(QLabel("", objectName="recommendation", wordWrap=True))
        self.recommendation.setAccessibleName("Recommendation")
        row.addWidget(self.recommendation, 1)
        export = QPushButton("Export P&DF…")  # Alt+E is the Edit menu
        export.clicked.connect(lambda: self.window().export_pdf())
        row.addWidget(export)
        return row

    def refresh(self) -> None:
        if self.evaluator.full is not None:
            self.show_evaluation(self.evaluator.full)
        else:
            self.status.setText("Computing results…")
        self.evaluator.run_full_now()

    def show_evaluation(self, evaluation: Evaluation | None) -> None:
        if evaluation is None:
            return
        display = self.document.assessment.display
        confidence = evaluation.confidence
        self.recommendation.setText(f"Recommendation: {recommendation_label(evaluation.recommendation)}"
                                    + (f"  ·  confidence {format_percent(confidence, display.locale)}"
                                       if confidence is not None else ""))
        self.headline.setText(headline(evaluation, display))
        index = self.current_tab()
        old_pages = [self.tabs.widget(i) for i in range(self.tabs.count())]
        self.tabs.clear()  # removes the tabs but keeps their pages alive: delete them, or every refresh leaks
        for page in old_pages:
            page.deleteLater()
        charts = _Charts(evaluation, display)
        pages = _ResultPages(evaluation, self.document, charts, self._on_link, presenting=is_presenting(self))
        what_ifs = ScenariosPage(evaluation, self.document, charts.chart("scenarios"),
                                 {a.id: a for a in evaluation.assumptions})
        for title, page in (("&Summary", pages.summary()), ("&Costs", pages.costs()), ("Si&zing", pages.sizing()),
                            ("&Readiness", pages.readiness()), ("Sensitivi&ty", pages.sensitivity()),
                            ("Scenar&ios", _scroll_page(what_ifs))):
            self.tabs.addTab(page, title)
        self.tabs.setCurrentIndex(index if 0 <= index < self.tabs.count() else 0)
        hide_working_marks(self.tabs)
        self.status.setText(rate_note(display) or "Figures from the full calculation; edit answers or "
                            "assumptions and they update.")

    def current_tab(self) -> int:
        return self.tabs.currentIndex() if self.tabs.count() else self.first_tab

    def _on_link(self, href: str) -> None:
        kind, _, rest = href.partition(":")
        reference, _, workload = rest.partition("@")
        self.jump_to(reference, workload or None)


class _Charts:
    """The report's charts for one evaluation; an absent report module leaves a plain note instead."""

    def __init__(self, evaluation: Evaluation, display):
        self.evaluation, self.display = evaluation, display
        self.brand = current_brand()

    def chart(self, chart_id: str) -> QWidget | None:
        from app.report import charts
        if not charts.has_chart(chart_id, self.evaluation):
            return None
        svg = charts.chart_svg(chart_id, self.evaluation, self.brand, self.display)
        return SvgChart(svg, charts.chart_title(chart_id))


class _ResultPages:
    """Builds the tabs of the results view from one Evaluation."""

    def __init__(self, evaluation: Evaluation, document: Document, charts: _Charts, on_link, presenting: bool = False):
        self.presenting = presenting  # a clean view for the client: no "rests on" links
        self.e = evaluation
        self.assessment = document.assessment
        self.display = document.assessment.display
        self.charts = charts
        self.on_link = on_link
        self.assumption_labels = {a.id: a.label for a in evaluation.assumptions}

    def _page(self, *widgets: QWidget | None) -> QScrollArea:
        return _scroll_page(*[w for w in widgets if w is not None])

    def _use_case_of(self, text: str) -> str | None:
        """The one use case a reason speaks of (named in its words), whose answers its links open."""
        named = [w.id for w in self.assessment.workloads if w.name and w.name in text]
        return named[0] if len(named) == 1 else None

    def _links(self, references: tuple[str, ...], workload_id: str | None = None) -> str:
        """'rests on: <a>Requests per day</a>, <a>GPU hourly price</a>' with jump links ("" when presenting);
        a use-case question opens in `workload_id`'s answers."""
        if self.presenting:
            return ""
        questions = self.assessment.questionnaire.questions_by_id
        section_of = self.assessment.questionnaire.section_of
        links = []
        for reference in references:
            if reference in questions:
                scoped = workload_id and section_of[reference].scope == "workload"
                target = f"{reference}@{workload_id}" if scoped else reference
                links.append(f'<a href="question:{escape(target)}">{escape(questions[reference].label)}</a>')
            elif reference in self.assumption_labels:
                links.append(f'<a href="assumption:{escape(reference)}">'
                             f'{escape(self.assumption_labels[reference])}</a>')
            else:
                links.append(escape(reference))
        return "rests on: " + ", ".join(links) if links else ""

    # ---------------------------------------------------------------- tabs
    def summary(self) -> QScrollArea:
        locale = self.display.locale
        reasons = []
        for reason in sorted(self.e.reasons, key=lambda r: -r.strength):
            text = sentence(reason, self.display)
            links = self._links(reason.rests_on, self._use_case_of(text))
            label = _rich(f"<b>•</b> {escape(text)}"
                          + (f"<br><small>{links}</small>" if links else ""))
            label.linkActivated.connect(self.on_link)
            reasons.append(label)
        roadmap = read_only_table(["Phase", "Option", "Trigger"],
                                  [[f"{p.phase}. {sentence(p, self.display, 'title')}".rstrip(". "), OPTION_LABELS[p.option],
                                    sentence(p, self.display, "trigger")]
                                   for p in self.e.roadmap], accessible_name="Roadmap", wrap={0, 2})
        routes = read_only_table(
            ["Use case", "Tokens/day", "Route under the recommendation", "Why"],
            [[w.name, compact(w.tokens_per_day, locale), OPTION_LABELS[w.route], w.route_reason] for w in self.e.workloads],
            numeric={1}, accessible_name="Use case routes", wrap={3})
        warnings = [muted_label("⚠ " + sentence(n, self.display), "warning") for n in self.e.notices]
        return self._page(self._headline_costs(), heading("Why"), *reasons, heading("Roadmap"), roadmap,
                          heading("Use cases and their routes"), routes, *warnings)

    def _headline_costs(self) -> QWidget:
        """Each option's cost per period and over the horizon, large, the recommended one marked: the figures
        a client asks for first."""
        from app.domain.evaluation import option_for_recommendation
        recommended = option_for_recommendation(self.e.recommendation or "")  # none: no option is marked
        box = QFrame(objectName="headlineCosts")
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setHorizontalSpacing(24)
        offered = [(o, c) for o, c in self.e.options.items() if c.offered]  # not a hybrid that is a pure option
        for column, (option_id, cost) in enumerate(offered):
            mark = " (recommended)" if option_id == recommended else ""
            grid.addWidget(styled(QLabel(OPTION_LABELS[option_id] + mark, objectName="panelCaption", wordWrap=True)), 0, column)
            figure = money(cost.monthly_usd, self.display) if cost.feasible else "not feasible"
            value = styled(QLabel(figure, objectName="bigFigure"))
            value.setAccessibleName(f"{OPTION_LABELS[option_id]} cost {period_label(self.display)}")
            grid.addWidget(value, 1, column)
            total = (f"{period_label(self.display)}, {money_total(cost.horizon_usd, self.display)} over "
                     f"{self.e.horizon_months} months" if cost.feasible else "")
            grid.addWidget(QLabel(total, wordWrap=True), 2, column)
        return box

    def costs(self) -> QScrollArea:
        rows = []
        for option_id, cost in self.e.options.items():
            status = "feasible" if cost.feasible else f"not feasible: {cost.infeasible_reason or ''}"
            rows.append([OPTION_LABELS[option_id], money(cost.monthly_usd, self.display),
                         money_total(cost.one_time_usd, self.display), money_total(cost.horizon_usd, self.display),
                         price(cost.usd_per_million_tokens, self.display), status])
        table = read_only_table(["Option", f"Cost {period_label(self.display)}", "One-time",
                                 f"{self.e.horizon_months}-month total", "Per 1M tokens", "Status"],
                                rows, numeric={1, 2, 3, 4}, accessible_name="Cost per option", wrap={5})
        locale = self.display.locale
        break_even = [f"{OPTION_LABELS[o]}: {compact(v, locale)} tokens/day" if v else f"{OPTION_LABELS[o]}: none in range"
                      for o, v in self.e.break_even_tokens_per_day.items()]
        return self._page(heading("Cost per option"), table, self.charts.chart("cost_comparison"),
                          *self._money_over_time(), *self._bridge(), heading("Cost versus volume"),
                          muted_label(f"Today: {compact(self.e.tokens_per_day, locale)} tokens/day. Break-even against "
                                      "the API — " + "; ".join(break_even), "breakEven"),
                          self.charts.chart("cost_curve"), stale_prices_label(self.e))

    def _money_over_time(self) -> list[QWidget]:
        """Per option: each year's cost, the horizon total, NPV and payback; then how each total is built."""
        from app.report.plan_rows import CASH_FLOW_HEADERS, cash_flow_rows, payback, year_label
        options = [o for o in self.e.options.values() if o.cash_flow_by_year]
        if not options:
            return []
        money = money_format(self.display)
        years = [year_label(y) for y in options[0].cash_flow_by_year]
        summary = read_only_table(
            ["Option", *years, "Total", "NPV", "Payback"],
            [[OPTION_LABELS[o.option], *(money.amount(c.usd) for c in o.cash_flow_by_year),
              money.amount(o.horizon_usd), money.amount(o.npv_usd), payback(o)] for o in options],
            numeric=set(range(1, len(years) + 3)), accessible_name="Money over time")
        rows = [[OPTION_LABELS[o.option] if i == 0 else "", *row]
                for o in options for i, row in enumerate(cash_flow_rows(o, money))]
        built = read_only_table(["Option", *CASH_FLOW_HEADERS], rows, numeric={3, 4},
                                accessible_name="Cash flow by year")
        return [heading("Money over time"), summary,
                heading(f"{self.e.horizon_months} months, year by year"), built]

    def _bridge(self) -> list[QWidget]:
        from app.report.fonts import font_set
        from app.report.plan_rows import BRIDGE_HEADERS, bridge_table
        if not self.e.article_bridge:
            return []
        rows = bridge_table(self.e, money_format(self.display), font_set(self.charts.brand.font_family))
        table = read_only_table(list(BRIDGE_HEADERS), [list(r) for r in rows], numeric={1, 2},
                                accessible_name="Bridge to the article", wrap={0, 3})
        return [heading("Bridge to the article"), table]

    def _pools(self) -> list[QWidget]:
        """Every option's serving pools: what an inference engineer would deploy, and for which use cases."""
        from app.report.plan_rows import POOL_HEADERS, pool_rows
        money = money_format(self.display)
        widgets: list[QWidget] = []
        for option_id, cost in self.e.options.items():
            if cost.pools:
                widgets += [heading(f"Serving pools: {OPTION_LABELS[option_id]}"),
                            read_only_table(list(POOL_HEADERS), [list(r) for r in pool_rows(cost.pools, self.e, money)],
                                            numeric={6, 7}, accessible_name=f"Serving pools {option_id}",
                                            wrap={8})]
        return widgets

    def _use_cases(self) -> list[QWidget]:
        """Every use case's route, what serves it, and its latency targets beside what its sizing gives: a
        nightly batch plan never stands in for the chat use case beside it."""
        from app.report.plan_rows import USE_CASE_HEADERS, latency_targets, use_case_rows
        rows = use_case_rows(self.e, latency_targets(self.assessment), self.display.locale)
        return [heading("Use cases: route, targets and margin"),
                read_only_table(list(USE_CASE_HEADERS), [list(r) for r in rows], numeric={3, 4, 5, 6, 7},
                                accessible_name="Use case targets", wrap={0, 2})]

    def sizing(self) -> QScrollArea:
        from app.report.formatting import number  # the report's rule for measurements
        from app.report.names import display_name, pool_label
        s, locale = self.e.sizing, self.display.locale
        if s is None:
            return self._page(*self._pools(), *self._use_cases(),
                              muted_label("No self-hosted sizing for this assessment.", "empty"))
        pool = f"the largest pool ({pool_label(s.pool_id)})" if s.pool_id else "the largest pool"
        facts = [["Model", display_name(s.model)],
                 ["GPU", f"{display_name(s.gpu)} × {s.gpus_per_replica} per replica"],
                 ["Replicas", f"{s.replicas} (including {s.redundancy_replicas} for redundancy)"],
                 ["Precision", f"weights {display_name(s.precision)}, KV cache {display_name(s.kv_precision)}"],
                 ["Serving engine", display_name(s.engine)],
                 ["Time to first token", number(s.ttft_ms, "ms", locale=locale)],
                 ["Time per output token", number(s.tpot_ms, "ms", locale=locale)],
                 ["Output speed per replica", number(s.output_tokens_per_s_per_replica, "tokens/s", locale=locale)],
                 ["Utilisation at peak", "—" if s.utilisation is None else format_percent(s.utilisation, locale)]]
        levers = read_only_table(["Lever", "Applied", "What it buys", "Risk"],
                                 [[l.label, "yes" if l.applied else "no", sentence(l, self.display, "effect"), l.risk]
                                  for l in s.levers],
                                 accessible_name="Optimisation plan", wrap={2, 3})
        return self._page(*self._pools(), *self._use_cases(), heading(f"GPU sizing: {pool}"),
                          read_only_table(["", "Value"], facts, accessible_name="Sizing"),
                          self.charts.chart("memory"), heading("Optimisation plan"), levers)

    def readiness(self) -> QScrollArea:
        r = self.e.readiness
        rows = [[r.dimension_labels.get(d, d), "—" if v is None else f"{round(v)}"] for d, v in r.dimensions.items()]
        gaps = read_only_table(["Dimension", "Gap", "Action", "Severity"],
                               [[r.dimension_labels.get(g.dimension, g.dimension), g.text, g.action, g.severity]
                                for g in r.gaps], accessible_name="Gaps and actions", wrap={1, 2})
        overall = "—" if r.overall is None else f"{round(r.overall)} / 100"
        return self._page(heading(f"Readiness: {overall}"), self.charts.chart("readiness"),
                          read_only_table(["Dimension", "Score"], rows, numeric={1}, accessible_name="Readiness"),
                          heading("Gaps and actions"), gaps)

    def sensitivity(self) -> QScrollArea:
        from app.report.facts import tipping_point_rows  # the report's wording, so screen and paper agree
        tipping = read_only_table(["What", "Today", "Flips at", "Then"],
                                  [list(row) for row in tipping_point_rows(self.e, money_format(self.display))],
                                  numeric={1, 2}, accessible_name="Tipping points", wrap={0})
        uncertainty = None
        if self.e.uncertainty is not None:
            share = format_percent(self.e.uncertainty.probability_self_host_cheaper, self.display.locale)
            draws = plain_number(self.e.uncertainty.draws, self.display.locale)
            uncertainty = muted_label(f"In {share} of {draws} simulated futures, self-hosting "
                                      "is cheaper than the API.", "probability")
        return self._page(heading("Tipping points"), tipping, heading("Sensitivity"), self.charts.chart("tornado"),
                          heading("Uncertainty"), uncertainty, self.charts.chart("uncertainty"))

