"""Where the brand profile comes from: `--brand FILE` first, else `brand.yaml` in the user's config
folder (what the app's preferences save), else a neutral built-in default. Logos are checked here so a
report never fails half-way on a bad image."""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
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
# ... and in pixels: 8000 x 8000 is a few hundred KB of PNG but 256 MB decoded and half a minute to draw.
MAX_LOGO_PIXELS = 4_000_000
# An SVG logo is a few dozen shapes; 900,000 path segments took 93 s to draw.
MAX_SVG_ELEMENTS = 5_000
MAX_SVG_NUMBERS = 100_000
# A brand file is a dozen lines; a 10^6-key one is an attack on the YAML parser.
MAX_BRAND_FILE_BYTES = 64 * 1024
_SVG_NUMBER = re.compile(rb"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FONT_STYLES = ("Regular", "Bold", "Italic", "BoldItalic")
# The app's rendering of an SVG logo (app/ui/dialogs/preferences.py): its longest side in pixels. 1600 px across
# a 70 mm masthead is about 580 dpi; it stays inside the pixel bounds below, so it is checked like any logo.
RENDERED_LOGO_SIDE_PX = 1600
RENDERED_LOGO_PREFIX = "brand-logo-"


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
    if path.stat().st_size > MAX_BRAND_FILE_BYTES:
        raise BrandError(f"brand file {path.name} is too large to be a brand profile (at most "
                         f"{MAX_BRAND_FILE_BYTES // 1024} KB)")
    brand = load_model(path, BrandProfile, BrandError)
    if brand.logo_path is not None and not brand.logo_path.is_absolute():
        brand = brand.model_copy(update={"logo_path": (path.parent / brand.logo_path).resolve()})
    if brand.docx_template is not None and not brand.docx_template.is_absolute():
        brand = brand.model_copy(update={"docx_template": (path.parent / brand.docx_template).resolve()})
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


def rendered_logo_path(svg_data: bytes) -> Path:
    """Where the app keeps the PNG it rendered from an SVG logo: beside the user's brand.yaml, named by
    the SVG's SHA-256, so a changed SVG finds no picture of its former self."""
    return user_config_dir() / f"{RENDERED_LOGO_PREFIX}{hashlib.sha256(svg_data).hexdigest()[:32]}.png"


def read_rendered_logo(svg_data: bytes) -> bytes | None:
    """The app's PNG rendering of this SVG, checked like any logo; None when there is none (or it is
    damaged: the SVG is then drawn another way)."""
    path = rendered_logo_path(svg_data)
    if not path.is_file():
        return None
    try:
        kind, data = read_logo(path)
    except BrandError:
        return None
    return data if kind == "png" else None


def save_rendered_logo(svg_data: bytes, png: bytes) -> Path:
    """Keep the app's rendering of an SVG logo (atomically) and drop renderings of former logos."""
    path = rendered_logo_path(svg_data)
    try:
        atomic_write_bytes(path, png)
        for old in path.parent.glob(f"{RENDERED_LOGO_PREFIX}*.png"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as error:
        raise BrandError(f"cannot save the rendered logo to {path} ({error.strerror or error})") from None
    return path


def check_brand(brand: BrandProfile) -> None:
    if brand.logo_path is not None:
        check_logo(brand.logo_path)
    template = brand.docx_template
    if template is not None and (template.suffix.lower() != ".docx" or not template.is_file()):
        raise BrandError(f"the Word template {template.name} is not a .docx file that exists")
    font_family_files(brand.font_family)


def check_logo(path: Path) -> str:
    """'png' or 'svg' when the file is a usable logo; BrandError saying why not otherwise."""
    return read_logo(path)[0]


def read_logo(path: Path) -> tuple[str, bytes]:
    """The logo's kind and its bytes, checked: a regular file (never a device, a pipe or a folder), read
    with a bound, a PNG or SVG within the size, pixel and shape limits, decodable."""
    path = Path(path)
    data = _read_regular_file(path)
    if data.startswith(PNG_SIGNATURE):
        _check_png(path, data)
        return "png", data
    if _looks_like_svg(data):
        _check_svg(path, data)
        return "svg", data
    raise BrandError(f"logo {path.name} is not a PNG or SVG image")


def _read_regular_file(path: Path) -> bytes:
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise BrandError(f"logo {path} does not exist") from None
    except (OSError, ValueError) as error:  # ValueError: a name with a NUL in it
        raise BrandError(f"logo {path.name!r} cannot be read ({getattr(error, 'strerror', None) or error})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise BrandError(f"logo {path.name} is not a regular file")
        data = _read_at_most(fd, MAX_LOGO_BYTES + 1)
    except OSError as error:
        raise BrandError(f"logo {path} cannot be read ({error.strerror or error})") from None
    finally:
        os.close(fd)
    if len(data) > MAX_LOGO_BYTES:
        raise BrandError(f"logo {path.name} is too large (at most {MAX_LOGO_BYTES // 2**20} MB)")
    return data


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(fd, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _check_png(path: Path, data: bytes) -> None:
    # The IHDR chunk follows the signature: length, b"IHDR", width, height (big-endian).
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise BrandError(f"logo {path.name} is a damaged PNG image")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_LOGO_SIDE_PX and 0 < height <= MAX_LOGO_SIDE_PX):
        raise BrandError(f"logo {path.name} is {width}x{height} pixels; at most "
                         f"{MAX_LOGO_SIDE_PX} pixels a side")
    if width * height > MAX_LOGO_PIXELS:
        raise BrandError(f"logo {path.name} is {width}x{height} pixels; at most {MAX_LOGO_PIXELS:,} pixels "
                         "in all (a logo is printed a few centimetres wide)")
    _decode_png(path, data)


def _decode_png(path: Path, data: bytes) -> None:
    """Decode it once now (bounded by the pixel limit), so a damaged image is one clear message here,
    not a multi-line error from the PDF library half-way through a report."""
    from PIL import Image  # reportlab's own image reader

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception as error:  # PIL raises a dozen unrelated types for damaged data
        reason = " ".join(str(error).split())[:80] or type(error).__name__
        raise BrandError(f"logo {path.name} is a damaged PNG image ({reason})") from None


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
    elements = sum(1 for _ in root.iter())
    numbers = sum(len(_SVG_NUMBER.findall(value.encode("utf-8"))) for element in root.iter()
                  for name, value in element.attrib.items() if name in ("d", "points"))
    if elements > MAX_SVG_ELEMENTS or numbers > MAX_SVG_NUMBERS:
        raise BrandError(f"logo {path.name} is too complex an SVG ({elements:,} elements, {numbers:,} path "
                         f"numbers; at most {MAX_SVG_ELEMENTS:,} and {MAX_SVG_NUMBERS:,}): export it as a PNG")


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
