"""The section list beside the pages: every section with its state (complete, required answers
missing, items marked for review), then Review, Results and Assumptions; a progress bar on top."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap, QPolygon
from PySide6.QtWidgets import (QFrame, QLabel, QListWidget, QListWidgetItem, QProgressBar, QStyledItemDelegate,
                               QVBoxLayout)

from app.domain.assessment import Assessment
from app.engine.answers import is_answered, iter_visible_slots, progress
from app.ui.files.document import Document
from app.ui.widgets.looks import Panel, styled

VIEW_ITEMS = (("review", "Review"), ("results", "Results"), ("assumptions", "Assumptions"))
ROLE_KEY = Qt.ItemDataRole.UserRole


@dataclass
class SectionState:
    answered: int = 0
    total: int = 0
    required_missing: int = 0
    for_review: int = 0

    @property
    def label(self) -> str:
        if self.required_missing:
            return "missing"
        if self.for_review:
            return "review"
        if self.total and self.answered == self.total:
            return "complete"
        return "started" if self.answered else "empty"

    def describe(self) -> str:
        parts = [f"{self.answered} of {self.total} answered"]
        if self.required_missing:
            parts.append(f"{self.required_missing} required missing")
        if self.for_review:
            parts.append(f"{self.for_review} marked for review")
        return ", ".join(parts)


def section_states(assessment: Assessment) -> dict[str, SectionState]:
    states: dict[str, SectionState] = defaultdict(SectionState)
    for slot in iter_visible_slots(assessment):
        state = states[slot.section.id]
        done = is_answered(slot)
        state.total += 1
        state.answered += done
        state.required_missing += slot.question.required and not done
        state.for_review += bool(slot.answer and slot.answer.review)
    return states


def _state_icon(state: str) -> QIcon:
    """A small drawn marker, so states read at a glance in light and dark palettes."""
    colours = {"complete": "#2e7d32", "missing": "#c62828", "review": "#ef8a00", "started": "#1565c0",
               "empty": "#9e9e9e"}
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(colours[state])
    if state in ("complete", "missing", "review"):
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
    else:
        painter.setPen(QPen(colour, 3))
    painter.drawEllipse(5, 5, 22, 22)
    painter.setPen(QPen(QColor("white"), 3.5))
    if state == "complete":
        painter.drawPolyline(QPolygon([QPoint(10, 16), QPoint(14, 21), QPoint(22, 11)]))
    elif state in ("missing", "review"):
        painter.drawLine(16, 10, 16, 18)
        painter.drawPoint(16, 23)
    painter.end()
    return QIcon(pixmap)


class _RoomyItems(QStyledItemDelegate):
    """Room around each section's name (a style sheet's item padding, without a style sheet: see
    app/ui/widgets/looks.py)."""
    PADDING = QSize(8, 10)

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt's name)
        return super().sizeHint(option, index) + self.PADDING


class NavigationPanel(Panel):
    section_requested = Signal(str)
    view_requested = Signal(str)  # "review", "results", "assumptions"

    def __init__(self, document: Document, parent=None):
        super().__init__("navigation", parent)
        self.document = document
        self._icons = {s: _state_icon(s) for s in ("complete", "missing", "review", "started", "empty")}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 12, 10, 12)
        self.progress_label = styled(QLabel(objectName="progressLabel"))
        self.progress_bar = QProgressBar(textVisible=False, maximumHeight=8)
        self.progress_bar.setAccessibleName("Progress")
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)
        self.list = styled(QListWidget(objectName="sectionList"))
        self.list.setAccessibleName("Sections")
        self.list.setIconSize(QSize(16, 16))
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setItemDelegate(_RoomyItems(self.list))
        self.list.currentItemChanged.connect(self._on_current_changed)
        layout.addWidget(self.list, 1)
        self._build_items()
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """As wide as the longest entry, measured once styled (the style sheet pads items), so no section name
        is ever cut ("Engagemen"): the splitter may narrow the page beside the list, never the list."""
        super().showEvent(event)
        # The scroll bar's own width, not QStyle's pixel metric: touching QStyle from Python builds its ~700
        # enum members (~6 ms, before the wizard takes input).
        scroll_bar = self.list.verticalScrollBar().sizeHint().width()
        self.list.setMinimumWidth(self.list.sizeHintForColumn(0) + 2 * self.list.frameWidth() + scroll_bar + 4)

    def _build_items(self) -> None:
        for section in self.document.assessment.questionnaire.sections:
            marker = "  ◆" if section.scope == "workload" else ""
            item = QListWidgetItem(section.title + marker)
            item.setData(ROLE_KEY, ("section", section.id))
            if marker:
                item.setStatusTip("◆ Answered once per use case")
            self.list.addItem(item)
        separator = QListWidgetItem("")
        separator.setFlags(Qt.ItemFlag.NoItemFlags)
        separator.setSizeHint(QSize(10, 10))
        self.list.addItem(separator)
        for key, title in VIEW_ITEMS:
            item = QListWidgetItem(title)
            item.setData(ROLE_KEY, ("view", key))
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.list.addItem(item)

    def refresh(self) -> None:
        """Recompute section states and progress from the document."""
        assessment = self.document.assessment
        states = section_states(assessment)
        for row in range(self.list.count()):
            item = self.list.item(row)
            kind, key = item.data(ROLE_KEY) or (None, None)
            if kind == "section":
                state = states.get(key, SectionState())
                item.setIcon(self._icons[state.label])
                item.setToolTip(state.describe())
        done = progress(assessment)
        self.progress_bar.setValue(done.percent)
        missing = done.required_total - done.required_answered
        self.progress_label.setText(f"{done.percent}% answered" + (f" · {missing} required missing" if missing else ""))

    def select(self, kind: str, key: str) -> None:
        """Highlight the entry of the shown page without re-emitting a request."""
        for row in range(self.list.count()):
            if self.list.item(row).data(ROLE_KEY) == (kind, key):
                self.list.blockSignals(True)
                self.list.setCurrentRow(row)
                self.list.blockSignals(False)
                return

    def _on_current_changed(self, item: QListWidgetItem | None, _previous) -> None:
        if item is None or item.data(ROLE_KEY) is None:
            return
        kind, key = item.data(ROLE_KEY)
        (self.section_requested if kind == "section" else self.view_requested).emit(key)
