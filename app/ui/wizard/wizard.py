"""The questionnaire as a wizard: one page per section (generated from the questionnaire), workload
sections shown for the workload chosen in the workload bar, Back / Next with required answers enforced.
A QStackedWidget rather than QWizard: answers live in the Document, never in wizard fields."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QStackedWidget,
                               QVBoxLayout, QWidget)

from app.domain.questionnaire import Section
from app.engine.answers import is_visible, scope_values
from app.ui.files.document import Document
from app.ui.wizard.question_editor import QuestionEditor
from app.ui.widgets.labels import muted_label
from app.ui.wizard.workloads import WorkloadBar
from app.ui.widgets.looks import Panel, styled


class SectionPage(QScrollArea):
    """All questions of one section, for the organisation or the workload it is bound to."""

    def __init__(self, section: Section, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.section = section
        self.document = document
        self.workload_id: str | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget(objectName="page")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(6)
        title = styled(QLabel(section.title, objectName="pageTitle"))
        title.setAccessibleName(f"Section {section.title}")
        layout.addWidget(title)
        if section.description:
            layout.addWidget(muted_label(section.description, "pageDescription"))
        self.editors = [QuestionEditor(q, document) for q in section.questions]
        for editor in self.editors:
            layout.addWidget(editor)
        layout.addStretch(1)
        body.setMaximumWidth(900)  # long lines are hard to read; keep the form a comfortable width
        self.setWidget(body)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter)

    def bind(self, workload_id: str | None) -> None:
        self.workload_id = workload_id
        for editor in self.editors:
            editor.bind(workload_id)
        self.update_visibility()

    def update_visibility(self) -> None:
        values = scope_values(self.document.assessment, self.document.workload(self.workload_id))
        for editor in self.editors:
            editor.setVisible(is_visible(editor.question, values))

    def visible_editors(self) -> list[QuestionEditor]:
        return [e for e in self.editors if not e.isHidden()]

    def blocking_editors(self) -> list[QuestionEditor]:
        """Visible questions that stop Next: required and unanswered, or holding an invalid value."""
        blocking = []
        for editor in self.visible_editors():
            answer = self.document.answer(editor.question.id, self.workload_id)
            unanswered = answer is None or (answer.status == "answered" and not answer.is_given)
            if editor.problem or (editor.question.required and unanswered):
                blocking.append(editor)
        return blocking

    def editor_for(self, question_id: str) -> QuestionEditor | None:
        return next((e for e in self.editors if e.question.id == question_id), None)

    def reveal(self, editor: QuestionEditor) -> None:
        self.ensureWidgetVisible(editor, 0, 60)
        editor.focus_input()


class WizardView(QWidget):
    """Section pages with the workload bar above and Back / Next below."""

    section_shown = Signal(str)  # section id
    finished = Signal()  # Next on the last section: go to the review

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.sections = list(document.assessment.questionnaire.sections)
        self.workload_bar = WorkloadBar(document)
        self.workload_bar.workload_selected.connect(self._on_workload_selected)
        self.stack = QStackedWidget()
        self.pages: dict[str, SectionPage] = {}
        self.current_index = -1
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.workload_bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self._button_row())
        document.answer_changed.connect(self._on_answer_changed)

    def _button_row(self) -> QWidget:
        row = Panel("buttonRow")
        layout = QHBoxLayout(row)
        layout.setContentsMargins(16, 8, 16, 8)
        self.message = styled(QLabel(wordWrap=True, objectName="error"))
        layout.addWidget(self.message, 1)
        self.back_button = QPushButton("&Back")
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton("&Next")
        self.next_button.setDefault(True)
        self.next_button.setToolTip("Next section (Enter)")
        self.next_button.clicked.connect(self.next)
        layout.addWidget(self.back_button)
        layout.addWidget(self.next_button)
        return row

    # ---------------------------------------------------------------- pages
    def page(self, index: int) -> SectionPage:
        """Pages are built on first visit: startup only pays for the first one."""
        section = self.sections[index]
        if section.id not in self.pages:
            page = SectionPage(section, self.document)
            for editor in page.editors:
                editor.problem_changed.connect(self._update_message)
            self.pages[section.id] = page
            self.stack.addWidget(page)
            from app.ui.widgets.presenting import hide_working_marks, is_presenting
            if is_presenting(self):  # a new page has nothing hidden to show again
                hide_working_marks(page, True)
        return self.pages[section.id]

    @property
    def current_page(self) -> SectionPage:
        return self.page(self.current_index)

    def show_section(self, section_id: str) -> None:
        index = next(i for i, s in enumerate(self.sections) if s.id == section_id)
        page = self.page(index)
        workload_scope = self.sections[index].scope == "workload"
        self.workload_bar.setVisible(workload_scope)
        page.bind(self.workload_bar.current_id() if workload_scope else None)
        self.current_index = index
        self.stack.setCurrentWidget(page)
        self.back_button.setEnabled(index > 0)
        self.next_button.setText("&Next" if index < len(self.sections) - 1 else "&Review")
        self._clear_message()
        self.section_shown.emit(section_id)

    def show_question(self, question_id: str, workload_id: str | None = None) -> None:
        section = self.document.assessment.questionnaire.section_of[question_id]
        if workload_id is not None:
            self.workload_bar.select(workload_id)
        self.show_section(section.id)
        editor = self.current_page.editor_for(question_id)
        if editor is not None and not editor.isHidden():
            QTimer.singleShot(0, lambda: self.current_page.reveal(editor))

    def reload(self) -> None:
        """The document's content was replaced (recovery, another file): rebind the current page."""
        self.workload_bar.reload()
        if self.current_index >= 0:
            self.show_section(self.sections[self.current_index].id)

    # ---------------------------------------------------------------- navigation
    def next(self) -> None:
        blocking = self.current_page.blocking_editors()
        if blocking:
            self._say_blocking(blocking)
            self.current_page.reveal(blocking[0])
            return
        if self.current_index < len(self.sections) - 1:
            self.show_section(self.sections[self.current_index + 1].id)
            self.current_page.verticalScrollBar().setValue(0)
            self.focus_first_question()
        else:
            self.finished.emit()

    def focus_first_question(self) -> None:
        """The keyboard goes where the eye does: the page's first question (after Next, and when a document
        opens, so typing never lands on a button of the examples bar)."""
        editors = self.current_page.visible_editors()
        if editors:
            editors[0].focus_input()

    def back(self) -> None:
        if self.current_index > 0:
            self.show_section(self.sections[self.current_index - 1].id)

    def _say_blocking(self, blocking: list[QuestionEditor]) -> None:
        names = ", ".join(e.question.label for e in blocking[:3]) + (" …" if len(blocking) > 3 else "")
        self.message.setText(f"Answer or fix before going on: {names}")

    def _clear_message(self) -> None:
        self.message.clear()

    def _update_message(self) -> None:
        """While the message lists questions, it follows the answers: shorter as they are given, gone once
        none is left."""
        if not self.message.text():
            return
        blocking = self.current_page.blocking_editors()
        if blocking:
            self._say_blocking(blocking)
        else:
            self._clear_message()

    def keyPressEvent(self, event) -> None:
        # Enter that no child used (multi-line text keeps it for new lines) means Next.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.next()
            return
        super().keyPressEvent(event)

    def _on_answer_changed(self, question_id: str, workload_id: object) -> None:
        if self.current_index >= 0:
            self.current_page.update_visibility()
            self._update_message()

    def _on_workload_selected(self, workload_id: str) -> None:
        if self.current_index >= 0 and self.sections[self.current_index].scope == "workload":
            self.current_page.bind(workload_id)
