"""Logs and error messages hold no answers or client names: pydantic models carrying client data hide
input values in their errors, and the file loader's messages and logs never repeat what the file says."""

from __future__ import annotations

import inspect
import json
import logging

import pytest
from pydantic import BaseModel, ValidationError

from app.domain import assessment as assessment_module
from app.domain.assessment import Answer, Assessment, AssumptionOverride, Workload
from app.domain.errors import AssessmentFileError
from app.storage.assessment_files import assessment_to_bytes, load_assessment
from app.storage.journal import autosave_dir, pending_recoveries

CANARY = "CANARY-Harbour-Bank-7731"
# Models in app.domain.assessment that hold no client data and may show inputs in errors.
NO_CLIENT_DATA = {"DisplayPreferences"}


def test_every_assessment_model_hides_input_in_errors():
    models = [m for _, m in inspect.getmembers(assessment_module, inspect.isclass)
              if issubclass(m, BaseModel) and m.__module__ == assessment_module.__name__]
    assert {"Assessment", "Answer", "Workload", "AssumptionOverride"} <= {m.__name__ for m in models}
    for model in models:
        if model.__name__ not in NO_CLIENT_DATA:
            assert model.model_config.get("hide_input_in_errors"), f"{model.__name__} would log client data"


@pytest.mark.parametrize("model, data", [
    (Answer, {"value": {"client": CANARY}}),
    (Answer, {"value": CANARY, "status": CANARY}),
    (Answer, {"value": 1, "note": [CANARY]}),
    (Workload, {"name": CANARY * 20, "answers": {}}),
    (Workload, {"id": CANARY + "!", "name": "w"}),
    (AssumptionOverride, {"value": CANARY, "reason": CANARY}),
])
def test_validation_errors_do_not_repeat_the_input(model, data):
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    assert CANARY not in str(caught.value) and CANARY not in repr(caught.value)


def _file_with(example: Assessment, change) -> bytes:
    raw = json.loads(assessment_to_bytes(example))
    change(raw)
    return json.dumps(raw).encode()


def _set(path, value):
    def change(raw):
        node = raw
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


@pytest.mark.parametrize("change", [
    _set(("organisation_answers", "current_api_spend"), {"value": CANARY}),  # text where a number goes
    _set(("organisation_answers", "industry"), {"value": CANARY}),  # a choice that is not offered
    _set(("organisation_answers", "client_name"), {"value": CANARY * 40}),  # too long
    _set(("workloads", 0, "name"), CANARY * 20), _set(("workloads", 0, "answers", "requests_per_day"), {"value": -1}),
    _set(("workloads", 0, "answers", "requests_per_day"), {"value": 5, "note": {"x": CANARY}}),
    _set(("title",), [CANARY]),
    _set(("assumption_overrides",), {"gpu_price": {"value": CANARY, "reason": CANARY}}),
    _set(("organisation_answers", "current_api_spend"), {"value": 1, "confidence": CANARY}),
])
def test_load_errors_and_logs_never_repeat_client_data(example_paths, tmp_path, caplog, change):
    example = load_assessment(example_paths[0])
    example.workloads[0].name = CANARY  # a use-case name can carry the client's name
    path = tmp_path / "client.llmassess"
    path.write_bytes(_file_with(example, change))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AssessmentFileError) as caught:
        load_assessment(path)
    assert CANARY not in str(caught.value) and CANARY not in (caught.value.field or "")
    assert CANARY not in caplog.text


def test_damaged_journals_are_logged_without_their_content(advisor_home, caplog):
    autosave_dir().mkdir(parents=True)
    (autosave_dir() / "x.journal").write_text('{"format": "' + CANARY + '"}\n' + CANARY)
    caplog.set_level(logging.DEBUG)
    assert pending_recoveries() == []
    assert "x.journal" in caplog.text and CANARY not in caplog.text
