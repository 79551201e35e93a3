"""One app instance of two on the same file (tests/reliability/test_two_instances.py): the real
MainWindow, offscreen, doing what the parent writes into its command file, and saying what the user
would have seen.

    python two_instances_child.py FILE COMMANDS COPY

COMMANDS gets one command a line, appended by the parent: `type TEXT` (the client name, key by key),
`save` (File > Save). In a conflict the instance chooses "Save a Copy…" and names COPY. Output lines:
`ready`, `warned` (the "File already open" warning), `told` (the status bar says another instance opened
the file), `saved`, `conflict`, `failed`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def say(line: str) -> None:
    print(line, flush=True)


def main(path: Path, commands: Path, copy: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from app.ui.results import evaluation
    from app.ui.main import make_application, new_document
    from app.ui.main_window import MainWindow
    from tests.ui.drive import type_value
    from tests.ui.fakes import FAKE_ENGINE

    evaluation.engine_module = lambda: FAKE_ENGINE  # the figures are not what this checks
    QMessageBox.warning = staticmethod(lambda *args, **kwargs: say("warned") or QMessageBox.StandardButton.Ok)

    def choose_copy(box) -> int:
        say("conflict")
        next(button for button in box.buttons() if "Copy" in button.text()).click()
        return 0

    QMessageBox.exec = choose_copy
    QFileDialog.getSaveFileName = staticmethod(lambda *args, **kwargs: (str(copy), ""))
    app = make_application()
    window = MainWindow(new_document(), new_document)
    window.open_path(path, ask=False)
    window.show()
    done = {"lines": 0, "told": False}

    def poll() -> None:
        if not done["told"] and "opened elsewhere" in window.write_problem.text():
            done["told"] = True
            say("told")
        lines = commands.read_text().splitlines() if commands.exists() else []
        for line in lines[done["lines"]:]:
            done["lines"] += 1
            verb, _, text = line.partition(" ")
            if verb == "type":
                window.workspace.show_section("engagement")
                type_value(window.workspace.wizard.current_page.editor_for("client_name"), text)
            elif verb == "save":
                say("saved" if window.save() else "failed")

    timer = QTimer(interval=50)
    timer.timeout.connect(poll)
    timer.start()
    QTest.qWait(10)
    say("ready")
    app.exec()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
