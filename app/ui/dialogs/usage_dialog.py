"""File > Import Usage...: read provider usage exports, show each model's measured figures and the daily
series (the report's chart, through QtSvg), reconcile the stated API bill with the usage priced at list prices,
and map export models to use cases. Apply writes measured volume answers (confidence "measured", with the
period) through the Document, like typed answers; app.engine.usage computes everything shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel, QPushButton,
                               QVBoxLayout, QWidget)

from app.domain.assessment import AnswerStatus
from app.domain.catalogs import Catalogs
from app.domain.errors import AdvisorError
from app.domain.numbers import localise
from app.domain.usage import UsageBucket, UsageReconciliation, UsageSummary
from app.engine.bindings import build_inputs
from app.engine.usage import apply_measured, figures_for, reconcile, summarize
from app.storage.usage_exports import read_usage_exports
from app.ui.files.document import Document
from app.ui.dialogs.errors import show_error
from app.ui.widgets.format import compact, money
from app.ui.widgets.labels import muted_label
from app.ui.results.results import current_brand
from app.ui.widgets.widgets import SvgChart, heading, read_only_table

NOT_USED = "(not used)"
MAPPING_COLUMN = 8
EXPORT_FILTER = "Usage exports (*.json *.jsonl *.csv *.gz);;All files (*)"


def _share(value: float | None, locale: str) -> str:
    return "-" if value is None else localise(f"{value:.1%}", locale)


def _width(seconds: int) -> str:
    named = {86400: "1-day", 3600: "1-hour", 60: "1-minute"}
    return named.get(seconds, f"{seconds}-second")


def _ratio(value: float | None, locale: str) -> str:
    return "-" if value is None else localise(f"{value:.2f}x", locale)


class UsageImportDialog(QDialog):
    def __init__(self, document: Document, catalogs: Catalogs, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import usage")
        self.setObjectName("usageImportDialog")
        self.document, self.catalogs = document, catalogs
        self.paths: list[Path] = []
        self.buckets: list[UsageBucket] = []
        self.summary: UsageSummary | None = None
        self.table = None
        self.chart: QWidget | None = None
        self._build()
        self.resize(1000, 760)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        add = QPushButton("Add export files…")
        add.clicked.connect(self._choose_files)
        row.addWidget(add)
        self.files_label = QLabel("No export yet: OpenAI or Anthropic usage pages, Bedrock invocation logs, or CSV.",
                                  wordWrap=True)
        row.addWidget(self.files_label, 1)
        layout.addLayout(row)
        self.period_label = muted_label("", "usagePeriod")
        layout.addWidget(self.period_label)
        self.table_slot = QVBoxLayout()
        layout.addLayout(self.table_slot)
        self.chart_slot = QVBoxLayout()
        layout.addLayout(self.chart_slot, 1)
        layout.addWidget(heading("Reconciliation"))
        self.reconciliation_label = QLabel("", wordWrap=True, objectName="usageReconciliation")
        layout.addWidget(self.reconciliation_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setText("Apply to use cases")
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_apply()

    # ---------------------------------------------------------------- reading
    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Add usage exports", "", EXPORT_FILTER)
        if names:
            self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path]) -> bool:
        """Read these exports with the ones already added; one message and no change if any cannot be read."""
        try:
            buckets = read_usage_exports([*self.paths, *paths])
            summary = summarize(buckets, self._days_per_month())
        except AdvisorError as error:
            show_error(self, "Import usage", error)
            return False
        self.paths += paths
        self.buckets, self.summary = buckets, summary
        self._show_summary()
        return True

    def _days_per_month(self) -> float:
        return self._assumption("days_per_month")

    def _assumption(self, assumption_id: str) -> float:
        override = self.document.assessment.assumption_overrides.get(assumption_id)
        return override.value if override else self.catalogs.pricing.assumptions[assumption_id].default

    # ---------------------------------------------------------------- showing
    def _show_summary(self) -> None:
        summary = self.summary
        self.files_label.setText(", ".join(p.name for p in self.paths))
        self.period_label.setText(f"{summary.first_day} to {summary.last_day}: {summary.total.days} days in "
                                  f"{_width(summary.bucket_seconds)} buckets, {len(summary.models)} models.")
        reconciliation = self._reconciliation()
        priced_as = {p.model: p.api_model_id or "not in the catalog" for p in reconciliation.models}
        locale = self.document.assessment.display.locale
        rows = [[m.model, str(m.days), compact(m.tokens_per_day, locale), _share(m.cached_input_share, locale),
                 "-" if m.requests_per_day is None else compact(m.requests_per_day, locale),
                 _ratio(m.peak_to_average_ratio, locale), _share(m.growth_share_per_month, locale), priced_as[m.model],
                 ""] for m in summary.models]
        self._replace(self.table_slot, "table", read_only_table(
            ["Model (as exported)", "Days", "Tokens/day", "Cached input", "Requests/day", "Peak/average",
             "Growth/month", "Priced as", "Use case"], rows, numeric={1, 2, 3, 4, 5, 6},
            accessible_name="Models in the usage export"))
        for row in range(len(summary.models)):
            self.table.setCellWidget(row, MAPPING_COLUMN, self._workload_choice())
        from app.report.usage_chart import USAGE_CHART_TITLE, usage_chart_svg
        self._replace(self.chart_slot, "chart", SvgChart(usage_chart_svg(summary, current_brand()), USAGE_CHART_TITLE))
        self.reconciliation_label.setText(self._reconciliation_text(reconciliation))
        self._update_apply()

    def _replace(self, slot: QVBoxLayout, name: str, widget: QWidget) -> None:
        old = getattr(self, name)
        if old is not None:
            slot.removeWidget(old)
            old.deleteLater()
        setattr(self, name, widget)
        slot.addWidget(widget)

    def _workload_choice(self) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName("Use case")
        combo.addItem(NOT_USED, None)
        for workload in self.document.assessment.workloads:
            combo.addItem(workload.name, workload.id)
        combo.currentIndexChanged.connect(self._update_apply)
        return combo

    def _reconciliation(self) -> UsageReconciliation:
        stated = build_inputs(self.document.assessment).organisation.current_api_spend_usd_per_month
        return reconcile(self.summary.models, self.catalogs.pricing, self._days_per_month(), stated,
                         self._assumption("api_spend_mismatch_factor"))

    def _reconciliation_text(self, r: UsageReconciliation) -> str:
        display = self.document.assessment.display
        unpriced = [p.model for p in r.models if p.api_model_id is None]
        text = f"The export's usage at list prices: {money(r.priced_usd_per_month, display)} a month"
        text += f" ({len(unpriced)} models not in the catalog are left out: {', '.join(unpriced)})." if unpriced else "."
        if r.stated_usd_per_month is None:
            return text + " No current API spend is stated in the assessment to compare it with."
        verdict = ("within" if r.within_tolerance else "outside") if r.within_tolerance is not None else "not comparable"
        ratio = "" if r.stated_over_priced is None else f", {r.stated_over_priced:.2f}x the priced usage"
        factor = self._assumption("api_spend_mismatch_factor")
        return (text + f" The stated API spend is {money(r.stated_usd_per_month, display)} a month{ratio}: {verdict} "
                f"the {factor:g}x tolerance. A gap means a negotiated rate, batch discounts, other models or "
                "usage outside the export.")

    # ---------------------------------------------------------------- applying
    def mapping(self) -> dict[str, set[str]]:
        """Workload id -> the export models mapped to it."""
        chosen: dict[str, set[str]] = {}
        if self.summary is None:
            return chosen
        for row, model in enumerate(self.summary.models):
            workload_id = self.table.cellWidget(row, MAPPING_COLUMN).currentData()
            if workload_id:
                chosen.setdefault(workload_id, set()).add(model.model)
        return chosen

    def map_model(self, model: str, workload_id: str | None) -> None:
        row = [m.model for m in self.summary.models].index(model)
        combo = self.table.cellWidget(row, MAPPING_COLUMN)
        combo.setCurrentIndex(combo.findData(workload_id) if workload_id else 0)

    def _update_apply(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Apply).setEnabled(bool(self.mapping()))

    def apply(self) -> None:
        """Measured answers into each mapped use case, through the Document (marks it modified, re-evaluates)."""
        questions = self.document.assessment.questionnaire.questions_by_id
        for workload_id, models in self.mapping().items():
            figures, first, last = figures_for(self.buckets, models, self._days_per_month())
            measured = apply_measured(self.document.assessment, workload_id, figures, self.summary.bucket_seconds,
                                      (first, last), models).workload(workload_id)
            current = self.document.assessment.workload(workload_id).answers
            for question_id, answer in measured.answers.items():
                if current.get(question_id) != answer:
                    self.document.update_answer(questions[question_id], workload_id, value=answer.value,
                                                status=AnswerStatus.ANSWERED, confidence=answer.confidence,
                                                note=answer.note)
        self.accept()
