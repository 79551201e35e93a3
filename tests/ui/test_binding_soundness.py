"""The Qt binding must neither drop nor leak references to None (issue 11).

On CPython 3.11, PySide6-Essentials 6.12.0 drops one reference to ``None`` per void Qt call, and the
interpreter aborts once the count runs out; 6.10.3 and 6.11.3 add two or three per widget created and
destroyed. The checks run in child processes: in-process, the abort would kill the whole test run.
"""

import os
import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    label = QLabel()
    start = sys.getrefcount(None)
    for i in range(10_000):
        label.setText("x")          # void call
        label.setVisible(False)     # another void call
    print(start, sys.getrefcount(None))
    """
)


WIDGETS_CHILD = textwrap.dedent(
    """
    import gc, sys
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QTableWidget, QVBoxLayout, QWidget
    app = QApplication([])

    def make_and_delete():
        page = QWidget()
        area = QScrollArea(page)
        body = QWidget()
        QVBoxLayout(body).addWidget(QLabel("x"))
        area.setWidget(body)
        QTableWidget(2, 2, page)
        page.deleteLater()

    def settle():
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()

    for _ in range(50):
        make_and_delete()
    settle()
    start = sys.getrefcount(None)
    for _ in range(2_000):
        make_and_delete()
    settle()
    print(start, sys.getrefcount(None))
    """
)


def _none_refcounts(child_code: str) -> tuple[int, int]:
    child = subprocess.run(
        [sys.executable, "-c", child_code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.returncode == 0, f"child aborted (rc={child.returncode}): {child.stderr[-400:]}"
    start, end = (int(n) for n in child.stdout.split()[-2:])
    return start, end


def test_void_qt_calls_keep_none_refcount_still():
    start, end = _none_refcounts(CHILD)
    assert abs(end - start) <= 50, f"None refcount moved from {start} to {end} over 20,000 void Qt calls"


def test_creating_and_deleting_widgets_keeps_none_refcount_still():
    start, end = _none_refcounts(WIDGETS_CHILD)
    assert abs(end - start) <= 50, f"None refcount moved from {start} to {end} over 2,000 pages of widgets"
