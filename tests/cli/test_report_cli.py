"""`llm-advisor report`: the contract consultants script against."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pypdf import PdfReader

from app.cli import main

REPO_ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "examples" / "bank-low-latency.llmassess"


def test_writes_the_report(tmp_path, capsys, advisor_home):
    out = tmp_path / "out.pdf"
    assert main(["report", str(EXAMPLE), "-o", str(out)]) == 0
    assert f"wrote {out}" in capsys.readouterr().out
    reader = PdfReader(out)
    assert "Harbour Bank plc" in reader.pages[0].extract_text()
    assert "DRAFT" not in reader.pages[0].extract_text()


def test_draft_and_brand(tmp_path, advisor_home):
    brand = tmp_path / "brand.yaml"
    brand.write_text("consultancy_name: Northwind Advisory\naccent_colour: '#FF6600'\n", encoding="utf-8")
    out = tmp_path / "draft.pdf"
    assert main(["report", str(EXAMPLE), "-o", str(out), "--brand", str(brand), "--draft"]) == 0
    first = PdfReader(out).pages[0].extract_text()
    assert "DRAFT" in first and "Northwind Advisory" in first


def test_encrypt_with_password_file(tmp_path, capsys, advisor_home):
    password_file = tmp_path / "pw.txt"
    password_file.write_text("s3cret phrase\n", encoding="utf-8")
    out = tmp_path / "secret.pdf"
    assert main(["report", str(EXAMPLE), "-o", str(out), "--encrypt", "--password-file", str(password_file)]) == 0
    assert "AES-256" in capsys.readouterr().out
    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt("s3cret phrase")


def test_encrypt_without_terminal_or_file_exits_2_and_writes_nothing(tmp_path, capsys, monkeypatch, advisor_home):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    out = tmp_path / "secret.pdf"
    assert main(["report", str(EXAMPLE), "-o", str(out), "--encrypt"]) == 2
    err = capsys.readouterr().err
    assert "--password-file" in err and "Traceback" not in err
    assert not out.exists()


def test_encrypt_asks_twice_at_a_terminal(tmp_path, monkeypatch, advisor_home):
    answers = iter(["typed pass", "typed pass"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    out = tmp_path / "secret.pdf"
    assert main(["report", str(EXAMPLE), "-o", str(out), "--encrypt"]) == 0
    assert PdfReader(out).decrypt("typed pass")


def test_mismatched_passwords_exit_2(tmp_path, monkeypatch, capsys, advisor_home):
    answers = iter(["one", "two"])
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["report", str(EXAMPLE), "-o", str(tmp_path / "x.pdf"), "--encrypt"]) == 2
    assert "differ" in capsys.readouterr().err


def test_no_password_option_on_the_command_line():
    result = subprocess.run([sys.executable, "-m", "app", "report", "--help"], cwd=REPO_ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0
    assert "--password-file" in result.stdout and "--password " not in result.stdout


@pytest.mark.parametrize("args, message", [
    (["--brand", "missing.yaml"], "brand file"),
    (["-o", "/proc/nope/x.pdf"], "cannot write"),
])
def test_bad_inputs_exit_2_with_one_message(tmp_path, capsys, advisor_home, args, message):
    argv = ["report", str(EXAMPLE), "-o", str(tmp_path / "x.pdf"), *args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_damaged_assessment_exits_2(tmp_path, capsys, advisor_home):
    bad = tmp_path / "bad.llmassess"
    bad.write_text("{ not json")
    assert main(["report", str(bad), "-o", str(tmp_path / "x.pdf")]) == 2
    assert "damaged" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_other_commands_and_the_cli_do_not_import_reportlab():
    code = ("import sys\nfrom app.cli import main\nimport app.report\n"
            "main(['validate', 'examples/bank-low-latency.llmassess'])\n"
            "loaded = [m for m in sys.modules if m.startswith(('reportlab', 'jinja2', 'pypdf'))]\n"
            "assert not loaded, loaded\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
