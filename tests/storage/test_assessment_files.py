"""Assessment files: round trip, atomic save, backups, refusals, damaged files, export for sharing."""

from __future__ import annotations

import json
import os

import pytest

from app.domain.assessment import Answer, FORMAT_VERSION
from app.domain.errors import AssessmentFileError, FileConflictError, PasswordRequiredError
from app.storage import atomic
from app.storage.assessment_files import (MAX_FILE_BYTES, SHARED_TITLE, assessment_to_bytes, backup_path,
                                          export_for_sharing, file_revision, load_assessment, open_assessment,
                                          save_assessment, save_revision)


def test_every_example_round_trips(example_paths, tmp_path):
    for path in example_paths:
        original = load_assessment(path)
        saved = save_assessment(original, tmp_path / path.name)
        assert load_assessment(tmp_path / path.name) == saved
        assert saved.model_dump(exclude={"modified_at"}) == original.model_dump(exclude={"modified_at"})


def test_encrypted_file_round_trips_and_needs_its_password(example, tmp_path):
    path = tmp_path / "secret.llmassess"
    saved = save_assessment(example, path, password="correct horse")
    assert load_assessment(path, password="correct horse") == saved
    with pytest.raises(PasswordRequiredError, match="password is needed"):
        load_assessment(path)
    with pytest.raises(AssessmentFileError, match="wrong password"):
        load_assessment(path, password="battery staple")


def test_encrypted_file_holds_no_client_text(example, tmp_path):
    path = tmp_path / "secret.llmassess"
    save_assessment(example, path, password="pw")
    data = path.read_bytes()
    for secret in ("Harbour", "Dana Whitfield", example.title, '"organisation_answers"'):
        assert secret.encode() not in data


def test_a_failure_during_write_leaves_the_old_file_intact(example, tmp_path, monkeypatch):
    path = tmp_path / "a.llmassess"
    save_assessment(example, path)
    before = path.read_bytes()

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", crash)
    changed = example.model_copy(update={"title": "Changed"})
    with pytest.raises(AssessmentFileError, match="cannot save a.llmassess .No space left"):
        save_assessment(changed, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.llmassess"]  # no temp file left behind


def test_saving_keeps_the_previous_version_as_a_backup(example, tmp_path):
    path = tmp_path / "a.llmassess"
    save_assessment(example, path)
    assert not backup_path(path).exists()  # nothing to back up on the first save
    first = path.read_bytes()
    save_assessment(example.model_copy(update={"title": "Second"}), path)
    assert backup_path(path).name == "a.llmassess.bak"
    assert backup_path(path).read_bytes() == first
    assert load_assessment(path).title == "Second"


def test_backup_keeps_the_file_private(example, tmp_path):
    path = tmp_path / "a.llmassess"
    save_assessment(example, path)
    save_assessment(example, path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert backup_path(path).stat().st_mode & 0o777 == 0o600


def test_protecting_a_file_also_protects_its_backup(example, tmp_path):
    path = tmp_path / "a.llmassess"
    save_assessment(example, path)
    save_assessment(example, path, password="pw")
    backup = backup_path(path).read_bytes()
    assert b"Harbour" not in backup
    assert load_assessment(backup_path(path), password="pw").title == example.title


def test_backup_can_be_skipped_for_generated_files(example, tmp_path):
    path = tmp_path / "a.llmassess"
    save_assessment(example, path, keep_backup=False)
    save_assessment(example, path, keep_backup=False)
    assert not backup_path(path).exists()


def test_newer_format_is_refused_and_the_file_left_alone(example, tmp_path):
    raw = json.loads(assessment_to_bytes(example))
    raw["format_version"] = FORMAT_VERSION + 1
    path = tmp_path / "newer.llmassess"
    path.write_text(json.dumps(raw))
    before = path.read_bytes()
    with pytest.raises(AssessmentFileError, match="written by a newer version of the app"):
        load_assessment(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content, message", [
    (b"", "damaged or not an assessment file"),
    (b"{ not json", "damaged or not an assessment file"),
    (b'{"format": "something-else", "format_version": 1}', "not an LLM Deployment Advisor assessment"),
    (b"\xff\xfe{\x00}\x00", "not UTF-8"),
    (b"[1, 2, 3]", "not an LLM Deployment Advisor assessment"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"format": "llm-deployment-advisor/assessment", "format_version": true}', "no valid format version"),
])
def test_damaged_or_foreign_files_give_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.llmassess"
    path.write_bytes(content)
    with pytest.raises(AssessmentFileError, match=message):
        load_assessment(path)
    assert path.read_bytes() == content


def _with_answer(example, question_id, raw_value: str) -> bytes:
    """The example's JSON with one organisation answer's value replaced by raw JSON text (which json.dumps
    cannot write for NaN or huge numbers)."""
    raw = json.loads(assessment_to_bytes(example))
    raw["organisation_answers"][question_id] = {"value": "__VALUE__"}
    return json.dumps(raw).replace('"__VALUE__"', raw_value).encode()


@pytest.mark.parametrize("raw_value, message", [
    ("NaN", "NaN is not a number"),
    ("-Infinity", "-Infinity is not a number"),
    ("1e400", "too large"),
    ("1" * 40, "more than 30 digits"),
    ("-5", "must be at least"),
    ('"lots"', "must be a number"),
])
def test_bad_numbers_are_refused_at_load(example, tmp_path, raw_value, message):
    path = tmp_path / "n.llmassess"
    path.write_bytes(_with_answer(example, "current_api_spend", raw_value))
    with pytest.raises(AssessmentFileError, match=message):
        load_assessment(path)


def test_a_negative_volume_is_refused_naming_the_field(example, tmp_path):
    raw = json.loads(assessment_to_bytes(example))
    raw["workloads"][0]["answers"]["requests_per_day"] = {"value": -1000}
    path = tmp_path / "v.llmassess"
    path.write_text(json.dumps(raw))
    with pytest.raises(AssessmentFileError, match="must be at least") as caught:
        load_assessment(path)
    assert caught.value.field.endswith("requests_per_day")


def test_too_large_and_not_regular_files_are_refused_without_reading(tmp_path):
    huge = tmp_path / "huge.llmassess"
    with huge.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: instant, takes no disk
    with pytest.raises(AssessmentFileError, match="too large"):
        load_assessment(huge)
    with pytest.raises(AssessmentFileError, match="is a folder"):
        load_assessment(tmp_path)
    with pytest.raises(AssessmentFileError, match="does not exist"):
        load_assessment(tmp_path / "missing.llmassess")
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(AssessmentFileError, match="not a regular file"):
        load_assessment(tmp_path / "pipe")


def _everything_in(assessment) -> str:
    return assessment_to_bytes(assessment).decode()


def test_export_for_sharing_removes_identity_contacts_and_free_text(example):
    workload = example.workloads[0]
    workload.answers["workload_description"] = Answer(value="Screening for CANARY-DESCRIPTION")
    workload.answers["requests_per_day"] = workload.answers["requests_per_day"].model_copy(
        update={"note": "CANARY-NOTE from the CFO"})
    shared = export_for_sharing(example)
    text = _everything_in(shared)
    for secret in ("Harbour Bank", "Dana Whitfield", "HBP-2026-009", example.title, workload.name,
                   "CANARY-DESCRIPTION", "CANARY-NOTE", example.id):
        assert secret not in text
    assert shared.title == SHARED_TITLE
    identifying = {q.id for q in example.questionnaire.questions_by_id.values() if q.identifying}
    assert identifying and not identifying & set(shared.organisation_answers)
    # What a reviewer needs stays: volumes, data classes, industry.
    assert shared.workloads[0].answers["requests_per_day"].value == workload.answers["requests_per_day"].value
    assert shared.organisation_answers["industry"] == example.organisation_answers["industry"]


def test_exported_copy_is_a_valid_file(example, tmp_path):
    path = tmp_path / "shared.llmassess"
    save_assessment(export_for_sharing(example), path)
    assert load_assessment(path).title == SHARED_TITLE


def test_a_lone_surrogate_is_refused_at_load_naming_the_field(example, tmp_path):
    """It would open and then fail every save and autosave with UnicodeEncodeError."""
    path = tmp_path / "surrogate.llmassess"
    text = assessment_to_bytes(example).decode("utf-8")
    question = next(iter(example.organisation_answers))
    raw = json.loads(text)
    raw["organisation_answers"][question]["note"] = "PLACEHOLDER"
    path.write_text(json.dumps(raw).replace("PLACEHOLDER", "before \\ud800 after"))
    with pytest.raises(AssessmentFileError, match="not valid Unicode") as caught:
        load_assessment(path)
    assert caught.value.field == f"organisation_answers.{question}.note"


def test_a_surrogate_pair_is_an_ordinary_character_that_saves(example, tmp_path):
    path = tmp_path / "emoji.llmassess"
    raw = json.loads(assessment_to_bytes(example))
    raw["title"] = "PLACEHOLDER"
    path.write_text(json.dumps(raw).replace("PLACEHOLDER", "Launch \\ud83d\\ude80"))
    loaded = load_assessment(path)
    assert loaded.title == "Launch \U0001F680"
    save_assessment(loaded, path)
    assert load_assessment(path).title == "Launch \U0001F680"


def test_a_save_checks_the_revision_it_loaded(example, tmp_path):
    path = tmp_path / "client.llmassess"
    _, first = save_revision(example, path)
    assert open_assessment(path)[1] == first == file_revision(path)
    save_revision(example.model_copy(update={"title": "Saved elsewhere"}), path)
    before = path.read_bytes()
    with pytest.raises(FileConflictError, match="changed by another instance"):
        save_revision(example, path, expected_revision=first)
    assert path.read_bytes() == before
