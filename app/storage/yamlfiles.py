"""Safe YAML reading with errors that name the file and the field. Only yaml.safe_load, ever."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from app.domain.errors import AdvisorError

M = TypeVar("M", bound=BaseModel)
# libyaml's C parser is an order of magnitude faster than the pure-Python one (catalogs load at startup);
# both are the *safe* loader: plain data only, never Python objects.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DATA_FILE_BYTES = 20 * 1024 * 1024
# Values once aliases (*name) are expanded. The default questionnaire has about 1,900; a "billion laughs"
# file of a few hundred bytes has a billion, and validating it would hang the app.
MAX_EXPANDED_VALUES = 500_000


def describe_validation_error(error: ValidationError, limit: int = 3) -> str:
    """'sections.2.questions.0.kind: Input should be ...' for the first few problems."""
    parts = []
    for item in error.errors()[:limit]:
        location = ".".join(str(p) for p in item["loc"]) or "(top level)"
        parts.append(f"{location}: {item['msg']}")
    more = len(error.errors()) - limit
    if more > 0:
        parts.append(f"and {more} more problem(s)")
    return "; ".join(parts)


def _safe_load(text: str) -> Any:
    """yaml.safe_load with the fastest safe loader available."""
    loader = _SAFE_LOADER(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def read_yaml(path: Path, error_type: type[AdvisorError]) -> Any:
    try:
        if path.stat().st_size > MAX_DATA_FILE_BYTES:
            raise error_type(f"{path}: file is too large to be a data file")
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise error_type(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise error_type(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        data = _safe_load(text)
    except RecursionError:
        raise error_type(f"{path}: nested too deeply") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "invalid YAML"
        raise error_type(f"{path}:{where}: {problem}") from None
    if _expanded_size(data) > MAX_EXPANDED_VALUES:
        raise error_type(f"{path}: too many values once its aliases (*name) are expanded")
    return data


def _expanded_size(data: Any) -> int:
    """How many values validation would visit (a shared or self-referencing node counts each time it is
    reached); stops counting past the limit, so a bomb or a cycle costs little."""
    count, pending = 0, [data]
    while pending and count <= MAX_EXPANDED_VALUES:
        node = pending.pop()
        count += 1
        if isinstance(node, dict):
            pending.extend(node.keys())
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return count


def load_model(path: Path, model: type[M], error_type: type[AdvisorError]) -> M:
    """Read a YAML file and validate it into a pydantic model; one clear message on failure."""
    data = read_yaml(path, error_type)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise error_type(f"{path}: {describe_validation_error(error)}") from None
    except RecursionError:
        raise error_type(f"{path}: nested too deeply") from None
