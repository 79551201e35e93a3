"""The results show the deployment plan the engine computed: every option's serving pools, the cash flow
by year with its NPV, and the bridge to the article, row for row what the Evaluation holds."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget

from app.domain.evaluation import OPTION_LABELS
from app.report.names import catalog_names


def _open_results(qtbot, window, example_paths, name):
    assert window.open_path(next(p for p in example_paths if p.stem == name))
    workspace = window.workspace
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=30000):
        workspace.show_view("results")
    view = workspace.views["results"]
    qtbot.waitUntil(lambda: view.tabs.count() == 6, timeout=10000)
    return view, workspace.evaluator.full


def _table(page, name) -> QTableWidget:
    tables = [t for t in page.findChildren(QTableWidget) if t.accessibleName() == name]
    assert len(tables) == 1, name
    return tables[0]


def _column(table: QTableWidget, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_every_options_pools_are_listed(qtbot, real_window, example_paths):
    view, evaluation = _open_results(qtbot, real_window, example_paths, "midsize-general-api")
    sizing = view.tabs.widget(2)
    with_pools = {o: c for o, c in evaluation.options.items() if c.pools}
    assert {"self_host_cloud", "self_host_on_prem"} <= set(with_pools)
    names = {w.workload_id: w.name for w in evaluation.workloads}
    catalog = catalog_names(real_window.workspace.evaluator.catalogs())  # names, never raw ids
    for option_id, cost in with_pools.items():
        table = _table(sizing, f"Serving pools {option_id}")
        assert _column(table, 0) == [f"Pool {p.id.removeprefix('p')}" for p in cost.pools]
        assert _column(table, 1) == [catalog[p.model] for p in cost.pools]
        assert _column(table, 2) == [catalog[p.precision] for p in cost.pools]
        assert _column(table, 4) == [f"{p.replicas} x {p.gpus_per_replica} {catalog[p.gpu]}" for p in cost.pools]
        assert _column(table, 8) == [", ".join(names[w] for w in p.workloads) for p in cost.pools]
        for pool, where in zip(cost.pools, _column(table, 5)):
            assert where == ("owned" if pool.provider == "on_prem" else f"{catalog[pool.provider]} {pool.instance}")
            assert pool.provider not in where.split()  # "AWS p5.48xlarge", never "aws p5.48xlarge"


def test_cash_flow_years_npv_and_bridge_are_shown(qtbot, real_window, example_paths):
    view, evaluation = _open_results(qtbot, real_window, example_paths, "ai-native-200m-tokens")
    costs = view.tabs.widget(1)
    options = [o for o in evaluation.options.values() if o.cash_flow_by_year]
    built = _table(costs, "Cash flow by year")
    assert built.rowCount() == sum(len(o.cash_flow_by_year) + 1 for o in options)  # years, then total and NPV
    per_option = len(options[0].cash_flow_by_year) + 1
    assert _column(built, 1)[:per_option] == [
        "Up front", *(f"Year {y.year}" for y in options[0].cash_flow_by_year[1:]), "Total (NPV)"]
    assert _column(built, 0)[::per_option] == [OPTION_LABELS[o.option] for o in options]
    summary = _table(costs, "Money over time")
    npv_column = summary.columnCount() - 2
    shown = [int("".join(ch for ch in text if ch.isdigit())) for text in _column(summary, npv_column)]
    assert shown == [round(o.npv_usd) for o in options]
    bridge = _table(costs, "Bridge to the article")
    assert len(evaluation.article_bridge) >= 4
    assert _column(bridge, 0) == [r.label for r in evaluation.article_bridge]
    assert all(len(why) > 40 for why in _column(bridge, 3))  # the template's reason, not the bare code


def test_every_use_case_shows_its_route_targets_and_margin(qtbot, real_window, example_paths):
    """A nightly batch plan never stands in for the chat use case beside it: each use case has its row,
    with its own first-token target and the margin its sizing leaves."""
    from app.engine.bindings import build_inputs
    view, evaluation = _open_results(qtbot, real_window, example_paths, "midsize-general-api")
    table = _table(view.tabs.widget(2), "Use case targets")
    assert _column(table, 0) == [w.name for w in evaluation.workloads]
    assert _column(table, 1) == [OPTION_LABELS[w.route] for w in evaluation.workloads]
    targets = {w.workload_id: w.ttft_target_ms for w in build_inputs(real_window.document.assessment).workloads}
    for row, w in enumerate(evaluation.workloads):
        target, margin = targets[w.workload_id], table.item(row, 5).text()
        if target is None or w.sizing is None:
            assert margin == "—"
        else:
            assert ("to spare" in margin) == (w.sizing.ttft_ms <= target), (w.name, margin)
