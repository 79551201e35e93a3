"""Number fields read and show numbers in the display locale (docs/numbers.md): '1,5' is 1.5 in German
and refused in English, a saved number reopens with the locale's separators, and Preferences switch it."""

from __future__ import annotations

import pytest

from app.domain.numbers import parse_date

from tests.ui.drive import type_value


def _volume_editor(window, locale: str):
    window.document.set_display(window.document.assessment.display.model_copy(update={"locale": locale}))
    window.workspace.show_section("volume")
    return window.workspace.wizard.current_page.editor_for("requests_per_day")


def _stored(window, editor):
    answer = window.document.answer("requests_per_day", editor.workload_id)
    return answer.value if answer else None


@pytest.mark.parametrize("locale, typed, stored", [
    ("de_DE", "1,5k", 1500), ("de_DE", "20.000", 20000), ("en_US", "20,000", 20000), ("en_US", "4.5k", 4500),
])
def test_typed_numbers_are_read_in_the_display_locale(window, locale, typed, stored):
    editor = _volume_editor(window, locale)
    type_value(editor, typed)
    assert editor.problem is None
    assert _stored(window, editor) == stored


def test_a_comma_decimal_in_english_is_refused_inline_with_a_suggestion(window):
    editor = _volume_editor(window, "en_US")
    type_value(editor, "1,5k")
    assert "1,5k is not a number in English (did you mean 1.5k?)" in editor.error.text()
    assert _stored(window, editor) is None  # never stored as 15k


def test_the_ambiguous_german_number_is_refused(window):
    editor = _volume_editor(window, "de_DE")
    type_value(editor, "1,234")
    assert "could be 1.234 or 1234" in editor.error.text()
    assert _stored(window, editor) is None


def test_a_saved_number_is_shown_again_in_the_new_locale(window):
    editor = _volume_editor(window, "en_US")
    type_value(editor, "45,000")
    assert _stored(window, editor) == 45000
    _volume_editor(window, "de_DE")  # Preferences change the locale: the field is shown again
    assert editor.input.line.text() == "45.000"
    assert window.document.assessment.display.locale == "de_DE"
    assert window.document.assessment.model_dump(mode="json")["display"]["locale"] == "de_DE"


def _date_editor(window):
    window.workspace.show_section("engagement")
    return window.workspace.wizard.current_page.editor_for("assessment_date")


def test_dates_are_chosen_in_a_date_editor_and_saved_as_iso(window):
    from PySide6.QtCore import QDate
    from app.ui.wizard.inputs import DateInput
    editor = _date_editor(window)
    assert isinstance(editor.input, DateInput) and editor.input.date.calendarPopup()
    editor.input.date.setDate(QDate(2024, 2, 29))
    assert window.document.answer("assessment_date", None).value == "2024-02-29"
    editor.input.date.setDate(DateInput.NO_DATE)  # the dash: no date
    answer = window.document.answer("assessment_date", None)
    assert answer is None or answer.value is None


def test_an_impossible_date_cannot_be_typed(window):
    from PySide6.QtTest import QTest
    editor = _date_editor(window)
    editor.input.date.setFocus()
    editor.input.date.selectAll()
    QTest.keyClicks(editor.input.date, "2025-02-30")
    answer = window.document.answer("assessment_date", None)
    value = answer.value if answer else None
    assert value is None or parse_date(value) is not None  # whatever the editor kept, it is a real date
    assert value != "2025-02-30"


def test_preferences_choose_the_display_locale(window, monkeypatch):
    from app.ui.dialogs.preferences import PreferencesDialog
    monkeypatch.setattr("app.storage.brand.save_brand", lambda brand: None)
    dialog = PreferencesDialog(window.document, window)
    assert dialog.locale.currentData() == ""  # the system's, by default
    dialog.locale.setCurrentIndex(dialog.locale.findData("de_DE"))
    assert dialog.locale.currentText() == "German (Germany) - 1.234,5"
    dialog.accept()
    assert window.document.assessment.display.locale == "de_DE"


def test_the_date_editor_shows_the_locales_date_and_saves_iso(window):
    from PySide6.QtCore import QDate
    window.document.set_display(window.document.assessment.display.model_copy(update={"locale": "de_DE"}))
    editor = _date_editor(window)
    editor.input.date.setDate(QDate(2026, 12, 1))
    assert editor.input.date.displayFormat() == "dd.MM.yyyy"  # CLDR's medium German date
    assert editor.input.date.text() == "01.12.2026"
    assert window.document.answer("assessment_date", None).value == "2026-12-01"  # the file keeps ISO
    window.document.set_display(window.document.assessment.display.model_copy(update={"locale": "en_US"}))
    editor = _date_editor(window)
    assert editor.input.date.text() == "Dec 1, 2026"


def test_the_german_results_print_german_figures(real_window, example_paths):
    """The engine's sentences, the live panel and the results tabs: euros after the figure, 88,8M tokens."""
    import re

    from PySide6.QtWidgets import QLabel
    window = real_window
    assert window.open_path(next(p for p in example_paths if p.stem == "midsize-general-api"))
    window.document.set_display(window.document.assessment.display.model_copy(update={
        "locale": "de_DE", "currency": "EUR", "usd_to_currency_rate": 1.0}))
    workspace = window.workspace
    workspace.evaluator.run_core()
    workspace.show_view("results")
    view = workspace.views["results"]
    view.show_evaluation(_full(workspace))
    shown = " ".join(label.text() for label in view.findChildren(QLabel))
    shown += " " + " ".join(label.text() for label in workspace.live_panel.findChildren(QLabel))
    assert re.search(r"best choice in \d+\xa0% of the simulated cases, with a median 36-month NPV of \d{1,3}(\.\d{3})+\xa0€", shown)  # the cost reason
    assert re.search(r"\d+,\dM tokens/day", shown)
    assert not re.search(r"\$\d", shown), "no dollar figure on a euro results page"
    assert not re.search(r"\d\.\dM tokens", shown)


def _full(workspace):
    from app.engine.evaluate import evaluate
    return evaluate(workspace.document.assessment, workspace.evaluator.catalogs())


def test_an_empty_date_takes_the_locales_pattern_when_it_gets_the_focus(window, qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QFocusEvent
    from PySide6.QtWidgets import QApplication
    window.document.set_display(window.document.assessment.display.model_copy(update={"locale": "de_DE"}))
    date = _date_editor(window).input.date
    assert date.text() == "—"  # no date: the same in any pattern, so the pattern waits (babel's data)
    assert date.displayFormat() != "dd.MM.yyyy"
    QApplication.sendEvent(date, QFocusEvent(QEvent.Type.FocusIn))
    assert date.displayFormat() == "dd.MM.yyyy"  # before the first key is typed
