"""`.llmassess` files: one self-contained, human-readable UTF-8 JSON document. Loading never changes
the file on disk and turns every problem into one AssessmentFileError; saving is atomic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app import __version__
from app.domain.assessment import FORMAT_VERSION, Assessment, utc_now
from app.domain.errors import AssessmentFileError
from app.domain.validation import answer_problem
from app.storage.atomic import atomic_write_bytes
from app.storage.migrations import migrate
from app.storage.yamlfiles import describe_validation_error

FILE_SUFFIX = ".llmassess"
FORMAT_MARKER = "llm-deployment-advisor/assessment"
# A real assessment with its embedded questionnaire and catalog snapshot is a few hundred KB.
MAX_FILE_BYTES = 50 * 1024 * 1024


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number this app accepts")


def parse_assessment_bytes(data: bytes, source: str = "file") -> Assessment:
    """Bytes of a .llmassess file -> Assessment, or one clear AssessmentFileError."""
    if len(data) > MAX_FILE_BYTES:
        raise AssessmentFileError(f"{source} is too large to be an assessment ({len(data) // 2**20} MB)", path=source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AssessmentFileError(f"{source} is not an assessment file (not UTF-8 text)", path=source) from None
    try:
        raw = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise AssessmentFileError(f"{source} is not an assessment file (nested too deeply)", path=source) from None
    except ValueError as error:
        raise AssessmentFileError(f"{source} is damaged or not an assessment file ({_json_problem(error)})",
                                  path=source) from None
    return assessment_from_raw(raw, source)


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
    except (RecursionError, TypeError, ValueError) as error:
        raise AssessmentFileError(f"{source} is damaged ({type(error).__name__})", path=source) from None
    check_answers(assessment, source)
    return assessment


def check_answers(assessment: Assessment, source: str = "file") -> None:
    """Every answer names a question of the embedded questionnaire and passes its range checks."""
    questions = assessment.questionnaire.questions_by_id
    scopes = [("organisation", assessment.organisation_answers)]
    scopes += [(f"workloads.{w.name}", w.answers) for w in assessment.workloads]
    for scope, answers in scopes:
        for question_id, answer in answers.items():
            question = questions.get(question_id)
            if question is None:
                raise AssessmentFileError(f"{source} answers a question that its questionnaire does not have",
                                          path=source, field=f"{scope}.{question_id}")
            problem = answer_problem(question, answer)
            if problem:
                raise AssessmentFileError(f"{source}: the answer to '{question.label}' {problem}",
                                          path=source, field=f"{scope}.{question_id}")


def read_file_bytes(path: Path) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AssessmentFileError(f"{path.name} is too large to be an assessment ({size // 2**20} MB)",
                                      path=str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise AssessmentFileError(f"{path} does not exist", path=str(path)) from None
    except IsADirectoryError:
        raise AssessmentFileError(f"{path} is a folder, not an assessment file", path=str(path)) from None
    except OSError as error:
        raise AssessmentFileError(f"{path} cannot be read ({error.strerror or error})", path=str(path)) from None


def load_assessment(path: Path) -> Assessment:
    path = Path(path)
    return parse_assessment_bytes(read_file_bytes(path), source=path.name)


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


def assessment_to_bytes(assessment: Assessment) -> bytes:
    raw = assessment.model_dump(mode="json")
    document = {"format": FORMAT_MARKER, "format_version": FORMAT_VERSION, "app_version": __version__,
                "engagement": engagement_summary(assessment)}
    document.update({k: v for k, v in raw.items() if k not in ("format_version", "app_version")})
    return (json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")


def save_assessment(assessment: Assessment, path: Path, *, touch: bool = True) -> Assessment:
    """Write atomically and return the assessment as saved (modified time and app version updated)."""
    if touch:
        assessment = assessment.model_copy(update={"modified_at": utc_now(), "app_version": __version__})
    try:
        atomic_write_bytes(Path(path), assessment_to_bytes(assessment))
    except OSError as error:
        raise AssessmentFileError(f"cannot save {Path(path).name} ({error.strerror or error})",
                                  path=str(path)) from None
    return assessment
