"""`.llmassess` files: one self-contained, human-readable UTF-8 JSON document (docs/file-format.md),
optionally sealed in a password envelope (app/storage/crypto.py). Loading never changes the file on disk
and turns every problem into one AssessmentFileError; saving is atomic and keeps the previous version as
`NAME.llmassess.bak`.

Public API: load_assessment(path, password=None), open_assessment (with its revision),
save_assessment(assessment, path, *, password=None), save_revision (checks and returns revisions),
parse_file_bytes(data, source, password), export_for_sharing(assessment), backup_path(path)."""

from __future__ import annotations

import hashlib
import json
import re
import stat
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app import __version__
from app.domain.assessment import FORMAT_VERSION, Answer, Assessment, AssumptionOverride, utc_now
from app.domain.errors import AssessmentFileError, FileConflictError
from app.domain.questionnaire import QuestionKind
from app.domain.validation import answer_problem, impossible_date_flagged
from app.storage.atomic import atomic_write_bytes
from app.storage.crypto import SealingKey, decrypt_bytes, is_encrypted
from app.storage.migrations import migrate
from app.storage.yamlfiles import describe_validation_error

FILE_SUFFIX = ".llmassess"
FORMAT_MARKER = "llm-deployment-advisor/assessment"
# A real assessment with its embedded questionnaire and catalog snapshot is a few hundred KB.
MAX_FILE_BYTES = 50 * 1024 * 1024
BACKUP_SUFFIX = ".bak"
# No answer, assumption or catalog value needs more digits; longer ones only serve to overflow later.
MAX_INTEGER_DIGITS = 30


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number this app accepts")


def _finite_float(text: str) -> float:
    # json turns 1e400 into infinity without calling parse_constant; refuse it here, or it would reach
    # the engine through the catalog snapshot, and the next save would silently write it as null.
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("a number is too large")  # the number itself stays out of messages and logs
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"a whole number has more than {MAX_INTEGER_DIGITS} digits")
    return int(text)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # JSON lets a key appear twice, the last one winning: `"format_version": 99, "format_version": 1` would
    # validate as version 1 while another reader sees 99. Refuse it.
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))
        raise ValueError(f"the key {duplicate[:60]!r} appears twice in one object")
    return result


def parse_assessment_bytes(data: bytes, source: str = "file") -> Assessment:
    """Bytes of a .llmassess file -> Assessment, or one clear AssessmentFileError."""
    if len(data) > MAX_FILE_BYTES:
        raise AssessmentFileError(f"{source} is too large to be an assessment ({len(data) // 2**20} MB)", path=source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AssessmentFileError(f"{source} is not an assessment file (not UTF-8 text)", path=source) from None
    try:
        raw = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float, parse_int=_bounded_int,
                         object_pairs_hook=_unique_keys)
    except RecursionError:
        raise AssessmentFileError(f"{source} is not an assessment file (nested too deeply)", path=source) from None
    except ValueError as error:
        raise AssessmentFileError(f"{source} is damaged or not an assessment file ({_json_problem(error)})",
                                  path=source) from None
    if _SURROGATE_ESCAPE.search(text):  # only an escape can make one: UTF-8 itself cannot encode them
        _refuse_lone_surrogates(raw, source)
    return assessment_from_raw(raw, source)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _refuse_lone_surrogates(raw: Any, source: str) -> None:
    """Text that is not valid Unicode (a lone surrogate, written as \\ud800) would open, and then fail
    every save and autosave: refuse it at load, naming the field."""
    stack: list[tuple[str, Any]] = [("", raw)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{where}.{key}" if where else str(key), item) for key, item in value.items())
            bad_key = next((key for key in value if not _valid_unicode(key)), None)
        elif isinstance(value, list):
            stack.extend((f"{where}.{index}" if where else str(index), item) for index, item in enumerate(value))
            bad_key = None
        else:
            bad_key = None
        if bad_key is not None or (isinstance(value, str) and not _valid_unicode(value)):
            raise AssessmentFileError(f"{source} holds text that is not valid Unicode (a lone surrogate), which "
                                      "could never be saved again; correct it in a text editor", path=source,
                                      field=where or None)


def _valid_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _json_problem(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"invalid JSON at line {error.lineno}, column {error.colno}"
    return str(error)


def _check_header(raw: Any, source: str) -> int:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_MARKER:
        raise AssessmentFileError(f"{source} is not an LLM Deployment Advisor assessment", path=source)
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise AssessmentFileError(f"{source} has no valid format version", path=source, field="format_version")
    if version > FORMAT_VERSION:
        raise AssessmentFileError(
            f"{source} was written by a newer version of the app (file format {version}; this version reads "
            f"up to {FORMAT_VERSION}). Update LLM Deployment Advisor to open it.", path=source)
    return version


def assessment_from_raw(raw: Any, source: str = "file") -> Assessment:
    _check_header(raw, source)
    try:
        raw = migrate(raw)
    except Exception as error:  # a broken old file must still give one message
        raise AssessmentFileError(f"{source} could not be upgraded from its older format ({error})",
                                  path=source) from None
    body = {k: v for k, v in raw.items() if k not in ("format", "engagement")}
    try:
        assessment = Assessment.model_validate(body)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        raise AssessmentFileError(f"{source} is damaged: {describe_validation_error(error)}",
                                  path=source, field=field) from None
    except RecursionError:  # pydantic and the condition parser recurse into what the file nests
        raise AssessmentFileError(f"{source} is damaged (its content is nested too deeply)", path=source) from None
    except (TypeError, ValueError) as error:
        raise AssessmentFileError(f"{source} is damaged ({type(error).__name__})", path=source) from None
    check_answers(assessment, source)
    check_overrides(assessment, source)
    return assessment


def check_overrides(assessment: Assessment, source: str = "file") -> None:
    """Every assumption override is a value the assumption can mean (app/domain/pricing.py ValidRange):
    a file saying `min_production_replicas: 0.5` or `days_per_month: 0` is refused here, not by a crash
    of the engine later. Overrides of assumptions the catalogs do not have are left to the engine."""
    if not assessment.assumption_overrides and not any(s.assumption_overrides for s in assessment.scenarios):
        return
    from app.storage.catalogs import catalogs_for  # only files with overrides pay for reading the catalogs
    assumptions = catalogs_for(assessment).pricing.assumptions
    scopes = [("assumption_overrides", assessment.assumption_overrides)]
    scopes += [(f"scenarios.{index}.assumption_overrides", s.assumption_overrides)
               for index, s in enumerate(assessment.scenarios)]
    for scope, overrides in scopes:
        for assumption_id, override in overrides.items():
            assumption = assumptions.get(assumption_id)
            problem = assumption.valid.problem(override.value) if assumption else None
            if problem:
                raise AssessmentFileError(f"{source}: the override of '{assumption.label}' {problem}", path=source,
                                          field=f"{scope}.{assumption_id}.value")


def check_answers(assessment: Assessment, source: str = "file") -> None:
    """Every answer names a question of the embedded questionnaire and passes its range checks; a date that
    does not exist is flagged for review instead (impossible_date_flagged)."""
    questions = assessment.questionnaire.questions_by_id
    scopes = [("organisation", assessment.organisation_answers)]
    # Workloads by position, not name: a name is user text and may carry the client's, and error
    # messages end up in logs and bug reports.
    scopes += [(f"workloads.{index}", w.answers) for index, w in enumerate(assessment.workloads)]
    for index, scenario in enumerate(assessment.scenarios):
        scopes.append((f"scenarios.{index}.organisation_answers", scenario.organisation_answers))
        scopes += [(f"scenarios.{index}.workload_answers.{position}", answers)
                   for position, answers in enumerate(scenario.workload_answers.values())]
    for scope, answers in scopes:
        for question_id, answer in answers.items():
            question = questions.get(question_id)
            if question is None:
                raise AssessmentFileError(f"{source} answers a question that its questionnaire does not have",
                                          path=source, field=f"{scope}.{question_id}")
            flagged = impossible_date_flagged(question, answer)
            if flagged is not None:
                answers[question_id] = answer = flagged  # opened for review, never refused
            problem = answer_problem(question, answer)
            if problem:
                raise AssessmentFileError(f"{source}: the answer to '{question.label}' {problem}",
                                          path=source, field=f"{scope}.{question_id}")


def parse_file_bytes(data: bytes, source: str = "file", password: str | None = None) -> Assessment:
    """Bytes of a plain or password-protected assessment -> Assessment (PasswordRequiredError when the
    bytes are encrypted and no password was given)."""
    if is_encrypted(data):
        data = decrypt_bytes(data, password, source)
    return parse_assessment_bytes(data, source)


def read_file_bytes(path: Path) -> bytes:
    """The file's bytes, refusing folders, devices, pipes and anything larger than an assessment can be
    (read with a bound, so a file that grows while we read cannot exhaust memory)."""
    path = Path(path)
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            raise AssessmentFileError(f"{path} is a folder, not an assessment file", path=str(path))
        if not stat.S_ISREG(status.st_mode):
            raise AssessmentFileError(f"{path} is not a regular file", path=str(path))
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise AssessmentFileError(f"{path} does not exist", path=str(path)) from None
    except OSError as error:
        raise AssessmentFileError(f"{path} cannot be read ({error.strerror or error})", path=str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        size = max(status.st_size, len(data))
        raise AssessmentFileError(f"{path.name} is too large to be an assessment ({size // 2**20} MB)",
                                  path=str(path))
    return data


def load_assessment(path: Path, password: str | None = None) -> Assessment:
    """Open a .llmassess file, plain or encrypted. Never writes; every problem is one AssessmentFileError
    (PasswordRequiredError for an encrypted file opened without a password)."""
    return open_assessment(path, password)[0]


def open_assessment(path: Path, password: str | None = None) -> tuple[Assessment, str]:
    """load_assessment, and the revision of the bytes it read (what a later save checks against)."""
    path = Path(path)
    data = read_file_bytes(path)
    return parse_file_bytes(data, source=path.name, password=password), revision_of(data)


def engagement_summary(assessment: Assessment) -> dict[str, Any]:
    """Engagement metadata, copied from the answers bound to `engagement.*` for a human reading the
    JSON. Informational only: the answers stay the one source of truth and this block is ignored on load."""
    summary: dict[str, Any] = {"title": assessment.title}
    for question in assessment.questionnaire.questions_by_id.values():
        if question.binding and question.binding.startswith("engagement."):
            answer = assessment.organisation_answers.get(question.id)
            if answer is not None and answer.is_given:
                summary[question.binding.split(".", 1)[1]] = answer.value
    return summary


def assessment_document(assessment: Assessment, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """The JSON object a .llmassess file holds (without the `exclude`d assessment fields: the journal
    leaves out the large, rarely changing questionnaire and catalog snapshot from its change records)."""
    raw = assessment.model_dump(mode="json", exclude=exclude)
    document = {"format": FORMAT_MARKER, "format_version": FORMAT_VERSION, "app_version": __version__,
                "engagement": engagement_summary(assessment)}
    document.update({k: v for k, v in raw.items() if k not in ("format_version", "app_version")})
    return document


def document_to_bytes(document: dict[str, Any]) -> bytes:
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: refused at load, so only a programming error gets here
        raise AssessmentFileError("the document holds text that is not valid Unicode and cannot be saved") from None


def assessment_to_bytes(assessment: Assessment) -> bytes:
    return document_to_bytes(assessment_document(assessment))


def revision_of(data: bytes) -> str:
    """A saved file's revision: the hash of its exact bytes (an encrypted file's differ at every save)."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def file_revision(path: Path) -> str | None:
    """The revision of the file at `path` now; None when there is no such file (or it cannot be read)."""
    try:
        return revision_of(read_file_bytes(path))
    except AssessmentFileError:
        return None


def backup_path(path: Path) -> Path:
    """Where save_assessment keeps the previous version of `path`: NAME.llmassess.bak next to it."""
    path = Path(path)
    return path.with_name(path.name + BACKUP_SUFFIX)


ANY_REVISION = "any"  # save_assessment(expected_revision=ANY_REVISION): overwrite whatever is there


def save_assessment(assessment: Assessment, path: Path, *, password: str | None = None,
                    touch: bool = True, keep_backup: bool = True) -> Assessment:
    """save_revision, for callers that need no revision check: the assessment as saved."""
    return save_revision(assessment, path, password=password, touch=touch, keep_backup=keep_backup)[0]


def save_revision(assessment: Assessment, path: Path, *, password: str | None = None,
                  touch: bool = True, keep_backup: bool = True, expected_revision: str | None = ANY_REVISION,
                  before_write: Callable[[str], None] | None = None) -> tuple[Assessment, str]:
    """Write atomically (encrypted when a password is given) after keeping the file's previous version
    as a backup (unless keep_backup is False: generated files such as the bundled examples). Returns the
    assessment as saved (modified time and app version updated) and the revision written.

    expected_revision: the revision the caller loaded (None: it expects no file there); when the file
    holds another, FileConflictError and nothing is written. before_write(revision) runs just before the
    file is replaced (the journal records the revision it is about to become)."""
    path = Path(path)
    if expected_revision != ANY_REVISION:
        current = file_revision(path)
        if current is not None and current != expected_revision:
            raise FileConflictError(f"{path.name} was changed by another instance or program since it was "
                                    "opened here", path=str(path))
    if touch:
        assessment = assessment.model_copy(update={"modified_at": utc_now(), "app_version": __version__})
    key = SealingKey(password) if password is not None else None
    data = assessment_to_bytes(assessment)
    data = key.seal(data) if key else data
    revision = revision_of(data)
    if before_write is not None:
        before_write(revision)
    try:
        if keep_backup:
            _keep_backup(path, key)
        atomic_write_bytes(path, data)
    except OSError as error:
        raise AssessmentFileError(f"cannot save {path.name} ({error.strerror or error})", path=str(path)) from None
    return assessment, revision


def _keep_backup(path: Path, key: SealingKey | None) -> None:
    """Copy the current file to its backup, atomically, before it is replaced. When the new save is
    password-protected, a plain previous version is sealed too: protecting a file must not leave its
    content readable in the backup."""
    try:
        previous = path.read_bytes()
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        return
    if key is not None and not is_encrypted(previous):
        previous = key.seal(previous)
    atomic_write_bytes(backup_path(path), previous, mode=mode)


SHARED_TITLE = "Shared assessment (identifying details removed)"
FREE_TEXT_KINDS = {QuestionKind.TEXT, QuestionKind.LONG_TEXT}


def export_for_sharing(assessment: Assessment) -> Assessment:
    """A copy for a peer review or a vendor quote: no client identity, contacts or free text. Removes
    answers to identifying questions and every text answer, clears notes and override reasons, and
    replaces the title, the workload names (free text too) and the id (which would link it back)."""
    questions = assessment.questionnaire.questions_by_id

    def shareable(answers: dict[str, Answer]) -> dict[str, Answer]:
        kept = {}
        for question_id, answer in answers.items():
            question = questions.get(question_id)
            if question is not None and not question.identifying and question.kind not in FREE_TEXT_KINDS:
                kept[question_id] = answer.model_copy(update={"note": ""})
        return kept

    workloads = [w.model_copy(update={"name": f"Workload {number}", "answers": shareable(w.answers)})
                 for number, w in enumerate(assessment.workloads, start=1)]
    def reasonless(overrides: dict[str, AssumptionOverride]) -> dict[str, AssumptionOverride]:
        return {k: o.model_copy(update={"reason": ""}) for k, o in overrides.items()}

    scenarios = [s.model_copy(update={
        "name": f"Scenario {number}", "organisation_answers": shareable(s.organisation_answers),
        "workload_answers": {w: shareable(a) for w, a in s.workload_answers.items()},
        "assumption_overrides": reasonless(s.assumption_overrides)})
        for number, s in enumerate(assessment.scenarios, start=1)]
    return assessment.model_copy(update={
        "id": uuid.uuid4().hex, "title": SHARED_TITLE, "workloads": workloads, "scenarios": scenarios,
        "assumption_overrides": reasonless(assessment.assumption_overrides),
        "organisation_answers": shareable(assessment.organisation_answers)})
