"""User text (client names, notes, reasons) -> reportlab paragraph markup that shows exactly what was
typed. reportlab's Paragraph parses markup, so `ACME <Ltd> & Co` would silently print as `ACME & Co` and
an unclosed `<b>` would stop the build: every piece of user text goes through `user_markup`, once."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from app.report.fonts import FontSet

# Control characters other than tab and newline have no glyph and upset the PDF text layer.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def user_markup(text: object, fonts: FontSet) -> str:
    """Escape text for reportlab markup, keep line breaks, and switch to the fallback font for runs of
    characters the brand font cannot draw (so Hebrew, Arabic or emoji stay visible and extractable)."""
    text = _CONTROL.sub("", str(text))
    out: list[str] = []
    run: list[str] = []
    run_fallback = False
    for char in text:
        needs_fallback = ord(char) not in fonts.covered and ord(char) in fonts.fallback_covered
        if needs_fallback != run_fallback and run:
            out.append(_emit(run, run_fallback, fonts))
            run = []
        run_fallback = needs_fallback
        run.append(char)
    if run:
        out.append(_emit(run, run_fallback, fonts))
    return "".join(out).replace("\n", "<br/>")


def _emit(chars: list[str], fallback: bool, fonts: FontSet) -> str:
    text = escape("".join(chars))
    return f'<font face="{fonts.fallback}">{text}</font>' if fallback else text
