"""The workload (use case) bar: choose which workload the workload sections show, and add, rename,
duplicate or remove workloads."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QInputDialog, QLabel, QMenu, QMessageBox, QToolButton

from app.ui.files.document import Document
from app.ui.widgets.looks import Panel


class WorkloadBar(Panel):
    workload_selected = Signal(str)

    def __init__(self, document: Document, parent=None):
        super().__init__("workloadBar", parent)
        self.document = document
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 8)
        label = QLabel("&Use case:")
        self.combo = QComboBox()
        self.combo.setMinimumWidth(180)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(16)  # long names are read in full in the open list
        self.combo.setAccessibleName("Use case")
        self.combo.setToolTip("Sections marked ◆ are answered once per use case")
        label.setBuddy(self.combo)
        self.combo.currentIndexChanged.connect(self._on_index_changed)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)
        add = QToolButton(text="Add…")
        add.setToolTip("Add a use case")
        add.setAccessibleName("Add a use case")
        add.clicked.connect(self.add)
        layout.addWidget(add)
        # Rename, duplicate and remove in one menu: the bar fits a 1024 px laptop beside the section list.
        more = QToolButton(text="More", popupMode=QToolButton.ToolButtonPopupMode.InstantPopup)
        more.setAccessibleName("More use case actions")
        menu = QMenu(more)
        for text, slot in (("Rename…", self.rename), ("Duplicate…", self.duplicate), ("Remove", self.remove)):
            menu.addAction(text, slot)
        more.setMenu(menu)
        layout.addWidget(more)
        layout.addStretch(0)
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
