"""Small building blocks shared by the result views: read-only tables, headings and SVG charts."""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QFontDatabase, QGuiApplication, QKeySequence, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QSizePolicy, QTableWidget, QTableWidgetItem, QWidget
from app.ui.widgets.looks import styled

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SENTENCE_FLOOR_PX = 140  # a wrapped sentence column never narrower: four or five words a line, not one
CHART_MIN_WIDTH_PX = 360  # still legible; narrower than a 1024 px laptop's results page
HEADER_PADDING_PX = 14  # a cell's margins and the header's sort-indicator room
HEADER_TEXT_ROLE = Qt.ItemDataRole.UserRole + 1  # a header item's text before it was wrapped


def heading(text: str) -> QLabel:
    return styled(QLabel(text, objectName="sectionHeading"))


def read_only_table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset(),
                    accessible_name: str = "", wrap: set[int] = frozenset()) -> QTableWidget:
    """A table sized to its rows (no inner scrolling on a scrolling page), numbers right-aligned. Columns
    in `wrap` share the width left over and wrap their text (sentences); the others fit their content, and
    wrap too where the page is too narrow for them all: the table never scrolls sideways."""
    table = FittedTable(len(rows), len(headers), wrap)
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
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.fit_columns()
    enable_copy(table)
    return table


def column_widths(natural: list[int], floor: list[int], wrap: set[int], width: int) -> list[int]:
    """Widths for columns that need `natural` px on one line and at least `floor` px, in `width` px. When
    all fit on one line the `wrap` columns (sentences) share what is left; otherwise the sentences first go
    to two lines (half their one-line width), then the short columns give up their one-line width (down to
    their floor: a long label wraps), then the sentences go down to their floors."""
    widths = list(natural)
    spare = width - sum(widths)
    wrapped = [c for c in wrap if c < len(widths)]
    if spare >= 0:
        for c in wrapped or [len(widths) - 1]:
            widths[c] += spare // len(wrapped or [0])
        return widths
    short = [c for c in range(len(widths)) if c not in wrapped]
    two_lines = {c: max(floor[c], natural[c] // 2) for c in wrapped}
    for group, least in ((wrapped, two_lines), (short, floor), (wrapped, floor)):
        give = {c: max(0, widths[c] - least[c]) for c in group}
        share = min(1.0, -spare / max(sum(give.values()), 1))
        for c, most in give.items():  # rounded up: a pixel too many would scroll the table sideways
            widths[c] -= math.ceil(most * share)
        spare = width - sum(widths)
        if spare >= 0:
            break
    return widths


def _figure_pieces(line: str) -> list[str]:
    """Where a figure may break: between words, never between a number and its unit ("1,341 ms", "to",
    "spare"; "0.01", "–", "0.1")."""
    pieces: list[str] = []
    for word in line.split():
        if pieces and pieces[-1][-1].isdigit() and (word[0].isalpha() or word[0] == "%"):
            pieces[-1] += f" {word}"
        else:
            pieces.append(word)
    return pieces


class FittedTable(QTableWidget):
    """Fits its columns to its width (see `column_widths`) and, when `fixed_height` (a table on a scrolling
    page), its height to its rows; again whenever its width changes, and once shown, since a table built on
    a hidden tab is laid out only then. A table that scrolls itself keeps its height and refits its rows."""

    def __init__(self, rows: int, columns: int, wrap: set[int], fixed_height: bool = True):
        super().__init__(rows, columns)
        self.wrap = set(wrap)
        self.fixed_height = fixed_height
        self._fitted_width = -1
        if fixed_height:
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def refit(self) -> None:
        """New contents: measure the columns again."""
        self._fitted_width = -1
        self.fit_columns()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(min(240, super().minimumSizeHint().width()), super().minimumSizeHint().height())

    def _natural(self, column: int) -> tuple[int, int, int]:
        """(one line, least, least if its figures may break) in px for a column, measured in one pass: the
        least is its header (headers do not wrap) and its longest word (a column of figures: its longest
        number with its unit), or a sentence column's floor."""
        metrics, padding = self.fontMetrics(), HEADER_PADDING_PX
        header = self._header_text(column)
        texts = [self.item(r, column).text() for r in range(self.rowCount())
                 if self.item(r, column) and not self.isRowHidden(r)]
        lines = [header, *(line for text in texts for line in text.splitlines())]
        natural = max(metrics.horizontalAdvance(line) for line in lines) + padding
        header_least = max((metrics.horizontalAdvance(word) for word in header.split()), default=0) + padding
        if column in self.wrap:  # a sentence wraps, and a word too long for its line breaks anywhere
            least = max(header_least, min(natural, SENTENCE_FLOOR_PX))
            return natural, least, least

        def widest(pieces) -> int:
            return max([header_least, *(metrics.horizontalAdvance(piece) + padding for piece in pieces)])

        words = widest(word for line in lines[1:] for word in line.split())
        figures = all(self.item(r, column).textAlignment() & Qt.AlignmentFlag.AlignRight
                      for r in range(self.rowCount()) if self.item(r, column))
        whole = widest(piece for line in lines[1:] for piece in _figure_pieces(line)) if figures else words
        return natural, whole, words

    def _header_text(self, column: int) -> str:
        """The header as given (before `_wrap_headers` broke it into lines)."""
        item = self.horizontalHeaderItem(column)
        if item is None:
            return ""
        if item.data(HEADER_TEXT_ROLE) is None:
            item.setData(HEADER_TEXT_ROLE, item.text())
        return item.data(HEADER_TEXT_ROLE)

    def _wrap_headers(self, widths: list[int]) -> None:
        """Headers on as many lines as their columns need ("Self-hosted" over "(on-prem)"): many option
        columns fit a 1024 px page only so."""
        metrics = self.fontMetrics()
        for column, width in enumerate(widths):
            item = self.horizontalHeaderItem(column)
            if item is None:
                continue
            lines: list[str] = []
            for word in self._header_text(column).split():
                joined = f"{lines[-1]} {word}" if lines else word
                if lines and metrics.horizontalAdvance(joined) + HEADER_PADDING_PX <= width:
                    lines[-1] = joined
                else:
                    lines.append(word)
            text = "\n".join(lines)
            if item.text() != text:
                item.setText(text)

    def fit_columns(self) -> None:
        width = self.viewport().width() if self.isVisible() else max(self.width() - 2 * self.frameWidth(), 0)
        if not self.fixed_height and self.verticalScrollBar().isVisible():
            width = self.viewport().width()
        if width == self._fitted_width or width <= 0:
            return
        self._fitted_width = width
        hidden = {c for c in range(self.columnCount()) if self.isColumnHidden(c)}
        measured = [(0, 0, 0) if c in hidden else self._natural(c) for c in range(self.columnCount())]
        floors = [whole for _, whole, _ in measured]
        if sum(floors) > width:  # a figure may break before its unit, not the page
            floors = [broken for *_, broken in measured]
        widths = column_widths([n for n, *_ in measured], floors, self.wrap - hidden, width)
        # Too many columns for the page even at their least: the table scrolls sideways rather than hide one.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded if sum(widths) > width
                                          else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.blockSignals(True)
        for column, column_width in enumerate(widths):
            header.resizeSection(column, column_width)
        header.blockSignals(False)
        self._wrap_headers(widths)
        if self.fixed_height:
            _refit(self)
        else:
            self.resizeRowsToContents()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit_columns()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        QTimer.singleShot(0, self, self.fit_columns)


def _refit(table: QTableWidget) -> None:
    table.resizeRowsToContents()
    fit_height(table)


def fit_height(table: QTableWidget) -> None:
    header = table.horizontalHeader()
    height = max(header.height(), header.sizeHint().height()) + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(table.rowCount()))
    if table.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAsNeeded:
        height += table.horizontalScrollBar().sizeHint().height()
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


def table_tsv(view, selected_only: bool = True) -> str:
    """A table's rows as tab-separated text with its header (Excel pastes it into cells): the selected
    rows, or all of them when none is selected or `selected_only` is False."""
    model = view.model()
    rows = sorted({index.row() for index in view.selectionModel().selectedIndexes()}) if selected_only else []
    rows = rows or list(range(model.rowCount()))
    columns = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]

    def cell(value) -> str:
        return " ".join(str(value or "").split())  # a tab or line break inside a cell would split it

    lines = ["\t".join(cell(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns)]
    lines += ["\t".join(cell(model.index(r, c).data()) for c in columns) for r in rows]
    return "\n".join(lines) + "\n"


class _CopyKeys(QObject):
    """Ctrl+C on a table copies its rows: item views take the key themselves (to copy one cell's text)
    before any shortcut sees it, so the view's key presses are looked at first."""

    def __init__(self, view):
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and \
                event.matches(QKeySequence.StandardKey.Copy):
            if event.type() == QEvent.Type.KeyPress:
                QGuiApplication.clipboard().setText(table_tsv(self.view))
            event.accept()
            return True
        return False


def enable_copy(view) -> None:
    """Ctrl+C and a context menu (Copy, Copy Table) put a table's rows on the clipboard as tab-separated
    text; the actions belong to the table, so each table copies its own rows."""
    copy = QAction("&Copy", view, shortcut=QKeySequence.StandardKey.Copy)
    copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(table_tsv(view)))
    copy_all = QAction("Copy &Table", view)
    copy_all.triggered.connect(lambda: QGuiApplication.clipboard().setText(table_tsv(view, selected_only=False)))
    view.addActions([copy, copy_all])
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    view.installEventFilter(_CopyKeys(view))
