"""Every released format opens: one fixture per format version, migrated and compared with what the
current app must find (tests/fixtures/assessments/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.domain.assessment import FORMAT_VERSION
from app.domain.errors import AssessmentFileError
from app.storage import assessment_files
from app.storage.assessment_files import load_assessment
from app.storage.migrations import migrate

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "assessments"
FIXTURE_FILES = sorted(FIXTURES.glob("v*/*.llmassess"))


def test_there_is_a_fixture_for_every_format_version():
    versions = {int(path.parent.name.removeprefix("v")) for path in FIXTURE_FILES}
    assert versions == set(range(1, FORMAT_VERSION + 1))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_migrates_to_the_expected_answers(path):
    before = path.read_bytes()
    assessment = load_assessment(path)
    expected = json.loads(path.with_name(path.name.removesuffix(".llmassess") + ".expected.json").read_text())
    assert assessment.format_version == FORMAT_VERSION
    assert assessment.title == expected["title"]
    assert {k: v.model_dump(mode="json") for k, v in assessment.organisation_answers.items()} == \
        expected["organisation_answers"]
    assert {w.name: {k: v.model_dump(mode="json") for k, v in w.answers.items()} for w in assessment.workloads} == \
        expected["workloads"]
    assert {k: v.model_dump(mode="json") for k, v in assessment.assumption_overrides.items()} == \
        expected["assumption_overrides"]
    assert path.read_bytes() == before


def test_steps_run_in_order_on_copies():
    def one_to_two(raw):
        raw["answers"]["renamed"] = raw["answers"].pop("old")
        return raw

    def two_to_three(raw):
        raw["steps"] = raw.get("steps", 0) + 1
        return raw

    original = {"format_version": 1, "answers": {"old": 5}}
    result = migrate(original, steps={1: one_to_two, 2: two_to_three}, target=3)
    assert result == {"format_version": 3, "answers": {"renamed": 5}, "steps": 1}
    assert original == {"format_version": 1, "answers": {"old": 5}}  # the caller's data is untouched


def test_a_gap_in_the_chain_is_an_error():
    with pytest.raises(LookupError, match="no migration from file format 2"):
        migrate({"format_version": 1}, steps={1: lambda raw: raw}, target=3)


def test_a_failing_step_gives_one_clear_error_and_leaves_the_file(tmp_path, monkeypatch):
    def broken(raw):
        raise KeyError("sections")

    monkeypatch.setattr(assessment_files, "migrate", broken)
    path = tmp_path / "old.llmassess"
    path.write_bytes(FIXTURE_FILES[0].read_bytes())
    with pytest.raises(AssessmentFileError, match="could not be upgraded from its older format"):
        load_assessment(path)
    assert path.read_bytes() == FIXTURE_FILES[0].read_bytes()


def test_format_2_drops_overrides_of_the_retired_seed_figures_and_says_so():
    raw = json.loads((FIXTURES / "v1" / "hospital-phi-on-prem.llmassess").read_text())
    raw["assumption_overrides"] = {
        "seed_crossover_tokens_per_day": {"value": 8e7, "reason": "client's own estimate"},
        "gpu_price_factor": {"value": 0.9, "reason": "negotiated"}}
    assessment = assessment_files.assessment_from_raw(raw)
    assert set(assessment.assumption_overrides) == {"gpu_price_factor"}
    assert len(assessment.migration_notes) == 1 and "seed_crossover_tokens_per_day" in assessment.migration_notes[0]
    assert "migration_notes" not in json.loads(assessment_files.assessment_to_bytes(assessment))
    from app.engine.evaluate import evaluate_core
    from app.storage.catalogs import load_catalogs
    assert assessment.migration_notes[0] in evaluate_core(assessment, load_catalogs()).warnings
