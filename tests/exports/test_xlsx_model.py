"""The Excel model against the engine: recalculated by LibreOffice, every monthly_/horizon_/npv_ name equals
the engine's figure to the dollar, for the four examples; every formula's cached value is what LibreOffice
computes, so a viewer that never recalculates shows the same; a uniform price factor changed in its cell gives
the engine's totals for the same override. The price sheet holds the catalog's prices as input cells."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from xlsxwriter.utility import xl_pixel_width

from app.domain.assessment import AssumptionOverride
from app.domain.evaluation import OPTION_IDS
from app.engine.evaluate import evaluate_core
from app.engine.scenario import build_context
from app.report.plan_years import yearly_items
from app.report.xlsx_model import build_xlsx
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import catalogs_for
from tests.exports.libreoffice import RECALC_NEVER, convert

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NAMES = ("midsize-general-api", "hospital-phi-on-prem", "bank-low-latency", "ai-native-200m-tokens")


def _export(assessment, path: Path):
    catalogs, cache = catalogs_for(assessment), {}
    ctx = build_context(assessment, catalogs, cache)
    evaluation = evaluate_core(assessment, catalogs, cache)
    path.write_bytes(build_xlsx(assessment, evaluation, yearly_items(ctx), catalogs))
    return evaluation


def _value(book, name: str) -> float:
    (sheet, ref), = book.defined_names[name].destinations
    return book[sheet][ref.replace("$", "")].value


def _assert_totals(book, evaluation) -> None:
    for option in OPTION_IDS:
        cost = evaluation.options[option]
        for key, figure in (("monthly", cost.monthly_usd), ("horizon", cost.horizon_usd), ("npv", cost.npv_usd)):
            assert _value(book, f"{key}_{option}") == pytest.approx(figure, abs=0.5), (key, option)


@pytest.mark.parametrize("name", NAMES)
def test_recalculated_workbook_equals_the_engine(name, tmp_path):
    assessment = load_assessment(EXAMPLES / f"{name}.llmassess")
    evaluation = _export(assessment, tmp_path / "model.xlsx")
    book = openpyxl.load_workbook(convert(tmp_path / "model.xlsx", "xlsx", tmp_path), data_only=True)
    _assert_totals(book, evaluation)
    for a in evaluation.assumptions:
        assert _value(book, f"assumption_{a.id}") == pytest.approx(a.value)
    assert {"Summary", "Inputs", "Assumptions", "Prices", "Pools", "Cash flow", "Break-even"} <= set(book.sheetnames)
    assert any("fixed as exported" in str(c.value) for row in book["Summary"].iter_rows() for c in row)
    _assert_cached_values_are_the_recalculated_ones(openpyxl.load_workbook(tmp_path / "model.xlsx", data_only=True),
                                                    book)


def _numbers(book):
    return {(sheet.title, cell.coordinate): cell.value for sheet in book for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)}


def _assert_cached_values_are_the_recalculated_ones(cached, recalculated) -> None:
    ours, theirs = _numbers(cached), _numbers(recalculated)
    assert len(ours) > 100 and ours.keys() == theirs.keys()
    wrong = {k: (v, theirs[k]) for k, v in ours.items() if v != pytest.approx(theirs[k], rel=1e-9, abs=1e-6)}
    assert not wrong


def test_a_viewer_that_never_recalculates_shows_the_engines_figures(tmp_path):
    """XlsxWriter caches 0 for a formula unless told its value: LibreOffice's default for Excel files (never
    recalculate) showed 0 in every total."""
    assessment = load_assessment(EXAMPLES / "hospital-phi-on-prem.llmassess")
    evaluation = _export(assessment, tmp_path / "model.xlsx")
    shown = openpyxl.load_workbook(convert(tmp_path / "model.xlsx", "xlsx", tmp_path, recalc=RECALC_NEVER),
                                   data_only=True)
    _assert_totals(shown, evaluation)
    assert all(v == pytest.approx(evaluation.options[o].monthly_usd, abs=0.5)
               for o, v in zip(OPTION_IDS, (shown["Summary"].cell(5 + k, 3).value for k in range(4))))


def test_the_price_sheet_holds_the_catalog_prices_as_inputs(tmp_path):
    assessment = load_assessment(EXAMPLES / "hospital-phi-on-prem.llmassess")
    catalogs = catalogs_for(assessment)
    _export(assessment, tmp_path / "model.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "model.xlsx")["Prices"]
    rows = {(r[0].value, r[1].value): r for r in sheet.iter_rows()}
    model = catalogs.pricing.api_models["claude-sonnet-4"]
    row = rows[(model.provider, "claude-sonnet-4")]
    assert (row[3].value, row[4].value) == (model.usd_per_million_input_tokens, model.usd_per_million_output_tokens)
    assert row[7].value == model.source.as_of and row[3].fill.fgColor.rgb.endswith("FFF2CC")  # an input cell
    instance = next(iter(catalogs.instances.instances.values()))
    assert rows[(instance.provider, instance.name)][3].value == instance.on_demand_usd_per_hour
    gpu = catalogs.hardware.gpus["a100-80gb"]
    assert rows[("GPU", "a100-80gb")][4].value == gpu.purchase_usd.usd
    assert any(r[1].value == "power_usd_per_kwh" and str(r[3].value).startswith("='Assumptions'!")
               for r in rows.values())
    # An assumption whose source says "see rationale" has its rationale beside it.
    assumptions = {r[0].value: r for r in openpyxl.load_workbook(tmp_path / "model.xlsx")["Assumptions"].iter_rows()}
    assert assumptions["api_retry_overhead_share"][11].value == \
        catalogs.pricing.assumptions["api_retry_overhead_share"].rationale
    # The cloud plan's GPU line rests on its instance's price cell, so a new catalog price reprices it.
    line = next(r for r in rows.values() if r[1].value == "gpu_compute_p1" and r[0].value == "Self-hosted (cloud)")
    assert str(line[3].value).startswith("='Prices'!")


def test_columns_fit_their_longest_entry(tmp_path):
    """The Summary's Feasible column was clipped: each table column is at least as wide as its text."""
    assessment = load_assessment(EXAMPLES / "midsize-general-api.llmassess")
    _export(assessment, tmp_path / "model.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "model.xlsx")["Summary"]
    texts = [str(sheet.cell(r, 2).value) for r in range(5, 9)]
    longest = max(xl_pixel_width(t) for t in texts)  # pixels in Excel's default font
    assert max(map(len, texts)) > 20 and sheet.column_dimensions["B"].width * 7 >= longest


def _plan(evaluation):
    """Pools, replicas and routes: what a price factor must leave alone (the pools' costs change, of course)."""
    pools = {o: [(p.id, p.model, p.gpu, p.instance, p.replicas, p.gpus_per_replica, p.workloads)
                 for p in evaluation.options[o].pools] for o in OPTION_IDS}
    return pools, [(w.workload_id, w.route) for w in evaluation.workloads]


@pytest.mark.parametrize("name", ("midsize-general-api", "hospital-phi-on-prem"))
def test_a_changed_price_factor_cell_gives_the_engines_override(name, tmp_path):
    assessment = load_assessment(EXAMPLES / f"{name}.llmassess")
    before = _export(assessment, tmp_path / "model.xlsx")
    book = openpyxl.load_workbook(tmp_path / "model.xlsx")
    (sheet, ref), = book.defined_names["assumption_gpu_price_factor"].destinations
    book[sheet][ref.replace("$", "")] = 1.25
    book.save(tmp_path / "changed.xlsx")
    recalculated = openpyxl.load_workbook(convert(tmp_path / "changed.xlsx", "xlsx", tmp_path), data_only=True)
    overridden = assessment.model_copy(deep=True)
    overridden.assumption_overrides["gpu_price_factor"] = AssumptionOverride(value=1.25, reason="test")
    after = evaluate_core(overridden, catalogs_for(overridden))
    assert _plan(after) == _plan(before) or pytest.fail("the override changed the plan; pick another factor")
    assert after.options["self_host_cloud"].monthly_usd > before.options["self_host_cloud"].monthly_usd
    _assert_totals(recalculated, after)


def test_the_scenarios_sheet_holds_each_scenarios_engine_figures(tmp_path, advisor_home):
    from app.report.exports import export
    from app.storage.brand import load_brand
    from app.engine.evaluate import evaluate

    assessment = load_assessment(EXAMPLES / "midsize-general-api.llmassess")
    assessment.scenarios[0].name = "=HYPERLINK(\"http://x\")"  # user text stays text
    export(assessment, catalogs_for(assessment), "xlsx", tmp_path / "model.xlsx", load_brand(None))
    sheet = openpyxl.load_workbook(tmp_path / "model.xlsx")["Scenarios"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    expected = evaluate(assessment, catalogs_for(assessment)).scenarios
    assert "Engine outputs of each scenario" in sheet["A1"].value
    assert [r[0] for r in rows] == ["Base (as answered)", *(s.name for s in expected)]
    assert sheet["A5"].data_type == "s"
    for row, scenario in zip(rows[1:], expected):
        assert row[4:8] == pytest.approx([scenario.options[o].monthly_usd for o in OPTION_IDS])
        assert row[8:12] == pytest.approx([scenario.options[o].npv_usd for o in OPTION_IDS])
    assert rows[1][1] == "answers: w1.requests_per_day, w2.requests_per_day, w3.requests_per_day"
    assert rows[2][1] == "assumptions: gpu_price_factor = 0.7, hardware_price_factor = 0.7"


def test_without_scenarios_there_is_no_scenarios_sheet(tmp_path):
    assessment = load_assessment(EXAMPLES / "bank-low-latency.llmassess")
    _export(assessment, tmp_path / "model.xlsx")
    assert "Scenarios" not in openpyxl.load_workbook(tmp_path / "model.xlsx").sheetnames
