"""Never lose work: an autosave journal per open document (app.storage.journal), written every few
seconds and on each page change while there are unsaved changes; the offer to recover at start (never
in --startup-check); and the warning when another window or app instance has the same file open."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMessageBox

from app.domain.errors import AdvisorError
from app.ui.document import Document
from app.ui.errors import show_error
from app.ui.passwords import load_with_password

AUTOSAVE_INTERVAL_MS = 5000
RECOVER_TITLE = "Recover unsaved work"
log = logging.getLogger(__name__)


class Autosave(QObject):
    """Journals one document's unsaved state (sealed with the document's password when it has one);
    cleared when the document is saved or closed."""

    def __init__(self, document: Document, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self._journal = self._prepared_journal()
        self.timer = QTimer(self, interval=AUTOSAVE_INTERVAL_MS)
        self.timer.timeout.connect(self.write_now)
        document.modified_changed.connect(self._on_modified_changed)
        document.path_changed.connect(self._renew)
        document.password_changed.connect(self._renew)
        self.timer.start()

    def _prepared_journal(self):
        """None until the first write (the journal loads the file format and crypto, which startup does
        without), except for a protected document: its key is derived now, while the user waits for the
        file or the save anyway, not in the middle of typing."""
        return self._new_journal() if self.document.protected else None

    def _new_journal(self):
        from app.storage.journal import AutosaveJournal
        return AutosaveJournal(self.document.key, self.document.path, self.document.password)

    @property
    def journal(self):
        if self._journal is None:
            self._journal = self._new_journal()
        return self._journal

    def write_now(self) -> None:
        if not self.document.modified:
            return
        try:
            self.journal.write(self.document.assessment)
        except AdvisorError as error:
            log.warning("autosave failed: %s", type(error).__name__)
            self.timer.stop()  # one warning in the status bar is enough; saving still works
            self.parent().statusBar().showMessage(str(error), 10000)

    def _renew(self) -> None:
        """A new file name or password: journal under the same key (the same file), rewritten at once, so
        a document that was just protected keeps no readable autosave."""
        self._journal = self._prepared_journal()
        self.write_now()

    def _on_modified_changed(self, modified: bool) -> None:
        if not modified and self._journal is not None:
            self._journal.clear()  # saved: nothing left to recover

    def discard(self) -> None:
        """The user closed the document (saved, or chose to discard its changes)."""
        self.timer.stop()
        if self._journal is not None:
            self._journal.clear()


def offer_recovery(window) -> None:
    """At start: offer to recover each document left unsaved by a crash or power loss. Each recovered
    document replaces the window's, so the previous one is saved or let go (asked) first."""
    from app.storage import journal
    for item in journal.pending_recoveries():
        if not _ask_to_recover(window, item):
            journal.discard_recovery(item)
        elif not window.maybe_discard():
            return  # the rest stay journaled for the next start
        else:
            _recover(window, journal, item)


def _ask_to_recover(window, item) -> bool:
    name = item.source_path.name if item.source_path else (item.title or "An unsaved assessment")
    # The journal records UTC; the user reads local time.
    saved = item.last_saved_time.astimezone().strftime("%Y-%m-%d %H:%M") if item.last_saved_time else "never"
    autosaved = item.journal_time.astimezone().strftime("%Y-%m-%d %H:%M")
    protected = " It is password protected: its password will be asked for." if item.encrypted else ""
    answer = QMessageBox.question(
        window, RECOVER_TITLE,
        f"{name} has changes that were not saved (autosaved {autosaved}; last saved {saved}).{protected}\n\n"
        "Recover them? Choosing No discards the autosaved copy.")
    return answer == QMessageBox.StandardButton.Yes


def _recover(window, journal, item) -> None:
    """Open the journaled document as unsaved, journaled again at once under its key by this session.
    Cancelling the password leaves the autosaved copy for the next start."""
    name = item.source_path.name if item.source_path else "the unsaved assessment"

    def load(password: str | None) -> Document:
        return Document(journal.load_recovery(item, password), item.source_path, password=password,
                        key=item.document_key)

    try:
        document = load_with_password(window, RECOVER_TITLE, f"The autosaved copy of {name} is protected.", load)
    except AdvisorError as error:
        show_error(window, RECOVER_TITLE, error)
        return
    if document is None:
        return
    window.set_document(document, fresh=False)
    document.set_modified(True)  # recovered changes are unsaved until the user saves them
    window.autosave.write_now()


def warn_if_open_elsewhere(window, path: Path):
    """Take the file's lock; tell the user when another window or instance holds it. Returns the lock."""
    from app.storage.locks import DocumentLock
    lock = DocumentLock(Path(path))
    status = lock.acquire()
    if not status.acquired and status.holder is not None:
        QMessageBox.warning(window, "File already open",
                            f"{Path(path).name} is already open elsewhere ({status.holder.describe()}). "
                            "Changes saved from two places overwrite each other.")
    return lock if status.acquired else None
