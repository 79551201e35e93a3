"""Hosted open-weight APIs: the API option prices a use case on the cheapest model that meets its capability
tier and its data's terms, unless the consultant chose one."""

from __future__ import annotations

import pytest

from app.domain.inputs import WorkloadInputs
from app.engine.scenario import _api_model_id, data_terms_met
from app.storage.catalogs import load_catalogs

CATALOGS = load_catalogs()
HOSTED = CATALOGS.hosted.hosted_models


def use_case(**fields) -> WorkloadInputs:
    return WorkloadInputs(workload_id="w1", name="Test", requests_per_day=1000, input_tokens_per_request=800,
                          output_tokens_per_request=200, **fields)


def test_every_hosted_model_is_sourced_and_dated():
    assert len(HOSTED) >= 15
    assert {m.provider for m in HOSTED.values()} >= {"Together AI", "Fireworks AI", "Groq", "AWS Bedrock",
                                                      "Azure AI Foundry"}
    assert all(m.source.as_of and m.source.source for m in HOSTED.values())


def test_public_data_goes_to_the_cheapest_capable_model():
    # strong tier, 80% input: gpt-oss-120b at $0.15 / $0.60 blends to $0.24 per million, the lowest; Bedrock
    # and Together tie, the id order breaks it.
    chosen = _api_model_id(use_case(capability_tier="strong", data_classes=["public"]), CATALOGS, "north_america")
    assert chosen == "bedrock-gpt-oss-120b"


def test_a_narrow_task_may_use_a_more_capable_model_but_never_a_weaker_one():
    narrow = _api_model_id(use_case(capability_tier="narrow"), CATALOGS, "north_america")
    frontier = _api_model_id(use_case(capability_tier="frontier"), CATALOGS, "north_america")
    assert narrow == "groq-llama-3.1-8b"  # $0.05 / $0.08: cheaper still than gpt-oss
    assert frontier == "fireworks-deepseek-v3"  # $0.90 flat, below GPT-4o and the 405B endpoints


def test_health_data_needs_a_baa_and_zero_retention():
    chosen = _api_model_id(use_case(capability_tier="strong", data_classes=["phi"]), CATALOGS, "north_america")
    model = HOSTED[chosen]
    assert model.baa_available and model.zero_retention
    groq = HOSTED["groq-llama-3.3-70b"]
    assert not data_terms_met(use_case(data_classes=["phi"]), groq, "north_america")


def test_residency_needs_the_region():
    w = use_case(capability_tier="strong", residency="region")
    chosen = _api_model_id(w, CATALOGS, "uk")
    assert chosen in HOSTED and "uk" in HOSTED[chosen].regions
    assert not data_terms_met(use_case(residency="premises"), HOSTED["azure-llama-3.3-70b"], "eu")


@pytest.mark.parametrize("choice", ["gpt-4o", "together-llama-3.3-70b"])
def test_the_consultants_choice_stands(choice):
    assert _api_model_id(use_case(api_model=choice), CATALOGS, "north_america") == choice
