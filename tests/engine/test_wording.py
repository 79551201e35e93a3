"""The decision's templates render to English for JSON and to a wording whose figures each reader prints."""

import re
from pathlib import Path

import pytest

from app.domain.figures import Figure
from app.engine import wording
from app.storage.catalogs import load_wording

SOURCES = {"t.j2": "{{ names | join(', ') }} saves {{ f.saving | usd }} ({{ f.share | percent }}) at "
                   "{{ f.volume | tokens }} over {{ f.days | number }} days."}


def test_english_text_and_a_wording_with_the_same_figures():
    found = wording.worded_fields(SOURCES, {"text": "t.j2"}, names=("Chat {x}",),
                                  f={"saving": 12345.6, "share": 0.455, "volume": 88.8e6, "days": 90})
    assert found["text"] == "Chat {x} saves $12,346 (46%) at 88.8M tokens/day over 90 days."
    assert found["wordings"]["text"] == "Chat {{x}} saves {text_0} ({text_1}) at {text_2} over {text_3} days."
    assert found["placed"] == {"text_0": Figure(kind="usd", value=12345.6), "text_1": Figure(kind="percent", value=0.455),
                               "text_2": Figure(kind="tokens_per_day", value=88.8e6),
                               "text_3": Figure(kind="number", value=90)}
    filled = found["wordings"]["text"].format_map({k: v.english() for k, v in found["placed"].items()})
    assert filled == found["text"]  # the user's braces come back as typed, the figures as in the English


def test_two_fields_keep_their_figures_apart():
    found = wording.worded_fields({"a.j2": "{{ x | usd }}", "b.j2": "{{ y | usd }}"},
                                  {"title": "a.j2", "trigger": "b.j2"}, x=1, y=2)
    assert found["wordings"] == {"title": "{title_0}", "trigger": "{trigger_1}"}
    assert found["placed"]["trigger_1"].value == 2


@pytest.mark.parametrize("name, source", sorted(load_wording().items()))
def test_no_template_prints_a_literal_brace(name, source):
    """A literal brace in a template's output would read as a placeholder in its wording."""
    text = re.sub(r"\{[{%#].*?[}%#]\}", "", source, flags=re.S)
    assert "{" not in text and "}" not in text, name


def test_a_stated_bill_far_from_the_priced_volume_is_a_notice_each_reader_prints_in_its_currency():
    from app.domain.assessment import Answer
    from app.engine.evaluate import evaluate_core
    from app.report.formatting import Money, worded
    from app.storage.assessment_files import load_assessment
    from app.storage.catalogs import load_catalogs
    assessment = load_assessment(Path(__file__).parents[2] / "examples" / "midsize-general-api.llmassess")
    answers = {**assessment.organisation_answers, "current_api_spend": Answer(value=250_000.0)}
    result = evaluate_core(assessment.model_copy(update={"organisation_answers": answers}), load_catalogs())
    notice = next(n for n in result.notices if n.code == "spend_mismatch")
    assert notice.text.startswith("The stated API spend ($250,000/month) is 19.3x")  # 250,000 / 12,970
    assert notice.text in result.warnings  # what evaluate --json carries
    german = worded(notice, Money("EUR", 0.5, "2026-11-30", "de_DE"))
    assert german.startswith("The stated API spend (125.000\xa0€/month)") and "$" not in german


def test_line_item_notes_are_worded_with_their_figures_and_no_plural_guesswork():
    from app.engine.evaluate import evaluate_core
    from app.storage.assessment_files import load_assessment
    from app.storage.catalogs import load_catalogs
    result = evaluate_core(load_assessment(Path(__file__).parents[2] / "examples" / "hospital-phi-on-prem.llmassess"),
                           load_catalogs())
    notes = {i.id: i for i in result.options["self_host_on_prem"].line_items if i.note}
    assert re.fullmatch(r"capital outlay \$\d{1,3}(,\d{3})+", notes["hardware_amortisation"].note)
    assert re.fullmatch(r"\d+ (pool|pools), \d+ (model|models)", notes["ml_engineer"].note)
    assert "(s)" not in " ".join(i.note for i in notes.values())


def test_a_remembered_render_is_the_render_and_callers_get_their_own_dicts():
    """wording memoises renders (the core evaluation repeats them on every keystroke): the same facts give the
    same words, other facts other words, and a caller changing its result changes nobody else's."""
    from app.engine import wording
    from app.storage.catalogs import load_wording
    words = load_wording()
    facts = dict(code="measured_too_short", names=("Support",), figures={"measured_days": 30.0,
                                                                         "volume_measurement_days": 90.0})
    first = wording.worded_fields(words, {"text": "notice.j2"}, **facts)
    first["placed"].clear()
    again = wording.worded_fields(words, {"text": "notice.j2"}, **facts)
    assert again["text"] == "Support: volume measured over 30 days; the industry benchmark asks for 90." and again["placed"]
    other = wording.worded_fields(words, {"text": "notice.j2"}, **{**facts, "figures": {**facts["figures"],
                                                                                        "measured_days": 45.0}})
    assert "45 days" in other["text"]
