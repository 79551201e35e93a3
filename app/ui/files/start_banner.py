"""A slim bar above a new, untouched assessment: open one of the bundled examples in one click."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton

from app.storage.resources import list_resources
from app.ui.widgets.looks import Panel


HEADER_BYTES = 4096
_CLIENT = re.compile(r'"client_name":\s*"((?:[^"\\]|\\.)*)"')
_DATE = re.compile(r'"date":\s*"(\d{4})-(\d{2})-\d{2}"')
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def example_files() -> list[Path]:
    return list_resources("examples", "*.llmassess")


def _header(path: Path) -> str:
    """The file's first bytes (its engagement header): the labels cost no full parse at startup."""
    try:
        with path.open("rb") as handle:
            return handle.read(HEADER_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""


def _client(head: str, path: Path) -> str:
    match = _CLIENT.search(head)
    return json.loads(f'"{match.group(1)}"') if match else path.stem.replace("-", " ").capitalize()


def _month(head: str) -> str:
    match = _DATE.search(head)
    return f"{_MONTHS[int(match.group(2)) - 1]} {match.group(1)}" if match and 1 <= int(match.group(2)) <= 12 else ""


def example_labels(paths: list[Path]) -> list[str]:
    """Each example's client; two of one client (a quarterly revisit) also say their engagement's month."""
    heads = [_header(p) for p in paths]
    clients = [_client(h, p) for h, p in zip(heads, paths)]
    return [f"{c}, {_month(h)}" if clients.count(c) > 1 and _month(h) else c for c, h in zip(clients, heads)]


class StartBanner(Panel):
    def __init__(self, open_path, open_dialog, parent=None):
        super().__init__("startBanner", parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 16, 8)
        layout.addWidget(QLabel("<b>New assessment.</b> Or start from an example:"))
        paths = example_files()
        for path, label in zip(paths, example_labels(paths)):
            button = QPushButton(label)
            button.setToolTip(f"Open the example {path.name} as an untitled copy")
            button.clicked.connect(lambda _c=False, p=path: open_path(p))
            layout.addWidget(button)
        layout.addStretch(1)
        open_button = QPushButton("Open file…")
        open_button.clicked.connect(open_dialog)
        layout.addWidget(open_button)
        close = QToolButton(text="✕", autoRaise=True)
        close.setToolTip("Hide")
        close.setAccessibleName("Hide the examples bar")
        close.clicked.connect(self.hide)
        layout.addWidget(close)
