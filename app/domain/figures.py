"""Figures inside the engine's sentences (a reason, a roadmap trigger, the headline, what a lever bought), kept
apart from the words so each reader prints them in its own currency and locale. The sentence field itself holds
the en_US/USD rendering, which is what the machine-readable outputs (`evaluate --json`) carry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FigureKind = Literal["usd", "usd_per_month", "usd_per_million_tokens", "tokens_per_day", "percent", "number"]


class _Sentence(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Figure(_Sentence):
    """A number inside an engine sentence, kept apart so each reader prints it in its currency and locale."""
    kind: FigureKind
    value: float

    def english(self) -> str:
        """en_US and USD, as the machine-readable outputs print it: '$48,582/month', '88.8M tokens/day'."""
        if self.kind == "usd":
            return f"${self.value:,.0f}"
        if self.kind == "usd_per_month":
            return f"${self.value:,.0f}/month"
        if self.kind == "usd_per_million_tokens":
            return f"${self.value:,.2f} per million tokens"
        if self.kind == "percent":
            return f"{self.value * 100:.0f}%"
        if self.kind == "number":
            return f"{self.value:,.0f}"
        return f"{self.value / 1e6:,.1f}M tokens/day"


class Worded(_Sentence):
    """A result whose sentences hold figures. The sentence field itself (a reason's text, a phase's trigger)
    holds the en_US/USD rendering, for JSON and CSV; `wordings` holds, per field, the sentence with {name}
    where placed[name] goes, so the report and the screen print the figures in the display locale. Neither is
    part of the JSON output: its `figures` (where a result has them) are plain numbers."""
    wordings: dict[str, str] = Field(default_factory=dict, exclude=True)
    placed: dict[str, Figure] = Field(default_factory=dict, exclude=True)

    def fill(self, field: str, show: Callable[[Figure], str]) -> str:
        wording = self.wordings.get(field)
        if wording is None:
            return getattr(self, field)
        return wording.format_map({name: show(value) for name, value in self.placed.items()})


def worded(field: str, wording: str, **figures: Figure) -> dict:
    """The keyword arguments of a Worded result: `field` in en_US/USD, its wording and its figures.
    `wording` is engine text; user text in it must have its braces doubled (literal())."""
    return {field: wording.format_map({name: value.english() for name, value in figures.items()}),
            "wordings": {field: wording}, "placed": figures}


def literal(text: str) -> str:
    """User text (a use case's name) placed in a wording: its braces are not placeholders."""
    return text.replace("{", "{{").replace("}", "}}")
