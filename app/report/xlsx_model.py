"""The finance team's Excel model (issue 16): every total is a live formula over input cells.

The serving plan (pools, replicas, routes, quantities per year) is fixed as exported; prices, price factors
and the assumptions each line rests on are input cells, so changing one recomputes the model in Excel or
LibreOffice exactly as the engine would for the same override, as long as the override leaves the plan
unchanged (a uniform price factor does). Workbook-scoped names give other tools a stable handle:
`monthly_<option>`, `horizon_<option>`, `npv_<option>` for all four options and `assumption_<id>` for every
assumption's input cell. Written with XlsxWriter, in memory."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from app.domain.assessment import Assessment, Scenario
from app.domain.evaluation import OPTION_IDS, OPTION_LABELS, Evaluation, ScenarioOption, ScenarioResult
from app.report.plan_years import YearItem, months_in_year

# The uniform price factor each kind of line scales with, and whether it scales the quantity or the rate.
_FACTORS = (("api_tokens_", "api_price_factor", "rate"), ("gpu_compute_", "gpu_price_factor", "rate"),
            ("fine_tuning", "gpu_price_factor", "rate"), ("hardware_amortisation", "hardware_price_factor", "quantity"),
            ("maintenance", "hardware_price_factor", "quantity"))
# Rates that are one assumption (or a simple function of one): linked, so changing the assumption reprices
# the line. Each is checked against the engine's rate before it is used; a rate that differs stays an input.
_RATE_LINKS: dict[str, tuple[str, Callable[[float], float], str]] = {
    "api_retries": ("api_retry_overhead_share", lambda v: v, "{a}"),
    "hardware_amortisation": ("amortisation_months", lambda v: 1 / v, "1/{a}"),
    "maintenance": ("hardware_maintenance_share_per_year", lambda v: v / 12, "{a}/12"),
    "power": ("power_usd_per_kwh", lambda v: v, "{a}"),
    "storage_egress": ("storage_egress_usd_per_month", lambda v: v, "{a}"),
    "monitoring": ("monitoring_tooling_usd_per_month", lambda v: v, "{a}"),
    "security_compliance": ("security_compliance_usd_per_month", lambda v: v, "{a}"),
    "ml_engineer": ("ml_engineer_usd_per_year", lambda v: v / 12, "{a}/12"),
    "optimisation": ("ml_engineer_usd_per_year", lambda v: v / 12, "{a}/12"),
    "evaluation": ("ml_engineer_usd_per_year", lambda v: v / 12, "{a}/12"),
    "sre_oncall": ("sre_usd_per_year", lambda v: v / 12, "{a}/12"),
}
_ONE_TIME_LINKS = {"security_compliance": "security_review_usd"}
PLAN_INPUTS = ("request volumes and token lengths per use case", "latency targets and traffic profile",
               "data sensitivity, residency and on-prem answers", "min_production_replicas",
               "gpu_peak_utilisation_target", "peak_coincidence_share", "the model and GPU catalogs")
SHEET_NAMES = {"api": "API", "self_host_cloud": "Self-host cloud", "self_host_on_prem": "Self-host on-prem",
               "hybrid": "Hybrid"}
# Columns of an option sheet's line tables.
ID, LABEL, UNIT, BASE_Q, BASE_R, FACTOR, QTY, RATE, MONTHLY, ONE_TIME, RESTS = range(11)


def _name(option: str) -> str:
    return SHEET_NAMES[option]


def _ref(sheet: str, row: int, col: int) -> str:
    return f"'{sheet}'!{xl_rowcol_to_cell(row, col, row_abs=True, col_abs=True)}"


def _factor(item_id: str) -> tuple[str | None, str]:
    for prefix, assumption, side in _FACTORS:
        if item_id.startswith(prefix):
            return assumption, side
    return None, "rate"


class _Model:
    def __init__(self, assessment: Assessment, evaluation: Evaluation, years: Mapping[str, list[list[YearItem]]]):
        self.assessment, self.evaluation, self.years = assessment, evaluation, years
        self.params = {a.id: a.value for a in evaluation.assumptions}
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.book.set_properties({"title": f"Deployment cost model: {assessment.title}",
                                  "comments": "Live formulas; the plan is fixed as exported."})
        add = self.book.add_format
        self.f = {
            "title": add({"bold": True, "font_size": 14}), "head": add({"bold": True, "bg_color": "#DDE3EA",
                                                                       "bottom": 1, "text_wrap": True}),
            "input_usd": add({"num_format": "#,##0.00", "bg_color": "#FFF2CC", "font_color": "#1F3FBF", "border": 1}),
            "input_num": add({"num_format": "#,##0.0000", "bg_color": "#FFF2CC", "font_color": "#1F3FBF",
                              "border": 1}),
            "usd": add({"num_format": "#,##0"}), "usd2": add({"num_format": "#,##0.00"}),
            "num": add({"num_format": "#,##0.0000"}), "total": add({"num_format": "#,##0", "bold": True, "top": 1}),
            "wrap": add({"text_wrap": True, "valign": "top"}), "note": add({"italic": True, "font_color": "#555555"}),
            "bold": add({"bold": True}),
        }
        self.horizon_cell = ""
        self.totals: dict[str, dict[str, str]] = {o: {} for o in OPTION_IDS}

    # ---- helpers
    def _sheet(self, name: str, widths: Mapping[int, float], freeze: tuple[int, int] = (1, 0)):
        sheet = self.book.add_worksheet(name)
        for col, width in widths.items():
            sheet.set_column(col, col, width)
        sheet.freeze_panes(*freeze)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(freeze[0] - 1 if freeze[0] else 0)
        sheet.set_header(f"&L{_safe(self.assessment.title)}&R{name}")
        sheet.set_footer("&LThe plan is fixed as exported&RPage &P of &N")
        return sheet

    def _input(self, sheet, row: int, col: int, value: float, usd: bool = True) -> None:
        sheet.write_number(row, col, float(value), self.f["input_usd" if usd else "input_num"])

    def build(self) -> bytes:
        summary = self._sheet("Summary", {0: 34, 1: 16, 2: 16, 3: 18, 4: 18, 5: 14})
        self._inputs()
        self._assumptions()
        prices = self._prices()
        self._pools()
        for option in OPTION_IDS:
            self._option(option, prices)
        self._cash_flow()
        self._break_even()
        self._scenarios()
        self._summary(summary)
        self.book.close()
        return self.buffer.getvalue()

    # ---- sheets
    def _summary(self, sheet) -> None:
        e = self.evaluation
        sheet.write(0, 0, f"Deployment cost model: {self.assessment.title}", self.f["title"])
        sheet.write(1, 0, f"Recommendation: {e.recommendation}  (horizon {e.horizon_months} months, USD)")
        heads = ("Option", "Feasible", "Monthly (USD)", "One-time (USD)", "Horizon (USD)", "NPV (USD)")
        for col, text in enumerate(heads):
            sheet.write(3, col, text, self.f["head"])
        for row, option in enumerate(OPTION_IDS, start=4):
            cost = e.options[option]
            sheet.write(row, 0, OPTION_LABELS[option])
            sheet.write(row, 1, "yes" if cost.feasible else f"no: {cost.infeasible_reason or 'not offered'}")
            for col, key in ((2, "monthly"), (3, "one_time"), (4, "horizon"), (5, "npv")):
                sheet.write_formula(row, col, f"={self.totals[option][key]}", self.f["usd"])
        sheet.write(9, 0, "The plan is fixed as exported.", self.f["bold"])
        sheet.set_row(10, 32)
        sheet.merge_range(10, 0, 10, 5, "Pools, replicas, routes and the quantities of every year are the engine's plan at export. "
                           "Prices, price factors and the assumptions in yellow cells recompute every total. These "
                           "inputs would change the plan itself, so re-export after changing them:", self.f["wrap"])
        for row, text in enumerate(PLAN_INPUTS, start=11):
            sheet.write(row, 0, f"- {text}")

    def _inputs(self) -> None:
        sheet = self._sheet("Inputs", {0: 28, 1: 30, 2: 28, 3: 12, 4: 12})
        sheet.write_row(0, 0, ("Use case", "Question", "Answer", "Status", "Confidence"), self.f["head"])
        sheet.write(1, 0, "Horizon", self.f["bold"])
        sheet.write(1, 1, "horizon_months")
        self._input(sheet, 1, 2, self.evaluation.horizon_months, usd=False)
        self.horizon_cell = _ref("Inputs", 1, 2)
        self.book.define_name("horizon_months", f"={self.horizon_cell}")
        row = 2
        scopes = [("Organisation", self.assessment.organisation_answers)] + [
            (w.name, w.answers) for w in self.assessment.workloads]
        for scope, answers in scopes:
            for qid, answer in sorted(answers.items()):
                value = answer.value
                sheet.write(row, 0, scope)
                sheet.write(row, 1, qid)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    sheet.write_number(row, 2, float(value), self.f["num"])
                else:
                    sheet.write_string(row, 2, _text(value))
                sheet.write(row, 3, str(answer.status))
                sheet.write(row, 4, str(answer.confidence or ""))
                row += 1

    def _assumptions(self) -> None:
        sheet = self._sheet("Assumptions", {0: 34, 1: 40, 2: 14, 3: 12, 4: 12, 5: 12, 6: 22, 7: 40, 8: 12, 9: 11,
                                            10: 30}, freeze=(1, 2))
        sheet.write_row(0, 0, ("Id", "Label", "Value", "Default", "Low", "High", "Unit", "Source", "As of",
                               "Overridden", "Reason"), self.f["head"])
        self.assumption_cells: dict[str, str] = {}
        for row, a in enumerate(self.evaluation.assumptions, start=1):
            sheet.write(row, 0, a.id)
            sheet.write(row, 1, a.label)
            self._input(sheet, row, 2, a.value, usd=False)
            for col, v in ((3, a.default), (4, a.low), (5, a.high)):
                sheet.write_number(row, col, v, self.f["num"])
            sheet.write_row(row, 6, (a.unit, a.source, a.as_of, "yes" if a.overridden else "", a.override_reason))
            cell = _ref("Assumptions", row, 2)
            self.assumption_cells[a.id] = cell
            self.book.define_name(f"assumption_{a.id}", f"={cell}")

    def _prices(self) -> dict[tuple[str, str], str]:
        """Catalog prices at factor 1 that the current lines use: (option, item id) -> cell."""
        sheet = self._sheet("Prices", {0: 20, 1: 26, 2: 44, 3: 26, 4: 16})
        sheet.write_row(0, 0, ("Option", "Line", "Catalog entries", "Unit", "Rate at list (USD)"), self.f["head"])
        cells, row = {}, 1
        for option in OPTION_IDS:
            for item in self.evaluation.options[option].line_items:
                catalog = [r for r in item.rests_on if ":" in r]
                if not catalog:
                    continue
                base_q, base_r = self._base(item.id, item.quantity, item.rate_usd)
                sheet.write_row(row, 0, (OPTION_LABELS[option], item.id, ", ".join(catalog), item.unit))
                self._input(sheet, row, 4, base_r)
                cells[(option, item.id)] = _ref("Prices", row, 4)
                row += 1
        sheet.write(row + 1, 0, "Power: see assumption power_usd_per_kwh; hardware capital: the on-prem "
                                "hardware_amortisation line (USD of capital).", self.f["note"])
        return cells

    def _pools(self) -> None:
        sheet = self._sheet("Pools", {0: 18, 1: 8, 2: 22, 3: 16, 4: 12, 5: 22, 6: 10, 7: 10, 8: 10, 9: 10, 10: 12,
                                      11: 30, 12: 14})
        sheet.write_row(0, 0, ("Option", "Id", "Model", "GPU", "Provider", "Instance", "Precision", "Engine",
                               "Replicas", "GPUs per replica", "Utilisation", "Workloads", "Monthly (USD)"),
                        self.f["head"])
        row = 1
        for option in OPTION_IDS:
            for p in self.evaluation.options[option].pools:
                sheet.write_row(row, 0, (OPTION_LABELS[option], p.id, p.model, p.gpu, p.provider, p.instance,
                                         p.precision, p.engine))
                sheet.write_number(row, 8, p.replicas)
                sheet.write_number(row, 9, p.gpus_per_replica)
                sheet.write_number(row, 10, p.utilisation, self.f["num"])
                sheet.write(row, 11, ", ".join(p.workloads))
                sheet.write_number(row, 12, p.monthly_usd, self.f["usd"])
                row += 1

    def _base(self, item_id: str, quantity: float, rate: float) -> tuple[float, float]:
        assumption, side = _factor(item_id)
        value = self.params.get(assumption, 1.0) if assumption else 1.0
        value = value or 1.0
        return (quantity / value, rate) if side == "quantity" else (quantity, rate / value)

    def _rate_link(self, item_id: str, rate: float) -> str | None:
        link = _RATE_LINKS.get(item_id)
        if link is None or link[0] not in self.assumption_cells:
            return None
        assumption, fn, template = link
        if not math.isclose(fn(self.params[assumption]), rate, rel_tol=1e-9, abs_tol=1e-12):
            return None
        return template.format(a=self.assumption_cells[assumption])

    def _lines(self, sheet, row: int, option: str, items: list, prices: Mapping | None) -> tuple[int, int]:
        """Write item rows from `row`; returns (first, last) row."""
        first = row
        token_rows = [row + k for k, i in enumerate(items) if i.id.startswith("api_tokens_")]
        current = {i.id: i for i in self.evaluation.options[option].line_items}  # a year's lines: labels, units
        for item in items:
            label = getattr(current.get(item.id), "label", "")
            unit = getattr(current.get(item.id), "unit", "")
            base_q, base_r = self._base(item.id, item.quantity, item.rate_usd)
            assumption, side = _factor(item.id)
            sheet.write(row, ID, item.id)
            sheet.write(row, LABEL, label)
            sheet.write(row, UNIT, unit)
            if item.id == "api_retries" and token_rows:
                sum_range = "+".join(xl_rowcol_to_cell(r, MONTHLY) for r in token_rows)
                sheet.write_formula(row, BASE_Q, f"={sum_range}", self.f["usd2"], base_q)
            else:
                self._input(sheet, row, BASE_Q, base_q, usd=False)
            link = self._rate_link(item.id, base_r)
            if link:
                sheet.write_formula(row, BASE_R, f"={link}", self.f["num"], base_r)
            elif prices is not None and (option, item.id) in prices:
                sheet.write_formula(row, BASE_R, f"={prices[(option, item.id)]}", self.f["num"], base_r)
            else:
                self._input(sheet, row, BASE_R, base_r, usd=False)
            factor = self.assumption_cells.get(assumption) if assumption else None
            sheet.write_formula(row, FACTOR, f"={factor}" if factor else "=1", self.f["num"])
            f = xl_rowcol_to_cell(row, FACTOR)
            q, r = xl_rowcol_to_cell(row, BASE_Q), xl_rowcol_to_cell(row, BASE_R)
            sheet.write_formula(row, QTY, f"={q}*{f}" if side == "quantity" else f"={q}", self.f["num"])
            sheet.write_formula(row, RATE, f"={r}*{f}" if side == "rate" else f"={r}", self.f["num"])
            sheet.write_formula(row, MONTHLY, f"={xl_rowcol_to_cell(row, QTY)}*{xl_rowcol_to_cell(row, RATE)}",
                                self.f["usd2"])
            one_time_link = _ONE_TIME_LINKS.get(item.id)
            if one_time_link in self.assumption_cells and math.isclose(self.params[one_time_link], item.one_time_usd):
                sheet.write_formula(row, ONE_TIME, f"={self.assumption_cells[one_time_link]}", self.f["usd2"])
            elif assumption:
                value = self.params.get(assumption, 1.0) or 1.0
                sheet.write_formula(row, ONE_TIME, f"={item.one_time_usd / value!r}*{f}", self.f["usd2"])
            else:
                self._input(sheet, row, ONE_TIME, item.one_time_usd)
            sheet.write(row, RESTS, ", ".join(getattr(item, "rests_on", ())))
            row += 1
        return first, row - 1

    def _option(self, option: str, prices: Mapping) -> None:
        name = _name(option)
        sheet = self._sheet(name, {ID: 22, LABEL: 46, UNIT: 22, BASE_Q: 14, BASE_R: 14, FACTOR: 9, QTY: 14,
                                   RATE: 14, MONTHLY: 14, ONE_TIME: 14, RESTS: 50}, freeze=(4, 2))
        cost = self.evaluation.options[option]
        sheet.write(0, 0, f"{OPTION_LABELS[option]}: line items, quantity x rate", self.f["title"])
        sheet.write(1, 0, "Feasible" if cost.feasible else f"Not feasible or not offered: "
                                                             f"{cost.infeasible_reason or 'no plan'}")
        sheet.write(2, 0, "Monthly = quantity x rate; quantity and rate are the list figures times the price factor "
                          "(an assumption cell) on the side it applies to.", self.f["note"])
        heads = ("Id", "Line", "Unit", "Quantity at list", "Rate at list (USD)", "Price factor", "Quantity",
                 "Rate (USD)", "Monthly (USD)", "One-time (USD)", "Rests on")
        sheet.write_row(3, 0, heads, self.f["head"])
        first, last = self._lines(sheet, 4, option, list(cost.line_items), prices)
        total = last + 1
        sheet.write(total, LABEL, "Total now (monthly, one-time)", self.f["bold"])
        sheet.write_formula(total, MONTHLY, _sum(first, last, MONTHLY), self.f["total"])
        sheet.write_formula(total, ONE_TIME, _sum(first, last, ONE_TIME), self.f["total"])
        self.totals[option]["monthly"] = _ref(name, total, MONTHLY)
        self.totals[option]["one_time"] = _ref(name, total, ONE_TIME)
        self.book.define_name(f"monthly_{option}", f"={_ref(name, total, MONTHLY)}")
        row = total + 2
        self.totals[option]["years"] = []
        for year, items in enumerate(self.years[option], start=1):
            sheet.write(row, 0, f"Year {year}: volumes grown, replicas as planned for that year", self.f["bold"])
            first, last = self._lines(sheet, row + 1, option, items, None)
            end = last + 1
            sheet.write(end, LABEL, "Months in the horizon this year")
            sheet.write_formula(end, QTY, f"=MAX(0,MIN(12,{self.horizon_cell}-12*{year - 1}))", None,
                                months_in_year(self.evaluation.horizon_months, year))
            sheet.write(end + 1, LABEL, f"Year {year} cost (months x monthly)", self.f["bold"])
            sheet.write_formula(end + 1, MONTHLY, f"={xl_rowcol_to_cell(end, QTY)}*SUM("
                                f"{xl_rowcol_to_cell(first, MONTHLY)}:{xl_rowcol_to_cell(last, MONTHLY)})",
                                self.f["total"])
            amortisation = next((first + k for k, i in enumerate(items) if i.id == "hardware_amortisation"), None)
            self.totals[option]["years"].append((_ref(name, end + 1, MONTHLY),
                                                 _ref(name, amortisation, MONTHLY) if amortisation is not None else None))
            row = end + 3

    def _resale(self, amortisation_cell: str) -> str:
        a = self.assumption_cells
        return (f"{amortisation_cell}*{a['amortisation_months']}*{a['on_prem_resale_share']}"
                f"*MIN(1,{self.horizon_cell}/{a['amortisation_months']})")

    def _cash_flow(self) -> None:
        sheet = self._sheet("Cash flow", {0: 22, 1: 8, 2: 16, 3: 14, 4: 16}, freeze=(2, 0))
        sheet.write(0, 0, "Year 0: one-time costs now; each later year's costs paid at its end, discounted at "
                          "assumption discount_rate_per_year. Growth is in each year's quantities.", self.f["note"])
        sheet.write_row(1, 0, ("Option", "Year", "Cash out (USD)", "Discount factor", "Discounted (USD)"),
                        self.f["head"])
        rate = self.assumption_cells.get("discount_rate_per_year", "0")
        row = 2
        for option in OPTION_IDS:
            first = row
            years = self.totals[option]["years"]
            flows = [f"={self.totals[option]['one_time']}"]
            for k, (cost, amortisation) in enumerate(years):
                resale = f"-{self._resale(amortisation)}" if amortisation and k == len(years) - 1 else ""
                flows.append(f"={cost}{resale}")
            for year, formula in enumerate(flows):
                sheet.write(row, 0, OPTION_LABELS[option])
                sheet.write_number(row, 1, year)
                sheet.write_formula(row, 2, formula, self.f["usd"])
                sheet.write_formula(row, 3, f"=1/(1+{rate})^{year}", self.f["num"])
                sheet.write_formula(row, 4, f"={xl_rowcol_to_cell(row, 2)}*{xl_rowcol_to_cell(row, 3)}", self.f["usd"])
                row += 1
            sheet.write(row, 0, f"{OPTION_LABELS[option]} total", self.f["bold"])
            sheet.write_formula(row, 2, _sum(first, row - 1, 2), self.f["total"])
            sheet.write_formula(row, 4, _sum(first, row - 1, 4), self.f["total"])
            for key, col in (("horizon", 2), ("npv", 4)):
                self.totals[option][key] = _ref("Cash flow", row, col)
                self.book.define_name(f"{key}_{option}", f"={_ref('Cash flow', row, col)}")
            row += 2

    def _break_even(self) -> None:
        sheet = self._sheet("Break-even", {0: 26, 1: 22, 2: 24, 3: 60})
        sheet.write_row(0, 0, ("Option", "Engine (replanned), tokens/day", "At the fixed plan, tokens/day",
                               "How"), self.f["head"])
        tokens = self.evaluation.tokens_per_day
        sheet.write(1, 0, "Current volume (tokens/day)")
        self._input(sheet, 1, 1, tokens, usd=False)
        current = _ref("Break-even", 1, 1)
        for row, option in enumerate(("self_host_cloud", "self_host_on_prem"), start=2):
            engine = self.evaluation.break_even_tokens_per_day.get(option)
            sheet.write(row, 0, OPTION_LABELS[option])
            if engine is None:
                sheet.write(row, 1, "none in range")
            else:
                sheet.write_number(row, 1, engine, self.f["usd"])
            api, own = self.totals["api"]["monthly"], self.totals[option]["monthly"]
            sheet.write_formula(row, 2, f"=IF({api}>0,{current}*{own}/{api},0)", self.f["usd"])
            sheet.write(row, 3, "API cost grows with volume; the fixed plan's cost does not, so they meet at "
                                "current volume x self-hosted monthly / API monthly. The engine's figure adds "
                                "replicas as volume grows.", self.f["wrap"])


    def _scenarios(self) -> None:
        """Each what-if scenario's figures as the engine computed them: values, not formulas, because each
        scenario re-plans the deployment, which the fixed plan of the other sheets cannot follow."""
        if not self.evaluation.scenarios:
            return
        sheet = self._sheet("Scenarios", {0: 28, 1: 44, 2: 20, 3: 12, **{c: 16 for c in range(4, 14)}}, freeze=(3, 1))
        sheet.write(0, 0, "Engine outputs of each scenario (values, not formulas: each scenario re-plans the "
                          "deployment, so the live formulas of the other sheets do not apply to it).", self.f["note"])
        headers = ["Scenario", "What it changes", "Recommendation", "Confidence",
                   *(f"Monthly {OPTION_LABELS[o]}" for o in OPTION_IDS), *(f"NPV {OPTION_LABELS[o]}" for o in OPTION_IDS),
                   "Break-even cloud (tokens/day)", "Break-even on-prem (tokens/day)"]
        sheet.write_row(2, 0, headers, self.f["head"])
        scenarios = {s.id: s for s in self.assessment.scenarios}
        base = ScenarioResult(id="", name="Base (as answered)", recommendation=self.evaluation.recommendation,
                              confidence=self.evaluation.confidence,
                              options={o: ScenarioOption(monthly_usd=c.monthly_usd, npv_usd=c.npv_usd)
                                       for o, c in self.evaluation.options.items()},
                              break_even_tokens_per_day=self.evaluation.break_even_tokens_per_day)
        for row, result in enumerate((base, *self.evaluation.scenarios), start=3):
            scenario = scenarios.get(result.id)
            sheet.write_string(row, 0, result.name)  # user text: never a formula
            sheet.write_string(row, 1, _scenario_changes(scenario) if scenario else "", self.f["wrap"])
            sheet.write_string(row, 2, OPTION_LABELS[result.recommendation.replace("-", "_")]
                               if result.recommendation else "none yet")
            if result.confidence is not None:
                sheet.write_number(row, 3, result.confidence, self.f["num"])
            for k, option in enumerate(OPTION_IDS):
                sheet.write_number(row, 4 + k, result.options[option].monthly_usd, self.f["usd"])
                sheet.write_number(row, 8 + k, result.options[option].npv_usd, self.f["usd"])
            for k, option in enumerate(("self_host_cloud", "self_host_on_prem")):
                value = result.break_even_tokens_per_day.get(option)
                if value is None:
                    sheet.write_string(row, 12 + k, "none in range")
                else:
                    sheet.write_number(row, 12 + k, value, self.f["usd"])


def _scenario_changes(scenario: Scenario) -> str:
    """What a scenario changes, by id: answers (per use case id) and assumption overrides with their values."""
    answers = [*scenario.organisation_answers, *(f"{w}.{q}" for w, a in scenario.workload_answers.items() for q in a)]
    overrides = [f"{k} = {o.value:g}" for k, o in scenario.assumption_overrides.items()]
    parts = ([f"answers: {', '.join(answers)}"] if answers else []) + (
        [f"assumptions: {', '.join(overrides)}"] if overrides else [])
    return "; ".join(parts) or "nothing (the base)"


def _sum(first: int, last: int, col: int) -> str:
    if last < first:
        return "=0"
    return f"=SUM({xl_rowcol_to_cell(first, col)}:{xl_rowcol_to_cell(last, col)})"


def _text(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _safe(text: str) -> str:
    """Header text: '&' starts a control code in Excel headers, and long names overprint."""
    text = text.replace("&", "&&")
    return text if len(text) <= 60 else text[:57] + "..."


def build_xlsx(assessment: Assessment, evaluation: Evaluation, years: Mapping[str, list[list[YearItem]]]) -> bytes:
    """The workbook's bytes; `years` from app.report.plan_years.yearly_items on the same context."""
    return _Model(assessment, evaluation, years).build()
