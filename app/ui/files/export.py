"""File > Export: the PDF report, the Excel model, the Word report and CSV files, each built on a worker
thread (QThreadPool) while a progress dialog keeps the window responsive.

Export PDF: the report (app.report.pdf, the same code as `llm-advisor report`) is built on a worker
thread while a progress dialog keeps the window responsive; afterwards the file or its folder can be
opened. The PDF of a password-protected document is protected too (a PDF user password: it cannot be
read without it), with the document's password or a new one; plain only when the consultant says so.
The Excel model and Word report (app.report.exports, the same code as `llm-advisor export`) of a protected
document are Office-encrypted the same way; CSV cannot be, so it is written only when the consultant says so."""

from __future__ import annotations

import importlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QMessageBox,
                               QProgressDialog, QRadioButton, QVBoxLayout, QWidget)

from app.domain.errors import AdvisorError
from app.ui.dialogs.errors import show_error
from app.ui.files.passwords import password_field
from app.ui.widgets.looks import styled

log = logging.getLogger(__name__)


def report_module():
    try:
        return importlib.import_module("app.report.pdf")
    except ModuleNotFoundError as error:
        if error.name != "app.report.pdf":
            raise
        return None


class _Done(QObject):
    progress = Signal(int, str)  # percent, what it is doing
    finished = Signal(str, str)  # output path, error text ("" when it worked)


class _ExportRun(QRunnable):
    """One export job on a pool thread: `job(progress)` writes the file; its outcome goes to the relay."""

    def __init__(self, job, out_path: Path, relay: _Done, what: str):
        super().__init__()
        self.job, self.out_path, self.relay, self.what = job, out_path, relay, what

    def _progress(self, fraction: float, message: str) -> None:
        self.relay.progress.emit(round(fraction * 100), message)

    def run(self) -> None:
        try:
            self.job(self._progress)
            self.relay.finished.emit(str(self.out_path), "")
        except AdvisorError as error:
            self.relay.finished.emit(str(self.out_path), str(error))
        except Exception as error:
            log.exception("%s export failed", self.what)
            self.relay.finished.emit(str(self.out_path), f"The {self.what} could not be written ({type(error).__name__}).")


def _pdf_job(assessment, catalogs, out_path: Path, password: str | None):
    def job(progress) -> None:
        from app.engine.evaluate import evaluate
        from app.ui.results.results import current_brand
        evaluation = evaluate(assessment, catalogs)  # the report and its figures from one run
        report_module().build_report(assessment, evaluation, current_brand(), out_path, password=password,
                                     progress=progress, catalogs=catalogs)
    return job


def _office_job(assessment, catalogs, fmt: str, out_path: Path, password: str | None):
    def job(progress) -> None:
        from app.report.exports import export
        from app.ui.results.results import current_brand
        progress(0.1, "Evaluating and writing")
        export(assessment, catalogs, fmt, out_path, current_brand(), password=password, plain_csv_ok=True)
    return job


class BackgroundExport(QObject):
    """One export in flight on a pool thread (the window stays responsive): progress, then the outcome."""

    finished = Signal(str, str)

    def __init__(self, parent: QWidget, title: str, job, out_path: Path, what: str = "report"):
        super().__init__(parent)
        self.parent_widget, self.title = parent, title
        self.progress = QProgressDialog(f"Writing the {what}…", "", 0, 100, parent)
        self.progress.setCancelButton(None)
        self.progress.setWindowTitle(title)
        self.progress.setMinimumDuration(300)
        self.relay = _Done(self)
        self.relay.progress.connect(self._on_progress)
        self.relay.finished.connect(self._on_finished)
        self.pool = QThreadPool(self)
        self.pool.start(_ExportRun(job, out_path, self.relay, what))

    def _on_progress(self, percent: int, message: str) -> None:
        self.progress.setValue(percent)
        self.progress.setLabelText(message + "…")

    def _on_finished(self, path: str, error: str) -> None:
        self.progress.reset()
        self.finished.emit(path, error)
        if error:
            show_error(self.parent_widget, self.title, error)
        else:
            offer_to_open(self.parent_widget, Path(path), self.title)
        self.deleteLater()

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)


class PdfExport(BackgroundExport):
    """The PDF report in the background."""

    def __init__(self, parent: QWidget, assessment, catalogs, out_path: Path, password: str | None = None):
        super().__init__(parent, "Export PDF", _pdf_job(assessment.model_copy(deep=True), catalogs, out_path,
                                                        password), out_path)


def offer_to_open(parent: QWidget, path: Path, title: str = "Export PDF") -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, f"The report was saved as {path.name}.",
                      QMessageBox.StandardButton.Close, parent)
    open_file = box.addButton("Open &report", QMessageBox.ButtonRole.AcceptRole)
    open_folder = box.addButton("Open &folder", QMessageBox.ButtonRole.ActionRole)
    box.exec()
    if box.clickedButton() is open_file:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


class PdfProtectionDialog(QDialog):
    """Export PDF of a protected document: the same password (the default), a new one, or, chosen on
    purpose, a plain PDF."""

    def __init__(self, name: str, parent: QWidget | None = None, what: str = "PDF"):
        super().__init__(parent)
        self.setWindowTitle(f"Protect the {what}")
        self.same = QRadioButton(f"With the &password of {name}", checked=True)
        self.new = QRadioButton("With a &new password")
        self.plain = QRadioButton("&Unprotected: anyone with the file can read the client's answers")
        self.password, self.confirm = password_field("New password"), password_field("Confirm password")
        self.problem = styled(QLabel(wordWrap=True, objectName="error"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{name} is password protected, so its report is too, unless you choose "
                                "otherwise.", wordWrap=True))
        form = QFormLayout()
        form.addRow("New password:", self.password)
        form.addRow("Confirm:", self.confirm)
        for widget in (self.same, self.new):
            layout.addWidget(widget)
        layout.addLayout(form)
        for widget in (self.plain, self.problem, self.buttons):
            layout.addWidget(widget)
        for signal in (self.same.toggled, self.new.toggled, self.plain.toggled, self.password.textChanged,
                       self.confirm.textChanged):
            signal.connect(self._update)
        self._update()

    def _update(self) -> None:
        for field in (self.password, self.confirm):
            field.setEnabled(self.new.isChecked())
        typed, confirmed = self.password.text(), self.confirm.text()
        differ = self.new.isChecked() and bool(confirmed) and typed != confirmed
        self.problem.setText("The two passwords differ." if differ else "")
        ready = not self.new.isChecked() or (bool(typed) and typed == confirmed)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def chosen_password(self, document_password: str) -> str | None:
        if self.plain.isChecked():
            return None
        return self.password.text() if self.new.isChecked() else document_password


def pdf_password(window, document, what: str = "PDF") -> tuple[bool, str | None]:
    """(go ahead, the PDF's password). A plain document's PDF is plain; a protected one's is asked."""
    if not document.protected:
        return True, None
    dialog = PdfProtectionDialog(document.display_name, window, what)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False, None
    return True, dialog.chosen_password(document.password)


def export_pdf(window, document, evaluator) -> PdfExport | None:
    if report_module() is None:
        show_error(window, "Export PDF", "The PDF report is not available in this build.")
        return None
    go_ahead, password = pdf_password(window, document)
    if not go_ahead:
        return None
    suggested = Path(document.path or Path.home() / "report").with_suffix(".pdf")
    path, _ = QFileDialog.getSaveFileName(window, "Export PDF", str(suggested), "PDF (*.pdf)")
    if not path:
        return None
    return PdfExport(window, document.assessment, evaluator.catalogs(), Path(path), password)


OFFICE_FORMATS = {"xlsx": ("Export Excel model", "Excel model", "Excel workbook (*.xlsx)"),
                  "docx": ("Export Word report", "Word report", "Word document (*.docx)"),
                  "csv": ("Export CSV", "CSV files", "")}


def _office_password(window, document, fmt: str) -> tuple[bool, str | None]:
    """XLSX and DOCX of a protected document are Office-encrypted (asked as for the PDF); CSV cannot be,
    so it is written only when the consultant says so."""
    if fmt != "csv":
        return pdf_password(window, document, "Excel model" if fmt == "xlsx" else "Word report")
    if not document.protected:
        return True, None
    answer = QMessageBox.question(window, "Export CSV", f"{document.display_name} is password protected, and CSV "
                                  "files cannot be encrypted: anyone with them can read the client's figures. "
                                  "Write plain CSV files?")
    return answer == QMessageBox.StandardButton.Yes, None


def export_office(window, document, evaluator, fmt: str) -> BackgroundExport | None:
    """File > Export > Excel model / Word report / CSV, in the background."""
    title, what, file_filter = OFFICE_FORMATS[fmt]
    go_ahead, password = _office_password(window, document, fmt)
    if not go_ahead:
        return None
    base = Path(document.path or Path.home() / "report")
    if fmt == "csv":
        folder = QFileDialog.getExistingDirectory(window, title, str(base.parent))
        if not folder:
            return None
        path = str(Path(folder) / f"{base.stem}-csv")
    else:
        path, _ = QFileDialog.getSaveFileName(window, title, str(base.with_suffix("." + fmt)), file_filter)
        if not path:
            return None
    job = _office_job(document.assessment.model_copy(deep=True), evaluator.catalogs(), fmt, Path(path), password)
    return BackgroundExport(window, title, job, Path(path), what)
