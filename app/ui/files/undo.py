"""Undo and redo for the Document: each edit is recorded as what one region of the assessment held before
and after it (one answer, the use cases, the assumption overrides, the display settings), so undo puts the
region back exactly, whatever the edit was. Typing in one field merges into one entry."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic import TypeAdapter
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.domain.assessment import Answer, AssumptionOverride, DisplayPreferences, Scenario, Workload

if TYPE_CHECKING:
    from app.ui.files.document import Document

UNDO_LIMIT = 500  # entries; typing merges, so this is hundreds of separate edits
_MERGE_ID = 1  # QUndoStack only offers a merge between commands of one id; mergeWith checks the key


# Snapshots are kept as JSON text: compact, immutable, and free of references to Python objects (the soak
# test counts references to None; a stack of model copies would grow that count with every entry).
_WORKLOADS = TypeAdapter(list[Workload])
_OVERRIDES = TypeAdapter(dict[str, AssumptionOverride])
_SCENARIOS = TypeAdapter(list[Scenario])


class Region:
    """Where an edit lands; reads and writes that part of the document and says it changed."""

    def __init__(self, kind: str, question_id: str = "", workload_id: str | None = None):
        # "" rather than None for the organisation: entries hold no references to None (see above).
        self.kind, self.question_id, self._workload_id = kind, question_id, workload_id or ""

    @property
    def workload_id(self) -> str | None:
        return self._workload_id or None

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.question_id}/{self._workload_id}"

    def read(self, document: "Document") -> str:
        assessment = document.assessment
        if self.kind == "answer":
            answer = document.answer(self.question_id, self.workload_id)
            return "" if answer is None else answer.model_dump_json()
        if self.kind == "workloads":
            return _WORKLOADS.dump_json(assessment.workloads).decode()
        if self.kind == "overrides":
            return _OVERRIDES.dump_json(assessment.assumption_overrides).decode()
        if self.kind == "scenarios":
            return _SCENARIOS.dump_json(assessment.scenarios).decode()
        return assessment.display.model_dump_json()

    def write(self, document: "Document", state: str) -> None:
        assessment = document.assessment
        if self.kind == "answer":
            store = assessment.answer_store(self.question_id, document.workload(self.workload_id))
            if state:
                store[self.question_id] = Answer.model_validate_json(state)
            else:
                store.pop(self.question_id, None)
            document.answer_changed.emit(self.question_id, self.workload_id)
            document.answer_restored.emit(self.question_id, self.workload_id)
        elif self.kind == "workloads":
            assessment.workloads = _WORKLOADS.validate_json(state)
            document.workloads_changed.emit()
        elif self.kind == "overrides":
            assessment.assumption_overrides = _OVERRIDES.validate_json(state)
        elif self.kind == "scenarios":
            assessment.scenarios = _SCENARIOS.validate_json(state)
        else:
            assessment.display = DisplayPreferences.model_validate_json(state)
            document.display_changed.emit()
        document.set_modified(True)
        document.changed.emit()


class Change(QUndoCommand):
    """One entry: the region's state before and after. The first redo is the edit itself, already done."""

    def __init__(self, document: "Document", region: Region, before: str, after: str, text: str, merge: str = ""):
        super().__init__(text)
        self.document, self.region, self.before, self.after = document, region, before, after
        self.merge_key = f"{region.key}/{merge}" if merge else ""
        self._done = True

    def id(self) -> int:
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, Change) or not self.merge_key or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        self.setObsolete(self.after == self.before)  # typed back to where it was: no entry at all
        return True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self.region.write(self.document, self.after)

    def undo(self) -> None:
        self.region.write(self.document, self.before)


def undoable(describe: Callable[..., tuple[Region, str, str]]):
    """Records a Document mutator's edit on the document's undo stack. `describe(document, *args, **kwargs)`
    gives the region it edits, the entry's text ("change to Requests per day") and a merge kind ("" for none).
    Nested mutators (set_value calls update_answer) record once, as the outermost."""

    def wrap(mutator):
        @functools.wraps(mutator)
        def recorded(document: "Document", *args, **kwargs):
            if document._recording:
                return mutator(document, *args, **kwargs)
            region, text, merge = describe(document, *args, **kwargs)
            before = region.read(document)
            document._recording = True
            try:
                result = mutator(document, *args, **kwargs)
            finally:
                document._recording = False
            after = region.read(document)
            if after != before and not _merged_into_top(document.undo_stack, region, merge, after):
                document.undo_stack.push(Change(document, region, before, after, text, merge))
            return result
        return recorded
    return wrap


def _merged_into_top(stack: QUndoStack, region: Region, merge: str, after: str) -> bool:
    """Typing merges into the entry on top here, as QUndoStack.push would, but without a new command per
    keystroke: a command that push merges away is deleted by Qt while its Python object lives on (measured:
    every merged command stays alive), so a long session would pile them up. The same conditions as Qt's:
    same merge key, nothing to redo, not across the saved state. Typing back to where the entry started
    goes through push, which drops the emptied entry."""
    key = f"{region.key}/{merge}" if merge else ""
    index = stack.index()
    if not key or index == 0 or index != stack.count() or index == stack.cleanIndex():
        return False
    top = stack.command(index - 1)
    if not isinstance(top, Change) or top.merge_key != key or after == top.before:
        return False
    top.after = after
    return True


_ANSWER_FIELDS = (("note", "note on"), ("review", "review flag on"), ("confidence", "confidence in"))


def answer_edit(_document: "Document", question, workload_id, *_value, **changes) -> tuple[Region, str, str]:
    """'change to Requests per day', merged while typing; notes, flags and confidence have entries of their
    own, and Unknown / Not applicable never merge into the typing before them."""
    region = Region("answer", question.id, workload_id)
    for field, words in _ANSWER_FIELDS:
        if field in changes:
            return region, f"{words} {question.label}", field
    return region, f"change to {question.label}", "" if "status" in changes else "value"


def workloads_edit(words: str) -> Callable[..., tuple[Region, str, str]]:
    def describe(document: "Document", workload_id_or_name: str, *rest, **_kwargs) -> tuple[Region, str, str]:
        names = {w.id: w.name for w in document.assessment.workloads}
        name = names.get(workload_id_or_name, workload_id_or_name)
        merge = "rename" if words == "rename of use case" else ""
        return Region("workloads"), f"{words} {name}", merge and f"{merge}:{workload_id_or_name}"
    return describe


def override_edit(words: str) -> Callable[..., tuple[Region, str, str]]:
    def describe(_document: "Document", assumption_id: str, *_rest, **_kwargs) -> tuple[Region, str, str]:
        return Region("overrides"), f"{words} {assumption_id.replace('_', ' ')}", ""
    return describe


def scenarios_edit(_document: "Document", words: str, _scenarios) -> tuple[Region, str, str]:
    return Region("scenarios"), words, ""


def display_edit(_document: "Document", _display) -> tuple[Region, str, str]:
    return Region("display"), "display settings", ""
