"""Where the brand comes from, and which logos are refused."""

from __future__ import annotations

import struct
import zlib

import pytest

from app.domain.brand import BrandProfile
from app.domain.errors import BrandError
from app.storage.brand import load_brand, save_brand, user_brand_path


def png_bytes(width: int = 4, height: int = 2) -> bytes:
    """A valid RGB PNG of the given size (white)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40">'
       b'<rect x="0" y="0" width="40" height="40" rx="6" fill="#1F3A5F"/>'
       b'<path d="M50 30 L60 10 Q70 0 80 10 C85 15 90 25 100 30 Z" style="fill:#C8102E;stroke:none"/>'
       b'<g transform="translate(2,2) scale(0.5)"><circle cx="20" cy="20" r="8" fill="white"/></g>'
       b'<text x="45" y="38" font-size="8" fill="#222">Garnet</text></svg>')


def test_default_brand_when_nothing_is_saved(advisor_home):
    assert load_brand() == BrandProfile()


def test_user_brand_is_used_when_no_file_is_given(advisor_home):
    save_brand(BrandProfile(consultancy_name="Saved Partners"))
    assert user_brand_path().is_file()
    assert load_brand().consultancy_name == "Saved Partners"


def test_brand_file_comes_before_the_saved_brand(advisor_home, tmp_path):
    save_brand(BrandProfile(consultancy_name="Saved Partners"))
    given = tmp_path / "brand.yaml"
    given.write_text("consultancy_name: Given & Co\nprimary_colour: '#003366'\n", encoding="utf-8")
    brand = load_brand(given)
    assert brand.consultancy_name == "Given & Co" and brand.primary_colour == "#003366"


def test_relative_logo_path_is_relative_to_the_brand_file(advisor_home, tmp_path):
    (tmp_path / "logo.png").write_bytes(png_bytes())
    given = tmp_path / "brand.yaml"
    given.write_text("consultancy_name: Logo Ltd\nlogo_path: logo.png\n", encoding="utf-8")
    assert load_brand(given).logo_path == (tmp_path / "logo.png").resolve()


def test_save_and_load_round_trip_with_svg_logo(advisor_home, tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_bytes(SVG)
    brand = BrandProfile(consultancy_name="Garnet Grid", logo_path=logo, contact_line="hello@example.com")
    save_brand(brand)
    assert load_brand() == brand


@pytest.mark.parametrize("content, message", [
    ("primary_colour: red\n", "primary_colour"),
    ("consultancy_name: X\nunknown_key: 1\n", "unknown_key"),
    ("font_family: Comic Sans\n", "font family 'Comic Sans' is not installed"),
    ("!!python/object/apply:os.system ['echo hacked']\n", "brand.yaml"),
    ("consultancy_name: [unclosed\n", "line"),
])
def test_bad_brand_files_are_refused_with_a_clear_message(advisor_home, tmp_path, content, message):
    given = tmp_path / "brand.yaml"
    given.write_text(content, encoding="utf-8")
    with pytest.raises(BrandError, match=message):
        load_brand(given)


def test_missing_brand_file_is_a_brand_error(tmp_path):
    with pytest.raises(BrandError, match="does not exist"):
        load_brand(tmp_path / "nope.yaml")


@pytest.mark.parametrize("name, data, message", [
    ("logo.png", b"GIF89a not a png", "not a PNG or SVG"),
    ("logo.png", png_bytes(20_000, 10), "20000x10 pixels"),
    ("logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 4, "damaged PNG"),
    ("logo.svg", b"<svg><unclosed></svg>", "damaged SVG"),
    ("logo.svg", b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg>&a;</svg>', "ENTITY"),
    ("logo.svg", b"<?xml version='1.0'?><html><svg/></html>", "not an SVG"),
])
def test_bad_logos_are_refused(tmp_path, name, data, message):
    logo = tmp_path / name
    logo.write_bytes(data)
    with pytest.raises(BrandError, match=message):
        save_brand(BrandProfile(logo_path=logo), tmp_path / "brand.yaml")
    assert not (tmp_path / "brand.yaml").exists()


def test_enormous_logo_file_is_refused_before_reading(tmp_path):
    logo = tmp_path / "huge.png"
    with logo.open("wb") as handle:
        handle.write(png_bytes())
        handle.truncate(6 * 1024 * 1024)
    with pytest.raises(BrandError, match="too large"):
        save_brand(BrandProfile(logo_path=logo), tmp_path / "brand.yaml")


def test_missing_logo_is_refused(tmp_path):
    with pytest.raises(BrandError, match="does not exist"):
        save_brand(BrandProfile(logo_path=tmp_path / "gone.png"), tmp_path / "brand.yaml")
