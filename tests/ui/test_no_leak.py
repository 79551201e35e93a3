"""Nothing readable is left beside a protected file: its PDF is protected by default (a PDF user
password), plain only by an explicit choice; the user's folders and settings are owner-only."""

from __future__ import annotations

import os

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog

from app.storage import crypto
from app.storage.assessment_files import load_assessment, save_assessment
from app.storage.resources import user_config_dir, user_data_dir
from app.ui import settings
from app.ui.files.export import PdfProtectionDialog

PASSWORD = "correct horse battery"


@pytest.fixture
def protected_file(tmp_path, example_paths, monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**14)
    path = tmp_path / "Northwind Bank.llmassess"
    save_assessment(load_assessment(next(p for p in example_paths if p.stem == "midsize-general-api")), path,
                    password=PASSWORD)
    return path


def _export(qtbot, window, dialogs, out, choose) -> None:
    dialogs.save_path = out
    chosen = []

    def exec_dialog(dialog):
        chosen.append(dialog.same.isChecked())  # the default, before the test's choice
        choose(dialog)
        return QDialog.DialogCode.Accepted

    original = PdfProtectionDialog.exec
    PdfProtectionDialog.exec = exec_dialog
    try:
        window.export_pdf()
    finally:
        PdfProtectionDialog.exec = original
    assert chosen == [True]
    with qtbot.waitSignal(window.pdf_export.finished, timeout=60000) as finished:
        pass
    assert finished.args[1] == ""


def test_the_pdf_of_a_protected_document_is_protected_by_default(qtbot, real_window, dialogs, protected_file,
                                                                 tmp_path):
    dialogs.passwords = [PASSWORD]
    assert real_window.open_path(protected_file)
    out = tmp_path / "report.pdf"
    _export(qtbot, real_window, dialogs, out, lambda dialog: None)
    reader = PdfReader(out)
    assert reader.is_encrypted and not reader.decrypt("wrong") and reader.decrypt(PASSWORD)
    assert b"Northwind" not in out.read_bytes()


def test_a_new_password_or_a_plain_pdf_on_explicit_choice(qtbot, real_window, dialogs, protected_file, tmp_path):
    dialogs.passwords = [PASSWORD]
    assert real_window.open_path(protected_file)

    def new_password(dialog):
        dialog.new.setChecked(True)
        dialog.password.setText("another phrase")
        dialog.confirm.setText("another phrase")

    _export(qtbot, real_window, dialogs, tmp_path / "new.pdf", new_password)
    assert PdfReader(tmp_path / "new.pdf").decrypt("another phrase")
    _export(qtbot, real_window, dialogs, tmp_path / "plain.pdf", lambda dialog: dialog.plain.setChecked(True))
    assert not PdfReader(tmp_path / "plain.pdf").is_encrypted


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_user_folders_and_the_recent_files_are_owner_only(window, dialogs, tmp_path, advisor_home):
    dialogs.save_path = tmp_path / "Client Name.llmassess"
    assert window.save()
    settings.app_settings().sync()
    ini = user_config_dir() / "desktop.ini"
    assert "Client Name" in ini.read_text()
    assert ini.stat().st_mode & 0o777 == 0o600
    window.document.set_modified(True)
    window.autosave.write_now()
    for folder in (user_config_dir(), user_data_dir(), user_data_dir() / "autosave"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
