"""A slim bar above a new, untouched assessment: open one of the bundled examples in one click."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton

from app.storage.resources import list_resources


HEADER_BYTES = 4096
_CLIENT = re.compile(r'"client_name":\s*"((?:[^"\\]|\\.)*)"')


def example_files() -> list[Path]:
    return list_resources("examples", "*.llmassess")


class StartBanner(QFrame):
    def __init__(self, open_path, open_dialog, parent=None):
        super().__init__(parent, objectName="startBanner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 16, 8)
        layout.addWidget(QLabel("<b>New assessment.</b> Or start from an example:"))
        for path in example_files():
            button = QPushButton(self.example_title(path))
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

    @staticmethod
    def example_title(path: Path) -> str:
        """The example's client, read from the file's first bytes (its engagement header), so the banner
        costs no full parse at startup."""
        try:
            with path.open("rb") as handle:
                head = handle.read(HEADER_BYTES).decode("utf-8", "replace")
        except OSError:
            head = ""
        match = _CLIENT.search(head)
        if not match:
            return path.stem.replace("-", " ").capitalize()
        return json.loads(f'"{match.group(1)}"')
