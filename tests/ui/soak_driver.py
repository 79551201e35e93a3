"""The soak run of the real wizard (issue 11), in a process of its own: tens of thousands of edits through
the real widgets, then a check that the document holds exactly what was typed. Run by tests/ui/test_soak.py;
prints one JSON line of figures. Usage: python tests/ui/soak_driver.py EDITS SEED"""

from __future__ import annotations

import gc
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox  # noqa: E402

from app.ui.main import build_window, make_application  # noqa: E402

ORG_TEXT = ("organisation", "client_name")
ORG_NUMBER = ("spend", "horizon_months")
MIN_USE_CASES, MAX_USE_CASES = 3, 8
WARM_UP_EDITS = int(os.environ.get("SOAK_WARM_UP_EDITS", "3000"))
WORKLOAD_NUMBERS = ("volume", ("input_tokens", "output_tokens", "peak_to_average"))
LETTERS = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ-&<>"


class Soak:
    """Drives one window and keeps the answers it expects the document to hold."""

    def __init__(self, window, seed: int):
        self.window = window
        self.workspace = window.workspace
        self.document = window.document
        self.random = random.Random(seed)
        self.expected: dict[tuple[str | None, str], object] = {}  # (workload id, question) -> value
        self.notes: dict[tuple[str | None, str], str] = {}
        self.flags: dict[tuple[str | None, str], bool] = {}
        self.edits = 0
        self.names = 0
        QInputDialog.getText = self._name  # the use-case name dialog answers at once
        QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Yes

    def _name(self, *args, **kwargs):
        self.names += 1
        return f"Use case {self.names}", True

    # ------------------------------------------------------------------ where
    def current(self) -> str:
        return self.workspace.wizard.workload_bar.current_id()

    def editor(self, section: str, question: str):
        self.workspace.show_section(section)
        return self.workspace.wizard.current_page.editor_for(question)

    # ------------------------------------------------------------------ edits
    def type_text(self) -> None:
        line = self.editor("engagement", "client_name").input.line
        line.setFocus()
        if len(line.text()) > 60:
            line.selectAll()
            QTest.keyClick(line, Qt.Key.Key_Delete)
            self.edits += 1
        for char in self.random.choices(LETTERS, k=self.random.randint(5, 30)):
            QTest.keyClick(line, char)
            self.edits += 1
        self.expected[(None, "client_name")] = line.text().strip() or None

    def type_number(self, workload: bool = True, question: str | None = None) -> None:
        if workload:
            question = question or self.random.choice(WORKLOAD_NUMBERS[1])
            editor = self.editor(WORKLOAD_NUMBERS[0], question)
            key = (self.current(), question)
        else:
            editor = self.editor(*ORG_NUMBER)
            key = (None, ORG_NUMBER[1])
        line = editor.input.line
        line.setFocus()
        line.selectAll()
        QTest.keyClick(line, Qt.Key.Key_Delete)
        value = self.random.randint(int(editor.question.min), int(min(editor.question.max, 5000)))
        QTest.keyClicks(line, str(value))
        self.edits += 1 + len(str(value))
        self.expected[key] = value

    def note_and_flag(self) -> None:
        editor = self.editor("volume", "input_tokens")
        key = (self.current(), "input_tokens")
        editor.note_action.trigger()
        for char in self.random.choices(LETTERS, k=8):
            QTest.keyClick(editor.note, char)
            self.edits += 1
        self.notes[key] = editor.note.toPlainText()
        editor.flag.click()
        self.edits += 1
        self.flags[key] = editor.flag.isChecked()

    def switch(self) -> None:
        sections = [s.id for s in self.document.assessment.questionnaire.sections]
        self.workspace.show_section(self.random.choice(sections))
        workloads = self.document.assessment.workloads
        self.workspace.wizard.workload_bar.select(self.random.choice(workloads).id)
        self.edits += 2

    def change_use_cases(self) -> None:
        """Add, duplicate or remove, keeping between MIN_USE_CASES and MAX_USE_CASES."""
        count = len(self.document.assessment.workloads)
        action = self.random.choice(("add", "duplicate", "remove"))
        if count >= MAX_USE_CASES or (action == "remove" and count > MIN_USE_CASES):
            self.remove_current()
        elif action == "duplicate":
            self.duplicate_current()
        else:
            self.workspace.wizard.workload_bar.add()
        self.edits += 1

    def remove_current(self) -> None:
        removed = self.current()
        self.workspace.wizard.workload_bar.remove()
        for table in (self.expected, self.notes, self.flags):
            for key in [k for k in table if k[0] == removed]:
                del table[key]

    def duplicate_current(self) -> None:
        source = self.current()
        self.workspace.wizard.workload_bar.duplicate()
        copy = self.current()
        for table in (self.expected, self.notes, self.flags):
            for key in [k for k in table if k[0] == source]:
                table[(copy, key[1])] = table[key]

    def settle(self) -> None:
        """The same shape of document as at the start: MIN_USE_CASES use cases, each with every soaked
        answer, note and flag set, so what the document holds refers to None as often as it did then."""
        while len(self.document.assessment.workloads) > MIN_USE_CASES:
            self.remove_current()
        while len(self.document.assessment.workloads) < MIN_USE_CASES:
            self.workspace.wizard.workload_bar.add()
        for workload in self.document.assessment.workloads:
            self.workspace.wizard.workload_bar.select(workload.id)
            for question in WORKLOAD_NUMBERS[1]:
                self.type_number(question=question)
            if not self.notes.get((workload.id, "input_tokens")):
                self.note_and_flag()
            if not self.flags.get((workload.id, "input_tokens")):
                self.editor("volume", "input_tokens").flag.click()
                self.flags[(workload.id, "input_tokens")] = True
        self.type_number(workload=False)
        self.type_text()
        for section in self.document.assessment.questionnaire.sections:  # every page is built by now
            self.workspace.show_section(section.id)
        self.results()
        self.tick()

    def tick(self) -> None:
        """What the timers do while a person types: autosave, the live panel."""
        self.window.autosave.write_now()
        QApplication.processEvents()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as the running event loop does

    def results(self) -> None:
        self.workspace.show_view("results")
        self.workspace.evaluator.run_full_now()
        self.workspace.evaluator.wait()
        QApplication.processEvents()
        self.workspace.show_section("engagement")

    # ------------------------------------------------------------------ check
    def mismatches(self) -> list[str]:
        workloads = self.document.assessment.workloads
        found = []
        for table, field in ((self.expected, "value"), (self.notes, "note"), (self.flags, "review")):
            for (workload_id, question), wanted in table.items():
                answer = self.document.answer(question, workload_id)
                got = getattr(answer, field) if answer else None
                if got != wanted and not (field == "review" and not wanted and got in (None, False)):
                    found.append(f"{workload_id}/{question}.{field}: wanted {wanted!r}, got {got!r}")
        if {w.id for w in workloads} < {k[0] for k in self.expected if k[0]}:
            found.append("answers expected for a use case the document no longer has")
        return found


def rss_mib() -> float:
    """Resident memory now (Linux /proc; 0 elsewhere, where the growth check then always passes)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return 0.0


def none_references(window) -> int:
    """References to None once deferred deletions and cyclic garbage (collected on a timer) are gone, and
    with the sizing caches emptied: they are bounded (tests/ui/test_soak.py checks the bound), and how
    full they happen to be says nothing about growth."""
    window.workspace.evaluator.wait()
    window.workspace.evaluator.clear_sizing_caches()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()
    gc.collect()
    return sys.getrefcount(None)


def run_edits(driver: Soak, edits: int) -> None:
    steps = (driver.type_text, driver.type_text, driver.type_number, driver.switch, driver.note_and_flag,
             driver.change_use_cases)
    rounds, stop = 0, driver.edits + edits
    while driver.edits < stop:
        step = driver.random.choice(steps)
        step(workload=driver.random.random() < 0.7) if step == driver.type_number else step()
        rounds += 1
        if rounds % 5 == 0:
            driver.tick()
        if rounds % 400 == 0:
            driver.results()
    driver.settle()


def main(edits_wanted: int, seed: int) -> int:
    make_application()
    window = build_window(None)
    window.resize(1400, 900)
    window.show()
    QApplication.processEvents()
    driver = Soak(window, seed)
    driver.settle()
    # Warm up: every page, widget and lazily loaded module exists, and every bounded cache (the sizing
    # plans, the interpreter's own) is full, so what is left is growth that never stops.
    run_edits(driver, WARM_UP_EDITS)
    none_before = none_references(window)
    rss_before = rss_mib()
    started = time.perf_counter()
    run_edits(driver, edits_wanted)
    mismatches = driver.mismatches()
    seconds = time.perf_counter() - started
    none_after = none_references(window)
    rss_growth = rss_mib() - rss_before
    window.document.set_modified(False)
    window.workspace.shutdown()
    window.autosave.discard()
    print(json.dumps({"edits": driver.edits, "seconds": round(seconds, 1), "use_cases": len(
        window.document.assessment.workloads), "checked_answers": len(driver.expected) + len(driver.notes),
        "mismatches": mismatches[:10], "none_refcount_start": none_before, "none_refcount_drift": none_after - none_before,
        "rss_growth_mib": round(rss_growth, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2])))
