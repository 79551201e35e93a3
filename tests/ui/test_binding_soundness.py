"""The Qt binding must not leak or drop references on void calls (issue 11).

PySide6-Essentials 6.12.0 on CPython 3.11 drops one reference to ``None`` per void Qt call, and the
interpreter aborts once the count runs out. The check runs in a child process: in-process, the abort
would kill the whole test run.
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


def test_void_qt_calls_keep_none_refcount_still():
    child = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.returncode == 0, f"child aborted (rc={child.returncode}): {child.stderr[-400:]}"
    start, end = (int(n) for n in child.stdout.split()[-2:])
    assert abs(end - start) <= 50, f"None refcount moved from {start} to {end} over 20,000 void Qt calls"
