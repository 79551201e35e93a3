"""Regenerates the example assessments from the default questionnaire.

    .venv/bin/python examples/make_examples.py

The examples carry no catalog snapshot on purpose: they always show results on the app's current
catalogs (a consultant's own file snapshots the catalogs when it is created)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain.assessment import (Answer, AnswerStatus, Assessment, AssumptionOverride, Confidence, Scenario,
                                   Workload)
from app.storage.assessment_files import save_assessment
from app.storage.questionnaires import load_default_questionnaire

HERE = Path(__file__).resolve().parent
UNKNOWN = object()


def _answers(values: dict[str, Any], confidence: Confidence = Confidence.STATED) -> dict[str, Answer]:
    answers = {}
    for question_id, value in values.items():
        if value is UNKNOWN:
            answers[question_id] = Answer(status=AnswerStatus.UNKNOWN)
        elif isinstance(value, Answer):
            answers[question_id] = value
        else:
            answers[question_id] = Answer(value=value, confidence=confidence)
    return answers


def _assessment(title: str, organisation: dict[str, Any], workloads: dict[str, dict[str, Any]]) -> Assessment:
    return Assessment(
        title=title,
        questionnaire=load_default_questionnaire(),
        organisation_answers=_answers(organisation),
        workloads=[Workload(id=f"w{i + 1}", name=name, answers=_answers(values))
                   for i, (name, values) in enumerate(workloads.items())],
    )


def midsize_general_api() -> Assessment:
    return _assessment(
        "Brightline Retail - LLM platform review",
        {
            "client_name": "Brightline Retail Group", "engagement_title": "LLM platform review",
            "engagement_id": "BRG-2026-014", "industry": "retail", "region": "north_america",
            "consultant_name": "Dana Whitfield", "client_contact": "Sam Ortiz, VP Engineering",
            "assessment_date": "2026-11-02",
            "ai_role": "feature", "competitive_moat": "no", "executive_sponsor": "yes", "time_to_value": "quarter",
            "current_api_provider": "anthropic", "current_api_spend": 15000, "horizon_months": 36,
            "ml_engineering": "basic", "production_inference": "none", "mlops_gpu_oncall": "basic",
            "security_compliance_skill": "basic", "evaluation_practice": "basic",
            "data_classification_policy": "documented", "ai_usage_policy": "yes", "audit_logging": "no",
            "pii_and_injection_controls": 2, "eval_datasets": "no",
            "cloud_provider": "aws", "on_prem_allowed": "no", "existing_gpus": "no", "prefer_reserved": "no",
            "availability_required": "business_hours",
        },
        {
            "Customer support assistant": {
                "volume_method": "requests", "requests_per_day": 20000, "input_tokens": 2000, "output_tokens": 500,
                "peak_to_average": 2.5, "growth_per_year": 15, "volume_basis": "measured", "measured_days": 120,
                "cached_prefix_share": 40, "data_classes": ["internal", "pii"], "residency": "none",
                "api_terms_acceptable": "yes", "own_cloud_acceptable": "yes", "latency_mode": "interactive",
                "ttft_target": 1500, "tokens_per_s_target": 20, "single_geography": "yes",
                "task_types": ["chat", "summarisation"], "capability_tier": "strong", "context_tokens": 16384,
                "api_model": "claude-sonnet-4", "fine_tuning_need": "none",
            },
            "Marketing and document drafting": {
                "volume_method": "requests", "requests_per_day": 4000, "input_tokens": 3000, "output_tokens": 1200,
                "peak_to_average": 3, "growth_per_year": 20, "volume_basis": "measured", "measured_days": 120,
                "data_classes": ["internal", "public"], "residency": "none", "latency_mode": "interactive",
                "ttft_target": 3000, "tokens_per_s_target": 15, "single_geography": "yes",
                "task_types": ["creative"], "capability_tier": "frontier", "context_tokens": 32768,
                "api_model": "claude-sonnet-4", "fine_tuning_need": "none",
            },
            "Internal knowledge Q&A": {
                "volume_method": "requests", "requests_per_day": 5000, "input_tokens": 4000, "output_tokens": 400,
                "peak_to_average": 2, "growth_per_year": 10, "volume_basis": "measured", "measured_days": 120,
                "cached_prefix_share": 20, "data_classes": ["internal", "confidential"], "residency": "none",
                "api_terms_acceptable": "yes", "own_cloud_acceptable": "yes", "latency_mode": "interactive",
                "ttft_target": 2000, "tokens_per_s_target": 20, "single_geography": "yes",
                "task_types": ["reasoning", "summarisation"], "capability_tier": "strong", "context_tokens": 32768,
                "api_model": "claude-sonnet-4", "fine_tuning_need": "helpful", "prompt_engineering_tried": "no",
                "fine_tuning_gain_demonstrated": "no",
            },
        },
    )


def midsize_with_scenarios() -> Assessment:
    """This quarter's Brightline file, with the what-ifs a consultant would set beside it."""
    assessment = midsize_general_api()
    tripled = {w.id: {"requests_per_day": Answer(value=w.answers["requests_per_day"].value * 3,
                                                 confidence=Confidence.ESTIMATED)} for w in assessment.workloads}
    assessment.scenarios = [
        Scenario(id="volume-x3", name="Volume x3", workload_answers=tripled),
        Scenario(id="gpu-prices-30", name="GPU prices -30%", assumption_overrides={
            "gpu_price_factor": AssumptionOverride(value=0.7, reason="what if GPU rental prices fall 30%"),
            "hardware_price_factor": AssumptionOverride(value=0.7, reason="and GPU servers with them")}),
        Scenario(id="on-prem-allowed", name="On-prem allowed",
                 organisation_answers={"on_prem_allowed": Answer(value="yes")}),
    ]
    return assessment


def midsize_last_quarter() -> Assessment:
    """The same client one quarter earlier (for `llm-advisor compare`): less support traffic, a smaller cached
    prefix and a negotiated 10% API discount that has since lapsed."""
    assessment = midsize_general_api()
    assessment.id = "brightline-2026q3"
    assessment.title = "Brightline Retail - LLM platform review (Q3 2026)"
    assessment.organisation_answers.update(_answers({"assessment_date": "2026-08-03", "current_api_spend": 11000}))
    support = assessment.workloads[0].answers
    support.update(_answers({"requests_per_day": 12000, "cached_prefix_share": 30, "measured_days": 90}))
    assessment.assumption_overrides["api_price_factor"] = AssumptionOverride(
        value=0.9, reason="negotiated 10% discount (expired October 2026)")
    return assessment


def hospital_phi() -> Assessment:
    return _assessment(
        "St Aldhelm University Hospital - clinical documentation AI",
        {
            "client_name": "St Aldhelm University Hospital", "engagement_title": "Clinical documentation AI",
            "engagement_id": "SAH-2026-003", "industry": "healthcare", "region": "uk",
            "consultant_name": "Priya Raman", "client_contact": "Dr Helen Marsh, CCIO",
            "assessment_date": "2026-10-19",
            "ai_role": "internal", "competitive_moat": "no", "executive_sponsor": "yes", "time_to_value": "year",
            "current_api_provider": "none", "horizon_months": 36,
            "ml_engineering": "basic", "production_inference": "none", "mlops_gpu_oncall": "basic",
            "security_compliance_skill": "experienced", "evaluation_practice": "basic",
            "data_classification_policy": "enforced", "ai_usage_policy": "yes", "audit_logging": "yes",
            "pii_and_injection_controls": 3, "eval_datasets": "no",
            "cloud_provider": "azure", "on_prem_allowed": "yes", "existing_data_centre": "yes",
            "existing_gpus": "no", "power_cost": 0.21, "prefer_reserved": UNKNOWN, "availability_required": "business_hours",
        },
        {
            "Discharge summaries from clinical notes": {
                "volume_method": "requests", "requests_per_day": 8000, "input_tokens": 3000, "output_tokens": 500,
                "peak_to_average": 3, "growth_per_year": 25, "volume_basis": "measured", "measured_days": 60,
                "data_classes": ["phi", "pii"], "residency": "premises", "latency_mode": "interactive",
                "ttft_target": 3000, "tokens_per_s_target": 15, "single_geography": "yes",
                "task_types": ["summarisation", "extraction"], "capability_tier": "strong", "context_tokens": 16384,
                "candidate_models": ["llama-3.3-70b", "qwen2.5-72b"], "fine_tuning_need": "helpful",
                "prompt_engineering_tried": "yes", "fine_tuning_gain_demonstrated": UNKNOWN,
                "labelled_examples": 4000, "fine_tuning_runs": 2,
            },
            "Patient information chatbot": {
                "volume_method": "requests", "requests_per_day": 2000, "input_tokens": 800, "output_tokens": 300,
                "peak_to_average": 2, "growth_per_year": 10, "volume_basis": "projected",
                "data_classes": ["public"], "residency": "none", "latency_mode": "interactive",
                "ttft_target": 1500, "tokens_per_s_target": 20, "single_geography": "yes",
                "task_types": ["chat"], "capability_tier": "strong", "context_tokens": 8192,
                "api_model": "gpt-4o-mini", "fine_tuning_need": "none",
            },
        },
    )


def ai_native() -> Assessment:
    return _assessment(
        "Lexica AI - inference platform strategy",
        {
            "client_name": "Lexica AI Ltd", "engagement_title": "Inference platform strategy",
            "engagement_id": "LEX-2026-021", "industry": "legal", "region": "eu",
            "consultant_name": "Marco Bellini", "client_contact": "Aoife Byrne, CTO",
            "assessment_date": "2026-11-10",
            "ai_role": "product", "competitive_moat": "yes", "executive_sponsor": "yes", "time_to_value": "quarter",
            "current_api_provider": "openai", "current_api_spend": 24000, "horizon_months": 36,
            "ml_engineering": "expert", "production_inference": "experienced", "mlops_gpu_oncall": "experienced",
            "security_compliance_skill": "experienced", "evaluation_practice": "expert",
            "data_classification_policy": "enforced", "ai_usage_policy": "yes", "audit_logging": "yes",
            "pii_and_injection_controls": 4, "eval_datasets": "yes",
            "cloud_provider": "aws", "on_prem_allowed": "no", "existing_gpus": "no", "prefer_reserved": "yes",
            "availability_required": "24x7",
        },
        {
            "Contract drafting copilot (the product)": {
                "volume_method": "tokens", "tokens_per_day": 200_000_000, "input_tokens": 3000, "output_tokens": 800,
                "peak_to_average": 2.5, "growth_per_year": 60, "volume_basis": "measured", "measured_days": 150,
                "cached_prefix_share": 30, "data_classes": ["confidential", "pii"], "residency": "region",
                "api_terms_acceptable": "yes", "own_cloud_acceptable": "yes", "latency_mode": "interactive",
                "ttft_target": 800, "tokens_per_s_target": 30, "single_geography": "yes",
                "task_types": ["creative", "extraction", "summarisation"], "capability_tier": "strong",
                "context_tokens": 32768, "candidate_models": ["llama-3.3-70b", "qwen2.5-72b"],
                "api_model": "gpt-4o", "fine_tuning_need": "critical", "fine_tuning_method": "lora", "prompt_engineering_tried": "yes",
                "fine_tuning_gain_demonstrated": "yes", "expected_gain": 18, "labelled_examples": 120000,
                "fine_tuning_runs": 12,
            },
        },
    )


def bank_low_latency() -> Assessment:
    return _assessment(
        "Harbour Bank - real-time payment screening",
        {
            "client_name": "Harbour Bank plc", "engagement_title": "Real-time payment message screening",
            "engagement_id": "HBP-2026-009", "industry": "financial_services", "region": "uk",
            "consultant_name": "Dana Whitfield", "client_contact": "Tom Achebe, Head of Payments Technology",
            "assessment_date": "2026-11-18",
            "ai_role": "core_feature", "competitive_moat": "no", "executive_sponsor": "yes", "time_to_value": "year",
            "current_api_provider": "azure_openai", "current_api_spend": 800, "horizon_months": 36,
            "ml_engineering": "experienced", "production_inference": "basic", "mlops_gpu_oncall": "experienced",
            "security_compliance_skill": "expert", "evaluation_practice": "experienced",
            "data_classification_policy": "enforced", "ai_usage_policy": "yes", "audit_logging": "yes",
            "pii_and_injection_controls": 4, "eval_datasets": "yes",
            "cloud_provider": "azure", "on_prem_allowed": "yes", "existing_data_centre": "yes",
            "existing_gpus": "no", "power_cost": 0.18, "prefer_reserved": "yes", "availability_required": "24x7",
        },
        {
            "Payment message classification": {
                "volume_method": "requests", "requests_per_day": 400000, "input_tokens": 350, "output_tokens": 10,
                "peak_to_average": 3, "growth_per_year": 10, "volume_basis": "measured", "measured_days": 90,
                "data_classes": ["payment", "pii"], "residency": "country", "api_terms_acceptable": "yes",
                "own_cloud_acceptable": "yes", "latency_mode": "realtime", "ttft_target": 40,
                "single_geography": "yes", "task_types": ["classification"], "capability_tier": "narrow",
                "context_tokens": 2048, "candidate_models": ["llama-3.1-8b", "qwen2.5-7b"],
                "api_model": "gpt-4o-mini", "fine_tuning_need": "helpful", "prompt_engineering_tried": "yes",
                "fine_tuning_gain_demonstrated": "yes", "expected_gain": 9, "labelled_examples": 250000,
                "fine_tuning_runs": 4,
            },
        },
    )


EXAMPLES = {
    "midsize-general-api.llmassess": midsize_with_scenarios,
    "brightline-2026q3.llmassess": midsize_last_quarter,
    "hospital-phi-on-prem.llmassess": hospital_phi,
    "ai-native-200m-tokens.llmassess": ai_native,
    "bank-low-latency.llmassess": bank_low_latency,
}


def main() -> None:
    for name, build in EXAMPLES.items():
        save_assessment(build(), HERE / name, keep_backup=False)
        print(f"wrote examples/{name}")


if __name__ == "__main__":
    main()
