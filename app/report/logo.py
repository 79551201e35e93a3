"""The brand logo, PNG or SVG, drawn into a box keeping its proportions.

An SVG logo is drawn from the picture the desktop app rendered with QtSvg when the brand was saved
(app.storage.brand keeps it beside the brand, named by the SVG's content, so an edited SVG never meets a
stale picture). Without one - a brand file written by hand, a machine where the app never ran - svglib
converts the SVG to vectors (CSS classes and style sheets, arcs, gradients, transforms, text). When
neither can draw it, BrandError says so in one line. The file was checked by app.storage.brand first:
its size, element and path-number bounds hold before any renderer sees it."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib.utils import ImageReader

from app.domain.errors import BrandError
from app.storage.brand import read_logo, read_rendered_logo

# svglib logs what it skips; without this, Python would print it on stderr, breaking the CLI's one-line
# errors. The app's log (app/ui/dialogs/errors.py) still receives it.
logging.getLogger("svglib").addHandler(logging.NullHandler())


class Logo:
    """A checked logo, ready to draw on a canvas or to place as a flowable's picture. `png` holds the PNG
    bytes when it is drawn as a picture, `drawing` the vectors otherwise."""

    def __init__(self, path: Path, font_name: str):
        self.path = Path(path)
        kind, data = read_logo(path)  # the checked bytes: the file is read once, with a bound
        self.png: bytes | None = data if kind == "png" else read_rendered_logo(data)
        self.drawing: Drawing | None = None
        if self.png is not None:
            self._image = ImageReader(io.BytesIO(self.png))
            self.width, self.height = self._image.getSize()
        else:
            self.drawing = svg_drawing(data, font_name, self.path.name)
            self.width, self.height = self.drawing.width, self.drawing.height

    def fit(self, max_width: float, max_height: float) -> tuple[float, float]:
        scale = min(max_width / self.width, max_height / self.height)
        return self.width * scale, self.height * scale

    def draw(self, canvas, x: float, y: float, max_width: float, max_height: float) -> None:
        """Draw in the box whose lower-left corner is (x, y), left-aligned and vertically centred."""
        width, height = self.fit(max_width, max_height)
        y += (max_height - height) / 2
        if self.drawing is None:
            canvas.drawImage(self._image, x, y, width, height, mask="auto")
            return
        scale = width / self.width
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(scale, scale)
        renderPDF.draw(self.drawing, canvas, 0, 0)
        canvas.restoreState()


class _OneFont:
    """svglib's font map, reduced to one answer: every SVG text is set in the report's embedded font
    (never reportlab's Helvetica), and svglib never looks for font files or runs fc-match."""

    def __init__(self, font_name: str):
        self.font_name = font_name

    def find_font(self, font_name: str, weight: str = "normal", style: str = "normal") -> tuple[str, bool]:
        return self.font_name, True


def svg_drawing(data: bytes, font_name: str, name: str) -> Drawing:
    """The checked SVG as reportlab vectors, by svglib; BrandError (one line) when it cannot be drawn."""
    try:
        from svglib.svglib import svg2rlg
    except ImportError:  # an installation without it: the app's rendering was the only way
        raise BrandError(f"logo {name} is an SVG and this installation has no SVG renderer: save the brand "
                         "once in the app (Preferences), which renders it, or use a PNG logo") from None
    try:
        # A byte stream, not a path: svglib then refuses every external <image>/<use> reference.
        drawing = svg2rlg(io.BytesIO(data), font_map=_OneFont(font_name))
    except Exception as error:  # svglib raises many unrelated types on odd input; one line either way
        drawing, reason = None, " ".join(str(error).split())[:80] or type(error).__name__
    else:
        reason = "not a drawable SVG"
    if drawing is None or not drawing.width or not drawing.height:
        raise BrandError(f"logo {name} cannot be drawn ({reason}): save the brand once in the app "
                         "(Preferences), which renders it, or use a PNG logo")
    return drawing
