"""Builds app/assets/fonts/DroidSansFallback-CJK.ttf, the report's CJK fallback font: Droid Sans Fallback
(Apache 2.0, Google; a TrueType font, which reportlab can embed, unlike Noto Sans CJK's CFF outlines) cut down
to the characters of the national standard sets (GB 2312 simplified Chinese, Big5 level 1 traditional Chinese,
JIS X 0208 Japanese with kana, the hanja of KS X 1001) with CJK punctuation and full-width forms, without
hinting: 1.6 MB of the full font's 4.0 MB, to keep the Linux bundle under its 150 MiB target. Droid Sans
Fallback has no Hangul syllables. A character outside the subset (and every other bundled font) is reported as
a warning when a report is built, never dropped in silence.

Run once, by hand, when the font changes (needs fontTools, which the app itself does not use):
    pip install fonttools && python packaging/subset_cjk_font.py /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "app" / "assets" / "fonts" / "DroidSansFallback-CJK.ttf"
# (codec, lead byte range, trail byte range) of each two-byte national character set.
SETS = (("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF)), ("big5", range(0xA4, 0xC7), range(0x40, 0xFF)),
        ("euc_jp", range(0xA1, 0xF5), range(0xA1, 0xFF)), ("euc_kr", range(0xA1, 0xFE), range(0xA1, 0xFF)))
RANGES = ((0x3000, 0x303F), (0x3040, 0x30FF), (0xFF00, 0xFFEF), (0x3100, 0x312F), (0x31F0, 0x31FF))


def code_points() -> set[int]:
    points = {p for low, high in RANGES for p in range(low, high + 1)}
    for codec, leads, trails in SETS:
        for lead in leads:
            for trail in trails:
                try:
                    points.update(map(ord, bytes((lead, trail)).decode(codec)))
                except UnicodeDecodeError:
                    continue  # a byte pair the codec leaves unassigned is no character
    return points


def main(source: str) -> None:
    from fontTools import subset

    options = subset.Options()
    options.hinting = False
    options.drop_tables += ["DSIG"]
    options.name_IDs = ["*"]  # keep the copyright and licence names
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(code_points()))
    subsetter.subset(font)
    subset.save_font(font, str(OUT), options)
    print(f"{OUT}: {OUT.stat().st_size:,} bytes, {len(font.getBestCmap()):,} characters")


if __name__ == "__main__":
    main(sys.argv[1])
