"""The review counts the answers resting on defaults, an API model nobody chose among them."""

from __future__ import annotations

from PySide6.QtWidgets import QTreeWidgetItem

from app.domain.assessment import Answer, AnswerStatus


def _group(review, title: str) -> QTreeWidgetItem:
    return next(review.tree.topLevelItem(i) for i in range(review.tree.topLevelItemCount())
                if review.tree.topLevelItem(i).text(0).startswith(title))


def test_an_unchosen_api_model_rests_on_a_default(qtbot, window):
    document = window.document
    workload = document.assessment.workloads[0]
    window.workspace.show_view("review")
    review = window.workspace.views["review"]
    defaults = _group(review, "Resting on defaults")
    listed = [(defaults.child(i).data(0, 256)) for i in range(defaults.childCount())]
    assert ("api_model", workload.id) in listed
    count = defaults.childCount()
    assert defaults.text(0) == f"Resting on defaults ({count})" and f"{count} answers rest on defaults" in review.summary.text()
    question = document.assessment.questionnaire.questions_by_id["api_model"]
    document.set_value(question, workload.id, "gpt-4o")  # chosen: no longer a default
    review.refresh()
    defaults = _group(review, "Resting on defaults")
    assert defaults.childCount() == count - 1
    document.update_answer(question, workload.id, status=AnswerStatus.UNKNOWN, value=None)  # Unknown: the engine picks
    review.refresh()
    assert _group(review, "Resting on defaults").childCount() == count
