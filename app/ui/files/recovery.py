"""Never lose work: an autosave journal per open document (app.storage.journal), appended within
JOURNAL_DELAY_MS of every change while there are unsaved changes, retried with back-off while the disk
refuses; the offer to recover at start (never in --startup-check); and the warning when another window
or app instance has the same file open."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox

from app.domain.errors import AdvisorError
from app.ui.files.document import Document
from app.ui.dialogs.errors import show_error

# A completed change is journaled (appended and fsync'd) this long after it, at most: changes in between
# are grouped into one record. The promise (docs/reliability.md) is 0.5 s, write time included.
JOURNAL_DELAY_MS = 150
AUTOSAVE_INTERVAL_MS = 5000  # a backstop: every change already schedules its own write
# After a failed write (a full disk), retry after 0.5 s, then twice as long each time, at most 5 s apart.
RETRY_FIRST_MS, RETRY_MAX_MS = 500, 5000
RECOVER_TITLE = "Recover unsaved work"
log = logging.getLogger(__name__)


class Autosave(QObject):
    """Journals one document's unsaved changes within JOURNAL_DELAY_MS of each (sealed with the document's
    password when it has one); cleared when the document is saved or closed. While the disk refuses,
    retries with back-off and says so through `problem_changed` (a message; "" once writes work again)."""

    problem_changed = Signal(str)

    def __init__(self, document: Document, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self._journal = self._prepared_journal()
        self.retry_ms = 0  # 0 while writes work; the current back-off while they fail
        self._soon = QTimer(self, singleShot=True, interval=JOURNAL_DELAY_MS)
        self._soon.timeout.connect(self.write_now)
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self.write_now)
        self.timer = QTimer(self, interval=AUTOSAVE_INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        document.changed.connect(self._on_changed)
        document.modified_changed.connect(self._on_modified_changed)
        document.saved.connect(self._restart)
        document.about_to_save.connect(self._on_about_to_save)
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
        return AutosaveJournal(self.document.key, self.document.path, self.document.password,
                               base_revision=self.document.revision)

    @property
    def journal(self):
        if self._journal is None:
            self._journal = self._new_journal()
        return self._journal

    @property
    def failing(self) -> bool:
        return self.retry_ms > 0

    def _on_changed(self) -> None:
        # Not restarted by each keystroke: a change waits at most JOURNAL_DELAY_MS, however fast the typing.
        if not self.failing and not self._soon.isActive():
            self._soon.start()

    def _tick(self) -> None:
        if not self.failing:
            self.write_now()

    def write_now(self) -> None:
        if not self.document.modified:
            return
        try:
            self.journal.write(self.document.assessment)
        except AdvisorError as error:
            self._failed(error)
            return
        if self.failing:
            self.retry_ms = 0
            log.info("autosave works again")
            self.problem_changed.emit("")

    def _failed(self, error: AdvisorError) -> None:
        first = not self.failing
        self.retry_ms = RETRY_FIRST_MS if first else min(self.retry_ms * 2, RETRY_MAX_MS)
        self._retry.start(self.retry_ms)
        if first:
            log.warning("autosave failed: %s", type(error).__name__)
            self.problem_changed.emit(f"{error} Retrying until it works again.")

    def _on_about_to_save(self, revision: str) -> None:
        if self._journal is not None and self.document.modified:
            self._journal.saving(revision)

    def _renew(self) -> None:
        """A new file name or password: journal under the same key (the same file), rewritten at once, so
        a document that was just protected keeps no readable autosave."""
        self._journal = self._prepared_journal()
        self.write_now()

    def _on_modified_changed(self, modified: bool) -> None:
        if not modified:
            self._restart()

    def _restart(self) -> None:
        """Saved (even with no change: the file still has a new revision): nothing left to recover, and
        the next change starts a journal over the file as it is now."""
        if self._journal is not None:
            self._journal.clear()
            self._journal.rebase(self.document.path, self.document.revision)

    def discard(self) -> None:
        """The user closed the document (saved, or chose to discard its changes)."""
        for timer in (self.timer, self._soon, self._retry):
            timer.stop()
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
    saved = (f"last saved {item.last_saved_time.astimezone().strftime('%Y-%m-%d %H:%M')}" if item.last_saved_time
             else "never saved")
    autosaved = item.journal_time.astimezone().strftime("%Y-%m-%d %H:%M")
    protected = " It is password protected: its password will be asked for." if item.encrypted else ""
    conflict = (f" {name} was saved from elsewhere since: the changes open as a separate, unsaved copy."
                if item.conflict else "")
    answer = QMessageBox.question(
        window, RECOVER_TITLE,
        f"{name} has changes that were not saved (autosaved {autosaved}; {saved}).{protected}"
        f"{conflict}\n\nRecover them? Choosing No discards the autosaved copy.")
    return answer == QMessageBox.StandardButton.Yes


def _recover(window, journal, item) -> None:
    """Open the journaled document as unsaved, journaled again at once under its key by this session.
    Cancelling the password leaves the autosaved copy for the next start. Changes made to a file that
    was saved from elsewhere since open as an untitled copy: recovering never overwrites a newer save."""
    name = item.source_path.name if item.source_path else "the unsaved assessment"
    opened = []

    def load(password: str | None) -> Document:
        recovery = journal.open_recovery(item, password)
        opened.append(recovery)
        path = None if recovery.conflict else recovery.source_path
        return Document(recovery.assessment, path, password=password, key=item.document_key,
                        revision=recovery.base_revision)

    from app.ui.files.passwords import load_with_password  # off the startup path: this module is on it
    try:
        document = load_with_password(window, RECOVER_TITLE, f"The autosaved copy of {name} is protected.", load)
    except AdvisorError as error:
        show_error(window, RECOVER_TITLE, error)
        return
    if document is None:
        return
    if opened[-1].stale:  # a protected journal, compared with its file once its password opened it
        journal.discard_recovery(item)
        QMessageBox.information(window, RECOVER_TITLE, f"{opened[-1].source_path.name} was saved with these "
                                "changes already: nothing was lost, and the autosaved copy was removed.")
        return
    window.set_document(document, fresh=False)
    document.set_modified(True)  # recovered changes are unsaved until the user saves them
    window.autosave.write_now()
    if opened[-1].conflict:
        window.statusBar().showMessage(f"Recovered as an unsaved copy: {opened[-1].source_path.name} was saved "
                                       "from elsewhere since these changes were made.", 15000)


def warn_if_open_elsewhere(window, path: Path):
    """Take the file's lock. When another window or instance holds it, say so and take it over anyway:
    that editor is told at once (its lock check sees the change), and saves from either side check the
    file's revision first, so neither silently overwrites the other. Returns the lock (None when the
    lock cannot be written anywhere)."""
    from app.storage.locks import DocumentLock
    lock = DocumentLock(Path(path))
    try:
        status = lock.acquire()
        if not status.acquired and status.holder is not None:
            QMessageBox.warning(window, "File already open",
                                f"{Path(path).name} is already open elsewhere ({status.holder.describe()}). "
                                "That window is told now. Saving checks whether the other one saved first, "
                                "and offers to save a copy instead of overwriting its changes.")
            status = lock.acquire(force=True)
    except OSError as error:
        log.warning("cannot lock %s (%s)", Path(path).name, type(error).__name__)
        return None
    return lock if status.acquired else None
