"""File > Print: the current view (a question page, the review, a results tab, the assumptions) on paper,
through the platform's print dialog. The view's whole content is drawn page by page at the paper's width,
not only the part scrolled into sight."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter, QRegion
from PySide6.QtWidgets import QDialog, QScrollArea, QTabWidget, QWidget


def printable(view: QWidget) -> QWidget:
    """What of `view` goes on paper: a results view's current tab, a scrolling page's whole content."""
    tabs = view.findChild(QTabWidget)
    if tabs is not None and tabs.currentWidget() is not None:
        view = tabs.currentWidget()
    if isinstance(view, QScrollArea) and view.widget() is not None:
        return view.widget()
    pages = getattr(view, "current_page", None)  # the wizard: its current section page
    if isinstance(pages, QScrollArea) and pages.widget() is not None:
        return pages.widget()
    return view


def print_view(parent: QWidget, view: QWidget) -> bool:
    """Ask the print dialog, then print `view`; False when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print the current view")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    render_pages(printer, printable(view))
    return True


def render_pages(printer, widget: QWidget) -> int:
    """Draw `widget` at the page's width, in slices of a page's height; returns the pages printed."""
    from PySide6.QtPrintSupport import QPrinter
    page = printer.pageRect(QPrinter.Unit.DevicePixel)
    scale = page.width() / max(widget.width(), 1)
    slice_height = max(int(page.height() / scale), 1)
    painter = QPainter(printer)
    pages, top = 0, 0
    while top < widget.height():
        if pages:
            printer.newPage()
        painter.save()
        painter.scale(scale, scale)
        widget.render(painter, QPoint(0, 0), QRegion(0, top, widget.width(), slice_height),
                      QWidget.RenderFlag.DrawChildren)
        painter.restore()
        pages, top = pages + 1, top + slice_height
    painter.end()
    return pages
