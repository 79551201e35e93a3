"""Bounded work on hostile input, through the real command line: each case ends in exit 0, or in exit 2
with exactly one stderr line `llm-advisor COMMAND: ...` of bounded length, and never runs past the 10 s
the issue allows (the subprocess is stopped there, and that fails the case). The cases are the ones
outside harnesses found: quadratic conditions, huge labels, logos that are devices, pipes, loops or
giant images, a brand file of a million keys, hostile scrypt headers, duplicate keys, deep nesting."""

from __future__ import annotations

import base64
import json
import os
import struct
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest

from app.domain.expressions import NESTED_TOO_DEEPLY, ExpressionError, parse_expression
from app.storage.assessment_files import assessment_to_bytes, load_assessment
from app.storage.crypto import MAGIC_LINE

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "midsize-general-api.llmassess"
LIMIT_S = 10
MAX_LINE = 500  # the CLI quotes at most 400 characters of a message
pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="devices and FIFOs are POSIX")]


def run_cli(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "LLM_ADVISOR_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=LIMIT_S,
                          env=env, cwd=REPO, stdin=subprocess.DEVNULL)


def assert_clean(result: subprocess.CompletedProcess, command: str, *, says: str = "") -> None:
    assert result.returncode in (0, 2), result.stderr[-2000:]
    if result.returncode == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"llm-advisor {command}: "), result.stderr[-2000:]
        assert len(lines[0]) <= MAX_LINE and says in lines[0]


def raw_example() -> dict:
    return json.loads(assessment_to_bytes(load_assessment(EXAMPLE)))


def write_raw(folder: Path, raw: dict, name: str = "hostile.llmassess") -> Path:
    path = folder / name
    path.write_text(json.dumps(raw))
    return path


def first_question(raw: dict) -> dict:
    return raw["questionnaire"]["sections"][1]["questions"][0]


@pytest.mark.parametrize("kind, make", [
    ("1 MB visible_if", lambda q: q.update(visible_if="a " * 500_000)),
    ("975 nested nots", lambda q: q.update(visible_if="not " * 975 + "x")),
    ("100,000-character label", lambda q: q.update(label="L" * 100_000)),
    ("2 MB help text", lambda q: q.update(help="h" * 2_000_000)),
    ("100,000 options", lambda q: q.update(options=[{"value": f"o{i}", "label": "x"} for i in range(100_000)])),
])
def test_a_hostile_embedded_questionnaire_is_refused_in_one_short_line(tmp_path, cases, kind, make):
    raw = raw_example()
    make(first_question(raw))
    path = write_raw(tmp_path, raw)
    for command in ("validate", "evaluate"):
        result = run_cli(command, str(path), home=tmp_path / "home")
        assert result.returncode == 2
        assert_clean(result, command)
        assert "a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a" not in result.stderr
    cases[f"hostile CLI: {kind}"] += 1


def test_one_nesting_limit_on_every_thread_with_one_message(cases):
    """975 nested `not`s passed the CLI while the GUI thread refused them: one constant now decides."""
    messages = []

    def parse() -> None:
        try:
            parse_expression("not " * 975 + "x")
        except ExpressionError as error:
            messages.append(str(error))

    worker = threading.Thread(target=parse)
    worker.start()
    worker.join()
    parse()
    assert messages == [NESTED_TOO_DEEPLY, NESTED_TOO_DEEPLY]
    parse_expression("not " * 90 + "x")  # within the limit on any thread
    cases["hostile CLI: nesting limit shared by threads"] += 1


def test_duplicate_keys_are_refused(tmp_path, cases):
    raw = raw_example()
    key = f'"format_version": {raw["format_version"]}'
    text = json.dumps(raw).replace(key, f'"format_version": 99, {key}', 1)
    assert text.count('"format_version"') == 2
    path = tmp_path / "twice.llmassess"
    path.write_text(text)
    result = run_cli("validate", str(path), home=tmp_path / "home")
    assert result.returncode == 2
    assert_clean(result, "validate", says="appears twice")
    cases["hostile CLI: duplicate JSON keys"] += 1


def test_a_lone_surrogate_is_refused_at_load(tmp_path, cases):
    raw = raw_example()
    raw["title"] = "PLACEHOLDER"
    path = tmp_path / "surrogate.llmassess"
    path.write_text(json.dumps(raw).replace("PLACEHOLDER", "\\udc80"))
    result = run_cli("validate", str(path), home=tmp_path / "home")
    assert result.returncode == 2
    assert_clean(result, "validate", says="not valid Unicode")
    cases["hostile CLI: lone surrogate"] += 1


def _envelope(n: int, r: int, p: int) -> bytes:
    header = {"envelope": 1, "kdf": {"name": "scrypt", "n": n, "r": r, "p": p,
                                     "salt": base64.b64encode(b"s" * 16).decode()},
              "cipher": {"name": "AES-256-GCM", "nonce": base64.b64encode(b"n" * 12).decode()}}
    return MAGIC_LINE + json.dumps(header, separators=(", ", ": ")).encode() + b"\n" + b"\0" * 64


@pytest.mark.parametrize("n, r, p", [(2**17, 1, 16), (2**17, 8, 2), (2**16, 8, 4), (2**15, 64, 1)])
def test_hostile_scrypt_headers_are_refused_before_deriving(tmp_path, cases, n, r, p):
    path = tmp_path / "sealed.llmassess"
    path.write_bytes(_envelope(n, r, p))
    password = tmp_path / "password.txt"
    password.write_text("guess\n")
    result = run_cli("validate", str(path), "--password-file", str(password), home=tmp_path / "home")
    assert result.returncode == 2
    assert_clean(result, "validate", says="encryption header")
    cases["hostile CLI: scrypt header"] += 1


def _png(width: int, height: int, damaged: bool = False) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = zlib.compress((b"\x00" + b"\x10\x20\x30" * width) * height)
    if damaged:
        rows = rows[:len(rows) // 2] + b"\xde\xad" * 8 + rows[len(rows) // 2:]
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


def _logo_cases(folder: Path) -> dict[str, str]:
    fifo = folder / "pipe.png"
    os.mkfifo(fifo)
    loop = folder / "loop.png"
    loop.symlink_to(loop)
    (folder / "giant.png").write_bytes(_png(8000, 8000))
    (folder / "damaged.png").write_bytes(_png(64, 64, damaged=True))
    segments = " ".join(f"L{i % 97} {i % 89}" for i in range(900_000))
    (folder / "segments.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                                         f'<path d="M0 0 {segments}"/></svg>')
    return {"/dev/zero": "/dev/zero", "/dev/urandom": "/dev/urandom", "a FIFO": str(fifo), "a symlink loop": str(loop),
            "8000x8000 PNG": str(folder / "giant.png"), "damaged PNG": str(folder / "damaged.png"),
            "SVG of 900,000 segments": str(folder / "segments.svg"), "name with NUL": "logo\\0.png"}


def test_hostile_logos_end_the_report_in_one_line(tmp_path, cases):
    logos = _logo_cases(tmp_path)
    for kind, logo in logos.items():
        brand = tmp_path / f"brand-{len(kind)}.yaml"
        quoted = json.dumps(logo).replace("\\\\0", "\\0")  # YAML's double-quoted \0 is a NUL character
        brand.write_text(f"consultancy_name: Acme\nlogo_path: {quoted}\n")
        result = run_cli("report", str(EXAMPLE), "-o", str(tmp_path / "out.pdf"), "--brand", str(brand),
                         home=tmp_path / "home")
        assert result.returncode == 2, kind
        assert_clean(result, "report")
        assert not (tmp_path / "out.pdf").exists()
        cases[f"hostile CLI: logo {kind}"] += 1


def test_a_brand_file_of_a_million_keys_is_refused_from_its_size(tmp_path, cases):
    brand = tmp_path / "brand.yaml"
    brand.write_text("consultancy_name: Acme\n" + "".join(f"k{i}: {i}\n" for i in range(1_000_000)))
    result = run_cli("report", str(EXAMPLE), "-o", str(tmp_path / "out.pdf"), "--brand", str(brand),
                     home=tmp_path / "home")
    assert result.returncode == 2
    assert_clean(result, "report", says="too large")
    cases["hostile CLI: brand.yaml with 10^6 keys"] += 1


def test_many_long_texts_are_refused_by_their_total(tmp_path, cases):
    """Each text within its own cap, together far more than a report should lay out (this took minutes)."""
    raw = raw_example()
    for section in raw["questionnaire"]["sections"]:
        for question in section["questions"]:
            question.update(label="L " * 999, help="h " * 999, guidance="g " * 999)
    result = run_cli("report", str(write_raw(tmp_path, raw)), "-o", str(tmp_path / "out.pdf"), home=tmp_path / "home")
    assert result.returncode == 2
    assert_clean(result, "report", says="characters of text in all")
    cases["hostile CLI: 2,000-character texts everywhere"] += 1
