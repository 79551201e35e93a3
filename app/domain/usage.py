"""Measured usage read from a provider's usage export: time buckets of token counts per model, and the
figures the advisor derives from them (docs/usage-exports.md says exactly which fields feed which count)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.domain.errors import AdvisorError


class UsageExportError(AdvisorError):
    """A usage export cannot be read: names the file and what is wrong, in one line."""


class _Usage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)


class UsageRow(_Usage):
    """One model's usage within one bucket, in the advisor's token definitions: `input_tokens` counts every
    input token (cached ones included) and `cached_input_tokens` the cache reads among them."""

    model: str
    input_tokens: int = Field(ge=0)
    output_tokens: int = Field(ge=0)
    cached_input_tokens: int = Field(default=0, ge=0)
    requests: int | None = Field(default=None, ge=0)  # None: the export does not count requests


class UsageBucket(_Usage):
    """A time bucket of the export (start in UTC, width in seconds) and the usage in it; a bucket with no
    rows still says the period was covered (zero usage)."""

    start: datetime
    width_seconds: int = Field(gt=0)
    rows: tuple[UsageRow, ...] = ()


class UsageFigures(_Usage):
    """The measured figures for one model or for the total (the `usage summarize --json` contract)."""

    days: int = Field(ge=0)
    tokens_per_day: float = Field(ge=0)
    input_tokens_per_day: float = Field(ge=0)
    output_tokens_per_day: float = Field(ge=0)
    cached_input_share: float | None = Field(ge=0, le=1)
    requests_per_day: float | None = Field(ge=0)
    peak_to_average_ratio: float | None = Field(ge=1)
    growth_share_per_month: float | None


class ModelUsage(UsageFigures):
    model: str  # the export's model string, verbatim
    first_day: date
    last_day: date


class UsageSummary(_Usage):
    bucket_seconds: int = Field(gt=0)
    first_day: date
    last_day: date
    models: tuple[ModelUsage, ...]
    total: UsageFigures
    # Tokens (input + output) per UTC day with a bucket, per model and in total, for charts.
    daily_tokens: dict[str, tuple[tuple[date, int], ...]] = Field(default_factory=dict)
    total_daily_tokens: tuple[tuple[date, int], ...] = ()

    def model(self, name: str) -> ModelUsage:
        for entry in self.models:
            if entry.model == name:
                return entry
        known = ", ".join(m.model for m in self.models)
        raise UsageExportError(f"model '{name}' is not in the export (models: {known})")


class PricedModel(_Usage):
    """An export model priced at a catalog API model's list prices (None: no catalog model matches)."""

    model: str
    api_model_id: str | None
    usd_per_month: float | None = Field(default=None, ge=0)


class UsageReconciliation(_Usage):
    """The stated API bill beside the export's usage priced at list prices."""

    models: tuple[PricedModel, ...]
    priced_usd_per_month: float = Field(ge=0)
    stated_usd_per_month: float | None = None
    stated_over_priced: float | None = None  # None without a stated bill or a priced volume
    within_tolerance: bool | None = None  # inside the api_spend_mismatch_factor either way
