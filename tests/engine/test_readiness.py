"""Readiness: weighted option scores per dimension; Unknown and Not applicable are never scored as zero."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.assessment import Answer, AnswerStatus, Assessment, Workload
from app.engine.readiness import assess_readiness
from app.storage.assessment_files import load_assessment
from app.storage.catalogs import load_wording
from app.storage.pricing_catalog import load_pricing_catalog

PARAMS = load_pricing_catalog().defaults()
WORDS = load_wording()
UNKNOWN = Answer(status=AnswerStatus.UNKNOWN)
NOT_APPLICABLE = Answer(status=AnswerStatus.NOT_APPLICABLE)


def assessment(questionnaire, **answers) -> Assessment:
    return Assessment(questionnaire=questionnaire, workloads=[Workload(id="w1", name="Claims")],
                      organisation_answers={k: v if isinstance(v, Answer) else Answer(value=v)
                                            for k, v in answers.items()})


def test_dimension_score_is_the_weighted_mean_of_option_scores(default_questionnaire):
    # production_inference (weight 2): experienced = 75; mlops_gpu_oncall (weight 1): basic = 35.
    result = assess_readiness(assessment(default_questionnaire, production_inference="experienced",
                                         mlops_gpu_oncall="basic"), PARAMS, WORDS)
    assert result.dimensions["production_inference"] == pytest.approx((2 * 75 + 35) / 3)


def test_unknown_is_left_out_of_the_score_not_scored_zero(default_questionnaire):
    result = assess_readiness(assessment(default_questionnaire, production_inference="experienced",
                                         mlops_gpu_oncall=UNKNOWN), PARAMS, WORDS)
    assert result.dimensions["production_inference"] == pytest.approx(75)
    assert result.coverage["production_inference"] == pytest.approx(2 / 3)
    unknown_gaps = [g for g in result.gaps if g.question_id == "mlops_gpu_oncall"]
    assert unknown_gaps[0].text == "Unknown: MLOps / SRE with GPU on-call"
    assert unknown_gaps[0].action.startswith("Find out before deciding: MLOps / SRE with GPU on-call. Where it falls "
                                             "short: Run a pilot on vLLM")


def test_not_applicable_is_left_out_entirely(default_questionnaire):
    # security_compliance: skill (weight 2) expert = 100, audit logging (weight 1) N/A, scale 1-5 at 3 = 50.
    result = assess_readiness(assessment(default_questionnaire, security_compliance_skill="expert",
                                         audit_logging=NOT_APPLICABLE, pii_and_injection_controls=3), PARAMS, WORDS)
    assert result.dimensions["security_compliance"] == pytest.approx((2 * 100 + 50) / 3)
    assert not [g for g in result.gaps if g.question_id == "audit_logging"]


def test_a_dimension_with_nothing_scored_is_none_not_zero(default_questionnaire):
    result = assess_readiness(assessment(default_questionnaire, evaluation_practice=UNKNOWN,
                                         eval_datasets=UNKNOWN), PARAMS, WORDS)
    assert result.dimensions["evaluation"] is None


def test_overall_is_the_mean_of_the_known_dimensions(default_questionnaire):
    result = assess_readiness(assessment(default_questionnaire, production_inference="expert",
                                         mlops_gpu_oncall="expert", ml_engineering="none"), PARAMS, WORDS)
    assert result.dimensions["ml_engineering"] == 0
    assert result.overall == pytest.approx(50)


def test_each_gap_has_a_concrete_action_and_a_next_step(default_questionnaire):
    result = assess_readiness(assessment(default_questionnaire, production_inference="none"), PARAMS, WORDS)
    gap = next(g for g in result.gaps if g.question_id == "production_inference")
    assert gap.severity == "high"
    assert gap.text == "0/100 on 'Production inference (vLLM / TensorRT-LLM serving, batching, quantisation)'"
    assert gap.action.startswith("Run a pilot on vLLM or TGI with continuous batching")  # the dimension's action
    assert gap.action.endswith("Next step: 'Basic (prototypes, notebooks)'.")  # the next option up


def test_a_strong_answer_is_no_gap(default_questionnaire):
    result = assess_readiness(assessment(default_questionnaire, production_inference="expert"), PARAMS, WORDS)
    assert not [g for g in result.gaps if g.question_id == "production_inference"]


def test_gaps_fit_the_recommendation_and_none_is_listed_twice():
    from app.engine.evaluate import evaluate_core
    from app.storage.catalogs import load_catalogs
    examples = Path(__file__).parents[2] / "examples"
    catalogs = load_catalogs()
    api = evaluate_core(load_assessment(examples / "midsize-general-api.llmassess"), catalogs)
    assert api.recommendation == "api"
    dimensions = [g.dimension for g in api.readiness.gaps]
    assert not {"production_inference", "ml_engineering"} & set(dimensions)  # nothing to run on the API
    assert "competitive_moat" not in {g.question_id for g in api.readiness.gaps}
    assert len(dimensions) == len(set(dimensions))  # one gap per dimension's action
    assert api.readiness.gaps[0].severity == "high"
    assert "Model evaluation practice" in next(g.text for g in api.readiness.gaps if g.dimension == "evaluation")
    hybrid = evaluate_core(load_assessment(examples / "hospital-phi-on-prem.llmassess"), catalogs)
    assert hybrid.recommendation != "api" and "production_inference" in {g.dimension for g in hybrid.readiness.gaps}


def test_the_first_gap_is_the_largest_one_the_report_says_it_is(default_questionnaire):
    """Within a severity, the lowest-scored answer comes first ("The largest readiness gap is in ...")."""
    # ai_role "internal" scores 30 and comes first in the questionnaire; production_inference "none" scores 0.
    result = assess_readiness(assessment(default_questionnaire, ai_role="internal", production_inference="none"),
                              PARAMS, WORDS)
    high = [g for g in result.gaps if g.severity == "high"]
    assert [g.question_id for g in high][:2] == ["production_inference", "ai_role"]
    assert high[0].text.startswith("0/100") and high[1].text.startswith("30/100")
