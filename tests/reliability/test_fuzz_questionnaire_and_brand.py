"""Hostile questionnaire and brand files: one QuestionnaireError / BrandError each (or a valid file),
never another exception, never a change on disk. Logos that are not images, or are enormous, are refused."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.errors import BrandError, QuestionnaireError
from app.storage.brand import MAX_LOGO_SIDE_PX, check_logo, load_brand
from app.storage.questionnaires import load_questionnaire
from tests.reliability.tree_paths import tree_paths

REPO = Path(__file__).resolve().parents[2]
FULL = yaml.safe_load((REPO / "questionnaires" / "llm-deployment.yaml").read_text(encoding="utf-8"))
# The first sections only: the same shapes (anchors, conditions, scores) at a fraction of the parse time.
SMALL = {**FULL, "sections": FULL["sections"][:3]}
BASE = yaml.safe_dump(SMALL, sort_keys=False, allow_unicode=True).encode("utf-8")
FUZZ = settings.get_profile("reliability")


def check_questionnaire(folder: Path, data: bytes, cases, kind: str):
    path = folder / "hostile.yaml"
    path.write_bytes(data)
    before = path.stat().st_mtime_ns
    try:
        outcome = load_questionnaire(path)
    except QuestionnaireError as error:
        assert str(error) and "Traceback" not in str(error)
        outcome = error
    assert path.stat().st_mtime_ns == before and path.read_bytes() == data
    cases[f"questionnaire: {kind}"] += 1
    return outcome


def test_the_base_questionnaire_is_valid(tmp_path, cases):
    assert not isinstance(check_questionnaire(tmp_path, BASE, cases, "valid base"), QuestionnaireError)


@settings(FUZZ, max_examples=60)
@given(cut=st.integers(0, len(BASE) - 1))
def test_truncated_questionnaire(tmp_path, cases, cut):
    check_questionnaire(tmp_path, BASE[:cut], cases, "truncated")


@settings(FUZZ, max_examples=120)
@given(flips=st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 7)), min_size=1, max_size=6))
def test_bit_flipped_questionnaire(tmp_path, cases, flips):
    data = bytearray(BASE)
    for position, bit in flips:
        data[position] ^= 1 << bit
    check_questionnaire(tmp_path, bytes(data), cases, "bit-flipped")



SMALL_PATHS = [p for p in tree_paths(SMALL) if p]
YAML_VALUES = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | \
    st.lists(st.integers(), max_size=3) | st.dictionaries(st.text(max_size=5), st.integers(), max_size=2)


@settings(FUZZ, max_examples=100)
@given(path=st.sampled_from(SMALL_PATHS), value=YAML_VALUES)
def test_wrong_types_in_questionnaire(tmp_path, cases, path, value):
    data = yaml.safe_load(BASE)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    check_questionnaire(tmp_path, yaml.safe_dump(data).encode("utf-8"), cases, "wrong type at any field")


@pytest.mark.parametrize("name, text", [
    ("deeply nested flow", "sections: " + "[" * 50_000 + "]" * 50_000),
    ("deeply nested blocks", "".join("  " * i + "- \n" for i in range(3000))),
    ("billion laughs", "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
        + "id: q\nversion: '1'\ntitle: T\nsections: *i\n"),
    ("python object tag", "!!python/object/apply:os.system ['echo pwned']"),
    ("not a mapping", "- just\n- a list\n"),
    ("empty", ""),
    ("tabs", "id:\tq\n\tversion: 1"),
])
def test_hostile_questionnaire_text(tmp_path, cases, name, text):
    assert isinstance(check_questionnaire(tmp_path, text.encode("utf-8"), cases, "hostile YAML"), QuestionnaireError)


@pytest.mark.parametrize("condition, names_the_question", [
    ("(" * 5_000 + "x" + ")" * 5_000, True),  # "nested too deeply", named by the question that holds it
    ("no_such_question == 'a'", True), ("((( and ==", True), ("a " * 10_000, True)])
def test_questionnaire_conditions_referencing_missing_ids_or_nested_deeply(tmp_path, cases, condition,
                                                                           names_the_question):
    data = yaml.safe_load(BASE)
    data["sections"][1]["questions"][0]["visible_if"] = condition
    outcome = check_questionnaire(tmp_path, yaml.safe_dump(data).encode("utf-8"), cases,
                                  "conditions naming missing ids or nested deeply")
    assert isinstance(outcome, QuestionnaireError)
    assert (data["sections"][1]["questions"][0]["id"] in str(outcome)) is names_the_question


def test_questionnaire_scoring_a_missing_dimension(tmp_path, cases):
    data = yaml.safe_load(BASE)
    data["sections"][1]["questions"][0]["dimensions"] = {"no_such_dimension": 1}
    outcome = check_questionnaire(tmp_path, yaml.safe_dump(data).encode("utf-8"), cases,
                                  "conditions naming missing ids or nested deeply")
    assert isinstance(outcome, QuestionnaireError) and "no_such_dimension" in str(outcome)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "latin-1"])
def test_questionnaire_in_the_wrong_encoding(tmp_path, cases, encoding):
    text = BASE.decode("utf-8").replace("title:", "title: Ünïcødé", 1)
    outcome = check_questionnaire(tmp_path, text.encode(encoding), cases, "wrong encoding")
    assert isinstance(outcome, QuestionnaireError)


def test_a_200_megabyte_questionnaire(tmp_path, cases):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(BASE)
        handle.truncate(200 * 2**20)  # sparse
    with pytest.raises(QuestionnaireError, match="too large"):
        load_questionnaire(path)
    cases["questionnaire: 200 MB file"] += 1


# ------------------------------------------------------------------ brand files and logos

def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    # Whole rows (a filter byte, then RGB) for a small image; a huge one is refused from its header first.
    rows = (b"\x00" + b"\xff\x00\x00" * width) * height if width * height <= 4_000_000 else b"\x00\xff\x00\x00"
    pixels = zlib.compress(rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def check_brand(folder: Path, brand_yaml: bytes, cases, kind: str):
    path = folder / "brand.yaml"
    path.write_bytes(brand_yaml)
    before = path.stat().st_mtime_ns
    try:
        outcome = load_brand(path)
    except BrandError as error:
        assert str(error) and "Traceback" not in str(error)
        outcome = error
    assert path.stat().st_mtime_ns == before and path.read_bytes() == brand_yaml
    cases[f"brand: {kind}"] += 1
    return outcome


BRAND = b"consultancy_name: Acme Advisory\nprimary_colour: '#112233'\nlogo_path: logo.png\n"


@settings(FUZZ, max_examples=150)
@given(flips=st.lists(st.tuples(st.integers(0, len(BRAND) - 1), st.integers(0, 7)), min_size=1, max_size=4))
def test_bit_flipped_brand_file(tmp_path, cases, flips):
    (tmp_path / "logo.png").write_bytes(_png(10, 10))
    data = bytearray(BRAND)
    for position, bit in flips:
        data[position] ^= 1 << bit
    check_brand(tmp_path, bytes(data), cases, "bit-flipped brand file")


@settings(FUZZ, max_examples=100)
@given(field=st.sampled_from(["consultancy_name", "primary_colour", "accent_colour", "font_family", "logo_path",
                              "disclaimer", "confidentiality", "unknown_field"]), value=YAML_VALUES)
def test_wrong_types_in_brand_file(tmp_path, cases, field, value):
    check_brand(tmp_path, yaml.safe_dump({field: value}).encode("utf-8"), cases, "wrong type in brand file")


def _sparse(path: Path, head: bytes, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(size)
    return path


@pytest.mark.parametrize("name, make", [
    ("text file named .png", lambda p: p.write_bytes(b"not an image at all")),
    ("truncated PNG", lambda p: p.write_bytes(_png(10, 10)[:20])),
    ("PNG claiming 100000 x 100000 pixels", lambda p: p.write_bytes(_png(100_000, 100_000))),
    ("PNG of zero pixels", lambda p: p.write_bytes(_png(0, 0))),
    ("200 MB logo", lambda p: _sparse(p, _png(10, 10), 200 * 2**20)),
    ("SVG with an entity bomb", lambda p: p.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<svg>&b;</svg>")),
    ("SVG reading a local file", lambda p: p.write_bytes(
        b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>')),
    ("damaged SVG", lambda p: p.write_bytes(b"<svg><g></svg>")),
    ("HTML, not SVG", lambda p: p.write_bytes(b"<?xml version='1.0'?><html><svg/></html>")),
    ("a folder", lambda p: p.mkdir()),
    ("missing", lambda p: None),
])
def test_logos_that_are_not_usable_images_are_refused(tmp_path, cases, name, make):
    make(tmp_path / "logo.png")
    outcome = check_brand(tmp_path, BRAND, cases, "unusable logo")
    assert isinstance(outcome, BrandError)
    with pytest.raises(BrandError):
        check_logo(tmp_path / "logo.png")


def test_a_good_logo_is_accepted(tmp_path, cases):
    (tmp_path / "logo.png").write_bytes(_png(MAX_LOGO_SIDE_PX, 200))
    assert not isinstance(check_brand(tmp_path, BRAND, cases, "valid logo"), BrandError)
