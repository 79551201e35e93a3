"""Results and assumptions tables copy as tab-separated text (Ctrl+C and the context menu) that pastes
into Excel's cells; File > Print puts the current view on paper, all of it."""

from __future__ import annotations

import pypdf
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QTableWidget

from app.ui.widgets.widgets import read_only_table
from tests.ui.test_results_plan import _open_results


def test_ctrl_c_copies_the_selected_rows_as_tsv(qtbot):
    table = read_only_table(["Option", "Cost per month"], [["API", "$12,970"], ["Hybrid", "$9,000\nper month"]],
                            numeric={1})
    qtbot.addWidget(table)
    table.show()
    table.selectRow(1)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "Option\tCost per month\nHybrid\t$9,000 per month\n"
    copy_table = next(a for a in table.actions() if a.text() == "Copy &Table")
    assert table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    copy_table.trigger()
    assert QGuiApplication.clipboard().text().splitlines() == ["Option\tCost per month", "API\t$12,970",
                                                               "Hybrid\t$9,000 per month"]


def _results(qtbot, window, example_paths):
    return _open_results(qtbot, window, example_paths, "midsize-general-api")[0]


def test_every_results_and_assumptions_table_copies(qtbot, real_window, example_paths):
    results = _results(qtbot, real_window, example_paths)
    tables = [t for i in range(results.tabs.count()) for t in results.tabs.widget(i).findChildren(QTableWidget)]
    real_window.workspace.show_view("assumptions")
    tables.append(real_window.workspace.views["assumptions"].table)
    assert len(tables) > 8
    for table in tables:
        next(a for a in table.actions() if a.text() == "Copy &Table").trigger()
        lines = QGuiApplication.clipboard().text().splitlines()
        assert len(lines) == table.rowCount() + 1, table.accessibleName()
        shown = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
        assert all(line.count("\t") == len(shown) - 1 for line in lines), table.accessibleName()


def test_print_puts_the_whole_current_view_on_paper(qtbot, real_window, example_paths, tmp_path, monkeypatch):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    out = tmp_path / "printed.pdf"

    def accept(dialog):
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    results = _results(qtbot, real_window, example_paths)
    results.tabs.setCurrentIndex(1)  # the costs: longer than a page
    qtbot.wait(50)
    assert real_window.print_current_view()
    pages = pypdf.PdfReader(str(out)).pages
    assert len(pages) >= 2
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    out.unlink()
    assert not real_window.print_current_view() and not out.exists()
