"""The one door for errors. Expected problems (AdvisorError: a damaged file, a bad logo) are shown as
their message; anything unexpected is logged to the user's log folder and shown in one dialog whose
details can be copied, and the app keeps running. Logs hold code locations, never answers or client
names: an unexpected exception's message is left out of the log because it may quote user data."""

from __future__ import annotations

import logging
import sys
import threading
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import APP_NAME, __version__
from app.domain.errors import AdvisorError
from app.storage.resources import private_file, user_log_dir

LOG_FILE_NAME = "llm-advisor.log"
log = logging.getLogger("app.ui")


def setup_logging() -> None:
    from logging.handlers import RotatingFileHandler
    folder = user_log_dir()
    try:
        # Owner-only: the log names files (and so clients), never their content.
        handler = RotatingFileHandler(private_file(folder / LOG_FILE_NAME), maxBytes=1_000_000, backupCount=3,
                                      encoding="utf-8")
    except OSError:
        return  # an unwritable log folder must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("app").addHandler(handler)
    logging.getLogger("app").setLevel(logging.INFO)


def redacted_traceback(error: BaseException) -> str:
    """Where it failed (files, lines, code) and the exception type, without the exception's message."""
    stack = traceback.extract_tb(error.__traceback__)
    return "".join(stack.format()) + type(error).__name__


def show_error(parent: QWidget | None, title: str, error: AdvisorError | str) -> None:
    QMessageBox.warning(parent, title, str(error))


def report_unexpected(error: BaseException, parent: QWidget | None = None) -> None:
    details = redacted_traceback(error)
    log.error("unexpected error (%s %s)\n%s", APP_NAME, __version__, details)
    box = QMessageBox(QMessageBox.Icon.Critical, "Unexpected error",
                      "Something went wrong. Your answers are still in the window; save them, and send the "
                      "details below to support if this happens again.", parent=parent)
    box.setDetailedText(f"{APP_NAME} {__version__}\n{details}")  # selectable, copyable
    box.exec()


def install_exception_hooks() -> None:
    """Route unexpected exceptions (in slots, timers, worker threads) to one dialog and the log."""

    def hook(kind, error, tb) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        error.__traceback__ = tb
        if isinstance(error, AdvisorError):
            show_error(QApplication.activeWindow(), "LLM Deployment Advisor", error)
        else:
            report_unexpected(error, QApplication.activeWindow())

    def thread_hook(args) -> None:
        log.error("unexpected error in a background thread\n%s", redacted_traceback(args.exc_value))

    sys.excepthook = hook
    threading.excepthook = thread_hook
