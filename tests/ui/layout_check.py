"""A reusable geometry check for a window as the user sees it: no label, button or list entry cut short,
no widget outside its parent or on top of a sibling it shares a layout with, no sideways scroll bar on a
page. `layout_problems(window)` lists what is wrong, in words a failing test can print."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractScrollArea, QLabel, QLayout, QListWidget,
                               QScrollBar, QTabBar, QWidget)

SLACK_PX = 1  # rounding between a size hint and a geometry


def _name(widget: QWidget) -> str:
    text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
    return f"{type(widget).__name__}({widget.objectName() or widget.accessibleName() or text[:40]!r})"


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.isVisible()


def _managed(layout: QLayout) -> list[QWidget]:
    """The widgets a layout places, through its nested layouts."""
    widgets = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            widgets.append(item.widget())
        elif item.layout() is not None:
            widgets += _managed(item.layout())
    return widgets


def _label_problem(label: QLabel) -> str | None:
    if label.wordWrap() or not label.text() or label.pixmap() is not None and not label.pixmap().isNull():
        if label.wordWrap() and label.hasHeightForWidth() and label.text():
            needed = label.heightForWidth(label.width())
            if needed > label.height() + SLACK_PX + 2:
                return f"{_name(label)} wraps to {needed} px but has {label.height()} px: its last lines are cut"
        return None
    needed = label.minimumSizeHint().width()
    if label.width() + SLACK_PX < needed:
        return f"{_name(label)} is {label.width()} px wide but its text needs {needed} px"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    needed = button.minimumSizeHint().width()
    if button.text() and button.width() + SLACK_PX < needed:
        return f"{_name(button)} is {button.width()} px wide but its text needs {needed} px"
    return None


def _list_problem(view: QListWidget) -> str | None:
    needed = view.sizeHintForColumn(0)
    if needed > view.viewport().width() + SLACK_PX:
        return f"{_name(view)} entries need {needed} px but the list shows {view.viewport().width()} px"
    return None


def _tab_problem(bar: QTabBar) -> str | None:
    for index in range(bar.count()):
        if bar.tabRect(index).width() + SLACK_PX < bar.tabSizeHint(index).width() or not bar.rect().contains(
                bar.tabRect(index)):
            return f"tab {bar.tabText(index)!r} is cut short"
    return None


def _outside_and_overlaps(parent: QWidget, window: QWidget) -> list[str]:
    problems = []
    layout = parent.layout()
    if layout is None:
        return problems
    children = [w for w in _managed(layout) if _shown(w, window) and w.width() > 0 and w.height() > 0]
    bounds = parent.rect()
    for child in children:
        if not bounds.contains(child.geometry().adjusted(SLACK_PX, SLACK_PX, -SLACK_PX, -SLACK_PX)):
            problems.append(f"{_name(child)} at {_rect(child.geometry())} lies outside {_name(parent)} "
                            f"({_rect(bounds)})")
    for i, first in enumerate(children):
        for second in children[i + 1:]:
            overlap = first.geometry().intersected(second.geometry())
            if overlap.width() > SLACK_PX and overlap.height() > SLACK_PX:
                problems.append(f"{_name(first)} overlaps {_name(second)} by {_rect(overlap)}")
    return problems


def _rect(rect: QRect) -> str:
    return f"{rect.width()}x{rect.height()}+{rect.x()}+{rect.y()}"


def _sideways_scroll(area: QAbstractScrollArea) -> str | None:
    if isinstance(area, QAbstractItemView) and not isinstance(area, QListWidget):
        return None  # a wide table may scroll sideways on purpose; its cells are checked by their texts
    bar = area.horizontalScrollBar()
    if bar.isVisible() and bar.maximum() > 0:
        return f"{_name(area)} scrolls sideways by {bar.maximum()} px: its content is wider than the window"
    return None


def layout_problems(window: QWidget) -> list[str]:
    """Everything cut, outside or overlapping in what `window` shows now."""
    problems = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not _shown(widget, window) or isinstance(widget, QScrollBar):
            continue
        checks = [_outside_and_overlaps(widget, window)]
        if isinstance(widget, QLabel):
            checks.append([_label_problem(widget)])
        elif isinstance(widget, QAbstractButton) and not isinstance(widget.parent(), QTabBar):
            checks.append([_button_problem(widget)])
        elif isinstance(widget, QTabBar):
            checks.append([_tab_problem(widget)])
        if isinstance(widget, QListWidget):
            checks.append([_list_problem(widget)])
        if isinstance(widget, QAbstractScrollArea):
            checks.append([_sideways_scroll(widget)])
        problems += [p for group in checks for p in group if p]
    return problems


def on_screen(widget: QWidget, window: QWidget) -> bool:
    """Shown, and wholly inside the window (not scrolled or pushed out of it)."""
    if not _shown(widget, window):
        return False
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return window.rect().contains(QRect(top_left, widget.size()))
