"""The window keeps work safe on its own: every change journaled within half a second, a failing disk
said and retried until it works, a second editor of the same file noticed on both sides, a save over
someone else's save offered as a copy, a read-only file replaced only when the user says so."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QMessageBox

from app.storage import journal as journal_module
from app.storage import locks
from app.storage.assessment_files import load_assessment, save_assessment
from app.ui.main import new_document
from app.ui.main_window import MainWindow
from tests.ui.drive import type_value


@pytest.fixture
def client_file(tmp_path, example_paths):
    path = tmp_path / "client.llmassess"
    save_assessment(load_assessment(next(p for p in example_paths if p.stem == "midsize-general-api")), path)
    return path


def _type_client(window, name: str) -> None:
    window.workspace.show_section("engagement")
    type_value(window.workspace.wizard.current_page.editor_for("client_name"), name)


def _journal_holds(window, text: str) -> bool:
    path = window.autosave.journal.path
    return path.exists() and text.encode() in path.read_bytes()


def test_a_change_is_journaled_within_half_a_second_with_no_timer_tick(window, qtbot):
    window.autosave.timer.stop()  # only the change itself may cause the write
    _type_client(window, "Journaled Client")
    qtbot.waitUntil(lambda: _journal_holds(window, "Journaled Client"), timeout=500)


def test_a_failing_disk_is_said_retried_with_back_off_and_resumed(window, qtbot, monkeypatch):
    real_write_whole = journal_module.AutosaveJournal._write_whole

    def disk_full(self, *args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal_module.AutosaveJournal, "_write_whole", disk_full)
    _type_client(window, "Kept Client")
    qtbot.waitUntil(lambda: window.write_problem.isVisibleTo(window), timeout=1000)
    assert "No space left on device" in window.write_problem.text()
    qtbot.waitUntil(lambda: window.autosave.retry_ms >= 2000, timeout=5000)  # 500, 1000, 2000 ms apart
    assert window.write_problem.isVisibleTo(window)  # still said while it fails
    monkeypatch.setattr(journal_module.AutosaveJournal, "_write_whole", real_write_whole)  # space is back
    qtbot.waitUntil(lambda: not window.write_problem.isVisibleTo(window), timeout=3000)
    assert _journal_holds(window, "Kept Client") and not window.autosave.failing


def test_a_full_disk_in_the_lock_refresh_is_said_not_an_error_dialog(window, dialogs, client_file, monkeypatch):
    assert window.open_path(client_file)
    monkeypatch.setattr(locks, "REFRESH_EVERY", locks.timedelta(0))

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(locks, "atomic_write_bytes", disk_full)
    window._refresh_lock()
    assert "Cannot refresh the lock" in window.write_problem.text() and window.write_problem.isVisibleTo(window)
    monkeypatch.undo()
    window._refresh_lock()
    assert not window.write_problem.isVisibleTo(window)
    assert dialogs.seen == []


@pytest.fixture
def second_window(qtbot, window):
    other = MainWindow(new_document(), new_document)
    qtbot.addWidget(other)
    yield other
    other.document.set_modified(False)
    other.workspace.shutdown()
    other.autosave.discard()


def test_two_editors_of_one_file_both_find_out_and_never_overwrite(window, second_window, dialogs, client_file,
                                                                   monkeypatch):
    assert window.open_path(client_file)
    assert second_window.open_path(client_file)
    assert any(seen.startswith("warning: File already open") for seen in dialogs.seen)  # the second is told
    window._refresh_lock()  # the first window's next lock check, two seconds later at most
    assert "opened elsewhere too" in window.write_problem.text()
    _type_client(second_window, "Saved Second")
    assert second_window.save()
    _type_client(window, "Saved First")
    chosen = []

    def choose_copy(box):
        chosen.append(box.text())
        next(b for b in box.buttons() if "Copy" in b.text()).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose_copy)
    dialogs.save_path = client_file.with_name("client-mine.llmassess")
    assert window.save()
    assert "was saved by another instance" in chosen[0]
    assert load_assessment(client_file).organisation_answers["client_name"].value == "Saved Second"
    copy = load_assessment(dialogs.save_path)
    assert copy.organisation_answers["client_name"].value == "Saved First"
    assert window.document.path == dialogs.save_path


def test_overwriting_someone_elses_save_is_an_explicit_choice(window, dialogs, client_file, monkeypatch):
    assert window.open_path(client_file)
    save_assessment(load_assessment(client_file).model_copy(update={"title": "Saved elsewhere"}), client_file)
    _type_client(window, "Mine")
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: next(b for b in box.buttons() if "Overwrite" in b.text()).click() or 0)
    assert window.save()
    assert load_assessment(client_file).organisation_answers["client_name"].value == "Mine"


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_read_only_file_is_replaced_only_when_the_user_agrees(window, dialogs, client_file):
    assert window.open_path(client_file)
    client_file.chmod(0o444)
    before = client_file.read_bytes()
    _type_client(window, "Changed")
    dialogs.question_answer = QMessageBox.StandardButton.No
    assert not window.save()
    assert client_file.read_bytes() == before and "question: Read-only file" in dialogs.seen
    dialogs.question_answer = QMessageBox.StandardButton.Yes
    assert window.save()
    assert load_assessment(client_file).organisation_answers["client_name"].value == "Changed"
