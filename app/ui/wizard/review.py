"""The review page before the results: required questions still unanswered, answers marked for
review, and answers that rest on the questionnaire's defaults. Activating an item jumps to it;
"Continue to results" (focused when the page opens, so Enter goes on) shows the results."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton, QStyledItemDelegate,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from app.domain.assessment import AnswerStatus, Confidence
from app.engine.answers import QuestionSlot, is_answered, iter_visible_slots
from app.ui.files.document import Document
from app.ui.widgets.labels import muted_label
from app.ui.widgets.looks import Panel, styled

ROLE_TARGET = Qt.ItemDataRole.UserRole
NOTE_WIDTH = 220


def _rests_on_default(slot: QuestionSlot) -> bool:
    """The result uses a value nobody gave: the questionnaire's default, or the engine's documented one where
    the answer is Unknown or an optional question the engine fills in (an API model nobody chose)."""
    answer, question = slot.answer, slot.question
    if answer is not None and answer.confidence == Confidence.DEFAULT:
        return True
    if answer is not None and answer.status == AnswerStatus.UNKNOWN:
        return bool(question.binding)
    unanswered = answer is None or (answer.status == AnswerStatus.ANSWERED and not answer.is_given)
    engine_fills_in = bool(question.binding) and question.allow_unknown and not question.required
    return unanswered and (question.default is not None or engine_fills_in)


GROUPS = (
    ("Required answers missing", lambda s: s.question.required and not is_answered(s)),
    ("Marked for review", lambda s: bool(s.answer and s.answer.review)),
    ("Resting on defaults", _rests_on_default),
)


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped text at the column's width: a tree's own size hint is one line, so a
    long question would end in "…" on a small screen."""

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().sizeHint(option, index)
        tree = self.parent()
        if not index.parent().isValid():  # a group's title spans the row
            return hint
        width = tree.columnWidth(index.column()) - 8 - (2 * tree.indentation() if index.column() == 0 else 0)
        text = index.data() or ""
        if width <= 0 or not text:
            return hint
        bounds = option.fontMetrics.boundingRect(QRect(0, 0, width, 10_000), Qt.TextFlag.TextWordWrap, text)
        return QSize(hint.width(), max(hint.height(), bounds.height() + 4))


class ReviewPage(QWidget):
    def __init__(self, document: Document, jump_to, show_results, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.jump_to = jump_to
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        page = QVBoxLayout()
        page.setContentsMargins(24, 16, 24, 12)
        layout.addLayout(page, 1)
        page.addWidget(styled(QLabel("Review", objectName="pageTitle")))
        page.addWidget(muted_label("Check these before showing results to the client. Double-click or press "
                                   "Enter on an item to go to the question.", "pageDescription"))
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Items to review")
        self.tree.setHeaderLabels(["Question", "Section", "Use case", "Note"])
        self.tree.setRootIsDecorated(True)
        self.tree.setAlternatingRowColors(True)
        # Questions wrap rather than end in "…": on a small screen every label is read in full.
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.tree.setItemDelegate(_WrappingDelegate(self.tree))
        # Section and use case are read in full, the question takes what is left and the note a fixed
        # share (full texts in the tooltips), so nothing hides behind a sideways scroll bar.
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, NOTE_WIDTH)
        # Rows take their wrapped height only when laid out again: after a column changes width, not
        # before (the tree would keep one-line rows and cut the question short).
        self._relayout = QTimer(self, singleShot=True, interval=0)
        self._relayout.timeout.connect(self.tree.doItemsLayout)
        header.sectionResized.connect(lambda *_args: self._relayout.start())
        self.tree.itemActivated.connect(self._on_activated)
        page.addWidget(self.tree, 1)
        layout.addWidget(self._button_row(show_results))

    def _button_row(self, show_results) -> QFrame:
        """Like the wizard's Back / Next row: where the eye expects to go on."""
        row = Panel("buttonRow")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(24, 8, 16, 8)  # the summary lines up with the page's text
        self.summary = styled(QLabel(wordWrap=True, objectName="reviewSummary"))
        layout.addWidget(self.summary, 1)
        self.continue_button = QPushButton("Continue to &results", autoDefault=True)
        self.continue_button.setToolTip("Show the results (Enter; Ctrl+3 from anywhere)")
        self.continue_button.clicked.connect(show_results)
        layout.addWidget(self.continue_button)
        return row

    def refresh(self) -> None:
        self.tree.clear()
        slots = list(iter_visible_slots(self.document.assessment))
        self.tree.setColumnHidden(3, not any(s.answer and s.answer.note for s in slots))  # room for questions
        counts = []
        for title, belongs in GROUPS:
            members = [s for s in slots if belongs(s)]
            counts.append(len(members))
            group = QTreeWidgetItem(self.tree, [f"{title} ({len(members)})"])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFirstColumnSpanned(True)
            for slot in members:
                self._add_slot(group, slot)
            group.setExpanded(True)
        defaults = f"{counts[2]} answer{'s' if counts[2] != 1 else ''} rest{'s' if counts[2] == 1 else ''} on defaults."
        self.summary.setText(f"Ready for results. {defaults}" if counts[0] == 0 else
                             f"{counts[0]} required answer(s) missing: results rest on engine defaults there. {defaults}")
        self.continue_button.setFocus()

    def _add_slot(self, group: QTreeWidgetItem, slot: QuestionSlot) -> None:
        note = slot.answer.note.splitlines()[0] if slot.answer and slot.answer.note else ""
        item = QTreeWidgetItem(group, [slot.question.label, slot.section.title,
                                       slot.workload.name if slot.workload else "", note])
        item.setData(0, ROLE_TARGET, (slot.question.id, slot.workload.id if slot.workload else None))
        item.setToolTip(0, f"{slot.question.label}\nDouble-click or press Enter to go to this question")
        item.setToolTip(3, slot.answer.note if slot.answer and slot.answer.note else "")

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        target = item.data(0, ROLE_TARGET)
        if target:
            self.jump_to(*target)
