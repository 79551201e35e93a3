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
    from app.ui.widgets import gc_guard
    gc_guard.install(app)  # worker threads must never destroy Qt objects
    from app.ui.widgets.looks import COLOURS
    from app.ui.widgets.styles import accessible_palette, text_colours
    palette = accessible_palette(app.palette())
    if palette != app.palette():
        app.setPalette(palette)
    COLOURS.update(text_colours(palette))  # no style sheet: app/ui/widgets/looks.py says why
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
    from app.ui.files.document import Document
    return Document(new_assessment(load_default_questionnaire(), None))


def build_window(file: str | None):
    """The main window with its document, built at once (tests, the soak driver)."""
    from app.ui.main_window import MainWindow
    window = MainWindow(new_document(), new_document)
    if file:
        window.open_path(Path(file), ask=False)
    return window


def show_first_window(file: str | None, then=None):
    """Show the window with its start page (Qt alone is loaded), and once that is painted load pydantic,
    the questionnaire and the wizard into it, open `file` if given, then call `then(window)`."""
    from app.ui.main_window import MainWindow
    window = MainWindow(None, new_document)

    def load() -> None:
        if window.document is None:  # a file dropped on the start page may have been opened already
            window.set_document(new_document())
            if file:
                window.open_path(Path(file), ask=False)
        if then is not None:
            then(window)

    # After the paint has reached the screen: a zero timer runs once the event loop is back.
    window.first_painted.connect(lambda: QTimer.singleShot(0, load))
    window.show()
    return window


def run_gui(file: str | None = None, startup_check: bool = False) -> int:
    app = make_application()
    if startup_check:
        return _startup_check(app)
    from app.ui.dialogs.errors import install_exception_hooks, setup_logging
    setup_logging()
    install_exception_hooks()
    show_first_window(file, then=_when_loaded)
    return app.exec()


def _when_loaded(window) -> None:
    QApplication.instance().installEventFilter(_FileOpenFilter(window))
    from app.ui.files.recovery import offer_recovery
    QTimer.singleShot(0, lambda: offer_recovery(window))


def peak_memory_kib() -> int:
    """This process's peak resident memory so far (KiB); 0 where the platform does not say."""
    try:
        import resource
    except ImportError:  # Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # macOS counts bytes, Linux KiB


def _startup_check(app: QApplication) -> int:
    """Show the start page, print startup_ms once it is painted, then ready_ms once the wizard is painted
    and takes input, and quit. No dialogs of any kind. Peak memory at the first paint goes to stderr
    (stdout keeps its two-line contract)."""
    def elapsed_ms() -> int:
        return round((time.time() - process_start_time()) * 1000)

    def painted() -> None:
        print(f"startup_ms={elapsed_ms()}", flush=True)
        print(f"peak_rss_kib_at_first_paint={peak_memory_kib()}", file=sys.stderr, flush=True)

    def ready() -> None:
        print(f"ready_ms={elapsed_ms()}", flush=True)
        # The check is done: skip tearing down every widget and module (hundreds of ms that no user
        # waits for and that would only blur the startup benchmark). Nothing is open for writing.
        sys.stderr.flush()
        os._exit(0)

    window = show_first_window(None)
    window.first_painted.connect(painted)  # connected after the loader: Qt calls slots in that order,
    window.ready.connect(ready)            # but the loader only queues a timer, so this prints first
    app.exec()
    return 0
