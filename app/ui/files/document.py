"""The open document: one Assessment (the single home of every answer), its file path and its unsaved
state. Widgets never keep answers of their own; they read from and write to this object, so moving
between pages, workloads or views can never lose anything."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.domain.assessment import (Answer, AnswerStatus, Assessment, AssumptionOverride, DisplayPreferences,
                                   Scenario, Workload)
from app.domain.questionnaire import Question
from app.ui.files.undo import UNDO_LIMIT, answer_edit, display_edit, override_edit, scenarios_edit, undoable, workloads_edit


class Document(QObject):
    changed = Signal()  # any edit (answers, workloads, overrides, display)
    answer_changed = Signal(str, object)  # question id, workload id or None
    workloads_changed = Signal()
    display_changed = Signal()  # currency, period or locale: everything shown is re-formatted
    answer_restored = Signal(str, object)  # undo/redo put an answer back: editors show it again
    modified_changed = Signal(bool)
    path_changed = Signal()
    password_changed = Signal()  # set, changed or removed: saves and autosaves are sealed with it from now on
    about_to_save = Signal(str)  # the revision the file is about to have: the journal records it first
    saved = Signal()  # after every save, modified or not: the file has a new revision

    def __init__(self, assessment: Assessment, path: Path | None = None, parent: QObject | None = None, *,
                 password: str | None = None, key: str | None = None, revision: str | None = None):
        """`password`: the file's, kept in memory only (never in settings or logs) for later saves and
        the autosave journal. `key`: names this open document's autosave journal (a recovered document
        keeps its journal's). `revision`: the revision of `path` this document was loaded from; a save
        over a file that has another one since is a conflict (FileConflictError)."""
        super().__init__(parent)
        self.assessment = assessment
        self.path = Path(path) if path else None
        self.password = password
        self.key = key or uuid.uuid4().hex
        self.revision = revision
        self._modified = False
        self.undo_stack = QUndoStack(self)  # every edit below is recorded on it (app.ui.files.undo)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self._recording = False

    # ---------------------------------------------------------------- files
    @classmethod
    def open(cls, path: Path, password: str | None = None, parent: QObject | None = None) -> "Document":
        """PasswordRequiredError when the file is protected and no password was given."""
        from app.storage.assessment_files import open_assessment  # not needed for the first page
        assessment, revision = open_assessment(Path(path), password)
        return cls(assessment, Path(path), parent, password=password, revision=revision)

    def save(self, path: Path | None = None, *, overwrite: bool = False) -> None:
        """Save to `path` (default: the document's own file). Saving over the document's own file checks
        that nobody saved it since it was loaded (FileConflictError), unless `overwrite`."""
        target = Path(path) if path else self.path
        if target is None:
            raise ValueError("no file name to save to")
        from app.storage.assessment_files import ANY_REVISION, save_revision
        own_file = self.path is not None and target == self.path and not overwrite
        self.assessment, self.revision = save_revision(
            self.assessment, target, password=self.password,
            expected_revision=self.revision if own_file else ANY_REVISION, before_write=self.about_to_save.emit)
        self.set_modified(False)  # first: the autosave clears its journal before it follows a new name
        self.saved.emit()
        if target != self.path:
            self.path = target
            self.path_changed.emit()

    @property
    def protected(self) -> bool:
        return self.password is not None

    def set_password(self, password: str | None) -> None:
        """None removes the protection from the next save on."""
        if password != self.password:
            self.password = password
            self.password_changed.emit()

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    @property
    def modified(self) -> bool:
        return self._modified

    def set_modified(self, modified: bool) -> None:
        if modified != self._modified:
            self._modified = modified
            self.modified_changed.emit(modified)

    def _touched(self) -> None:
        self.set_modified(True)
        self.changed.emit()

    def rebaseline(self, snapshot: dict) -> None:
        """Move the assessment onto other catalogs (the user has seen what changes)."""
        self.assessment.catalog_snapshot = snapshot
        self._touched()

    # ---------------------------------------------------------------- answers
    def workload(self, workload_id: str | None) -> Workload | None:
        return None if workload_id is None else self.assessment.workload(workload_id)

    def answer(self, question_id: str, workload_id: str | None) -> Answer | None:
        store = self.assessment.answer_store(question_id, self.workload(workload_id))
        return store.get(question_id)

    @undoable(answer_edit)
    def update_answer(self, question: Question, workload_id: str | None, **changes) -> None:
        """Apply field changes (value, status, note, confidence, review) to one answer."""
        store = self.assessment.answer_store(question.id, self.workload(workload_id))
        current = store.get(question.id) or Answer()
        updated = current.model_copy(update=changes)
        if updated == current:
            return
        if updated.is_empty:
            store.pop(question.id, None)
        else:
            store[question.id] = updated
        self.answer_changed.emit(question.id, workload_id)
        self._touched()

    @undoable(answer_edit)
    def set_value(self, question: Question, workload_id: str | None, value) -> None:
        self.update_answer(question, workload_id, value=value, status=AnswerStatus.ANSWERED)

    # ---------------------------------------------------------------- workloads
    @undoable(workloads_edit("addition of use case"))
    def add_workload(self, name: str) -> Workload:
        workload = Workload(name=name)
        self.assessment.workloads.append(workload)
        self._workloads_edited()
        return workload

    @undoable(workloads_edit("rename of use case"))
    def rename_workload(self, workload_id: str, name: str) -> None:
        self.assessment.workload(workload_id).name = name
        self._workloads_edited()

    @undoable(workloads_edit("duplicate of use case"))
    def duplicate_workload(self, workload_id: str, name: str) -> Workload:
        source = self.assessment.workload(workload_id)
        copy = Workload(name=name, answers={k: v.model_copy() for k, v in source.answers.items()})
        index = self.assessment.workloads.index(source)
        self.assessment.workloads.insert(index + 1, copy)
        self._workloads_edited()
        return copy

    @undoable(workloads_edit("removal of use case"))
    def remove_workload(self, workload_id: str) -> None:
        if len(self.assessment.workloads) <= 1:
            raise ValueError("an assessment keeps at least one use case")
        self.assessment.workloads.remove(self.assessment.workload(workload_id))
        self._workloads_edited()

    def _workloads_edited(self) -> None:
        self.workloads_changed.emit()
        self._touched()

    # ---------------------------------------------------------------- assumptions and display
    @undoable(override_edit("change to assumption"))
    def override_assumption(self, assumption_id: str, value: float, reason: str) -> None:
        self.assessment.assumption_overrides[assumption_id] = AssumptionOverride(value=value, reason=reason)
        self._touched()

    @undoable(override_edit("reset of assumption"))
    def reset_assumption(self, assumption_id: str) -> None:
        if self.assessment.assumption_overrides.pop(assumption_id, None) is not None:
            self._touched()

    @undoable(scenarios_edit)
    def set_scenarios(self, words: str, scenarios: list[Scenario]) -> None:
        """Replace the what-if scenarios (an addition, an edit, a removal); `words` name the edit for Undo."""
        if scenarios != self.assessment.scenarios:
            self.assessment.scenarios = list(scenarios)
            self._touched()

    @undoable(display_edit)
    def set_display(self, display: DisplayPreferences) -> None:
        if display != self.assessment.display:
            self.assessment.display = display
            self._touched()
            self.display_changed.emit()
