"""Format migrations: a chain of small registered steps, each taking the raw JSON of format version N
to version N+1. Loading runs every step from the file's version up to FORMAT_VERSION.

Format history (docs/file-format.md):
  1 - first released format (0.1.0).
Add a step with `@migration(from_version=N)` and a fixture tests/fixtures/assessments/vN/ for the old
format; tests/storage/test_migrations.py opens every fixture."""

from __future__ import annotations

import copy
from typing import Any, Callable

from app.domain.assessment import FORMAT_VERSION

Raw = dict[str, Any]
Step = Callable[[Raw], Raw]
_STEPS: dict[int, Step] = {}


def migration(from_version: int) -> Callable[[Step], Step]:
    def register(step: Step) -> Step:
        if from_version in _STEPS:
            raise ValueError(f"two migrations from format {from_version}")
        _STEPS[from_version] = step
        return step

    return register


def migrate(raw: Raw, steps: dict[int, Step] | None = None, target: int = FORMAT_VERSION) -> Raw:
    """Bring raw file data from its format_version up to `target`. Raises LookupError for a gap. Each
    step gets its own deep copy, so a step that fails half-way leaves the caller's data untouched."""
    steps = _STEPS if steps is None else steps
    version = raw["format_version"]
    while version < target:
        step = steps.get(version)
        if step is None:
            raise LookupError(f"no migration from file format {version}")
        raw = step(copy.deepcopy(raw))
        version += 1
        raw["format_version"] = version
    return raw
