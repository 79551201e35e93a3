"""The exported plan year by year: each option's line items in every year of the horizon, as the engine
prices them for its cash flow (volumes grown, replicas following traffic, instance prices falling where
the catalog says), so the Excel model can rebuild the cash flow from quantity x rate lines. Pure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.domain.evaluation import OPTION_IDS
from app.engine.costs import MONTHS_PER_YEAR, grown, option_items, years_of
from app.engine.scenario import Context


@dataclass(frozen=True)
class YearItem:
    id: str
    quantity: float
    rate_usd: float
    monthly_usd: float
    one_time_usd: float


def _at(value, year: int) -> float:
    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return float(array)
    return float(np.ravel(array.reshape(array.shape[0], -1)[year])[0]) if array.shape[0] > 1 else float(np.ravel(array)[0])


def yearly_items(ctx: Context) -> dict[str, list[list[YearItem]]]:
    """option id -> one list of items per running year (year 1 first)."""
    years = years_of(ctx.horizon_months)
    workloads = grown(ctx.workloads, ctx.horizon_months)
    out: dict[str, list[list[YearItem]]] = {}
    for option in OPTION_IDS:
        items = option_items(option, workloads, ctx.params, ctx.org, year=years, **ctx.routing())
        out[option] = [[YearItem(i.id, _at(i.quantity_rate[0], y), _at(i.quantity_rate[1], y), _at(i.monthly, y),
                                 _at(i.one_time, y)) for i in items] for y in range(len(years))]
    return out


def months_in_year(horizon_months: int, year: int) -> int:
    """Months of running year `year` (1-based) inside the horizon."""
    return max(0, min(MONTHS_PER_YEAR, horizon_months - MONTHS_PER_YEAR * (year - 1)))
