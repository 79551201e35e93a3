"""The workload (use case) bar: choose which workload the workload sections show, and add, rename,
duplicate or remove workloads."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QInputDialog, QLabel, QMessageBox, QToolButton

from app.ui.document import Document


class WorkloadBar(QFrame):
    workload_selected = Signal(str)

    def __init__(self, document: Document, parent=None):
        super().__init__(parent, objectName="workloadBar")
        self.document = document
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 8)
        label = QLabel("&Use case:")
        self.combo = QComboBox()
        self.combo.setMinimumWidth(240)
        self.combo.setAccessibleName("Use case")
        label.setBuddy(self.combo)
        self.combo.currentIndexChanged.connect(self._on_index_changed)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        for text, slot, tip in (("Add…", self.add, "Add a use case"),
                                ("Rename…", self.rename, "Rename this use case"),
                                ("Duplicate", self.duplicate, "Copy this use case and its answers"),
                                ("Remove", self.remove, "Remove this use case and its answers")):
            button = QToolButton(text=text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.clicked.connect(slot)
            layout.addWidget(button)
        layout.addStretch(1)
        # Wraps rather than widening the page's minimum: the splitter must not move between views.
        hint = QLabel("Sections marked ◆ are answered once per use case", wordWrap=True, objectName="hint")
        layout.addWidget(hint)
        document.workloads_changed.connect(self.reload)
        self.reload()

    def current_id(self) -> str | None:
        return self.combo.currentData()

    def select(self, workload_id: str) -> None:
        index = self.combo.findData(workload_id)
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def reload(self) -> None:
        current = self.current_id()
        self.combo.blockSignals(True)
        self.combo.clear()
        for workload in self.document.assessment.workloads:
            self.combo.addItem(workload.name, workload.id)
        index = self.combo.findData(current)
        self.combo.setCurrentIndex(index if index >= 0 else 0)
        self.combo.blockSignals(False)
        if self.current_id() != current and self.current_id() is not None:
            self.workload_selected.emit(self.current_id())

    def _on_index_changed(self, _index: int) -> None:
        if self.current_id() is not None:
            self.workload_selected.emit(self.current_id())

    def _ask_name(self, title: str, default: str) -> str | None:
        name, ok = QInputDialog.getText(self, title, "Name of the use case:", text=default)
        name = name.strip()[:200]
        return name if ok and name else None

    def add(self) -> None:
        name = self._ask_name("Add use case", f"Use case {len(self.document.assessment.workloads) + 1}")
        if name:
            self.select(self.document.add_workload(name).id)

    def rename(self) -> None:
        workload = self.document.workload(self.current_id())
        name = self._ask_name("Rename use case", workload.name)
        if name:
            self.document.rename_workload(workload.id, name)

    def duplicate(self) -> None:
        workload = self.document.workload(self.current_id())
        name = self._ask_name("Duplicate use case", f"{workload.name} (copy)")
        if name:
            self.select(self.document.duplicate_workload(workload.id, name).id)

    def remove(self) -> None:
        workload = self.document.workload(self.current_id())
        if len(self.document.assessment.workloads) <= 1:
            QMessageBox.information(self, "Remove use case", "An assessment keeps at least one use case.")
            return
        no = QMessageBox.StandardButton.No  # the default: Enter must never remove a use case
        answer = QMessageBox.question(self, "Remove use case",
                                      f"Remove “{workload.name}” and all its answers? (Edit > Undo brings it back.)",
                                      QMessageBox.StandardButton.Yes | no, no)
        if answer == QMessageBox.StandardButton.Yes:
            self.document.remove_workload(workload.id)
