"""Password-protected assessments in the window (open with retry, Save with Password, encrypted autosave
journals and their recovery, the lock shown) and Export for Sharing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from app.storage.assessment_files import SHARED_TITLE, load_assessment, save_assessment
from app.storage.crypto import is_encrypted
from app.ui.files.passwords import ProtectDialog
from app.ui.settings import app_settings
from tests.ui.conftest import REMOVE_PASSWORD
from tests.ui.crash import crash_after_journaling
from tests.ui.drive import type_value

PASSWORD = "correct horse battery"


@pytest.fixture
def protected_file(tmp_path, example_paths):
    path = tmp_path / "northwind.llmassess"
    save_assessment(load_assessment(next(p for p in example_paths if p.stem == "midsize-general-api")), path,
                    password=PASSWORD)
    return path


def _give_client_name(window, name: str) -> None:
    window.workspace.show_section("engagement")
    type_value(window.workspace.wizard.current_page.editor_for("client_name"), name)


def _journal_body(window) -> bytes:
    """The first record's payload: after the header line and the record's frame line."""
    return window.autosave.journal.path.read_bytes().split(b"\n", 2)[2]


def test_open_protected_file_retries_a_wrong_password(window, dialogs, protected_file):
    dialogs.passwords = ["wrong", PASSWORD]
    assert window.open_path(protected_file)
    assert dialogs.password_errors == ["Wrong password for northwind.llmassess (or the file was damaged)"]
    assert window.document.path == protected_file and window.document.password == PASSWORD
    assert window.windowTitle().startswith("🔒 northwind.llmassess")
    assert window.protection.isVisibleTo(window)
    assert dialogs.seen == ["password: Open protected assessment"]  # no error box besides the prompt


def test_cancelling_the_password_leaves_the_window_as_it_was(window, dialogs, protected_file):
    before = window.document
    assert not window.open_path(protected_file)
    assert window.document is before and window.document.path is None
    assert not window.protection.isVisibleTo(window)
    assert dialogs.seen == ["password: Open protected assessment"]


def test_protected_document_saves_and_autosaves_encrypted(window, dialogs, protected_file, advisor_home):
    dialogs.passwords = [PASSWORD]
    window.open_path(protected_file)
    _give_client_name(window, "Secret Client")
    window.autosave.write_now()
    assert is_encrypted(_journal_body(window)) and b"Secret Client" not in _journal_body(window)
    assert window.save()
    data = protected_file.read_bytes()
    assert is_encrypted(data) and b"Secret Client" not in data
    assert load_assessment(protected_file, PASSWORD).organisation_answers["client_name"].value == "Secret Client"
    written = [p for p in [*advisor_home.rglob("*"), *protected_file.parent.iterdir()] if p.is_file()]
    assert app_settings().fileName() in [str(p) for p in written]
    assert not [p for p in written if PASSWORD.encode() in p.read_bytes()]  # the password stays in memory


def test_save_with_password_protects_then_removes(window, dialogs, tmp_path):
    _give_client_name(window, "Secret Client")
    window.autosave.write_now()
    assert b"Secret Client" in _journal_body(window)  # not protected yet: a plain journal
    dialogs.protect = PASSWORD
    dialogs.save_path = tmp_path / "secret.llmassess"
    assert window.save_with_password()
    assert is_encrypted(dialogs.save_path.read_bytes())
    assert window.document.password == PASSWORD and window.windowTitle().startswith("🔒 ")
    _give_client_name(window, "Other Client")  # later saves keep the password
    assert window.save()
    assert load_assessment(dialogs.save_path, PASSWORD).organisation_answers["client_name"].value == "Other Client"
    dialogs.protect = REMOVE_PASSWORD
    assert window.save_with_password()
    assert not is_encrypted(dialogs.save_path.read_bytes()) and not window.document.protected
    assert not window.windowTitle().startswith("🔒")


def test_protecting_replaces_the_plain_journal_at_once(window):
    _give_client_name(window, "Secret Client")
    window.autosave.write_now()
    window.document.set_password(PASSWORD)
    assert is_encrypted(_journal_body(window)) and b"Secret Client" not in _journal_body(window)


def test_save_with_password_cancelled_keeps_the_document_unprotected(window, dialogs):
    dialogs.protect = PASSWORD
    dialogs.save_path = None  # Cancel in the Save dialog of an untitled document
    assert not window.save_with_password()
    assert not window.document.protected and not window.protection.isVisibleTo(window)


def test_protect_dialog_needs_two_matching_passwords():
    dialog = ProtectDialog("a.llmassess", protected=False)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled() and dialog.remove.isHidden()
    dialog.password.setText("one phrase")
    dialog.confirm.setText("another")
    assert not save.isEnabled() and dialog.mismatch.text() == "The two passwords differ."
    dialog.confirm.setText("one phrase")
    assert save.isEnabled() and dialog.mismatch.text() == "" and dialog.chosen_password() == "one phrase"
    protected = ProtectDialog("a.llmassess", protected=True)
    protected.remove.setChecked(True)
    assert not protected.remove.isHidden() and not protected.password.isEnabled()
    assert protected.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert protected.chosen_password() is None


def test_recovering_a_protected_journal_asks_its_password(window, dialogs, protected_file):
    from app.storage.journal import pending_recoveries
    from app.ui.files.recovery import offer_recovery
    crash_after_journaling(protected_file, "killed-session", "Recovered Client", PASSWORD)
    [item] = pending_recoveries()
    assert item.encrypted and item.title is None
    dialogs.question_answer = QMessageBox.StandardButton.Yes
    dialogs.passwords = ["wrong", PASSWORD]
    offer_recovery(window)
    assert len(dialogs.password_errors) == 1 and dialogs.password_errors[0].startswith("Wrong password")
    assert window.document.answer("client_name", None).value == "Recovered Client"
    assert window.document.password == PASSWORD and window.isWindowModified()
    assert is_encrypted(_journal_body(window)) and b"Recovered Client" not in _journal_body(window)


def test_recovery_cancelled_at_the_password_keeps_the_journal(window, dialogs, protected_file):
    from app.storage.journal import pending_recoveries
    from app.ui.files.recovery import offer_recovery
    crash_after_journaling(protected_file, "killed-session", "Recovered Client", PASSWORD)
    dialogs.question_answer = QMessageBox.StandardButton.Yes
    offer_recovery(window)  # no password typed: Cancel
    assert window.document.path is None
    assert [i.document_key for i in pending_recoveries()] == ["killed-session"]


def test_export_for_sharing_writes_a_new_file_and_says_what_went(window, dialogs, tmp_path, example_paths):
    source = tmp_path / "northwind.llmassess"
    shutil.copyfile(next(p for p in example_paths if p.stem == "midsize-general-api"), source)
    window.open_path(source)
    client = window.document.answer("client_name", None).value
    dialogs.save_path = tmp_path / "for-vendor.llmassess"
    assert window.export_for_sharing()
    suggested = Path(dialogs.save_suggestions[-1]).name  # neutral: the document's name may be the client's
    assert suggested.startswith("shared-assessment-") and "northwind" not in suggested
    shared = load_assessment(dialogs.save_path)
    assert shared.title == SHARED_TITLE and "client_name" not in shared.organisation_answers
    assert client.encode() not in dialogs.save_path.read_bytes()
    assert window.document.path == source and window.document.answer("client_name", None).value == client
    [message] = [s for s in dialogs.seen if s.startswith("box: Saved for-vendor.llmassess, a copy to share")]
    assert "Client organisation" in message and "use-case names" in message
    assert "The open assessment is unchanged." in message


def test_export_for_sharing_never_replaces_the_open_file(window, dialogs, tmp_path):
    dialogs.save_path = tmp_path / "mine.llmassess"
    window.save()
    before = dialogs.save_path.read_bytes()
    assert not window.export_for_sharing()
    assert dialogs.save_path.read_bytes() == before
    assert dialogs.seen[-1].startswith("warning: Export for Sharing: The shared copy needs a new file name")
