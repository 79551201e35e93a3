import pytest

from app.domain.expressions import ExpressionError, parse_expression


@pytest.mark.parametrize(
    "text, values, expected",
    [
        ("mode == 'requests'", {"mode": "requests"}, True),
        ("mode == 'requests'", {"mode": "tokens"}, False),
        ("mode != 'requests'", {"mode": None}, True),
        ("classes contains 'phi'", {"classes": ["pii", "phi"]}, True),
        ("classes contains 'phi'", {"classes": None}, False),
        ("tier in ['narrow', 'strong']", {"tier": "strong"}, True),
        ("volume >= 50000000 and basis == 'measured'", {"volume": 6e7, "basis": "measured"}, True),
        ("volume >= 50000000 and basis == 'measured'", {"volume": 6e7, "basis": "projected"}, False),
        ("not (a == 1 or b == 2)", {"a": 0, "b": 2}, False),
        ("flag == true", {"flag": True}, True),
        ("x < 3", {"x": None}, False),  # unanswered never satisfies a comparison
        ("x < 3", {"x": "text"}, False),  # type mismatch is false, not an error
    ],
)
def test_conditions_evaluate_as_written(text, values, expected):
    assert parse_expression(text).evaluate(values) is expected


def test_names_lists_the_questions_read():
    assert parse_expression("a == 1 and (b contains 'x' or not c)").names == {"a", "b", "c"}


@pytest.mark.parametrize(
    "text", ["a ==", "__import__('os')", "a == 1 extra", "a.b == 1", "(a == 1", "a = 1", "open('x')"]
)
def test_anything_outside_the_grammar_is_refused(text):
    with pytest.raises(ExpressionError):
        parse_expression(text)
