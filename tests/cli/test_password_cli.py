"""Encrypted files on the command line: --password-file, a terminal prompt, or exit 2 saying a password
is needed."""

from __future__ import annotations

import io

import pytest

from app.cli import main
from app.cli import common
from app.storage import crypto
from app.storage.assessment_files import load_assessment, save_assessment


@pytest.fixture
def encrypted(example_paths, tmp_path, monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**14)  # fast; the real cost is tested in tests/storage
    path = tmp_path / "secret.llmassess"
    save_assessment(load_assessment(example_paths[0]), path, password="s3cret pass")
    return path


@pytest.mark.parametrize("command", [["validate"], ["evaluate"], ["report", "-o", "out.pdf"]])
def test_without_a_password_it_exits_2_saying_one_is_needed(encrypted, monkeypatch, capsys, command):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    assert main([*command, str(encrypted)]) == 2
    err = capsys.readouterr().err
    assert "a password is needed" in err and "--password-file" in err and len(err.strip().splitlines()) == 1


def test_evaluate_reads_an_encrypted_file_with_a_password_file(encrypted, tmp_path, capsys):
    password_file = tmp_path / "pw.txt"
    password_file.write_text("s3cret pass\n")
    assert main(["evaluate", str(encrypted), "--password-file", str(password_file), "--json"]) == 0
    assert capsys.readouterr().out.lstrip().startswith("{")


@pytest.mark.parametrize("content", ["s3cret pass\n", "s3cret pass", "s3cret pass\r\n"])
def test_password_file(encrypted, tmp_path, capsys, content):
    password_file = tmp_path / "pw.txt"
    password_file.write_text(content, newline="")
    assert main(["validate", str(encrypted), "--password-file", str(password_file)]) == 0
    assert "valid" in capsys.readouterr().out


def test_wrong_password_file_exits_2(encrypted, tmp_path, capsys):
    password_file = tmp_path / "pw.txt"
    password_file.write_text("nope\n")
    assert main(["validate", str(encrypted), "--password-file", str(password_file)]) == 2
    assert "wrong password" in capsys.readouterr().err
    assert main(["validate", str(encrypted), "--password-file", str(tmp_path / "missing")]) == 2
    assert "cannot read the password file" in capsys.readouterr().err


def test_terminal_prompt(encrypted, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr(common.getpass, "getpass", lambda prompt: "s3cret pass")
    assert main(["validate", str(encrypted)]) == 0
    assert "valid" in capsys.readouterr().out


def test_plain_files_never_ask(example_paths, monkeypatch, capsys):
    monkeypatch.setattr(common.getpass, "getpass", lambda prompt: pytest.fail("asked for a password"))
    assert main(["validate", str(example_paths[0])]) == 0


def test_the_report_of_a_protected_assessment_is_protected_with_its_password(encrypted, tmp_path, capsys,
                                                                            advisor_home):
    from pypdf import PdfReader
    password_file = tmp_path / "pw.txt"
    password_file.write_text("s3cret pass\n")
    out = tmp_path / "report.pdf"
    assert main(["report", str(encrypted), "-o", str(out), "--password-file", str(password_file)]) == 0
    assert "(AES-256 encrypted)" in capsys.readouterr().out
    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt("s3cret pass") and not reader.decrypt("wrong")


def test_no_encrypt_is_the_explicit_way_to_a_plain_report(encrypted, tmp_path, capsys, advisor_home):
    from pypdf import PdfReader
    password_file = tmp_path / "pw.txt"
    password_file.write_text("s3cret pass\n")
    out = tmp_path / "plain.pdf"
    assert main(["report", str(encrypted), "-o", str(out), "--password-file", str(password_file),
                 "--no-encrypt"]) == 0
    assert not PdfReader(out).is_encrypted
    with pytest.raises(SystemExit):  # both at once is a usage error
        main(["report", str(encrypted), "-o", str(out), "--encrypt", "--no-encrypt"])
