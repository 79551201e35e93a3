"""Where the brand profile comes from: `--brand FILE` first, else `brand.yaml` in the user's config
folder (what the app's preferences save), else a neutral built-in default. Logos are checked here so a
report never fails half-way on a bad image."""

from __future__ import annotations

import struct
from pathlib import Path
from xml.etree import ElementTree

import yaml

from app.domain.brand import BrandProfile
from app.domain.errors import BrandError
from app.storage.atomic import atomic_write_bytes
from app.storage.resources import find_resource, user_config_dir
from app.storage.yamlfiles import load_model

BRAND_FILE_NAME = "brand.yaml"
# A logo is printed a few centimetres wide: anything bigger than this is a mistake or an attack.
MAX_LOGO_BYTES = 5 * 1024 * 1024
MAX_LOGO_SIDE_PX = 8000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FONT_STYLES = ("Regular", "Bold", "Italic", "BoldItalic")


def user_brand_path() -> Path:
    return user_config_dir() / BRAND_FILE_NAME


def load_brand(path: Path | None = None) -> BrandProfile:
    """The brand for a report: the given file, else the user's saved brand, else the default."""
    if path is None:
        path = user_brand_path()
        if not path.is_file():
            return BrandProfile()
    path = Path(path)
    if not path.is_file():
        raise BrandError(f"brand file {path} does not exist")
    brand = load_model(path, BrandProfile, BrandError)
    if brand.logo_path is not None and not brand.logo_path.is_absolute():
        brand = brand.model_copy(update={"logo_path": (path.parent / brand.logo_path).resolve()})
    check_brand(brand)
    return brand


def save_brand(brand: BrandProfile, path: Path | None = None) -> Path:
    """Check the brand, then write it atomically (default: the user's brand.yaml)."""
    check_brand(brand)
    path = Path(path) if path is not None else user_brand_path()
    data = brand.model_dump(mode="json", exclude_none=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        atomic_write_bytes(path, text.encode("utf-8"))
    except OSError as error:
        raise BrandError(f"cannot save the brand to {path} ({error.strerror or error})") from None
    return path


def check_brand(brand: BrandProfile) -> None:
    if brand.logo_path is not None:
        check_logo(brand.logo_path)
    font_family_files(brand.font_family)


def check_logo(path: Path) -> str:
    """'png' or 'svg' when the file is a usable logo; BrandError saying why not otherwise."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_LOGO_BYTES:
            raise BrandError(f"logo {path.name} is too large ({size // 1024} KB; at most "
                             f"{MAX_LOGO_BYTES // 2**20} MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise BrandError(f"logo {path} does not exist") from None
    except OSError as error:
        raise BrandError(f"logo {path} cannot be read ({error.strerror or error})") from None
    if data.startswith(PNG_SIGNATURE):
        _check_png_size(path, data)
        return "png"
    if _looks_like_svg(data):
        _check_svg(path, data)
        return "svg"
    raise BrandError(f"logo {path.name} is not a PNG or SVG image")


def _check_png_size(path: Path, data: bytes) -> None:
    # The IHDR chunk follows the signature: length, b"IHDR", width, height (big-endian).
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise BrandError(f"logo {path.name} is a damaged PNG image")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_LOGO_SIDE_PX and 0 < height <= MAX_LOGO_SIDE_PX):
        raise BrandError(f"logo {path.name} is {width}x{height} pixels; at most "
                         f"{MAX_LOGO_SIDE_PX} pixels a side")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<svg") or b"<svg" in head


def _check_svg(path: Path, data: bytes) -> None:
    # Entity declarations are how XML bombs and file reads get in; a logo never needs them.
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise BrandError(f"logo {path.name}: SVG files with DOCTYPE or ENTITY declarations are refused")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise BrandError(f"logo {path.name} is a damaged SVG image ({error})") from None
    if root.tag.rsplit("}", 1)[-1] != "svg":
        raise BrandError(f"logo {path.name} is not an SVG image")


def font_family_files(family: str) -> dict[str, Path]:
    """The four TTF files of a font family (user fonts folder first, then the bundled fonts)."""
    stem = family.replace(" ", "")
    files = {}
    for style in FONT_STYLES:
        try:
            files[style] = find_resource("fonts", f"{stem}-{style}.ttf")
        except FileNotFoundError:
            raise BrandError(f"font family '{family}' is not installed: {stem}-{style}.ttf is missing "
                             "(the app bundles Lato)") from None
    return files
