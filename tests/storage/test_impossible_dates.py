"""An old file holding a date that does not exist opens with that answer flagged for review, its value
cleared and its text kept in the note: never refused, never printed on a report cover (docs/numbers.md)."""

from __future__ import annotations

import json

import pytest

from app.storage.assessment_files import load_assessment


def _with_date(example_paths, tmp_path, value: str, note: str = ""):
    raw = json.loads(next(p for p in example_paths if "bank" in p.name).read_text(encoding="utf-8"))
    raw["organisation_answers"]["assessment_date"].update(value=value, note=note, review=False)
    path = tmp_path / "old.llmassess"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return load_assessment(path).organisation_answers["assessment_date"]


@pytest.mark.parametrize("impossible", ["2025-02-30", "2025-13-45", "2023-02-29"])
def test_an_impossible_date_opens_flagged_for_review(example_paths, tmp_path, impossible):
    answer = _with_date(example_paths, tmp_path, impossible, note="from the kick-off call")
    assert answer.value is None and answer.review
    assert answer.note == f"from the kick-off call\nWas {impossible}, which is not a date."


def test_a_real_date_opens_unchanged(example_paths, tmp_path):
    answer = _with_date(example_paths, tmp_path, "2024-02-29")
    assert (answer.value, answer.review, answer.note) == ("2024-02-29", False, "")
