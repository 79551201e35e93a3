"""Hostile and damaged assessment files. Every case ends in one AssessmentFileError (naming the field
where it can) or in a valid assessment that can be saved again; never another exception, never a change
to the file on disk. The number of cases per kind is printed at the end of the run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.assessment import Assessment
from app.domain.errors import AssessmentFileError
from app.storage.assessment_files import MAX_FILE_BYTES, assessment_to_bytes, load_assessment
from tests.reliability.tree_paths import tree_paths

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bank-low-latency.llmassess"
BASE = EXAMPLE.read_bytes()
BASE_RAW = json.loads(BASE)
VOLUME_QUESTIONS = ("requests_per_day", "input_tokens", "output_tokens", "tokens_per_day")
FUZZ = settings.get_profile("reliability")



ALL_PATHS = [p for p in tree_paths(BASE_RAW) if p]


def _replaced(raw, path, value):
    """A deep copy of raw with the node at path replaced (raw itself is never touched)."""
    copy = json.loads(json.dumps(raw))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copy


def check(folder: Path, data: bytes, cases, kind: str) -> Assessment | AssessmentFileError:
    """Load hostile bytes from a file; the outcome must be clean and the file untouched."""
    path = folder / "hostile.llmassess"
    path.write_bytes(data)
    before = path.stat().st_mtime_ns
    try:
        outcome = load_assessment(path)
        assessment_to_bytes(outcome)  # whatever loads can be saved again (no NaN, no overflow)
    except AssessmentFileError as error:
        message = str(error)
        assert message and "Traceback" not in message and "\n" not in message
        outcome = error
    assert path.stat().st_mtime_ns == before and path.read_bytes() == data
    cases[f"assessment: {kind}"] += 1
    return outcome


@settings(FUZZ, max_examples=150)
@given(cut=st.integers(0, len(BASE) - 2))
def test_truncated(tmp_path, cases, cut):
    assert isinstance(check(tmp_path, BASE[:cut], cases, "truncated"), AssessmentFileError)


@settings(FUZZ, max_examples=300)
@given(flips=st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 7)), min_size=1, max_size=8))
def test_bit_flipped(tmp_path, cases, flips):
    data = bytearray(BASE)
    for position, bit in flips:
        data[position] ^= 1 << bit
    check(tmp_path, bytes(data), cases, "bit-flipped")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8)


@settings(FUZZ, max_examples=300)
@given(path=st.sampled_from(ALL_PATHS), value=JSON_VALUES)
def test_wrong_types_anywhere(tmp_path, cases, path, value):
    check(tmp_path, json.dumps(_replaced(BASE_RAW, path, value)).encode(), cases, "wrong type at any field")


NUMBER_TEXTS = st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", "1e308", "-1e308", "9" * 31,
                                "1" * 5000, "-1", "-0.5", "0", "4.9e-324", "1E+2", "12345678901234567890"])


@settings(FUZZ, max_examples=200)
@given(question=st.sampled_from(VOLUME_QUESTIONS + ("peak_to_average", "ttft_target", "context_tokens")),
       number=NUMBER_TEXTS | st.integers().map(str) | st.floats().map(lambda f: json.dumps(f)))
def test_huge_nan_infinite_and_negative_numbers(tmp_path, cases, question, number):
    raw = _replaced(BASE_RAW, ("workloads", 0, "answers", question), {"value": "__N__"})
    data = json.dumps(raw).replace('"__N__"', number).encode()
    outcome = check(tmp_path, data, cases, "huge / NaN / infinite / negative numbers")
    if isinstance(outcome, Assessment):
        value = outcome.workloads[0].answers[question].value
        assert abs(value) < 1e300 and (question not in VOLUME_QUESTIONS or value >= 0)
    elif "must be at least" in str(outcome) or "must be at most" in str(outcome):
        assert outcome.field == f"workloads.0.{question}"


@pytest.mark.parametrize("depth", [10, 100, 1_000, 10_000, 100_000, 1_000_000])
@pytest.mark.parametrize("where", [(), ("catalog_snapshot",), ("organisation_answers", "industry", "value"),
                                   ("questionnaire", "sections", 0)])
def test_deeply_nested_json(tmp_path, cases, depth, where):
    nested = "[" * depth + "]" * depth
    raw = _replaced(BASE_RAW, where, "__NEST__") if where else "__NEST__"
    data = json.dumps(raw).replace('"__NEST__"', nested).encode()
    check(tmp_path, data, cases, "deeply nested JSON")


def test_a_200_megabyte_file(tmp_path, cases):
    path = tmp_path / "huge.llmassess"
    with path.open("wb") as handle:  # sparse: created instantly, takes no disk
        handle.write(BASE[:-2])
        handle.seek(200 * 2**20)
        handle.write(b"}\n")
    with pytest.raises(AssessmentFileError, match="too large to be an assessment .200 MB"):
        load_assessment(path)
    cases["assessment: 200 MB file"] += 1


def test_a_file_just_under_the_size_limit(tmp_path, cases):
    raw = _replaced(BASE_RAW, ("title",), "x" * (MAX_FILE_BYTES - len(BASE) - 1000))
    outcome = check(tmp_path, json.dumps(raw).encode(), cases, "45-50 MB file")
    assert isinstance(outcome, AssessmentFileError) and outcome.field == "title"


@pytest.mark.parametrize("encoding, client", [("utf-16", "Hårbøur Bänk"), ("utf-16-be", "Hårbøur Bänk"),
                                              ("utf-32", "Hårbøur Bänk"), ("cp1252", "Hårbøur Bänk €"),
                                              ("latin-1", "Hårbøur Bänk"), ("shift_jis", "ハーバー銀行")])
def test_wrong_encoding(tmp_path, cases, encoding, client):
    data = BASE.decode("utf-8").replace("Harbour Bank", client).encode(encoding)
    assert isinstance(check(tmp_path, data, cases, "wrong encoding"), AssessmentFileError)


@settings(FUZZ, max_examples=100)
@given(data=st.binary(max_size=4096))
def test_random_bytes(tmp_path, cases, data):
    assert isinstance(check(tmp_path, data, cases, "random bytes"), AssessmentFileError)


QUESTION = ("questionnaire", "sections", 1, "questions", 0)  # the first question of the second section
SECTIONS = BASE_RAW["questionnaire"]["sections"]
BROKEN_REFERENCES = [
    ("visible_if names a missing question", QUESTION + ("visible_if",), "no_such_question == 'yes'"),
    ("visible_if names a later question", QUESTION + ("visible_if",), f"{SECTIONS[3]['questions'][0]['id']} == 'yes'"),
    ("malformed visible_if", QUESTION + ("visible_if",), "((( and =="),
    ("scores a missing dimension", QUESTION + ("dimensions",), {"no_such_dimension": 1.0}),
    ("question id used twice", QUESTION[:-1] + (1, "id"), SECTIONS[1]["questions"][0]["id"]),
    ("answers a missing question", ("organisation_answers", "no_such_question"), {"value": 1}),
    ("workload answers a missing question", ("workloads", 0, "answers", "no_such_question"), {"value": 1}),
    ("answers a missing option", ("organisation_answers", "industry"), {"value": "no_such_option"}),
]


@pytest.mark.parametrize("name, path, value", BROKEN_REFERENCES, ids=[case[0] for case in BROKEN_REFERENCES])
def test_questionnaire_referencing_missing_ids(tmp_path, cases, name, path, value):
    outcome = check(tmp_path, json.dumps(_replaced(BASE_RAW, path, value)).encode(), cases,
                    "embedded questionnaire with broken references")
    assert isinstance(outcome, AssessmentFileError)
    assert outcome.field is not None


@pytest.mark.parametrize("depth", [100, 5_000, 100_000])
def test_a_deeply_nested_condition(tmp_path, cases, depth):
    condition = "(" * depth + "x" + ")" * depth
    raw = _replaced(BASE_RAW, QUESTION + ("visible_if",), condition)
    outcome = check(tmp_path, json.dumps(raw).encode(), cases, "embedded questionnaire with broken references")
    assert isinstance(outcome, AssessmentFileError)
