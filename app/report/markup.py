"""User text (client names, notes, reasons) -> reportlab paragraph markup that shows exactly what was
typed. reportlab's Paragraph parses markup, so `ACME <Ltd> & Co` would silently print as `ACME & Co` and
an unclosed `<b>` would stop the build: every piece of user text goes through `user_markup`, once."""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator
from xml.sax.saxutils import escape

from app.report.fonts import FontSet

# Control characters other than tab and newline have no glyph and upset the PDF text layer.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Characters no bundled font has, collected while one report is laid out (per thread: exports run on workers).
_MISSING: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("missing_glyphs", default=None)
# Characters that draw nothing and need no glyph: joiners, variation selectors, the byte-order mark.
_INVISIBLE = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, *range(0xFE00, 0xFE10)})


@contextlib.contextmanager
def missing_glyphs() -> Iterator[set[str]]:
    """Collects the characters that user_markup found in no bundled font while the block runs."""
    found: set[str] = set()
    token = _MISSING.set(found)
    try:
        yield found
    finally:
        _MISSING.reset(token)


def user_markup(text: object, fonts: FontSet) -> str:
    """Escape text for reportlab markup, keep line breaks, and switch to a fallback font for runs of
    characters the brand font cannot draw (so Hebrew, Arabic, Chinese or emoji stay visible and extractable).
    A character no bundled font has stays in the text (it extracts and copies) and is recorded for a warning."""
    text = _CONTROL.sub("", str(text))
    out: list[str] = []
    run: list[str] = []
    run_face: str | None = None
    missing = _MISSING.get()
    for char in text:
        face = fonts.face_for(ord(char))
        if face == "":
            if missing is not None and char not in "\n\t" and ord(char) not in _INVISIBLE:
                missing.add(char)
            face = run_face  # drawn as the font's missing-glyph box, in whichever face the run is in
        if face != run_face and run:
            out.append(_emit(run, run_face))
            run = []
        run_face = face
        run.append(char)
    if run:
        out.append(_emit(run, run_face))
    return "".join(out).replace("\n", "<br/>")


def _emit(chars: list[str], face: str | None) -> str:
    text = escape("".join(chars))
    return f'<font face="{face}">{text}</font>' if face else text


def plain_text(text: object, fonts: FontSet) -> str | None:
    """The text as one plain string a table can draw without a Paragraph (no markup parsing, no line
    breaking), when the brand font has every character and it has no line break; else None."""
    text = _CONTROL.sub("", str(text))
    if "\n" in text or any(ord(c) not in fonts.covered for c in text):
        return None
    return text
