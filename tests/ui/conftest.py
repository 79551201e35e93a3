"""UI test fixtures: a main window on a fresh document, modal dialogs that never block, and the
stand-in engine where a test asks for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from app.ui.files.passwords import PasswordPrompt, ProtectDialog
from tests.ui.fakes import FAKE_ENGINE

REMOVE_PASSWORD = object()  # Dialogs.protect: tick "Remove the password"


class Dialogs:
    """Answers for the modal dialogs a test expects, and a record of every one that appeared."""

    def __init__(self):
        self.save_path: Path | None = None
        self.open_path: Path | None = None
        self.question_answer = QMessageBox.StandardButton.Discard
        self.text_answers: list[str] = []
        self.save_suggestions: list[str] = []  # the file names the save dialogs proposed
        self.passwords: list[str] = []  # typed into the password prompt, one per try; none left: Cancel
        self.password_errors: list[str] = []  # what the prompt said after each failed try
        self.protect = None  # Save with Password: a new password, REMOVE_PASSWORD, or None for Cancel
        self.seen: list[str] = []

    def type_passwords(self, prompt: PasswordPrompt) -> QDialog.DialogCode:
        self.seen.append(f"password: {prompt.windowTitle()}")
        while self.passwords:
            prompt.password.setText(self.passwords.pop(0))
            prompt.accept()
            if prompt.result() == QDialog.DialogCode.Accepted:
                return QDialog.DialogCode.Accepted
            self.password_errors.append(prompt.error.text())
        return QDialog.DialogCode.Rejected

    def choose_protection(self, dialog: ProtectDialog) -> QDialog.DialogCode:
        self.seen.append("protect")
        if self.protect is None:
            return QDialog.DialogCode.Rejected
        if self.protect is REMOVE_PASSWORD:
            dialog.remove.setChecked(True)
        else:
            dialog.password.setText(self.protect)
            dialog.confirm.setText(self.protect)
        return QDialog.DialogCode.Accepted


@pytest.fixture
def dialogs(monkeypatch) -> Dialogs:
    recorded = Dialogs()

    def question(parent, title, text, *args, **kwargs):
        recorded.seen.append(f"question: {title}")
        return recorded.question_answer

    def message(kind):
        def show(parent, title, text, *args, **kwargs):
            recorded.seen.append(f"{kind}: {title}: {text}")
            return QMessageBox.StandardButton.Ok
        return show

    monkeypatch.setattr(QMessageBox, "question", question)
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, message(kind))
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda self: recorded.seen.append(f"box: {self.text()} {self.informativeText()}") or 0)
    def save_file_name(parent, title, suggested, *args, **kwargs):
        recorded.save_suggestions.append(suggested)
        return (str(recorded.save_path) if recorded.save_path else "", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file_name)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(recorded.open_path) if recorded.open_path else "", ""))
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *a, **k: (recorded.text_answers.pop(0), True) if recorded.text_answers else ("", False))
    monkeypatch.setattr(PasswordPrompt, "exec", lambda prompt: recorded.type_passwords(prompt))
    monkeypatch.setattr(ProtectDialog, "exec", lambda dialog: recorded.choose_protection(dialog))
    return recorded


@pytest.fixture
def fake_engine(monkeypatch):
    monkeypatch.setattr("app.ui.results.evaluation.engine_module", lambda: FAKE_ENGINE)
    return FAKE_ENGINE


def _main_window(qtbot):
    from app.ui.main import build_window, make_application
    make_application()
    main_window = build_window(None)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    return main_window


def _close(main_window) -> None:
    main_window.document.set_modified(False)  # closing at teardown must not ask
    main_window.workspace.shutdown()
    main_window.autosave.discard()


@pytest.fixture
def window(qtbot, dialogs, fake_engine, advisor_home):
    """The main window on a new assessment, computing with the stand-in engine, in a user folder of its
    own (settings, recent files, autosave journals)."""
    main_window = _main_window(qtbot)
    yield main_window
    _close(main_window)


@pytest.fixture
def real_window(qtbot, dialogs, advisor_home):
    """The main window computing with the real engine."""
    main_window = _main_window(qtbot)
    yield main_window
    _close(main_window)
