"""Overrides the app accepts, the engine survives: every assumption at the edges of its valid range
evaluates to finite figures and valid JSON; a file with an override outside it is refused at load
with one line, never a crash of the engine."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from app.domain.assessment import AssumptionOverride
from app.engine.evaluate import evaluate
from app.storage.assessment_files import assessment_to_bytes, load_assessment
from app.storage.catalogs import catalogs_for

pytestmark = pytest.mark.slow


def _edges(assumption) -> list[float]:
    valid = assumption.valid
    lowest = valid.minimum + (1 if valid.integer else 1e-9) if valid.minimum_exclusive else valid.minimum
    return [lowest, valid.maximum]


def test_every_assumption_at_its_valid_edges_gives_finite_results(example_paths, cases):
    example = load_assessment(next(p for p in example_paths if p.stem == "bank-low-latency"))
    catalogs = catalogs_for(example)
    for assumption in catalogs.pricing.assumptions.values():
        for value in _edges(assumption):
            assert assumption.valid.problem(value) is None
            overridden = example.model_copy(update={"assumption_overrides": {
                assumption.id: AssumptionOverride(value=value, reason="edge")}})
            result = evaluate(overridden, catalogs)
            json.dumps(result.model_dump(mode="json"), allow_nan=False)  # raises on NaN or Infinity
            cases["assumptions: override at a valid edge, finite results"] += 1


@pytest.mark.parametrize("assumption_id, value", [("min_production_replicas", 0.5), ("hardware_price_factor", -1),
                                                  ("days_per_month", 0), ("gpu_peak_utilisation_target", 0)])
def test_a_file_with_an_impossible_override_is_refused_in_one_line(example_paths, tmp_path, capsys, cases,
                                                                  assumption_id, value):
    raw = json.loads(assessment_to_bytes(load_assessment(example_paths[0])))
    raw["assumption_overrides"] = {assumption_id: {"value": value, "reason": "hostile"}}
    path = tmp_path / "override.llmassess"
    path.write_text(json.dumps(raw))
    for command in ("validate", "evaluate"):
        assert main([command, str(path), *(["--json"] if command == "evaluate" else [])]) == 2
        captured = capsys.readouterr()
        assert captured.out == "" and captured.err.count("\n") == 1
        assert captured.err.startswith(f"llm-advisor {command}: override.llmassess: the override of")
        assert f"assumption_overrides.{assumption_id}.value" in captured.err
    cases["assumptions: impossible override in a file"] += 1
