"""`build_review`: the "quarterly review" PDF of a comparison (`llm-advisor compare -o`, File > Compare With...).
It shares the report's stack: brand, page decoration, tables that escape user text, narrative templates
(templates/report/review*.j2) and a chart drawn once for paper and screen (the waterfall). Written atomically,
AES-256 encrypted when a password is given."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import FrameBreak, KeepInFrame, KeepTogether, NextPageTemplate, PageBreak, Spacer

from app import APP_NAME, __version__
from app.domain.assessment import Assessment
from app.domain.brand import BrandProfile
from app.domain.comparison import ATTRIBUTION_STEPS, Comparison
from app.domain.errors import AdvisorError, ReportError
from app.domain.evaluation import OPTION_LABELS
from app.domain.pricing import Assumption
from app.report import charts
from app.report.facts import engagement_of
from app.report.formatting import Money, percent
from app.report.layout import FRAME_WIDTH, PageDecor, ReportDocument, Styles, heading, make_styles, table, table_heading, text
from app.report.logo import Logo
from app.report.narrative import render_blocks
from app.report.pdf import MAX_LAYOUT_PASSES, encrypt_pdf
from app.report.sections import _block
from app.report.whatif_rows import (ANSWER_HEADERS, ASSUMPTION_HEADERS, OPTION_MOVE_HEADERS, PRICE_HEADERS,
                                    attribution_rows, changed_answer_rows, changed_assumption_rows,
                                    changed_price_rows, option_move_rows, recommendation_name, signed)
from app.storage.atomic import atomic_write_bytes


@dataclass(frozen=True)
class ReviewFacts:
    """The review's figures, formatted, for its templates."""

    money: Money
    old_recommendation: str
    new_recommendation: str
    recommendation_moved: bool
    old_confidence: str
    new_confidence: str
    option: str
    fallback: bool  # NEW recommends nothing: its cheapest feasible option is attributed
    old_monthly: str
    new_monthly: str
    total_change: str
    parts: Mapping[str, str]
    answer_count: int
    assumption_count: int
    price_count: int


def review_facts(comparison: Comparison, money: Money) -> ReviewFacts:
    c = comparison
    steps = c.attribution_steps_usd
    return ReviewFacts(
        money=money,
        old_recommendation=recommendation_name(c.recommendation.old),
        new_recommendation=recommendation_name(c.recommendation.new),
        recommendation_moved=c.recommendation.old != c.recommendation.new,
        old_confidence=percent(c.confidence.old, money.locale), new_confidence=percent(c.confidence.new, money.locale),
        option=OPTION_LABELS[c.attribution_option], fallback=c.recommendation.new is None,
        old_monthly=money.amount(steps[0]), new_monthly=money.amount(steps[-1]),
        total_change=signed(c.attribution_usd.total, money),
        parts={step: signed(getattr(c.attribution_usd, step), money) for step in ATTRIBUTION_STEPS},
        answer_count=len(c.changed_answers), assumption_count=len(c.changed_assumptions),
        price_count=len(c.changed_prices))


def _words(name: str, styles: Styles, facts: ReviewFacts, brand: BrandProfile) -> list:
    return [_block(b, styles) for b in render_blocks(name, styles.fonts, {"facts": facts, "review": facts,
                                                                           "brand": brand})]


def _cover(old: Assessment, new: Assessment, facts: ReviewFacts, styles: Styles, brand: BrandProfile) -> list:
    before, after = engagement_of(old, facts.money.locale), engagement_of(new, facts.money.locale)
    band = [text("Quarterly review", styles.title, styles), text(after.client_name, styles.cover_line, styles),
            Spacer(1, 4 * mm),
            text(f"Recommendation: {facts.old_recommendation} → {facts.new_recommendation}", styles.cover_line, styles)]
    rows = [("Last quarter", f"{old.title} ({before.date})"), ("This quarter", f"{new.title} ({after.date})"),
            ("Consultant", after.consultant), ("Classification", brand.confidentiality)]
    details = [table(None, [r for r in rows if r[1]], (0.3, 0.7), styles), Spacer(1, 6 * mm),
               text(brand.disclaimer, styles.small, styles)]
    return [KeepInFrame(FRAME_WIDTH, 30 * mm, [text(brand.consultancy_name, styles.masthead, styles)], mode="shrink"),
            FrameBreak(), KeepInFrame(FRAME_WIDTH - 20 * mm, 120 * mm, band, mode="shrink"), FrameBreak(),
            KeepInFrame(FRAME_WIDTH, 90 * mm, details, mode="shrink"), NextPageTemplate("body"), PageBreak()]


def _changes(old: Assessment, new: Assessment, comparison: Comparison, assumptions: Mapping[str, Assumption],
             styles: Styles, money: Money) -> list:
    story = []
    lists = (("Changed answers", ANSWER_HEADERS, changed_answer_rows(comparison, old, new, money), (0.2, 0.36, 0.22, 0.22)),
             ("Changed assumptions", ASSUMPTION_HEADERS, changed_assumption_rows(comparison, assumptions, money),
              (0.5, 0.25, 0.25)),
             ("Changed catalog prices", PRICE_HEADERS, changed_price_rows(comparison), (0.18, 0.22, 0.28, 0.16, 0.16)))
    for title, headers, rows, widths in lists:
        story += table_heading(title, styles)
        story.append(table(list(headers), rows, widths, styles) if rows else text("None.", styles.body, styles))
    return story


def review_story(old: Assessment, new: Assessment, comparison: Comparison, brand: BrandProfile, styles: Styles,
                 assumptions: Mapping[str, Assumption]) -> list:
    money = Money.from_display(new.display)
    facts = review_facts(comparison, money)
    drawing = charts.waterfall_drawing(comparison, brand, new.display)
    return [*_cover(old, new, facts, styles, brand),
            heading("Quarterly review", "H1", styles), *_words("review.j2", styles, facts, brand),
            KeepTogether([heading(f"Where the change in {facts.option}'s monthly cost comes from", "H2", styles),
                          drawing, table(["Step", "Monthly"], attribution_rows(comparison, money), (0.6, 0.4), styles,
                                         right=(1,), highlight=(0, len(ATTRIBUTION_STEPS) + 1))]),
            *table_heading("Costs by option", styles),
            table(list(OPTION_MOVE_HEADERS), option_move_rows(comparison, money), (0.24, 0.19, 0.19, 0.19, 0.19),
                  styles, right=(1, 2, 3, 4)),
            *_changes(old, new, comparison, assumptions, styles, money),
            *_words("review_method.j2", styles, facts, brand)]


def render_review(old: Assessment, new: Assessment, comparison: Comparison, brand: BrandProfile, *,
                  assumptions: Mapping[str, Assumption] | None = None, deterministic: bool = False) -> bytes:
    styles = make_styles(brand)
    logo = Logo(brand.logo_path, styles.fonts.regular) if brand.logo_path is not None else None
    client = engagement_of(new).client_name
    buffer = io.BytesIO()
    document = ReportDocument(buffer, PageDecor(styles, brand, logo, client, False), invariant=1 if deterministic else 0,
                              title=f"Quarterly review: {client}", author=brand.consultancy_name,
                              subject="LLM deployment: quarterly review", creator=f"{APP_NAME} {__version__}")
    story = review_story(old, new, comparison, brand, styles, assumptions or {})
    # No table of contents asks for a second pass, and "page X of Y" needs one: lay it out again until it settles.
    for _ in range(MAX_LAYOUT_PASSES):
        buffer.seek(0)
        buffer.truncate()
        document.multiBuild(list(story), maxPasses=MAX_LAYOUT_PASSES)
        if document.pages_consistent:
            return buffer.getvalue()
    raise ReportError("the page count did not settle while laying out the quarterly review")


def build_review(old: Assessment, new: Assessment, comparison: Comparison, brand: BrandProfile, out_path: Path, *,
                 assumptions: Mapping[str, Assumption] | None = None, password: str | None = None,
                 deterministic: bool = False) -> Path:
    """Write the quarterly review PDF atomically (encrypted with `password` when given). ReportError on failure."""
    out_path = Path(out_path)
    try:
        data = render_review(old, new, comparison, brand, assumptions=assumptions, deterministic=deterministic)
        if password is not None:
            data = encrypt_pdf(data, password)
    except AdvisorError:
        raise
    except Exception as error:  # a layout bug reaches the user as one message
        raise ReportError(f"the quarterly review could not be laid out ({type(error).__name__}: {error})") from error
    try:
        atomic_write_bytes(out_path, data)
    except OSError as error:
        raise ReportError(f"cannot write {out_path} ({error.strerror or error})") from None
    return out_path
