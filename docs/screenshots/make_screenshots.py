"""Regenerate the README's screenshots offscreen at a realistic window size (1400x900), then the small
laptop (1024x640, names containing `1024`) and 150% scaling on a 1920x1080 screen (names containing `150`):

    .venv/bin/python docs/screenshots/make_screenshots.py

Uses a throw-away user folder (no real brand, settings or recent files) and the bundled examples. The 150%
shots run in a second process: QT_SCALE_FACTOR is read once, when Qt starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SCALED = "--scaled" in sys.argv  # the 150% process
if SCALED:  # a 1920x1080 screen at 150%: 1280x720 logical pixels, the window as large as the screen allows
    _screen = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96,
                            "logicalBaseDpi": 96, "dpr": 1}]}
    _config = Path(tempfile.mkdtemp(prefix="llm-advisor-screen-")) / "screen.json"
    _config.write_text(json.dumps(_screen))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_config}"
    os.environ["QT_SCALE_FACTOR"] = "1.5"
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


def presenting_shots(app: QApplication, window) -> None:
    """View > Present: presenting-question.png (no guidance, flags or notes; larger type) and
    presenting-results.png (the summary without its working links)."""
    workspace = window.workspace
    window.set_presenting(True)
    workspace.show_section("engagement")
    settle(app)
    window.grab().save(str(HERE / "presenting-question.png"))
    workspace.show_view("results")
    wait_for_results(app, workspace.evaluator)
    workspace.views["results"].tabs.setCurrentIndex(0)
    settle(app)
    window.grab().save(str(HERE / "presenting-results.png"))
    window.set_presenting(False)


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


SMALL_SECTIONS = ("engagement", "volume")  # the first page, and a use-case page under the workload bar
RESULT_TABS = ("summary", "costs", "sizing", "readiness", "sensitivity", "scenarios")


def small_shots(app: QApplication, window, suffix: str) -> None:
    """The pages a small or scaled screen squeezes most: a question page or two, review, every results tab,
    assumptions. `suffix` names the size: question-page-1024.png, results-sizing-150.png."""
    workspace = window.workspace
    for section in SMALL_SECTIONS:
        workspace.show_section(section)
        settle(app)
        window.grab().save(str(HERE / f"question-{section}-{suffix}.png"))
    workspace.show_view("review")
    settle(app)
    window.grab().save(str(HERE / f"review-{suffix}.png"))
    workspace.show_view("results")
    wait_for_results(app, workspace.evaluator)
    for index, name in enumerate(RESULT_TABS):
        workspace.views["results"].tabs.setCurrentIndex(index)
        settle(app)
        window.grab().save(str(HERE / f"results-{name}-{suffix}.png"))
    workspace.show_view("assumptions")
    settle(app)
    window.grab().save(str(HERE / f"assumptions-{suffix}.png"))


def open_example(app: QApplication, size: tuple[int, int] | None):
    from app.storage.resources import find_resource
    from app.ui.main import build_window
    window = build_window(str(find_resource("examples", EXAMPLE)))
    if size is not None:
        window.resize(*size)
    window.show()
    settle(app)
    return window


def scaled_main() -> int:
    """150% on 1920x1080: the window opens as it would for a user (never larger than the screen)."""
    from app.ui.main import make_application
    app = make_application()
    window = open_example(app, None)
    small_shots(app, window, "150")
    window.document.set_modified(False)
    window.close()
    return 0


def main() -> int:
    from app.ui.main import make_application
    from app.ui.files.passwords import PasswordPrompt
    from app.ui.dialogs.preferences import PreferencesDialog
    app = make_application()
    window = open_example(app, SIZE)
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
    for index, name in enumerate(RESULT_TABS[1:-1], start=1):  # Scenarios at this size: make_whatif_screenshots.py
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
    presenting_shots(app, window)
    german_shots(app, window)
    window.document.set_modified(False)
    window.close()
    small = open_example(app, (1024, 640))
    small_shots(app, small, "1024")
    small.document.set_modified(False)
    small.close()
    subprocess.run([sys.executable, __file__, "--scaled"], check=True)
    print(f"screenshots written to {HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(scaled_main() if SCALED else main())
