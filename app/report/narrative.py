"""The report's words come from jinja2 templates in `templates/report/` (user templates folder first),
so a consultancy can change the wording without touching Python.

Safety: autoescape is on and every value a template prints passes through `user_markup` (the
environment's `finalize`), so client text is escaped for reportlab's markup and is never itself rendered
as a template (`{{ 7*7 }}` in a note stays `{{ 7*7 }}`). Undefined variables are errors, and any template
error becomes one ReportError naming the template and the line.

A rendered template is a tiny document: blocks separated by blank lines; a block starting with `## ` is a
sub-heading, with `- ` a bullet, anything else a paragraph. Template text itself may use reportlab's
inline markup (<b>, <i>, <font color=...>).

Figures arrive already formatted in `facts`. A template that needs to print a raw figure uses the filters,
which print it in the report's display currency and locale (docs/numbers.md), never Python's `format` or a
`$`: `{{ usd|money }}` (12.346 €), `{{ usd|price }}` (4,42 €), `{{ count|tokens }}` (88,8M),
`{{ value|number("ms") }}`, `{{ share|percent }}` (46 %), `{{ iso_date|date }}` (01.12.2026)."""

from __future__ import annotations

import functools
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.sandbox
from markupsafe import Markup

from app.domain.errors import ReportError
from app.domain.numbers import format_date
from app.report.fonts import FontSet
from app.report.formatting import Money, number, percent, tokens
from app.report.markup import user_markup
from app.storage.resources import resource_dirs

TEMPLATE_SUBFOLDER = "report"
HEADING_MARK = "## "
BULLET_MARK = "- "


@dataclass(frozen=True)
class Block:
    kind: str  # "p", "h" or "bullet"
    markup: str
    template: str  # where it came from, for error messages at layout time


def _search_path() -> tuple[str, ...]:
    return tuple(str(folder / TEMPLATE_SUBFOLDER) for folder in resource_dirs("templates"))


def _money(context) -> Money:
    """The report's display currency and locale (facts.money); a template rendered without facts gets en_US/USD."""
    facts = context.get("facts")
    return getattr(facts, "money", None) or Money(locale="en_US")


_FILTERS = {
    "money": lambda context, usd: _money(context).amount(usd),
    "price": lambda context, usd: _money(context).price(usd),
    "tokens": lambda context, count: tokens(count, _money(context).locale),
    "number": lambda context, value, unit="": number(value, unit, locale=_money(context).locale),
    "percent": lambda context, share: percent(share, _money(context).locale),
    "date": lambda context, value: format_date(value, _money(context).locale),
}


@functools.cache
def _environment(search_path: tuple[str, ...], fonts: FontSet) -> jinja2.Environment:
    def finalize(value: Any) -> Any:
        return value if isinstance(value, Markup) else Markup(user_markup(value, fonts))

    # Sandboxed: a template may come from the user data folder (a consultancy's edit or an imported pack).
    environment = jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(list(search_path)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.filters.update({name: jinja2.pass_context(show) for name, show in _FILTERS.items()})
    return environment


def render_blocks(name: str, fonts: FontSet, context: dict[str, Any]) -> list[Block]:
    """Render templates/report/<name> into blocks; ReportError naming template and line on failure."""
    environment = _environment(_search_path(), fonts)
    try:
        template = environment.get_template(name)
        text = template.render(**context)
    except jinja2.TemplateNotFound:
        raise ReportError(f"report template {name} not found in {', '.join(_search_path())}") from None
    except jinja2.TemplateSyntaxError as error:
        raise ReportError(f"report template {error.name or name}, line {error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:
        raise ReportError(f"report template {name}, line {_template_line(error, name)}: {error}") from None
    return _split_blocks(text, name)


def _template_line(error: BaseException, name: str) -> str:
    # jinja2 rewrites tracebacks so that template frames carry the template's file name and line.
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__)
             if Path(frame.filename).name == name]
    return str(lines[-1]) if lines else "?"


def _split_blocks(text: str, name: str) -> list[Block]:
    """Blank lines end a block; a line starting with a heading or bullet mark starts a new one."""
    blocks: list[Block] = []
    current: list[str] | None = None
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            current = None
            continue
        if line.startswith(HEADING_MARK):
            blocks.append(Block("h", line[len(HEADING_MARK):], name))
            current = None
        elif line.startswith(BULLET_MARK) or current is None:
            kind = "bullet" if line.startswith(BULLET_MARK) else "p"
            current = [line[len(BULLET_MARK):] if kind == "bullet" else line]
            blocks.append(Block(kind, current[0], name))
        else:
            current.append(line)
            blocks[-1] = Block(blocks[-1].kind, " ".join(current), name)
    return blocks


def section_titles(fonts: FontSet, context: dict[str, Any]) -> dict[str, str]:
    """The titles that state each section's finding (templates/report/titles.j2: a `## id` line, then the
    title), as markup by section id; the PDF and the Word report both use them."""
    titles: dict[str, str] = {}
    key = None
    for block in render_blocks("titles.j2", fonts, context):
        if block.kind == "h":
            key = block.markup
        elif key is not None:
            titles[key], key = block.markup, None
    return titles
