"""Bundled TrueType fonts, registered once per process and embedded (subset) in every PDF, so the
report looks the same on every laptop. A second, wide-coverage font is the fallback for characters the
brand family lacks (Hebrew, Arabic, symbols, monochrome emoji): reportlab has no automatic fallback."""

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
    fallback = _register(FALLBACK_FONT, find_resource("fonts", FALLBACK_FILE))
    # Bold/italic runs of fallback text stay in the fallback's regular face rather than failing.
    for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
        addMapping(FALLBACK_FONT, bold, italic, FALLBACK_FONT)
    return FontSet(
        regular=names["Regular"], bold=names["Bold"], italic=names["Italic"], bold_italic=names["BoldItalic"],
        fallback=FALLBACK_FONT,
        covered=frozenset(fonts["Regular"].face.charToGlyph),
        fallback_covered=frozenset(fallback.face.charToGlyph),
    )
