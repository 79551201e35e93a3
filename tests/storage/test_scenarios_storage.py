"""Scenarios in the file: a round trip keeps them and their figures, a format-2 file opens with none, a file
another tool wrote without the field validates, bad scenario answers are refused like any answer, and a file
shared for review keeps no scenario names or reasons."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.errors import AssessmentFileError
from app.engine.evaluate import evaluate
from app.storage.assessment_files import assessment_from_raw, export_for_sharing, load_assessment, save_assessment
from app.storage.catalogs import catalogs_for

REPO_ROOT = Path(__file__).resolve().parents[2]
WITH_SCENARIOS = REPO_ROOT / "examples" / "midsize-general-api.llmassess"
FORMAT_2 = REPO_ROOT / "tests" / "fixtures" / "assessments" / "v2" / "hospital-phi-on-prem.llmassess"


def test_a_scenario_round_trip_gives_the_same_figures(tmp_path):
    original = load_assessment(WITH_SCENARIOS)
    before = evaluate(original, catalogs_for(original)).scenarios
    path = tmp_path / "saved.llmassess"
    save_assessment(original, path)
    reopened = load_assessment(path)
    after = evaluate(reopened, catalogs_for(reopened)).scenarios
    assert reopened.scenarios == original.scenarios
    assert [s.name for s in after] == ["Volume x3", "GPU prices -30%", "On-prem allowed"]
    assert after == before
    assert json.loads(path.read_text())["scenarios"][0]["id"] == "volume-x3"


def test_a_format_2_file_opens_with_no_scenarios():
    assessment = load_assessment(FORMAT_2)
    assert assessment.scenarios == []
    assert evaluate(assessment, catalogs_for(assessment)).scenarios == ()


def test_a_file_without_the_field_or_with_bare_scenarios_validates():
    raw = json.loads(WITH_SCENARIOS.read_text())
    raw.pop("scenarios")
    assert assessment_from_raw(raw).scenarios == []
    raw["scenarios"] = [{"name": "only a name"}]
    (scenario,) = assessment_from_raw(raw).scenarios
    assert scenario.is_empty and scenario.id


@pytest.mark.parametrize("change, field", [
    (lambda s: s["workload_answers"]["w1"].update({"requests_per_day": {"value": -5}}),
     "scenarios.0.workload_answers.0.requests_per_day"),
    (lambda s: s["organisation_answers"].update({"no_such_question": {"value": 1}}),
     "scenarios.0.organisation_answers.no_such_question"),
    (lambda s: s["assumption_overrides"].update({"days_per_month": {"value": 0}}),
     "scenarios.0.assumption_overrides.days_per_month.value"),
])
def test_a_bad_scenario_answer_or_override_is_refused_naming_it(change, field):
    raw = json.loads(WITH_SCENARIOS.read_text())
    raw["scenarios"][0].setdefault("organisation_answers", {})
    change(raw["scenarios"][0])
    with pytest.raises(AssessmentFileError) as refused:
        assessment_from_raw(raw)
    assert refused.value.field == field


def test_two_scenarios_with_one_id_are_refused():
    raw = json.loads(WITH_SCENARIOS.read_text())
    raw["scenarios"][1]["id"] = raw["scenarios"][0]["id"]
    with pytest.raises(AssessmentFileError, match="same id"):
        assessment_from_raw(raw)


def test_sharing_removes_scenario_names_and_reasons():
    original = load_assessment(WITH_SCENARIOS)
    shared = export_for_sharing(original)
    assert [s.name for s in shared.scenarios] == ["Scenario 1", "Scenario 2", "Scenario 3"]
    assert all(o.reason == "" for s in shared.scenarios for o in s.assumption_overrides.values())
    assert shared.scenarios[0].workload_answers == original.scenarios[0].workload_answers
