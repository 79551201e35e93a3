"""Regenerate the README's screenshots offscreen at a realistic window size:

    .venv/bin/python docs/screenshots/make_screenshots.py

Uses a throw-away user folder (no real brand, settings or recent files) and the bundled examples."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["LLM_ADVISOR_HOME"] = tempfile.mkdtemp(prefix="llm-advisor-shots-")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SIZE = (1400, 900)
EXAMPLE = "midsize-general-api.llmassess"


def settle(app: QApplication, ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    app.processEvents()


def wait_for_results(app: QApplication, evaluator) -> None:
    evaluator.wait(10_000)
    settle(app, 300)


def scroll_to_heading(results, tab: int, text: str) -> None:
    """Scroll a results tab so that the section under the heading `text` starts at the top."""
    from PySide6.QtWidgets import QLabel
    results.tabs.setCurrentIndex(tab)
    page = results.tabs.widget(tab)
    label = next(w for w in page.findChildren(QLabel) if w.text() == text)
    page.verticalScrollBar().setValue(label.y() - 8)


def german_shots(app: QApplication, window) -> None:
    """The same example in German (numbers, money) and euros: de-question-page.png, de-results.png."""
    document = window.document
    document.set_display(document.assessment.display.model_copy(update={
        "locale": "de_DE", "currency": "EUR", "usd_to_currency_rate": 0.92, "rate_as_of": "2026-11-30"}))
    workspace = window.workspace
    workspace.show_view("questions")
    workspace.show_section("volume")
    settle(app)
    window.grab().save(str(HERE / "de-question-page.png"))
    workspace.show_view("results")
    wait_for_results(app, workspace.evaluator)
    workspace.views["results"].tabs.setCurrentIndex(1)
    settle(app)
    window.grab().save(str(HERE / "de-results.png"))
    document.undo_stack.undo()  # back to the example's own display settings


def main() -> int:
    from app.storage.resources import find_resource
    from app.ui.main import build_window, make_application
    from app.ui.passwords import PasswordPrompt
    from app.ui.preferences import PreferencesDialog
    app = make_application()
    window = build_window(str(find_resource("examples", EXAMPLE)))
    window.resize(*SIZE)
    window.show()
    settle(app)
    workspace = window.workspace
    workspace.show_section("volume")
    settle(app)
    window.grab().save(str(HERE / "question-page.png"))
    workspace.show_view("review")
    settle(app)
    window.grab().save(str(HERE / "review.png"))
    workspace.show_view("results")
    wait_for_results(app, workspace.evaluator)
    window.grab().save(str(HERE / "results.png"))
    for index, name in enumerate(("costs", "sizing", "readiness", "sensitivity"), start=1):
        workspace.views["results"].tabs.setCurrentIndex(index)
        settle(app)
        window.grab().save(str(HERE / f"results-{name}.png"))
    for heading, name in (("Money over time", "results-money"), ("Bridge to the article", "results-bridge")):
        scroll_to_heading(workspace.views["results"], 1, heading)
        settle(app)
        window.grab().save(str(HERE / f"{name}.png"))
    workspace.show_view("assumptions")
    settle(app)
    window.grab().save(str(HERE / "assumptions.png"))
    dialog = PreferencesDialog(window.document, window)
    dialog.show()
    settle(app)
    dialog.grab().save(str(HERE / "preferences.png"))
    dialog.reject()
    prompt = PasswordPrompt(window, "Open protected assessment", "northwind.llmassess is password protected.",
                            lambda password: None)
    prompt.show()
    prompt.error.setText("Wrong password for northwind.llmassess (or the file was damaged)")
    settle(app)
    prompt.grab().save(str(HERE / "password.png"))
    prompt.reject()
    german_shots(app, window)
    window.document.set_modified(False)
    window.close()
    print(f"screenshots written to {HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
