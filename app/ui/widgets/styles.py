"""The app's colours, set by app/ui/widgets/looks.py over the platform style. They come from the
palette, so light and dark system themes both work. Every text colour meets WCAG AA (4.5:1) against the
backgrounds it is drawn on, in light and dark palettes alike: the palette's grey (placeholder) text and
link colour are darkened or lightened until they do, and the few fixed status colours come in a light
and a dark variant, checked the same way (`text_colours`)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

AA_CONTRAST = 4.5
# Status colours before the contrast check: (light palette, dark palette).
STATUS = {"error": ("#b71c1c", "#ff8a80"), "guidance": ("#8a5300", "#f2b64c"), "accent": ("#0b5cad", "#8ecbff")}

def over(colour: QColor, background: QColor) -> QColor:
    """A translucent colour as it shows on `background` (Qt's default placeholder is text at half alpha)."""
    alpha = colour.alphaF()
    return QColor.fromRgbF(*(alpha * a + (1 - alpha) * b for a, b in zip(
        (colour.redF(), colour.greenF(), colour.blueF()), (background.redF(), background.greenF(), background.blueF()))))


def contrast(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio of a text colour (maybe translucent) on an opaque background (1 to 21)."""
    first = over(first, second)
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def backgrounds(palette: QPalette) -> list[QColor]:
    """What text is drawn on: the window, fields and tables, and the shaded panels (alternate base)."""
    roles = (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase)
    return [palette.color(role) for role in roles]


def readable(colour: QColor, behind: list[QColor]) -> QColor:
    """`colour`, darkened (on light backgrounds) or lightened (on dark) just enough to reach AA on all."""
    dark_backdrop = sum(b.lightness() for b in behind) / len(behind) < 128
    result = over(colour, behind[0])
    for _ in range(40):
        if min(contrast(result, b) for b in behind) >= AA_CONTRAST:
            return result
        result = result.lighter(110) if dark_backdrop else result.darker(110)
        if dark_backdrop and result.lightness() >= 250 or not dark_backdrop and result.lightness() <= 5:
            break
    return QColor("white") if dark_backdrop else QColor("black")


def accessible_palette(palette: QPalette) -> QPalette:
    """The palette with its grey help text and its links made readable on every background."""
    fixed = QPalette(palette)
    behind = backgrounds(palette)
    for role in (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Link):
        fixed.setColor(QPalette.ColorGroup.Active, role, readable(palette.color(role), behind))
        fixed.setColor(QPalette.ColorGroup.Inactive, role, readable(palette.color(role), behind))
    return fixed


def text_colours(palette: QPalette) -> dict[str, QColor]:
    """The looks' text colours for this palette, each readable on its backgrounds."""
    behind = backgrounds(palette)
    variant = 1 if is_dark(palette) else 0
    colours = {name: readable(QColor(pair[variant]), behind) for name, pair in STATUS.items()}
    colours["muted"] = readable(palette.color(QPalette.ColorRole.PlaceholderText), behind)
    accent = colours["accent"]
    colours["on_accent"] = QColor("white") if contrast(QColor("white"), accent) >= contrast(QColor("black"), accent) \
        else QColor("black")
    return colours
