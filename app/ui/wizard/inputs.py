"""One input widget per question kind. Each input shows a value and reports the user's edits; it keeps
no answer of its own (the Document does). `set_value` never emits `edited`."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QLocale, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtWidgets import (QAbstractButton, QButtonGroup, QCheckBox, QComboBox, QDateEdit, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QRadioButton, QToolButton, QVBoxLayout,
                               QWidget)

from app.domain import numbers
from app.domain.numbers import date_edit_format, locale_name, parse_date
from app.domain.questionnaire import Question, QuestionKind
from app.ui.widgets.format import compact, plain_number
from app.ui.widgets.looks import styled


def parse_number(text: str, integer: bool, locale: str | None = None) -> float | int | None:
    """'45M' -> 45000000, '20,000' -> 20000 (in en), '' -> None, in the locale (None: the system's).
    Raises NotANumber with a sentence saying why; the rules are app.domain.numbers'."""
    return numbers.parse_number(text, locale_name(locale), integer=integer)


class QuestionInput(QWidget):
    edited = Signal()

    def __init__(self, question: Question, parent: QWidget | None = None):
        super().__init__(parent)
        self.question = question

    def value(self):
        raise NotImplementedError

    def set_value(self, value) -> None:
        with QSignalBlocker(self):
            self._show(value)

    def _show(self, value) -> None:
        raise NotImplementedError

    def show_reading(self, value) -> None:
        """Only number fields have a reading beside them."""

    def focus_widget(self) -> QWidget:
        return self

    def show_reading(self, value) -> None:
        """Only number fields show a normalised reading beside them."""


class LineInput(QuestionInput):
    """Short text and numbers. Numbers show their unit and a normalised reading ('= 45M tokens/day')."""

    def __init__(self, question: Question, parent: QWidget | None = None, locale: Callable[[], str] = str):
        super().__init__(question, parent)
        self.locale = locale  # the display locale's name, asked at each use: Preferences can change it
        self.line = QLineEdit(placeholderText=question.placeholder)
        self.line.setAccessibleName(question.label)
        self.line.textEdited.connect(self._on_edited)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        self.reading = styled(QLabel(objectName="reading"))
        if self.is_number:
            self.line.setMaximumWidth(200)
            self.line.setPlaceholderText(question.placeholder or self._number_hint())
            if question.unit:
                layout.addWidget(QLabel(question.unit))
            layout.addWidget(self.reading)
            layout.addStretch(1)

    @property
    def is_number(self) -> bool:
        return self.question.kind in (QuestionKind.NUMBER, QuestionKind.INTEGER)

    def _number_hint(self) -> str:
        if self.question.default is not None:
            return f"default {self.number_text(self.question.default)}"
        return f"a number of {self.question.unit}" if self.question.unit else "a number"  # no other unit's example

    def value(self):
        text = self.line.text()
        if self.is_number:
            return parse_number(text, self.question.kind == QuestionKind.INTEGER, self.locale())
        return text.strip() or None

    def _show(self, value) -> None:
        if value is None:
            self.line.setText("")
        elif self.is_number and isinstance(value, (int, float)):
            self.line.setText(self.number_text(value))
        else:
            self.line.setText(str(value))
        self.show_reading(value)

    def number_text(self, value: float | int) -> str:
        """A number as the user would type it here: the display locale's separators."""
        return plain_number(value, self.locale())

    def _on_edited(self) -> None:
        self.edited.emit()  # the editor validates, then shows the reading of an acceptable value

    def show_reading(self, value) -> None:
        """'= 45M tokens/day' beside a large acceptable number; nothing for anything else."""
        big = isinstance(value, (int, float)) and math.isfinite(value) and abs(value) >= 10_000
        self.reading.setText(f"= {compact(value, self.locale())} {self.question.unit}".rstrip() if big else "")

    def focus_widget(self) -> QWidget:
        return self.line


class DateInput(QuestionInput):
    """A date editor with a calendar: only dates that exist can be chosen. Its lowest date stands for
    "no date" (shown as a dash), so an unanswered question stays unanswered."""

    NO_DATE = QDate(1900, 1, 1)

    def __init__(self, question: Question, parent: QWidget | None = None, locale: Callable[[], str] = str):
        super().__init__(question, parent)
        self.locale = locale  # the display locale's name, asked whenever the date is shown
        self.date = QDateEdit(calendarPopup=True)
        self._date_locale = ""
        self.date.setAccessibleName(question.label)
        self.date.setMinimumDate(self.NO_DATE)
        self.date.setSpecialValueText("—")
        self.date.setDate(self.NO_DATE)
        # The locale's pattern needs babel's locale data (about 12 ms to load, on the first page of a
        # start). While the field shows no date ("—" in any pattern) it waits until the field takes the
        # focus, or a date is shown or chosen.
        self.date.installEventFilter(self)
        self.date.dateChanged.connect(self._on_date_changed)
        today = QToolButton(text="Today", autoRaise=True, focusPolicy=Qt.FocusPolicy.NoFocus)  # one Tab stop
        today.setAccessibleName(f"Set {question.label} to today")
        today.clicked.connect(lambda: self.date.setDate(QDate.currentDate()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date)
        layout.addWidget(today)
        layout.addStretch(1)

    def value(self):
        chosen = self.date.date()
        return None if chosen == self.NO_DATE else chosen.toString("yyyy-MM-dd")

    def _follow_locale(self) -> None:
        """The locale's CLDR medium date (01.12.2026 in de, Dec 1, 2026 in en_US); the file keeps ISO."""
        name = locale_name(self.locale())
        if name != self._date_locale:  # only when Preferences changed it: a new format on every show costs memory
            self._date_locale = name
            self.date.setLocale(QLocale(name))
            self.date.setDisplayFormat(date_edit_format(name))

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            self._follow_locale()
        return False

    def _on_date_changed(self) -> None:
        self._follow_locale()
        self.edited.emit()

    def _show(self, value) -> None:
        shown = parse_date(value) if isinstance(value, str) else None
        if shown or self._date_locale:  # no date, no pattern yet: the focus brings it
            self._follow_locale()
        with QSignalBlocker(self.date):
            self.date.setDate(QDate(shown.year, shown.month, shown.day) if shown else self.NO_DATE)

    def focus_widget(self) -> QWidget:
        return self.date


class LongTextInput(QuestionInput):
    def __init__(self, question: Question, parent: QWidget | None = None):
        super().__init__(question, parent)
        self.text = QPlainTextEdit(placeholderText=question.placeholder)
        self.text.setAccessibleName(question.label)
        self.text.setTabChangesFocus(True)  # keyboard users must be able to leave the field
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 4 + 12)
        self.text.textChanged.connect(self.edited)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)

    def value(self):
        return self.text.toPlainText().strip() or None

    def _show(self, value) -> None:
        with QSignalBlocker(self.text):
            self.text.setPlainText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.text


class ComboInput(QuestionInput):
    """Single choice with many options."""

    def __init__(self, question: Question, parent: QWidget | None = None):
        super().__init__(question, parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName(question.label)
        self.combo.addItem("Choose…", None)
        for option in question.choice_options:
            self.combo.addItem(option.label, option.value)
            if option.help:
                self.combo.setItemData(self.combo.count() - 1, option.help, 3)  # Qt.ToolTipRole
        self.combo.setMinimumWidth(260)
        self.combo.activated.connect(lambda _index: self.edited.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)

    def value(self):
        return self.combo.currentData()

    def _show(self, value) -> None:
        with QSignalBlocker(self.combo):
            index = self.combo.findData(value)
            self.combo.setCurrentIndex(max(index, 0))

    def focus_widget(self) -> QWidget:
        return self.combo


class ButtonsInput(QuestionInput):
    """Radio buttons (single choice, yes/no, scale) or check boxes (multiple choice)."""

    def __init__(self, question: Question, parent: QWidget | None = None):
        super().__init__(question, parent)
        self.multi = question.kind == QuestionKind.MULTI_CHOICE
        self.group = QButtonGroup(self)
        self.group.setExclusive(not self.multi)
        self.group.buttonClicked.connect(lambda _button: self.edited.emit())
        self.buttons: dict[object, QAbstractButton] = {}
        choices = self._choices()
        self.preferred_columns = self._columns(choices)
        self.columns = 0
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(18)
        for value, label, tip in choices:
            button = QCheckBox(label) if self.multi else QRadioButton(label)
            button.setToolTip(tip)
            button.setAccessibleName(f"{question.label}: {label}")
            self.group.addButton(button)
            self.buttons[value] = button
        self._place(self.preferred_columns)
        if self.multi:
            for button in self.buttons.values():
                button.installEventFilter(self)
            self._rove(next(iter(self.buttons.values())))

    # Check boxes: the whole question is one Tab stop (the option that last had the focus), the arrow
    # keys move between its options in reading order and Space ticks one, as in a group of radio buttons.
    _PREVIOUS, _NEXT = (Qt.Key.Key_Up, Qt.Key.Key_Left), (Qt.Key.Key_Down, Qt.Key.Key_Right)

    def _rove(self, current: QAbstractButton) -> None:
        for button in self.buttons.values():
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if button is current else Qt.FocusPolicy.ClickFocus)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FocusIn:
            self._rove(watched)
        elif event.type() == QEvent.Type.KeyPress and event.modifiers() in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            step = -1 if event.key() in self._PREVIOUS else 1 if event.key() in self._NEXT else 0
            if step:
                buttons = list(self.buttons.values())
                index = min(max(buttons.index(watched) + step, 0), len(buttons) - 1)
                buttons[index].setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return False

    def _place(self, columns: int) -> None:
        """Lay the buttons out in `columns` columns (fewer on a narrow page: one row never scrolls sideways)."""
        if columns == self.columns:
            return
        self.grid.setColumnStretch(self.columns, 0)
        self.columns = columns
        for index, button in enumerate(self.buttons.values()):
            self.grid.removeWidget(button)
            self.grid.addWidget(button, index // columns, index % columns)
        self.grid.setColumnStretch(columns, 1)

    def _widest(self) -> int:
        return max(b.sizeHint().width() for b in self.buttons.values())

    def _columns_fitting(self, width: int) -> int:
        spacing = self.grid.horizontalSpacing()
        fitting = max(1, (width + spacing) // (self._widest() + spacing))
        return min(self.preferred_columns, fitting)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """One column's width: the page may be as narrow as the widest choice."""
        return QSize(self._widest(), super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place(self._columns_fitting(event.size().width()))

    def _choices(self) -> list[tuple[object, str, str]]:
        question = self.question
        if question.kind == QuestionKind.SCALE:
            low, high = int(question.min), int(question.max)
            return [(n, f"{n} · {question.scale_labels[n]}" if n in question.scale_labels else str(n), "")
                    for n in range(low, high + 1)]
        return [(o.value, o.label, o.help) for o in question.choice_options]

    @staticmethod
    def _columns(choices: list[tuple[object, str, str]]) -> int:
        longest = max(len(label) for _v, label, _t in choices)
        if len(choices) <= 5 and sum(len(label) for _v, label, _t in choices) < 90:
            return len(choices)  # one row
        return 1 if longest > 38 else 2 if longest > 22 else 3

    def value(self):
        chosen = [v for v, b in self.buttons.items() if b.isChecked()]
        if self.multi:
            return chosen or None
        return chosen[0] if chosen else None

    def _show(self, value) -> None:
        selected = set(value) if isinstance(value, list) else {value}
        # An exclusive group refuses to clear its checked button; lift exclusivity while resetting.
        self.group.setExclusive(False)
        for option_value, button in self.buttons.items():
            button.setChecked(option_value in selected)
        self.group.setExclusive(not self.multi)

    def focus_widget(self) -> QWidget:
        checked = [b for b in self.buttons.values() if b.isChecked()]
        return checked[0] if checked else next(iter(self.buttons.values()))


def make_input(question: Question, parent: QWidget | None = None, locale: Callable[[], str] = str) -> QuestionInput:
    """locale: asked for the display locale's name ("" is the system's) whenever a number is read or shown."""
    kind = question.kind
    if kind == QuestionKind.LONG_TEXT:
        return LongTextInput(question, parent)
    if kind == QuestionKind.SINGLE_CHOICE and len(question.choice_options) > 5:
        return ComboInput(question, parent)
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE, QuestionKind.YES_NO, QuestionKind.SCALE):
        return ButtonsInput(question, parent)
    if kind == QuestionKind.DATE:
        return DateInput(question, parent, locale)
    return LineInput(question, parent, locale)
