"""The wizard's words: the message listing unanswered questions follows the answers and clears once they
are given; number fields suggest a value in their own unit."""

from __future__ import annotations

from app.ui.wizard.inputs import LineInput
from tests.ui.drive import type_value


def _answer(editor) -> None:
    options = editor.question.choice_options
    type_value(editor, options[0].value if options else "Northwind")


def test_the_validation_message_clears_as_the_listed_questions_are_answered(qtbot, window):
    wizard = window.workspace.wizard
    window.workspace.show_section("engagement")
    wizard.next()
    blocking = wizard.current_page.blocking_editors()
    assert len(blocking) >= 2 and wizard.sections[wizard.current_index].id == "engagement"
    assert all(e.question.label in wizard.message.text() for e in blocking[:3])
    _answer(blocking[0])
    assert blocking[0].question.label not in wizard.message.text()
    assert blocking[1].question.label in wizard.message.text()  # the others are still listed
    for editor in blocking[1:]:
        _answer(editor)
    assert wizard.current_page.blocking_editors() == [] and wizard.message.text() == ""


def test_number_placeholders_suggest_their_own_unit(qtbot, window):
    """"e.g. 45M or 20,000" on milliseconds and electricity prices was the defect: each unit its example."""
    hints = {}
    for section in window.document.assessment.questionnaire.sections:
        window.workspace.show_section(section.id)
        for editor in window.workspace.wizard.current_page.editors:
            if isinstance(editor.input, LineInput) and editor.input.is_number:
                hints[editor.question.unit] = hints.get(editor.question.unit, set()) | {editor.input.line.placeholderText()}
    by_unit = {unit: texts for unit, texts in hints.items()}
    assert by_unit["ms"] == {"e.g. 800"} and by_unit["USD/kWh"] == {"e.g. 0.12"}
    for unit, texts in by_unit.items():
        others = set().union(*(t for u, t in by_unit.items() if u != unit))
        shared = {t for t in texts if t in others and not t.startswith("default")}
        assert shared == set(), (unit, by_unit)
