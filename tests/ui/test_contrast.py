"""All text meets WCAG AA (4.5:1) in light and dark palettes: the palette's own text, its grey help text
and links once made readable, and every colour the app's style sets."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyleFactory

from app.ui.widgets.looks import LOOKS, styled
from app.ui.widgets.styles import AA_CONTRAST, accessible_palette, backgrounds, contrast, text_colours

Role = QPalette.ColorRole


def _dark() -> QPalette:
    """A typical dark desktop theme (KDE Breeze Dark's colours), with its grey placeholder text."""
    palette = QPalette()
    for role, colour in ((Role.Window, "#31363b"), (Role.WindowText, "#eff0f1"), (Role.Base, "#232629"),
                         (Role.AlternateBase, "#31363b"), (Role.Text, "#eff0f1"), (Role.Button, "#31363b"),
                         (Role.ButtonText, "#eff0f1"), (Role.Highlight, "#3daee9"), (Role.HighlightedText, "#eff0f1"),
                         (Role.PlaceholderText, "#6e7175"), (Role.Link, "#2980b9")):
        palette.setColor(role, QColor(colour))
    return palette


def _light() -> QPalette:
    """Fusion's light palette, with Qt's default placeholder: the text colour at half alpha (about 3.9:1)."""
    QApplication.instance() or QApplication([])
    palette = QStyleFactory.create("Fusion").standardPalette()
    grey = QColor(palette.color(Role.Text))
    grey.setAlpha(128)
    palette.setColor(Role.PlaceholderText, grey)
    return palette


def test_the_contrast_ratio_is_wcags():
    assert contrast(QColor("black"), QColor("white")) == pytest.approx(21)
    assert contrast(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)  # WCAG's classic fail
    assert contrast(QColor("#767676"), QColor("white")) >= 4.5  # and its classic pass


@pytest.mark.parametrize("make", [_light, _dark], ids=["light", "dark"])
def test_every_text_colour_meets_aa(qapp, make):
    raw = make()
    behind = backgrounds(raw)
    assert min(contrast(raw.color(Role.PlaceholderText), b) for b in behind) < AA_CONTRAST  # the defect itself
    palette = accessible_palette(raw)
    texts = {"window text": palette.color(Role.WindowText), "text": palette.color(Role.Text),
             "placeholder": palette.color(Role.PlaceholderText), "link": palette.color(Role.Link),
             **text_colours(palette)}
    on_accent = texts.pop("on_accent")
    for name, colour in texts.items():
        worst = min(contrast(colour, b) for b in backgrounds(palette))
        assert worst >= AA_CONTRAST, f"{name} {colour.name()}: {worst:.2f}:1"
    assert contrast(on_accent, texts["accent"]) >= AA_CONTRAST
    # Every text colour a look names is one of those checked here, or the palette's own text on highlight.
    named = {look.text for look in LOOKS.values()} | {look.checked_text for look in LOOKS.values()}
    assert named - {None} <= set(text_colours(palette)) | {"HighlightedText"}


def test_the_running_app_uses_the_readable_palette(qapp):
    from app.ui.main import make_application
    app = make_application()
    assert not app.styleSheet()  # a style sheet would send every widget through Qt's slow sheet engine
    error = styled(QLabel("Cannot save", objectName="error"))
    assert error.palette().color(Role.WindowText) == text_colours(app.palette())["error"]
    worst = min(contrast(app.palette().color(Role.PlaceholderText), b) for b in backgrounds(app.palette()))
    assert worst >= AA_CONTRAST
