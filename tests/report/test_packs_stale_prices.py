"""The report says which catalog prices were stale on the assessment's date, from the Evaluation's fact."""

from __future__ import annotations

import pytest

from app.domain.errors import ReportError
from app.domain.evaluation import AssumptionValue
from app.report.pdf import build_report

from tests.report.conftest import make_evaluation


def _staleness(value: float) -> AssumptionValue:
    return AssumptionValue(id="price_staleness_days", label="Age at which a catalog price is stale", value=value,
                           default=120, unit="days", low=30, high=365, source="Issue 19", as_of="2026-12")


def test_stale_prices_are_named_in_the_costs_section(assessment, brand, tmp_path, text_of):
    ids = ("api_models.claude-sonnet-4", "gpus.h100-sxm.reserved_usd_per_gpu_hour",
           *(f"api_models.model-{i}" for i in range(10)))
    evaluation = make_evaluation(stale_price_ids=ids, stale_prices_on="2026-12-01",
                                 assumptions=(_staleness(120),))
    text = " ".join(text_of(build_report(assessment, evaluation, brand, tmp_path / "r.pdf").read_bytes()).split())
    assert "12 catalog prices were more than 120 days old on Dec 1, 2026" in text  # the locale's date
    assert "Anthropic Claude Sonnet 4, H100 SXM 80GB reserved price, model-0" in text  # by name
    assert "model-7" in text and "and 2 more" in text and "model-9" not in text and "api_models" not in text


def test_no_stale_prices_no_sentence(assessment, brand, tmp_path, text_of):
    evaluation = make_evaluation(stale_price_ids=(), assumptions=(_staleness(120),))
    text = text_of(build_report(assessment, evaluation, brand, tmp_path / "r.pdf").read_bytes())
    assert "Stale prices" not in text


def test_a_template_from_the_user_data_folder_is_sandboxed(advisor_home, assessment, evaluation, brand, tmp_path):
    folder = advisor_home / "data" / "templates" / "report"
    folder.mkdir(parents=True)
    # What an imported pack's template could try: reach Python internals through an attribute chain.
    (folder / "risks.j2").write_text("{{ facts.__class__.__init__.__globals__ }}\n", encoding="utf-8")
    with pytest.raises(ReportError, match="risks.j2.*unsafe"):
        build_report(assessment, evaluation, brand, tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()
