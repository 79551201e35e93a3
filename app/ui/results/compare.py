"""File > Compare With…: the open assessment (this quarter's) beside another file (last quarter's). Shows how
the recommendation, the confidence and each option's costs moved, the monthly cost change as a waterfall (the
report's own drawing) with its four parts, and what changed; saves the quarterly review PDF, protected like
the files it derives from. The figures are app.engine.compare's, the rows app.report.whatif_rows'."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from app.domain.assessment import Assessment
from app.domain.comparison import Comparison
from app.domain.errors import AdvisorError
from app.ui.files.document import Document
from app.ui.dialogs.errors import show_error
from app.ui.widgets.format import money_format
from app.ui.files.passwords import busy_cursor, load_with_password
from app.ui.widgets.labels import muted_label
from app.ui.results.results import current_brand
from app.ui.widgets.widgets import SvgChart, heading, read_only_table

TITLE = "Compare With"
FILE_FILTER = "Assessments (*.llmassess);;All files (*)"


def compare_with(parent: QWidget, document: Document, catalogs, path: Path | None = None) -> "CompareDialog | None":
    """Ask for last quarter's file (unless `path` is given), compare, and show the comparison (not modal)."""
    from app.storage.assessment_files import load_assessment

    if path is None:
        chosen, _ = QFileDialog.getOpenFileName(parent, "Compare with an earlier assessment", "", FILE_FILTER)
        if not chosen:
            return None
        path = Path(chosen)
    try:
        loaded = load_with_password(parent, TITLE, f"{path.name} is password protected.",
                                    lambda password: (load_assessment(path, password), password))
        if loaded is None:
            return None
        old, old_password = loaded
        with busy_cursor():
            comparison = _compare(old, document.assessment, catalogs)
    except AdvisorError as error:
        show_error(parent, "Cannot compare", error)
        return None
    dialog = CompareDialog(old, document, comparison, old_password, catalogs.pricing.assumptions, parent)
    dialog.show()
    return dialog


def _compare(old: Assessment, new: Assessment, new_catalogs) -> Comparison:
    from app.engine.compare import compare
    from app.storage.catalogs import catalogs_for
    return compare(old, catalogs_for(old), new, new_catalogs)


class CompareDialog(QDialog):
    def __init__(self, old: Assessment, document: Document, comparison: Comparison, old_password: str | None,
                 assumptions, parent: QWidget | None = None):
        super().__init__(parent, objectName="compareDialog")
        self.setWindowTitle(f"Compared with {old.title}")
        self.old, self.document, self.comparison, self.old_password = old, document, comparison, old_password
        self.assumptions = assumptions  # this quarter's catalog assumptions: labels and units of the changes
        self.resize(980, 760)
        layout = QVBoxLayout(self)
        area = QScrollArea(widgetResizable=True)
        area.setWidget(self._body())
        layout.addWidget(area, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        save = QPushButton("Save Quarterly &Review PDF…", objectName="saveReview")
        save.clicked.connect(self.save_review)
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _body(self) -> QWidget:
        from app.report import charts
        from app.report.review import review_facts
        from app.report import whatif_rows as rows

        new = self.document.assessment
        money = money_format(new.display)
        facts = review_facts(self.comparison, money)
        body = QWidget()
        layout = QVBoxLayout(body)
        summary = QLabel(objectName="compareSummary", wordWrap=True)
        summary.setText(f"Recommendation: {facts.old_recommendation} → {facts.new_recommendation}  ·  confidence "
                        f"{facts.old_confidence} → {facts.new_confidence}")
        layout.addWidget(summary)
        layout.addWidget(muted_label(
            f"Monthly cost of {facts.option}{' (cheapest feasible: no recommendation yet)' if facts.fallback else ''}: "
            f"{facts.old_monthly} → {facts.new_monthly} ({facts.total_change}), split by changing one thing at a "
            "time: volume, catalog prices, other answers, assumptions.", "compareAttribution"))
        drawing = charts.waterfall_drawing(self.comparison, current_brand(), new.display)
        layout.addWidget(SvgChart(charts.drawing_svg(drawing), "Where the monthly cost change comes from"))
        tables = (
            ("Where the change comes from", ["Step", "Monthly"], rows.attribution_rows(self.comparison, money), {1}),
            ("Costs by option", list(rows.OPTION_MOVE_HEADERS), rows.option_move_rows(self.comparison, money),
             {1, 2, 3, 4}),
            ("Changed answers", list(rows.ANSWER_HEADERS),
             rows.changed_answer_rows(self.comparison, self.old, new, money), set()),
            ("Changed assumptions", list(rows.ASSUMPTION_HEADERS),
             rows.changed_assumption_rows(self.comparison, self.assumptions, money), set()),
            ("Changed catalog prices", list(rows.PRICE_HEADERS), rows.changed_price_rows(self.comparison), set()))
        for title, headers, table_rows, numeric in tables:
            layout.addWidget(heading(title))
            if table_rows:
                layout.addWidget(read_only_table(headers, [list(r) for r in table_rows], numeric=numeric,
                                                 accessible_name=title))
            else:
                layout.addWidget(muted_label("None.", "compareNone"))
        layout.addStretch(1)
        return body

    @property
    def review_password(self) -> str | None:
        """A protected assessment's review is protected: this quarter's password first, else last quarter's."""
        return self.document.password or self.old_password

    def save_review(self) -> Path | None:
        name = self.document.display_name.removesuffix(".llmassess")
        chosen, _ = QFileDialog.getSaveFileName(self, "Save quarterly review", f"{name}-quarterly-review.pdf",
                                                "PDF (*.pdf)")
        if not chosen:
            return None
        return self.write_review(Path(chosen if chosen.endswith(".pdf") else chosen + ".pdf"))

    def write_review(self, path: Path) -> Path | None:
        from app.report.review import build_review

        try:
            with busy_cursor():
                return build_review(self.old, self.document.assessment, self.comparison, current_brand(), path,
                                    assumptions=self.assumptions, password=self.review_password)
        except AdvisorError as error:
            show_error(self, "Cannot save the review", error)
            return None
