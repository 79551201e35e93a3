"""The Scenarios tab (the what-ifs beside the base, their chart, the editor, undo) and File > Compare With…
(the comparison, its waterfall and the quarterly review PDF), on the real engine."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QTableWidget

from app.ui.results.compare import CompareDialog
from app.ui.results.scenarios import ScenarioDialog, ScenariosPage
from app.ui.widgets.widgets import SvgChart

SCENARIOS_TAB = 5


def _results(qtbot, window, example_paths, name="midsize-general-api"):
    assert window.open_path(next(p for p in example_paths if p.stem == name))
    workspace = window.workspace
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=30000):
        workspace.show_view("results")
    return workspace.views["results"]


def _page(results) -> ScenariosPage:
    results.tabs.setCurrentIndex(SCENARIOS_TAB)
    return results.tabs.widget(SCENARIOS_TAB).findChild(ScenariosPage)


def _cells(table: QTableWidget, column: int) -> list[str]:
    return [table.item(row, column).text() for row in range(table.rowCount())]


def test_the_scenarios_tab_sets_each_scenario_beside_the_base(qtbot, real_window, example_paths):
    results = _results(qtbot, real_window, example_paths)
    assert results.tabs.tabText(SCENARIOS_TAB) == "Scenar&ios"
    page = _page(results)
    assert _cells(page.table, 0) == ["Base (as answered)", "Volume x3", "GPU prices -30%", "On-prem allowed"]
    evaluation = real_window.workspace.evaluator.full
    volume = evaluation.scenarios[0]
    assert page.table.item(1, 3).text() == f"${volume.options['api'].monthly_usd:,.0f}"
    assert page.findChild(SvgChart).accessibleName() == "Scenarios side by side"


def test_a_new_scenario_is_evaluated_and_undo_takes_it_back(qtbot, real_window, example_paths, monkeypatch):
    results = _results(qtbot, real_window, example_paths)
    document = real_window.document

    def fill(dialog: ScenarioDialog) -> QDialog.DialogCode:
        dialog.name.setText("Cheap GPUs <b>& co</b>")
        dialog.assumption.setCurrentIndex(dialog.assumption.findData("gpu_price_factor"))
        dialog.assumption_value.setText("-1")
        dialog.add_assumption()
        assert "gpu" not in dialog.scenario.assumption_overrides and dialog.problem.text()  # refused
        dialog.assumption_value.setText("0.5")
        dialog.add_assumption()
        dialog.where.setCurrentIndex(1)  # the first use case
        dialog.question.setCurrentIndex(dialog.question.findData("requests_per_day"))
        dialog.value.setText("40,000")
        dialog.add_answer()
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ScenarioDialog, "exec", fill)
    with qtbot.waitSignal(real_window.workspace.evaluator.full_ready, timeout=30000):
        _page(results).add()
    added = document.assessment.scenarios[-1]
    assert added.name == "Cheap GPUs <b>& co</b>"
    assert added.assumption_overrides["gpu_price_factor"].value == 0.5
    assert added.workload_answers["w1"]["requests_per_day"].value == 40000
    result = real_window.workspace.evaluator.full.scenarios[-1]
    assert result.name == added.name and result.options["api"].monthly_usd > 12_970  # twice the support traffic
    assert _cells(_page(results).table, 0)[-1] == "Cheap GPUs <b>& co</b>"  # shown as typed
    assert document.undo_stack.undoText() == "addition of scenario Cheap GPUs <b>& co</b>"
    document.undo_stack.undo()
    assert [s.name for s in document.assessment.scenarios] == ["Volume x3", "GPU prices -30%", "On-prem allowed"]


def test_deleting_the_selected_scenario(qtbot, real_window, example_paths):
    results = _results(qtbot, real_window, example_paths)
    page = _page(results)
    page.table.selectRow(2)
    page.delete()
    assert [s.name for s in real_window.document.assessment.scenarios] == ["Volume x3", "On-prem allowed"]


def test_compare_with_last_quarter_shows_the_waterfall_and_saves_the_review(qtbot, real_window, dialogs,
                                                                           example_paths, tmp_path):
    _results(qtbot, real_window, example_paths)
    dialogs.open_path = next(p for p in example_paths if p.stem == "brightline-2026q3")
    real_window.compare_with()
    dialog = real_window.comparison
    assert isinstance(dialog, CompareDialog) and dialog.isVisible()
    assert dialog.comparison.attribution_usd.volume > 0
    assert dialog.findChild(SvgChart).accessibleName() == "Where the monthly cost change comes from"
    tables = {t.accessibleName(): t for t in dialog.findChildren(QTableWidget)}
    assert _cells(tables["Where the change comes from"], 1) == ["$9,298", "+$2,680", "+$0", "-$305", "+$1,297",
                                                                 "$12,970"]
    assert "Requests per day" in _cells(tables["Changed answers"], 1)
    written = dialog.write_review(tmp_path / "review.pdf")
    reader = PdfReader(written)
    assert not reader.is_encrypted and "Quarterly review" in reader.pages[0].extract_text()
    dialog.close()


def test_the_review_of_a_protected_assessment_is_protected(qtbot, real_window, dialogs, example_paths, tmp_path):
    _results(qtbot, real_window, example_paths)
    real_window.document.set_password("this quarter")
    dialogs.open_path = next(p for p in example_paths if p.stem == "brightline-2026q3")
    real_window.compare_with()
    reader = PdfReader(real_window.comparison.write_review(tmp_path / "review.pdf"))
    assert reader.is_encrypted and reader.decrypt("this quarter")
    real_window.comparison.close()


def test_a_stale_full_run_drops_its_scenarios_work(example_paths):
    # A newer edit makes the run stale: it stops before re-planning the scenarios (they slowed typing down).
    from app.storage.assessment_files import load_assessment
    from app.storage.catalogs import catalogs_for
    from app.ui.results.evaluation import _FullRun

    assessment = load_assessment(next(p for p in example_paths if p.stem == "midsize-general-api"))
    catalogs, cache = catalogs_for(assessment), {}
    assert _FullRun(1, assessment, catalogs, cache, None, latest=lambda: 2)._evaluate() is None
    current = _FullRun(1, assessment, catalogs, cache, None, latest=lambda: 1)._evaluate()
    assert [s.name for s in current.scenarios] == ["Volume x3", "GPU prices -30%", "On-prem allowed"]
