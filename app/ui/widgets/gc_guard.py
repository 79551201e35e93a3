"""Qt objects must be destroyed on the GUI thread. Python's cyclic garbage collector runs in whichever
thread happens to allocate when a threshold is crossed, so a worker (the full evaluation, the PDF export)
could collect a dead widget and run its C++ destructor off the GUI thread: a crash, seen in the test suite.
So automatic collection is switched off while the app runs and the same generational thresholds are
checked here, on the GUI thread, a few times a second."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 250


class MainThreadGarbageCollector(QObject):
    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self, interval=CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.collect_if_due)
        self.timer.start()

    def collect_if_due(self) -> None:
        """Collect the oldest generation whose allocation count passed its threshold, as CPython would."""
        counts = gc.get_count()
        due = [generation for generation in range(3) if counts[generation] > self.thresholds[generation]]
        if due:
            gc.collect(due[-1])


INSTALLED = "mainThreadGarbageCollector"  # an application property: findChild by type costs ~6 ms at start


def install(app: QObject) -> None:
    """Once per application (tests call make_application many times)."""
    if not app.property(INSTALLED):
        MainThreadGarbageCollector(app)
        app.setProperty(INSTALLED, True)
