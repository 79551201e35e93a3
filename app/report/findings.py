"""What a finance reader needs to rebuild the report from its pages (issue 16), gathered as formatted facts:
each line as quantity x rate with a total that reconciles with the items as printed, the prices the plan uses
with source and as-of, the saving against the next-best option and against the client's stated bill, and a
risk register drawn from this client's own figures. Nothing here computes a result: it selects, compares
figures the Evaluation holds, and formats. The words are in templates/report/*.j2."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from app.domain.assessment import Assessment
from app.domain.catalogs import Catalogs
from app.domain.evaluation import OPTION_LABELS, Evaluation, LineItem, OptionCost, option_for_recommendation
from app.domain.numbers import format_money, localise
from app.report.formatting import Money, percent, round_half_up, tokens
from app.report.names import display_name, with_names

# A tipping point this close to today (as a share of today's value) is a risk worth a line of its own.
NEAR_FLIP_SHARE = 1.0
# A probability that self-hosting is cheaper inside this band is a close call.
CLOSE_CALL = (0.2, 0.8)
# Row ids of the project's reference tables ("reference PRICE-03", "api_prices.csv API-16:"), which a reader
# outside the project cannot follow, and "(rationale)" markers whose rationale the assumption table prints.
_INTERNAL_REFERENCE = re.compile(r"\s*\((?:reference|row|rows) [A-Z]+-\d+[^)]*\)|;?\s*reference [A-Z]+-\d+(?: for [^;,)]*)?"
                                 r"|\b[\w-]+\.csv [A-Z]+-\d+(?:/\d+)*:?\s*|\s*\(rationale\)")
# One API provider carrying at least this share of the recommended plan's token spend is a dependency to manage.
PROVIDER_SHARE = 0.6
PROVIDER_PLAN_SHARE = 0.1  # ... when that spend is at least this share of the plan's monthly cost
SEVERITY = {"high": 0, "medium": 1, "low": 2}
GAPS_IN_REGISTER = 3  # high-severity readiness gaps in the register, in the Evaluation's order


LINE_HEADERS = ("Item", "Quantity x rate", "Monthly", "One-time", "Rests on")


@dataclass(frozen=True)
class Line:
    label: str
    quantity_rate: str  # '2,190 instance-hours x $3.673', printed so that it multiplies out to `monthly`
    monthly: str
    one_time: str
    rests_on: str


@dataclass(frozen=True)
class LineTable:
    lines: tuple[Line, ...]
    monthly: str
    one_time: str
    # Where the items as printed do not add up to a total: (which total, the printed sum, the gap, whether the
    # sum is above the total), worded by templates/report/rounding.j2.
    rounding: tuple[tuple[str, str, str, bool], ...] = ()


@dataclass(frozen=True)
class Saving:
    against: str  # what the recommendation is compared with
    monthly: str  # the monthly difference, always as a positive amount
    horizon: str
    share: str  # of the compared cost
    cheaper: bool  # the recommendation costs less


@dataclass(frozen=True)
class Risk:
    code: str  # worded by templates/report/risk_register.j2
    severity: str  # high, medium, low
    figures: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Findings:
    cheapest: str  # label of the cheapest feasible option over the horizon, "" when none is feasible
    cheapest_monthly: str
    next_best: Saving | None
    stated_bill: str  # the client's current monthly API bill as stated, "" when not stated
    versus_bill: Saving | None
    risks: tuple[Risk, ...]
    prices: tuple[tuple[str, str, str, str], ...]  # what, price, source, as of
    serving: str  # the self-hosted plan in a phrase, "" when there is none
    rationales: dict[str, str] = field(default_factory=dict)  # assumption id -> why its default was chosen


def clean_source(text: str) -> str:
    """A source as a reader can follow it: no internal row ids of the reference data, no 'see rationale'."""
    text = _INTERNAL_REFERENCE.sub("", text)
    return re.sub(r",?\s*see rationale", "", text).strip(" ;,")


def source_and_rationale(assumption, rationales: dict[str, str]) -> str:
    """An assumption's source as a reader can follow it, and why its default was chosen where a rationale
    says so (a source of 'Advisor default, see rationale' printed no rationale)."""
    source = clean_source(assumption.source)
    rationale = rationales.get(assumption.id, "")
    return f"{source}: {rationale}" if rationale and source else (rationale or source)


# ------------------------------------------------------------------------------------------ lines

def quantity_rate(item: LineItem, money: Money) -> str:
    """'2,190 azure NC24 hours x $3.673': the fewest decimals for which the printed quantity times the printed
    rate rounds to the printed monthly amount."""
    if not item.quantity and not item.rate_usd:
        return "—"
    rate = money.convert(item.rate_usd)
    target = round_half_up(money.convert(item.monthly_usd), Decimal(1))
    best = None
    for q_places in range(6):  # an FTE share such as 0.15625 needs five places
        share = item.unit.startswith("USD")  # quantity in money, rate a share of it
        q = round_half_up(money.convert(item.quantity) if share else item.quantity, Decimal(1).scaleb(-q_places))
        for r_places in range(2, 9):
            r = round_half_up(item.rate_usd if share else rate, Decimal(1).scaleb(-r_places))
            if round_half_up(float(q * r), Decimal(1)) == target:
                best = (q_places, r_places)
                break
        if best:
            break
    q_places, r_places = best or (5, 8)
    quantity, unit = _quantity(item, q_places, money)
    if item.unit.startswith("USD"):  # the rate is a share of the amount: a percentage
        rate_text = localise(f"{item.rate_usd * 100:.{max(r_places - 2, 0)}f}%", money.locale)
    else:
        rate_text = format_money(rate, money.currency, money.locale, decimals=r_places)
    return f"{quantity} {unit} x {rate_text}".replace("  ", " ")


def _quantity(item: LineItem, places: int, money: Money) -> tuple[str, str]:
    if item.unit.startswith("USD"):  # capital or spend the rate is a share of: a money amount
        shown = format_money(money.convert(item.quantity), money.currency, money.locale, decimals=places)
        return shown, item.unit[len("USD"):].strip()
    return localise(f"{item.quantity:,.{places}f}", money.locale), with_names(item.unit)  # "AWS p5.48xlarge hours"


def line_table(cost: OptionCost, money: Money, rests_on) -> LineTable:
    """The option's lines and totals as printed; a note when the rounded items do not add up to the total."""
    lines = tuple(Line(with_names(i.label), quantity_rate(i, money), money.amount(i.monthly_usd),
                       money.amount(i.one_time_usd) if i.one_time_usd else "—", rests_on(i))
                  for i in cost.line_items)
    rounding = []
    for key, label in (("monthly_usd", "monthly"), ("one_time_usd", "one-time")):
        printed = sum(round_half_up(money.convert(getattr(i, key)), Decimal(1)) for i in cost.line_items)
        total = round_half_up(money.convert(getattr(cost, key)), Decimal(1))
        if printed != total:
            rounding.append((label, format_money(printed, money.currency, money.locale, decimals=0),
                             format_money(abs(total - printed), money.currency, money.locale, decimals=0),
                             printed > total))
    return LineTable(lines, money.amount(cost.monthly_usd), money.amount(cost.one_time_usd), tuple(rounding))


# ------------------------------------------------------------------------------------------ savings

def _printed_difference(money: Money, usd: float, other_usd: float) -> str:
    """The difference of two amounts as the tables print them (whole units), so a saving is always the
    difference of two printed figures."""
    shown = round_half_up(money.convert(usd), Decimal(1)) - round_half_up(money.convert(other_usd), Decimal(1))
    return format_money(abs(shown), money.currency, money.locale, decimals=0)


def _compare(recommended: OptionCost, against_label: str, monthly_usd: float, horizon_usd: float | None,
             money: Money) -> Saving:
    difference = monthly_usd - recommended.monthly_usd
    horizon = "" if horizon_usd is None else _printed_difference(money, horizon_usd, recommended.horizon_usd)
    return Saving(against=against_label, monthly=_printed_difference(money, monthly_usd, recommended.monthly_usd),
                  horizon=horizon,
                  share=percent(abs(difference) / monthly_usd, money.locale) if monthly_usd else "",
                  cheaper=difference >= 0)


def _next_best(evaluation: Evaluation, recommended: str, money: Money) -> Saving | None:
    """The cheapest feasible option over the horizon with a plan of its own: a hybrid that routes everything
    to the API is the API again, not an alternative."""
    mine = evaluation.options[recommended]
    others = [o for o in evaluation.options.values() if o.option != recommended and o.feasible
              and not math.isclose(o.horizon_usd, mine.horizon_usd, rel_tol=1e-9, abs_tol=0.5)]
    if not others:
        return None
    other = min(others, key=lambda o: o.horizon_usd)
    return _compare(mine, OPTION_LABELS[other.option], other.monthly_usd, other.horizon_usd, money)


# ------------------------------------------------------------------------------------------ risks

def _providers(cost: OptionCost, catalogs: Catalogs | None) -> dict[str, float]:
    """API spend by provider on an option's token lines."""
    spend: dict[str, float] = {}
    models = catalogs.pricing.api_models if catalogs else {}
    for item in cost.line_items:
        model = next((r.partition(":")[2] for r in item.rests_on if r.startswith("api_model:")), None)
        if model in models:
            spend[models[model].provider] = spend.get(models[model].provider, 0.0) + item.monthly_usd
    return spend


def _risks(assessment: Assessment, evaluation: Evaluation, recommended: str | None, money: Money,
           quantity, catalogs: Catalogs | None) -> tuple[Risk, ...]:
    risks: list[Risk] = []
    for point in evaluation.tipping_points:
        if point.flips_at is None or not point.flips_to or not point.current:
            continue
        change = point.flips_at / point.current - 1
        if abs(change) <= NEAR_FLIP_SHARE:
            risks.append(Risk("tipping_point", "high" if abs(change) <= 0.25 else "medium", {
                "input": point.label or point.input, "current": quantity(point.current, point.unit),
                "flips_at": quantity(point.flips_at, point.unit), "change": percent(abs(change), money.locale),
                "direction": "rises" if change > 0 else "falls",
                "becomes": OPTION_LABELS[option_for_recommendation(point.flips_to)]}))
    projected = [w.name for w in assessment.workloads
                 if getattr(w.answers.get("volume_basis"), "value", None) not in ("measured",)]
    if projected:
        risks.append(Risk("volume_projected", "high" if len(projected) == len(assessment.workloads) else "medium", {
            "workloads": ", ".join(projected), "count": str(len(projected)), "of": str(len(assessment.workloads)),
            "tokens_per_day": tokens(evaluation.tokens_per_day, money.locale)}))
    if evaluation.uncertainty is not None:
        p = evaluation.uncertainty.probability_self_host_cheaper
        if CLOSE_CALL[0] <= p <= CLOSE_CALL[1]:
            risks.append(Risk("close_call", "high", {"probability": percent(p, money.locale)}))
    if evaluation.stale_price_ids:
        risks.append(Risk("stale_prices", "medium", {"count": str(len(evaluation.stale_price_ids))}))
    high = [g for g in evaluation.readiness.gaps if g.severity == "high"]
    for gap in high[:GAPS_IN_REGISTER]:
        risks.append(Risk("readiness_gap", "high", {
            "dimension": evaluation.readiness.dimension_labels.get(gap.dimension, gap.dimension),
            "gap": gap.text, "action": gap.action}))
    if recommended in ("self_host_cloud", "self_host_on_prem", "hybrid") and evaluation.sizing is not None:
        sizing = evaluation.sizing
        risks.append(Risk("gpu_operations", "medium", {
            "replicas": str(sizing.replicas), "gpus": f"{sizing.gpus_per_replica} x {display_name(sizing.gpu)}"}))
    spend = _providers(evaluation.options[recommended], catalogs) if recommended else {}
    if spend and sum(spend.values()) > 0:
        provider, top = max(spend.items(), key=lambda item: item[1])
        share = top / sum(spend.values())
        if share >= PROVIDER_SHARE and top >= PROVIDER_PLAN_SHARE * evaluation.options[recommended].monthly_usd:
            risks.append(Risk("provider_concentration", "medium", {
                "provider": provider, "share": percent(share, money.locale), "monthly": money.amount(top)}))
    for option in evaluation.options.values():
        if not option.feasible and option.infeasible_reason:
            # With nothing feasible, each constraint is what stands between the client and any plan.
            severity = "high" if not any(o.feasible for o in evaluation.options.values()) else "low"
            risks.append(Risk("constraint", severity, {"option": OPTION_LABELS[option.option],
                                                     "reason": option.infeasible_reason}))
    return tuple(sorted(risks, key=lambda r: SEVERITY[r.severity]))


# ------------------------------------------------------------------------------------------ prices

def _prices(evaluation: Evaluation, catalogs: Catalogs | None, money: Money) -> tuple[tuple[str, str, str, str], ...]:
    """Every catalog price a line of any option rests on: API list prices, instance rates, GPU capital."""
    if catalogs is None:
        return ()
    used = dict.fromkeys(r for o in evaluation.options.values() for i in o.line_items for r in i.rests_on if ":" in r)
    rows = []
    for entry in used:
        kind, _, key = entry.partition(":")
        if kind == "api_model" and key in catalogs.pricing.api_models:
            m = catalogs.pricing.api_models[key]
            rows.append((f"{m.label}, per million tokens", f"input {money.price(m.usd_per_million_input_tokens)}, "
                         f"output {money.price(m.usd_per_million_output_tokens)}, cached input "
                         f"{money.price(m.usd_per_million_cached_input_tokens)}", clean_source(m.source.source),
                         m.source.as_of))
        elif kind == "instance":
            instance = next((i for i in catalogs.instances.instances.values()
                             if f"{i.provider}:{i.name}" == key), None)
            if instance is not None:
                rows.append((f"{display_name(instance.provider)} {instance.name} ({instance.gpus} x {display_name(instance.gpu)}), per hour",
                             f"on demand {money.price(instance.on_demand_usd_per_hour)}, 1-year "
                             f"{money.price(instance.committed_1y_usd_per_hour)}, 3-year "
                             f"{money.price(instance.committed_3y_usd_per_hour)}", clean_source(instance.source.source),
                             instance.source.as_of))
        elif kind == "gpu" and key in catalogs.hardware.gpus:
            g = catalogs.hardware.gpus[key]
            rows.append((f"{g.name}, capital per GPU", f"GPU {money.amount(g.purchase_usd.usd)}, server share "
                         f"{money.amount(g.server_usd_per_gpu_slot.usd)}; market rent "
                         f"{money.price(g.on_demand_usd_per_gpu_hour.typical)} per GPU-hour",
                         clean_source(g.purchase_usd.source.source), g.purchase_usd.source.as_of))
    power = next((a for a in evaluation.assumptions if a.id == "power_usd_per_kwh"), None)
    if power is not None and any(i.id == "power" for o in evaluation.options.values() for i in o.line_items):
        rows.append((power.label, f"{money.price(power.value)} per kWh", clean_source(power.source), power.as_of))
    return tuple(rows)


def catalog_names(catalogs: Catalogs | None) -> dict[str, str]:
    """Catalog entry id -> what a reader calls it ('Anthropic Claude Sonnet 4 list price')."""
    if catalogs is None:
        return {}
    names = {f"api_model:{k}": f"{m.label} list price" for k, m in catalogs.pricing.api_models.items()}
    names |= {f"instance:{i.provider}:{i.name}": f"{display_name(i.provider)} {i.name} instance rate"
              for i in catalogs.instances.instances.values()}
    names |= {f"gpu:{k}": f"{g.name} price" for k, g in catalogs.hardware.gpus.items()}
    names |= {f"article:{k}": f"the industry benchmark's {a.label.lower()} (bridge to the article)"
              for k, a in catalogs.pricing.article.items()}
    return names


def gather_findings(assessment: Assessment, evaluation: Evaluation, money: Money, catalogs: Catalogs | None,
                    quantity) -> Findings:
    """`quantity(value, unit)` formats a figure in its unit (app.report.facts.quantity)."""
    from app.engine.bindings import build_inputs

    recommended = option_for_recommendation(evaluation.recommendation) if evaluation.recommendation else None
    feasible = [o for o in evaluation.options.values() if o.feasible]
    cheapest = min(feasible, key=lambda o: o.horizon_usd) if feasible else None
    stated = build_inputs(assessment).organisation.current_api_spend_usd_per_month
    mine = evaluation.options.get(recommended) if recommended else None
    return Findings(
        cheapest=OPTION_LABELS[cheapest.option] if cheapest else "",
        cheapest_monthly=money.amount(cheapest.monthly_usd) if cheapest else "",
        next_best=_next_best(evaluation, recommended, money) if mine else None,
        stated_bill=money.amount(stated) if stated else "",
        versus_bill=_compare(mine, "the current API bill", stated, None, money) if mine and stated else None,
        risks=_risks(assessment, evaluation, recommended, money, quantity, catalogs),
        prices=_prices(evaluation, catalogs, money),
        serving=_serving(evaluation, catalogs),
        rationales={a.id: clean_source(a.rationale) for a in catalogs.pricing.assumptions.values() if a.rationale}
        if catalogs else {},
    )


def _serving(evaluation: Evaluation, catalogs: Catalogs | None) -> str:
    sizing = evaluation.sizing
    if sizing is None:
        return ""
    pools = len(evaluation.pools)
    gpu = catalogs.hardware.gpus.get(sizing.gpu) if catalogs else None
    return (f"{sizing.replicas} replicas of {sizing.gpus_per_replica} x {gpu.name if gpu else display_name(sizing.gpu)} "
            f"for {display_name(sizing.model)}"
            + (f", the largest of {pools} pools" if pools > 1 else ""))
