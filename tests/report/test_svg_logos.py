"""SVG logos drawn right: a rectangle styled by a CSS class and a circle made of two arcs, drawn by the
report path (svglib, Qt-free) and by the app's QtSvg rendering kept beside the brand, then looked at
pixel by pixel. Where neither can draw the logo, the command line ends in one line, exit 2."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from app.report.docx_report import drawing_png
from app.report.logo import Logo
from app.storage.brand import (RENDERED_LOGO_SIDE_PX, read_rendered_logo, rendered_logo_path, save_rendered_logo,
                               user_brand_path)

REPO = Path(__file__).resolve().parents[2]
BLUE, RED = (31, 119, 180), (214, 39, 40)
# Left half: a square whose colour comes only from the class; right half: a circle of two half-arcs,
# centre (150, 50), radius 40. The hand-written subset drew the square black and the circle not at all.
LOGO_SVG = b"""<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <style>.brand { fill: #1f77b4; } .ring { fill: #d62728; }</style>
  <rect class="brand" x="0" y="0" width="100" height="100"/>
  <path class="ring" d="M 110 50 A 40 40 0 0 1 190 50 A 40 40 0 0 1 110 50 Z"/>
</svg>"""


def _colour_at(image: Image.Image, fx: float, fy: float) -> tuple[int, int, int]:
    """The colour at a fraction of the width and height, over white where transparent."""
    flat = Image.new("RGBA", image.size, "white")
    flat.alpha_composite(image.convert("RGBA"))
    return flat.getpixel((int(fx * (image.width - 1)), int(fy * (image.height - 1))))[:3]


def _near(colour, expected, tolerance=12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


def _assert_drawn_right(image: Image.Image) -> None:
    assert _near(_colour_at(image, 0.25, 0.5), BLUE)  # the class's fill, not black
    assert _near(_colour_at(image, 0.75, 0.5), RED)  # the circle's centre
    assert _near(_colour_at(image, 0.75, 0.2), RED)  # inside the upper arc (y 20 of 100; the top is 10)
    assert _near(_colour_at(image, 0.75, 0.8), RED)  # inside the lower arc
    assert _near(_colour_at(image, 0.75, 0.04), (255, 255, 255))  # above the circle: nothing
    assert _near(_colour_at(image, 0.53, 0.1), (255, 255, 255))  # beside it, a straight chord would not reach


@pytest.fixture
def svg_logo(tmp_path) -> Path:
    path = tmp_path / "logo.svg"
    path.write_bytes(LOGO_SVG)
    return path


def test_report_path_draws_css_classes_and_arcs_without_qt(svg_logo, advisor_home):
    logo = Logo(svg_logo, "Helvetica")
    assert logo.png is None and logo.drawing is not None  # no rendering kept: vectors by svglib
    assert logo.width / logo.height == pytest.approx(2.0)
    _assert_drawn_right(Image.open(io.BytesIO(drawing_png(logo.drawing))))


def test_svg_text_is_set_in_the_reports_font(tmp_path, advisor_home):
    from reportlab.graphics.shapes import String
    path = tmp_path / "text.svg"
    path.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20">'
                     b'<text x="2" y="15" font-family="Comic Sans MS" font-size="12">Garnet</text></svg>')

    def strings(node):
        if isinstance(node, String):
            return [node]
        return [s for child in getattr(node, "getContents", lambda: [])() for s in strings(child)]

    found = strings(Logo(path, "Courier").drawing)
    assert [s.text for s in found] == ["Garnet"] and {s.fontName for s in found} == {"Courier"}


def test_a_rendering_kept_beside_the_brand_is_drawn_and_follows_the_svgs_content(svg_logo, advisor_home):
    picture = Image.new("RGBA", (RENDERED_LOGO_SIDE_PX, RENDERED_LOGO_SIDE_PX // 2), (0, 200, 0, 255))
    out = io.BytesIO()
    picture.save(out, "PNG")
    path = save_rendered_logo(LOGO_SVG, out.getvalue())
    assert path.parent == user_brand_path().parent == advisor_home / "config"  # beside the saved brand.yaml
    logo = Logo(svg_logo, "Helvetica")
    assert logo.png == out.getvalue() and logo.drawing is None
    assert read_rendered_logo(LOGO_SVG.replace(b"#d62728", b"#000000")) is None  # an edited SVG: not stale
    save_rendered_logo(LOGO_SVG + b" ", out.getvalue())
    assert not path.exists()  # a former logo's rendering is dropped


def _report(tmp_path, svg_logo, home, *, block_svglib: bool) -> subprocess.CompletedProcess:
    brand = tmp_path / "brand.yaml"
    brand.write_text(f"consultancy_name: Acme\nlogo_path: {svg_logo}\n")
    example = sorted((REPO / "examples").glob("*.llmassess"))[0]
    prelude = "import sys; sys.modules['svglib'] = None; " if block_svglib else ""
    code = prelude + "from app.cli import main; raise SystemExit(main(sys.argv[1:]))"
    env = {**os.environ, "LLM_ADVISOR_HOME": str(home), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", "import sys; " + code, "report", str(example), "-o",
                           str(tmp_path / "out.pdf"), "--brand", str(brand)], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=180)


def test_without_a_rendering_or_svglib_the_cli_exits_2_in_one_line(tmp_path, svg_logo):
    done = _report(tmp_path, svg_logo, tmp_path / "home", block_svglib=True)
    assert done.returncode == 2, done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("llm-advisor report: logo logo.svg is an SVG") and "PNG" in line
    assert not (tmp_path / "out.pdf").exists()


def test_with_the_apps_rendering_the_cli_needs_no_svg_library(tmp_path, svg_logo, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("LLM_ADVISOR_HOME", str(home))
    picture = io.BytesIO()
    Image.new("RGBA", (400, 200), (*BLUE, 255)).save(picture, "PNG")
    save_rendered_logo(LOGO_SVG, picture.getvalue())
    assert rendered_logo_path(LOGO_SVG).is_file()
    done = _report(tmp_path, svg_logo, home, block_svglib=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
