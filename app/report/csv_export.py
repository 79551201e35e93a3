"""CSV exports for any other tool (issue 16): line_items.csv, assumptions.csv, pools.csv, cash_flow.csv.

UTF-8, a dot decimal and ISO dates whatever the display locale: figures are written with `repr`-exact
floats (Python's shortest round-trip form), never through app.report.formatting, which speaks the
consultant's locale. The columns are a contract: other tools read them by name."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from app.domain.evaluation import OPTION_IDS, Evaluation

LINE_ITEM_COLUMNS = ("option", "id", "label", "quantity", "unit", "rate_usd", "monthly_usd", "one_time_usd")
ASSUMPTION_COLUMNS = ("id", "label", "value", "default", "low", "high", "unit", "source", "as_of", "overridden",
                      "reason")
POOL_COLUMNS = ("option", "id", "model", "gpu", "provider", "instance", "precision", "engine", "replicas",
                "gpus_per_replica", "utilisation", "workloads", "monthly_usd")
CASH_FLOW_COLUMNS = ("option", "year", "usd", "discounted_usd")


def _cell(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # dot decimal, no grouping, round-trips exactly
    if isinstance(value, (tuple, list)):
        return ";".join(str(v) for v in value)
    return str(value)


def _table(columns: tuple[str, ...], rows: Iterable[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _line_items(evaluation: Evaluation):
    for option in OPTION_IDS:
        for i in evaluation.options[option].line_items:
            yield option, i.id, i.label, i.quantity, i.unit, i.rate_usd, i.monthly_usd, i.one_time_usd


def _assumptions(evaluation: Evaluation):
    for a in evaluation.assumptions:
        yield (a.id, a.label, a.value, a.default, a.low, a.high, a.unit, a.source, a.as_of, a.overridden,
               a.override_reason)


def _pools(evaluation: Evaluation):
    for option in OPTION_IDS:
        for p in evaluation.options[option].pools:
            yield (option, p.id, p.model, p.gpu, p.provider, p.instance, p.precision, p.engine, p.replicas,
                   p.gpus_per_replica, p.utilisation, p.workloads, p.monthly_usd)


def _cash_flow(evaluation: Evaluation):
    for option in OPTION_IDS:
        for c in evaluation.options[option].cash_flow_by_year:
            yield option, c.year, c.usd, c.discounted_usd


def csv_files(evaluation: Evaluation) -> dict[str, bytes]:
    """File name -> UTF-8 bytes of each CSV."""
    return {
        "line_items.csv": _table(LINE_ITEM_COLUMNS, _line_items(evaluation)),
        "assumptions.csv": _table(ASSUMPTION_COLUMNS, _assumptions(evaluation)),
        "pools.csv": _table(POOL_COLUMNS, _pools(evaluation)),
        "cash_flow.csv": _table(CASH_FLOW_COLUMNS, _cash_flow(evaluation)),
    }
