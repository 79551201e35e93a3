"""`llm-advisor export`: exit 0 and the files, or exit 2, one stderr line and nothing written; a protected
assessment's XLSX/DOCX are Office-encrypted with its password; its CSV only with --no-encrypt."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import docx
import msoffcrypto
import openpyxl
import pytest

from app.cli import main
from app.report.csv_export import ASSUMPTION_COLUMNS, CASH_FLOW_COLUMNS, LINE_ITEM_COLUMNS, POOL_COLUMNS
from app.storage.assessment_files import load_assessment, save_assessment

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bank-low-latency.llmassess"
PASSWORD = "s3cret pass"


@pytest.fixture
def protected(tmp_path) -> tuple[Path, Path]:
    path = tmp_path / "secret.llmassess"
    save_assessment(load_assessment(EXAMPLE), path, password=PASSWORD)
    password_file = tmp_path / "pw.txt"
    password_file.write_text(PASSWORD + "\n")
    return path, password_file


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_csv_files_have_the_contract_columns_in_utf8_with_dot_decimals(tmp_path, capsys):
    out = tmp_path / "csv"
    assert main(["export", str(EXAMPLE), "--format", "csv", "-o", str(out)]) == 0
    expected = {"line_items.csv": LINE_ITEM_COLUMNS, "assumptions.csv": ASSUMPTION_COLUMNS,
                "pools.csv": POOL_COLUMNS, "cash_flow.csv": CASH_FLOW_COLUMNS}
    assert LINE_ITEM_COLUMNS == ("option", "id", "label", "quantity", "unit", "rate_usd", "monthly_usd", "one_time_usd")
    assert CASH_FLOW_COLUMNS == ("option", "year", "usd", "discounted_usd")
    for name, columns in expected.items():
        rows = list(csv.DictReader(io.StringIO((out / name).read_text(encoding="utf-8"))))
        assert tuple(rows[0]) == columns and rows
    items = _rows(out / "line_items.csv")
    for row in items:  # monthly = quantity x rate, as written
        assert float(row["monthly_usd"]) == pytest.approx(float(row["quantity"]) * float(row["rate_usd"]), abs=1e-6)
    as_of = {r["as_of"] for r in _rows(out / "assumptions.csv")}
    assert all(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d) for d in as_of if d), as_of  # ISO 8601 dates


def test_xlsx_and_docx_are_written(tmp_path):
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"out.{fmt}"
        assert main(["export", str(EXAMPLE), "--format", fmt, "-o", str(out)]) == 0
    assert "monthly_api" in openpyxl.load_workbook(tmp_path / "out.xlsx").defined_names
    assert docx.Document(tmp_path / "out.docx").paragraphs


def _decrypted(path: Path, password: str) -> io.BytesIO:
    office = msoffcrypto.OfficeFile(io.BytesIO(path.read_bytes()))
    assert office.is_encrypted()
    out = io.BytesIO()
    office.load_key(password=password)
    office.decrypt(out)
    out.seek(0)
    return out


def test_a_protected_assessments_exports_are_encrypted_with_its_password(protected, tmp_path):
    path, password_file = protected
    for fmt in ("xlsx", "docx"):
        out = tmp_path / f"out.{fmt}"
        assert main(["export", str(path), "--format", fmt, "-o", str(out), "--password-file", str(password_file)]) == 0
        with pytest.raises(Exception):
            (openpyxl.load_workbook if fmt == "xlsx" else docx.Document)(out)
        with pytest.raises(Exception):
            _decrypted(out, "wrong")
    assert "monthly_api" in openpyxl.load_workbook(_decrypted(tmp_path / "out.xlsx", PASSWORD)).defined_names
    assert docx.Document(_decrypted(tmp_path / "out.docx", PASSWORD)).paragraphs


def test_a_protected_assessments_csv_needs_no_encrypt(protected, tmp_path, capsys):
    path, password_file = protected
    out = tmp_path / "csv"
    assert main(["export", str(path), "--format", "csv", "-o", str(out), "--password-file", str(password_file)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("llm-advisor export: ") and "--no-encrypt" in err[0]
    assert not out.exists()
    assert main(["export", str(path), "--format", "csv", "-o", str(out), "--password-file", str(password_file),
                 "--no-encrypt"]) == 0
    assert (out / "line_items.csv").is_file()


@pytest.mark.parametrize("args", [["--format", "xlsx", "-o", "{tmp}/out.xlsx", "--brand", "{tmp}/missing.yaml"],
                                  ["--format", "csv", "-o", "{tmp}/file.txt"]])
def test_failures_exit_2_with_one_line_and_nothing_written(tmp_path, capsys, args):
    (tmp_path / "file.txt").write_text("keep")
    before = sorted(p.name for p in tmp_path.iterdir())
    argv = ["export", str(EXAMPLE), *(a.format(tmp=tmp_path) for a in args)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("llm-advisor export: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (tmp_path / "file.txt").read_text() == "keep"


def test_csv_figures_stay_dot_decimal_in_a_comma_locale(tmp_path):
    from app.engine.evaluate import evaluate_core
    from app.report.csv_export import csv_files
    from app.storage.catalogs import catalogs_for

    assessment = load_assessment(EXAMPLE)
    assessment.display.locale = "de_DE"
    files = csv_files(evaluate_core(assessment, catalogs_for(assessment)))
    rows = list(csv.DictReader(io.StringIO(files["cash_flow.csv"].decode("utf-8"))))
    assert all(float(r["usd"]) >= 0 and "," not in r["usd"] for r in rows)
    assert float(rows[1]["usd"]) == pytest.approx(12 * float(sum(
        float(r["monthly_usd"]) for r in csv.DictReader(io.StringIO(files["line_items.csv"].decode("utf-8")))
        if r["option"] == "api")))
