"""Reading usage exports: each documented format, written here in the provider's published shape
(tests/fixtures/usage), gives the token counts worked out by hand; damaged files give one clear line."""

from __future__ import annotations

import gzip
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.usage import UsageExportError
from app.storage import usage_exports
from app.storage.usage_exports import read_usage_exports

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "usage"


def _rows(buckets):
    return [(b.start, b.width_seconds, r.model, r.input_tokens, r.output_tokens, r.cached_input_tokens, r.requests)
            for b in buckets for r in b.rows]


def test_openai_page_reads_input_as_given_and_counts_empty_buckets():
    buckets = read_usage_exports([FIXTURES / "openai_completions_1d.json"])
    assert len(buckets) == 3 and buckets[2].rows == ()  # the empty day still counts as covered
    day1 = datetime(2026, 9, 1, tzinfo=timezone.utc)
    assert _rows(buckets)[0] == (day1, 86400, "gpt-4o-2024-08-06", 1000, 500, 400, 10)


def test_anthropic_input_adds_cache_reads_and_every_cache_write():
    buckets = read_usage_exports([FIXTURES / "anthropic_messages_1h.json"])
    rows = _rows(buckets)
    # 100 uncached + 300 cache read + 50 (5 min) + 50 (1 h) written; no request counts in this report.
    assert rows[0][1:] == (3600, "claude-sonnet-4-20250514", 500, 200, 300, None)
    assert [r[3] for r in rows] == [500, 100, 1000]


def test_anthropic_flat_cache_creation_fields_are_counted_too(tmp_path):
    page = {"data": [{"starting_at": "2026-09-01T00:00:00Z", "ending_at": "2026-09-02T00:00:00Z",
                      "results": [{"model": "claude-x", "uncached_input_tokens": 10, "cache_read_input_tokens": 5,
                                   "cache_creation_5m_input_tokens": 3, "cache_creation_1h_input_tokens": 2,
                                   "output_tokens": 1}]}], "has_more": False, "next_page": None}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(page))
    assert _rows(read_usage_exports([path]))[0][3:6] == (20, 1, 5)


def test_bedrock_records_are_requests_in_their_hour():
    buckets = read_usage_exports([FIXTURES / "bedrock_invocations.jsonl"])
    rows = _rows(buckets)
    hour = datetime(2026, 9, 1, 10, tzinfo=timezone.utc)
    assert rows[0] == (hour, 3600, "anthropic.claude-3-haiku-20240307-v1:0", 35, 446, 0, 1)
    assert rows[1] == (hour, 3600, "anthropic.claude-3-haiku-20240307-v1:0", 150, 50, 50, 1)


def test_csv_days_and_optional_columns():
    rows = _rows(read_usage_exports([FIXTURES / "generic.csv"]))
    assert rows[0] == (datetime(2026, 9, 1, tzinfo=timezone.utc), 86400, "support-bot", 1000, 100, 100, 10)
    assert rows[1][5:] == (0, 20)  # an empty cached cell is zero


def test_csv_timestamps_go_into_their_hour(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("timestamp,model,input_tokens,output_tokens\n2026-09-01T13:45:00+02:00,m,5,6\n")
    assert _rows(read_usage_exports([path]))[0] == (datetime(2026, 9, 1, 11, tzinfo=timezone.utc), 3600, "m", 5, 6,
                                                     0, None)


def test_json_lines_and_gzip(tmp_path):
    page = json.loads((FIXTURES / "openai_completions_1d.json").read_text())
    lines = tmp_path / "pages.jsonl.gz"
    lines.write_bytes(gzip.compress((json.dumps(page) + "\n" + json.dumps(page) + "\n").encode()))
    assert len(read_usage_exports([lines])) == 6


def test_several_files_at_once():
    buckets = read_usage_exports([FIXTURES / "openai_completions_1d.json", FIXTURES / "generic.csv"])
    assert {r[2] for r in _rows(buckets)} == {"gpt-4o-2024-08-06", "gpt-4o-mini-2024-07-18", "support-bot"}


@pytest.mark.parametrize("content, problem", [
    ("{not json", "not valid JSON"),
    ('{"data": [{"start_time": 1, "end_time": 0, "results": []}]}', "ends before it starts"),
    ('{"object": "page", "data": [{"start_time": 0, "end_time": 60, "results": [{"model": "m", "output_tokens": 1}]}]}',
     "'input_tokens' must be a whole non-negative number"),
    ('{"object": "page", "data": [{"start_time": 0, "end_time": 60, "results": [{"model": "m", "input_tokens": -1, "output_tokens": 1}]}]}',
     "'input_tokens' must be"),
    ('{"hello": 1}', "not a usage export"),
    ("[1, 2]", "expected JSON objects"),
    ("day,model\n", "CSV header lacks input_tokens, output_tokens, date or timestamp"),
    ("date,model,input_tokens,output_tokens\n2026-13-01,m,1,1\n", "not an RFC 3339 time"),
    ("date,model,input_tokens,output_tokens\n2026-09-01,m,lots,1\n", "line 2: 'input_tokens' is not a number"),
    ("", "empty"),
    ("[" * 100 + "]" * 100, "nested deeper than 64"),
])
def test_damaged_files_give_one_line_naming_the_file(tmp_path, content, problem):
    path = tmp_path / "export.json"
    path.write_text(content)
    with pytest.raises(UsageExportError) as caught:
        read_usage_exports([path])
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path)) and problem in message


def test_bounds_on_size_count_and_records(tmp_path, monkeypatch):
    path = tmp_path / "u.csv"
    path.write_text("date,model,input_tokens,output_tokens\n" + "2026-09-01,m,1,1\n" * 20)
    monkeypatch.setattr(usage_exports, "MAX_RECORDS", 10)
    with pytest.raises(UsageExportError, match="more than 10 usage records"):
        read_usage_exports([path])
    monkeypatch.setattr(usage_exports, "MAX_EXPORT_BYTES", 100)
    with pytest.raises(UsageExportError, match="larger than"):
        read_usage_exports([path])
    with pytest.raises(UsageExportError, match="too many export files"):
        read_usage_exports([path] * (usage_exports.MAX_EXPORT_FILES + 1))
    with pytest.raises(UsageExportError, match="cannot read"):
        read_usage_exports([tmp_path / "missing.json"])

_json = st.recursive(st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True) |
                     st.text(max_size=12), lambda inner: st.lists(inner, max_size=4) |
                     st.dictionaries(st.sampled_from(["object", "data", "results", "start_time", "end_time",
                                                      "starting_at", "ending_at", "model", "input_tokens",
                                                      "output_tokens", "modelId", "timestamp", "input", "output",
                                                      "inputTokenCount", "cache_creation", "x"]), inner, max_size=6),
                     max_leaves=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=_json)
def test_any_json_is_read_or_refused_with_one_line(tmp_path, document):
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(document))
    try:
        read_usage_exports([path])
    except UsageExportError as error:
        assert "\n" not in str(error) and str(error).startswith(str(path))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet="date,model,input_tokens,output_tokens,requests\n0123456789-:T.x ", max_size=200))
def test_any_csv_is_read_or_refused_with_one_line(tmp_path, text):
    path = tmp_path / "fuzz.csv"
    path.write_text("date,model,input_tokens,output_tokens\n" + text)
    try:
        read_usage_exports([path])
    except UsageExportError as error:
        assert "\n" not in str(error)
