"""The app's look: type, colours, margins and borders set on widgets by object name, as a style sheet's
`QLabel#pageTitle` would, over the platform style. Not a style sheet: any application style sheet,
even one rule long, sends every widget through Qt's style-sheet engine, which cost a tenth of the time to
a window that takes input. Nor a QProxyStyle subclass: PySide routes every style call of a Python style
through the interpreter, which cost more still (docs/ui.md, Startup).

A widget takes its look when made (`styled`); presenting mode scales the looks' type (`restyle`).
Colours are the contrast-checked ones of app/ui/widgets/styles.py or palette roles, so light and dark
palettes both work."""

from __future__ import annotations

from typing import NamedTuple  # not a dataclass: dataclasses loads inspect before the first paint

from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QWidget

Role = QPalette.ColorRole
# text_colours(the application's palette), kept here by make_application: the looks' named colours.
COLOURS: dict[str, QColor] = {}


class Look(NamedTuple):
    """How widgets of one object name look. Colours name a `text_colours` entry ("accent") or a palette
    role ("AlternateBase")."""
    point_size: float | None = None  # in presenting mode times its scale; None: the parent's size
    bold: bool = False
    text: str | None = None
    checked_text: str | None = None  # a checked button's text and face
    checked_face: str | None = None
    background: str | None = None
    border: tuple[str, int, str] | None = None  # (side, width in px, colour): Panel draws it
    padding: tuple[int, int, int, int] = (0, 0, 0, 0)  # left, top, right, bottom px


_BAR = dict(background="AlternateBase", border=("bottom", 1, "Midlight"))
LOOKS = {
    "pageTitle": Look(point_size=17, bold=True, padding=(0, 4, 0, 2)),
    "sectionHeading": Look(point_size=12, bold=True, padding=(0, 8, 0, 0)),
    "recommendation": Look(point_size=16, bold=True, text="accent"),
    "bigFigure": Look(point_size=15, bold=True),
    "questionLabel": Look(bold=True),
    "progressLabel": Look(bold=True),
    "reviewSummary": Look(bold=True),
    "panelCaption": Look(point_size=8, bold=True),
    "guidanceTag": Look(point_size=8, bold=True, text="guidance"),
    "hint": Look(point_size=8),
    "error": Look(text="error"),
    "reading": Look(text="accent"),
    "presentingBar": Look(bold=True, text="on_accent", background="accent", padding=(24, 4, 24, 4)),
    "question": Look(border=("bottom", 1, "Midlight")),
    "guidance": Look(background="AlternateBase", border=("left", 3, "guidance")),
    "buttonRow": Look(border=("top", 1, "Mid")),
    "workloadBar": Look(**_BAR),
    "startBanner": Look(**_BAR),
    "livePanel": Look(background="AlternateBase", border=("left", 1, "Midlight")),
    "navigation": Look(background="Window"),
    "sectionList": Look(background="Window"),
    "flag": Look(point_size=12, text="muted", checked_text="guidance"),
    "details": Look(point_size=12, text="muted"),
    "statusButton": Look(checked_text="HighlightedText", checked_face="Highlight"),
}


def _colour(name: str, widget: QWidget) -> QColor:
    return COLOURS[name] if name in COLOURS else widget.palette().color(getattr(Role, name))


def styled(widget: QWidget, scale: float = 1.0) -> QWidget:
    """`widget` with the look of its object name (if it has one): only what the look names is set, so
    the rest (the size of bold labels, the other colours) still follows the parent."""
    look = LOOKS.get(widget.objectName())
    if look is None:
        return widget
    if look.point_size or look.bold:
        font = QFont()
        if look.point_size:
            font.setPointSizeF(look.point_size * scale)
        if look.bold:
            font.setWeight(QFont.Weight.DemiBold)
        widget.setFont(font)
    _set_colours(widget, look, checked=False)
    if look.checked_text and not widget.property("lookFollowsChecked"):
        widget.setProperty("lookFollowsChecked", True)
        widget.toggled.connect(lambda checked: _set_colours(widget, look, checked))
    margins = list(look.padding)
    if look.border is not None:  # room for the border, as a style sheet's box model gives it
        side, width, _ = look.border
        margins[("left", "top", "right", "bottom").index(side)] += width
    if any(margins):
        widget.setContentsMargins(*margins)
    return widget


def _set_colours(widget: QWidget, look: Look, checked: bool) -> None:
    """A fresh palette with only the look's roles set, so the others follow the application's."""
    if not (look.text or look.background or look.checked_text):
        return
    palette = QPalette()
    text = look.checked_text if checked else look.text
    if text:
        is_button = widget.inherits("QAbstractButton")
        palette.setColor(Role.ButtonText if is_button else Role.WindowText, _colour(text, widget))
    if checked and look.checked_face:
        palette.setColor(Role.Button, _colour(look.checked_face, widget))
    if look.background:
        palette.setColor(Role.Base if widget.inherits("QAbstractItemView") else Role.Window,
                         _colour(look.background, widget))
        widget.setAutoFillBackground(True)
    widget.setPalette(palette)


def restyle(root: QWidget, scale: float) -> None:
    """The looks under `root` again, their type times `scale` (presenting mode)."""
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.objectName() in LOOKS:
            styled(widget, scale)


class Panel(QFrame):
    """A frame that draws its look's border (a line on one side) over its background."""

    def __init__(self, object_name: str, parent: QWidget | None = None):
        super().__init__(parent, objectName=object_name)
        styled(self)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        look = LOOKS.get(self.objectName())
        if look is None or look.border is None:
            return
        side, width, colour = look.border
        rect = self.rect()
        x = rect.width() - width if side == "right" else 0
        y = rect.height() - width if side == "bottom" else 0
        horizontal = side in ("top", "bottom")
        painter = QPainter(self)
        painter.fillRect(x, y, rect.width() if horizontal else width, width if horizontal else rect.height(),
                         _colour(colour, self))
