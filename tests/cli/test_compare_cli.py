"""`llm-advisor compare`: the exact JSON, one line and exit 2 for an unreadable file, protected inputs through
--password-file, and the quarterly review PDF, protected like the files it derives from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from app.storage import crypto
from app.storage.assessment_files import load_assessment, save_assessment

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
OLD = EXAMPLES / "brightline-2026q3.llmassess"
NEW = EXAMPLES / "midsize-general-api.llmassess"


def test_the_json_has_exactly_the_contracted_shape(capsys, advisor_home):
    assert main(["compare", str(OLD), str(NEW), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"recommendation", "confidence", "options", "changed_answers", "changed_assumptions", "changed_prices",
            "attribution_usd"} <= set(out)
    assert out["recommendation"] == {"old": "api", "new": "api"}
    assert set(out["confidence"]) == {"old", "new"}
    assert set(out["options"]) == {"api", "self_host_cloud", "self_host_on_prem", "hybrid"}
    assert set(out["options"]["api"]) == {"old_monthly_usd", "new_monthly_usd", "old_npv_usd", "new_npv_usd"}
    assert out["changed_answers"][0] == {"workload": None, "question": "assessment_date", "old": "2026-08-03",
                                         "new": "2026-11-02"}
    assert {"workload": "w1", "question": "requests_per_day", "old": 12000, "new": 20000} in out["changed_answers"]
    assert out["changed_assumptions"] == [{"id": "api_price_factor", "old": 0.9, "new": 1.0}]
    assert out["changed_prices"] == []
    parts = out["attribution_usd"]
    assert set(parts) == {"volume", "prices", "answers", "assumptions"}
    api = out["options"]["api"]
    assert sum(parts.values()) == pytest.approx(api["new_monthly_usd"] - api["old_monthly_usd"], rel=1e-12)
    assert out["attribution_option"] == "api"


def test_the_summary_names_the_parts(capsys, advisor_home):
    assert main(["compare", str(OLD), str(NEW)]) == 0
    out = capsys.readouterr().out
    assert "Monthly cost change of API: +$3,672" in out and "volume" in out and "+$2,680" in out


@pytest.mark.parametrize("bad", ["missing", "damaged"])
def test_an_unreadable_file_exits_2_with_one_line(tmp_path, capsys, bad, advisor_home):
    path = tmp_path / "bad.llmassess"
    if bad == "damaged":
        path.write_text("{ not json")
    assert main(["compare", str(OLD), str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and captured.err.startswith("llm-advisor compare:")


@pytest.fixture
def protected(tmp_path, monkeypatch):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**14)
    path = tmp_path / "this-quarter.llmassess"
    save_assessment(load_assessment(NEW), path, password="quarterly pass")
    password_file = tmp_path / "pw.txt"
    password_file.write_text("quarterly pass\n")
    return path, password_file


def test_a_protected_input_opens_with_the_password_file_and_its_review_is_encrypted(protected, tmp_path, capsys,
                                                                                    advisor_home):
    path, password_file = protected
    review = tmp_path / "review.pdf"
    assert main(["compare", str(OLD), str(path), "--json", "-o", str(review), "--password-file",
                 str(password_file)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["recommendation"]["new"] == "api"  # stdout: the JSON alone
    assert "AES-256" in captured.err
    reader = PdfReader(review)
    assert reader.is_encrypted and reader.decrypt("quarterly pass")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Quarterly review" in text and "Brightline Retail Group" in text


def test_a_protected_input_without_a_password_exits_2(protected, capsys, monkeypatch, advisor_home):
    import io
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["compare", str(OLD), str(protected[0])]) == 2
    assert "a password is needed" in capsys.readouterr().err


def test_no_encrypt_writes_a_plain_review(protected, tmp_path, advisor_home):
    path, password_file = protected
    review = tmp_path / "review.pdf"
    assert main(["compare", str(OLD), str(path), "-o", str(review), "--no-encrypt", "--password-file",
                 str(password_file)]) == 0
    assert not PdfReader(review).is_encrypted


def test_the_review_of_plain_files_shows_the_waterfall_figures(tmp_path, capsys, advisor_home):
    review = tmp_path / "review.pdf"
    assert main(["compare", str(OLD), str(NEW), "-o", str(review)]) == 0
    assert f"wrote {review}" in capsys.readouterr().out
    reader = PdfReader(review)
    assert not reader.is_encrypted
    text = " ".join(page.extract_text() for page in reader.pages)
    for figure in ("$9,298", "+$2,680", "-$305", "+$1,297", "$12,970", "Requests per day", "12,000 requests/day"):
        assert figure in text


def test_with_no_recommendation_in_new_the_cheapest_feasible_option_is_attributed_and_said(tmp_path, capsys,
                                                                                           advisor_home):
    undecided = load_assessment(NEW)
    undecided.workloads[0].answers.pop("data_classes")
    path = tmp_path / "undecided.llmassess"
    save_assessment(undecided, path)
    review = tmp_path / "review.pdf"
    assert main(["compare", str(OLD), str(path), "--json", "-o", str(review)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["recommendation"]["new"] is None and out["confidence"]["new"] is None
    feasible = {o: m["new_monthly_usd"] for o, m in out["options"].items()}
    assert out["attribution_option"] in feasible
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(review).pages)
    assert "None yet" in text and "the cheapest feasible option" in text
