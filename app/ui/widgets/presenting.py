"""Presenting mode (View > Present), for a shared screen or a projector: consultant guidance, notes,
confidence tags, review flags and other working marks are hidden, type is 1.25x larger, the results show
no "rests on" links or working notes, a bar says the mode is on, and Esc leaves it.

What is hidden is named here, by object name, so a widget joins the list by its name alone. Views built
while presenting (a wizard page on first visit, results after a recalculation) ask `hide_working_marks`."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

FONT_SCALE = 1.25  # at least this much larger than the desktop's type
# Consultant guidance, the review flag, note and confidence menu and tags, the use-case hint, the results'
# and panel's working notes, and stale-price warnings meant for the consultant.
WORKING_MARKS = frozenset({"guidance", "flag", "details", "badges", "note", "hint", "resultsStatus", "panelStatus",
                           "stalePrices", "restsOn", "consultantOnly"})
PROPERTY = "presenting"


def is_presenting(widget: QWidget) -> bool:
    return bool(widget.window().property(PROPERTY))


def hide_working_marks(root: QWidget, presenting: bool | None = None) -> None:
    """Hide (or show again) every working mark under `root`, and scale its looks' type while presenting
    (a view made now took the desktop's sizes); `presenting` None: as its window is."""
    from app.ui.widgets.looks import restyle
    on = is_presenting(root) if presenting is None else presenting
    if on:  # titles and hints set their own size; out of presenting mode they already have it
        restyle(root, FONT_SCALE)
    for widget in root.findChildren(QWidget):
        if widget.objectName() in WORKING_MARKS:
            if on:
                widget.setProperty("hiddenForPresenting", not widget.isHidden() or widget.property("hiddenForPresenting"))
                widget.hide()
            elif widget.property("hiddenForPresenting"):
                widget.setProperty("hiddenForPresenting", False)
                widget.show()


def present_type(root: QWidget, on: bool) -> None:
    """Type FONT_SCALE times the desktop's under `root` (or back again): a font for every widget that
    inherits it, and the looks that set their own size (titles, hints) set again."""
    from app.ui.widgets.looks import restyle
    font = QFont()
    if on:
        font.setPointSizeF(QApplication.font().pointSizeF() * FONT_SCALE)
    root.setFont(font)
    restyle(root, FONT_SCALE if on else 1.0)
