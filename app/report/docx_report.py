"""The partner's editable Word report (issue 16): the PDF's sections, figures and charts in a .docx.

Headings use Word's named styles (Heading 1-3) and tables a named table style, so a partner restyles the
whole document at once. Numbers come from ReportFacts, the same formatted figures the PDF prints; words from
the same narrative templates; charts are the PDF's reportlab drawings rendered to PNG.

A consultancy's own template (`docx_template` in brand.yaml) supplies the styles, cover, headers and footers:
its placeholders (docs/report.md) are filled by docxtpl in jinja2's SandboxedEnvironment, because the
template is outside text, and the report body is appended after its content. A template that fails is
refused with one ReportError naming it."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from reportlab.graphics import renderPDF

from app.domain.assessment import Assessment
from app.domain.brand import BrandProfile
from app.domain.catalogs import Catalogs
from app.domain.errors import ReportError
from app.domain.evaluation import OPTION_LABELS, Evaluation
from app.report import charts
from app.report.names import display_name, pool_label
from app.report.facts import ReportFacts, gather, quantity
from app.report.findings import LINE_HEADERS, source_and_rationale
from app.report.formatting import percent, worded
from app.report.layout import make_styles
from app.report.logo import Logo
from app.report.narrative import render_blocks, section_titles
from app.report.plan_rows import where

TABLE_STYLE = "Table Grid"
CHART_DPI = 110
RUNNING_NAME_CHARS = 60  # a long client name is shortened in headers, never overprinting
_TAG = re.compile(r"<[^>]+>")


def _plain(markup: str) -> str:
    """Reportlab markup to plain text: tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", markup))


def _hex(colour: str) -> RGBColor:
    value = colour.lstrip("#")
    return RGBColor(int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _short(text: str) -> str:
    return text if len(text) <= RUNNING_NAME_CHARS else text[:RUNNING_NAME_CHARS - 1] + "…"


class _Writer:
    def __init__(self, assessment: Assessment, evaluation: Evaluation, brand: BrandProfile,
                 catalogs: Catalogs | None = None):
        self.assessment, self.evaluation, self.brand = assessment, evaluation, brand
        self.facts: ReportFacts = gather(assessment, evaluation, catalogs)
        self.styles = make_styles(brand)  # registers the brand's fonts for the charts
        templated = brand.docx_template is not None
        self.doc = Document(io.BytesIO(_render_template(brand.docx_template, self.template_context()))) \
            if templated else Document()
        self.templated = templated
        self.pngs: dict[str, bytes] = {}
        self.figures = 0
        self.titles = {k: _plain(v) for k, v in section_titles(self.styles.fonts, {"facts": self.facts,
                                                                                   "brand": brand}).items()}
        self.table_style = TABLE_STYLE if TABLE_STYLE in [s.name for s in self.doc.styles] else None

    def template_context(self) -> dict:
        e = self.facts.engagement
        return {"client_name": e.client_name, "title": e.title, "engagement_id": e.engagement_id,
                "consultant": e.consultant, "date": e.date, "industry": e.industry,
                "consultancy_name": self.brand.consultancy_name, "contact_line": self.brand.contact_line,
                "confidentiality": self.brand.confidentiality, "recommendation": self.facts.recommendation,
                "confidence": self.facts.confidence, "horizon_months": self.facts.horizon_months,
                "headline": worded(self.evaluation, self.facts.money, "headline"),
                "options": [{"label": o.label, "monthly": o.monthly, "one_time": o.one_time, "horizon": o.horizon,
                             "feasible": o.feasible} for o in self.facts.options]}

    # ---- building blocks
    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(text, level)

    def para(self, text: str, style: str | None = None) -> None:
        self.doc.add_paragraph(text, style=style if style in self._style_names() else None)

    def _style_names(self) -> set[str]:
        if not hasattr(self, "_names"):
            self._names = {s.name for s in self.doc.styles}
        return self._names

    def section(self, key: str, default: str) -> None:
        """A level-1 heading stating the section's finding, as in the PDF."""
        self.heading(self.titles.get(key, default), 1)

    def narrative(self, name: str, **context) -> None:
        blocks = render_blocks(name, self.styles.fonts, {"facts": self.facts, "brand": self.brand, **context})
        for block in blocks:
            if block.kind == "h":
                self.heading(_plain(block.markup), 3)
            else:
                self.para(_plain(block.markup), "List Bullet" if block.kind == "bullet" else None)

    def table(self, header, rows) -> None:
        rows = list(rows)
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        if self.table_style:
            table.style = self.table_style
        for cell, text in zip(table.rows[0].cells, header):
            run = cell.paragraphs[0].add_run(str(text))
            run.bold = True
            _shade(cell, self.brand.primary_colour)
            run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        # Straight to the XML: python-docx's cell lookup walks the whole grid per cell (0.5 s a report).
        for tr, values in zip(table._tbl.tr_lst[1:], rows):
            for tc, text in zip(tr.tc_lst, values):
                tc.p_lst[0].add_r().text = str(text)
        self.doc.add_paragraph()

    def chart(self, chart_id: str) -> None:
        if not charts.has_chart(chart_id, self.evaluation):
            return
        if chart_id not in self.pngs:  # the cost comparison appears twice, as in the PDF
            drawing = charts.build_chart(chart_id, self.evaluation, self.brand, self.assessment.display)
            self.pngs[chart_id] = drawing_png(drawing)
        png = self.pngs[chart_id]
        self.heading(charts.chart_title(chart_id), 2)
        self.doc.add_picture(io.BytesIO(png), width=Mm(160))
        self.figures += 1
        for block in render_blocks("figure.j2", self.styles.fonts, {"facts": self.facts, "number": self.figures,
                                                                    "title": charts.chart_title(chart_id),
                                                                    "chart_id": chart_id}):
            self.para(_plain(block.markup), "Caption")

    # ---- the document
    def build(self) -> bytes:
        self._brand_styles()
        if not self.templated:
            self._cover()
            self._running_heads()
        self._summary()
        self._recommendation()
        self._costs()
        self._hardware()
        self.section("readiness", "Readiness")
        self.narrative("readiness.j2")
        self.chart("readiness")
        if self.facts.gaps:
            self.heading("Gaps and the actions that close them", 2)
            self.table(("Dimension", "Severity", "Gap", "Action"), self.facts.gaps)
        self.section("risks", "Risks and mitigations")
        self.heading("Risk register", 2)
        self.narrative("risk_register.j2")
        self.heading("Risks of the route", 2)
        self.narrative("risks.j2")
        self._appendices()
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _brand_styles(self) -> None:
        if self.templated:
            return  # the consultancy's template owns its styles
        for level in (1, 2, 3):
            style = self.doc.styles[f"Heading {level}"]
            style.font.color.rgb = _hex(self.brand.primary_colour if level < 3 else self.brand.accent_colour)
        self.doc.styles["Normal"].font.size = Pt(10)

    def _cover(self) -> None:
        engagement = self.facts.engagement
        logo = _logo_png(self.brand, self.styles.fonts.regular)
        if logo:
            self.doc.add_picture(io.BytesIO(logo), width=Mm(50))
        title = self.doc.add_paragraph(engagement.title, style="Title")
        title.alignment = WD_ALIGN_PARAGRAPH.LEFT
        for label, value in (("Client", engagement.client_name), ("Prepared by", self.brand.consultancy_name),
                             ("Consultant", engagement.consultant), ("Date", engagement.date),
                             ("Classification", self.brand.confidentiality)):
            if value:
                self.para(f"{label}: {value}")
        self.doc.add_page_break()

    def _running_heads(self) -> None:
        section = self.doc.sections[0]
        section.different_first_page_header_footer = True  # the cover stands alone
        header = section.header.paragraphs[0]
        header.text = f"{_short(self.facts.engagement.client_name)} · {self.brand.consultancy_name}"
        header.runs[0].font.color.rgb = _hex(self.brand.primary_colour)
        footer = section.footer.paragraphs[0]
        footer.text = f"{self.brand.confidentiality} · page "
        _page_field(footer)

    def _options_table(self) -> None:
        rows = [(o.label + (" (recommended)" if o.recommended else ""), o.monthly, o.one_time, o.horizon,
                 o.per_million, "yes" if o.feasible else f"no: {o.infeasible_reason}") for o in self.facts.options]
        self.table(("Option", "Monthly", "One-time", f"{self.facts.horizon_months}-month total",
                    "All-in per 1M tokens", "Feasible"), rows)

    def _summary(self) -> None:
        self.section("executive_summary", "Executive summary")
        self.narrative("executive_summary.j2")
        self._options_table()
        self.chart("cost_comparison")

    def _recommendation(self) -> None:
        f = self.facts
        self.heading("Recommendation and rationale", 1)
        self.narrative("recommendation.j2")
        self.heading("Reasons", 2)
        for index, reason in enumerate(f.reasons, start=1):
            self.para(f"{index}. {reason.text}")
            for item in reason.rests_on:
                self.para(f"Rests on: {item}", "List Bullet")
        if f.workloads:
            self.heading("Workloads and where each runs", 2)
            self.table(("Workload", "Volume", "Runs on", "Why"), f.workloads)
        self.heading("What would change the answer", 2)
        self.narrative("tipping_points.j2")
        if f.tipping_points:
            self.table(("Input", "Today", "Flips at", "Recommendation becomes"), f.tipping_points)
        self.heading("Roadmap", 2)
        self.narrative("roadmap.j2")
        if f.roadmap:
            self.table(("Phase", "Option", "What", "Trigger"), f.roadmap)

    def _costs(self) -> None:
        f, money = self.facts, self.facts.money
        self.section("costs", "Costs")
        self.narrative("costs.j2")
        self.chart("cost_comparison")
        self.heading(f"Total cost of ownership over {f.horizon_months} months", 2)
        self._options_table()
        for option in f.options:
            self.heading(f"{option.label}: line items", 2)
            if not option.feasible:
                self.para(f"Not feasible: {option.infeasible_reason}")
            lines = option.table
            self.table(LINE_HEADERS, [*((line.label, line.quantity_rate, line.monthly, line.one_time, line.rests_on)
                                        for line in lines.lines), ("Total", "", lines.monthly, lines.one_time, "")])
            if lines.rounding:
                self.narrative("rounding.j2", table=lines)

        options = [o for o in self.evaluation.options.values() if o.cash_flow_by_year]
        if options:
            years = len(options[0].cash_flow_by_year)
            self.heading("Money over time", 2)
            self.narrative("money_over_time.j2")
            self.table(("Option", *("Up front" if y == 0 else f"Year {y}" for y in range(years)), "Total", "NPV"),
                       [(OPTION_LABELS[o.option], *(money.amount(c.usd) for c in o.cash_flow_by_year),
                         money.amount(o.horizon_usd), money.amount(o.npv_usd)) for o in options])
        for chart_id, words in (("cost_curve", "cost_curve.j2"), ("uncertainty", "uncertainty.j2"),
                                ("tornado", "sensitivity.j2")):
            if charts.has_chart(chart_id, self.evaluation):
                self.chart(chart_id)
                self.narrative(words)

    def _hardware(self) -> None:
        e, money = self.evaluation, self.facts.money
        self.section("hardware", "Hardware and serving")
        self.narrative("hardware.j2")
        if e.pools:
            names = {w.workload_id: w.name for w in e.workloads}
            self.heading("Serving pools", 2)
            self.table(("Pool", "Model", "Replicas x GPUs", "Where", "Busy", "Monthly", "Workloads"),
                       [(pool_label(p.id), f"{display_name(p.model)} ({display_name(p.precision)})",
                         f"{p.replicas} x {p.gpus_per_replica} {display_name(p.gpu)}", where(p),
                         percent(p.utilisation), money.amount(p.monthly_usd),
                         ", ".join(names.get(w, w) for w in p.workloads)) for p in e.pools])
        self.chart("memory")

    def _appendices(self) -> None:
        money = self.facts.money
        self.heading("Appendix A: Assumptions", 1)
        rationales = self.facts.findings.rationales if self.facts.findings else {}
        self.table(("Assumption", "Value", "Range", "Source and rationale", "As of"),
                   [(a.label + (" (overridden)" if a.overridden else ""), quantity(a.value, a.unit, money),
                     f"{quantity(a.low, a.unit, money)} to {quantity(a.high, a.unit, money)}",
                     source_and_rationale(a, rationales), a.as_of)
                    for a in self.evaluation.assumptions])
        if self.facts.findings and self.facts.findings.prices:
            self.heading("Price sheet", 2)
            self.table(("Price", "Rate", "Source", "As of"), self.facts.findings.prices)
        self.heading("Appendix B: Answers", 1)
        for scope in dict.fromkeys(r.scope for r in self.facts.answers):
            self.heading(scope if scope == "Organisation" else f"Workload: {scope}", 2)
            self.table(("Question", "Answer", "Note", "Known as", "Flag"),
                       [(r.question, r.value, r.note, r.confidence, "review" if r.review else "")
                        for r in self.facts.answers if r.scope == scope])
        self.heading("Appendix C: Methodology", 1)
        self.narrative("methodology.j2")
        self.heading("Disclaimer", 2)
        self.para(self.brand.disclaimer)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _page_field(paragraph) -> None:
    """A PAGE field: Word and LibreOffice fill in the page number."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _logo_png(brand: BrandProfile, font_name: str) -> bytes | None:
    if brand.logo_path is None:
        return None
    logo = Logo(brand.logo_path, font_name)
    return logo.png if logo.png is not None else drawing_png(logo.drawing)


def drawing_png(drawing) -> bytes:
    """A reportlab drawing as PNG: drawn to a one-page PDF, rasterised by PDFium."""
    import pypdfium2

    document = pypdfium2.PdfDocument(renderPDF.drawToString(drawing))
    try:
        image = document[0].render(scale=CHART_DPI / 72).to_pil()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def _render_template(path: Path, context: dict) -> bytes:
    """Fill the consultancy's template's placeholders, sandboxed; ReportError with one message on failure."""
    from docxtpl import DocxTemplate
    from jinja2.sandbox import SandboxedEnvironment

    try:
        template = DocxTemplate(str(path))
        template.render(context, jinja_env=SandboxedEnvironment(autoescape=True))
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()
    except Exception as error:  # a partner's template: any failure is the template's, said once
        raise ReportError(f"the Word template {Path(path).name} could not be used ({type(error).__name__}: "
                          f"{error}); fix its placeholders (docs/report.md lists them) or remove docx_template "
                          "from the brand") from None


def build_docx(assessment: Assessment, evaluation: Evaluation, brand: BrandProfile,
               catalogs: Catalogs | None = None) -> bytes:
    """The Word report's bytes (`catalogs`: the ones evaluated against, not loaded again). ReportError when
    the brand's template cannot be used."""
    return _Writer(assessment, evaluation, brand, catalogs).build()
