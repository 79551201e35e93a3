"""Starting the desktop app: `run_gui` is what `llm-advisor [FILE]` and `llm-advisor --startup-check`
call. Only what the first page needs is imported here; results, charts and the report stack load on
first use so the first window appears about as fast as a bare Qt window."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from app import APP_ID, APP_NAME, __version__

_IMPORTED_AT = time.time()


def process_start_time() -> float:
    """When the OS created this process (epoch seconds). Linux: /proc/self/stat starttime; elsewhere the
    best stand-in we have without extra packages is the moment this module was imported."""
    try:
        with open("/proc/self/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        started_ticks = int(fields[19])  # field 22 of stat(5); fields after ")" start at field 3
        with open("/proc/uptime", "rb") as handle:
            uptime = float(handle.read().split()[0])
        return time.time() - uptime + started_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return _IMPORTED_AT


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("llm-advisor")  # Wayland matches windows to packaging/linux/llm-advisor.desktop
    app.setWindowIcon(_app_icon())
    from app.ui import gc_guard
    gc_guard.install(app)  # worker threads must never destroy Qt objects
    from app.ui.styles import accessible_palette, style_sheet
    palette = accessible_palette(app.palette())
    if palette != app.palette():
        app.setPalette(palette)
    sheet = style_sheet(palette)
    if app.styleSheet() != sheet:  # setting it again re-polishes every widget (tests, screenshots)
        app.setStyleSheet(sheet)
    return app


def _app_icon() -> QIcon:
    from app.storage.resources import find_resource
    try:
        return QIcon(str(find_resource("icons", "llm-advisor.svg")))
    except FileNotFoundError:  # a stripped-down install still starts, with the platform's default icon
        return QIcon()


class _FileOpenFilter(QObject):
    """macOS hands a double-clicked .llmassess to the running app as a FileOpen event, not in argv."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.FileOpen:
            self.window.open_path(Path(event.file()))  # asks before discarding unsaved changes
            return True
        return False


def new_document():
    """A fresh assessment from the default questionnaire. Its catalog snapshot is taken by the evaluator
    once the window is on screen (reading the catalogs is the slowest part of a start)."""
    from app.storage.documents import new_assessment
    from app.storage.questionnaires import load_default_questionnaire
    from app.ui.document import Document
    return Document(new_assessment(load_default_questionnaire(), None))


def build_window(file: str | None):
    from app.ui.main_window import MainWindow
    window = MainWindow(new_document(), new_document)
    if file:
        window.open_path(Path(file), ask=False)
    return window


def run_gui(file: str | None = None, startup_check: bool = False) -> int:
    app = make_application()
    if startup_check:
        return _startup_check(app)
    from app.ui.errors import install_exception_hooks, setup_logging
    setup_logging()
    install_exception_hooks()
    window = build_window(file)
    app.installEventFilter(_FileOpenFilter(window))
    window.show()
    from app.ui.recovery import offer_recovery
    QTimer.singleShot(0, lambda: offer_recovery(window))
    return app.exec()


def _startup_check(app: QApplication) -> int:
    """Show the first wizard page, print startup_ms once it is painted, quit. No dialogs of any kind."""
    window = build_window(None)

    def report() -> None:
        print(f"startup_ms={round((time.time() - process_start_time()) * 1000)}", flush=True)
        # The check is done: skip tearing down every widget and module (hundreds of ms that no user
        # waits for and that would only blur the startup benchmark). Nothing is open for writing.
        sys.stderr.flush()
        os._exit(0)

    window.first_painted.connect(report)
    window.show()
    app.exec()
    return 0
