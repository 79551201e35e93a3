"""The report's neutral palette (the brand supplies primary and accent) and tints of brand colours."""

from __future__ import annotations

from reportlab.lib.colors import Color, HexColor

INK = HexColor("#222B33")  # body text
MUTED = HexColor("#6B7680")  # secondary text, axes
GRID = HexColor("#DDE2E6")  # chart grid lines
RULE = HexColor("#C9D1D8")  # table and footer rules
ZEBRA = HexColor("#F3F5F7")  # alternate table rows
NEUTRAL = HexColor("#5B6770")  # a series that is neither brand colour


def mix(colour: Color, other: Color, share: float) -> Color:
    """`colour` moved `share` of the way towards `other` (towards white: a tint)."""
    return Color(*(a + (b - a) * share for a, b in zip(colour.rgb(), other.rgb())))
