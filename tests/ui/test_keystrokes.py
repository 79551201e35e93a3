"""Nothing typed is lost or turned into an error dialog (issue 11): a recalculation never moves the
keyboard focus, and any text in a number field gets an inline message, never an exception."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.drive import type_value


def _type_into_focus(text: str) -> None:
    """Keys go where the keyboard focus is, as they do for a person."""
    QTest.keyClicks(QApplication.focusWidget(), text)


def test_a_recalculation_never_steals_the_keyboard_focus(window, qtbot):
    workspace = window.workspace
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=5000):
        workspace.show_view("assumptions")
    table = workspace.views["assumptions"].table
    qtbot.waitUntil(lambda: table.rowCount() >= 1 and table.visualItemRect(table.item(0, 0)).isValid())
    rect = table.visualItemRect(table.item(0, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.currentRow() == 0
    workspace.show_section("engagement")
    line = workspace.wizard.current_page.editor_for("client_name").input.line
    QTest.mouseClick(line, Qt.MouseButton.LeftButton)
    for chunk in ("AAA", "BBB", "CCC"):
        with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=5000):  # longer than the debounce
            _type_into_focus(chunk)
        qtbot.wait(50)
        assert QApplication.focusWidget() is line
    assert window.document.answer("client_name", None).value == "AAABBBCCC"


HOSTILE_NUMBERS = ["1e400", "1e308k", "NaN", "inf", "-inf", "-0", "9" * 400, "1e308", "1e-400", "0x10"]


@pytest.mark.parametrize("text", HOSTILE_NUMBERS)
def test_any_text_in_a_number_field_gets_an_inline_message(window, qtbot, text):
    window.workspace.show_section("volume")
    editor = window.workspace.wizard.current_page.editor_for("requests_per_day")
    type_value(editor, text)  # pytest-qt fails the test on any exception raised in a slot
    qtbot.wait(300)
    reading = editor.input.reading.text()
    assert "inf" not in reading.lower() and "nan" not in reading.lower() and "e+" not in reading
    stored = window.document.answer("requests_per_day", editor.workload_id)
    value = stored.value if stored else None
    if editor.problem:
        assert value is None  # an invalid value is never stored
        assert editor.error.isVisible() and editor.error.text().startswith(editor.question.label)
    else:
        assert value == 0 and text in ("-0", "1e-400")


def test_an_overflowing_number_reads_as_out_of_range(window):
    window.workspace.show_section("volume")
    editor = window.workspace.wizard.current_page.editor_for("requests_per_day")
    type_value(editor, "1e400")
    limit_message = editor.problem
    type_value(editor, "1e30")  # finite, and far above any plausible maximum
    assert editor.problem == limit_message and "at most" in limit_message
