"""Renders the app icon from app/assets/icons/llm-advisor.svg to every raster the packagers need.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py

Writes, next to the SVG:
- llm-advisor-<N>.png for N in 16, 24, 32, 48, 64, 128, 256, 512, 1024 (Linux hicolor theme, window icon, macOS
  iconset source);
- llm-advisor.ico (Windows: the exe's icon and the installer's; 16..256 px as embedded PNGs, which Windows
  Vista and later read).
The macOS .icns cannot be written here: on a Mac run packaging/macos/make_icns.sh (iconutil).
This is a developer tool, not part of the app: it may import Qt (it lives outside the `app` package)."""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS_DIR = Path(__file__).resolve().parent.parent / "app" / "assets" / "icons"
SVG = ICONS_DIR / "llm-advisor.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)  # 1024: the macOS iconset's 512@2x
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size} px PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG streams (ICONDIR + ICONDIRENTRY[] + data)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        blob = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        blobs += blob
        offset += len(blob)
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts/painting need it)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"make_icons: {SVG} is not a valid SVG for QtSvg", file=sys.stderr)
        return 1
    pngs = {}
    for size in sorted(set(PNG_SIZES) | set(ICO_SIZES)):
        pngs[size] = render_png(renderer, size)
    for size in PNG_SIZES:
        (ICONS_DIR / f"llm-advisor-{size}.png").write_bytes(pngs[size])
    (ICONS_DIR / "llm-advisor.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    print(f"make_icons: wrote {len(PNG_SIZES)} PNGs and llm-advisor.ico to {ICONS_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
