"""Password-protected assessments: asking for the password of a protected file or autosaved copy (a wrong
one is explained and asked again), choosing one (File > Save with Password…), and the lock shown for a
protected document. A password lives only in memory, in the open Document: never in settings or logs.

Deriving a key from a password is slow on purpose (scrypt, about 0.3 s), so the cursor says "busy" while
one is tried."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QVBoxLayout, QWidget)

from app.domain.errors import AssessmentFileError, PasswordRequiredError
from app.ui.widgets.looks import styled

T = TypeVar("T")
LOCK_COLOUR = "#b7791f"


@contextmanager
def busy_cursor() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def lock_pixmap(size: int) -> QPixmap:
    """A small padlock, drawn so it reads in light and dark palettes without an icon theme."""
    pixmap = QPixmap(size * 2, size * 2)
    pixmap.setDevicePixelRatio(2)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(LOCK_COLOUR)
    painter.setPen(QPen(colour, size / 9))
    painter.drawArc(QRectF(size * 0.3, size * 0.1, size * 0.4, size * 0.5), 0, 180 * 16)
    for x in (size * 0.3, size * 0.7):  # the shackle's legs
        painter.drawLine(QPointF(x, size * 0.35), QPointF(x, size * 0.47))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRoundedRect(QRectF(size * 0.18, size * 0.45, size * 0.64, size * 0.5), size * 0.08, size * 0.08)
    painter.end()
    return pixmap


def _lock_label(size: int) -> QLabel:
    label = QLabel()
    label.setPixmap(lock_pixmap(size))
    label.setAlignment(Qt.AlignmentFlag.AlignTop)
    return label


def password_field(accessible_name: str) -> QLineEdit:
    field = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
    field.setAccessibleName(accessible_name)
    field.setMinimumWidth(260)
    return field


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


class PasswordPrompt(QDialog):
    """Asks for the password of a protected file and tries it with `load(password)`. A wrong password
    (or any other problem reading the file) is shown under the field and the user may try again; Cancel
    leaves everything as it was."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, load: Callable[[str], T]):
        super().__init__(parent)
        self.setWindowTitle(title)
        self._load = load
        self.value: T | None = None
        self.password = password_field("Password")
        self.error = styled(QLabel(wordWrap=True, objectName="error"))
        self.error.setAccessibleName("Password problem")
        self.error.setMinimumHeight(self.error.fontMetrics().lineSpacing() * 2)  # room kept: nothing jumps
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Open")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        text = QLabel(f"<b>{prompt}</b><br>Enter its password to open it.", wordWrap=True)
        form = QFormLayout()
        form.setContentsMargins(0, 8, 0, 0)
        form.addRow("&Password:", self.password)
        body = QVBoxLayout()
        body.addWidget(text)
        body.addLayout(form)
        body.addWidget(self.error)
        body.addWidget(buttons)
        row = QHBoxLayout(self)
        row.setSpacing(16)
        row.addWidget(_lock_label(40))
        row.addLayout(body, 1)
        self.setMinimumWidth(480)

    def accept(self) -> None:
        if not self.password.text():
            self._explain("Enter the password.")
            return
        try:
            with busy_cursor():
                self.value = self._load(self.password.text())
        except AssessmentFileError as error:
            self._explain(_sentence(str(error)))
            return
        super().accept()

    def _explain(self, message: str) -> None:
        self.error.setText(message)
        self.password.selectAll()
        self.password.setFocus()


def load_with_password(parent: QWidget | None, title: str, prompt: str, load: Callable[[str | None], T]) -> T | None:
    """`load(None)`; when that needs a password, ask for it until `load(password)` works. None when the
    user cancels. Problems other than a missing password propagate as they are (AdvisorError)."""
    try:
        return load(None)
    except PasswordRequiredError:
        pass
    dialog = PasswordPrompt(parent, title, prompt, load)
    return dialog.value if dialog.exec() == QDialog.DialogCode.Accepted else None


class ProtectDialog(QDialog):
    """File > Save with Password…: choose a password (typed twice), change it, or remove the protection."""

    def __init__(self, name: str, protected: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Save with Password")
        self.password = password_field("New password")
        self.confirm = password_field("Confirm password")
        self.remove = QCheckBox("&Remove the password (save the file unencrypted)", visible=protected)
        self.mismatch = styled(QLabel(wordWrap=True, objectName="error"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for signal in (self.password.textChanged, self.confirm.textChanged, self.remove.toggled):
            signal.connect(self._update)
        row = QHBoxLayout(self)
        row.setSpacing(16)
        row.addWidget(_lock_label(40))
        row.addLayout(self._body(name, protected), 1)
        self.setMinimumWidth(520)
        self._update()

    def _body(self, name: str, protected: bool) -> QVBoxLayout:
        action = "Change the password of" if protected else "Protect"
        intro = QLabel(f"<b>{action} {name}.</b><br>The file, its backup and its autosaved copies are encrypted "
                       "(AES-256); without the password nobody can open them.", wordWrap=True)
        warning = styled(QLabel("Keep the password safe: a lost password cannot be recovered, by you or by us. A "
                                "phrase of several words is easy to remember and hard to guess.", wordWrap=True,
                                objectName="hint"))
        warning.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        form = QFormLayout()
        form.addRow("New &password:", self.password)
        form.addRow("&Confirm:", self.confirm)
        form.addRow("", self.mismatch)
        body = QVBoxLayout()
        for widget in (intro, warning):
            body.addWidget(widget)
        body.addLayout(form)
        body.addWidget(self.remove)
        body.addWidget(self.buttons)
        return body

    def _update(self) -> None:
        removing = self.remove.isChecked()
        for field in (self.password, self.confirm):
            field.setEnabled(not removing)
        typed, confirmed = self.password.text(), self.confirm.text()
        differ = bool(confirmed) and typed != confirmed and not removing
        self.mismatch.setText("The two passwords differ." if differ else "")
        ready = removing or (bool(typed) and typed == confirmed)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ready)

    def chosen_password(self) -> str | None:
        """The new password; None to save without one."""
        return None if self.remove.isChecked() else self.password.text()
