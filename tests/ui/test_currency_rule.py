"""Choosing another display currency asks for its rate and the rate's date: never a silent 1.0, and no
"$" or "USD" left in the results' captions once the figures are in another currency."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QLabel, QTableWidget

from app.ui.dialogs.preferences import PreferencesDialog


@pytest.fixture
def no_brand_save(monkeypatch):
    monkeypatch.setattr("app.storage.brand.save_brand", lambda brand: None)


def test_another_currency_needs_a_rate_and_its_date(window, no_brand_save):
    dialog = PreferencesDialog(window.document, window)
    assert not dialog.rate.isEnabled()  # USD: nothing to convert
    dialog.currency.setCurrentText("EUR")
    assert dialog.rate.isEnabled() and dialog.rate.value() == 0 and dialog.rate.text() == "enter the rate"
    dialog.accept()  # refused: no rate
    assert dialog.currency_problem.isVisibleTo(dialog) and "EUR" in dialog.currency_problem.text()
    assert window.document.assessment.display.currency == "USD"
    dialog.rate.setValue(0.92)
    dialog.accept()  # refused: no date
    assert "date" in dialog.currency_problem.text() and window.document.assessment.display.currency == "USD"
    dialog.rate_as_of.setText("2026-11-30")
    dialog.accept()
    display = window.document.assessment.display
    assert (display.currency, display.usd_to_currency_rate, display.rate_as_of) == ("EUR", 0.92, "2026-11-30")


def test_switching_currency_never_carries_the_old_rate(window, no_brand_save):
    window.document.set_display(window.document.assessment.display.model_copy(update={
        "currency": "EUR", "usd_to_currency_rate": 0.92, "rate_as_of": "2026-11-30"}))
    dialog = PreferencesDialog(window.document, window)
    assert dialog.rate.value() == 0.92
    dialog.currency.setCurrentText("GBP")
    assert dialog.rate.value() == 0 and dialog.rate_as_of.text() == ""
    dialog.currency.setCurrentText("USD")
    dialog.accept()
    assert window.document.assessment.display.usd_to_currency_rate == 1.0


def test_no_dollar_left_in_captions(qtbot, real_window, example_paths):
    window = real_window
    assert window.open_path(next(p for p in example_paths if p.stem == "midsize-general-api"))
    window.document.set_display(window.document.assessment.display.model_copy(update={
        "currency": "EUR", "usd_to_currency_rate": 0.92, "rate_as_of": "2026-11-30"}))
    workspace = window.workspace
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=30000):
        workspace.show_view("results")
    results = workspace.views["results"]
    qtbot.waitUntil(lambda: results.tabs.count() == 6, timeout=10000)
    captions = [label.text() for label in results.findChildren(QLabel) if label.objectName() != "resultsStatus"]
    for table in results.findChildren(QTableWidget):
        captions += [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        captions += [table.item(r, c).text() for r in range(table.rowCount()) for c in range(table.columnCount())
                     if table.item(r, c)]
    dollars = [c for c in captions if re.search(r"\$|\bUSD\b", c)]
    assert dollars == []
    assert any("€" in c for c in captions)
