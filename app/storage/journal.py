"""Autosave: a journal of each open document's unsaved state, so a crash, a kill or a power cut never
loses an answer. Qt-free; the UI wires it:

    journal = AutosaveJournal(document_key, source_path, password=None)
        document_key: a stable id for the open document (a uuid4 per window is right; never client text)
        source_path:  the file it was opened from or last saved to, None for a new document
        password:     the document's password; its journal is then encrypted like the file
    journal.write(assessment)   from a QTimer every few seconds and on each page change. Writes only when
                                the content changed; raises AssessmentFileError if the disk refuses.
    journal.clear()             after a successful save, and when the user closes and discards changes.
    After "Save As" or a password change, make a new AutosaveJournal with the same document_key.

    pending_recoveries() -> list[RecoveryItem]   at start-up: documents a dead session left unsaved
        RecoveryItem: document_key, source_path, title (None when encrypted), journal_time (UTC),
                      last_saved_time (UTC mtime of source_path, None if never saved or gone), encrypted
    load_recovery(item, password=None) -> Assessment   PasswordRequiredError when encrypted and no password
    discard_recovery(item)                             the user chose "Discard"
    To keep a recovered document, open it as modified with item.source_path and journal it with
    AutosaveJournal(item.document_key, item.source_path, password).

A journal file (user_data_dir()/autosave/<hash of key>.journal) is one line of JSON (metadata) followed
by the exact bytes a save would write, encrypted when the document is: docs/file-format.md. Each journal
carries a DocumentLock, so a second running instance does not offer to "recover" a live document.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from app.domain.assessment import Assessment
from app.domain.errors import AssessmentFileError
from app.storage.assessment_files import assessment_to_bytes, parse_file_bytes, read_file_bytes
from app.storage.atomic import atomic_write_bytes
from app.storage.crypto import SealingKey
from app.storage.locks import DocumentLock, read_lock
from app.storage.resources import user_data_dir

JOURNAL_FORMAT = "llm-deployment-advisor/autosave-journal"
JOURNAL_VERSION = 1
JOURNAL_SUFFIX = ".journal"
MAX_HEADER_BYTES = 64 * 1024
log = logging.getLogger(__name__)


def autosave_dir() -> Path:
    return user_data_dir() / "autosave"


def journal_path_for(document_key: str) -> Path:
    # Hashed: the key is arbitrary text and must never become a path of its choosing.
    return autosave_dir() / (hashlib.sha256(document_key.encode("utf-8")).hexdigest()[:32] + JOURNAL_SUFFIX)


@dataclass(frozen=True)
class RecoveryItem:
    document_key: str
    source_path: Path | None
    title: str | None  # None for an encrypted document: its title is client data
    journal_time: datetime
    last_saved_time: datetime | None
    encrypted: bool
    journal_path: Path


class AutosaveJournal:
    def __init__(self, document_key: str, source_path: Path | None, password: str | None = None):
        self.document_key = document_key
        self.source_path = Path(source_path) if source_path else None
        self.path = journal_path_for(document_key)
        # Derived once: scrypt costs about 0.3 s, too much for every autosave tick.
        self._key = SealingKey(password) if password is not None else None
        self._lock = DocumentLock(self.path)
        self._last_written: bytes | None = None

    def write(self, assessment: Assessment) -> None:
        """Journal the document's current state atomically (skipped when nothing changed)."""
        try:
            autosave_dir().mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self._lock.refresh():  # lock before the journal exists, so no instance sees it as orphaned
                self._lock.acquire(force=True)
            data = assessment_to_bytes(assessment)
            if data != self._last_written:
                payload = self._key.seal(data) if self._key else data
                atomic_write_bytes(self.path, self._header(assessment) + payload)
                self._last_written = data
        except OSError as error:
            raise AssessmentFileError(f"autosave failed ({error.strerror or error}); save the document soon",
                                      path=str(self.path)) from None

    def _header(self, assessment: Assessment) -> bytes:
        header = {"format": JOURNAL_FORMAT, "journal_version": JOURNAL_VERSION, "document_key": self.document_key,
                  "source_path": str(self.source_path) if self.source_path else None,
                  "title": None if self._key else assessment.title,
                  "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "encrypted": self._key is not None}
        return json.dumps(header).encode("utf-8") + b"\n"  # json.dumps escapes newlines: one line

    def clear(self) -> None:
        """The document was saved (or its changes discarded): nothing left to recover."""
        self.path.unlink(missing_ok=True)
        self._lock.release()
        self._last_written = None


def pending_recoveries() -> list[RecoveryItem]:
    """Journals whose session is gone (crashed, killed, powered off), newest first. Journals of documents
    open in a running instance are skipped; unreadable ones are logged and left alone."""
    folder = autosave_dir()
    items = []
    for path in sorted(folder.glob("*" + JOURNAL_SUFFIX)) if folder.is_dir() else []:
        holder = read_lock(DocumentLock(path).lock_path)
        if holder is not None and not holder.is_stale():
            continue
        try:
            items.append(_recovery_item(path))
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("ignoring unreadable autosave journal %s (%s)", path.name, type(error).__name__)
    return sorted(items, key=lambda item: item.journal_time, reverse=True)


def _recovery_item(path: Path) -> RecoveryItem:
    with path.open("rb") as handle:
        header = json.loads(handle.readline(MAX_HEADER_BYTES))
    if header["format"] != JOURNAL_FORMAT or header["journal_version"] != JOURNAL_VERSION:
        raise ValueError("not an autosave journal this version writes")
    source = Path(header["source_path"]) if header["source_path"] else None
    title = header["title"]
    if not isinstance(header["document_key"], str) or not isinstance(title, (str, type(None))):
        raise TypeError("journal header fields have the wrong types")
    return RecoveryItem(document_key=header["document_key"], source_path=source, title=title,
                        journal_time=_utc(datetime.fromisoformat(header["written_at"])),
                        last_saved_time=_last_saved(source), encrypted=bool(header["encrypted"]), journal_path=path)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("journal time without a time zone")
    return moment.astimezone(timezone.utc)


def _last_saved(source: Path | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(source.stat().st_mtime, timezone.utc) if source else None
    except OSError:
        return None


def load_recovery(item: RecoveryItem, password: str | None = None) -> Assessment:
    """The unsaved document a journal holds; one AssessmentFileError when it cannot be read."""
    data = read_file_bytes(item.journal_path)
    newline = data.find(b"\n", 0, MAX_HEADER_BYTES)
    if newline < 0:
        raise AssessmentFileError("the autosaved copy is damaged", path=str(item.journal_path))
    name = item.source_path.name if item.source_path else "an unsaved document"
    return parse_file_bytes(data[newline + 1:], source=f"the autosaved copy of {name}", password=password)


def discard_recovery(item: RecoveryItem) -> None:
    item.journal_path.unlink(missing_ok=True)
    DocumentLock(item.journal_path).lock_path.unlink(missing_ok=True)
