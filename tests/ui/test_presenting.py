"""Presenting mode (View > Present): working marks hidden, type 1.25x larger, a bar that says so, clean
results, and Esc leaves it, giving everything back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.ui.widgets.presenting import FONT_SCALE, WORKING_MARKS
from tests.ui.test_results_plan import _open_results


def _marks(window) -> list[QWidget]:
    page = window.workspace.wizard.current_page
    return [w for w in page.findChildren(QWidget) if w.objectName() in WORKING_MARKS]


def _question_label(window) -> QLabel:
    return window.workspace.wizard.current_page.findChildren(QLabel, "questionLabel")[0]


def test_present_hides_working_marks_enlarges_type_and_esc_leaves(qtbot, window):
    window.workspace.show_section("strategy")  # a page with consultant guidance
    qtbot.wait(20)
    marks = [w for w in _marks(window) if w.isVisible()]
    assert {w.objectName() for w in marks} >= {"guidance", "flag", "details"}
    normal = _question_label(window).font().pointSizeF()
    assert normal == QApplication.font().pointSizeF()
    window.present_action.trigger()
    qtbot.wait(20)
    assert window.presenting and window.present_bar.isVisible() and "Esc" in window.present_bar.text()
    assert not any(w.isVisible() for w in _marks(window))
    assert _question_label(window).font().pointSizeF() >= normal * FONT_SCALE - 0.01
    window.workspace.show_section("engagement")  # a page built while presenting hides its marks too
    qtbot.wait(20)
    assert _marks(window) and not any(w.isVisible() for w in _marks(window))
    qtbot.keyClick(window.workspace.wizard.current_page, Qt.Key.Key_Escape)
    assert not window.presenting and not window.present_bar.isVisible()
    assert _question_label(window).font().pointSizeF() == normal
    window.workspace.show_section("strategy")
    qtbot.wait(20)
    assert all(w.isVisible() for w in marks)


def test_presented_results_have_no_rests_on_links(qtbot, real_window, example_paths):
    window = real_window
    results, _ = _open_results(qtbot, window, example_paths, "midsize-general-api")

    def summary_text() -> str:
        return " ".join(label.text() for label in results.tabs.widget(0).findChildren(QLabel))

    assert "rests on" in summary_text()
    window.set_presenting(True)
    assert "rests on" not in summary_text() and "Why" in summary_text()
    window.set_presenting(False)
    assert "rests on" in summary_text()


def test_summary_shows_headline_costs(qtbot, real_window, example_paths):
    """The Results summary opens with each option's cost (today the client's first question)."""
    window = real_window
    results, _ = _open_results(qtbot, window, example_paths, "midsize-general-api")
    workspace = window.workspace
    evaluation = workspace.evaluator.full
    from app.domain.evaluation import OPTION_LABELS
    from app.ui.widgets.format import money
    shown = {label.accessibleName(): label.text() for label in results.tabs.widget(0).findChildren(QLabel, "bigFigure")}
    for option_id, cost in ((o, c) for o, c in evaluation.options.items() if c.offered):
        expected = money(cost.monthly_usd, window.document.assessment.display) if cost.feasible else "not feasible"
        assert shown[f"{OPTION_LABELS[option_id]} cost per month"] == expected


def test_a_rests_on_link_opens_the_use_case_the_reason_is_about(qtbot, real_window, example_paths):
    import re
    window = real_window
    results, _ = _open_results(qtbot, window, example_paths, "hospital-phi-on-prem")
    workspace = window.workspace
    workloads = window.document.assessment.workloads
    assert len(workloads) > 1
    scoped = [(label, w) for label in results.tabs.widget(0).findChildren(QLabel) for w in workloads
              if "@" + w.id in label.text()]
    assert scoped, "a reason about one use case links into it"
    label, workload = scoped[0]
    other = next(w for w in workloads if w.id != workload.id)
    workspace.wizard.workload_bar.select(other.id)
    href = re.search(r'href="(question:[^"]+@' + re.escape(workload.id) + ')"', label.text()).group(1)
    label.linkActivated.emit(href)
    question_id = href.split(":", 1)[1].split("@")[0]
    assert workspace.wizard.workload_bar.current_id() == workload.id
    assert workspace.wizard.current_page.editor_for(question_id) is not None
