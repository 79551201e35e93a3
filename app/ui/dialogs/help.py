"""Help: a short guide for the first client meeting, every keyboard shortcut (read from the window's own
menus, so the list cannot drift from what the keys do) and a glossary of the terms the results use. The
guide and glossary are data files (templates/help/*.j2)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from app.ui.wizard.question_editor import EDITOR_SHORTCUTS

TABS = ("First meeting", "Shortcuts", "Glossary")
# Keys that are not menu entries: said here, where the list is built.
OTHER_KEYS = (("Esc", "Leave presenting mode"), ("Enter", "Next section (on a question page)"),
              *((QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText), what)
                for key, what in EDITOR_SHORTCUTS))


def help_text(name: str) -> str:
    from app.storage.resources import find_resource
    text = find_resource("templates", f"help/{name}.j2").read_text(encoding="utf-8")
    return text.split("#}", 1)[1] if text.startswith("{#") else text


def menu_shortcuts(window) -> list[tuple[str, str]]:
    """(keys, 'Menu > Entry') for every menu entry with a shortcut, in menu order."""
    rows = []

    def walk(menu, path: str) -> None:
        for action in menu.actions():
            text = action.text().replace("&", "")
            if action.menu() is not None:
                walk(action.menu(), f"{path} > {text}")
            elif not action.shortcut().isEmpty():
                rows.append((action.shortcut().toString(QKeySequence.SequenceFormat.NativeText), f"{path} > {text}"))

    for top in window.menuBar().actions():
        if top.menu() is not None:
            walk(top.menu(), top.text().replace("&", ""))
    return rows


def shortcut_table(window) -> str:
    from html import escape
    rows = [*menu_shortcuts(window), *OTHER_KEYS]
    cells = "".join(f"<tr><td><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>" for keys, what in rows)
    return f"<table cellspacing='0' cellpadding='4'>{cells}</table>"


class HelpDialog(QDialog):
    def __init__(self, window, tab: str = TABS[0], parent: QWidget | None = None):
        super().__init__(parent or window)
        self.setWindowTitle("Help")
        self.tabs = QTabWidget()
        for title, html in zip(TABS, (help_text("first_meeting"), shortcut_table(window), help_text("glossary"))):
            browser = QTextBrowser(openExternalLinks=False)
            browser.setHtml(html)
            browser.setAccessibleName(title)
            self.tabs.addTab(browser, title)
        self.tabs.setCurrentIndex(TABS.index(tab))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(640, 520)

    def text(self, tab: str) -> str:
        return self.tabs.widget(TABS.index(tab)).toPlainText()
