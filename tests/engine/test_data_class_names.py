"""Route reasons name data classes as a client reads them ("PHI, PII"), never by raw values ("phi, pii")."""

from __future__ import annotations

from app.domain.inputs import WorkloadInputs
from app.engine.decision import _sovereignty


def test_data_classes_are_named():
    w = WorkloadInputs(workload_id="w1", name="Triage", data_classes=["pii", "phi", "payment"], residency="premises")
    assert _sovereignty(w) == "payment card, PHI, PII must stay on the client's premises"
    w = w.model_copy(update={"residency": "none", "api_terms_acceptable": "no"})
    assert _sovereignty(w).startswith("payment card, PHI, PII data and no API")
