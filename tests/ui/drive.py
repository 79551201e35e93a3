"""Driving the wizard like a user: type, click, choose; used by the UI tests and the benchmarks."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from app.domain.assessment import Answer, AnswerStatus
from app.ui.wizard.inputs import ButtonsInput, ComboInput, DateInput, LineInput, LongTextInput
from app.ui.wizard.question_editor import QuestionEditor


def type_value(editor: QuestionEditor, value) -> None:
    widget = editor.input
    if isinstance(widget, LineInput):
        widget.line.setFocus()
        widget.line.selectAll()
        QTest.keyClick(widget.line, Qt.Key.Key_Delete)
        text = widget.number_text(value) if isinstance(value, (int, float)) else str(value)
        QTest.keyClicks(widget.line, text)
    elif isinstance(widget, DateInput):
        widget.date.setDate(QDate.fromString(str(value), "yyyy-MM-dd"))  # the calendar's choice
    elif isinstance(widget, LongTextInput):
        widget.text.setPlainText(str(value))
    elif isinstance(widget, ComboInput):
        index = widget.combo.findData(value)
        widget.combo.setCurrentIndex(index)
        widget.combo.activated.emit(index)
    elif isinstance(widget, ButtonsInput):
        wanted = value if isinstance(value, list) else [value]
        for option_value, button in widget.buttons.items():
            if (option_value in wanted) != button.isChecked():
                button.click()


def enter_answer(editor: QuestionEditor, answer: Answer) -> None:
    """Give the whole answer through the editor's widgets: value or status, note, confidence, flag."""
    if answer.status != AnswerStatus.ANSWERED:
        editor.status_buttons[answer.status].click()
    elif answer.value not in (None, "", []):
        type_value(editor, answer.value)
    if answer.note:
        editor.note_action.trigger()
        editor.note.setPlainText(answer.note)
    if answer.confidence is not None and answer.confidence in editor.confidence_actions:
        editor.confidence_actions[answer.confidence].trigger()
    if answer.review != editor.flag.isChecked():
        editor.flag.click()
