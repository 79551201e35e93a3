"""Autosave journals: appended and fsync'd change by change, recovered after a crash, encrypted when the
document is, never offered for a document another running instance has open."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from app.domain.assessment import Answer
from app.domain.errors import AssessmentFileError, PasswordRequiredError
from app.storage import journal as journal_module
from app.storage.assessment_files import save_assessment, save_revision
from app.storage.journal import (AutosaveJournal, autosave_dir, discard_recovery, journal_path_for,
                                 load_recovery, open_recovery, pending_recoveries)
from app.storage.locks import DocumentLock


def _crash(journal: AutosaveJournal) -> None:
    """What a SIGKILL leaves: the journal, and a lock whose process is dead (tests/reliability kills for real)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    lock_path = DocumentLock(journal.path).lock_path
    raw = json.loads(lock_path.read_text())
    lock_path.write_text(json.dumps({**raw, "pid": process.pid}))


def test_a_journal_is_recovered_after_a_crash(example, advisor_home, tmp_path):
    source = tmp_path / "bank.llmassess"
    save_assessment(example, source)
    example.organisation_answers["current_api_spend"] = Answer(value=12345)
    journal = AutosaveJournal("window-1", source)
    journal.write(example)
    assert journal.path.parent == autosave_dir() and journal.path.is_relative_to(advisor_home)
    assert journal.path.stat().st_mode & 0o777 == 0o600
    _crash(journal)
    [item] = pending_recoveries()
    assert (item.document_key, item.source_path, item.title) == ("window-1", source, example.title)
    assert item.last_saved_time is not None and item.journal_time >= item.last_saved_time.replace(microsecond=0)
    assert not item.encrypted
    assert load_recovery(item).organisation_answers["current_api_spend"].value == 12345


def test_a_live_document_is_not_offered_for_recovery(example, advisor_home):
    AutosaveJournal("open-elsewhere", None).write(example)
    assert pending_recoveries() == []


def test_clear_after_save_leaves_nothing(example, advisor_home):
    journal = AutosaveJournal("w", None)
    journal.write(example)
    journal.clear()
    assert list(autosave_dir().iterdir()) == []
    assert pending_recoveries() == []


def test_identical_state_is_not_rewritten(example, advisor_home):
    journal = AutosaveJournal("w", None)
    journal.write(example)
    first = journal.path.stat().st_mtime_ns, journal.path.read_bytes()
    journal.write(example)
    assert (journal.path.stat().st_mtime_ns, journal.path.read_bytes()) == first
    journal.write(example.model_copy(update={"title": "changed"}))
    assert journal.path.read_bytes() != first[1]


def test_journal_of_an_encrypted_document_holds_no_client_data(example, advisor_home, tmp_path):
    journal = AutosaveJournal("secret", tmp_path / "bank.llmassess", password="pw")
    journal.write(example)
    data = journal.path.read_bytes()
    for secret in ("Harbour", "Dana Whitfield", example.title, "organisation_answers"):
        assert secret.encode() not in data
    _crash(journal)
    [item] = pending_recoveries()
    assert item.encrypted and item.title is None
    with pytest.raises(PasswordRequiredError):
        load_recovery(item)
    with pytest.raises(AssessmentFileError, match="wrong password"):
        load_recovery(item, password="nope")
    assert load_recovery(item, password="pw") == example


def test_discard_removes_the_journal_and_its_lock(example, advisor_home):
    journal = AutosaveJournal("w", None)
    journal.write(example)
    _crash(journal)
    [item] = pending_recoveries()
    assert item.source_path is None and item.last_saved_time is None
    discard_recovery(item)
    assert pending_recoveries() == [] and list(autosave_dir().iterdir()) == []


def test_a_recovered_document_takes_its_journal_over(example, advisor_home):
    journal = AutosaveJournal("w", None)
    journal.write(example)
    _crash(journal)
    [item] = pending_recoveries()
    AutosaveJournal(item.document_key, item.source_path).write(load_recovery(item))
    assert pending_recoveries() == []  # now live again, in this process


def test_damaged_journals_are_skipped_not_fatal(example, advisor_home):
    autosave_dir().mkdir(parents=True)
    (autosave_dir() / "a.journal").write_bytes(b"\xff\xfe garbage")
    (autosave_dir() / "b.journal").write_text('{"format": "llm-deployment-advisor/autosave-journal"}\n')
    (autosave_dir() / "c.journal").write_text("[]\n")
    assert pending_recoveries() == []


def test_a_damaged_journal_body_is_one_clear_error(example, advisor_home):
    journal = AutosaveJournal("w", None)
    journal.write(example)
    _crash(journal)
    journal.path.write_bytes(journal.path.read_bytes()[:-200])
    [item] = pending_recoveries()
    with pytest.raises(AssessmentFileError, match="autosaved copy of an unsaved document is damaged"):
        load_recovery(item)


def test_document_keys_never_choose_the_path(advisor_home):
    path = journal_path_for("../../../etc/passwd")
    assert path.parent == autosave_dir() and ".." not in path.name and os.sep not in path.name


def _changed(example, value):
    """The example with one answer changed, sharing its questionnaire (as edits in the window do)."""
    answers = {**example.organisation_answers, "current_api_spend": Answer(value=value)}
    return example.model_copy(update={"organisation_answers": answers})


def test_changes_are_appended_never_rewritten(example, advisor_home):
    journal = AutosaveJournal("w", None)
    journal.write(example)
    first = journal.path.read_bytes()
    journal.write(_changed(example, 1))
    journal.write(_changed(example, 2))
    data = journal.path.read_bytes()
    assert data.startswith(first) and data.count(b"\nD ") == 2  # appended records, the first bytes as they were
    assert (len(data) - len(first)) / 2 < len(first) / 4  # a change record leaves the questionnaire out
    _crash(journal)
    assert load_recovery(pending_recoveries()[0]).organisation_answers["current_api_spend"].value == 2


def test_a_record_torn_by_a_kill_is_ignored_the_ones_before_count(example, advisor_home):
    journal = AutosaveJournal("w", None)
    journal.write(_changed(example, 1))
    journal.write(_changed(example, 2))
    _crash(journal)
    data = journal.path.read_bytes()
    journal.path.write_bytes(data[:-30])  # the kill landed inside the last append
    assert load_recovery(pending_recoveries()[0]).organisation_answers["current_api_spend"].value == 1


def test_many_changes_compact_the_journal(example, advisor_home, monkeypatch):
    monkeypatch.setattr(journal_module, "COMPACT_AFTER_COPIES", 0)
    journal = AutosaveJournal("w", None)
    journal.write(_changed(example, 1))
    journal.write(_changed(example, 2))
    journal.write(_changed(example, 3))  # the records outgrew the document: one whole record again
    assert journal.path.read_bytes().count(b"\nF ") == 1
    _crash(journal)
    assert load_recovery(pending_recoveries()[0]).organisation_answers["current_api_spend"].value == 3


def test_a_journal_the_saved_file_already_holds_is_never_offered(example, advisor_home, tmp_path):
    """Killed between the save's rename and clearing the journal: the file is newer than (or as new as)
    the journal, which names the revision the save was about to write."""
    source = tmp_path / "client.llmassess"
    _, revision = save_revision(example, source)
    journal = AutosaveJournal("w", source, base_revision=revision)
    edited = _changed(example, 7)
    journal.write(edited)
    save_revision(edited, source, expected_revision=revision, before_write=journal.saving)
    _crash(journal)  # no clear(): the session died right after the rename
    assert pending_recoveries() == [] and not journal.path.exists()


def test_a_failed_save_leaves_the_journal_offered(example, advisor_home, tmp_path):
    source = tmp_path / "client.llmassess"
    _, revision = save_revision(example, source)
    journal = AutosaveJournal("w", source, base_revision=revision)
    journal.write(_changed(example, 7))
    journal.saving("sha256:the-save-that-never-landed")
    _crash(journal)
    [item] = pending_recoveries()
    assert not item.conflict and item.source_path == source


def test_changes_after_a_save_are_offered(example, advisor_home, tmp_path):
    source = tmp_path / "client.llmassess"
    _, revision = save_revision(example, source)
    journal = AutosaveJournal("w", source, base_revision=revision)
    journal.write(_changed(example, 7))
    save_revision(_changed(example, 7), source, before_write=journal.saving)
    journal.write(_changed(example, 8))  # a change journaled after that save's record
    _crash(journal)
    [item] = pending_recoveries()
    assert load_recovery(item).organisation_answers["current_api_spend"].value == 8


def test_a_file_saved_elsewhere_since_makes_the_recovery_a_copy(example, advisor_home, tmp_path):
    source = tmp_path / "client.llmassess"
    _, revision = save_revision(example, source)
    journal = AutosaveJournal("w", source, base_revision=revision)
    journal.write(_changed(example, 7))
    _crash(journal)
    save_revision(_changed(example, 99), source)  # another instance saved the file
    [item] = pending_recoveries()
    recovery = open_recovery(item)
    assert item.conflict and recovery.conflict and not recovery.stale
    assert recovery.assessment.organisation_answers["current_api_spend"].value == 7


def test_a_protected_journal_header_holds_no_path_and_compares_after_the_password(example, advisor_home, tmp_path):
    source = tmp_path / "Harbour Bank secrets.llmassess"
    _, revision = save_revision(example, source, password="pw")
    journal = AutosaveJournal("w", source, password="pw", base_revision=revision)
    journal.write(_changed(example, 7))
    assert b"Harbour" not in journal.path.read_bytes()
    save_revision(_changed(example, 7), source, password="pw", before_write=journal.saving)
    _crash(journal)
    [item] = pending_recoveries()  # its path is sealed: cannot be compared before the password
    assert item.source_path is None and item.title is None
    recovery = open_recovery(item, "pw")
    assert recovery.stale and recovery.source_path == source
