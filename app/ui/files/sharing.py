"""File > Export for Sharing…: a copy for a peer review or a vendor quote, made by
app.storage.assessment_files.export_for_sharing (no client identity, contacts, free text or notes), saved to
a new file; and, for the user, what was taken out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.domain.assessment import Answer, Assessment

TITLE = "Export for Sharing"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _answer_scopes(assessment: Assessment) -> list[dict[str, Answer]]:
    return [assessment.organisation_answers] + [w.answers for w in assessment.workloads]


def removed_items(original: Assessment, shared: Assessment) -> list[str]:
    """What the shared copy no longer holds, in words (the copy keeps its workloads in order)."""
    questions = original.questionnaire.questions_by_id
    removed = {question_id for before, after in zip(_answer_scopes(original), _answer_scopes(shared))
               for question_id in before.keys() - after.keys()}
    notes = sum(bool(a.note) for scope in _answer_scopes(original) for a in scope.values())
    reasons = sum(bool(o.reason) for o in original.assumption_overrides.values())
    items = []
    if removed:
        items.append("the answers to " + ", ".join(sorted(questions[q].label for q in removed if q in questions)))
    if notes:
        items.append(_plural(notes, "note"))
    if reasons:
        items.append(f"the {_plural(reasons, 'reason')} given for overridden assumptions (the values stay)")
    if [w.name for w in original.workloads] != [w.name for w in shared.workloads]:
        items.append("the use-case names (now “Workload 1”, “Workload 2”, …)")
    items.append("the title and the id that links the copy to this assessment")
    return items


def save_shared_copy(assessment: Assessment, path: Path) -> list[str]:
    """Write the shared copy (unencrypted: it is meant to be passed on); returns what it left out."""
    from app.storage.assessment_files import export_for_sharing, save_assessment
    shared = export_for_sharing(assessment)
    save_assessment(shared, path)
    return removed_items(assessment, shared)


def tell_what_was_removed(parent: QWidget, path: Path, removed: list[str], protected: bool) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, TITLE, f"Saved {path.name}, a copy to share. Removed from it:",
                      QMessageBox.StandardButton.Ok, parent)
    unchanged = "The open assessment is unchanged." + (" The copy is not password protected." if protected else "")
    box.setInformativeText("\n".join(f"• {item}" for item in removed) + "\n\n" + unchanged)
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 440px; }")  # a list reads badly narrow
    box.exec()
