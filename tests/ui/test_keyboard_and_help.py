"""Keyboard: Alt mnemonics unique in each view (and apart from the menus'), focus on the first field after
Next, one Tab stop per question with the flag and note on shortcuts; Help: the first-meeting guide, every
shortcut the window has, and the glossary."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabBar

from app.ui.dialogs.help import HelpDialog, menu_shortcuts


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).lower() if match else None


def _mnemonics(window) -> list[str]:
    texts = [a.text() for a in window.menuBar().actions()]
    for widget in window.centralWidget().findChildren(QAbstractButton):
        if widget.isVisible():
            texts.append(widget.text())
    for label in window.centralWidget().findChildren(QLabel):
        if label.isVisible() and label.buddy() is not None:
            texts.append(label.text())
    for bar in window.centralWidget().findChildren(QTabBar):
        if bar.isVisible():
            texts += [bar.tabText(i) for i in range(bar.count())]
    return [m for m in map(_mnemonic, texts) if m]


def _clashes(window) -> list[str]:
    return [key for key, count in Counter(_mnemonics(window)).items() if count > 1]


def test_alt_mnemonics_are_unique_in_every_view(qtbot, real_window, example_paths):
    window = real_window
    assert window.open_path(next(p for p in example_paths if p.stem == "midsize-general-api"))
    workspace = window.workspace
    for section in ("engagement", "volume"):
        workspace.show_section(section)
        qtbot.wait(20)
        assert _clashes(window) == [], section
    for view in ("review", "assumptions"):
        workspace.show_view(view)
        qtbot.wait(20)
        assert _clashes(window) == [], view
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=30000):
        workspace.show_view("results")
    qtbot.waitUntil(lambda: workspace.views["results"].tabs.count() == 6, timeout=10000)
    assert _clashes(window) == [], "results"
    assert {"e", "v"} <= set(_mnemonics(window))  # the menus keep theirs


def test_focus_lands_on_the_first_field_after_next(qtbot, real_window, example_paths):
    window = real_window
    assert window.open_path(next(p for p in example_paths if p.stem == "midsize-general-api"))
    window.activateWindow()
    wizard = window.workspace.wizard
    wizard.show_section("strategy")
    wizard.next_button.setFocus()
    qtbot.keyClick(wizard.next_button, Qt.Key.Key_Space)  # pressed from the keyboard, where the focus was on Next
    qtbot.wait(20)
    assert wizard.sections[wizard.current_index].id != "strategy"
    first = wizard.current_page.visible_editors()[0]
    assert QApplication.focusWidget() is first.input.focus_widget()


def test_one_tab_stop_per_question_and_shortcuts_for_flag_and_note(qtbot, window):
    window.activateWindow()
    wizard = window.workspace.wizard
    window.workspace.show_section("volume")
    qtbot.wait(20)
    editors = [e for e in wizard.current_page.visible_editors() if e.input.focus_widget().focusPolicy() != Qt.FocusPolicy.NoFocus]
    first = editors[0]
    first.focus_input()
    qtbot.wait(10)
    focus_order = []
    for _ in range(3):
        focus_order.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    owners = [next(e for e in wizard.current_page.editors if e.isAncestorOf(w)) for w in focus_order]
    assert len(set(owners)) == 3  # each Tab went on to the next question
    focus = QApplication.focusWidget()
    owner = next(e for e in wizard.current_page.editors if e.isAncestorOf(focus))
    assert not owner.flag.isChecked()
    qtbot.keyClick(focus, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert owner.flag.isChecked()
    assert window.document.answer(owner.question.id, owner.workload_id).review
    qtbot.keyClick(focus, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert owner.note.isVisible() and QApplication.focusWidget() is owner.note


@pytest.mark.parametrize("tab, words", [("First meeting", ["Present", "Esc", "Unknown", "Review"]),
                                        ("Glossary", ["TTFT", "TPOT", "NPV", "P10", "P90", "Break-even",
                                                      "Tipping point"])])
def test_help_has_the_guide_and_the_glossary(qtbot, window, tab, words):
    dialog = HelpDialog(window, tab)
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == tab
    text = dialog.text(tab)
    assert [w for w in words if w not in text] == []


def test_help_lists_every_shortcut_the_window_has(qtbot, window):
    dialog = HelpDialog(window, "Shortcuts")
    qtbot.addWidget(dialog)
    text = dialog.text("Shortcuts")
    rows = menu_shortcuts(window)
    assert len(rows) > 10
    for keys, where in rows:
        assert keys in text and where in text
    assert "F5" in text and "Esc" in text and "Ctrl+Shift+M" in text


def _focused_editor(wizard):
    focus = QApplication.focusWidget()
    return next(e for e in wizard.current_page.editors if e.isAncestorOf(focus))


def test_a_multi_choice_question_is_one_tab_stop_with_arrows_and_space_inside(qtbot, window):
    """Tab from the question before lands on the check boxes once and goes on to the next question;
    the arrow keys move between the options, Space ticks one, and the flag shortcut still works."""
    window.activateWindow()
    wizard = window.workspace.wizard
    window.workspace.show_section("data")
    qtbot.wait(20)
    editors = wizard.current_page.visible_editors()
    multi = next(e for e in editors if e.question.id == "data_classes")
    boxes = list(multi.input.buttons.values())
    assert len(boxes) == 8
    following = editors[editors.index(multi) + 1]
    multi.focus_input()
    qtbot.wait(10)
    assert QApplication.focusWidget() is boxes[0]
    qtbot.keyClick(boxes[0], Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert QApplication.focusWidget() is boxes[2]
    qtbot.keyClick(boxes[2], Qt.Key.Key_Space)
    assert window.document.answer("data_classes", multi.workload_id).value == ["confidential"]
    qtbot.keyClick(boxes[2], Qt.Key.Key_Up)
    assert QApplication.focusWidget() is boxes[1]
    qtbot.keyClick(boxes[1], Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.document.answer("data_classes", multi.workload_id).review
    qtbot.keyClick(boxes[1], Qt.Key.Key_Tab)
    assert _focused_editor(wizard) is following  # one Tab left the whole question
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert _focused_editor(wizard) is multi  # and one Shift+Tab comes back into it
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert not multi.isAncestorOf(QApplication.focusWidget())  # and one more leaves it again


def test_a_multi_choice_question_is_one_tab_stop_before_any_focus(qtbot, window):
    """Before the question has ever had the focus, only one of its check boxes is in the Tab chain."""
    window.workspace.show_section("data")
    qtbot.wait(20)
    multi = next(e for e in window.workspace.wizard.current_page.editors if e.question.id == "data_classes")
    tab_stops = [b for b in multi.input.buttons.values() if b.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert len(tab_stops) == 1
