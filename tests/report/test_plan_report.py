"""The report shows the deployment plan the engine computed: every pool of the recommended deployment, how
each horizon figure is built year by year (traffic, cost, discounted cost, NPV) and the bridge to the article
with the template's reasons. Built from an example on the real engine; read back through pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.domain.brand import BrandProfile
from app.domain.evaluation import OPTION_LABELS
from app.engine.evaluate import evaluate
from app.report.formatting import Money
from app.report.names import catalog_names
from app.report.pdf import build_report
from app.report.plan_rows import bridge_rows
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_catalogs

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ai-native-200m-tokens.llmassess"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    assessment = load_assessment(EXAMPLE)
    evaluation = evaluate(assessment, load_catalogs())
    out = build_report(assessment, evaluation, BrandProfile(), tmp_path_factory.mktemp("plan") / "r.pdf")
    return evaluation, out.read_bytes()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pools_are_in_the_report(built, text_of):
    evaluation, pdf = built
    text = _flat(text_of(pdf))
    assert "Serving pools" in text and evaluation.pools
    names = catalog_names(load_catalogs())
    for pool in evaluation.pools:
        assert f"{pool.replicas} x {pool.gpus_per_replica} {names[pool.gpu]}" in text  # a name, not a raw id
        assert names[pool.model] in text
        assert pool.instance in text


def test_every_use_case_has_its_targets_and_margin(built, text_of):
    evaluation, pdf = built
    text = _flat(text_of(pdf))
    assert "Use cases: route, targets and margin" in text
    for workload in evaluation.workloads:
        assert workload.name in text


def test_each_horizon_figure_is_built_year_by_year(built, text_of):
    evaluation, pdf = built
    text = _flat(text_of(pdf))
    money = Money()
    for option in evaluation.options.values():
        assert f"{OPTION_LABELS[option.option]}: {evaluation.horizon_months} months, year by year" in text
        for year in option.cash_flow_by_year:
            assert money.amount(year.usd) in text and money.amount(year.discounted_usd) in text
        assert money.amount(option.npv_usd) in text
    grown = [y.tokens_per_day for y in evaluation.options["api"].cash_flow_by_year]
    assert grown[0] == grown[1] == pytest.approx(evaluation.tokens_per_day)  # year 1 is today's traffic
    assert grown[2] > grown[1]  # the example grows: the table says by how much
    assert "(+" in text


def test_the_bridge_sets_the_article_beside_ours_with_reasons(built, text_of):
    evaluation, pdf = built
    text = _flat(text_of(pdf))
    assert "Bridge to the article" in text
    for row in bridge_rows(evaluation, Money()):
        assert row["label"] in text and row["ours"] in text
    assert "whole rentable instances" in text  # a reason from bridge_why.j2, not the bare code
    assert "rentable_instances" not in text
