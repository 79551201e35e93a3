"""The main window: File / Edit / View menus with the platform's shortcuts, the document's title, unsaved
marker and lock (password protected), drag-and-drop opening, asking before discarding changes, password
protection and export for sharing, and window state (geometry, splitter, results tab)."""

from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoGroup
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from app import APP_NAME, __version__
from app.domain.errors import AdvisorError, FileConflictError
from app.ui import settings
from app.ui.dialogs.errors import show_error
from app.ui.files.start_banner import StartBanner, example_files, example_labels
from app.ui.widgets.looks import styled

if TYPE_CHECKING:  # the document, its files and the wizard load after the first paint (app/ui/main.py)
    from app.ui.files.document import Document
    from app.ui.workspace import Workspace

# Same as app.storage.assessment_files.FILE_SUFFIX; not imported from there because that module (and
# the crypto it loads) is not needed until a file is opened or saved, and startup time matters.
FILE_SUFFIX = ".llmassess"
FILE_FILTER = f"Assessments (*{FILE_SUFFIX});;All files (*)"
# How often the window looks at its file's lock: another instance taking the file is told within this.
# Looking is a small read; the lock file is rewritten at most once a minute (app/storage/locks.py).
LOCK_CHECK_MS = 2000
DEFAULT_SIZE = QSize(1400, 900)
MINIMUM_SIZE = QSize(960, 600)


def fit_to_screen(geometry: QRect, available: QRect) -> QRect:
    """`geometry` moved and shrunk as little as needed to lie inside the screen's available area (150%
    scaling on a 1920x1080 laptop leaves 1280x690 logical pixels: a 1400x900 window would hide Back/Next)."""
    width, height = min(geometry.width(), available.width()), min(geometry.height(), available.height())
    x = max(available.left(), min(geometry.x(), available.right() + 1 - width))
    y = max(available.top(), min(geometry.y(), available.bottom() + 1 - height))
    return QRect(x, y, width, height)


class MainWindow(QMainWindow):
    first_painted = Signal()
    ready = Signal()  # a document's wizard is on screen and takes input

    def __init__(self, document: Document | None, new_document, parent: QWidget | None = None):
        """`new_document()` makes a fresh Document from the default questionnaire (New, Close). Without a
        document the window shows the start page, built from Qt alone, until set_document() is called."""
        super().__init__(parent)
        self._new_document = new_document
        self._painted = False
        self._ready = False
        self.pdf_export = None  # the export in flight, if any
        self.office_export = None  # the Excel / Word / CSV export in flight, if any
        self.lock = None
        self._told_holder = None  # the other instance's lock token the user was last told about
        self._problems: dict[str, str] = {}  # failing writes by kind (autosave, lock): shown until they work
        self.autosave = None
        self.document: Document | None = None
        self.workspace: Workspace | None = None
        self.banner: StartBanner | None = None
        self.setAcceptDrops(True)
        self.resize(DEFAULT_SIZE)
        self._build_menus()
        self._build_status_bar()
        # Keep this file's lock fresh, so another machine never takes a lock we still hold for stale,
        # and notice at once when another instance takes the file.
        self._lock_timer = QTimer(self, interval=LOCK_CHECK_MS)
        self._lock_timer.timeout.connect(self._refresh_lock)
        self._lock_timer.start()
        if document is not None:
            self.set_document(document)
        else:
            self._show_start_page()
        self._restore_geometry()

    def _show_start_page(self) -> None:
        """What the first paint shows: the examples bar (inactive until the wizard is there) over a word
        that the questionnaire is loading; menus wait for the document too."""
        self.setWindowTitle(APP_NAME)
        self.protection.setVisible(False)
        self.menuBar().setEnabled(False)
        page = QWidget(objectName="startPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = StartBanner(self.open_path, self.open_dialog)
        self.banner.setEnabled(False)  # until the wizard is there; set_document then keeps this one
        layout.addWidget(self.banner)
        layout.addWidget(QLabel("Loading the questionnaire…", objectName="help",
                                alignment=Qt.AlignmentFlag.AlignCenter), 1)
        self.setCentralWidget(page)

    def _refresh_lock(self) -> None:
        if self.lock is None:
            return
        try:
            ours = self.lock.refresh() or self._take_back_lock()
        except OSError as error:  # a full disk: like any failed write, said until it works again
            self.set_problem("lock", f"Cannot refresh the lock on {self.document.display_name} "
                                     f"({error.strerror or error}); retrying.")
            return
        self.set_problem("lock", "")
        if not ours:
            self._tell_taken(self.lock.holder())

    def _take_back_lock(self) -> bool:
        """The lock is not ours: take it again if its holder let go or died; False while another holds it."""
        holder = self.lock.holder()
        return (holder is None or holder.is_stale()) and self.lock.acquire().acquired

    def _tell_taken(self, holder) -> None:
        if holder is None or holder.token == self._told_holder:
            return
        self._told_holder = holder.token
        text = (f"{self.document.display_name} was opened elsewhere too ({holder.describe()}). Saving here "
                "checks whether it was saved from there first, and offers to save a copy instead.")
        self.set_problem("elsewhere", text)
        box = QMessageBox(QMessageBox.Icon.Warning, "File opened elsewhere", text, QMessageBox.StandardButton.Ok,
                          self)
        box.open()  # not modal: the user is told at once, and typing is never blocked by it

    def set_problem(self, kind: str, message: str) -> None:
        """A persistent warning in the status bar while writes of `kind` fail ("" once they work)."""
        if message:
            self._problems[kind] = message
        else:
            self._problems.pop(kind, None)
        self.write_problem.setText(" · ".join(self._problems.values()))
        self.write_problem.setVisible(bool(self._problems))

    # ---------------------------------------------------------------- document
    def set_document(self, document: Document, fresh: bool = True) -> None:
        """Show a document; `fresh` (a new, empty assessment) offers the examples bar."""
        from app.ui.files.recovery import Autosave, warn_if_open_elsewhere
        from app.ui.workspace import Workspace
        old = self.workspace
        if old is not None:
            self._save_workspace_state()
            old.shutdown()
            self.autosave.discard()
            if self.lock is not None:
                self.lock.release()
        self.document = document
        for kind in ("autosave", "lock", "elsewhere"):
            self.set_problem(kind, "")
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        self.lock = warn_if_open_elsewhere(self, document.path) if document.path else None
        self.autosave = Autosave(document, self)
        self.autosave.problem_changed.connect(lambda message: self.set_problem("autosave", message))
        document.modified_changed.connect(self.setWindowModified)
        document.path_changed.connect(self._update_title)
        document.password_changed.connect(self._update_title)
        self.workspace = Workspace(document)
        self._restore_workspace_state()
        self.workspace.view_changed.connect(self._on_view_changed)
        self.workspace.wizard.section_shown.connect(lambda _section: self.autosave.write_now())
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        if self.banner is None:
            self.banner = StartBanner(self.open_path, self.open_dialog)
        self.banner.setEnabled(True)
        self.banner.setVisible(fresh and document.path is None)
        document.changed.connect(self.banner.hide)
        layout.addWidget(self.banner)
        layout.addWidget(self._presenting_bar())
        layout.addWidget(self.workspace, 1)
        self.setCentralWidget(central)
        if self.presenting:  # a new workspace has nothing hidden to show again
            self._apply_presenting()
        self.menuBar().setEnabled(True)
        self.workspace.wizard.focus_first_question()
        if old is not None:
            old.document.deleteLater()
        self.setWindowModified(document.modified)
        self._update_title()
        if self._ready:  # a later document; the first one starts once its wizard is on screen
            self.workspace.start()

    # ---------------------------------------------------------------- presenting
    def _presenting_bar(self) -> QWidget:
        self.present_bar = styled(QLabel("Presenting: consultant notes and guidance are hidden. Press Esc to leave.",
                                         objectName="presentingBar", visible=self.presenting))
        self.present_bar.setAccessibleName("Presenting mode")
        return self.present_bar

    @property
    def presenting(self) -> bool:
        return bool(self.property("presenting"))

    def set_presenting(self, on: bool) -> None:
        """View > Present: larger type, no working marks, a bar that says so; Esc leaves."""
        from app.ui.widgets.presenting import PROPERTY
        if on == self.presenting or self.workspace is None:  # the start page has nothing to present
            return
        self.setProperty(PROPERTY, on)
        self.present_action.setChecked(on)
        self.leave_presenting.setEnabled(on)
        self._apply_presenting()
        self.workspace.presenting_changed()

    def _apply_presenting(self) -> None:
        from app.ui.widgets.presenting import hide_working_marks, present_type
        present_type(self.centralWidget(), self.presenting)
        self.present_bar.setVisible(self.presenting)
        hide_working_marks(self.centralWidget(), self.presenting)

    def _update_title(self) -> None:
        lock = "🔒 " if self.document.protected else ""
        self.setWindowTitle(f"{lock}{self.document.display_name}[*] — {APP_NAME}")
        self.setWindowFilePath(str(self.document.path) if self.document.path else "")
        self.protection.setVisible(self.document.protected)
        if self.document.protected and self.lock_icon.pixmap().isNull():
            from app.ui.files.passwords import lock_pixmap
            self.lock_icon.setPixmap(lock_pixmap(14))

    def _build_status_bar(self) -> None:
        self.write_problem = styled(QLabel(objectName="error", wordWrap=True, visible=False))
        self.write_problem.setAccessibleName("Write problem")
        self.statusBar().addPermanentWidget(self.write_problem, 1)
        self.protection = QWidget()
        row = QHBoxLayout(self.protection)
        row.setContentsMargins(0, 0, 8, 0)
        row.setSpacing(4)
        self.lock_icon = QLabel()  # drawn when first shown: the password dialogs stay off the startup path
        row.addWidget(self.lock_icon)
        row.addWidget(QLabel("Password protected"))
        self.protection.setToolTip("Saved encrypted with its password; autosaved copies are encrypted too. "
                                   "File > Save with Password… changes or removes it.")
        self.protection.setAccessibleName("Password protected")
        self.statusBar().addPermanentWidget(self.protection)

    def maybe_discard(self) -> bool:
        """True when the current document may be replaced or closed (saved, or the user agrees)."""
        if self.document is None or not self.document.modified:
            return True
        answer = QMessageBox.question(
            self, "Unsaved changes", f"Save the changes to {self.document.display_name}?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ---------------------------------------------------------------- file actions
    def new(self) -> None:
        if self.maybe_discard():
            self.set_document(self._new_document())

    def open_dialog(self) -> None:
        if not self.maybe_discard():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open assessment", self._last_folder(), FILE_FILTER)
        if path:
            self.open_path(Path(path), ask=False)

    def open_path(self, path: Path, ask: bool = True) -> bool:
        if ask and not self.maybe_discard():
            return False
        path = Path(path)
        from app.ui.files.document import Document
        from app.ui.files.passwords import load_with_password
        try:
            document = load_with_password(self, "Open protected assessment", f"{path.name} is password protected.",
                                          lambda password: Document.open(path, password))
        except AdvisorError as error:
            show_error(self, "Cannot open the file", error)
            return False
        if document is None:
            return False  # the password was not given: nothing changes
        if Path(path).resolve() not in [p.resolve() for p in example_files()]:
            settings.remember_recent(Path(path))
        else:
            document.path = None  # an example opens as an untitled copy: saving never overwrites it
        self.set_document(document, fresh=False)
        self._rebuild_recent_menu()
        return True

    def save(self) -> bool:
        if self.document.path is None:
            return self.save_as()
        return self._save_to(self.document.path)

    def save_as(self) -> bool:
        path = self._ask_save_path("Save assessment", self.document.display_name)
        return path is not None and self._save_to(path)

    def save_with_password(self) -> bool:
        """Set, change or remove the password, then save. Nothing saved (cancelled, failed): the document
        keeps the protection it had."""
        from app.ui.files.passwords import ProtectDialog
        dialog = ProtectDialog(self.document.display_name, self.document.protected, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        previous = self.document.password
        self.document.set_password(dialog.chosen_password())
        if self.save():
            return True
        self.document.set_password(previous)
        return False

    def export_for_sharing(self) -> bool:
        """Save a copy without the client's identity, contacts and free text to a new file; the open
        document stays as it is."""
        from app.ui.files.sharing import TITLE, save_shared_copy, tell_what_was_removed
        # A neutral name: the document's own name is often the client's, which the shared copy leaves out.
        name = f"shared-assessment-{date.today().isoformat()}"
        path = self._ask_save_path(TITLE, name)
        if path is None:
            return False
        if self.document.path is not None and path.resolve() == self.document.path.resolve():
            show_error(self, TITLE, "The shared copy needs a new file name: it must not replace the open assessment.")
            return False
        try:
            removed = save_shared_copy(self.document.assessment, path)
        except AdvisorError as error:
            show_error(self, "Cannot export", error)
            return False
        tell_what_was_removed(self, path, removed, self.document.protected)
        return True

    def _ask_save_path(self, title: str, name: str) -> Path | None:
        suggested = str(Path(self._last_folder()) / (name.removesuffix(FILE_SUFFIX) + FILE_SUFFIX))
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, FILE_FILTER)
        if not path:
            return None
        return Path(path if path.endswith(FILE_SUFFIX) else path + FILE_SUFFIX)

    def _save_to(self, path: Path, overwrite: bool = False) -> bool:
        if not overwrite and not self._may_replace_read_only(path):
            return False
        from app.ui.files.passwords import busy_cursor
        try:
            with busy_cursor():  # a protected file derives its key first (a fraction of a second)
                self.document.save(path, overwrite=overwrite)
        except FileConflictError:
            return self._resolve_conflict(path)
        except AdvisorError as error:
            show_error(self, "Cannot save", error)
            return False
        if self.lock is not None and self.lock.path != path:  # Save As: the lock follows the file
            self.lock.release()
            self.lock = None
        if self.lock is None:
            from app.ui.files.recovery import warn_if_open_elsewhere
            self.lock = warn_if_open_elsewhere(self, path)
        settings.remember_recent(path)
        self._rebuild_recent_menu()
        protection = " (password protected)" if self.document.protected else ""
        self.statusBar().showMessage(f"Saved {path.name}{protection}", 4000)
        return True

    def _may_replace_read_only(self, path: Path) -> bool:
        """A read-only file (0444) is replaced only when the user says so: the rename would do it silently."""
        try:
            # The mode, not os.access: an administrator may write anything, and is still asked.
            writable = path.stat().st_mode & stat.S_IWUSR and os.access(path, os.W_OK)
        except OSError:
            return True  # no file there (yet): nothing to replace
        if writable:
            return True
        answer = QMessageBox.question(self, "Read-only file", f"{path.name} is read-only. Replace it anyway?",
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _resolve_conflict(self, path: Path) -> bool:
        """The file was saved from elsewhere since it was opened here: save a copy (the default), overwrite
        those changes, or do nothing."""
        box = QMessageBox(QMessageBox.Icon.Warning, "File changed elsewhere",
                          f"{path.name} was saved by another instance or program since you opened it. Saving "
                          "here would overwrite those changes.", QMessageBox.StandardButton.Cancel, self)
        copy = box.addButton("Save a &Copy…", QMessageBox.ButtonRole.AcceptRole)
        overwrite = box.addButton("&Overwrite", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(copy)
        box.exec()
        if box.clickedButton() is copy:
            return self.save_as()
        if box.clickedButton() is overwrite:
            return self._save_to(path, overwrite=True)
        return False

    def close_document(self) -> None:
        if self.maybe_discard():
            self.set_document(self._new_document())

    def export_pdf(self) -> None:
        from app.ui.files.export import export_pdf
        self.pdf_export = export_pdf(self, self.document, self.workspace.evaluator)

    def export_office(self, fmt: str) -> None:
        from app.ui.files.export import export_office
        self.office_export = export_office(self, self.document, self.workspace.evaluator, fmt)

    def print_current_view(self) -> bool:
        from app.ui.dialogs.printing import print_view
        return print_view(self, self.workspace.content.currentWidget())

    def preferences(self) -> None:
        from app.ui.dialogs.preferences import PreferencesDialog
        PreferencesDialog(self.document, self).exec()

    def compare_with(self) -> None:
        from app.ui.results.compare import compare_with
        self.comparison = compare_with(self, self.document, self.workspace.evaluator.catalogs())

    def import_usage(self) -> None:
        from app.ui.dialogs.usage_dialog import UsageImportDialog
        UsageImportDialog(self.document, self.workspace.evaluator.catalogs(), self).exec()

    def catalog_packs(self) -> None:
        from app.ui.files.catalog_packs import CatalogPacksDialog
        CatalogPacksDialog(self, on_imported=self.update_catalogs).exec()

    def _last_folder(self) -> str:
        recent = settings.recent_files()
        return str(recent[0].parent) if recent else str(Path.home())

    # ---------------------------------------------------------------- menus
    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New", self.new, QKeySequence.StandardKey.New)
        self._action(file_menu, "&Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        examples = file_menu.addMenu("Open E&xample")
        paths = example_files()
        for path, label in zip(paths, example_labels(paths)):
            self._action(examples, label, lambda _c=False, p=path: self.open_path(p))
        file_menu.addSeparator()
        self._action(file_menu, "&Save", self.save, QKeySequence.StandardKey.Save)
        self._action(file_menu, "Save &As…", self.save_as, QKeySequence.StandardKey.SaveAs)
        self._action(file_menu, "Save with &Password…", self.save_with_password)
        file_menu.addSeparator()
        export_menu = self.export_menu = file_menu.addMenu("&Export")
        self._action(export_menu, "&Excel model…", lambda: self.export_office("xlsx"))
        self._action(export_menu, "&Word report…", lambda: self.export_office("docx"))
        self._action(export_menu, "&PDF report…", self.export_pdf, "Ctrl+E")
        self._action(export_menu, "&CSV…", lambda: self.export_office("csv"))
        self._action(file_menu, "Export for S&haring…", self.export_for_sharing)
        file_menu.addSeparator()
        self._action(file_menu, "Import &Usage…", self.import_usage)
        self._action(file_menu, "Compare &With…", self.compare_with)
        self._action(file_menu, "Pr&int…", self.print_current_view, QKeySequence.StandardKey.Print)
        file_menu.addSeparator()
        self._action(file_menu, "&Close", self.close_document, QKeySequence.StandardKey.Close)
        quit_action = self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.setObjectName("editMenu")
        self.undo_group = QUndoGroup(self)  # Undo/Redo follow the open document's stack (Document.undo_stack)
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")  # "Undo change to Requests per day"
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        for action, shortcut in ((self.undo_action, QKeySequence.StandardKey.Undo),
                                 (self.redo_action, QKeySequence.StandardKey.Redo)):
            action.setShortcut(QKeySequence(shortcut))
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        prefs = self._action(edit_menu, "&Preferences…", self.preferences, QKeySequence.StandardKey.Preferences)
        prefs.setMenuRole(QAction.MenuRole.PreferencesRole)
        self._action(edit_menu, "Update to Current &Catalogs…", self.update_catalogs)
        self._action(edit_menu, "Catalog Packs and Trusted &Keys…", self.catalog_packs)
        view_menu = self.menuBar().addMenu("&View")
        for number, (key, title) in enumerate((("questions", "&Questions"), ("review", "&Review"),
                                               ("results", "Re&sults"), ("assumptions", "&Assumptions")), 1):
            self._action(view_menu, title, lambda _c=False, k=key: self.workspace.show_view(k), f"Ctrl+{number}")
        view_menu.addSeparator()
        self.present_action = self._action(view_menu, "&Present", lambda on: self.set_presenting(on), "F5")
        self.present_action.setCheckable(True)
        self.present_action.setToolTip("For a shared screen or a projector: hides notes and guidance (Esc leaves)")
        self.leave_presenting = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, enabled=False)
        self.leave_presenting.activated.connect(lambda: self.set_presenting(False))
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&First Meeting Guide", lambda: self.show_help("First meeting"), "F1")
        self._action(help_menu, "&Keyboard Shortcuts", lambda: self.show_help("Shortcuts"))
        self._action(help_menu, "&Glossary", lambda: self.show_help("Glossary"))
        help_menu.addSeparator()
        self._action(help_menu, "&About", self._about)
        self._rebuild_recent_menu()

    def update_catalogs(self) -> bool:
        """Re-baseline: show what moving this assessment onto the app's current catalogs changes, then
        move it only if the user agrees. Until then its results rest on the catalogs it was created with."""
        from app.engine.evaluate import evaluate_core
        from app.engine.rebaseline import compare
        from app.storage.catalogs import load_catalogs, snapshot_of
        evaluator = self.workspace.evaluator
        assessment = self.document.assessment
        try:
            old, new = evaluator.catalogs(), load_catalogs()
            report = compare(old, new, evaluate_core(assessment, old), evaluate_core(assessment, new))
        except AdvisorError as error:
            show_error(self, "Update to current catalogs", error)
            return False
        if report.unchanged:
            QMessageBox.information(self, "Update to current catalogs",
                                    "This assessment already rests on the app's current catalogs.")
            return False
        if not self._confirm_rebaseline(report):
            return False
        self.document.rebaseline(snapshot_of(new))
        evaluator.reload_catalogs()
        self.statusBar().showMessage("Results now rest on the current catalogs.", 8000)
        return True

    def _result_change(self, change) -> str:
        """A re-baselining change (app/engine/rebaseline.py), money in the display currency and locale."""
        from app.domain.evaluation import OPTION_LABELS
        from app.ui.widgets.format import money_format
        from app.ui.results.live_panel import recommendation_label
        if change.subject == "recommendation":
            return f"Recommendation: {recommendation_label(change.old)} → {recommendation_label(change.new)}"
        amount = money_format(self.document.assessment.display).amount
        return f"{OPTION_LABELS[change.subject]}: {amount(change.old)} → {amount(change.new)} per month"

    def _confirm_rebaseline(self, report) -> bool:
        results = "\n".join(self._result_change(c) for c in report.result_changes) or "No change to the recommendation or the monthly costs."
        box = QMessageBox(QMessageBox.Icon.Question, "Update to current catalogs",
                          f"The app's catalogs differ from the ones this assessment rests on.\n\n{results}\n\n"
                          "Move the assessment onto the current catalogs?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        more = [f"... and {report.more_value_changes} more value changes"] if report.more_value_changes else []
        box.setDetailedText("\n".join([*report.versions, *report.value_changes, *more,
                                        f"{report.provenance_changes} source or date updates"]))
        return box.exec() == QMessageBox.StandardButton.Yes

    def open_recent(self, path: Path) -> bool:
        """A recent file that was moved or deleted leaves the list with a word, instead of an error each time."""
        if not path.exists():
            settings.forget_recent(path)
            self._rebuild_recent_menu()
            QMessageBox.information(self, "Open Recent", f"{path} no longer exists; it was removed from the list.")
            return False
        return self.open_path(path)

    def _rebuild_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in settings.recent_files():
            self._action(self.recent_menu, str(path), lambda _c=False, p=path: self.open_recent(p))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def show_help(self, tab: str) -> None:
        from app.ui.dialogs.help import HelpDialog
        self.help_dialog = HelpDialog(self, tab)
        self.help_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.help_dialog.show()  # not modal: the guide can stay open beside the questions

    def _about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME}</b> {__version__}<br>Self-host, use an API, or both? Works offline.")

    def _on_view_changed(self, key: str) -> None:
        self.statusBar().clearMessage()

    # ---------------------------------------------------------------- window events
    def dragEnterEvent(self, event) -> None:
        if any(u.toLocalFile().endswith(FILE_SUFFIX) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.toLocalFile().endswith(FILE_SUFFIX)]
        if paths:
            event.acceptProposedAction()
            # Open after the drop returns: a modal question inside a drop handler confuses some platforms.
            QTimer.singleShot(0, lambda: self.open_path(paths[0]))

    def closeEvent(self, event) -> None:
        if not self.maybe_discard():
            event.ignore()
            return
        if self.workspace is not None:  # closed while the start page was still loading: nothing to keep
            self._save_state()
            self.workspace.shutdown()
            self.autosave.discard()
        if self.lock is not None:
            self.lock.release()
        event.accept()

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() != QEvent.Type.UpdateRequest or self._ready:
            return handled
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
        if self.workspace is not None:  # the first paint with the wizard in it (the first or a later one)
            self._ready = True
            self.ready.emit()
            self.workspace.start()  # the catalog snapshot and the first evaluation, after the wizard is up
        return handled

    def _restore_geometry(self) -> None:
        geometry = settings.app_settings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._fit_screen()

    def _fit_screen(self) -> None:
        """Never larger than the screen it opens on, nor a minimum size the screen cannot give."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        self.setMinimumSize(MINIMUM_SIZE.boundedTo(available.size()))
        if self.isMaximized() or self.isFullScreen():
            return
        fitted = fit_to_screen(QRect(self.pos(), self.size()), available)
        self.move(fitted.topLeft())
        self.resize(fitted.size())

    def _restore_workspace_state(self) -> None:
        store = settings.app_settings()
        splitter = store.value("window/splitter")
        if splitter is not None:
            self.workspace.restoreState(splitter)
        self.workspace.results_tab = store.value("results/tab", 0, type=int)

    def _save_workspace_state(self) -> None:
        store = settings.app_settings()
        store.setValue("window/splitter", self.workspace.saveState())
        store.setValue("results/tab", self.workspace.results_tab)

    def _save_state(self) -> None:
        settings.app_settings().setValue("window/geometry", self.saveGeometry())
        self._save_workspace_state()

