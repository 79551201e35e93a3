"""Every assumption the results rest on, with value, unit, range, source and as-of date. An
assumption can be overridden for this assessment, with a reason, and reset; overrides stand out."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from app.domain.evaluation import AssumptionValue
from app.ui.files.document import Document
from app.ui.results.evaluation import Evaluator
from app.ui.widgets.labels import muted_label
from app.ui.widgets.widgets import RIGHT, FittedTable, enable_copy
from app.ui.widgets.looks import styled

COLUMNS = ["Assumption", "Value", "Unit", "Range", "Source (as of)", "Why this value", "Override reason"]
WHY_COLUMN = 5
REASON_COLUMN = 6
SEARCHED_COLUMNS = (0, 2, 4, WHY_COLUMN)
ROLE_ID = Qt.ItemDataRole.UserRole


def _number(value: float) -> str:
    return f"{value:,.6g}"


class OverrideDialog(QDialog):
    """Asks for the new value and why it differs from the default. Only values the assumption can mean
    are accepted (its valid range: a share 0 to 1, a divisor more than 0, replicas whole); values outside
    the plausible range are allowed, with a warning under the field."""

    def __init__(self, assumption: AssumptionValue, parent: QWidget | None = None):
        super().__init__(parent)
        self.assumption = assumption
        self.setWindowTitle(f"Override: {assumption.label}")
        form = QFormLayout(self)
        form.addRow(muted_label(f"Default {_number(assumption.default)} {assumption.unit} · plausible range "
                                f"{_number(assumption.low)}–{_number(assumption.high)} · {assumption.source}",
                                "overrideInfo"))
        valid = assumption.valid
        self.value = QDoubleSpinBox(decimals=0 if valid.integer else 6, minimum=valid.minimum, maximum=valid.maximum)
        self.value.setValue(assumption.value)
        self.value.setSuffix(f" {assumption.unit}" if assumption.unit else "")
        self.value.setAccessibleName("New value")
        self.value.valueChanged.connect(self._update_warning)
        self.warning = styled(QLabel(wordWrap=True, objectName="error"))
        self.reason = QLineEdit(assumption.override_reason, placeholderText="e.g. client's negotiated GPU price")
        self.reason.setAccessibleName("Reason")
        form.addRow("&Value:", self.value)
        form.addRow("", self.warning)
        form.addRow("&Reason:", self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept_if_reason)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._update_warning()
        self.resize(520, self.sizeHint().height())

    def problem(self) -> str | None:
        """Why the value cannot be accepted (outside what the assumption can mean), or None."""
        problem = self.assumption.valid.problem(self.value.value())
        return f"{self.assumption.label} {problem}." if problem else None

    def _update_warning(self) -> None:
        value, low, high = self.value.value(), self.assumption.low, self.assumption.high
        outside = not low <= value <= high
        self.warning.setText(self.problem() or (f"Outside the plausible range {_number(low)}–{_number(high)}: "
                                                "allowed, and worth a word in the reason." if outside else ""))
        self.warning.setVisible(bool(self.warning.text()))

    def _accept_if_reason(self) -> None:
        if self.problem():
            self.value.setFocus()
        elif self.reason.text().strip():
            self.accept()
        else:
            self.reason.setPlaceholderText("A reason is needed: it is printed in the report's appendix")
            self.reason.setFocus()


class AssumptionsPage(QWidget):
    def __init__(self, document: Document, evaluator: Evaluator, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.evaluator = evaluator
        self.assumptions: list[AssumptionValue] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addWidget(styled(QLabel("Assumptions", objectName="pageTitle")))
        layout.addWidget(muted_label("The figures every result rests on. Override one for this assessment (with a "
                                     "reason) when the client knows better; overridden rows are shown in bold.",
                                     "pageDescription"))
        search_row = QHBoxLayout()
        search_label = QLabel("&Search:")
        self.search = QLineEdit(placeholderText="name, unit, source or why, e.g. GPU or engineer", clearButtonEnabled=True)
        self.search.setAccessibleName("Search assumptions")
        search_label.setBuddy(self.search)
        self.search.textChanged.connect(self._filter)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        layout.addLayout(search_row)
        self.table = FittedTable(0, len(COLUMNS), {0, 4, WHY_COLUMN, REASON_COLUMN}, fixed_height=False)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Assumptions")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.itemActivated.connect(lambda _item: self.edit_selected())
        enable_copy(self.table)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._buttons())
        evaluator.full_ready.connect(self._on_evaluation)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.status = muted_label("", "assumptionsStatus")
        row.addWidget(self.status, 1)
        self.edit_button = QPushButton("&Override…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.reset_button = QPushButton("&Reset to default")
        self.reset_button.clicked.connect(self.reset_selected)
        row.addWidget(self.edit_button)
        row.addWidget(self.reset_button)
        return row

    def refresh(self) -> None:
        if self.evaluator.full is None:
            self.status.setText("Computing…")
            self.evaluator.run_full_now()
        else:
            self._on_evaluation(self.evaluator.full)

    def _why(self, assumption_id: str) -> str:
        """The catalog's rationale for the default (or, where it gives none, what the figure is)."""
        catalog = self.evaluator.catalogs().pricing.assumptions.get(assumption_id)
        return (catalog.rationale or catalog.description) if catalog is not None else ""

    def _filter(self, text: str = "") -> None:
        """Only the rows whose name, unit, source or why hold every word typed (any case)."""
        words = (text or self.search.text()).lower().split()
        for row in range(self.table.rowCount()):
            cells = " ".join(self.table.item(row, c).text().lower() for c in SEARCHED_COLUMNS
                             if self.table.item(row, c) is not None)
            self.table.setRowHidden(row, not all(word in cells for word in words))

    def _on_evaluation(self, evaluation) -> None:
        if evaluation is None:
            return
        selected = self.selected()
        self.assumptions = list(evaluation.assumptions)
        self.table.setRowCount(len(self.assumptions))
        for row, assumption in enumerate(self.assumptions):
            self._fill_row(row, assumption)
        self.table.setColumnHidden(REASON_COLUMN, not any(a.override_reason for a in self.assumptions))
        self._filter()
        self.table.refit()
        overridden = sum(a.overridden for a in self.assumptions)
        self.status.setText(f"{len(self.assumptions)} assumptions, {overridden} overridden for this assessment.")
        if selected is not None:
            self.select(selected.id, take_focus=False)  # a recalculation never moves the keyboard focus
        self._update_buttons()

    def _fill_row(self, row: int, a: AssumptionValue) -> None:
        source = f"{a.source} (as of {a.as_of})" if a.as_of else a.source
        cells = [a.label, _number(a.value), a.unit, f"{_number(a.low)} – {_number(a.high)}", source, self._why(a.id),
                 a.override_reason]
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(ROLE_ID, a.id)
            if column in (1, 3):
                item.setTextAlignment(RIGHT)
            if a.overridden:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            if column == 1:
                item.setToolTip(f"Overridden; default {_number(a.default)} {a.unit}" if a.overridden
                                else "Default value")
            self.table.setItem(row, column, item)
        if a.overridden:
            self.table.item(row, 1).setText(f"● {_number(a.value)}")

    def selected(self) -> AssumptionValue | None:
        row = self.table.currentRow()
        return self.assumptions[row] if 0 <= row < len(self.assumptions) else None

    def select(self, assumption_id: str, take_focus: bool = True) -> None:
        for row, assumption in enumerate(self.assumptions):
            if assumption.id == assumption_id:
                self.table.selectRow(row)
                self.table.scrollToItem(self.table.item(row, 0))
                if take_focus:
                    self.table.setFocus()
                return

    def _update_buttons(self) -> None:
        assumption = self.selected()
        self.edit_button.setEnabled(assumption is not None)
        self.reset_button.setEnabled(assumption is not None and assumption.overridden)

    def edit_selected(self) -> None:
        assumption = self.selected()
        if assumption is None:
            return
        dialog = OverrideDialog(assumption, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.document.override_assumption(assumption.id, dialog.value.value(), dialog.reason.text().strip())

    def reset_selected(self) -> None:
        assumption = self.selected()
        if assumption is not None:
            self.document.reset_assumption(assumption.id)
