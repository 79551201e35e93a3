"""The app's document logic without its window, run as a child process that the kill tests SIGKILL
(tests/reliability/test_kill.py). It prints a line after each step has returned, so the parent knows
what was done before the kill.

    python kill_worker.py work SOURCE KEY [PASSWORD]   open SOURCE, then answer and journal, change after change
    python kill_worker.py save TARGET                  save TARGET again and again, each version different
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.domain.assessment import Answer
from app.storage.assessment_files import load_assessment, open_assessment, save_assessment
from app.storage.journal import AutosaveJournal


def change(assessment, i: int):
    """Change number i: an answer and its note (the parent replays the same changes to check)."""
    workload = assessment.workloads[0]
    question = ("requests_per_day", "input_tokens", "output_tokens")[i % 3]
    workload.answers[question] = Answer(value=1000 + i, note=f"change {i}")
    return assessment


def version(assessment, i: int):
    """Version i of the file: its title and a long note on every answer (about 1 MB in all, so a save
    takes long enough to be killed half-way) all name i; a mix of two versions would show."""
    note = (f"v{i} " * 5000)[:19_000]
    stores = [assessment.organisation_answers] + [w.answers for w in assessment.workloads]
    for answers in stores:
        for question_id, answer in answers.items():
            answers[question_id] = answer.model_copy(update={"note": note})
    return assessment.model_copy(update={"title": f"version {i}"})


def work(source: Path, key: str, password: str | None) -> None:
    assessment, revision = open_assessment(source)
    journal = AutosaveJournal(key, source, password=password, base_revision=revision)
    i = 0
    while True:
        journal.write(change(assessment, i))
        print(i, flush=True)
        i += 1


def save(target: Path) -> None:
    base = load_assessment(target)
    i = 1
    while True:
        print(f"begin {i}", flush=True)
        save_assessment(version(base, i), target)
        print(f"saved {i}", flush=True)
        i += 1


if __name__ == "__main__":
    mode, path = sys.argv[1], Path(sys.argv[2])
    if mode == "work":
        work(path, sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        save(path)
