"""Catalog entries by name on screen, never by id: "Llama 3.3 70B" and "A100 80GB", not llama-3.3-70b and
a100-80gb, in every results tab, the review and the assumptions of examples that self-host and that carry
stale prices."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QTableWidget, QTreeWidget

from app.report.names import catalog_ids_in
from tests.ui.test_results_plan import _open_results


def _texts(root) -> list[str]:
    texts = [w.text() for w in root.findChildren(QLabel)] + [w.text() for w in root.findChildren(QAbstractButton)]
    for table in root.findChildren(QTableWidget):
        texts += [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
                  if table.item(r, c) is not None]
    for tree in root.findChildren(QTreeWidget):
        pending = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        while pending:
            item = pending.pop()
            texts += [item.text(c) for c in range(tree.columnCount())]
            pending += [item.child(i) for i in range(item.childCount())]
    return [re.sub(r"<[^>]+>", " ", t) for t in texts]  # words, not the links' targets


@pytest.mark.slow
@pytest.mark.parametrize("example", ["ai-native-200m-tokens", "hospital-phi-on-prem"])
def test_results_review_and_assumptions_name_catalog_entries(qtbot, real_window, example_paths, example):
    window = real_window
    _open_results(qtbot, window, example_paths, example)
    workspace = window.workspace
    workspace.show_view("review")
    workspace.show_view("assumptions")
    texts = _texts(window)
    assert any("GPU" in t for t in texts)  # the sizing and the pools are there to be read
    assert {t: catalog_ids_in(t) for t in texts if catalog_ids_in(t)} == {}
    assert [t for t in texts if "api_models." in t or "gpus." in t or "catalog entry" in t] == []
