"""The finance team's Excel model (issue 16): every total is a live formula over input cells.

The serving plan (pools, replicas, routes, quantities per year) is fixed as exported; prices, price factors
and the assumptions each line rests on are input cells, so changing one recomputes the model in Excel or
LibreOffice exactly as the engine would for the same override, as long as the override leaves the plan
unchanged (a uniform price factor does). Workbook-scoped names give other tools a stable handle:
`monthly_<option>`, `horizon_<option>`, `npv_<option>` for all four options and `assumption_<id>` for every
assumption's input cell. Written with XlsxWriter, in memory.

Every formula is written with the value the engine's figures give it (XlsxWriter would otherwise cache 0), so
a viewer that does not recalculate (LibreOffice's default for Excel files, previews, mail clients) shows the
same figures as one that does. Each sheet is one `_Model` method; a new sheet is a new method called from
`build`, using `_put` for its formulas and `self.values` for the cells it refers to."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping

import xlsxwriter
from xlsxwriter.utility import xl_pixel_width, xl_rowcol_to_cell

from app.domain.assessment import Assessment, Scenario
from app.domain.catalogs import Catalogs
from app.domain.evaluation import (OPTION_IDS, OPTION_LABELS, Evaluation, ScenarioOption, ScenarioResult,
                                   option_for_recommendation)
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
# Widest a fitted column grows, in pixels (about 60 characters); longer text wraps or runs on.
MAX_COLUMN_PIXELS = 420
LINE_HEIGHT_POINTS = 15  # a row of the default 11-point font
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
    def __init__(self, assessment: Assessment, evaluation: Evaluation, years: Mapping[str, list[list[YearItem]]],
                 catalogs: Catalogs | None):
        self.assessment, self.evaluation, self.years, self.catalogs = assessment, evaluation, years, catalogs
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
            # General, not a fixed number of decimals: quantities and shares range from 0.0125 to 200,000, and a
            # fixed format's digits overflow a fitted column into ###.
            "input_num": add({"num_format": "General", "bg_color": "#FFF2CC", "font_color": "#1F3FBF", "border": 1}),
            "usd": add({"num_format": "#,##0"}), "usd2": add({"num_format": "#,##0.00"}),
            "num": add({"num_format": "#,##0.00##"}), "total": add({"num_format": "#,##0", "bold": True, "top": 1}),
            "wrap": add({"text_wrap": True, "valign": "top"}), "note": add({"italic": True, "font_color": "#555555"}),
            "bold": add({"bold": True}),
        }
        self.horizon_cell = ""
        self.totals: dict[str, dict[str, str]] = {o: {} for o in OPTION_IDS}
        # Every written cell's value by absolute reference: what each formula's cached value is computed from.
        self.values: dict[str, float] = {}
        # Titles and notes, written after the columns are fitted to the tables (they would widen column A).
        self._deferred: list[tuple[Callable, tuple]] = []
        self._wrap: dict[str, dict[int, float]] = {}

    # ---- helpers
    def _sheet(self, name: str, widths: Mapping[int, float], freeze: tuple[int, int] = (1, 0),
               wrap: Mapping[int, float] | None = None):
        """A printable sheet; `widths` are minimum column widths (columns grow to their contents), `wrap` the
        fixed widths of prose columns (sources, reasons), whose text wraps instead."""
        sheet = self.book.add_worksheet(name)
        self._wrap[name] = dict(wrap or {})
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

    def _later(self, sheet, row: int, col: int, text: str, fmt=None, write: str = "write", *more) -> None:
        """A title or note: written once the columns are fitted to the tables, so it may run across columns.
        `write` names another worksheet method (merge_range) with `more` arguments before the text."""
        self._deferred.append((getattr(sheet, write), (row, col, *more, text, fmt)))

    def _input(self, sheet, row: int, col: int, value: float, usd: bool = True) -> str:
        sheet.write_number(row, col, float(value), self.f["input_usd" if usd else "input_num"])
        ref = _ref(sheet.name, row, col)
        self.values[ref] = float(value)
        return ref

    def _put(self, sheet, row: int, col: int, formula: str, value: float, fmt=None) -> float:
        """A formula with its value cached; the value is remembered for the formulas that refer to it."""
        sheet.write_formula(row, col, formula, fmt, value)
        self.values[_ref(sheet.name, row, col)] = value
        return value

    def _link(self, sheet, row: int, col: int, ref: str, fmt=None) -> float:
        return self._put(sheet, row, col, f"={ref}", self.values[ref], fmt)

    def build(self) -> bytes:
        summary = self._sheet("Summary", {0: 24, 2: 14, 3: 14, 4: 14, 5: 14}, wrap={1: 48})
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
        self._fit()
        self.book.close()
        return self.buffer.getvalue()

    def _fit(self) -> None:
        for sheet in self.book.worksheets():
            sheet.autofit(max_width=MAX_COLUMN_PIXELS)
            for col, width in self._wrap[sheet.name].items():
                sheet.set_column(col, col, width, self.f["wrap"])
            self._row_heights(sheet)
        for write, args in self._deferred:
            write(*args)

    def _row_heights(self, sheet) -> None:
        """LibreOffice keeps the default height of a row whose wrapped text needs more lines, so the text would
        overprint the rows below: each row is set tall enough for its longest wrapped cell. Reads the cells back
        from the worksheet's table, as XlsxWriter's own autofit does."""
        wrap = self._wrap[sheet.name]
        if not wrap:
            return
        strings = sorted(sheet.str_table.string_table, key=sheet.str_table.string_table.__getitem__)
        for row, cells in sheet.table.items():
            lines = max((math.ceil(xl_pixel_width(strings[cells[col].string]) / (width * 7 - 5))
                         for col, width in wrap.items() if type(cells.get(col)).__name__ == "String"), default=1)
            if lines > 1:
                sheet.set_row(row, LINE_HEIGHT_POINTS * lines)

    # ---- sheets
    def _summary(self, sheet) -> None:
        e = self.evaluation
        self._later(sheet, 0, 0, f"Deployment cost model: {self.assessment.title}", self.f["title"])
        recommended = OPTION_LABELS[option_for_recommendation(e.recommendation)] if e.recommendation else "none"
        self._later(sheet, 1, 0, f"Recommendation: {recommended}  (horizon {e.horizon_months} months, USD)")
        heads = ("Option", "Feasible", "Monthly (USD)", "One-time (USD)", "Horizon (USD)", "NPV (USD)")
        for col, text in enumerate(heads):
            sheet.write(3, col, text, self.f["head"])
        for row, option in enumerate(OPTION_IDS, start=4):
            cost = e.options[option]
            sheet.write(row, 0, OPTION_LABELS[option])
            sheet.write(row, 1, "yes" if cost.feasible else f"no: {cost.infeasible_reason or 'not offered'}")
            for col, key in ((2, "monthly"), (3, "one_time"), (4, "horizon"), (5, "npv")):
                self._link(sheet, row, col, self.totals[option][key], self.f["usd"])
        self._later(sheet, 9, 0, "The plan is fixed as exported.", self.f["bold"])
        sheet.set_row(10, 48)
        self._later(sheet, 10, 0, "Pools, replicas, routes and the quantities of every year are the engine's plan "
                    "at export. Prices, price factors and the assumptions in yellow cells recompute every total. "
                    "These inputs would change the plan itself, so re-export after changing them:", self.f["wrap"],
                    "merge_range", 10, 5)
        for row, text in enumerate(PLAN_INPUTS, start=11):
            self._later(sheet, row, 0, f"- {text}")

    def _inputs(self) -> None:
        sheet = self._sheet("Inputs", {0: 16, 1: 24, 2: 16, 3: 10, 4: 10}, wrap={2: 40})
        sheet.write_row(0, 0, ("Use case", "Question", "Answer", "Status", "Confidence"), self.f["head"])
        sheet.write(1, 0, "Horizon", self.f["bold"])
        sheet.write(1, 1, "horizon_months")
        self.horizon_cell = self._input(sheet, 1, 2, self.evaluation.horizon_months, usd=False)
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
        sheet = self._sheet("Assumptions", {0: 20, 1: 24, 2: 12, 3: 10, 4: 10, 5: 10, 6: 12, 7: 24, 8: 10, 9: 11,
                                            10: 16}, freeze=(1, 2), wrap={7: 44, 10: 30, 11: 50})
        sheet.write_row(0, 0, ("Id", "Label", "Value", "Default", "Low", "High", "Unit", "Source", "As of",
                               "Overridden", "Reason", "Rationale"), self.f["head"])
        catalog = self.catalogs.pricing.assumptions if self.catalogs else {}
        self.assumption_cells: dict[str, str] = {}
        for row, a in enumerate(self.evaluation.assumptions, start=1):
            sheet.write(row, 0, a.id)
            sheet.write(row, 1, a.label)
            cell = self._input(sheet, row, 2, a.value, usd=False)
            for col, v in ((3, a.default), (4, a.low), (5, a.high)):
                sheet.write_number(row, col, v, self.f["num"])
            sheet.write_row(row, 6, (a.unit, a.source, a.as_of, "yes" if a.overridden else "", a.override_reason,
                                     getattr(catalog.get(a.id), "rationale", "")))
            self.assumption_cells[a.id] = cell
            self.book.define_name(f"assumption_{a.id}", f"={cell}")

    # ---- the price sheet: catalog prices as input cells, then the rate each line uses at list
    def _prices(self) -> dict[tuple[str, str], str]:
        """Catalog prices (API per model, GPU per hour per provider and instance, hardware capital, power) as
        input cells with source and as-of; then each line's rate at factor 1, linked to the catalog cell it
        equals. Returns (option, item id) -> the line's rate cell."""
        sheet = self._sheet("Prices", {0: 14, 1: 18, 2: 18, 3: 12, 4: 12, 5: 12, 7: 10}, freeze=(1, 0),
                            wrap={6: 48})
        sheet.write_row(0, 0, ("Kind", "Id", "Name", "Price (USD)", "", "", "Source", "As of"), self.f["head"])
        catalog_cells: dict[str, str] = {}
        row = 1
        for section in (self._api_prices, self._instance_prices, self._hardware_prices):
            row = section(sheet, row, catalog_cells) + 1
        row = self._power_price(sheet, row) + 1
        return self._line_rates(sheet, row, catalog_cells)

    def _price_head(self, sheet, row: int, title: str, columns: tuple[str, ...]) -> int:
        self._later(sheet, row, 0, title, self.f["bold"])
        sheet.write_row(row + 1, 0, columns, self.f["head"])
        return row + 2

    def _price_row(self, sheet, row: int, kind: str, key: str, name: str, prices: tuple[float, ...], source,
                   cells: dict[str, str], ids: tuple[str, ...]) -> None:
        sheet.write_row(row, 0, (kind, key, name))
        for k, (price, entry) in enumerate(zip(prices, ids)):
            cells[entry] = self._input(sheet, row, 3 + k, price)
        sheet.write_row(row, 6, (source.source, source.as_of))

    def _api_prices(self, sheet, row: int, cells: dict[str, str]) -> int:
        if self.catalogs is None:
            return row
        row = self._price_head(sheet, row, "API list prices per model, USD per million tokens",
                               ("Provider", "Model id", "Model", "Input", "Output", "Cached input", "Source",
                                "As of"))
        for key, m in sorted(self.catalogs.pricing.api_models.items()):
            self._price_row(sheet, row, m.provider, key, m.label, (m.usd_per_million_input_tokens,
                            m.usd_per_million_output_tokens, m.usd_per_million_cached_input_tokens), m.source, cells,
                            (f"api_model:{key}:input", f"api_model:{key}:output", f"api_model:{key}:cached"))
            row += 1
        return row

    def _instance_prices(self, sheet, row: int, cells: dict[str, str]) -> int:
        if self.catalogs is None:
            return row
        row = self._price_head(sheet, row, "Cloud GPU instances, USD per instance-hour",
                               ("Provider", "Instance", "GPUs", "On demand", "1-year commitment",
                                "3-year commitment", "Source", "As of"))
        instances = sorted(self.catalogs.instances.instances.values(), key=lambda i: (i.provider, i.name))
        for i in instances:
            entry = f"instance:{i.provider}:{i.name}"
            self._price_row(sheet, row, i.provider, i.name, f"{i.gpus} x {i.gpu}", (i.on_demand_usd_per_hour,
                            i.committed_1y_usd_per_hour, i.committed_3y_usd_per_hour), i.source, cells,
                            (f"{entry}:on_demand", f"{entry}:committed_1y", f"{entry}:committed_3y"))
            row += 1
        return row

    def _hardware_prices(self, sheet, row: int, cells: dict[str, str]) -> int:
        if self.catalogs is None:
            return row
        row = self._price_head(sheet, row, "GPUs: market rent per GPU-hour (typical) and capital to own, USD",
                               ("GPU", "Id", "Name", "On demand per GPU-hour", "Purchase per GPU",
                                "Server share per GPU", "Source (purchase)", "As of"))
        for key, g in sorted(self.catalogs.hardware.gpus.items()):
            self._price_row(sheet, row, "GPU", key, g.name, (g.on_demand_usd_per_gpu_hour.typical,
                            g.purchase_usd.usd, g.server_usd_per_gpu_slot.usd), g.purchase_usd.source, cells,
                            (f"gpu:{key}:hour", f"gpu:{key}:purchase", f"gpu:{key}:server"))
            row += 1
        return row

    def _power_price(self, sheet, row: int) -> int:
        cell = self.assumption_cells.get("power_usd_per_kwh")
        if cell is None:
            return row
        row = self._price_head(sheet, row, "Power", ("Kind", "Id", "Name", "USD per kWh", "", "", "Source",
                                                     "As of"))
        a = next(a for a in self.evaluation.assumptions if a.id == "power_usd_per_kwh")
        sheet.write_row(row, 0, ("Power", a.id, a.label))
        self._link(sheet, row, 3, cell, self.f["usd2"])
        sheet.write_row(row, 6, (f"{a.source} (the input cell is on Assumptions)", a.as_of))
        return row + 1

    def _line_rates(self, sheet, row: int, catalog: Mapping[str, str]) -> dict[tuple[str, str], str]:
        """Each priced line's rate at factor 1: linked to the catalog price it equals, else an input."""
        row = self._price_head(sheet, row, "The rate each line uses at list (factor 1)",
                               ("Option", "Line", "Catalog entries", "Rate at list (USD)", "Unit", "", "From",
                                ""))
        cells = {}
        for option in OPTION_IDS:
            for item in self.evaluation.options[option].line_items:
                entries = [r for r in item.rests_on if ":" in r]
                if not entries:
                    continue
                _, base_r = self._base(item.id, item.quantity, item.rate_usd)
                sheet.write_row(row, 0, (OPTION_LABELS[option], item.id, ", ".join(entries)))
                sheet.write(row, 4, item.unit)
                price = next((catalog[k] for e in entries for k in _catalog_keys(e)
                              if k in catalog and math.isclose(self.values[catalog[k]], base_r, rel_tol=1e-9)), None)
                if price is not None:
                    self._link(sheet, row, 3, price, self.f["usd2"])
                    sheet.write(row, 6, "the catalog price above")
                else:
                    self._input(sheet, row, 3, base_r)
                    sheet.write(row, 6, "the engine's blended rate for this line" if item.id.startswith("api_tokens_")
                                else "the engine's rate for this line")
                cells[(option, item.id)] = _ref("Prices", row, 3)
                row += 1
        return cells

    def _pools(self) -> None:
        sheet = self._sheet("Pools", {0: 14, 1: 6, 2: 14, 3: 10, 4: 10, 5: 14, 6: 10, 7: 10, 8: 9, 9: 10, 10: 10,
                                      12: 14}, wrap={11: 28})
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
        value = self._factor_value(assumption)
        return (quantity / value, rate) if side == "quantity" else (quantity, rate / value)

    def _factor_value(self, assumption: str | None) -> float:
        return (self.params.get(assumption, 1.0) or 1.0) if assumption else 1.0

    def _rate_link(self, item_id: str, rate: float) -> tuple[str, float] | None:
        link = _RATE_LINKS.get(item_id)
        if link is None or link[0] not in self.assumption_cells:
            return None
        assumption, fn, template = link
        if not math.isclose(fn(self.params[assumption]), rate, rel_tol=1e-9, abs_tol=1e-12):
            return None
        return template.format(a=self.assumption_cells[assumption]), fn(self.params[assumption])

    def _lines(self, sheet, row: int, option: str, items: list, prices: Mapping | None) -> tuple[int, int, float]:
        """Write item rows from `row`; returns (first, last) row and the sum of their monthly values."""
        first, total = row, 0.0
        token_rows = [row + k for k, i in enumerate(items) if i.id.startswith("api_tokens_")]
        current = {i.id: i for i in self.evaluation.options[option].line_items}  # a year's lines: labels, units
        name = sheet.name
        for item in items:
            base_q, base_r = self._base(item.id, item.quantity, item.rate_usd)
            assumption, side = _factor(item.id)
            sheet.write(row, ID, item.id)
            sheet.write(row, LABEL, getattr(current.get(item.id), "label", ""))
            sheet.write(row, UNIT, getattr(current.get(item.id), "unit", ""))
            if item.id == "api_retries" and token_rows:
                base_q = sum(self.values[_ref(name, r, MONTHLY)] for r in token_rows)
                self._put(sheet, row, BASE_Q, "=" + "+".join(xl_rowcol_to_cell(r, MONTHLY) for r in token_rows),
                          base_q, self.f["usd2"])
            else:
                self._input(sheet, row, BASE_Q, base_q, usd=False)
            base_r = self._rate(sheet, row, option, item.id, base_r, prices)
            factor = self.assumption_cells.get(assumption) if assumption else None
            f_value = self._put(sheet, row, FACTOR, f"={factor}" if factor else "=1",
                                self.values[factor] if factor else 1.0, self.f["num"])
            f = xl_rowcol_to_cell(row, FACTOR)
            q, r = xl_rowcol_to_cell(row, BASE_Q), xl_rowcol_to_cell(row, BASE_R)
            qty = self._put(sheet, row, QTY, f"={q}*{f}" if side == "quantity" else f"={q}",
                            base_q * f_value if side == "quantity" else base_q, self.f["num"])
            rate = self._put(sheet, row, RATE, f"={r}*{f}" if side == "rate" else f"={r}",
                             base_r * f_value if side == "rate" else base_r, self.f["num"])
            total += self._put(sheet, row, MONTHLY, f"={xl_rowcol_to_cell(row, QTY)}*{xl_rowcol_to_cell(row, RATE)}",
                               qty * rate, self.f["usd2"])
            self._one_time(sheet, row, item, assumption, f, f_value)
            sheet.write(row, RESTS, ", ".join(getattr(item, "rests_on", ())))
            row += 1
        return first, row - 1, total

    def _rate(self, sheet, row: int, option: str, item_id: str, base_r: float, prices: Mapping | None) -> float:
        """The line's rate at list: an assumption, the price sheet's cell, or an input; its value."""
        link = self._rate_link(item_id, base_r)
        if link:
            return self._put(sheet, row, BASE_R, f"={link[0]}", link[1], self.f["num"])
        if prices is not None and (option, item_id) in prices:
            return self._link(sheet, row, BASE_R, prices[(option, item_id)], self.f["num"])
        self._input(sheet, row, BASE_R, base_r, usd=False)
        return base_r

    def _one_time(self, sheet, row: int, item, assumption: str | None, factor_cell: str, factor: float) -> None:
        one_time_link = _ONE_TIME_LINKS.get(item.id)
        if one_time_link in self.assumption_cells and math.isclose(self.params[one_time_link], item.one_time_usd):
            self._link(sheet, row, ONE_TIME, self.assumption_cells[one_time_link], self.f["usd2"])
        elif assumption:
            base = item.one_time_usd / self._factor_value(assumption)
            self._put(sheet, row, ONE_TIME, f"={base!r}*{factor_cell}", base * factor, self.f["usd2"])
        else:
            self._input(sheet, row, ONE_TIME, item.one_time_usd)

    def _option(self, option: str, prices: Mapping) -> None:
        name = _name(option)
        sheet = self._sheet(name, {ID: 14, UNIT: 14, BASE_Q: 12, BASE_R: 12, FACTOR: 9, QTY: 12,
                                   RATE: 12, MONTHLY: 14, ONE_TIME: 14}, freeze=(4, 2), wrap={LABEL: 36, RESTS: 48})
        cost = self.evaluation.options[option]
        self._later(sheet, 0, 0, f"{OPTION_LABELS[option]}: line items, quantity x rate", self.f["title"])
        self._later(sheet, 1, 0, "Feasible" if cost.feasible else f"Not feasible or not offered: "
                                                                    f"{cost.infeasible_reason or 'no plan'}")
        self._later(sheet, 2, 0, "Monthly = quantity x rate; quantity and rate are the list figures times the price "
                                 "factor (an assumption cell) on the side it applies to.", self.f["note"])
        heads = ("Id", "Line", "Unit", "Quantity at list", "Rate at list (USD)", "Price factor", "Quantity",
                 "Rate (USD)", "Monthly (USD)", "One-time (USD)", "Rests on")
        sheet.write_row(3, 0, heads, self.f["head"])
        first, last, _ = self._lines(sheet, 4, option, list(cost.line_items), prices)
        total = last + 1
        sheet.write(total, LABEL, "Total now (monthly, one-time)", self.f["bold"])
        for col, key in ((MONTHLY, "monthly"), (ONE_TIME, "one_time")):
            self._put(sheet, total, col, _sum(first, last, col), self._column_sum(name, first, last, col),
                      self.f["total"])
            self.totals[option][key] = _ref(name, total, col)
        self.book.define_name(f"monthly_{option}", f"={_ref(name, total, MONTHLY)}")
        row = total + 2
        self.totals[option]["years"] = []
        for year, items in enumerate(self.years[option], start=1):
            sheet.write(row, 0, f"Year {year}: volumes grown, replicas as planned for that year", self.f["bold"])
            first, last, monthly = self._lines(sheet, row + 1, option, items, None)
            end = last + 1
            months = months_in_year(self.evaluation.horizon_months, year)
            sheet.write(end, LABEL, "Months in the horizon this year")
            self._put(sheet, end, QTY, f"=MAX(0,MIN(12,{self.horizon_cell}-12*{year - 1}))", months)
            sheet.write(end + 1, LABEL, f"Year {year} cost (months x monthly)", self.f["bold"])
            self._put(sheet, end + 1, MONTHLY, f"={xl_rowcol_to_cell(end, QTY)}*SUM("
                      f"{xl_rowcol_to_cell(first, MONTHLY)}:{xl_rowcol_to_cell(last, MONTHLY)})", months * monthly,
                      self.f["total"])
            amortisation = next((first + k for k, i in enumerate(items) if i.id == "hardware_amortisation"), None)
            self.totals[option]["years"].append((_ref(name, end + 1, MONTHLY),
                                                 _ref(name, amortisation, MONTHLY) if amortisation is not None else None))
            row = end + 3

    def _column_sum(self, sheet_name: str, first: int, last: int, col: int) -> float:
        return sum(self.values[_ref(sheet_name, r, col)] for r in range(first, last + 1))

    def _resale(self, amortisation_cell: str) -> tuple[str, float]:
        a, v = self.assumption_cells, self.values
        months, share = a["amortisation_months"], a["on_prem_resale_share"]
        formula = f"{amortisation_cell}*{months}*{share}*MIN(1,{self.horizon_cell}/{months})"
        value = v[amortisation_cell] * v[months] * v[share] * min(1.0, v[self.horizon_cell] / v[months])
        return formula, value

    def _cash_flow(self) -> None:
        sheet = self._sheet("Cash flow", {0: 18, 1: 6, 2: 14, 3: 12, 4: 14}, freeze=(2, 0))
        self._later(sheet, 0, 0, "Year 0: one-time costs now; each later year's costs paid at its end, discounted "
                                 "at assumption discount_rate_per_year. Growth is in each year's quantities.",
                    self.f["note"])
        sheet.write_row(1, 0, ("Option", "Year", "Cash out (USD)", "Discount factor", "Discounted (USD)"),
                        self.f["head"])
        rate = self.assumption_cells.get("discount_rate_per_year")
        rate_value = self.values[rate] if rate else 0.0
        row = 2
        for option in OPTION_IDS:
            first = row
            years = self.totals[option]["years"]
            one_time = self.totals[option]["one_time"]
            flows = [(f"={one_time}", self.values[one_time])]
            for k, (cost, amortisation) in enumerate(years):
                formula, value = f"={cost}", self.values[cost]
                if amortisation and k == len(years) - 1:
                    resale, resale_value = self._resale(amortisation)
                    formula, value = f"{formula}-{resale}", value - resale_value
                flows.append((formula, value))
            for year, (formula, value) in enumerate(flows):
                sheet.write(row, 0, OPTION_LABELS[option])
                sheet.write_number(row, 1, year)
                self._put(sheet, row, 2, formula, value, self.f["usd"])
                factor = self._put(sheet, row, 3, f"=1/(1+{rate or 0})^{year}", 1 / (1 + rate_value) ** year,
                                   self.f["num"])
                self._put(sheet, row, 4, f"={xl_rowcol_to_cell(row, 2)}*{xl_rowcol_to_cell(row, 3)}",
                          value * factor, self.f["usd"])
                row += 1
            sheet.write(row, 0, f"{OPTION_LABELS[option]} total", self.f["bold"])
            for key, col in (("horizon", 2), ("npv", 4)):
                self._put(sheet, row, col, _sum(first, row - 1, col), self._column_sum("Cash flow", first, row - 1, col),
                          self.f["total"])
                self.totals[option][key] = _ref("Cash flow", row, col)
                self.book.define_name(f"{key}_{option}", f"={_ref('Cash flow', row, col)}")
            row += 2

    def _break_even(self) -> None:
        sheet = self._sheet("Break-even", {0: 20, 1: 18, 2: 18}, wrap={3: 60})
        sheet.write_row(0, 0, ("Option", "Engine (replanned), tokens/day", "At the fixed plan, tokens/day",
                               "How"), self.f["head"])
        sheet.write(1, 0, "Current volume (tokens/day)")
        current = self._input(sheet, 1, 1, self.evaluation.tokens_per_day, usd=False)
        for row, option in enumerate(("self_host_cloud", "self_host_on_prem"), start=2):
            engine = self.evaluation.break_even_tokens_per_day.get(option)
            sheet.write(row, 0, OPTION_LABELS[option])
            if engine is None:
                sheet.write(row, 1, "none in range")
            else:
                sheet.write_number(row, 1, engine, self.f["usd"])
            api, own = self.totals["api"]["monthly"], self.totals[option]["monthly"]
            v = self.values
            self._put(sheet, row, 2, f"=IF({api}>0,{current}*{own}/{api},0)",
                      v[current] * v[own] / v[api] if v[api] > 0 else 0.0, self.f["usd"])
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


def _catalog_keys(entry: str) -> tuple[str, ...]:
    """The price cells a line resting on catalog entry `entry` may use (an instance: any of its terms)."""
    if entry.startswith("instance:"):
        return tuple(f"{entry}:{term}" for term in ("on_demand", "committed_1y", "committed_3y"))
    if entry.startswith("gpu:"):
        return (f"{entry}:hour",)
    return ()


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


def build_xlsx(assessment: Assessment, evaluation: Evaluation, years: Mapping[str, list[list[YearItem]]],
               catalogs: Catalogs | None = None) -> bytes:
    """The workbook's bytes; `years` from app.report.plan_years.yearly_items on the same context; `catalogs`
    (the ones evaluated against) fill the price sheet's catalog sections."""
    return _Model(assessment, evaluation, years, catalogs).build()
