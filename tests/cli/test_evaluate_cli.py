"""`llm-advisor evaluate FILE [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_json_is_one_object_with_the_contract_keys(capsys):
    assert main(["evaluate", str(EXAMPLES / "bank-low-latency.llmassess"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["recommendation"] is None and out["confidence"] is None  # no plan reaches the bank's 40 ms
    assert out["missing_for_recommendation"] == ["ttft_target"]
    assert set(out["break_even_tokens_per_day"]) == {"self_host_cloud", "self_host_on_prem"}
    assert set(out["options"]) == {"api", "self_host_cloud", "self_host_on_prem", "hybrid"}


def test_readable_summary(capsys):
    assert main(["evaluate", str(EXAMPLES / "midsize-general-api.llmassess")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Recommendation: api")
    assert "Break-even" in out and "Readiness" in out


def test_a_malformed_file_exits_2_with_one_message(tmp_path, capsys):
    bad = tmp_path / "bad.llmassess"
    bad.write_text("{ not json")
    assert main(["evaluate", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("llm-advisor evaluate:") and "Traceback" not in captured.err
