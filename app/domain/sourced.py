"""Every catalog value and assumption says where it came from and when."""

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Base for data-file models: unknown keys are errors (a typo in YAML must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where a figure comes from: a citation, the date it was true, and how much we trust it."""

    source: str = Field(min_length=3, description="Citation: publisher, document, locator")
    as_of: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    confidence: str = Field(default="medium", pattern="^(high|medium-high|medium|low|rationale)$")
    notes: str = ""
