"""Every example assessment, through the real engine, into a report a client could receive."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from app.domain.evaluation import OPTION_LABELS, option_for_recommendation
from app.engine.evaluate import evaluate
from app.report.formatting import Money
from app.report.names import catalog_ids_in
from app.report.pdf import build_report
from app.storage.assessment_files import engagement_summary, load_assessment
from app.storage.catalogs import catalogs_for

from .conftest import REPO_ROOT

EXAMPLES = sorted((REPO_ROOT / "examples").glob("*.llmassess"))


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_report(path, brand, tmp_path, text_of):
    assessment = load_assessment(path)
    evaluation = evaluate(assessment, catalogs_for(assessment))
    out = build_report(assessment, evaluation, brand, tmp_path / f"{path.stem}.pdf", deterministic=True)
    data = out.read_bytes()
    assert 15 <= len(PdfReader(io.BytesIO(data)).pages) <= 32
    text = text_of(data)
    assert engagement_summary(assessment)["client_name"] in text
    recommended = OPTION_LABELS[option_for_recommendation(evaluation.recommendation)]
    assert f"We recommend {recommended}" in text
    money = Money.from_display(assessment.display)
    for option in evaluation.options.values():
        assert money.amount(option.monthly_usd) in text, option.option
        assert money.amount(option.horizon_usd) in text, option.option
    for assumption in evaluation.assumptions:
        assert assumption.label in text, assumption.id
    assert catalog_ids_in(text) == []  # models, GPUs and formats by name ("Llama 3.3 70B", "A100 80GB", "FP8")
    assert "catalog entry" not in text and "api_models." not in text and "gpus." not in text


@pytest.mark.slow
def test_a_report_without_a_feasible_deployment_says_so(brand, tmp_path, text_of):
    """The bank at a 5 ms first-token target no plan reaches: no recommendation, and the change to make."""
    from tests.engine.test_assumptions_live import _answer
    assessment = _answer(load_assessment(REPO_ROOT / "examples" / "bank-low-latency.llmassess"), "ttft_target", 5, 0)
    evaluation = evaluate(assessment, catalogs_for(assessment))
    assert evaluation.recommendation is None
    out = build_report(assessment, evaluation, brand, tmp_path / "bank.pdf", deterministic=True)
    assert "No recommendation yet for Harbour Bank plc. No feasible deployment" in " ".join(text_of(out.read_bytes()).split())


@pytest.mark.slow
def test_same_assessment_gives_byte_identical_reports(brand, tmp_path):
    """Deterministic mode end to end: load, evaluate and report twice, compare the bytes."""
    outputs = []
    for attempt in range(2):
        assessment = load_assessment(EXAMPLES[0])
        evaluation = evaluate(assessment, catalogs_for(assessment))
        out = build_report(assessment, evaluation, brand, tmp_path / f"{attempt}.pdf", deterministic=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
