"""The questionnaire's parse kept as JSON (app/storage/questionnaires.py): a start reads it instead of the
YAML, the file stays the source of truth, and a stale or damaged cache is never used."""

from __future__ import annotations

import pytest

from app.domain.errors import QuestionnaireError
from app.storage import questionnaires, yamlfiles
from app.storage.questionnaires import DEFAULT_QUESTIONNAIRE, load_questionnaire
from app.storage.resources import find_resource


@pytest.fixture
def questionnaire_file(tmp_path):
    """A copy of the default questionnaire, which has a number as a mapping key (scale labels)."""
    path = tmp_path / "q.yaml"
    path.write_text(find_resource("questionnaires", DEFAULT_QUESTIONNAIRE).read_text(encoding="utf-8"),
                    encoding="utf-8")
    return path


def _no_yaml(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("the YAML was parsed")
    monkeypatch.setattr(yamlfiles, "read_yaml", refuse)


def test_a_second_load_reads_the_cache_and_validates_to_the_same(advisor_home, questionnaire_file, monkeypatch):
    first = load_questionnaire(questionnaire_file, cached=True)
    assert questionnaires._cache_path(questionnaire_file).exists()
    _no_yaml(monkeypatch)
    again = load_questionnaire(questionnaire_file, cached=True)
    assert again == first
    labels = again.questions_by_id["pii_and_injection_controls"].scale_labels
    assert labels and all(isinstance(key, int) for key in labels)  # JSON wrote the keys as text


def test_an_edited_file_is_read_again(advisor_home, questionnaire_file):
    load_questionnaire(questionnaire_file, cached=True)
    text = questionnaire_file.read_text(encoding="utf-8")
    questionnaire_file.write_text(text.replace("title: Engagement", "title: Engagement edited", 1), encoding="utf-8")
    assert load_questionnaire(questionnaire_file, cached=True).sections[0].title == "Engagement edited"


def test_a_damaged_cache_falls_back_to_the_file(advisor_home, questionnaire_file):
    expected = load_questionnaire(questionnaire_file, cached=True)
    questionnaires._cache_path(questionnaire_file).write_text('{"key": [', encoding="utf-8")
    assert load_questionnaire(questionnaire_file, cached=True) == expected


def test_an_invalid_file_is_refused_whether_cached_or_not(advisor_home, questionnaire_file):
    load_questionnaire(questionnaire_file, cached=True)
    questionnaire_file.write_text("title: broken\nsections: 3\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError):
        load_questionnaire(questionnaire_file, cached=True)


def test_without_cached_nothing_is_written(advisor_home, questionnaire_file):
    load_questionnaire(questionnaire_file)
    assert not questionnaires._cache_path(questionnaire_file).exists()
