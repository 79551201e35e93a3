"""Never lose work: an autosave journal per open document (app.storage.journal), written every few
seconds and on each page change while there are unsaved changes; the offer to recover at start (never
in --startup-check); and the warning when another window or app instance has the same file open."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from types import ModuleType

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from app.domain.errors import AdvisorError
from app.ui.document import Document

AUTOSAVE_INTERVAL_MS = 5000
log = logging.getLogger(__name__)


def journal_module() -> ModuleType | None:
    try:
        return importlib.import_module("app.storage.journal")
    except ModuleNotFoundError as error:
        if not (error.name or "").startswith("app."):
            raise
        return None


class Autosave(QObject):
    """Journals one document's unsaved state; cleared when the document is saved or closed."""

    def __init__(self, document: Document, parent: QObject | None = None):
        super().__init__(parent)
        journal = journal_module()
        self.document = document
        self.journal = journal.AutosaveJournal(document.assessment.id, document.path) if journal else None
        self.timer = QTimer(self, interval=AUTOSAVE_INTERVAL_MS)
        self.timer.timeout.connect(self.write_now)
        document.modified_changed.connect(self._on_modified_changed)
        if self.journal is not None:
            self.timer.start()

    def write_now(self) -> None:
        if self.journal is None or not self.document.modified:
            return
        try:
            self.journal.write(self.document.assessment)
        except AdvisorError as error:
            log.warning("autosave failed: %s", type(error).__name__)
            self.timer.stop()  # one warning in the status bar is enough; saving still works
            self.parent().statusBar().showMessage(str(error), 10000)

    def _on_modified_changed(self, modified: bool) -> None:
        if not modified and self.journal is not None:
            self.journal.clear()  # saved: nothing left to recover

    def discard(self) -> None:
        """The user closed the document (saved, or chose to discard its changes)."""
        self.timer.stop()
        if self.journal is not None:
            self.journal.clear()


def offer_recovery(window) -> None:
    """At start: offer to recover each document left unsaved by a crash or power loss."""
    journal = journal_module()
    if journal is None:
        return
    for item in journal.pending_recoveries():
        if _ask_to_recover(window, item):
            _recover(window, journal, item)
        else:
            journal.discard_recovery(item)


def _ask_to_recover(window, item) -> bool:
    name = item.source_path.name if item.source_path else (item.title or "an unsaved assessment")
    saved = item.last_saved_time.strftime("%Y-%m-%d %H:%M") if item.last_saved_time else "never"
    autosaved = item.journal_time.strftime("%Y-%m-%d %H:%M")
    answer = QMessageBox.question(
        window, "Recover unsaved work",
        f"{name} has changes that were not saved (autosaved {autosaved}; last saved {saved}).\n\n"
        "Recover them? Choosing No discards the autosaved copy.")
    return answer == QMessageBox.StandardButton.Yes


def _recover(window, journal, item) -> None:
    password = None
    if item.encrypted:
        password, ok = QInputDialog.getText(window, "Recover unsaved work", "Password of the document:",
                                            QLineEdit.EchoMode.Password)
        if not ok:
            return
    try:
        assessment = journal.load_recovery(item, password=password)
    except AdvisorError as error:
        QMessageBox.warning(window, "Recover unsaved work", str(error))
        return
    document = Document(assessment, item.source_path)
    window.set_document(document, fresh=False)
    document.set_modified(True)  # recovered changes are unsaved until the user saves them
    journal.discard_recovery(item)


def warn_if_open_elsewhere(window, path: Path):
    """Take the file's lock; tell the user when another window or instance holds it. Returns the lock."""
    try:
        locks = importlib.import_module("app.storage.locks")
    except ModuleNotFoundError:
        return None
    lock = locks.DocumentLock(Path(path))
    status = lock.acquire()
    if not status.acquired and status.holder is not None:
        QMessageBox.warning(window, "File already open",
                            f"{Path(path).name} is already open elsewhere ({status.holder.describe()}). "
                            "Changes saved from two places overwrite each other.")
    return lock if status.acquired else None
