"""Saving the brand with an SVG logo renders it with QtSvg to a high-resolution PNG beside the brand,
which the reports then draw: the class-styled square and the two-arc circle, checked pixel by pixel."""

from __future__ import annotations

import io

from PIL import Image

from app.domain.brand import BrandProfile
from app.report.logo import Logo
from app.storage.brand import RENDERED_LOGO_SIDE_PX, load_brand, rendered_logo_path, save_brand
from app.ui.dialogs.preferences import keep_rendered_logo
from tests.report.test_svg_logos import LOGO_SVG, _assert_drawn_right


def test_saving_the_brand_keeps_a_qtsvg_rendering_that_reports_draw(qapp, advisor_home, tmp_path):
    svg = tmp_path / "logo.svg"
    svg.write_bytes(LOGO_SVG)
    brand = BrandProfile(logo_path=svg)
    save_brand(brand)
    keep_rendered_logo(load_brand())  # what Preferences > OK does after saving
    png = rendered_logo_path(LOGO_SVG).read_bytes()
    image = Image.open(io.BytesIO(png))
    assert image.size == (RENDERED_LOGO_SIDE_PX, RENDERED_LOGO_SIDE_PX // 2)  # high resolution, 2:1 kept
    _assert_drawn_right(image)
    assert Logo(svg, "Helvetica").png == png  # the report draws the app's rendering


def test_a_png_logo_needs_no_rendering(qapp, advisor_home, tmp_path):
    logo = tmp_path / "logo.png"
    Image.new("RGB", (40, 20), "red").save(logo)
    keep_rendered_logo(BrandProfile(logo_path=logo))
    assert not list(advisor_home.rglob("brand-logo-*.png"))
