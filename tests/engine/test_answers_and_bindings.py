from app.domain.assessment import Answer, AnswerStatus, Assessment, Confidence, Workload
from app.engine.answers import iter_visible_slots, progress
from app.engine.bindings import build_inputs


def _assessment(questionnaire, org=None, workload=None):
    answers = {k: v if isinstance(v, Answer) else Answer(value=v) for k, v in (workload or {}).items()}
    return Assessment(
        questionnaire=questionnaire,
        organisation_answers={k: Answer(value=v) for k, v in (org or {}).items()},
        workloads=[Workload(id="w1", name="Chat", answers=answers)],
    )


def _visible_ids(assessment):
    return {slot.question.id for slot in iter_visible_slots(assessment)}


def test_visible_if_switches_between_requests_and_tokens(default_questionnaire):
    by_requests = _assessment(default_questionnaire, workload={"volume_method": "requests"})
    assert "requests_per_day" in _visible_ids(by_requests)
    assert "tokens_per_day" not in _visible_ids(by_requests)
    by_tokens = _assessment(default_questionnaire, workload={"volume_method": "tokens"})
    assert "tokens_per_day" in _visible_ids(by_tokens)
    assert "requests_per_day" not in _visible_ids(by_tokens)


def test_default_applies_when_unanswered(default_questionnaire):
    # volume_method defaults to "requests", so requests_per_day shows on a fresh assessment.
    assert "requests_per_day" in _visible_ids(_assessment(default_questionnaire))


def test_progress_counts_visible_required_questions_per_workload(default_questionnaire):
    fresh = _assessment(default_questionnaire)
    state = progress(fresh)
    assert state.required_answered == 0 and not state.complete
    two = fresh.model_copy(update={"workloads": fresh.workloads + [Workload(id="w2", name="Search")]})
    # A new workload adds its visible required questions: volume basis, requests/day (visible through the
    # "requests" default), data classes, latency mode, task types, capability tier, fine-tuning need.
    assert progress(two).required_total - state.required_total == 7


def test_unknown_counts_as_answered_but_feeds_no_value(default_questionnaire):
    assessment = _assessment(default_questionnaire, workload={"data_classes": Answer(status=AnswerStatus.UNKNOWN)})
    slot = next(s for s in iter_visible_slots(assessment) if s.question.id == "data_classes")
    assert slot.answer.status == AnswerStatus.UNKNOWN
    inputs = build_inputs(assessment)
    assert inputs.workloads[0].data_classes == []
    assert "workload.w1.data_classes" not in inputs.provenance


def test_bindings_turn_answers_into_typed_inputs_with_provenance(default_questionnaire):
    assessment = _assessment(
        default_questionnaire,
        org={"client_name": "Acme", "ml_engineering": "expert", "current_api_spend": 15000},
        workload={"requests_per_day": Answer(value=20000, confidence=Confidence.MEASURED),
                  "input_tokens": 2000, "output_tokens": 500, "cached_prefix_share": 40,
                  "data_classes": ["phi"], "latency_mode": "realtime"},
    )
    inputs = build_inputs(assessment)
    workload = inputs.workloads[0]
    assert workload.tokens_per_day == 20000 * 2500
    assert workload.cached_input_share == 0.4  # asked in percent, fed as a share
    assert workload.data_classes == ["phi"] and workload.latency_mode == "realtime"
    assert inputs.organisation.client_name == "Acme"
    assert inputs.organisation.ml_engineering == "expert"
    assert inputs.organisation.current_api_spend_usd_per_month == 15000
    provenance = inputs.provenance["workload.w1.requests_per_day"]
    assert (provenance.question_id, provenance.confidence, provenance.defaulted) == ("requests_per_day", "measured", False)
    assert inputs.provenance["workload.w1.input_tokens_per_request"].confidence == "stated"
    assert inputs.provenance["workload.w1.peak_to_average_ratio"].defaulted


def test_hidden_questions_feed_nothing(default_questionnaire):
    assessment = _assessment(default_questionnaire, workload={"volume_method": "requests", "tokens_per_day": 9e9,
                                                               "requests_per_day": 10})
    assert build_inputs(assessment).workloads[0].tokens_per_day == 10 * (1000 + 250)


def test_volume_is_never_below_one_token_per_day(default_questionnaire):
    assert build_inputs(_assessment(default_questionnaire)).workloads[0].tokens_per_day == 1.0
