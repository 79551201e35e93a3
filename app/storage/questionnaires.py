"""Questionnaire files: found through the resource locator, validated by pydantic, with errors that
name the file, the question id and what is wrong."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.domain.errors import QuestionnaireError
from app.domain.questionnaire import Questionnaire
from app.storage.resources import find_resource, private_folder, user_data_dir

DEFAULT_QUESTIONNAIRE = "llm-deployment.yaml"
# The parsed YAML of a questionnaire, kept as JSON: reading it skips PyYAML (its import and its parse are
# about 15 ms of the desktop's start). Only the parse is cached; pydantic validates every load.
CACHE_FOLDER = "cache"


def _describe(error: ValidationError, data: object) -> str:
    """Name the question (by id) where pydantic's location points into sections[i].questions[j]."""
    item = error.errors()[0]
    location = list(item["loc"])
    where = ".".join(str(p) for p in location)
    message = item["msg"].removeprefix("Value error, ")
    try:
        if location[:1] == ["sections"] and len(location) >= 4 and location[2] == "questions":
            question = data["sections"][location[1]]["questions"][location[3]]  # type: ignore[index]
            named = f"question '{question.get('id', '?')}'"
            if len(location) == 4 and message.startswith(named):
                return message  # the validator already named the question
            where = f"{named} field {'.'.join(str(p) for p in location[4:])}"
    except (KeyError, IndexError, TypeError, AttributeError):
        pass
    return f"{where}: {message}" if location else message


def _cache_path(path: Path) -> Path:
    return user_data_dir() / CACHE_FOLDER / f"questionnaire-{path.stem}.json"


def _cache_key(path: Path) -> list:
    """What says the cached parse is of this file as it is now: where it is, its size and its mtime."""
    status = path.stat()
    return [str(path.resolve()), status.st_size, status.st_mtime_ns]


def _read_cached(path: Path) -> Any:
    """The cached parse of `path`, or None when there is none for the file as it is now."""
    try:
        cached = json.loads(_cache_path(path).read_text(encoding="utf-8"))
        return cached["data"] if cached["key"] == _cache_key(path) else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(path: Path, data: Any, questionnaire: Questionnaire) -> None:
    """Best effort (a read-only home still starts). Kept only when the JSON validates to the same
    questionnaire (JSON turns a YAML date into text, a number as a key into a string); written to a
    temporary name, then renamed, so a reader sees a whole cache or none."""
    target = _cache_path(path)
    try:
        text = json.dumps({"key": _cache_key(path), "data": data})
        if Questionnaire.model_validate(json.loads(text)["data"]) != questionnaire:
            return
        private_folder(target.parent)
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except (OSError, TypeError, ValueError):  # ValidationError is a ValueError
        return  # no cache: the next start parses the YAML again, nothing else is lost


def _validate(path: Path, data: Any) -> Questionnaire:
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as error:
        raise QuestionnaireError(f"{path}: {_describe(error, data)}") from None
    except RecursionError:  # a visible_if condition nested thousands of brackets deep
        raise QuestionnaireError(f"{path}: nested too deeply") from None


def load_questionnaire(path: Path, cached: bool = False) -> Questionnaire:
    """`cached`: use the parse kept from an earlier load of the same file, if any (the default
    questionnaire, read at each start); the file stays the source of truth."""
    path = Path(path)
    data = _read_cached(path) if cached else None
    if data is not None:
        return _validate(path, data)
    from app.storage.yamlfiles import read_yaml  # PyYAML loads only when the cache cannot serve
    data = read_yaml(path, QuestionnaireError)
    questionnaire = _validate(path, data)
    if cached:
        _write_cache(path, data, questionnaire)
    return questionnaire


def load_default_questionnaire() -> Questionnaire:
    return load_questionnaire(find_resource("questionnaires", DEFAULT_QUESTIONNAIRE), cached=True)

