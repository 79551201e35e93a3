"""The real app, killed: a child process that opens a file in the real MainWindow (offscreen) and works
in it the way a consultant does, typing numbers and notes key by key, pausing, pressing Save. The app's
own timers journal it; this script never journals anything itself. After every keystroke it prints
what the document now holds for that answer, with the time, so the parent (test_gui_kill.py) knows what
was in the document at each moment before its SIGKILL.

    python gui_kill_child.py FILE SEED SAVE_WEIGHT [PASSWORD]    (SAVE_WEIGHT: how often it presses Save)

Output, one JSON object a line:
    {"ready": t}                                            the window is up, the file open
    {"t": t, "q": question, "w": workload, "v": value, "n": note}    after a keystroke
    {"save": "begin" | "done", "t": t}                      around File > Save
    {"journal": t}                                          the app is about to write its journal
Times are time.monotonic(), one clock for parent and child on one machine.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NUMBER_QUESTIONS = ("requests_per_day", "input_tokens", "output_tokens")
NOTE_QUESTIONS = ("requests_per_day", "client_name")


def say(**fields) -> None:
    print(json.dumps(fields), flush=True)


def main(path: Path, seed: int, save_weight: int, password: str | None) -> None:
    from app.storage import crypto
    crypto.SCRYPT_N = 2**14  # the smallest cost this app accepts: a protected file opens in milliseconds

    from PySide6.QtTest import QTest

    from app.storage import journal
    from app.ui.files.document import Document
    from app.ui.main import make_application, new_document
    from app.ui.main_window import MainWindow

    _announce_journal_writes(journal.AutosaveJournal)
    # The live panel computes with the UI tests' stand-in engine: the real one would spend most of this
    # harness's CPU on figures it never looks at (the real engine in the window: tests/ui/test_real_engine.py).
    from app.ui.results import evaluation
    from tests.ui.fakes import FAKE_ENGINE
    evaluation.engine_module = lambda: FAKE_ENGINE
    make_application()
    window = MainWindow(new_document(), new_document)
    window.set_document(Document.open(path, password), fresh=False)  # what File > Open does once it has the password
    window.show()
    QTest.qWait(50)
    chance = random.Random(seed)
    say(ready=time.monotonic())
    while True:
        action = chance.choices(("number", "note", "pause", "save"), weights=(5, 2, 2, save_weight))[0]
        if action == "number":
            _type_number(window, chance)
        elif action == "note":
            _type_note(window, chance)
        elif action == "pause":
            QTest.qWait(chance.randint(0, 400))
        else:
            say(save="begin", t=time.monotonic())
            window.save()
            say(save="done", t=time.monotonic())


def _announce_journal_writes(journal_class) -> None:
    """Print a line just before each journal write (so the parent can kill inside one); the write itself
    is the app's own."""
    for name in ("_append", "_write_whole"):
        original = getattr(journal_class, name)

        def announced(self, *args, _original=original):
            say(journal=time.monotonic())
            return _original(self, *args)

        setattr(journal_class, name, announced)


def _editor(window, question_id: str):
    document = window.document
    workload = document.assessment.workloads[0].id
    scope = document.assessment.questionnaire.section_of[question_id].scope
    workload_id = workload if scope == "workload" else None
    window.workspace.wizard.show_question(question_id, workload_id)
    return window.workspace.wizard.current_page.editor_for(question_id), workload_id


def _report(window, question_id: str, workload_id: str | None) -> None:
    answer = window.document.answer(question_id, workload_id)
    say(t=time.monotonic(), q=question_id, w=workload_id, v=answer.value if answer else None,
        n=answer.note if answer else "")


def _type_number(window, chance: random.Random) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    question_id = chance.choice(NUMBER_QUESTIONS)
    editor, workload_id = _editor(window, question_id)
    line = editor.input.line
    line.setFocus()
    line.selectAll()
    QTest.keyClick(line, Qt.Key.Key_Delete)
    _report(window, question_id, workload_id)
    for key in str(chance.randint(1, 9_999_999)):
        QTest.keyClicks(line, key)
        _report(window, question_id, workload_id)
        QTest.qWait(chance.randint(0, 60))  # a typist's pace: the app's timers run in between


def _type_note(window, chance: random.Random) -> None:
    from PySide6.QtTest import QTest
    question_id = chance.choice(NOTE_QUESTIONS)
    editor, workload_id = _editor(window, question_id)
    editor._show_note()
    editor.note.moveCursor(editor.note.textCursor().MoveOperation.End)
    for key in f" note{chance.randint(0, 999)}":
        QTest.keyClicks(editor.note, key)
        _report(window, question_id, workload_id)
        QTest.qWait(chance.randint(0, 60))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
