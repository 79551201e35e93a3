"""`llm-advisor usage summarize` and `usage apply`: the exact JSON contract, one-line errors, and measured
answers written into an assessment so the 90-day measurement rule applies."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.cli import main
from app.engine.bindings import build_inputs
from app.engine.evaluate import evaluate_core
from app.storage.assessment_files import load_assessment, save_assessment
from app.storage.catalogs import catalogs_for

ROOT = Path(__file__).resolve().parents[2]
USAGE = ROOT / "tests" / "fixtures" / "usage"
EXAMPLE = ROOT / "examples" / "midsize-general-api.llmassess"
KEYS = {"days", "tokens_per_day", "input_tokens_per_day", "output_tokens_per_day", "cached_input_share",
        "requests_per_day", "peak_to_average_ratio", "growth_share_per_month"}


def test_summarize_json_contract(capsys):
    assert main(["usage", "summarize", str(USAGE / "openai_completions_1d.json"), str(USAGE / "generic.csv"),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"bucket_seconds", "first_day", "last_day", "models", "total"}
    assert (out["bucket_seconds"], out["first_day"], out["last_day"]) == (86400, "2026-09-01", "2026-09-03")
    assert all(set(m) == KEYS | {"model"} for m in out["models"]) and set(out["total"]) == KEYS
    bot = next(m for m in out["models"] if m["model"] == "support-bot")
    assert (bot["days"], bot["tokens_per_day"], bot["requests_per_day"]) == (2, 1650, 15)
    # Total: 1800 + 1100, 3000 + 2200 and 0 tokens over three days.
    assert out["total"]["tokens_per_day"] == pytest.approx((2900 + 5200) / 3)


def test_summarize_table(capsys):
    assert main(["usage", "summarize", str(USAGE / "anthropic_messages_1h.json")]) == 0
    out = capsys.readouterr().out
    assert "buckets of 3600 s" in out and "claude-sonnet-4-20250514" in out and "TOTAL" in out
    assert "950" in out and "50.0%" in out


def test_unreadable_export_exits_2_with_one_line(tmp_path, capsys):
    bad = tmp_path / "usage.json"
    bad.write_text('{"object": "page", "data": [{"start_time": 5, "end_time": 1}]}')
    assert main(["usage", "summarize", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("llm-advisor usage: ")
    assert str(bad) in captured.err


def _daily_csv(path: Path, days: int, model: str = "support-bot") -> Path:
    start = date(2026, 6, 1)
    rows = [f"{start + timedelta(days=i)},{model},{9000 + i * 0},{3000},{4500},{12}" for i in range(days)]
    path.write_text("date,model,input_tokens,output_tokens,cached_input_tokens,requests\n" + "\n".join(rows) + "\n")
    return path


def test_apply_writes_measured_answers(tmp_path, capsys):
    out = tmp_path / "measured.llmassess"
    export = _daily_csv(tmp_path / "u.csv", 95)
    assert main(["usage", "apply", str(EXAMPLE), str(export), "--map", "support-bot=w1", "-o", str(out)]) == 0
    assert "w1: 12,000 tokens/day measured over 95 days" in capsys.readouterr().out
    answers = load_assessment(out).workload("w1").answers
    assert answers["volume_method"].value == "tokens"
    assert answers["tokens_per_day"].value == 12000
    assert answers["measured_days"].value == 95 and answers["volume_basis"].value == "measured"
    assert answers["cached_prefix_share"].value == 50  # 4,500 of 9,000 input tokens, in percent
    assert (answers["input_tokens"].value, answers["output_tokens"].value) == (750, 250)  # per request
    assert answers["growth_per_year"].value == 0
    assert "peak_to_average" not in answers or answers["peak_to_average"].confidence != "measured"  # daily buckets
    assert all(answers[q].confidence == "measured" for q in ("tokens_per_day", "measured_days", "volume_basis"))
    assert "2026-06-01 to 2026-09-03 (95 days)" in answers["tokens_per_day"].note
    assessment = load_assessment(out)
    w1 = build_inputs(assessment).workloads[0]
    assert (w1.tokens_per_day, w1.volume_basis, w1.volume_measured_days, w1.cached_input_share) == (12000, "measured",
                                                                                                   95, 0.5)
    warnings = evaluate_core(assessment, catalogs_for(assessment)).warnings
    assert not any("measured over" in w for w in warnings)  # 95 days >= the 90-day rule


def test_a_short_measurement_is_flagged_by_the_90_day_rule(tmp_path):
    out = tmp_path / "short.llmassess"
    export = _daily_csv(tmp_path / "u.csv", 30)
    assert main(["usage", "apply", str(EXAMPLE), str(export), "--map", "support-bot=w2", "-o", str(out)]) == 0
    assessment = load_assessment(out)
    warnings = evaluate_core(assessment, catalogs_for(assessment)).warnings
    assert any("volume measured over 30 days" in w for w in warnings)


def test_apply_hourly_export_sets_peak_and_adds_models(tmp_path):
    out = tmp_path / "a.llmassess"
    assert main(["usage", "apply", str(EXAMPLE), str(USAGE / "bedrock_invocations.jsonl"),
                 str(USAGE / "anthropic_messages_1h.json"), "--map", "claude-sonnet-4-20250514=w3",
                 "--map", "anthropic.claude-3-haiku-20240307-v1:0=w3", "-o", str(out)]) == 0
    answers = load_assessment(out).workload("w3").answers
    # Hourly buckets: day 1 has 700, 200 and 681 tokens, day 2 has 1000 and 20; 2,601 tokens over 2 days.
    assert answers["tokens_per_day"].value == 1300.5
    assert answers["peak_to_average"].value == pytest.approx(round(1000 / (2601 / 5), 2))
    assert "claude-sonnet-4-20250514" in answers["tokens_per_day"].note
    assert "input_tokens" not in answers or answers["input_tokens"].confidence != "measured"  # Anthropic: no requests


def test_apply_keeps_an_encrypted_file_encrypted(tmp_path):
    secret = tmp_path / "secret.llmassess"
    save_assessment(load_assessment(EXAMPLE), secret, password="pw-123")
    (tmp_path / "pw").write_text("pw-123\n")
    out = tmp_path / "out.llmassess"
    assert main(["usage", "apply", str(secret), str(USAGE / "generic.csv"), "--map", "support-bot=w1", "-o", str(out),
                 "--password-file", str(tmp_path / "pw")]) == 0
    assert load_assessment(out, password="pw-123").workload("w1").answers["tokens_per_day"].value == 1650
    assert main(["usage", "apply", str(secret), str(USAGE / "generic.csv"), "--map", "support-bot=w1",
                 "-o", str(out)]) == 2


@pytest.mark.parametrize("mapping, problem", [
    ("support-bot=nope", "no workload with id 'nope'"),
    ("missing-model=w1", "model 'missing-model' is not in the export"),
    ("no-equals", "--map needs MODEL=WORKLOAD_ID"),
])
def test_apply_refuses_bad_mappings_and_writes_nothing(tmp_path, capsys, mapping, problem):
    out = tmp_path / "out.llmassess"
    assert main(["usage", "apply", str(EXAMPLE), str(USAGE / "generic.csv"), "--map", mapping, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("llm-advisor usage: ") and problem in err and err.count("\n") == 1
    assert not out.exists()


def test_a_model_mapped_twice_is_refused(tmp_path, capsys):
    out = tmp_path / "out.llmassess"
    assert main(["usage", "apply", str(EXAMPLE), str(USAGE / "generic.csv"), "--map", "support-bot=w1",
                 "--map", "support-bot=w2", "-o", str(out)]) == 2
    assert "mapped to both 'w1' and 'w2'" in capsys.readouterr().err and not out.exists()


def test_apply_in_place(tmp_path):
    copy = tmp_path / "copy.llmassess"
    shutil.copy(EXAMPLE, copy)
    assert main(["usage", "apply", str(copy), str(USAGE / "generic.csv"), "--map", "support-bot=w1", "-o", str(copy)]) == 0
    assert load_assessment(copy).workload("w1").answers["tokens_per_day"].confidence == "measured"
