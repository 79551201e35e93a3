"""The brand logo, PNG or SVG, drawn into a box keeping its proportions.

reportlab cannot read SVG and svglib would add lxml and three more packages for one small picture, so
logos use a small SVG subset: rect, circle, ellipse, line, polyline, polygon, path (arcs and smooth
quadratic curves drawn as straight segments), text, groups, transforms and fill/stroke/opacity, as attributes or in
`style`. Gradients, filters, clip paths, CSS classes and embedded images are ignored. docs/report.md
says so; a logo that needs more can be exported to PNG. The file was checked by app.storage.brand."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path
from xml.etree import ElementTree

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Ellipse, Group, Line, Path as ShapePath, Rect, String
from reportlab.lib.colors import Color, toColor
from reportlab.lib.utils import ImageReader

from app.storage.brand import read_logo

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_PATH_TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate)\s*\(([^)]*)\)")
_PARAMETERS = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
DEFAULT_SVG_SIZE = 100.0


class Logo:
    """A checked logo, ready to draw on a canvas or to place as a flowable's picture."""

    def __init__(self, path: Path, font_name: str):
        self.kind, data = read_logo(path)  # the checked bytes: the file is read once, with a bound
        self.path = Path(path)
        if self.kind == "png":
            self._image = ImageReader(io.BytesIO(data))
            self.width, self.height = self._image.getSize()
        else:
            self._drawing = svg_drawing(data, font_name)
            self.width, self.height = self._drawing.width, self._drawing.height

    def fit(self, max_width: float, max_height: float) -> tuple[float, float]:
        scale = min(max_width / self.width, max_height / self.height)
        return self.width * scale, self.height * scale

    def draw(self, canvas, x: float, y: float, max_width: float, max_height: float) -> None:
        """Draw in the box whose lower-left corner is (x, y), left-aligned and vertically centred."""
        width, height = self.fit(max_width, max_height)
        y += (max_height - height) / 2
        if self.kind == "png":
            canvas.drawImage(self._image, x, y, width, height, mask="auto")
            return
        scale = width / self.width
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(scale, scale)
        renderPDF.draw(self._drawing, canvas, 0, 0)
        canvas.restoreState()


def _numbers(text: str | None) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text or "")]


def svg_drawing(data: bytes, font_name: str) -> Drawing:
    """The SVG as a drawing; its text in `font_name` (an embedded font, never reportlab's Helvetica)."""
    root = ElementTree.fromstring(data)
    view_box = _numbers(root.get("viewBox"))
    width = _numbers(root.get("width"))[:1] or [view_box[2] if len(view_box) == 4 else DEFAULT_SVG_SIZE]
    height = _numbers(root.get("height"))[:1] or [view_box[3] if len(view_box) == 4 else DEFAULT_SVG_SIZE]
    if len(view_box) != 4:
        view_box = [0.0, 0.0, width[0], height[0]]
    drawing = Drawing(width[0], height[0])
    drawing.initialFontName = font_name
    # SVG's y axis points down; reportlab's up. Flip once at the top and map the viewBox onto the size.
    top = Group()
    sx, sy = width[0] / view_box[2], height[0] / view_box[3]
    top.transform = (sx, 0, 0, -sy, -view_box[0] * sx, height[0] + view_box[1] * sy)
    _children(root, top, {"fill": "black", "stroke": "none", "stroke-width": "1", "opacity": "1",
                          "font-name": font_name})
    drawing.add(top)
    return drawing


def _tag(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _style(element, inherited: dict[str, str]) -> dict[str, str]:
    style = dict(inherited)
    for key in ("fill", "stroke", "stroke-width", "opacity", "fill-opacity", "font-size"):
        if element.get(key) is not None:
            style[key] = element.get(key)
    for declaration in (element.get("style") or "").split(";"):
        if ":" in declaration:
            key, value = declaration.split(":", 1)
            style[key.strip()] = value.strip()
    return style


def _colour(value: str, opacity: float) -> Color | None:
    if not value or value == "none" or value.startswith("url("):
        return None
    try:
        colour = toColor(value)
    except ValueError:
        return None
    return Color(colour.red, colour.green, colour.blue, alpha=opacity)


def _paint(shape, style: dict[str, str]) -> None:
    opacity = float((_numbers(style.get("opacity")) or [1])[0]) * float((_numbers(style.get("fill-opacity")) or [1])[0])
    shape.fillColor = _colour(style.get("fill", "black"), opacity)
    shape.strokeColor = _colour(style.get("stroke", "none"), opacity)
    shape.strokeWidth = (_numbers(style.get("stroke-width")) or [1])[0]


def _transform(text: str | None) -> tuple[float, ...] | None:
    if not text:
        return None
    matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    for name, args in _TRANSFORM.findall(text):
        values = _numbers(args)
        if name == "matrix" and len(values) == 6:
            step = tuple(values)
        elif name == "translate" and values:
            step = (1, 0, 0, 1, values[0], values[1] if len(values) > 1 else 0)
        elif name == "scale" and values:
            step = (values[0], 0, 0, values[1] if len(values) > 1 else values[0], 0, 0)
        elif name == "rotate" and values:
            angle = math.radians(values[0])
            step = (math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle), 0, 0)
        else:
            continue
        matrix = _multiply(matrix, step)
    return matrix


def _multiply(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    return (a[0] * b[0] + a[2] * b[1], a[1] * b[0] + a[3] * b[1], a[0] * b[2] + a[2] * b[3],
            a[1] * b[2] + a[3] * b[3], a[0] * b[4] + a[2] * b[5] + a[4], a[1] * b[4] + a[3] * b[5] + a[5])


def _children(parent, group: Group, inherited: dict[str, str]) -> None:
    for element in parent:
        style = _style(element, inherited)
        shape = _shape(element, style)
        if shape is None:
            continue
        matrix = _transform(element.get("transform"))
        if matrix is not None:
            shape = Group(shape, transform=matrix)
        group.add(shape)


def _attr(element, name: str) -> float:
    return (_numbers(element.get(name)) or [0.0])[0]


def _shape(element, style: dict[str, str]):
    tag = _tag(element)
    if tag == "g" or tag == "a":
        group = Group()
        _children(element, group, style)
        return group
    builders = {
        "rect": lambda e: Rect(_attr(e, "x"), _attr(e, "y"), _attr(e, "width"), _attr(e, "height"),
                               rx=_attr(e, "rx"), ry=_attr(e, "ry") or _attr(e, "rx")),
        "circle": lambda e: Circle(_attr(e, "cx"), _attr(e, "cy"), _attr(e, "r")),
        "ellipse": lambda e: Ellipse(_attr(e, "cx"), _attr(e, "cy"), _attr(e, "rx"), _attr(e, "ry")),
        "line": lambda e: Line(_attr(e, "x1"), _attr(e, "y1"), _attr(e, "x2"), _attr(e, "y2")),
        "polyline": lambda e: _poly(_numbers(e.get("points")), closed=False),
        "polygon": lambda e: _poly(_numbers(e.get("points")), closed=True),
        "path": lambda e: _path(e.get("d") or ""),
        "text": _text,
    }
    builder = builders.get(tag)
    if builder is None:
        return None
    shape = builder(element)
    if tag == "text":
        text = shape.contents[0]
        text.fillColor = _colour(style.get("fill", "black"), 1.0)
        text.fontName = style["font-name"]
        text.fontSize = (_numbers(style.get("font-size")) or [text.fontSize])[0]
    else:
        _paint(shape, style)
    return shape


def _poly(values: list[float], closed: bool) -> ShapePath:
    path = ShapePath()
    pairs = list(zip(values[0::2], values[1::2]))
    for index, (x, y) in enumerate(pairs):
        (path.moveTo if index == 0 else path.lineTo)(x, y)
    if closed:
        path.closePath()
    return path


def _text(element) -> Group:
    # Text is drawn upright: undo the page flip locally around its baseline.
    string = String(0, 0, "".join(element.itertext()).strip())
    return Group(string, transform=(1, 0, 0, -1, _attr(element, "x"), _attr(element, "y")))


def _path(d: str) -> ShapePath:
    """SVG path data -> reportlab Path; arcs become straight segments to their end point."""
    path = ShapePath()
    tokens = _PATH_TOKEN.findall(d)
    x = y = start_x = start_y = 0.0
    last_control: tuple[float, float] | None = None
    command = "M"
    index = 0
    while index < len(tokens):
        if tokens[index].isalpha():
            command = tokens[index]
            index += 1
            if command in "Zz":
                path.closePath()
                x, y = start_x, start_y
                continue
        count = _PARAMETERS[command.upper()]
        args = [float(t) for t in tokens[index:index + count]]
        if len(args) < count:
            break
        index += count
        x, y, last_control = _segment(path, command, args, x, y, last_control)
        if command in "Mm":
            start_x, start_y = x, y
            command = "l" if command == "m" else "L"  # further pairs after a move are lines
    return path


def _segment(path: ShapePath, command: str, args: list[float], x: float, y: float,
             last_control: tuple[float, float] | None) -> tuple[float, float, tuple[float, float] | None]:
    relative = command.islower()
    op = command.upper()

    def point(px: float, py: float) -> tuple[float, float]:
        return (x + px, y + py) if relative else (px, py)

    if op == "M":
        nx, ny = point(*args)
        path.moveTo(nx, ny)
        return nx, ny, None
    if op in "LTAHV":
        if op == "H":
            nx, ny = (x + args[0] if relative else args[0]), y
        elif op == "V":
            nx, ny = x, (y + args[0] if relative else args[0])
        else:
            nx, ny = point(*args[-2:])
        path.lineTo(nx, ny)
        return nx, ny, None
    if op in "CS":
        if op == "C":
            c1, c2, end = point(*args[0:2]), point(*args[2:4]), point(*args[4:6])
        else:
            c1 = (2 * x - last_control[0], 2 * y - last_control[1]) if last_control else (x, y)
            c2, end = point(*args[0:2]), point(*args[2:4])
        path.curveTo(*c1, *c2, *end)
        return end[0], end[1], c2
    # Q: a quadratic curve is a cubic with control points two thirds of the way to the quadratic's.
    control, end = point(*args[0:2]), point(*args[2:4])
    c1 = (x + 2 / 3 * (control[0] - x), y + 2 / 3 * (control[1] - y))
    c2 = (end[0] + 2 / 3 * (control[0] - end[0]), end[1] + 2 / 3 * (control[1] - end[1]))
    path.curveTo(*c1, *c2, *end)
    return end[0], end[1], None
