import pytest
from pydantic import ValidationError

from app.domain.questionnaire import Questionnaire, QuestionKind


def _questionnaire(*questions, dimensions=()):
    return {"id": "q", "version": "1", "title": "T", "dimensions": list(dimensions),
            "sections": [{"id": "s", "title": "S", "questions": list(questions)}]}


def test_default_questionnaire_covers_the_consultants_topics(default_questionnaire):
    sections = {s.id for s in default_questionnaire.sections}
    assert {"engagement", "strategy", "spend", "team", "infrastructure", "volume", "data", "latency",
            "task", "fine_tuning"} <= sections
    assert {s.id for s in default_questionnaire.sections_in_scope("workload")} == {
        "volume", "data", "latency", "task", "fine_tuning"}
    kinds = {q.kind for q in default_questionnaire.questions_by_id.values()}
    assert kinds == set(QuestionKind), "every question kind is used at least once"
    data_classes = default_questionnaire.questions_by_id["data_classes"]
    assert {"phi", "pii", "payment", "mnpi", "classified"} <= {o.value for o in data_classes.options}


def test_every_binding_names_a_real_engine_input(default_questionnaire):
    from app.domain.inputs import OrganisationInputs, WorkloadInputs

    fields = {"workload": set(WorkloadInputs.model_fields), "organisation": set(OrganisationInputs.model_fields)}
    for question in default_questionnaire.questions_by_id.values():
        if question.binding and not question.binding.startswith("engagement."):
            scope, field = question.binding.split(".")
            assert field in fields[scope], f"{question.id} binds to unknown input {question.binding}"


def test_visible_if_must_refer_to_an_earlier_question():
    with pytest.raises(ValidationError, match="not an earlier question"):
        Questionnaire.model_validate(_questionnaire(
            {"id": "a", "kind": "text", "label": "A", "visible_if": "b == 'x'"},
            {"id": "b", "kind": "text", "label": "B"},
        ))


def test_choice_question_without_options_is_refused():
    with pytest.raises(ValidationError, match="has no options"):
        Questionnaire.model_validate(_questionnaire({"id": "a", "kind": "single_choice", "label": "A"}))


def test_duplicate_ids_and_unknown_dimensions_are_refused():
    with pytest.raises(ValidationError, match="used twice"):
        Questionnaire.model_validate(_questionnaire({"id": "a", "kind": "text", "label": "A"},
                                                    {"id": "a", "kind": "text", "label": "B"}))
    with pytest.raises(ValidationError, match="unknown dimension"):
        Questionnaire.model_validate(_questionnaire(
            {"id": "a", "kind": "yes_no", "label": "A", "dimensions": {"nope": 1}}))


def test_unknown_keys_are_typos_not_silence():
    with pytest.raises(ValidationError, match="Extra inputs"):
        Questionnaire.model_validate(_questionnaire({"id": "a", "kind": "text", "label": "A", "requird": True}))
