"""The instant first window: the start page is painted before the questionnaire and the wizard load into
the same window; a file named on the command line and the recovery prompt still come after."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QMessageBox

from app.ui.main import _when_loaded, show_first_window
from tests.ui.crash import crash_after_journaling


def _shown(qtbot, file=None, then=None):
    """Show the first window as `llm-advisor` does and wait until the wizard takes input. Nothing is painted
    before the wait: painting happens in the event loop, which the wait runs."""
    seen = {}
    window = show_first_window(file, then=then)
    qtbot.addWidget(window)

    def painted():
        seen["document_at_first_paint"] = window.document
        seen["menus_enabled_at_first_paint"] = window.menuBar().isEnabled()

    window.first_painted.connect(painted)
    with qtbot.waitSignal(window.ready, timeout=20000):
        pass
    return window, seen


def _close(window) -> None:
    window.document.set_modified(False)
    window.workspace.shutdown()
    window.autosave.discard()


def test_start_page_is_painted_first_then_the_wizard_takes_input(qtbot, dialogs, fake_engine, advisor_home):
    window, seen = _shown(qtbot)
    assert seen == {"document_at_first_paint": None, "menus_enabled_at_first_paint": False}
    assert window.document is not None and window.document.path is None
    assert window.menuBar().isEnabled() and window.banner.isEnabled()
    assert window.workspace.wizard.current_page is not None
    # Typing goes to the first question, never to the examples bar the start page showed first.
    first = window.workspace.wizard.current_page.visible_editors()[0]
    assert first.question.id == "client_name"
    assert window.focusWidget() is first.input.focus_widget()
    assert window.banner.isVisible() and window.banner.focusWidget() is None
    _close(window)


def test_a_file_given_on_the_command_line_opens_after_the_first_paint(qtbot, dialogs, fake_engine, advisor_home,
                                                                     example_paths, tmp_path):
    source = tmp_path / "client.llmassess"
    shutil.copyfile(next(p for p in example_paths if p.stem == "midsize-general-api"), source)
    window, seen = _shown(qtbot, str(source))
    assert seen["document_at_first_paint"] is None
    assert window.document.path == source
    assert window.document.answer("client_name", None).value  # the file's answers, not a new assessment
    assert window.windowTitle().startswith("client.llmassess")
    _close(window)


def test_the_recovery_prompt_comes_once_the_wizard_is_loaded(qtbot, dialogs, fake_engine, advisor_home,
                                                             example_paths, tmp_path):
    from app.storage.journal import pending_recoveries
    source = tmp_path / "client.llmassess"
    shutil.copyfile(next(p for p in example_paths if p.stem == "midsize-general-api"), source)
    crash_after_journaling(source, "killed-session", "Recovered Client")
    dialogs.question_answer = QMessageBox.StandardButton.Yes
    window, _seen = _shown(qtbot, then=_when_loaded)  # what `llm-advisor` runs once the wizard is there
    qtbot.waitUntil(lambda: window.document.path == source, timeout=10000)
    assert window.document.answer("client_name", None).value == "Recovered Client"
    assert pending_recoveries() == []
    _close(window)
