"""Re-baselining: what changes when an assessment moves from the catalogs it was evaluated against (its
snapshot) to the app's current catalogs. The consultant sees this before accepting the move."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.catalogs import Catalogs
from app.domain.evaluation import OPTION_IDS, Evaluation

# Provenance fields: a new citation or date alone does not change a result; they are counted, not listed.
PROVENANCE_KEYS = frozenset({"source", "as_of", "confidence", "notes", "rationale", "description"})
MAX_LISTED_VALUE_CHANGES = 40


@dataclass(frozen=True)
class ResultChange:
    """One result that moves: `subject` is "recommendation" (old and new are recommendation ids, or None) or an
    option id (old and new are monthly USD, which each reader prints in its display currency)."""
    subject: str
    old: float | str | None
    new: float | str | None


@dataclass(frozen=True)
class RebaselineReport:
    versions: tuple[str, ...]  # "hardware 2026-11 -> 2026-12"
    value_changes: tuple[str, ...]  # "hardware.gpus.h100-sxm.on_demand_usd_per_gpu_hour.typical: 2.99 -> 2.49"
    more_value_changes: int  # beyond MAX_LISTED_VALUE_CHANGES
    provenance_changes: int
    result_changes: tuple["ResultChange", ...]  # the recommendation, and each option's monthly cost

    @property
    def unchanged(self) -> bool:
        return not (self.versions or self.value_changes or self.provenance_changes)


def leaves_of(data: Any, path: str = "") -> dict[str, Any]:
    """Nested mappings' leaves by dotted path (lists are leaves)."""
    if isinstance(data, dict):
        leaves: dict[str, Any] = {}
        for key, value in data.items():
            leaves.update(leaves_of(value, f"{path}.{key}" if path else str(key)))
        return leaves
    return {path: data}


def _is_provenance(path: str) -> bool:
    return bool(PROVENANCE_KEYS & set(path.split(".")))


def catalog_differences(old: Catalogs, new: Catalogs) -> tuple[list[str], int]:
    """Value changes (added and removed entries included) as readable lines, and how many provenance-only
    fields changed."""
    before, after = leaves_of(old.model_dump(mode="json")), leaves_of(new.model_dump(mode="json"))
    lines, provenance = [], 0
    for path in sorted(before.keys() | after.keys()):
        old_value, new_value = before.get(path, "(absent)"), after.get(path, "(absent)")
        if old_value == new_value or path.endswith(".version"):
            continue
        if _is_provenance(path):
            provenance += 1
        else:
            lines.append(f"{path}: {old_value} -> {new_value}")
    return lines, provenance


def result_differences(before: Evaluation, after: Evaluation) -> list[ResultChange]:
    changes = []
    if before.recommendation != after.recommendation:
        changes.append(ResultChange("recommendation", before.recommendation, after.recommendation))
    for option in OPTION_IDS:
        old, new = before.options.get(option), after.options.get(option)
        if old and new and round(old.monthly_usd) != round(new.monthly_usd):
            changes.append(ResultChange(option, old.monthly_usd, new.monthly_usd))
    return changes


def compare(old: Catalogs, new: Catalogs, before: Evaluation, after: Evaluation) -> RebaselineReport:
    versions = tuple(f"{name} {old.versions[name]} -> {new.versions[name]}"
                     for name in old.versions if old.versions[name] != new.versions.get(name))
    values, provenance = catalog_differences(old, new)
    return RebaselineReport(versions=versions, value_changes=tuple(values[:MAX_LISTED_VALUE_CHANGES]),
                            more_value_changes=max(0, len(values) - MAX_LISTED_VALUE_CHANGES),
                            provenance_changes=provenance, result_changes=tuple(result_differences(before, after)))
