"""Layout minimums: on a 1024x640 laptop and at 150% scaling on 1920x1080 (1280x720 logical pixels less a
taskbar), every wizard page, the review, every results tab and the assumptions show their words whole,
nothing outside its parent or on a sibling, and Back / Next on screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.ui.main_window import fit_to_screen
from tests.ui.layout_check import layout_problems, on_screen

SIZES = {"1024x640": (1024, 640), "150% of 1920x1080": (1280, 690)}


def _settle(qtbot) -> None:
    """A table fits its rows once shown (a zero timer), and its page lays out again after that: let both run."""
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(30)


@pytest.fixture
def example_window(qtbot, real_window, example_paths):
    assert real_window.open_path(next(p for p in example_paths if p.stem == "midsize-general-api"))
    return real_window


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_every_wizard_page_fits(qtbot, example_window, size):
    window = example_window
    window.resize(*size)
    _settle(qtbot)
    wizard = window.workspace.wizard
    for section in wizard.sections:
        window.workspace.show_section(section.id)
        _settle(qtbot)
        assert layout_problems(window) == [], section.id
        assert on_screen(wizard.next_button, window) and on_screen(wizard.back_button, window), section.id


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_review_results_and_assumptions_fit(qtbot, example_window, size):
    window = example_window
    window.resize(*size)
    workspace = window.workspace
    for view in ("review", "assumptions"):
        workspace.show_view(view)
        _settle(qtbot)
        assert layout_problems(window) == [], view
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=30000):
        workspace.show_view("results")
    results = workspace.views["results"]
    qtbot.waitUntil(lambda: results.tabs.count() == 6, timeout=10000)
    for index in range(results.tabs.count()):
        results.tabs.setCurrentIndex(index)
        _settle(qtbot)
        assert layout_problems(window) == [], results.tabs.tabText(index)


def test_the_checker_sees_a_cut_label_and_an_overlap(qtbot):
    """The checker itself: a label narrower than its text, and two widgets placed on one another."""
    from PySide6.QtWidgets import QHBoxLayout
    parent = QWidget()
    qtbot.addWidget(parent)
    QHBoxLayout(parent)
    label = QLabel("Engagement and everything after it", parent)
    parent.layout().addWidget(label)
    parent.resize(400, 40)
    parent.show()
    _settle(qtbot)
    assert layout_problems(parent) == []
    label.setFixedWidth(60)
    other = QLabel("x", parent)
    parent.layout().addWidget(other)
    _settle(qtbot)
    other.setGeometry(label.geometry())
    problems = layout_problems(parent)
    assert any("needs" in p for p in problems) and any("overlaps" in p for p in problems)


def test_the_window_never_opens_larger_than_the_screen():
    """150% on 1920x1080 leaves 1280x690 logical pixels under a taskbar: the 1400x900 default shrinks
    into it, a remembered geometry from a bigger screen too, and it stays where the screen is."""
    available = QRect(0, 0, 1280, 690)
    assert available.contains(fit_to_screen(QRect(0, 0, 1400, 900), available))
    assert available.contains(fit_to_screen(QRect(900, 500, 1400, 900), available))
    assert fit_to_screen(QRect(40, 30, 1000, 600), available) == QRect(40, 30, 1000, 600)
    big = QRect(0, 0, 2560, 1440)
    assert fit_to_screen(QRect(0, 0, 1400, 900), big).size() == QRect(0, 0, 1400, 900).size()


def test_the_headline_wraps_and_is_never_cut(qtbot, example_window):
    """The key sentence is shown whole (no 110-character cut with "..."), wrapping on a small screen."""
    from app.ui.widgets.format import headline
    window = example_window
    window.resize(1024, 640)
    workspace = window.workspace
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=30000):
        workspace.show_view("results")
    evaluation = workspace.evaluator.full
    whole = headline(evaluation, window.document.assessment.display)
    for label in (workspace.views["results"].headline, workspace.live_panel.headline):
        qtbot.waitUntil(lambda label=label: label.text() != "", timeout=10000)
        assert label.wordWrap() and not label.text().endswith(("...", "…"))
    assert workspace.views["results"].headline.text() == whole


def test_at_1024_results_and_assumptions_take_the_live_panels_room_and_costs_fit(qtbot, example_window):
    """The results show what the live panel shows: on a 1024 px laptop they use its width, and the cost
    table fits the page with its headers on two lines; the questions have their panel back."""
    from PySide6.QtCore import Qt
    window = example_window
    window.resize(1024, 640)
    workspace = window.workspace
    with qtbot.waitSignal(workspace.evaluator.full_ready, timeout=30000):
        workspace.show_view("results")
    results = workspace.views["results"]
    qtbot.waitUntil(lambda: results.tabs.count() == 6, timeout=10000)
    results.tabs.setCurrentIndex(1)
    _settle(qtbot)
    assert not workspace.live_panel.isVisible()
    table = next(t for t in results.tabs.widget(1).findChildren(QWidget) if t.accessibleName() == "Cost per option")
    assert table.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff  # no sideways scrolling
    assert "\n" in table.horizontalHeaderItem(1).text()  # "Cost per" over "month"
    workspace.show_view("assumptions")
    _settle(qtbot)
    assert not workspace.live_panel.isVisible()
    workspace.show_section("volume")
    _settle(qtbot)
    assert workspace.live_panel.isVisible()
    window.resize(1400, 900)
    workspace.show_view("results")
    _settle(qtbot)
    assert workspace.live_panel.isVisible()  # room for both
