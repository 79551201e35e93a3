"""The deployment plan's tables as rows of text: serving pools, how each horizon figure is built, and the
bridge to the article. The report and the results screen both lay these out, so screen and paper agree."""

from __future__ import annotations

from html import unescape

from app.domain.evaluation import CashFlowYear, Evaluation, OptionCost, Pool
from app.report.facts import quantity
from app.report.fonts import FontSet
from app.report.formatting import Money, number, percent, tokens
from app.report.names import display_name, pool_label
from app.report.narrative import render_blocks

POOL_HEADERS = ("Pool", "Model", "Precision", "Engine", "Replicas x GPUs", "Where", "Busy", "Monthly", "Use cases")
CASH_FLOW_HEADERS = ("Year", "Traffic", "Cost", "Discounted")
BRIDGE_HEADERS = ("Figure", "The article", "Ours", "Why they differ")


def where(pool: Pool) -> str:
    return "owned" if pool.provider == "on_prem" else f"{display_name(pool.provider)} {pool.instance}".strip()


def pool_rows(pools: tuple[Pool, ...], evaluation: Evaluation, money: Money) -> list[tuple[str, ...]]:
    names = {w.workload_id: w.name for w in evaluation.workloads}
    return [(pool_label(p.id), display_name(p.model), display_name(p.precision), display_name(p.engine),
             f"{p.replicas} x {p.gpus_per_replica} {display_name(p.gpu)}", where(p),
             percent(p.utilisation, money.locale), money.amount(p.monthly_usd), ", ".join(names.get(w, w) for w in p.workloads))
            for p in pools]


def year_label(year: CashFlowYear) -> str:
    return "Up front" if year.year == 0 else f"Year {year.year}"


def cash_flow_rows(option: OptionCost, money: Money) -> list[tuple[str, ...]]:
    """Each year's traffic (with its growth over the first year), cost and discounted cost; then the
    horizon total and the NPV they sum to."""
    years = option.cash_flow_by_year
    first = years[0].tokens_per_day if years else 0.0
    rows = [(year_label(y), _traffic(y.tokens_per_day, first, money.locale), money.amount(y.usd), money.amount(y.discounted_usd))
            for y in years]
    return [*rows, ("Total (NPV)", "", money.amount(option.horizon_usd), money.amount(option.npv_usd))]


def _traffic(tokens_per_day: float, first: float, locale: str) -> str:
    shown = f"{tokens(tokens_per_day, locale)}/day"
    if first <= 0 or tokens_per_day <= first:
        return shown
    return f"{shown} (+{percent(tokens_per_day / first - 1, locale)})"


def payback(option: OptionCost) -> str:
    if option.option == "api" or option.payback_months is None:
        return ""
    return "from the start" if option.payback_months == 0 else f"{option.payback_months:.0f} months"


def bridge_rows(evaluation: Evaluation, money: Money) -> list[dict[str, str]]:
    """label, article (its range), ours and the `why` code of each bridge row, formatted."""
    def shown(value: float | None, unit: str) -> str:
        return "not available" if value is None else quantity(value, unit, money)

    return [{"label": r.label, "why": r.why, "ours": shown(r.ours, r.unit),
             "article": shown(r.article_value, r.unit) if r.article_low == r.article_high else
             _range(shown(r.article_low, r.unit), shown(r.article_high, r.unit))} for r in evaluation.article_bridge]


def _range(low: str, high: str) -> str:
    """'$2,500 to $4,000 per GPU-month': the unit once."""
    unit = low[low.find(" "):] if " " in low else ""
    return f"{low[:-len(unit)]} to {high}" if unit and high.endswith(unit) else f"{low} to {high}"


def bridge_table(evaluation: Evaluation, money: Money, fonts: FontSet) -> list[tuple[str, str, str, str]]:
    """The bridge as plain-text table rows, each reason worded by the report's template (bridge_why.j2)."""
    return [(r["label"], r["article"], r["ours"], _why(r["why"], fonts)) for r in bridge_rows(evaluation, money)]


def _why(code: str, fonts: FontSet) -> str:
    blocks = render_blocks("bridge_why.j2", fonts, {"code": code})
    return " ".join(unescape(b.markup) for b in blocks)


USE_CASE_HEADERS = ("Use case", "Hybrid route", "Served by", "First token: target", "Sized", "Margin",
                    "Tokens/s per user: target", "Sized")


def use_case_rows(evaluation: Evaluation, targets: dict[str, tuple[float | None, float | None]],
                  locale: str) -> list[tuple[str, ...]]:
    """Every use case: where the hybrid option routes it, what serves it when self-hosted, and its latency
    targets (`targets`: workload id -> (first-token ms, tokens/s per user)) beside what its sizing gives."""
    from app.domain.evaluation import OPTION_LABELS
    rows = []
    for w in evaluation.workloads:
        ttft_target, speed_target = targets.get(w.workload_id, (None, None))
        s = w.sizing
        served = (f"{display_name(s.model)} on {s.replicas} x {s.gpus_per_replica} {display_name(s.gpu)}"
                  if s is not None else "—")
        ttft = s.ttft_ms if s is not None else None
        speed = 1000 / s.tpot_ms if s is not None and s.tpot_ms else None
        rows.append((w.name, OPTION_LABELS[w.route], served, _target(ttft_target, "ms", locale),
                     number(ttft, "ms", locale=locale), _margin(ttft_target, ttft, locale),
                     _target(speed_target, "tokens/s", locale), number(speed, "tokens/s", locale=locale)))
    return rows


def _target(value: float | None, unit: str, locale: str) -> str:
    return "none set" if value is None else number(value, unit, locale=locale)


def _margin(target_ms: float | None, sized_ms: float | None, locale: str) -> str:
    """Time to first token against its target: headroom, or by how much it misses."""
    if target_ms is None or sized_ms is None:
        return "—"
    spare = target_ms - sized_ms
    return f"{number(spare, 'ms', locale=locale)} to spare" if spare >= 0 else f"misses by {number(-spare, 'ms', locale=locale)}"


def latency_targets(assessment) -> dict[str, tuple[float | None, float | None]]:
    """Each use case's first-token and per-user speed targets, as the engine reads them from the answers."""
    from app.engine.bindings import build_inputs
    return {w.workload_id: (w.ttft_target_ms, w.tokens_per_s_per_user_target)
            for w in build_inputs(assessment).workloads}
