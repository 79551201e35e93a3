"""One question on a page: its label, client help, consultant guidance, the input, Unknown / Not
applicable, inline validation, and the answer's note, confidence and review flag kept out of the way
(a flag button and a small menu; the note field only appears when there is a note)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QMenu, QPlainTextEdit, QToolButton, QVBoxLayout,
                               QWidget)

from app.domain.assessment import Answer, AnswerStatus, Confidence
from app.domain.numbers import NotANumber
from app.domain.questionnaire import Question, QuestionKind
from app.domain.validation import answer_problem, value_problem
from app.ui.files.document import Document
from app.ui.wizard.inputs import make_input
from app.ui.widgets.labels import muted_label
from app.ui.widgets.looks import Panel, styled
from app.ui.widgets.presenting import is_presenting

# Keys that work while a question has the focus. One Tab stop per question (its input): the flag, note,
# confidence and Unknown / Not applicable buttons are reached with these instead.
EDITOR_SHORTCUTS = (("Ctrl+Shift+M", "Mark the question for review (or unmark it)"),
                    ("Ctrl+Shift+N", "Add or edit the question's note"),
                    ("Ctrl+Shift+U", "Answer Unknown (or undo it)"),
                    ("Ctrl+Shift+A", "Answer Not applicable (or undo it)"),
                    ("Ctrl+Shift+D", "Note and confidence menu"))
CONFIDENCE_LABELS = {Confidence.STATED: "Stated by client", Confidence.ESTIMATED: "Estimated",
                     Confidence.MEASURED: "Measured"}


class QuestionEditor(Panel):
    """Edits one question's answer for the organisation or one workload (see `bind`)."""

    problem_changed = Signal()

    def __init__(self, question: Question, document: Document, parent: QWidget | None = None):
        super().__init__("question", parent)
        self.question = question
        self.document = document
        self.workload_id: str | None = None
        self.problem: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(4)
        layout.addLayout(self._header())
        if question.help:
            layout.addWidget(muted_label(question.help, "help"))
        if question.guidance:
            layout.addWidget(self._guidance_box())
        self.input = make_input(question, locale=lambda: document.assessment.display.locale)
        self.input.edited.connect(self._on_value_edited)
        if question.kind in (QuestionKind.NUMBER, QuestionKind.INTEGER):
            document.display_changed.connect(self.refresh)  # shown again with the new locale's separators
        document.answer_restored.connect(self._on_restored)
        layout.addLayout(self._input_row())
        self.error = styled(QLabel(wordWrap=True, objectName="error", visible=False))
        layout.addWidget(self.error)
        self._note: QPlainTextEdit | None = None  # built when there is a note to show or to write
        self._add_shortcuts()

    @property
    def note(self) -> QPlainTextEdit:
        """The note field under the input, built on first use: most answers have no note, and a page of
        note fields nobody sees would slow the first page of a start."""
        if self._note is None:
            note = QPlainTextEdit(visible=False, placeholderText="Note (kept in the file and the report's appendix)",
                                  objectName="note")
            note.setAccessibleName(f"Note for {self.question.label}")
            note.setTabChangesFocus(True)
            note.setFixedHeight(note.fontMetrics().lineSpacing() * 3 + 12)
            note.textChanged.connect(self._on_note_edited)
            self.layout().insertWidget(self.layout().indexOf(self.error) + 1, note)
            self._note = note
        return self._note

    def _add_shortcuts(self) -> None:
        """EDITOR_SHORTCUTS, active while the focus is anywhere in this question."""
        actions = (self.flag.toggle, self._show_note,
                   lambda: self._toggle_status(AnswerStatus.UNKNOWN),
                   lambda: self._toggle_status(AnswerStatus.NOT_APPLICABLE), self._show_details)
        for (keys, _what), slot in zip(EDITOR_SHORTCUTS, actions):
            shortcut = QShortcut(QKeySequence(keys), self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _toggle_status(self, status: AnswerStatus) -> None:
        button = self.status_buttons.get(status)
        if button is not None:
            button.toggle()

    # ---------------------------------------------------------------- building
    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        title = styled(QLabel(self.question.label + (" *" if self.question.required else ""), wordWrap=True,
                              objectName="questionLabel"))
        if self.question.required:
            title.setToolTip("Required")
        row.addWidget(title, 1)
        self.badges = QLabel(objectName="badges")
        self.badges.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        row.addWidget(self.badges)
        self.flag = styled(QToolButton(text="⚑", checkable=True, autoRaise=True, objectName="flag"))
        self.flag.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+Shift+M: one Tab stop per question
        self.flag.setToolTip("Mark for review (Ctrl+Shift+M)")
        self.flag.setAccessibleName(f"Mark {self.question.label} for review")
        self.flag.toggled.connect(self._on_flag_toggled)
        row.addWidget(self.flag, 0, Qt.AlignmentFlag.AlignTop)
        self.details = self._details_button()
        row.addWidget(self.details, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _details_button(self) -> QToolButton:
        button = styled(QToolButton(text="⋯", autoRaise=True, objectName="details"))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setToolTip("Note and confidence (Ctrl+Shift+D; a note: Ctrl+Shift+N)")
        button.setAccessibleName(f"Note and confidence for {self.question.label}")
        # Opened on click rather than set as the button's menu: the platform style would draw its menu
        # arrow beside the "⋯", which already says there is more. Built on first use (most questions
        # never open it, and every page would pay for it).
        self._details_menu: QMenu | None = None
        button.clicked.connect(self._show_details)
        return button

    def _menu(self) -> QMenu:
        if self._details_menu is None:
            self._details_menu = menu = QMenu(self.details)
            self._note_action = menu.addAction("Add &note", self._show_note)
            menu.addSection("Confidence")
            group = QActionGroup(menu)
            self._confidence_actions: dict[Confidence, QAction] = {}
            for confidence, label in CONFIDENCE_LABELS.items():
                action = menu.addAction(label)
                action.setCheckable(True)
                action.setData(confidence.value)
                group.addAction(action)
                self._confidence_actions[confidence] = action
            group.triggered.connect(self._on_confidence_chosen)
            self._sync_menu(self.document.answer(self.question.id, self.workload_id) or Answer())
        return self._details_menu

    @property
    def note_action(self) -> QAction:
        self._menu()
        return self._note_action

    @property
    def confidence_actions(self) -> dict[Confidence, QAction]:
        self._menu()
        return self._confidence_actions

    def _sync_menu(self, answer: Answer) -> None:
        for confidence, action in self._confidence_actions.items():
            action.setChecked(answer.confidence == confidence)
        self._note_action.setText("Edit &note" if answer.note else "Add &note")

    def _show_details(self) -> None:
        self._menu().popup(self.details.mapToGlobal(self.details.rect().bottomLeft()))

    def _guidance_box(self) -> QFrame:
        box = Panel("guidance")
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 4, 8, 4)
        tag = styled(QLabel("Consultant", objectName="guidanceTag"))
        row.addWidget(tag, 0, Qt.AlignmentFlag.AlignTop)
        text = QLabel(self.question.guidance, wordWrap=True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(text, 1)
        box.setToolTip("Guidance for the consultant; not shown to the client or in the report")
        return box

    def _input_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        self.status_buttons: dict[AnswerStatus, QToolButton] = {}
        for status, allowed, text in ((AnswerStatus.UNKNOWN, self.question.allow_unknown, "Unknown"),
                                      (AnswerStatus.NOT_APPLICABLE, self.question.allow_not_applicable,
                                       "Not applicable")):
            if allowed:
                button = styled(QToolButton(text=text, checkable=True, objectName="statusButton"))
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                keys = "Ctrl+Shift+U" if status == AnswerStatus.UNKNOWN else "Ctrl+Shift+A"
                button.setToolTip(f"{text} ({keys})")
                button.setAccessibleName(f"{self.question.label}: {text}")
                button.toggled.connect(lambda checked, s=status: self._on_status_toggled(s, checked))
                row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
                self.status_buttons[status] = button
        return row

    # ---------------------------------------------------------------- model -> widgets
    def bind(self, workload_id: str | None) -> None:
        """Show the answer of this question for the organisation (None) or one workload."""
        self.workload_id = workload_id
        self.refresh()

    def _on_restored(self, question_id: str, workload_id: str | None) -> None:
        if question_id == self.question.id and workload_id == self.workload_id:
            self.refresh()

    def refresh(self) -> None:
        answer = self.document.answer(self.question.id, self.workload_id) or Answer()
        self.input.set_value(answer.value)
        for status, button in self.status_buttons.items():
            button.blockSignals(True)
            button.setChecked(answer.status == status)
            button.blockSignals(False)
        self.input.setEnabled(answer.status == AnswerStatus.ANSWERED)
        if answer.note or self._note is not None:
            self._show_note_text(answer.note)
        self.flag.blockSignals(True)
        self.flag.setChecked(answer.review)
        self.flag.blockSignals(False)
        if self._details_menu is not None:
            self._sync_menu(answer)
        self._update_badges(answer)
        self._set_problem(answer_problem(self.question, answer))

    def _show_note_text(self, text: str) -> None:
        note = self.note
        note.blockSignals(True)
        note.setPlainText(text)
        note.blockSignals(False)
        wanted = bool(text) or note.hasFocus()
        presenting = is_presenting(self)
        note.setVisible(wanted and not presenting)
        if presenting:  # shown again when the presenting mode ends (presenting.hide_working_marks)
            note.setProperty("hiddenForPresenting", wanted)

    def _update_badges(self, answer: Answer) -> None:
        parts = []
        if answer.confidence in (Confidence.ESTIMATED, Confidence.MEASURED):
            parts.append(CONFIDENCE_LABELS[answer.confidence])
        if answer.note:
            parts.append("note")
        self.badges.setText(" · ".join(parts))

    def _set_problem(self, problem: str | None) -> None:
        text = f"{self.question.label} {problem}." if problem else ""
        changed = problem != self.problem
        self.problem = problem
        self.error.setText(text)
        self.error.setVisible(bool(problem))
        if changed:
            self.problem_changed.emit()

    # ---------------------------------------------------------------- widgets -> model
    def _on_value_edited(self) -> None:
        try:
            value = self.input.value()
        except NotANumber as refusal:
            value, problem = None, f"must be a number: {refusal}"
        else:
            problem = value_problem(self.question, value)
        self.input.show_reading(None if problem else value)
        self._set_problem(problem)
        # An invalid value is never stored: the file and the engine only ever see acceptable answers.
        self._store(None if problem else value)

    def _store(self, value) -> None:
        self.document.set_value(self.question, self.workload_id, value)
        self._update_badges(self._answer())

    def _answer(self) -> Answer:
        return self.document.answer(self.question.id, self.workload_id) or Answer()

    def _on_status_toggled(self, status: AnswerStatus, checked: bool) -> None:
        for other, button in self.status_buttons.items():
            if other != status and checked:
                button.blockSignals(True)
                button.setChecked(False)
                button.blockSignals(False)
        new_status = status if checked else AnswerStatus.ANSWERED
        value = None if checked else self._typed_value()
        self.document.update_answer(self.question, self.workload_id, status=new_status, value=value)
        self.input.setEnabled(not checked)
        self._set_problem(None)

    def _typed_value(self):
        try:
            value = self.input.value()
        except NotANumber:
            return None
        return None if value_problem(self.question, value) else value

    def _on_flag_toggled(self, checked: bool) -> None:
        self.document.update_answer(self.question, self.workload_id, review=checked)

    def _on_confidence_chosen(self, action: QAction) -> None:
        self.document.update_answer(self.question, self.workload_id, confidence=Confidence(action.data()))
        self._update_badges(self._answer())

    def _show_note(self) -> None:
        self.note.setVisible(True)
        self.note.setFocus()

    def _on_note_edited(self) -> None:
        self.document.update_answer(self.question, self.workload_id, note=self.note.toPlainText())
        self._update_badges(self._answer())

    def focus_input(self) -> None:
        self.input.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
