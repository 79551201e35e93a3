"""The baseline of bench_report's whole-process ratio: a plain reportlab document of the same pages, tables
and charts as the full report, written the way a quick script would (SimpleDocTemplate, one pass, plain
strings in one-line table cells and paragraphs in the others, no contents page, no running headers, no font fallback, no templates).

    python benchmarks/plain_report.py dump EXAMPLE CONTENT.json     # once: the report's words and tables
    python benchmarks/plain_report.py build EXAMPLE CONTENT.json OUT.pdf

`build` does what `llm-advisor report` does before laying out (load the assessment, evaluate it) and then
lays the dumped content out plainly, drawing the same charts, so the ratio of the two processes is the cost
of the report layer over plain reportlab."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _flatten(flowables) -> list:
    out = []
    for flowable in flowables:
        inner = getattr(flowable, "_content", None)
        out += _flatten(inner) if isinstance(inner, list) else [flowable]
    return out


def dump(example: str, content: str) -> None:
    """The full report's story as plain content: paragraphs' text, tables' cell text and widths, chart ids."""
    from reportlab.graphics.shapes import Drawing
    from reportlab.platypus import Paragraph, Table

    from app.domain.brand import BrandProfile
    from app.engine.evaluate import evaluate
    from app.report.facts import gather
    from app.report.layout import make_styles
    from app.report.sections import Inputs, story
    from app.storage.assessment_files import load_assessment
    from app.storage.catalogs import catalogs_for

    assessment = load_assessment(Path(example))
    evaluation = evaluate(assessment, catalogs_for(assessment))
    brand = BrandProfile()
    inputs = Inputs(gather(assessment, evaluation), evaluation, brand, assessment.display, make_styles(brand), None)
    items = []
    flowables = _flatten(story(inputs))
    chart_ids = iter(inputs.figures)  # the charts in the order the story lays them out
    for flowable in flowables:
        if isinstance(flowable, Paragraph):
            items.append({"p": flowable.getPlainText()})
        elif isinstance(flowable, Table):
            rows = [[c.getPlainText() if isinstance(c, Paragraph) else str(c) for c in row]
                    for row in flowable._cellvalues]
            items.append({"table": rows, "widths": list(flowable._argW)})
        elif isinstance(flowable, Drawing):
            items.append({"chart": next(chart_ids)})
    Path(content).write_text(json.dumps(items), encoding="utf-8")


def build(example: str, content: str, out: str) -> None:
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from app.domain.brand import BrandProfile
    from app.engine.evaluate import evaluate
    from app.report import charts
    from app.storage.assessment_files import load_assessment
    from app.storage.catalogs import catalogs_for

    assessment = load_assessment(Path(example))
    evaluation = evaluate(assessment, catalogs_for(assessment))
    brand = BrandProfile()
    body = getSampleStyleSheet()["BodyText"]
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    grid = TableStyle([("FONTSIZE", (0, 0), (-1, -1), 8), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999")])
    story = []
    for item in json.loads(Path(content).read_text(encoding="utf-8")):
        if "p" in item:
            story.append(Paragraph(escape(item["p"]), body))
        elif "table" in item:
            rows = [[text if stringWidth(text, "Helvetica", 8) < width - 12 else Paragraph(escape(text), cell)
                     for text, width in zip(row, item["widths"])] for row in item["table"]]
            story.append(Table(rows, colWidths=item["widths"], repeatRows=1, style=grid))
        else:
            story.append(charts.build_chart(item["chart"], evaluation, brand, assessment.display))
    SimpleDocTemplate(out).build(story)


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"dump": dump, "build": build}[command](*args)
