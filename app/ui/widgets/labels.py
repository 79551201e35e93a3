"""Labels every screen uses. Apart from widgets.py, which loads QtSvg for its charts: the first page
needs labels, not charts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel


def muted_label(text: str, object_name: str) -> QLabel:
    """Help and notes: wrapped, selectable, in the palette's muted (placeholder) colour."""
    label = QLabel(text, wordWrap=True, objectName=object_name)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
