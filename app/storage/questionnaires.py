"""Questionnaire files: found through the resource locator, validated by pydantic, with errors that
name the file, the question id and what is wrong."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from app.domain.errors import QuestionnaireError
from app.domain.questionnaire import Questionnaire
from app.storage.resources import find_resource
from app.storage.yamlfiles import read_yaml

DEFAULT_QUESTIONNAIRE = "llm-deployment.yaml"


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


def load_questionnaire(path: Path) -> Questionnaire:
    data = read_yaml(Path(path), QuestionnaireError)
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as error:
        raise QuestionnaireError(f"{path}: {_describe(error, data)}") from None
    except RecursionError:  # a visible_if condition nested thousands of brackets deep
        raise QuestionnaireError(f"{path}: nested too deeply") from None


def load_default_questionnaire() -> Questionnaire:
    return load_questionnaire(find_resource("questionnaires", DEFAULT_QUESTIONNAIRE))

