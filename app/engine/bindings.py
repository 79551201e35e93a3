"""Bindings: turn an assessment's answers into typed EngineInputs. A question declares the input it
feeds (`binding: workload.requests_per_day`); its option values are the input's literal values. Hidden
questions feed nothing; unanswered, Unknown and Not applicable leave the engine's documented default."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from app.domain.assessment import Assessment, Confidence, Workload
from app.domain.inputs import EngineInputs, InputProvenance, OrganisationInputs, WorkloadInputs
from app.engine.answers import QuestionSlot, iter_visible_slots, effective_value


def _target(binding: str) -> tuple[str, str]:
    scope, field = binding.split(".", 1)
    # Engagement metadata lives with the organisation inputs (client name, industry, region).
    return ("organisation" if scope == "engagement" else scope), field


def _confidence(slot: QuestionSlot) -> tuple[str, bool]:
    answer = slot.answer
    if answer is None or not answer.is_given:
        return Confidence.DEFAULT.value, True
    return (answer.confidence or Confidence.STATED).value, False


def _validated(model: type[BaseModel], values: dict[str, Any], fixed: dict[str, Any]) -> tuple[BaseModel, list[str]]:
    """Build the inputs model; a value the model refuses is dropped (its default stands) and named."""
    values = {k: v for k, v in values.items() if k in model.model_fields}
    dropped: list[str] = []
    while True:
        try:
            return model.model_validate({**values, **fixed}), dropped
        except ValidationError as error:
            bad = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
            if not bad & set(values):
                raise
            dropped.extend(sorted(bad & set(values)))
            values = {k: v for k, v in values.items() if k not in bad}


def build_inputs(assessment: Assessment) -> EngineInputs:
    organisation: dict[str, Any] = {}
    per_workload: dict[str, dict[str, Any]] = {w.id: {} for w in assessment.workloads}
    provenance: dict[str, InputProvenance] = {}
    for slot in iter_visible_slots(assessment):
        binding = slot.question.binding
        if not binding:
            continue
        value = effective_value(slot.question, slot.answer)
        if value is None:
            continue
        if slot.question.binding_factor != 1.0 and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = value * slot.question.binding_factor
        scope, field = _target(binding)
        if scope == "workload" and slot.workload is not None:
            per_workload[slot.workload.id][field] = value
            key = f"workload.{slot.workload.id}.{field}"
        elif scope == "organisation" and slot.workload is None:
            organisation[field] = value
            key = f"organisation.{field}"
        else:
            continue
        confidence, defaulted = _confidence(slot)
        provenance[key] = InputProvenance(question_id=slot.question.id, confidence=confidence, defaulted=defaulted)
    org_inputs, dropped = _validated(OrganisationInputs, organisation, {})
    for field in dropped:
        provenance.pop(f"organisation.{field}", None)
    workloads = [_workload_inputs(w, per_workload[w.id], provenance) for w in assessment.workloads]
    return EngineInputs(organisation=org_inputs, workloads=workloads, provenance=provenance)


def _workload_inputs(workload: Workload, values: dict[str, Any], provenance: dict[str, InputProvenance]) -> WorkloadInputs:
    inputs, dropped = _validated(WorkloadInputs, values, {"workload_id": workload.id, "name": workload.name})
    for field in dropped:
        provenance.pop(f"workload.{workload.id}.{field}", None)
    return inputs
