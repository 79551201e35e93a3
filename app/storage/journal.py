"""Autosave: an append-only journal of each open document's unsaved changes, so a crash, a kill or a
power cut never loses a completed edit. Qt-free; the UI wires it (app/ui/files/recovery.py):

    journal = AutosaveJournal(document_key, source_path, password=None, base_revision=None)
        document_key:  a stable id for the open document (a uuid4 per window is right; never client text)
        source_path:   the file it was opened from or last saved to, None for a new document
        password:      the document's password; its journal records are then encrypted like the file
        base_revision: the revision of source_path this document was loaded from or last saved as
    journal.write(assessment)   within a fraction of a second of every change: appends one record and
                                fsyncs it. Nothing when the content did not change; AssessmentFileError when
                                the disk refuses (the caller retries: nothing is lost from memory).
    journal.saving(revision)    just before the file is replaced by a save that will have `revision`
    journal.clear()             after a successful save, and when the user closes and discards changes.
    After "Save As", a password change or a save, make a new AutosaveJournal with the same document_key.

    pending_recoveries() -> list[RecoveryItem]    at start-up: documents a dead session left unsaved.
        A journal whose changes the saved file already holds (killed between a save and clearing the
        journal) is discarded, never offered. One whose saved file changed since it was loaded
        (another instance saved it) is offered as a separate copy: item.conflict.
    open_recovery(item, password=None) -> Recovery(assessment, source_path, conflict, stale)
    load_recovery(item, password=None) -> Assessment
    discard_recovery(item)

The file (user_data_dir()/autosave/<hash of key>.journal): one line of JSON (the header), then records,
each `TAG LENGTH CRC32\\n` + payload + `\\n`: F (the whole document), D (the document without its
questionnaire and catalog snapshot, which rarely change; applied over the last F), S (a save to this
revision was about to replace the file). Payloads of a protected document are envelopes
(app/storage/crypto.py), and its header holds no path or title. A record torn by a kill is ignored,
with everything after it. When the records outgrow the document, the journal is rewritten atomically
as a header and one F record. Each journal carries a DocumentLock, so a second running instance does
not offer to "recover" a live document. Format: docs/file-format.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import zlib
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from app.domain.assessment import Assessment
from app.domain.errors import AssessmentFileError, PasswordRequiredError
from app.storage.assessment_files import (assessment_document, document_to_bytes, file_revision,
                                          parse_assessment_bytes, read_file_bytes)
from app.storage.atomic import atomic_write_bytes
from app.storage.crypto import OpeningKey, SealingKey
from app.storage.locks import DocumentLock, read_lock
from app.storage.resources import private_folder, user_data_dir

JOURNAL_FORMAT = "llm-deployment-advisor/autosave-journal"
JOURNAL_VERSION = 2
JOURNAL_SUFFIX = ".journal"
MAX_HEADER_BYTES = 64 * 1024
# Left out of change records: large (hundreds of KB), and changed only by re-baselining.
LARGE_FIELDS = {"questionnaire", "catalog_snapshot"}
# Rewrite the journal as one whole record once the change records add up to this many whole copies.
COMPACT_AFTER_COPIES = 4
log = logging.getLogger(__name__)


def autosave_dir() -> Path:
    return user_data_dir() / "autosave"


def journal_path_for(document_key: str) -> Path:
    # Hashed: the key is arbitrary text and must never become a path of its choosing.
    return autosave_dir() / (hashlib.sha256(document_key.encode("utf-8")).hexdigest()[:32] + JOURNAL_SUFFIX)


@dataclass(frozen=True)
class RecoveryItem:
    document_key: str
    source_path: Path | None  # None for a protected document until its password opens the journal
    title: str | None  # None for an encrypted document: its title is client data
    journal_time: datetime
    last_saved_time: datetime | None
    encrypted: bool
    journal_path: Path
    conflict: bool = False  # the saved file changed since this copy was loaded: recover it as a copy


@dataclass(frozen=True)
class Recovery:
    assessment: Assessment
    source_path: Path | None
    conflict: bool  # the file at source_path is not the one these changes were made to
    stale: bool  # the file at source_path already holds every journaled change: nothing to recover
    base_revision: str | None  # the revision of source_path the changes were made to


def _compact(content: dict) -> bytes:
    """A record's JSON: compact (records are written many times a minute), never NaN, valid UTF-8."""
    try:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which loading refuses: never journal what cannot be read
        raise AssessmentFileError("the document holds text that is not valid Unicode") from None


def _frame(tag: bytes, payload: bytes) -> bytes:
    return b"%s %d %08x\n" % (tag, len(payload), zlib.crc32(payload)) + payload + b"\n"


class AutosaveJournal:
    def __init__(self, document_key: str, source_path: Path | None, password: str | None = None,
                 base_revision: str | None = None):
        self.document_key = document_key
        self.source_path = Path(source_path) if source_path else None
        self.base_revision = base_revision
        self.path = journal_path_for(document_key)
        # Derived once: scrypt costs about 0.3 s, too much for every change.
        self._key = SealingKey(password) if password is not None else None
        self._lock = DocumentLock(self.path)
        self._last_small: bytes | None = None  # the last change record's document, to skip repeats
        self._large: tuple[Any, Any] | None = None  # the large fields journaled last (compared by identity)
        self._whole_bytes = 0
        self._since_whole = 0
        self._started = False

    def write(self, assessment: Assessment) -> None:
        """Journal the document's current state (skipped when nothing changed), durably: fsync'd."""
        try:
            private_folder(autosave_dir())
            if not self._lock.refresh():  # lock before the journal exists, so no instance sees it as orphaned
                self._lock.acquire(force=True)
            large = (assessment.questionnaire, assessment.catalog_snapshot)
            if not self._started or self._large is None or any(a is not b for a, b in zip(large, self._large)):
                self._write_whole(assessment)
                self._large = large
                return
            small = _compact(assessment_document(assessment, exclude=LARGE_FIELDS))
            if small == self._last_small:
                return
            if self._since_whole > COMPACT_AFTER_COPIES * self._whole_bytes:
                self._write_whole(assessment)
                return
            self._append(_frame(b"D", self._seal(small)))
            self._last_small = small
        except OSError as error:
            raise AssessmentFileError(f"autosave failed ({error.strerror or error}); save the document soon",
                                      path=str(self.path)) from None

    def saving(self, revision: str) -> None:
        """A save is about to replace the file with `revision`: if it lands and the session dies before
        clear(), recovery sees the file already holds these changes."""
        if not self._started:
            return
        try:
            self._append(_frame(b"S", revision.encode("ascii")))
        except OSError:
            log.warning("could not journal a save about to happen")  # the save itself reports disk trouble

    def _write_whole(self, assessment: Assessment) -> None:
        whole = assessment_document(assessment)
        payload = {"source_path": str(self.source_path) if self.source_path else None, "document": whole}
        record = _frame(b"F", self._seal(_compact(payload)))
        atomic_write_bytes(self.path, self._header(assessment) + record)
        self._whole_bytes, self._since_whole = len(record), 0
        self._last_small = _compact({k: v for k, v in whole.items() if k not in LARGE_FIELDS})
        self._started = True

    def _append(self, frame: bytes) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND)
        try:
            os.write(fd, frame)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._since_whole += len(frame)

    def _seal(self, data: bytes) -> bytes:
        return self._key.seal(data) if self._key else data

    def _header(self, assessment: Assessment) -> bytes:
        plain = self._key is None  # a protected document's path and title are client data
        header = {"format": JOURNAL_FORMAT, "journal_version": JOURNAL_VERSION, "document_key": self.document_key,
                  "source_path": str(self.source_path) if self.source_path and plain else None,
                  "title": assessment.title if plain else None, "base_revision": self.base_revision,
                  "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "encrypted": not plain}
        return json.dumps(header).encode("utf-8") + b"\n"  # json.dumps escapes newlines: one line

    def clear(self) -> None:
        """The document was saved (or its changes discarded): nothing left to recover."""
        self.path.unlink(missing_ok=True)
        self._lock.release()
        self._started = False

    def rebase(self, source_path: Path | None, base_revision: str | None) -> None:
        """After a save: the next change starts a new journal over the file as just saved."""
        self.source_path = Path(source_path) if source_path else None
        self.base_revision = base_revision


# ---------------------------------------------------------------- reading journals
@dataclass(frozen=True)
class _Record:
    tag: bytes
    payload: bytes


def _records(data: bytes, start: int) -> list[_Record]:
    """Whole records from `start` on; stops at the first one torn or damaged (a kill mid-append)."""
    records, at = [], start
    while at < len(data):
        end = data.find(b"\n", at, at + 64)
        if end < 0:
            break
        try:
            tag, length, crc = data[at:end].split(b" ")
            size = int(length)
            payload = data[end + 1:end + 1 + size]
            if len(payload) != size or data[end + 1 + size:end + 2 + size] != b"\n" \
                    or zlib.crc32(payload) != int(crc, 16) or tag not in (b"F", b"D", b"S"):
                break
        except ValueError:
            break
        records.append(_Record(tag, payload))
        at = end + 2 + size
    return records


def _header_of(data: bytes) -> tuple[dict, int]:
    newline = data.find(b"\n", 0, MAX_HEADER_BYTES)
    if newline < 0:
        raise ValueError("no journal header")
    header = json.loads(data[:newline])
    if header["format"] != JOURNAL_FORMAT or header["journal_version"] != JOURNAL_VERSION:
        raise ValueError("not an autosave journal this version writes")
    if not isinstance(header["document_key"], str) or not isinstance(header["title"], (str, type(None))) \
            or not isinstance(header["base_revision"], (str, type(None))):
        raise TypeError("journal header fields have the wrong types")
    return header, newline + 1


@dataclass(frozen=True)
class _Replayed:
    document: dict
    source_path: Path | None
    saved_revisions_at_end: set[str]  # revisions of saves with no change journaled after them


def _replay(data: bytes, start: int, password: str | None, source: str) -> _Replayed:
    opener = OpeningKey(password) if password is not None else None

    def unseal(payload: bytes) -> dict:
        return json.loads(opener.open(payload, source) if opener else payload)

    document, path, saved = None, None, set()
    for record in _records(data, start):
        if record.tag == b"S":
            saved.add(record.payload.decode("ascii"))
            continue
        content = unseal(record.payload)
        if record.tag == b"F":
            document = content["document"]
            path = Path(content["source_path"]) if content["source_path"] else None
        elif document is not None:
            document = {**document, **content}
        saved = set()
    if document is None:
        raise ValueError("no whole record")
    return _Replayed(document, path, saved)


def pending_recoveries() -> list[RecoveryItem]:
    """Journals whose session is gone (crashed, killed, powered off), newest first. Journals of documents
    open in a running instance are skipped; ones the saved file already holds are discarded; unreadable
    ones are logged and left alone."""
    folder = autosave_dir()
    items = []
    for path in sorted(folder.glob("*" + JOURNAL_SUFFIX)) if folder.is_dir() else []:
        holder = read_lock(DocumentLock(path).lock_path)
        if holder is not None and not holder.is_stale():
            continue
        try:
            item = _recovery_item(path)
        except (OSError, ValueError, KeyError, TypeError, AssessmentFileError) as error:
            log.warning("ignoring unreadable autosave journal %s (%s)", path.name, type(error).__name__)
            continue
        if item is not None:
            items.append(item)
    return sorted(items, key=lambda item: item.journal_time, reverse=True)


def _recovery_item(path: Path) -> RecoveryItem | None:
    data = read_file_bytes(path)
    header, start = _header_of(data)
    source = Path(header["source_path"]) if header["source_path"] else None
    item = RecoveryItem(document_key=header["document_key"], source_path=source, title=header["title"],
                        journal_time=datetime.fromtimestamp(path.stat().st_mtime, timezone.utc),
                        last_saved_time=_last_saved(source), encrypted=bool(header["encrypted"]), journal_path=path)
    if item.encrypted:
        return item  # its path is sealed: compared with the saved file once the password opens it
    try:
        replayed = _replay(data, start, None, path.name)
    except (ValueError, KeyError, TypeError):
        return item  # offered, and opening it says it is damaged: never dropped in silence
    state = _compare(header["base_revision"], replayed)
    if state == "stale":
        log.info("discarding autosave journal %s: the saved file holds its changes", path.name)
        discard_recovery(item)
        return None
    return replace(item, conflict=state == "conflict")


def _compare(base_revision: str | None, replayed: _Replayed) -> str:
    """'stale' (the file holds every change), 'conflict' (the file is not the one the changes were made
    to) or 'newer' (the journal is ahead of the file: offer it)."""
    if replayed.source_path is None:
        return "newer"
    current = file_revision(replayed.source_path)
    if current is not None and current in replayed.saved_revisions_at_end:
        return "stale"
    if current is None or current == base_revision:
        return "newer"
    return "conflict"


def _last_saved(source: Path | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(source.stat().st_mtime, timezone.utc) if source else None
    except OSError:
        return None


def open_recovery(item: RecoveryItem, password: str | None = None) -> Recovery:
    """The unsaved document a journal holds and how it stands against its saved file; one
    AssessmentFileError when it cannot be read (PasswordRequiredError when encrypted, no password)."""
    name = item.source_path.name if item.source_path else "an unsaved document"
    source = f"the autosaved copy of {name}"
    data = read_file_bytes(item.journal_path)
    try:
        header, start = _header_of(data)
        if header["encrypted"] and password is None:
            raise PasswordRequiredError(f"{source} is encrypted: a password is needed to open it", path=source)
        replayed = _replay(data, start, password, source)
    except (ValueError, KeyError, TypeError):
        raise AssessmentFileError(f"{source} is damaged", path=str(item.journal_path)) from None
    assessment = parse_assessment_bytes(document_to_bytes(replayed.document), source=source)
    state = _compare(header["base_revision"], replayed)
    return Recovery(assessment, replayed.source_path, conflict=state == "conflict", stale=state == "stale",
                    base_revision=header["base_revision"])


def load_recovery(item: RecoveryItem, password: str | None = None) -> Assessment:
    return open_recovery(item, password).assessment


def discard_recovery(item: RecoveryItem) -> None:
    item.journal_path.unlink(missing_ok=True)
    DocumentLock(item.journal_path).lock_path.unlink(missing_ok=True)
