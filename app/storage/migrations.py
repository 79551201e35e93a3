"""Format migrations: a chain of small registered steps, each taking the raw JSON of format version N
to version N+1. Loading runs every step from the file's version up to FORMAT_VERSION.

Format history (docs/file-format.md):
  1 - first released format (0.1.0).
  2 - the seed article's reference figures are no longer assumptions (nothing computed with them): their
      overrides are dropped, and the consultant is told.
  3 - named what-if scenarios (`scenarios`, optional): a format-2 file has none.
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


# Assumptions retired in format 2: the seed article's quoted figures, now the "bridge to the article".
RETIRED_IN_2 = ("a100_instance_usd_per_month", "on_prem_gpu_capital_usd", "seed_crossover_tokens_per_day")


@migration(from_version=1)
def drop_retired_assumptions(raw: Raw) -> Raw:
    """Overrides of the retired figures changed no result; drop them (and their snapshot entries) and say so."""
    overrides = raw.get("assumption_overrides")
    dropped = sorted(k for k in RETIRED_IN_2 if isinstance(overrides, dict) and k in overrides)
    for key in dropped:
        overrides.pop(key)
    snapshot = raw.get("catalog_snapshot")
    pricing = snapshot.get("pricing") if isinstance(snapshot, dict) else None
    if isinstance(pricing, dict) and isinstance(pricing.get("assumptions"), dict):
        for key in RETIRED_IN_2:
            pricing["assumptions"].pop(key, None)
    if dropped:
        raw["migration_notes"] = [
            f"Opening this older file dropped the override of {', '.join(dropped)}: these are the article's "
            "reference figures, which no result was computed from; they now appear in the bridge to the article."]
    return raw


@migration(from_version=2)
def add_scenarios(raw: Raw) -> Raw:
    """Format 3 adds named scenarios; an older file has none (the field is optional, so this only makes the
    upgraded data say so)."""
    raw.setdefault("scenarios", [])
    return raw
