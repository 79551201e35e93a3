"""Parameter counts, KV-cache size and FLOPs per token, derived from a model's config."""

from __future__ import annotations

from app.domain.hardware import OpenModel

GATED_MLP_MATRICES = 3  # gate, up and down projections (SwiGLU/GeGLU in every catalog model)
KV_TENSORS = 2  # a key and a value per head
FLOPS_PER_MAC = 2


def _attention_params(model: OpenModel) -> int:
    if model.mla is not None:
        return _mla_attention_params(model)
    hidden, head_dim = model.hidden_size, model.head_dim
    q_and_o = 2 * hidden * model.attention_heads * head_dim
    k_and_v = 2 * hidden * model.kv_heads * head_dim
    bias = (model.attention_heads + 2 * model.kv_heads) * head_dim if model.qkv_bias else 0
    return q_and_o + k_and_v + bias


def _mla_attention_params(model: OpenModel) -> int:
    mla, hidden, heads = model.mla, model.hidden_size, model.attention_heads
    q_head_dim = mla.qk_nope_head_dim + mla.qk_rope_head_dim
    if mla.q_lora_rank:
        query = hidden * mla.q_lora_rank + mla.q_lora_rank + mla.q_lora_rank * heads * q_head_dim
    else:
        query = hidden * heads * q_head_dim
    latent_down = hidden * (mla.kv_lora_rank + mla.qk_rope_head_dim) + mla.kv_lora_rank
    latent_up = mla.kv_lora_rank * heads * (mla.qk_nope_head_dim + mla.v_head_dim)
    output = heads * mla.v_head_dim * hidden
    return query + latent_down + latent_up + output


def _mlp_params(hidden: int, intermediate: int) -> int:
    return GATED_MLP_MATRICES * hidden * intermediate


def _moe_layer_params(model: OpenModel, experts: int) -> int:
    moe = model.moe
    expert = _mlp_params(model.hidden_size, moe.expert_intermediate_size)
    router = model.hidden_size * moe.experts_total
    return (experts + moe.shared_experts) * expert + router


def _embedding_params(model: OpenModel) -> int:
    tables = 1 if model.tied_embeddings else 2  # input embedding and, if untied, the output head
    return tables * model.vocab_size * model.hidden_size


def _params(model: OpenModel, experts_per_moe_layer: int | None) -> int:
    per_layer_fixed = _attention_params(model) + model.norms_per_layer * model.hidden_size
    dense_mlp = _mlp_params(model.hidden_size, model.intermediate_size)
    if model.moe is None:
        layers = model.layers * (per_layer_fixed + dense_mlp)
    else:
        dense_layers = model.moe.dense_layers
        moe_layers = model.layers - dense_layers
        experts = experts_per_moe_layer if experts_per_moe_layer is not None else model.moe.experts_total
        layers = (model.layers * per_layer_fixed + dense_layers * dense_mlp
                  + moe_layers * _moe_layer_params(model, experts))
    return layers + _embedding_params(model) + model.hidden_size  # + final norm


def total_params(model: OpenModel) -> int:
    """Every weight, all experts included."""
    return _params(model, None)


def active_params(model: OpenModel) -> int:
    """Weights one token passes through (MoE: the routed top-k plus shared experts)."""
    return _params(model, model.moe.experts_active if model.moe else None)


def expert_params(model: OpenModel) -> int:
    """Weights of one routed expert, summed over the MoE layers (0 for a dense model)."""
    if model.moe is None:
        return 0
    moe_layers = model.layers - model.moe.dense_layers
    return moe_layers * _mlp_params(model.hidden_size, model.moe.expert_intermediate_size)


def routed_expert_params_per_token(model: OpenModel) -> int:
    """Weights of the routed experts one token passes through (0 for a dense model)."""
    return expert_params(model) * model.moe.experts_active if model.moe else 0


def kv_elements_per_token(model: OpenModel) -> int:
    """Cached numbers per token, whole model. MLA caches one latent + RoPE key per layer, not per head."""
    if model.mla is not None:
        return model.layers * (model.mla.kv_lora_rank + model.mla.qk_rope_head_dim)
    return KV_TENSORS * model.layers * model.kv_heads * model.head_dim


def kv_bytes_per_token(model: OpenModel, kv_bytes_per_element: float) -> float:
    return kv_elements_per_token(model) * kv_bytes_per_element


def attention_flops_per_token_per_context_token(model: OpenModel, mla_absorbed: bool = True) -> float:
    """FLOPs one new token spends attending to each cached token (QK^T and attention x V).

    MLA absorbed attends over the latent (rank + rope for QK, rank for V); unabsorbed attends per head over
    nope + rope key dims and v dims, cheaper per pair, but a decode step must first re-expand every cached
    latent into per-head keys and values (rank x heads x (nope + v) MACs per cached token per layer)."""
    if model.mla is None:
        return FLOPS_PER_MAC * model.layers * model.attention_heads * 2 * model.head_dim
    mla = model.mla
    if mla_absorbed:
        per_head = 2 * mla.kv_lora_rank + mla.qk_rope_head_dim
    else:
        per_head = mla.qk_nope_head_dim + mla.qk_rope_head_dim + mla.v_head_dim
    return FLOPS_PER_MAC * model.layers * model.attention_heads * per_head


def mla_expansion_flops_per_context_token(model: OpenModel) -> float:
    """FLOPs to re-expand one cached MLA latent into per-head keys and values (unabsorbed decode)."""
    if model.mla is None:
        return 0.0
    mla = model.mla
    return (FLOPS_PER_MAC * model.layers * mla.kv_lora_rank * model.attention_heads
            * (mla.qk_nope_head_dim + mla.v_head_dim))
