"""Bundled TrueType fonts, registered once per process and embedded (subset) in every PDF, so the
report looks the same on every laptop. Fallback fonts draw the characters the brand family lacks, the first
that has each one: DejaVu Sans (Hebrew, Arabic, symbols, monochrome emoji), then a CJK subset of Droid Sans
Fallback (Chinese, Japanese; packaging/subset_cjk_font.py). reportlab has no automatic fallback, so
app.report.markup picks the face per run of characters, and reports a character no bundled font has."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from app.storage.brand import font_family_files
from app.storage.resources import find_resource

FALLBACK_FONT = "DejaVuSans"
FALLBACK_FILE = "DejaVuSans.ttf"
CJK_FONT = "DroidSansFallbackCJK"
CJK_FILE = "DroidSansFallback-CJK.ttf"


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallback: str
    # Code points each font can draw; decides which runs of user text need the fallback font.
    covered: frozenset[int]
    fallback_covered: frozenset[int]
    # Every fallback face with what it covers, in the order they are tried (fallback first).
    fallbacks: tuple[tuple[str, frozenset[int]], ...] = ()

    def face_for(self, code_point: int) -> str | None:
        """The fallback face that draws a character the brand font lacks; "" when no bundled font has it, None
        when the brand font has it."""
        if code_point in self.covered:
            return None
        return next((name for name, covered in self.fallbacks if code_point in covered), "")


_ASTRAL_ENTRY = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")


def _astral_as_utf16(match: re.Match) -> str:
    code = chr(int(match.group(2), 16)).encode("utf-16-be").hex().upper()
    return f"<{match.group(1)}> <{code}>"


def _to_unicode_cmap_with_surrogates(fontname, subset, _make=ttfonts.makeToUnicodeCMap):
    """reportlab writes characters beyond U+FFFF (emoji) into the ToUnicode map as bare code points, which
    PDF readers reject, so such text would not copy or extract; the PDF standard wants UTF-16 pairs."""
    return _ASTRAL_ENTRY.sub(_astral_as_utf16, _make(fontname, subset))


def _register(name: str, path) -> TTFont:
    font = TTFont(name, str(path))
    pdfmetrics.registerFont(font)
    return font


@functools.cache
def font_set(family: str) -> FontSet:
    """Register the family's four styles and the fallback font; map <b>/<i> markup to them."""
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap_with_surrogates
    files = font_family_files(family)
    base = family.replace(" ", "")
    names = {style: base if style == "Regular" else f"{base}-{style}" for style in files}
    fonts = {style: _register(names[style], path) for style, path in files.items()}
    for bold, italic, style in ((0, 0, "Regular"), (1, 0, "Bold"), (0, 1, "Italic"), (1, 1, "BoldItalic")):
        addMapping(base, bold, italic, names[style])
    fallbacks = tuple((name, frozenset(_register(name, find_resource("fonts", file)).face.charToGlyph))
                      for name, file in ((FALLBACK_FONT, FALLBACK_FILE), (CJK_FONT, CJK_FILE)))
    # Bold/italic runs of fallback text stay in the fallback's regular face rather than failing.
    for name, _ in fallbacks:
        for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
            addMapping(name, bold, italic, name)
    return FontSet(
        regular=names["Regular"], bold=names["Bold"], italic=names["Italic"], bold_italic=names["BoldItalic"],
        fallback=FALLBACK_FONT,
        covered=frozenset(fonts["Regular"].face.charToGlyph),
        fallback_covered=fallbacks[0][1],
        fallbacks=fallbacks,
    )
