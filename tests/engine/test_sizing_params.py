"""Parameter counts derived from each config agree with the published ones."""

from __future__ import annotations

import pytest

from app.engine.sizing import architecture
from app.storage.hardware_catalog import load_hardware_catalog

HARDWARE = load_hardware_catalog()
TOLERANCE = 0.02  # 2%: published counts are rounded ("70.6B") and some count buffers or MTP heads apart
REQUIRED_MODELS = {
    "llama-2-7b", "llama-2-70b", "llama-3.1-8b", "llama-3.1-70b", "llama-3.3-70b", "llama-3.1-405b",
    "mistral-7b", "mixtral-8x7b", "mixtral-8x22b", "qwen2.5-7b", "qwen2.5-14b", "qwen2.5-32b", "qwen2.5-72b",
    "gemma-2-9b", "gemma-2-27b", "phi-3-mini", "phi-3-medium", "deepseek-v3",
    # late 2026 (issue 17)
    "llama-4-scout", "llama-4-maverick", "qwen3-8b", "qwen3-32b", "qwen3-30b-a3b", "qwen3-235b-a22b",
    "gpt-oss-20b", "gpt-oss-120b", "deepseek-v3.1", "deepseek-r1", "gemma-3-27b", "mistral-small-3.2-24b",
    "phi-4"}


def test_catalog_has_every_required_model():
    assert REQUIRED_MODELS <= set(HARDWARE.models)


@pytest.mark.parametrize("model_id", sorted(HARDWARE.models))
def test_total_parameters_match_published(model_id):
    model = HARDWARE.models[model_id]
    derived_b = architecture.total_params(model) / 1e9
    assert derived_b == pytest.approx(model.published_params_b, rel=TOLERANCE)


@pytest.mark.parametrize("model_id", sorted(m for m, spec in HARDWARE.models.items() if spec.moe))
def test_active_parameters_match_published(model_id):
    model = HARDWARE.models[model_id]
    derived_b = architecture.active_params(model) / 1e9
    assert derived_b == pytest.approx(model.published_active_params_b, rel=TOLERANCE)


def test_moe_reads_only_the_active_experts():
    mixtral = HARDWARE.models["mixtral-8x7b"]
    assert architecture.active_params(mixtral) < architecture.total_params(mixtral) / 3


def test_dense_models_are_fully_active():
    model = HARDWARE.models["llama-3.1-8b"]
    assert architecture.active_params(model) == architecture.total_params(model)
