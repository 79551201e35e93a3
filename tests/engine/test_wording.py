"""The decision's templates render to English for JSON and to a wording whose figures each reader prints."""

import re

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
