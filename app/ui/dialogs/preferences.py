"""Preferences: the consultancy's brand (saved as brand.yaml through app.storage.brand, so the command
line uses the same brand) with a live preview, and this assessment's display currency and period."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSizeF, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (QColorDialog, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog,
                               QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QTabWidget, QVBoxLayout, QWidget)

from app.domain.assessment import DisplayPreferences
from app.domain.brand import BrandProfile
from app.domain.errors import BrandError
from app.domain.numbers import locale_label
from app.ui.files.document import Document
from app.ui.dialogs.errors import show_error
from app.ui.results.results import current_brand
from app.ui.widgets.looks import styled

CURRENCIES = ("USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "INR")
# Offered beside "System"; any CLDR name works in the file (docs/numbers.md).
DISPLAY_LOCALES = ("en_US", "en_GB", "en_IN", "de_DE", "de_CH", "fr_FR", "es_ES", "it_IT", "nl_NL", "ja_JP")


class ColourButton(QPushButton):
    def __init__(self, colour: str, name: str, on_change):
        super().__init__()
        self.setAccessibleName(name)
        self._on_change = on_change
        self.clicked.connect(self._choose)
        self.set_colour(colour)

    def set_colour(self, colour: str) -> None:
        self.colour = colour.upper()
        self.setText(self.colour)
        swatch = QPixmap(28, 16)
        swatch.fill(QColor(self.colour))
        self.setIcon(QIcon(swatch))

    def _choose(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour), self, self.accessibleName())
        if chosen.isValid():
            self.set_colour(chosen.name())
            self._on_change()


class BrandPreview(QFrame):
    """A miniature report cover in the brand's colours."""

    def __init__(self):
        super().__init__(objectName="brandPreview")
        self.setMinimumSize(300, 220)
        layout = QVBoxLayout(self)
        self.text = QLabel(wordWrap=True)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def show_brand(self, name: str, primary: str, accent: str, contact: str) -> None:
        self.setStyleSheet(f"QFrame#brandPreview {{ background: white; border: 1px solid #ccc; "
                           f"border-top: 28px solid {primary}; }} QLabel {{ color: #222; }}")
        self.text.setText(f"<div style='color:{primary}; font-size:15pt; font-weight:600'>{escape(name)}</div>"
                          f"<div style='border-bottom:2px solid {accent}'>&nbsp;</div>"
                          f"<p style='font-size:11pt'>LLM deployment recommendation</p>"
                          f"<p style='color:{accent}; font-weight:600'>Confidential</p>"
                          f"<p style='color:#666; font-size:8pt'>{escape(contact)}</p>")


def _file_row(field: QLineEdit, choose) -> QHBoxLayout:
    """A path field with its Browse button."""
    browse = QPushButton("Browse…")
    browse.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(field)
    row.addWidget(browse)
    return row


class PreferencesDialog(QDialog):
    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.document = document
        self.brand = current_brand()
        tabs = self.tabs = QTabWidget()
        tabs.addTab(self._brand_tab(), "&Branding")
        self.display_tab = self._display_tab()
        tabs.addTab(self.display_tab, "&Display")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)
        self.resize(820, 520)
        self._update_preview()

    def _brand_tab(self) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        form = QFormLayout()
        b = self.brand
        self.name = QLineEdit(b.consultancy_name)
        self.logo = QLineEdit(str(b.logo_path or ""), placeholderText="PNG or SVG")
        logo_row = _file_row(self.logo, self._choose_logo)
        self.docx_template = QLineEdit(str(b.docx_template or ""), placeholderText="optional: your .docx template")
        template_row = _file_row(self.docx_template, self._choose_template)
        template_label = QLabel("&Word template:")
        template_label.setBuddy(self.docx_template)
        self.primary = ColourButton(b.primary_colour, "Primary colour", self._update_preview)
        self.accent = ColourButton(b.accent_colour, "Accent colour", self._update_preview)
        self.contact = QLineEdit(b.contact_line, placeholderText="e.g. advisory@example.com · +44 20 0000 0000")
        self.disclaimer = QPlainTextEdit(b.disclaimer)
        self.disclaimer.setMaximumHeight(self.disclaimer.fontMetrics().lineSpacing() * 7)
        self.disclaimer.setTabChangesFocus(True)
        logo_label = QLabel("&Logo:")
        logo_label.setBuddy(self.logo)
        for text, widget in (("Consultancy &name:", self.name), (logo_label, logo_row), ("&Primary colour:", self.primary),
                             ("&Accent colour:", self.accent), ("&Contact line:", self.contact),
                             ("D&isclaimer:", self.disclaimer), (template_label, template_row)):
            form.addRow(text, widget)
        self.name.setAccessibleName("Consultancy name")
        self.logo.setAccessibleName("Logo file")
        self.docx_template.setAccessibleName("Word report template")
        self.contact.setAccessibleName("Contact line")
        self.disclaimer.setAccessibleName("Disclaimer")
        for widget in (self.name, self.contact):
            widget.textChanged.connect(self._update_preview)
        self.preview = BrandPreview()
        row.addLayout(form, 3)
        row.addWidget(self.preview, 2)
        return page

    def _display_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        display = self.document.assessment.display
        self.currency = QComboBox(editable=False)
        self.currency.addItems(CURRENCIES)
        self.currency.setCurrentText(display.currency)
        # Below the least rate: "no rate given yet", shown as a request for one (never a silent 1.0).
        self.rate = QDoubleSpinBox(decimals=4, minimum=0.0, maximum=100000, specialValueText="enter the rate")
        self.rate.setValue(display.usd_to_currency_rate if display.currency != "USD" else 1.0)
        self.rate_as_of = QLineEdit(display.rate_as_of, placeholderText="YYYY-MM-DD, the day the rate was read")
        self.currency.currentTextChanged.connect(self._on_currency_changed)
        self.currency_problem = styled(QLabel(wordWrap=True, objectName="error", visible=False))
        self.period = QComboBox()
        self.period.addItem("Per month", "monthly")
        self.period.addItem("Per year", "yearly")
        self.period.setCurrentIndex(self.period.findData(display.period))
        self.locale = QComboBox()
        self.locale.addItem(f"System ({locale_label('')})", "")
        for name in DISPLAY_LOCALES:
            self.locale.addItem(locale_label(name), name)
        self.locale.setCurrentIndex(max(self.locale.findData(display.locale), 0))
        for text, widget, name in (("&Currency:", self.currency, "Display currency"),
                                   ("1 USD &equals:", self.rate, "Exchange rate from USD"),
                                   ("Rate &as of:", self.rate_as_of, "Exchange rate date"),
                                   ("Show costs &per:", self.period, "Cost period"),
                                   ("Numbers and &dates:", self.locale, "Display locale")):
            widget.setAccessibleName(name)
            form.addRow(text, widget)
        form.addRow("", self.currency_problem)
        self._on_currency_changed(self.currency.currentText(), initial=True)
        form.addRow(QLabel("Costs are computed in USD; the rate and its date are printed wherever another "
                           "currency is shown. These choices are saved with the assessment.", wordWrap=True))
        return page

    def _on_currency_changed(self, currency: str, initial: bool = False) -> None:
        """Another currency asks for its rate and the rate's date; USD needs neither."""
        usd = currency == "USD"
        self.rate.setEnabled(not usd)
        self.rate_as_of.setEnabled(not usd)
        if usd:
            self.rate.setValue(1.0)
        elif not initial:
            self.rate.setValue(0.0)  # "enter the rate": the previous currency's rate never carries over
            self.rate_as_of.clear()
        self.rate.setSuffix("" if usd else f" {currency}")
        self.currency_problem.hide()

    def currency_problem_text(self) -> str | None:
        """Why the display currency cannot be used yet: a rate and its date are needed for any but USD."""
        from datetime import date
        currency = self.currency.currentText()
        if currency == "USD":
            return None
        if self.rate.value() <= 0:
            return f"Enter how many {currency} one US dollar buys: costs are computed in USD."
        try:
            date.fromisoformat(self.rate_as_of.text().strip())
        except ValueError:
            return "Enter the date the rate was read (YYYY-MM-DD): it is printed beside every converted figure."
        return None

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose logo", str(Path.home()), "Images (*.png *.svg)")
        if path:
            self.logo.setText(path)

    def _choose_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose Word template", str(Path.home()), "Word (*.docx)")
        if path:
            self.docx_template.setText(path)

    def _update_preview(self) -> None:
        self.preview.show_brand(self.name.text() or "—", self.primary.colour, self.accent.colour, self.contact.text())

    def brand_profile(self) -> BrandProfile:
        logo, template = self.logo.text().strip(), self.docx_template.text().strip()
        return self.brand.model_copy(update={
            "docx_template": Path(template) if template else None,
            "consultancy_name": self.name.text().strip() or self.brand.consultancy_name,
            "logo_path": Path(logo) if logo else None, "primary_colour": self.primary.colour,
            "accent_colour": self.accent.colour, "contact_line": self.contact.text().strip(),
            "disclaimer": self.disclaimer.toPlainText().strip()})

    def display_preferences(self) -> DisplayPreferences:
        return DisplayPreferences(currency=self.currency.currentText(), usd_to_currency_rate=self.rate.value(),
                                  rate_as_of=self.rate_as_of.text().strip(), period=self.period.currentData(),
                                  locale=self.locale.currentData())

    def accept(self) -> None:
        from app.storage.brand import save_brand
        problem = self.currency_problem_text()
        if problem:
            self.currency_problem.setText(problem)
            self.currency_problem.show()
            self.tabs.setCurrentWidget(self.display_tab)
            (self.rate if self.rate.value() <= 0 else self.rate_as_of).setFocus()
            return
        try:
            brand = BrandProfile.model_validate(self.brand_profile().model_dump())
            save_brand(brand)
            keep_rendered_logo(brand)
        except (BrandError, ValueError) as error:
            show_error(self, "Brand not saved", error if isinstance(error, BrandError) else
                       BrandError("the brand has a value that cannot be used"))
            return
        self.document.set_display(self.display_preferences())
        super().accept()


def keep_rendered_logo(brand: BrandProfile) -> None:
    """An SVG logo, drawn by QtSvg (CSS, arcs, gradients: the SVG renderer the screen uses) to a
    high-resolution PNG kept beside the saved brand: what every report draws, the command line's too,
    which has no Qt."""
    from app.storage.brand import RENDERED_LOGO_SIDE_PX, read_logo, save_rendered_logo
    if brand.logo_path is None:
        return
    kind, data = read_logo(brand.logo_path)  # checked against the logo bounds before Qt parses it
    if kind != "svg":
        return
    png = render_svg(data, RENDERED_LOGO_SIDE_PX)
    if png is not None:  # Qt cannot draw it: the reports try svglib, and say so if that fails too
        save_rendered_logo(data, png)


def render_svg(data: bytes, side_px: int) -> bytes | None:
    """The SVG as a transparent PNG whose longer side is `side_px`; None if QtSvg cannot read it."""
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        return None
    box = renderer.viewBoxF()
    size = box.size() if not box.isEmpty() else QSizeF(renderer.defaultSize())
    if size.isEmpty():
        return None
    scale = side_px / max(size.width(), size.height())
    image = QImage(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())
