"""`llm-advisor evaluate FILE [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_json_is_one_object_with_the_contract_keys(capsys):
    assert main(["evaluate", str(EXAMPLES / "bank-low-latency.llmassess"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["recommendation"] == "self-host-on-prem" and 0 < out["confidence"] <= 1  # latency rules out the API
    assert out["missing_for_recommendation"] == []
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


# issue 13's contract, exact names, read from the command's own output for every example
POOL_KEYS = {"id", "model", "gpu", "provider", "instance", "precision", "engine", "replicas", "gpus_per_replica",
             "utilisation", "workloads", "monthly_usd"}
LINE_ITEM_PREFIXES = ("api_tokens_", "gpu_compute_", "hardware_amortisation")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.llmassess")), ids=lambda p: p.stem)
def test_json_has_the_deployment_plan_contract(path, capsys):
    assert main(["evaluate", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for option_id, option in out["options"].items():
        assert {"cash_flow_by_year", "npv_usd", "horizon_usd", "pools", "line_items"} <= set(option), option_id
        assert [set(y) for y in option["cash_flow_by_year"]] == [{"year", "usd", "discounted_usd"}] * len(
            option["cash_flow_by_year"])
        assert sum(y["usd"] for y in option["cash_flow_by_year"]) == pytest.approx(option["horizon_usd"])
        assert sum(y["discounted_usd"] for y in option["cash_flow_by_year"]) == pytest.approx(option["npv_usd"])
        assert all(set(pool) == POOL_KEYS for pool in option["pools"])
        for line in option["line_items"]:
            assert line["quantity"] * line["rate_usd"] == pytest.approx(line["monthly_usd"], abs=1e-6), line["id"]
    ids = [line["id"] for option in out["options"].values() for line in option["line_items"]]
    assert any(i.startswith(LINE_ITEM_PREFIXES) for i in ids)
    for option_id in ("self_host_cloud", "self_host_on_prem"):
        assert out["options"][option_id]["pools"], option_id  # every example plans its self-hosted options
    top = {pool["id"]: pool for pool in out["pools"]}
    assert top and all(set(pool) == POOL_KEYS for pool in top.values())
    assert out["sizing"]["pool_id"] in top
    assert top[out["sizing"]["pool_id"]]["replicas"] * top[out["sizing"]["pool_id"]]["gpus_per_replica"] == max(
        p["replicas"] * p["gpus_per_replica"] for p in top.values())  # `sizing` is the largest pool
    for workload in out["workloads"]:
        if workload["sizing"] is not None:
            assert "pool_id" in workload["sizing"]
    assert set(out["uncertainty"]["npv"]) == set(out["options"])
    for option_id in out["options"]:
        assert {"p10", "p50", "p90"} <= set(out["uncertainty"][option_id])
        assert {"p10", "p50", "p90"} <= set(out["uncertainty"]["npv"][option_id])
    bridge = {row["id"] for row in out["article_bridge"]}
    assert len(bridge) >= 4
