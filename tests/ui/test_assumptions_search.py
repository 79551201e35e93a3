"""Assumptions: a search that keeps only the matching rows, and each row's rationale on screen."""

from __future__ import annotations


def _page(qtbot, window):
    workspace = window.workspace
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=30000):
        workspace.show_view("assumptions")
    page = workspace.views["assumptions"]
    qtbot.waitUntil(lambda: page.table.rowCount() > 10, timeout=10000)
    return page


def _shown(page) -> list[str]:
    return [page.table.item(r, 0).text() for r in range(page.table.rowCount()) if not page.table.isRowHidden(r)]


def test_each_row_shows_why_its_default_is_what_it_is(qtbot, real_window):
    from app.ui.results.assumptions import COLUMNS, WHY_COLUMN
    page = _page(qtbot, real_window)
    assert COLUMNS[WHY_COLUMN] == "Why this value"
    catalog = real_window.workspace.evaluator.catalogs().pricing.assumptions
    for row, assumption in enumerate(page.assumptions):
        entry = catalog[assumption.id]
        assert page.table.item(row, WHY_COLUMN).text() == (entry.rationale or entry.description)
    assert sum(bool(page.table.item(r, WHY_COLUMN).text()) for r in range(page.table.rowCount())) > 10


def test_search_keeps_the_matching_rows(qtbot, real_window):
    from app.ui.results.assumptions import SEARCHED_COLUMNS
    page = _page(qtbot, real_window)
    everything = _shown(page)
    page.search.setText("engineer")
    shown = _shown(page)
    assert 0 < len(shown) < len(everything)
    assert all("engineer" in " ".join(page.table.item(r, c).text().lower() for c in SEARCHED_COLUMNS)
               for r in range(page.table.rowCount()) if not page.table.isRowHidden(r))
    page.search.setText("engineer GPU")  # every word must match
    assert set(_shown(page)) <= set(shown)
    page.search.setText("no such thing at all")
    assert _shown(page) == []
    page.search.clear()
    assert _shown(page) == everything
