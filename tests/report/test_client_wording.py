"""Client-facing words: no "seed" (the article is cited by its title in the methodology, elsewhere as an
industry benchmark) in the questionnaire, the report's templates, the assumptions' texts or the examples."""

from __future__ import annotations

import json
import re
from pathlib import Path

from app.storage.catalogs import load_catalogs
from app.storage.questionnaires import load_default_questionnaire

REPO = Path(__file__).resolve().parents[2]
SEED = re.compile(r"\bseed\b|\bseed's", re.IGNORECASE)
TITLE = "Open Source LLMs for Enterprise: The Self-Hosting Calculus"


def test_the_questionnaire_never_says_seed():
    texts = []
    for section in load_default_questionnaire().sections:
        texts += [section.title, section.description or ""]
        for q in section.questions:
            texts += [q.label, q.help or "", q.guidance or "", *(o.label for o in q.choice_options)]
    assert [t for t in texts if SEED.search(t)] == []


def test_templates_never_say_seed_and_the_methodology_cites_the_title():
    for path in (REPO / "templates").rglob("*.j2"):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S)  # comments are for developers
        assert not SEED.search(text), path.name
    assert TITLE in (REPO / "templates" / "report" / "methodology.j2").read_text()


def test_assumptions_never_say_seed():
    for assumption_id, a in load_catalogs().pricing.assumptions.items():
        for text in (a.label, a.description, a.rationale, a.source.source):
            assert not SEED.search(text or ""), (assumption_id, text)


def test_the_examples_carry_the_same_words():
    for path in (REPO / "examples").glob("*.llmassess"):
        questionnaire = json.dumps(json.loads(path.read_text())["questionnaire"])
        assert not SEED.search(questionnaire), path.name
