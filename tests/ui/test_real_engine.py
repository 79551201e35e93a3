"""The UI on the real engine and report: an example opened, an answer changed (the live panel
follows), results reached, an assumption overridden, a PDF exported, saved and reopened; plus
autosave and recovery."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QMessageBox

from tests.ui.crash import crash_after_journaling
from tests.ui.drive import type_value


def _open_example(window, example_paths, name="midsize-general-api"):
    assert window.open_path(next(p for p in example_paths if p.stem == name))
    return window.workspace


def test_whole_assessment_on_the_real_engine(qtbot, real_window, dialogs, example_paths):
    window = real_window
    workspace = _open_example(window, example_paths)
    panel = workspace.live_panel
    workspace.show_section("volume")
    page = workspace.wizard.current_page
    with qtbot.waitSignal(panel.updated, timeout=10000):
        workspace.evaluator.run_core()
    before = panel.cost_labels["api"][1].text()
    with qtbot.waitSignal(panel.updated, timeout=5000):
        type_value(page.editor_for("requests_per_day"), 200000)
    assert panel.cost_labels["api"][1].text() != before
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=20000):
        workspace.show_view("results")
    assert workspace.views["results"].recommendation.text().startswith("Recommendation:")
    assert dialogs.seen == []


def test_a_new_assessment_shows_no_costs_until_its_volume_and_data_are_answered(qtbot, real_window):
    """The engine prices an unanswered volume at its floor; the panel never shows those figures."""
    panel = real_window.workspace.live_panel
    with qtbot.waitSignal(panel.updated, timeout=10000):
        real_window.workspace.evaluator.run_core()
    assert panel.recommendation.text() == "No recommendation"
    assert {value.text() for _name, value in panel.cost_labels.values()} == {"—"}
    assert panel.volume.text() == "Volume: not answered yet"
    workspace = real_window.workspace
    workspace.show_section("volume")
    with qtbot.waitSignal(panel.updated, timeout=5000):
        type_value(workspace.wizard.current_page.editor_for("requests_per_day"), 20000)
    assert panel.volume.text() == "Volume: not answered yet"  # the use case's data classes are still missing
    workspace.show_section("data")
    with qtbot.waitSignal(panel.updated, timeout=5000):
        type_value(workspace.wizard.current_page.editor_for("data_classes"), ["public"])
    assert panel.cost_labels["api"][1].text().startswith("$")
    assert panel.volume.text().endswith("tokens/day") and "not answered" not in panel.volume.text()


def test_autosave_journal_is_live_while_the_window_is(real_window, example_paths):
    window = real_window
    from app.storage.journal import pending_recoveries
    workspace = _open_example(window, example_paths)
    workspace.show_section("engagement")
    type_value(workspace.wizard.current_page.editor_for("client_name"), "Autosaved Client")
    window.autosave.write_now()
    assert b"Autosaved Client" in window.autosave.journal.path.read_bytes()
    assert pending_recoveries() == []  # this instance is alive: its journal is not offered
    window.document.set_modified(False)  # as after a save
    assert not window.autosave.journal.path.exists()


def test_recovery_after_a_killed_session(real_window, dialogs, example_paths, tmp_path):
    window = real_window
    from app.storage.journal import pending_recoveries
    from app.ui.files.recovery import offer_recovery
    source = tmp_path / "client.llmassess"
    shutil.copyfile(next(p for p in example_paths if p.stem == "midsize-general-api"), source)
    crash_after_journaling(source, "killed-session", "Recovered Client")
    assert [i.document_key for i in pending_recoveries()] == ["killed-session"]
    dialogs.question_answer = QMessageBox.StandardButton.Yes
    offer_recovery(window)
    assert window.document.answer("client_name", None).value == "Recovered Client"
    assert window.document.path == source and window.isWindowModified()
    assert pending_recoveries() == []  # journaled again at once, now by this live session
    assert b"Recovered Client" in window.autosave.journal.path.read_bytes()


def test_export_pdf_in_background(qtbot, real_window, dialogs, tmp_path, example_paths):
    window = real_window
    _open_example(window, example_paths)
    dialogs.save_path = tmp_path / "report.pdf"
    window.export_pdf()
    export = window.pdf_export
    assert export is not None
    with qtbot.waitSignal(export.finished, timeout=60000) as finished:
        pass
    assert finished.args[1] == ""
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert any(s.startswith("box: The report was saved") for s in dialogs.seen)


def test_export_excel_word_and_csv_in_background(qtbot, real_window, dialogs, tmp_path, example_paths, monkeypatch):
    import docx
    import openpyxl
    from PySide6.QtWidgets import QFileDialog

    window = real_window
    _open_example(window, example_paths)
    assert [a.text() for a in window.export_menu.actions()] == ["&Excel model…", "&Word report…", "&PDF report…", "&CSV…"]
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    for fmt in ("xlsx", "docx", "csv"):
        dialogs.save_path = tmp_path / f"model.{fmt}"
        window.export_office(fmt)
        export = window.office_export
        with qtbot.waitSignal(export.finished, timeout=60000) as finished:
            assert window.isVisible()  # the window is not blocked while the worker writes
        assert finished.args[1] == ""
    assert "npv_api" in openpyxl.load_workbook(tmp_path / "model.xlsx").defined_names
    assert docx.Document(tmp_path / "model.docx").paragraphs
    assert len(list(tmp_path.glob("*-csv/cash_flow.csv"))) == 1
