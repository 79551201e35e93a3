import math

import pytest
from pydantic import ValidationError

from app.domain.assessment import Answer, AnswerStatus
from app.domain.validation import answer_problem


def test_numbers_are_range_checked_in_plain_words(default_questionnaire):
    requests = default_questionnaire.questions_by_id["requests_per_day"]
    assert answer_problem(requests, Answer(value=-5)) == "must be at least 0 requests/day"
    assert answer_problem(requests, Answer(value="lots")) == "must be a number"
    assert answer_problem(requests, Answer(value=1200)) is None


def test_integer_choice_and_date_answers(default_questionnaire):
    questions = default_questionnaire.questions_by_id
    assert answer_problem(questions["measured_days"], Answer(value=2.5)) == "must be a whole number"
    assert answer_problem(questions["industry"], Answer(value="pirates")) == "must be one of the offered choices"
    assert "not offered" in answer_problem(questions["data_classes"], Answer(value=["phi", "ufo"]))
    assert answer_problem(questions["assessment_date"], Answer(value="27/11/2026")) == "must be a date (YYYY-MM-DD)"


def test_unknown_only_where_the_question_allows_it(default_questionnaire):
    questions = default_questionnaire.questions_by_id
    assert answer_problem(questions["industry"], Answer(status=AnswerStatus.UNKNOWN)) == "does not accept 'Unknown'"
    assert answer_problem(questions["ml_engineering"], Answer(status=AnswerStatus.UNKNOWN)) is None


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_answers_never_hold_nan_or_infinity(bad):
    with pytest.raises(ValidationError) as error:
        Answer(value=bad)
    assert "finite" in str(error.value)


def test_answer_errors_do_not_echo_client_data():
    with pytest.raises(ValidationError) as error:
        Answer(value={"secret": "Patient Jane Doe"})
    assert "Jane Doe" not in str(error.value)


@pytest.mark.parametrize("impossible", ["2025-02-30", "2025-13-45", "2025-00-10", "20250210"])
def test_dates_that_do_not_exist_are_refused_at_entry(default_questionnaire, impossible):
    question = default_questionnaire.questions_by_id["assessment_date"]
    assert answer_problem(question, Answer(value=impossible)) == "must be a date (YYYY-MM-DD)"
    assert answer_problem(question, Answer(value="2024-02-29")) is None
