"""Undo and redo of every kind of change (issue 12): answers (typing merges into one entry), notes,
confidence, review flags, use cases (add, rename, duplicate, remove after a confirmation whose default is
No), assumption overrides and resets, display settings; Edit > Undo/Redo on the standard shortcuts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu, QMessageBox

from app.domain.assessment import Confidence


def _editor(window, section: str, question: str):
    window.workspace.show_section(section)
    return window.workspace.wizard.current_page.editor_for(question)


def _undo_action(window, name: str):
    action = window.undo_action if name == "&Undo" else window.redo_action
    assert action in window.findChild(QMenu, "editMenu").actions()  # on the Edit menu
    return action


def test_typing_in_one_field_is_one_entry_and_undo_puts_the_field_back(window):
    editor = _editor(window, "volume", "requests_per_day")
    stack = window.document.undo_stack
    before = stack.count()
    line = editor.input.line
    line.setFocus()
    QTest.keyClicks(line, "12000")
    assert stack.count() == before + 1  # five keystrokes, one entry
    undo = _undo_action(window, "&Undo")
    assert undo.text() == "&Undo change to Requests per day"
    assert undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert _undo_action(window, "&Redo").shortcut() == QKeySequence(QKeySequence.StandardKey.Redo)
    undo.trigger()
    assert window.document.answer("requests_per_day", editor.workload_id) is None
    assert line.text() == ""
    _undo_action(window, "&Redo").trigger()
    assert window.document.answer("requests_per_day", editor.workload_id).value == 12000
    assert line.text() == "12,000"


def test_typed_back_to_the_start_leaves_no_entry(window):
    editor = _editor(window, "volume", "requests_per_day")
    stack = window.document.undo_stack
    before = stack.count()
    editor.input.line.setFocus()
    QTest.keyClicks(editor.input.line, "7")
    QTest.keyClick(editor.input.line, Qt.Key.Key_Backspace)
    assert stack.count() == before


def test_note_confidence_and_review_flag_are_entries_of_their_own(window):
    editor = _editor(window, "volume", "requests_per_day")
    document, stack = window.document, window.document.undo_stack
    wid = editor.workload_id
    document.set_value(editor.question, wid, 500)
    editor.flag.click()
    document.update_answer(editor.question, wid, note="from the call")
    document.update_answer(editor.question, wid, confidence=Confidence.MEASURED)
    assert [stack.text(i) for i in range(stack.count())][-3:] == [
        "review flag on Requests per day", "note on Requests per day", "confidence in Requests per day"]
    stack.undo()
    assert document.answer("requests_per_day", wid).confidence is None
    stack.undo()
    assert document.answer("requests_per_day", wid).note == "" and editor.note.toPlainText() == ""
    stack.undo()
    assert not document.answer("requests_per_day", wid).review and not editor.flag.isChecked()
    stack.undo()
    assert document.answer("requests_per_day", wid) is None
    for _ in range(4):
        stack.redo()
    answer = document.answer("requests_per_day", wid)
    assert (answer.value, answer.review, answer.note, answer.confidence) == (
        500, True, "from the call", Confidence.MEASURED)
    assert editor.flag.isChecked() and editor.input.line.text() == "500"


def _names(window) -> list[str]:
    return [w.name for w in window.document.assessment.workloads]


def test_use_cases_added_renamed_duplicated_removed_and_all_undone(window):
    document, stack = window.document, window.document.undo_stack
    start = _names(window)
    added = document.add_workload("Support bot")
    document.rename_workload(added.id, "Support b")
    document.rename_workload(added.id, "Support assistant")  # renames of one use case merge
    copy = document.duplicate_workload(added.id, "Support assistant (copy)")
    document.set_value(document.assessment.questionnaire.questions_by_id["requests_per_day"], copy.id, 900)
    document.remove_workload(copy.id)
    assert _names(window) == [*start, "Support assistant"]
    assert stack.undoText() == "removal of use case Support assistant (copy)"
    stack.undo()  # the removed use case comes back with its answers
    assert _names(window) == [*start, "Support assistant", "Support assistant (copy)"]
    assert document.answer("requests_per_day", copy.id).value == 900
    stack.undo()
    stack.undo()
    assert _names(window) == [*start, "Support assistant"]
    stack.undo()
    assert _names(window) == [*start, "Support bot"]
    stack.undo()
    assert _names(window) == start
    for _ in range(5):
        stack.redo()
    assert _names(window) == [*start, "Support assistant"]


def test_removing_a_use_case_asks_with_no_as_the_default(window, monkeypatch):
    document = window.document
    document.add_workload("Second")
    asked = []

    def question(parent, title, text, buttons, default):
        asked.append(default)
        return default  # the user pressed Enter

    monkeypatch.setattr(QMessageBox, "question", question)
    bar = window.workspace.wizard.workload_bar
    count = len(document.assessment.workloads)
    bar.remove()
    assert asked == [QMessageBox.StandardButton.No] and len(document.assessment.workloads) == count
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    bar.remove()
    assert len(document.assessment.workloads) == count - 1
    document.undo_stack.undo()
    assert len(document.assessment.workloads) == count


def test_assumption_overrides_and_resets_are_undone(window):
    document, stack = window.document, window.document.undo_stack
    document.override_assumption("gpu_hourly_usd", 3.5, "quoted")
    document.override_assumption("gpu_hourly_usd", 4.0, "requoted")
    document.reset_assumption("gpu_hourly_usd")
    assert stack.undoText() == "reset of assumption gpu hourly usd"
    stack.undo()
    assert document.assessment.assumption_overrides["gpu_hourly_usd"].value == 4.0
    stack.undo()
    assert document.assessment.assumption_overrides["gpu_hourly_usd"].value == 3.5
    stack.undo()
    assert "gpu_hourly_usd" not in document.assessment.assumption_overrides
    stack.redo()
    stack.redo()
    stack.redo()
    assert "gpu_hourly_usd" not in document.assessment.assumption_overrides


def test_display_settings_are_undone_and_fields_are_shown_again(window):
    editor = _editor(window, "volume", "requests_per_day")
    document, stack = window.document, window.document.undo_stack
    document.set_value(editor.question, editor.workload_id, 45000)
    editor.refresh()
    document.set_display(document.assessment.display.model_copy(update={"locale": "de_DE", "currency": "EUR"}))
    assert editor.input.line.text() == "45.000"
    assert stack.undoText() == "display settings"
    stack.undo()
    assert document.assessment.display.currency == "USD" and document.assessment.display.locale == ""
    assert editor.input.line.text() == "45,000"
    stack.redo()
    assert document.assessment.display.currency == "EUR" and editor.input.line.text() == "45.000"


def test_a_new_document_has_its_own_history(window):
    window.document.add_workload("Before")
    assert window.undo_group.activeStack() is window.document.undo_stack
