"""Presenting mode (View > Present), for a shared screen or a projector: consultant guidance, notes,
confidence tags, review flags and other working marks are hidden, type is 1.25x larger, the results show
no "rests on" links or working notes, a bar says the mode is on, and Esc leaves it.

What is hidden is named here, by object name, so a widget joins the list by its name alone. Views built
while presenting (a wizard page on first visit, results after a recalculation) ask `hide_working_marks`."""

from __future__ import annotations

import re

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
    """Hide (or show again) every working mark under `root`; `presenting` None: as its window is."""
    on = is_presenting(root) if presenting is None else presenting
    for widget in root.findChildren(QWidget):
        if widget.objectName() in WORKING_MARKS:
            if on:
                widget.setProperty("hiddenForPresenting", not widget.isHidden() or widget.property("hiddenForPresenting"))
                widget.hide()
            elif widget.property("hiddenForPresenting"):
                widget.setProperty("hiddenForPresenting", False)
                widget.show()


def presenting_style_sheet(on: bool) -> str:
    """For the window's central widget: every size in the app's style sheet, and the desktop's own type,
    times FONT_SCALE ("" when not presenting). A style sheet, not a font: the app's sheet pins the fonts of
    the widgets it styles, which a larger parent font would not reach."""
    if not on:
        return ""
    base = QApplication.font().pointSizeF() * FONT_SCALE
    scaled = re.sub(r"(\d+(?:\.\d+)?)pt", lambda m: f"{float(m.group(1)) * FONT_SCALE:g}pt",
                    QApplication.instance().styleSheet())
    return f"QWidget {{ font-size: {base:g}pt; }}\n{scaled}"
