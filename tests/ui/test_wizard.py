"""The wizard driven for real: every section of an example filled through the widgets, saved and
reopened; conditional questions; required answers; Back/Next; workloads."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.domain.assessment import Answer, Confidence
from app.engine.answers import iter_visible_slots
from app.storage.assessment_files import load_assessment
from tests.ui.drive import enter_answer, type_value


def comparable(answer: Answer | None) -> dict:
    answer = answer or Answer()
    data = answer.model_dump()
    if isinstance(data["value"], list):
        data["value"] = sorted(data["value"])  # a multiple choice is a set; the UI lists it in option order
    if data["confidence"] in (None, Confidence.STATED):
        data["confidence"] = None  # no confidence means "stated" (see app.engine.bindings)
    return data


def visible_answers(assessment) -> dict[tuple[str, int], dict]:
    """(question id, workload position) -> answer, for every visible question."""
    positions = {w.id: i for i, w in enumerate(assessment.workloads)}
    return {(s.question.id, positions.get(s.workload.id, -1) if s.workload else -1): comparable(s.answer)
            for s in iter_visible_slots(assessment)}


def fill_from(window, dialogs, reference) -> None:
    workspace = window.workspace
    dialogs.text_answers = [w.name for w in reference.workloads]
    workspace.wizard.workload_bar.rename()
    for _ in reference.workloads[1:]:
        workspace.wizard.workload_bar.add()
    workloads = window.document.assessment.workloads
    for section in reference.questionnaire.sections:
        targets = list(zip(reference.workloads, workloads)) if section.scope == "workload" else [(None, None)]
        for source, target in targets:
            if target is not None:
                workspace.wizard.workload_bar.select(target.id)
            workspace.show_section(section.id)
            page = workspace.wizard.current_page
            answers = reference.answers_for(source)
            for editor in page.editors:  # in order: earlier answers decide which later questions show
                if editor.question.id in answers and not editor.isHidden():
                    enter_answer(editor, answers[editor.question.id])


@pytest.mark.parametrize("example_name", ["midsize-general-api", "hospital-phi-on-prem"])
def test_fill_every_section_save_and_reopen(window, dialogs, tmp_path, example_paths, example_name):
    reference = load_assessment(next(p for p in example_paths if p.stem == example_name))
    fill_from(window, dialogs, reference)
    dialogs.save_path = tmp_path / "filled.llmassess"
    assert window.save()
    reopened = load_assessment(dialogs.save_path)
    assert [w.name for w in reopened.workloads] == [w.name for w in reference.workloads]
    assert visible_answers(reopened) == visible_answers(reference)
    # and the reopened file shows the same answers in the widgets
    window.open_path(dialogs.save_path)
    window.workspace.show_section("engagement")
    editor = window.workspace.wizard.current_page.editor_for("client_name")
    assert editor.input.value() == reference.organisation_answers["client_name"].value


def test_note_confidence_and_flag_round_trip(window, dialogs, tmp_path):
    window.workspace.show_section("engagement")
    editor = window.workspace.wizard.current_page.editor_for("client_name")
    enter_answer(editor, Answer(value="ACME <Ltd> & Co", note="Spoke to the CIO", confidence="estimated",
                                review=True))
    dialogs.save_path = tmp_path / "a.llmassess"
    assert window.save()
    saved = load_assessment(dialogs.save_path).organisation_answers["client_name"]
    assert (saved.value, saved.note, saved.confidence, saved.review) == (
        "ACME <Ltd> & Co", "Spoke to the CIO", Confidence.ESTIMATED, True)
    assert "Estimated" in editor.badges.text() and "note" in editor.badges.text()


def _volume_page(window):
    window.workspace.show_section("volume")
    return window.workspace.wizard.current_page


def test_conditional_questions_appear_and_disappear(window):
    page = _volume_page(window)
    requests, tokens = page.editor_for("requests_per_day"), page.editor_for("tokens_per_day")
    assert not requests.isHidden() and tokens.isHidden()  # default: describe volume by requests
    type_value(page.editor_for("volume_method"), "tokens")
    assert requests.isHidden() and not tokens.isHidden()
    type_value(page.editor_for("volume_method"), "requests")
    assert not requests.isHidden() and tokens.isHidden()


def test_required_answers_block_next(window):
    wizard = window.workspace.wizard
    wizard.show_section("engagement")
    wizard.next()
    assert wizard.sections[wizard.current_index].id == "engagement"
    assert "Client organisation" in wizard.message.text()
    page = wizard.current_page
    type_value(page.editor_for("client_name"), "Northwind")
    type_value(page.editor_for("industry"), "healthcare")
    QTest.keyClick(page.editor_for("client_name").input.line, Qt.Key.Key_Return)  # Enter means Next
    assert wizard.sections[wizard.current_index].id == "strategy"


def test_back_and_next_keep_answers(window):
    wizard = window.workspace.wizard
    wizard.show_section("engagement")
    type_value(wizard.current_page.editor_for("client_name"), "Northwind")
    type_value(wizard.current_page.editor_for("industry"), "retail")
    wizard.next()
    wizard.back()
    assert wizard.current_page.editor_for("client_name").input.value() == "Northwind"
    assert window.document.answer("industry", None).value == "retail"


def test_invalid_number_is_explained_and_not_stored(window):
    page = _volume_page(window)
    editor = page.editor_for("peak_to_average")
    type_value(editor, "abc")
    assert editor.error.isVisibleTo(page) and "must be a number" in editor.error.text()
    type_value(editor, 500)
    assert "at most 50" in editor.error.text()
    assert window.document.answer("peak_to_average", page.workload_id) is None
    type_value(editor, "45M")
    type_value(page.editor_for("requests_per_day"), "45M")
    assert window.document.answer("requests_per_day", page.workload_id).value == 45_000_000
    assert page.editor_for("requests_per_day").input.reading.text() == "= 45M requests/day"


def test_unknown_answer(window):
    window.workspace.show_section("strategy")
    editor = window.workspace.wizard.current_page.editor_for("competitive_moat")
    editor.status_buttons["unknown"].click()
    assert window.document.answer("competitive_moat", None).status == "unknown"
    assert not editor.input.isEnabled()


def test_workloads_add_rename_duplicate_remove(window, dialogs):
    bar = window.workspace.wizard.workload_bar
    window.workspace.show_section("volume")
    type_value(window.workspace.wizard.current_page.editor_for("requests_per_day"), 1000)
    dialogs.text_answers = ["Claims summaries", "Claims copy", "Support chat"]
    bar.rename()
    bar.duplicate()
    bar.add()
    names = [w.name for w in window.document.assessment.workloads]
    assert names == ["Claims summaries", "Claims copy", "Support chat"]
    copy = window.document.assessment.workloads[1]
    assert copy.answers["requests_per_day"].value == 1000
    bar.select(copy.id)
    assert window.workspace.wizard.current_page.editor_for("requests_per_day").input.value() == 1000
    dialogs.question_answer = dialogs.question_answer.Yes
    bar.remove()
    assert [w.name for w in window.document.assessment.workloads] == ["Claims summaries", "Support chat"]


def test_section_states_and_progress(window):
    navigation = window.workspace.navigation
    assert "required missing" in navigation.progress_label.text()
    window.workspace.show_section("engagement")
    page = window.workspace.wizard.current_page
    type_value(page.editor_for("client_name"), "Northwind")
    type_value(page.editor_for("industry"), "retail")
    page.editor_for("region").flag.click()
    navigation.refresh()
    item = navigation.list.item(0)
    assert "marked for review" in item.toolTip() and "required missing" not in item.toolTip()


def test_review_page_lists_and_jumps(window):
    window.workspace.show_view("review")
    review = window.workspace.views["review"]
    missing = review.tree.topLevelItem(0)
    assert missing.childCount() > 0
    first = missing.child(0)
    review._on_activated(first, 0)
    assert window.workspace.current_view == "questions"
    question_id, _workload = first.data(0, Qt.ItemDataRole.UserRole)
    assert window.workspace.wizard.current_page.editor_for(question_id) is not None
