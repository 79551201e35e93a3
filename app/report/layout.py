"""The report's typography and building blocks: paragraph styles from the brand, the two paragraph
constructors (one escapes user text, one takes trusted template markup), tables that fit the page, and
the document template with header, footer, watermark, table of contents and PDF outline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, PageTemplate, Paragraph, Table, TableStyle
from reportlab.platypus.tableofcontents import TableOfContents

from app.domain.brand import BrandProfile
from app.domain.errors import ReportError
from app.report.colours import INK, MUTED, RULE, ZEBRA, mix
from app.report.fonts import FontSet, font_set
from app.report.logo import Logo
from app.report.markup import plain_text, user_markup

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 20 * mm
HEADER_HEIGHT = 14 * mm
FOOTER_HEIGHT = 12 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT
WATERMARK_COLOUR = HexColor("#9AA5AF")
WATERMARK_ALPHA = 0.18
HEADING_LEVELS = {"H1": 0, "H2": 1}
TABLE_START_SPACE = 45 * mm


@dataclass(frozen=True)
class Styles:
    fonts: FontSet
    primary: Color
    accent: Color
    title: ParagraphStyle
    cover_line: ParagraphStyle
    masthead: ParagraphStyle
    cover_small: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h2_table: ParagraphStyle
    h3: ParagraphStyle
    lead: ParagraphStyle
    body: ParagraphStyle
    bullet: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_right: ParagraphStyle
    header: ParagraphStyle
    header_right: ParagraphStyle


def make_styles(brand: BrandProfile) -> Styles:
    fonts = font_set(brand.font_family)
    primary, accent = HexColor(brand.primary_colour), HexColor(brand.accent_colour)
    # bulletFontName too: its default is Helvetica, a standard font that would not be embedded.
    base = ParagraphStyle("Body", fontName=fonts.regular, bulletFontName=fonts.regular, fontSize=9.5, leading=13.5,
                          textColor=INK, spaceAfter=6)
    cell = ParagraphStyle("Cell", parent=base, fontSize=8, leading=10, spaceAfter=0)
    header = ParagraphStyle("Header", parent=base, fontSize=7.5, leading=9, textColor=MUTED, spaceAfter=0)
    return Styles(
        fonts=fonts, primary=primary, accent=accent,
        title=ParagraphStyle("Title", parent=base, fontName=fonts.bold, fontSize=28, leading=33, textColor=white,
                             spaceAfter=10),
        cover_line=ParagraphStyle("CoverLine", parent=base, fontSize=13, leading=17, textColor=white),
        cover_small=ParagraphStyle("CoverSmall", parent=base, fontSize=10, leading=13,
                                   textColor=mix(primary, white, 0.7)),
        masthead=ParagraphStyle("Masthead", parent=base, fontName=fonts.bold, fontSize=12, leading=15,
                                textColor=primary),
        # keepWithNext: a heading never ends a page alone.
        h1=ParagraphStyle("H1", parent=base, fontName=fonts.bold, fontSize=18, leading=22, textColor=primary,
                          spaceAfter=10, keepWithNext=1),
        h2=ParagraphStyle("H2", parent=base, fontName=fonts.bold, fontSize=12, leading=15, textColor=primary,
                          spaceBefore=10, spaceAfter=5, keepWithNext=1),
        h2_table=ParagraphStyle("H2", parent=base, fontName=fonts.bold, fontSize=12, leading=15, textColor=primary,
                                spaceBefore=10, spaceAfter=5),
        h3=ParagraphStyle("H3", parent=base, fontName=fonts.bold, fontSize=10, leading=13, spaceBefore=6,
                          spaceAfter=3, keepWithNext=1),
        lead=ParagraphStyle("Lead", parent=base, fontSize=13, leading=18, textColor=primary, spaceAfter=10),
        body=base,
        bullet=ParagraphStyle("Bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=3),
        small=ParagraphStyle("Small", parent=base, fontSize=7.5, leading=10, textColor=MUTED),
        cell=cell,
        cell_right=ParagraphStyle("CellRight", parent=cell, alignment=TA_RIGHT),
        cell_head=ParagraphStyle("CellHead", parent=cell, fontName=fonts.bold, textColor=white),
        cell_head_right=ParagraphStyle("CellHeadRight", parent=cell, fontName=fonts.bold, textColor=white,
                                       alignment=TA_RIGHT),
        header=header,
        header_right=ParagraphStyle("HeaderRight", parent=header, alignment=TA_RIGHT),
    )


def text(value: object, style: ParagraphStyle, styles: Styles) -> Paragraph:
    """A paragraph of user text: escaped, shown exactly as typed."""
    return Paragraph(user_markup(value, styles.fonts), style)


def markup(value: str, style: ParagraphStyle, source: str, **kwargs) -> Paragraph:
    """A paragraph of trusted markup (template output, where user values are already escaped)."""
    try:
        return Paragraph(value, style, **kwargs)
    except ValueError as error:
        raise ReportError(f"report template {source}: invalid markup ({error})") from None


def heading(value: str, level: str, styles: Styles) -> Paragraph:
    return text(value, {"H1": styles.h1, "H2": styles.h2, "H3": styles.h3}[level], styles)


def table_heading(value: str, styles: Styles) -> list:
    """A heading over a table that may run for pages: keep-with-next would push heading and table whole to
    the next page (leaving a blank one), so ask instead for room for the heading and a few rows."""
    return [CondPageBreak(TABLE_START_SPACE), text(value, styles.h2_table, styles)]


def table(header: Sequence[str] | None, rows: Sequence[Sequence[object]], widths: Sequence[float], styles: Styles,
          *, right: Sequence[int] = (), highlight: Sequence[int] = ()) -> Table:
    """A full-width table of user text. `widths` are shares of the frame width; `right` the numeric columns;
    `highlight` rows shown in bold (e.g. the recommended option); no header makes a key-value table. Rows
    split across pages when needed, repeating the header."""
    data = []
    col_widths = [FRAME_WIDTH * w for w in widths]
    first = 1 if header is not None else 0
    if header is not None:
        data.append([_cell(h, col_widths[c], styles.cell_head_right if c in right else styles.cell_head, styles)
                     for c, h in enumerate(header)])
    for index, row in enumerate(rows):
        bold = index in highlight
        data.append([_cell(value, col_widths[column], styles.cell_right if column in right else styles.cell,
                           styles, bold) for column, value in enumerate(row)])
    result = Table(data, colWidths=col_widths, repeatRows=first, splitInRow=1, hAlign="LEFT")
    cell = styles.cell
    commands = [
        # One-line cells are plain strings drawn in these fonts (Paragraph cells carry their own styles);
        # the default would be Helvetica, a standard font that is not embedded.
        ("FONT", (0, 0), (-1, -1), styles.fonts.regular, cell.fontSize, cell.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), cell.textColor),
        *[("ALIGN", (c, 0), (c, -1), "RIGHT") for c in right],
        *[("FONT", (0, r + first), (-1, r + first), styles.fonts.bold, cell.fontSize, cell.leading) for r in highlight],
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
    ]
    if header is not None:
        commands += [("BACKGROUND", (0, 0), (-1, 0), styles.primary), ("TEXTCOLOR", (0, 0), (-1, 0), white),
                     ("FONT", (0, 0), (-1, 0), styles.fonts.bold, cell.fontSize, cell.leading)]
    commands += [("BACKGROUND", (0, r), (-1, r), ZEBRA) for r in range(first + 1, len(data), 2)]
    result.setStyle(TableStyle(commands))
    return result


# Left plus right padding of a table cell (reportlab's default, 6 points a side).
CELL_PADDING = 12


def _cell(value: object, width: float, style: ParagraphStyle, styles: Styles, bold: bool = False):
    """A plain string when the text fits one line in the brand font (a Paragraph per cell, laid out twice,
    was most of the report's time); else a Paragraph, which wraps and switches to fallback fonts."""
    plain = plain_text(value, styles.fonts)
    font = styles.fonts.bold if bold or style.fontName == styles.fonts.bold else style.fontName
    if plain is not None and stringWidth(plain, font, style.fontSize) <= width - CELL_PADDING:
        return plain
    content = user_markup(value, styles.fonts)
    return Paragraph(f"<b>{content}</b>" if bold else content, style)


def contents(styles: Styles) -> TableOfContents:
    toc = TableOfContents()
    toc.levelStyles = [
        ParagraphStyle("TOC1", parent=styles.body, fontName=styles.fonts.bold, fontSize=10.5, leading=14,
                       leftIndent=0, firstLineIndent=0, spaceBefore=7, spaceAfter=1),
        ParagraphStyle("TOC2", parent=styles.body, fontSize=9, leading=12, leftIndent=14, firstLineIndent=0,
                       textColor=MUTED, spaceAfter=0),
    ]
    toc.dotsMinLevel = 0
    # The default style pads every row; the contents must fit on one page.
    toc.tableStyle = TableStyle([("FONT", (0, 0), (-1, -1), styles.fonts.regular, styles.cell.fontSize),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    return toc


@dataclass(frozen=True)
class PageDecor:
    """What every page carries besides its content."""
    styles: Styles
    brand: BrandProfile
    logo: Logo | None
    client: str
    draft: bool


class ReportDocument(BaseDocTemplate):
    """A4 pages: the cover, then body pages with header and footer. Counts pages in one pass so the next
    pass can print "page X of Y" (multiBuild makes at least two passes for the table of contents)."""

    def __init__(self, target, decor: PageDecor, **kwargs):
        # The canvas's initial font is Helvetica unless told otherwise: a standard font, not embedded.
        super().__init__(target, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN, initialFontName=decor.styles.fonts.regular, **kwargs)
        self.decor = decor
        self.page_total: int | None = None
        self._pages_this_pass = 0
        self.addPageTemplates([cover_template(self), body_template(self)])

    def beforeDocument(self) -> None:
        self.page_total = self._pages_this_pass or None
        self._outline_keys = 0

    def afterPage(self) -> None:
        self._pages_this_pass = self.page

    def afterFlowable(self, flowable) -> None:
        level = HEADING_LEVELS.get(getattr(getattr(flowable, "style", None), "name", ""))
        if level is None:
            return
        title = flowable.getPlainText()
        self._outline_keys += 1
        key = f"h{self._outline_keys}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(title, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, flowable.text, self.page, key))

    @property
    def pages_consistent(self) -> bool:
        return self.page_total == self._pages_this_pass


def cover_template(doc: ReportDocument) -> PageTemplate:
    frames = [
        Frame(MARGIN, PAGE_HEIGHT - MARGIN - 30 * mm, FRAME_WIDTH, 30 * mm, id="masthead", showBoundary=0),
        Frame(MARGIN, PAGE_HEIGHT * 0.42, FRAME_WIDTH, PAGE_HEIGHT * 0.58 - MARGIN - 36 * mm, id="band",
              leftPadding=10 * mm, rightPadding=10 * mm, topPadding=14 * mm),
        Frame(MARGIN, MARGIN + FOOTER_HEIGHT, FRAME_WIDTH, PAGE_HEIGHT * 0.42 - MARGIN - FOOTER_HEIGHT - 4 * mm,
              id="details", topPadding=10 * mm),
    ]
    return PageTemplate(id="cover", frames=frames, onPage=lambda c, d: _decorate_cover(c, d, doc.decor),
                        onPageEnd=lambda c, d: _watermark(c, doc.decor))


def body_template(doc: ReportDocument) -> PageTemplate:
    frame = Frame(MARGIN, MARGIN + FOOTER_HEIGHT, FRAME_WIDTH, FRAME_HEIGHT, id="body")
    return PageTemplate(id="body", frames=[frame], onPage=lambda c, d: _decorate_body(c, d, doc.decor),
                        onPageEnd=lambda c, d: _watermark(c, doc.decor))


def _decorate_cover(canvas, doc: ReportDocument, decor: PageDecor) -> None:
    canvas.saveState()
    canvas.setFillColor(decor.styles.primary)
    canvas.rect(0, PAGE_HEIGHT * 0.42, PAGE_WIDTH, PAGE_HEIGHT * 0.58 - MARGIN - 36 * mm, stroke=0, fill=1)
    canvas.setFillColor(decor.styles.accent)
    canvas.rect(0, PAGE_HEIGHT * 0.42 - 2.5 * mm, PAGE_WIDTH, 2.5 * mm, stroke=0, fill=1)
    canvas.restoreState()
    _footer(canvas, doc, decor)


def _decorate_body(canvas, doc: ReportDocument, decor: PageDecor) -> None:
    styles = decor.styles
    top = PAGE_HEIGHT - MARGIN
    if decor.logo is not None:
        decor.logo.draw(canvas, MARGIN, top - 9 * mm, 38 * mm, 9 * mm)
    else:
        _draw_paragraph(canvas, text(decor.brand.consultancy_name, styles.header, styles), MARGIN, top - 4 * mm,
                        FRAME_WIDTH / 2)
    marking = f" · {decor.brand.confidentiality}" if decor.brand.confidentiality else ""
    client = one_line(decor.client, FRAME_WIDTH / 2 - _width(marking, styles.header), styles.header)
    right = text(f"{client}{marking}", styles.header_right, styles)
    _draw_paragraph(canvas, right, PAGE_WIDTH / 2, top - 4 * mm, FRAME_WIDTH / 2)
    canvas.saveState()
    canvas.setStrokeColor(styles.primary)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - HEADER_HEIGHT + 3 * mm, PAGE_WIDTH - MARGIN, top - HEADER_HEIGHT + 3 * mm)
    canvas.restoreState()
    _footer(canvas, doc, decor)


def _footer(canvas, doc: ReportDocument, decor: PageDecor) -> None:
    styles = decor.styles
    y = MARGIN + 2 * mm
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, y + 6 * mm, PAGE_WIDTH - MARGIN, y + 6 * mm)
    canvas.restoreState()
    left = " · ".join(part for part in (decor.brand.consultancy_name, decor.brand.contact_line) if part)
    left = one_line(left, FRAME_WIDTH * 0.7, styles.header)
    _draw_paragraph(canvas, text(left, styles.header, styles), MARGIN, y + 3 * mm, FRAME_WIDTH * 0.7)
    total = doc.page_total or doc.page
    page = Paragraph(f"page {doc.page} of {total}", styles.header_right)
    _draw_paragraph(canvas, page, PAGE_WIDTH - MARGIN - FRAME_WIDTH * 0.3, y + 3 * mm, FRAME_WIDTH * 0.3)


def _width(value: str, style: ParagraphStyle) -> float:
    return stringWidth(value, style.fontName, style.fontSize)


def one_line(value: str, width: float, style: ParagraphStyle) -> str:
    """`value` shortened with an ellipsis to fit one line of `width` (running headers: a 500-character client
    name would wrap downwards over the page). Measured in the style's font, with a margin for characters
    drawn by a wider fallback font."""
    value = " ".join(value.split())
    limit = width * 0.95
    if _width(value, style) <= limit:
        return value
    low, high = 0, len(value)
    while low < high:  # the longest prefix that fits with the ellipsis
        middle = (low + high + 1) // 2
        if _width(value[:middle].rstrip() + "…", style) <= limit:
            low = middle
        else:
            high = middle - 1
    return value[:low].rstrip() + "…"


def _draw_paragraph(canvas, paragraph: Paragraph, x: float, top: float, width: float) -> None:
    _, height = paragraph.wrapOn(canvas, width, PAGE_HEIGHT)
    paragraph.drawOn(canvas, x, top - height)


def _watermark(canvas, decor: PageDecor) -> None:
    """Drawn last and translucent, so it shows over tables and charts without hiding them."""
    if not decor.draft:
        return
    canvas.saveState()
    canvas.setFillColor(WATERMARK_COLOUR, alpha=WATERMARK_ALPHA)
    canvas.setFont(decor.styles.fonts.bold, 110)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -40, "DRAFT")
    canvas.restoreState()
