"""Small building blocks shared by the result views: read-only tables, headings and SVG charts."""

from __future__ import annotations

import functools

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSizePolicy, QTableWidget, QTableWidgetItem, QWidget

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CHART_MIN_WIDTH_PX = 360  # still legible; narrower than a 1024 px laptop's results page


def heading(text: str) -> QLabel:
    return QLabel(text, objectName="sectionHeading")


def read_only_table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
                    accessible_name: str = "", wrap: set[int] = frozenset()) -> QTableWidget:
    """A table sized to its rows (no inner scrolling on a scrolling page), numbers right-aligned. Columns
    in `wrap` share the width left over and wrap their text (sentences); the others fit their content."""
    table = _FittedTable(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(accessible_name or headers[0])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text if len(text) > 40 else "")
            if c in numeric:
                item.setTextAlignment(RIGHT)
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        mode = QHeaderView.ResizeMode.Stretch if column in wrap else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    header.setStretchLastSection(not wrap)
    # Wrapped rows grow or shrink with the column widths: refit whenever a column changes width.
    header.sectionResized.connect(lambda *_: _refit(table))
    _refit(table)
    return table


class _FittedTable(QTableWidget):
    """Refits its wrapped rows once shown: a table built on a hidden tab lays its stretched columns out only
    then, after the rows were measured at a narrower width."""

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        QTimer.singleShot(0, self, lambda: _refit(self))


def _refit(table: QTableWidget) -> None:
    table.resizeRowsToContents()
    fit_height(table)


def fit_height(table: QTableWidget) -> None:
    height = table.horizontalHeader().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(height + 2)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)


@functools.cache
def register_report_fonts() -> None:
    """Give Qt the report's bundled fonts, so a chart on screen is set in the typeface it was measured
    for on paper (otherwise Qt substitutes a wider system font and labels collide)."""
    from app.storage.resources import list_resources
    for path in list_resources("fonts", "*.ttf"):
        QFontDatabase.addApplicationFont(str(path))


class SvgChart(QWidget):
    """A report chart (SVG from app.report.charts) drawn at the widget's width, keeping its proportions."""

    def __init__(self, svg: bytes, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        register_report_fonts()
        self.renderer = QSvgRenderer(svg, self)
        self.renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.setAccessibleName(title)
        self.setToolTip(title)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        size = self.renderer.defaultSize()
        self._ratio = size.height() / max(size.width(), 1)
        self.setMinimumSize(CHART_MIN_WIDTH_PX, round(CHART_MIN_WIDTH_PX * self._ratio))
        self.setMaximumWidth(round(size.width() * 2))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width * self._ratio)

    def sizeHint(self) -> QSize:
        width = round(self.renderer.defaultSize().width() * 1.5)
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.renderer.render(painter, self.rect().toRectF())
        painter.end()
