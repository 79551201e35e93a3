"""Read provider usage exports into usage buckets (app/domain/usage.py). The files come from a client and
are untrusted: each is bounded in size, nesting and record count, parsed as plain JSON or CSV only, and any
problem is one line naming the file. Which fields are read, per format: docs/usage-exports.md."""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from app.domain.usage import UsageBucket, UsageExportError, UsageRow

MAX_EXPORT_BYTES = 64 * 1024 * 1024  # after decompression: a year of hourly buckets for 100 models is ~30 MiB
MAX_EXPORT_FILES = 200
MAX_RECORDS = 2_000_000  # buckets and rows together, over all files
MAX_JSON_DEPTH = 64  # Bedrock records carry the request body; provider pages themselves nest 5 deep
HOUR_SECONDS, DAY_SECONDS = 3600, 86400
UNSPECIFIED_MODEL = "(unspecified)"  # an export not grouped by model has `"model": null`


class _Budget:
    """Counts records over all files, so many small files cannot add up to an unbounded load."""

    def __init__(self) -> None:
        self.records = 0

    def take(self, count: int = 1) -> None:
        self.records += count
        if self.records > MAX_RECORDS:
            raise ValueError(f"more than {MAX_RECORDS:,} usage records")


def _read_text(path: Path) -> str:
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(2)
            handle.seek(0)
            stream = gzip.GzipFile(fileobj=handle) if head == b"\x1f\x8b" else handle
            data = stream.read(MAX_EXPORT_BYTES + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise ValueError(f"cannot read ({getattr(error, 'strerror', None) or error})") from None
    if len(data) > MAX_EXPORT_BYTES:
        raise ValueError(f"larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError("not UTF-8 text") from None


def _depth(value: Any) -> int:
    deepest, pending = 0, [(value, 1)]
    while pending:
        node, level = pending.pop()
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            break
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        pending.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _json_documents(text: str) -> list[Any]:
    """One page, a JSON array of pages, or JSON lines of pages."""
    try:
        documents = [json.loads(text)]
    except json.JSONDecodeError as error:
        if "Extra data" not in error.msg:
            raise ValueError(f"not valid JSON (line {error.lineno}: {error.msg})") from None
        documents = []
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    documents.append(json.loads(line))
                except json.JSONDecodeError as line_error:
                    raise ValueError(f"line {number} is not valid JSON ({line_error.msg})") from None
    if len(documents) == 1 and isinstance(documents[0], list):
        documents = documents[0]
    for document in documents:
        if _depth(document) > MAX_JSON_DEPTH:
            raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        if not isinstance(document, dict):
            raise ValueError("expected JSON objects (usage pages or log records)")
    return documents


def _count(record: dict, key: str, *, required: bool = True) -> int:
    value = record.get(key)
    if value is None and not required:
        return 0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value != int(value):
        raise ValueError(f"'{key}' must be a whole non-negative number, not {type(value).__name__}")
    return int(value)


def _model(record: dict, key: str = "model") -> str:
    value = record.get(key)
    if value is None:
        return UNSPECIFIED_MODEL
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise ValueError(f"'{key}' must be a model name")
    return value


def _timestamp(value: Any, key: str) -> datetime:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{key}' is not an RFC 3339 time: {value[:40]!r}") from None
        return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)
    raise ValueError(f"'{key}' must be a time")


def _bucket(start: datetime, end: datetime, rows: list[UsageRow]) -> UsageBucket:
    width = int((end - start).total_seconds())
    if width <= 0:
        raise ValueError(f"a bucket ends before it starts ({start.isoformat()})")
    return UsageBucket(start=start, width_seconds=width, rows=tuple(rows))


def _results(bucket: dict, budget: _Budget) -> list[dict]:
    results = bucket.get("results", [])
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise ValueError("'results' must be a list of objects")
    budget.take(1 + len(results))
    return results


def _openai_row(result: dict) -> UsageRow:
    # input_tokens already includes input_cached_tokens (OpenAI usage API reference).
    return UsageRow(model=_model(result), input_tokens=_count(result, "input_tokens"),
                    output_tokens=_count(result, "output_tokens"),
                    cached_input_tokens=_count(result, "input_cached_tokens", required=False),
                    requests=_count(result, "num_model_requests") if "num_model_requests" in result else None)


def _anthropic_row(result: dict) -> UsageRow:
    # Input is uncached + cache reads + every cache write (5-minute and 1-hour); cached is the cache reads.
    creation = result.get("cache_creation") or {}
    if not isinstance(creation, dict):
        raise ValueError("'cache_creation' must be an object")
    written = sum(_count(creation, key) for key in creation)
    written += sum(_count(result, key) for key in result if key.startswith("cache_creation_"))
    cached = _count(result, "cache_read_input_tokens", required=False)
    return UsageRow(model=_model(result), input_tokens=_count(result, "uncached_input_tokens") + cached + written,
                    output_tokens=_count(result, "output_tokens"), cached_input_tokens=cached, requests=None)


def _paged(page: dict, budget: _Budget, start_key: str, end_key: str,
           row: Callable[[dict], UsageRow]) -> Iterator[UsageBucket]:
    data = page.get("data")
    if not isinstance(data, list):
        raise ValueError("a usage page needs a 'data' list of buckets")
    for bucket in data:
        if not isinstance(bucket, dict):
            raise ValueError("each bucket must be an object")
        rows = [row(r) for r in _results(bucket, budget)]
        yield _bucket(_timestamp(bucket.get(start_key), start_key), _timestamp(bucket.get(end_key), end_key), rows)


def _bedrock_bucket(record: dict, budget: _Budget) -> UsageBucket:
    """One Bedrock model invocation log record is one request; it goes into the hour it happened in."""
    budget.take()
    inputs, outputs = record.get("input") or {}, record.get("output") or {}
    if not isinstance(inputs, dict) or not isinstance(outputs, dict):
        raise ValueError("'input' and 'output' must be objects")
    cached = _count(inputs, "cacheReadInputTokenCount", required=False)
    written = _count(inputs, "cacheWriteInputTokenCount", required=False)
    row = UsageRow(model=_model(record, "modelId"), input_tokens=_count(inputs, "inputTokenCount") + cached + written,
                   output_tokens=_count(outputs, "outputTokenCount", required=False), cached_input_tokens=cached,
                   requests=1)
    moment = _timestamp(record.get("timestamp"), "timestamp")
    start = moment.replace(minute=0, second=0, microsecond=0)
    return UsageBucket(start=start, width_seconds=HOUR_SECONDS, rows=(row,))


def _format_of(document: dict) -> str:
    if document.get("schemaType") == "ModelInvocationLog" or "modelId" in document:
        return "bedrock"
    data = document.get("data")
    first = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
    if "start_time" in first or document.get("object") == "page":
        return "openai"
    if "starting_at" in first:
        return "anthropic"
    if isinstance(data, list) and not data:
        return "empty"
    raise ValueError("not a usage export this app reads (OpenAI usage page, Anthropic usage report, "
                     "Bedrock invocation log or CSV; see docs/usage-exports.md)")


def _json_buckets(text: str, budget: _Budget) -> Iterator[UsageBucket]:
    for document in _json_documents(text):
        kind = _format_of(document)
        if kind == "openai":
            yield from _paged(document, budget, "start_time", "end_time", _openai_row)
        elif kind == "anthropic":
            yield from _paged(document, budget, "starting_at", "ending_at", _anthropic_row)
        elif kind == "bedrock":
            yield _bedrock_bucket(document, budget)


CSV_REQUIRED = ("model", "input_tokens", "output_tokens")


def _csv_count(row: dict, key: str, line: int) -> int | None:
    cell = (row.get(key) or "").strip().replace(",", "")
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"line {line}: '{key}' is not a number") from None
    if not math.isfinite(value) or value < 0 or value != int(value):
        raise ValueError(f"line {line}: '{key}' must be a whole non-negative number")
    return int(value)


def _csv_buckets(text: str, budget: _Budget) -> Iterator[UsageBucket]:
    """date (a day bucket) or timestamp (its hour), model, input_tokens (cached included), output_tokens,
    and optionally cached_input_tokens and requests."""
    reader = csv.DictReader(io.StringIO(text))
    header = {name.strip().lower(): name for name in reader.fieldnames or []}
    time_key = "date" if "date" in header else "timestamp" if "timestamp" in header else None
    missing = [k for k in CSV_REQUIRED if k not in header] + ([] if time_key else ["date or timestamp"])
    if missing:
        raise ValueError(f"CSV header lacks {', '.join(missing)}")
    for line, raw in enumerate(reader, 2):
        budget.take()
        row = {key: raw.get(original) for key, original in header.items()}
        moment = _timestamp(row.get(time_key), time_key)
        width = DAY_SECONDS if time_key == "date" else HOUR_SECONDS
        start = moment.replace(hour=0 if width == DAY_SECONDS else moment.hour, minute=0, second=0, microsecond=0)
        requests = _csv_count(row, "requests", line) if "requests" in header else None
        usage = UsageRow(model=_model({"model": (row.get("model") or "").strip() or None}),
                         input_tokens=_csv_count(row, "input_tokens", line) or 0,
                         output_tokens=_csv_count(row, "output_tokens", line) or 0,
                         cached_input_tokens=_csv_count(row, "cached_input_tokens", line) or 0, requests=requests)
        yield UsageBucket(start=start, width_seconds=width, rows=(usage,))


def _one_file(path: Path, budget: _Budget) -> list[UsageBucket]:
    text = _read_text(path)
    stripped = text.lstrip()
    if not stripped:
        raise ValueError("the file is empty")
    buckets = _json_buckets(text, budget) if stripped[0] in "{[" else _csv_buckets(text, budget)
    return list(buckets)


def read_usage_exports(paths: Iterable[Path]) -> list[UsageBucket]:
    """Every bucket of every file. UsageExportError names the first file that cannot be read and why."""
    paths = [Path(p) for p in paths]
    if not paths:
        raise UsageExportError("no usage export given")
    if len(paths) > MAX_EXPORT_FILES:
        raise UsageExportError(f"too many export files ({len(paths)}; at most {MAX_EXPORT_FILES})")
    budget, buckets = _Budget(), []
    for path in paths:
        try:
            buckets.extend(_one_file(path, budget))
        except ValidationError as error:
            problem = error.errors()[0]
            raise UsageExportError(f"{path}: {'.'.join(map(str, problem['loc']))}: {problem['msg']}") from None
        except (ValueError, RecursionError, OverflowError, OSError) as error:
            raise UsageExportError(f"{path}: {_one_line(error)}") from None
    if not buckets:
        raise UsageExportError(f"{paths[0]}: the export holds no usage buckets")
    return buckets


def _one_line(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return " ".join(str(error).split()) or type(error).__name__
