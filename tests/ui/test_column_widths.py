"""Column widths of the fitted tables: natural widths when they fit, the rest to the sentences; sentences
take a second line first, then short columns give way, never below their floors unless nothing else can."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import Qt

from app.ui.widgets.widgets import HEADER_PADDING_PX, column_widths, read_only_table


def test_spare_width_goes_to_the_sentences():
    assert column_widths([100, 50, 200], [50, 50, 100], {2}, 450) == [100, 50, 300]
    assert column_widths([100, 50], [50, 50], set(), 200) == [100, 100]  # no sentence: the last column


def test_sentences_take_a_second_line_before_short_labels_break():
    assert column_widths([200, 50, 400], [80, 50, 150], {2}, 530) == [200, 50, 280]
    assert column_widths([200, 50, 400], [80, 50, 150], {2}, 400) == [150, 50, 200]  # then labels give way
    widths = column_widths([200, 50, 400], [80, 50, 150], {2}, 300)
    assert widths[:2] == [80, 50] and widths[2] == 170  # and last, the sentence down to its floor


@given(st.lists(st.tuples(st.integers(10, 800), st.integers(10, 300)), min_size=1, max_size=9),
       st.integers(100, 2000), st.data())
def test_widths_fill_the_table_without_going_below_the_floors(columns, width, data):
    natural = [max(n, f) for n, f in columns]
    floor = [f for _n, f in columns]
    wrap = set(data.draw(st.lists(st.integers(0, len(columns) - 1), unique=True)))
    widths = column_widths(natural, floor, wrap, width)
    assert all(w >= f - 1 for w, f in zip(widths, floor))
    if sum(floor) <= width:
        assert width - len(widths) <= sum(widths) <= width  # filled, to rounding, and never one pixel over
    else:
        assert widths == floor or all(abs(w - f) <= 1 for w, f in zip(widths, floor))


def test_a_figure_keeps_its_unit_on_its_line_while_a_label_may_break(qtbot):
    table = read_only_table(["Use case", "Served by", "Sized"],
                            [["Customer support assistant", "DeepSeek-V3 on 2 x 8 H200 141GB", "1,341 ms to spare"]],
                            numeric={2}, wrap={0})
    qtbot.addWidget(table)
    metrics = table.fontMetrics()
    assert table._natural(2)[1] >= metrics.horizontalAdvance("1,341 ms")  # a number keeps its unit
    assert table._natural(2)[1] < metrics.horizontalAdvance("1,341 ms to")
    assert table._natural(1)[1] < metrics.horizontalAdvance("DeepSeek-V3 on 2 x 8")  # a word at a time


def test_a_table_too_narrow_for_whole_figures_breaks_them_rather_than_scroll(qtbot):
    rows = [["Customer support assistant", "1,341 ms to spare", "39.9 tokens/s", "20 tokens/s"]]
    table = read_only_table(["Use case", "Margin", "Sized", "Target"], rows, numeric={1, 2, 3}, wrap={0})
    qtbot.addWidget(table)
    metrics = table.fontMetrics()
    whole = sum(table._natural(c)[1] for c in range(4))
    table.resize(whole - 40, 200)
    table.show()
    qtbot.waitExposed(table)
    table.fit_columns()
    assert table.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert sum(table.horizontalHeader().sectionSize(c) for c in range(4)) <= table.viewport().width()
    assert table.horizontalHeader().sectionSize(2) < metrics.horizontalAdvance("39.9 tokens/s") + HEADER_PADDING_PX
