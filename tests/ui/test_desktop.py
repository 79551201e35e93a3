"""Desktop conventions and the result views: title and unsaved marker, asking before discarding,
Open/Save round trip, the live panel, results with links, assumptions overrides, --startup-check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.storage.assessment_files import load_assessment
from tests.ui.drive import type_value
from tests.ui.fakes import GPU_PRICE

REPO = Path(__file__).resolve().parents[2]


def test_title_shows_file_and_unsaved_marker(window, dialogs, tmp_path):
    assert window.windowTitle().startswith("Untitled[*]")
    assert not window.isWindowModified()
    window.workspace.show_section("engagement")
    type_value(window.workspace.wizard.current_page.editor_for("client_name"), "Northwind")
    assert window.isWindowModified()
    dialogs.save_path = tmp_path / "northwind.llmassess"
    assert window.save()
    assert window.windowTitle().startswith("northwind.llmassess[*]")
    assert not window.isWindowModified()


def test_close_with_unsaved_changes_asks(window, dialogs):
    window.workspace.show_section("engagement")
    type_value(window.workspace.wizard.current_page.editor_for("client_name"), "Northwind")
    dialogs.question_answer = QMessageBox.StandardButton.Cancel
    assert not window.close()
    assert dialogs.seen == ["question: Unsaved changes"]
    window.new()  # New asks too, and Cancel keeps the answers
    assert window.document.answer("client_name", None).value == "Northwind"


def test_open_save_round_trip_through_menus(window, dialogs, tmp_path, example_paths):
    source = example_paths[0]
    dialogs.open_path = source
    window.open_dialog()
    assert window.document.assessment.organisation_answers == load_assessment(source).organisation_answers
    dialogs.save_path = tmp_path / "copy.llmassess"
    assert window.save()  # an example opens untitled: Save asks where
    again = load_assessment(dialogs.save_path)
    original = load_assessment(source)
    assert again.organisation_answers == original.organisation_answers
    assert [w.answers for w in again.workloads] == [w.answers for w in original.workloads]
    assert not window.isWindowModified()


def test_damaged_file_gives_one_message(window, dialogs, tmp_path):
    bad = tmp_path / "bad.llmassess"
    bad.write_text("{ not json", encoding="utf-8")
    assert not window.open_path(bad)
    assert len(dialogs.seen) == 1 and dialogs.seen[0].startswith("warning: Cannot open the file")


def test_live_panel_follows_answers(window, qtbot):
    panel = window.workspace.live_panel
    window.workspace.show_section("volume")
    page = window.workspace.wizard.current_page
    with qtbot.waitSignal(panel.updated, timeout=2000):
        type_value(page.editor_for("requests_per_day"), 10000)
    assert panel.cost_labels["api"][1].text() == "$5,000"
    assert panel.recommendation.text() == "API"
    with qtbot.waitSignal(panel.updated, timeout=2000):
        type_value(page.editor_for("requests_per_day"), 100000)
    assert panel.cost_labels["api"][1].text() == "$50,000"
    assert panel.recommendation.text() == "Hybrid"
    assert panel.readiness_caption.text() == "Readiness: 55 / 100" and panel.readiness.value() == 55


def test_results_show_evaluation_and_reason_links_jump(window, qtbot):
    workspace = window.workspace
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=5000):
        workspace.show_view("results")
    results = workspace.views["results"]
    assert "API" in results.recommendation.text()
    assert results.tabs.count() == 6  # Summary, Costs, Sizing, Readiness, Sensitivity, Scenarios
    results._on_link("question:requests_per_day")
    assert workspace.current_view == "questions"
    assert workspace.wizard.sections[workspace.wizard.current_index].id == "volume"


def test_override_assumption_and_reset(window, qtbot, monkeypatch):
    workspace = window.workspace
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=5000):
        workspace.show_view("assumptions")
    page = workspace.views["assumptions"]
    page.select(GPU_PRICE.id)

    def accept(dialog):
        dialog.value.setValue(1.9)
        dialog.reason.setText("Negotiated reserved price")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr("app.ui.results.assumptions.OverrideDialog.exec", accept)
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=5000):
        page.edit_selected()
    override = window.document.assessment.assumption_overrides[GPU_PRICE.id]
    assert (override.value, override.reason) == (1.9, "Negotiated reserved price")
    assert page.table.item(0, 1).text().startswith("●") and page.table.item(0, 1).font().bold()
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=5000):
        page.reset_selected()
    assert GPU_PRICE.id not in window.document.assessment.assumption_overrides


def test_display_preferences_change_money(window, qtbot, monkeypatch):
    from app.ui.dialogs.preferences import PreferencesDialog
    monkeypatch.setattr("app.storage.brand.save_brand", lambda brand: None)
    dialog = PreferencesDialog(window.document, window)
    dialog.currency.setCurrentText("EUR")
    dialog.rate.setValue(0.5)
    dialog.rate_as_of.setText("2026-11-30")
    dialog.period.setCurrentIndex(dialog.period.findData("yearly"))
    dialog.name.setText("Harbour Advisory")
    assert "Harbour Advisory" in dialog.preview.text.text()
    dialog.accept()
    window.workspace.show_section("volume")
    with qtbot.waitSignal(window.workspace.live_panel.updated, timeout=2000):
        type_value(window.workspace.wizard.current_page.editor_for("requests_per_day"), 10000)
    assert window.workspace.live_panel.cost_labels["api"][1].text() == "€30,000"  # 5,000 × 0.5 × 12


def test_startup_check_prints_first_paint_then_ready_and_exits_0(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LLM_ADVISOR_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "app", "--startup-check"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.strip().splitlines()  # exactly two lines, in this order
    assert re.fullmatch(r"startup_ms=\d+", first) and re.fullmatch(r"ready_ms=\d+", second)
    startup_ms, ready_ms = int(first.split("=")[1]), int(second.split("=")[1])
    assert 0 < startup_ms <= ready_ms < 60_000  # the wizard comes after the start page's first paint
    peak = re.search(r"^peak_rss_kib_at_first_paint=(\d+)$", done.stderr, re.MULTILINE)
    assert peak and 10_000 < int(peak.group(1)) < 2_000_000  # KiB: a Qt process is tens of MB


def test_review_continues_to_results_by_keyboard(window, qtbot):
    window.activateWindow()
    qtbot.waitActive(window)
    window.workspace.show_view("review")
    review = window.workspace.views["review"]
    assert QApplication.focusWidget() is review.continue_button  # Enter goes on from the review
    QTest.keyClick(review.continue_button, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is review.tree  # the items to review, then the button
    QTest.keyClick(review.tree, Qt.Key.Key_Tab)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.workspace.current_view == "results"


def test_splitter_and_results_tab_are_remembered(qtbot, window, dialogs, fake_engine):
    from app.ui.main import build_window
    window.workspace.setSizes([320, 700, 360])
    sizes = window.workspace.sizes()
    with qtbot.waitSignal(window.workspace.evaluator.full_ready, timeout=5000):
        window.workspace.show_view("results")
    window.workspace.views["results"].tabs.setCurrentIndex(2)
    size = window.size()
    assert window.close()
    again = build_window(None)
    qtbot.addWidget(again)
    again.resize(size)  # the offscreen screen is smaller than the window: restoring its geometry shrinks it
    again.show()
    qtbot.waitExposed(again)
    assert again.workspace.sizes() == sizes
    with qtbot.waitSignal(again.workspace.evaluator.full_ready, timeout=5000):
        again.workspace.show_view("results")
    assert again.workspace.views["results"].tabs.currentIndex() == 2
    again.workspace.shutdown()


def test_first_paint_has_only_qt_loaded_and_ready_has_no_report_stack(tmp_path):
    """A child process, started the way `llm-advisor` starts (show_first_window), lists at the first paint
    what besides Qt it has imported, and at ready (the wizard on screen) which heavy parts."""
    probe = ("import os, sys\n"
             "from app.ui.main import make_application, show_first_window\n"
             "later = ('pydantic', 'yaml', 'jinja2', 'babel', 'app.ui.files.document', 'app.ui.workspace',\n"
             "         'app.ui.wizard.wizard', 'app.storage.questionnaires', 'app.domain.assessment')\n"
             "heavy = ('app.report', 'app.storage.crypto', 'cryptography', 'reportlab', 'app.ui.files.passwords')\n"
             "import app as advisor\n"
             "def painted():  # app/__init__.py's stand-in for pydantic's plugin loader is not pydantic\n"
             "    print(sorted(m for m in sys.modules if m.startswith(later) and m != advisor._PLUGIN_LOADER), flush=True)\n"
             "def ready():\n"
             "    print(sorted(m for m in sys.modules if m.startswith(heavy)), flush=True)\n"
             "    print('pydantic' in sys.modules, window.workspace is not None, flush=True)\n"
             "    os._exit(0)\n"
             "app = make_application()\n"
             "window = show_first_window(None)\n"
             "window.first_painted.connect(painted)  # what --startup-check has loaded when it reports\n"
             "window.ready.connect(ready)\n"
             "app.exec()\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LLM_ADVISOR_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines() == ["[]", "[]", "True True"]


def test_macos_file_open_event_opens_the_file(window, dialogs, tmp_path, example_paths):
    from PySide6.QtGui import QFileOpenEvent

    from app.ui.main import _FileOpenFilter

    target = tmp_path / "client.llmassess"
    target.write_bytes(example_paths[0].read_bytes())
    QApplication.instance().installEventFilter(_FileOpenFilter(window))
    QApplication.sendEvent(QApplication.instance(), QFileOpenEvent(str(target)))
    assert window.document.path == target
    assert window.document.assessment.organisation_answers == load_assessment(target).organisation_answers


def test_open_file_lock_is_kept_fresh(window, dialogs, tmp_path, example_paths, monkeypatch):
    from datetime import timedelta

    from app.storage import locks

    target = tmp_path / "client.llmassess"
    target.write_bytes(example_paths[0].read_bytes())
    assert window.open_path(target)
    assert window.lock is not None and window._lock_timer.isActive()
    taken = locks.read_lock(window.lock.lock_path).refreshed
    later = taken + 2 * locks.REFRESH_EVERY
    monkeypatch.setattr(locks, "_now", lambda: later)  # the timer fires a few minutes on
    window._refresh_lock()
    assert locks.read_lock(window.lock.lock_path).refreshed == later
    assert locks.read_lock(window.lock.lock_path).refreshed - taken >= timedelta(minutes=2)


def test_app_has_its_icon_and_desktop_name(window):
    app = QApplication.instance()
    assert not app.windowIcon().isNull()
    assert app.desktopFileName() == "llm-advisor"


def test_a_vanished_recent_file_leaves_the_list(window, dialogs, tmp_path, example_paths):
    from app.ui import settings

    target = tmp_path / "client.llmassess"
    target.write_bytes(example_paths[0].read_bytes())
    assert window.open_path(target)
    assert target.resolve() in settings.recent_files()
    target.unlink()
    assert not window.open_recent(target.resolve())
    assert target.resolve() not in settings.recent_files()
    assert any("no longer exists" in seen for seen in dialogs.seen)
    assert str(target.resolve()) not in [a.text() for a in window.recent_menu.actions()]


def test_update_to_current_catalogs_shows_changes_then_rebaselines(real_window, dialogs, qtbot, monkeypatch,
                                                                    example_paths):
    from app.storage.catalogs import load_catalogs, snapshot_of

    window = real_window
    assert window.open_path(next(p for p in example_paths if "midsize" in p.name), ask=False)
    window.workspace.evaluator.catalogs()  # the example gets its snapshot of today's catalogs
    assert not window.update_catalogs()  # nothing differs yet
    assert any("already rests" in seen for seen in dialogs.seen)
    stale = load_catalogs().model_dump(mode="json")
    stale["pricing"]["version"] = "2025-01-01"
    engineer = stale["pricing"]["assumptions"]["ml_engineer_usd_per_year"]
    engineer["default"] = engineer["high"]
    window.document.assessment.catalog_snapshot = stale
    window.document.set_display(window.document.assessment.display.model_copy(update={
        "locale": "de_DE", "currency": "EUR", "usd_to_currency_rate": 0.5, "rate_as_of": "2026-11-30"}))
    window.workspace.evaluator.reload_catalogs()
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append((box.text(), box.detailedText())) or
                        QMessageBox.StandardButton.Yes)
    assert window.update_catalogs()
    text, details = shown[0]
    assert "Self-hosted (cloud):" in text and "pricing 2025-01-01 ->" in details
    assert re.search(r"Self-hosted \(cloud\): \d{1,3}(\.\d{3})*\xa0€ → \d{1,3}(\.\d{3})*\xa0€ per month", text)
    assert "$" not in text  # the display currency, never dollars
    assert window.document.assessment.catalog_snapshot == snapshot_of(load_catalogs())
    assert window.isWindowModified()


def test_garbage_is_collected_on_the_gui_thread_only(window, qtbot):
    # A worker that triggered Python's cyclic GC could destroy a widget off the GUI thread (a segfault seen
    # in CI): automatic collection is off and the GUI thread collects on a timer instead.
    import gc

    from app.ui.widgets.gc_guard import MainThreadGarbageCollector

    assert not gc.isenabled()
    collector = QApplication.instance().findChild(MainThreadGarbageCollector)
    assert collector is not None and collector.timer.isActive()
    for _ in range(collector.thresholds[0] + 10):
        [].append([])  # container allocations raise generation 0's count
        cycle = []
        cycle.append(cycle)
    qtbot.waitUntil(lambda: gc.get_count()[0] < collector.thresholds[0], timeout=2000)


def test_preferences_set_the_word_template_in_brand_yaml(window, dialogs, tmp_path):
    import docx

    from app.storage.brand import load_brand
    from app.ui.dialogs.preferences import PreferencesDialog
    template = tmp_path / "house.docx"
    docx.Document().save(template)
    dialog = PreferencesDialog(window.document, window)
    dialog.docx_template.setText(str(template))
    dialog.accept()
    assert load_brand().docx_template == template
    dialog = PreferencesDialog(window.document, window)
    dialog.docx_template.setText(str(tmp_path / "missing.docx"))
    dialog.accept()  # refused with a message; the saved brand keeps the good template
    assert any("missing.docx" in seen for seen in dialogs.seen)
    assert load_brand().docx_template == template
