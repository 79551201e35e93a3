"""The real window, killed at random moments: 64 child processes (gui_kill_child.py) each open a file in
the real MainWindow, type into it key by key and press Save, with the app's own timers journaling, and
each gets SIGKILL: while typing, right after an answer, inside a Save, inside a journal write; on plain
and on password-protected files. What the next start gets (the journal it offers, or the saved file
when it offers none) must hold every answer and note that was in the document 0.5 s before the kill;
the saved file always opens; recovery never offers a copy older than the saved file.

Two children run at a time; the whole harness takes about 40 s on two cores (docs/reliability.md)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.storage import crypto
from app.storage.assessment_files import load_assessment, save_assessment
from app.storage.journal import open_recovery, pending_recoveries

CHILD = Path(__file__).with_name("gui_kill_child.py")
REPO = Path(__file__).resolve().parents[2]
PASSWORD = "kill harness password"
MOMENTS = ("typing", "after an answer", "during Save", "during a journal write")
TRIALS = 64  # 16 per moment, half of them on protected files
WORKERS = 4  # children at a time: each is idle most of the time, between keystrokes
PROMISE_S = 0.5  # nothing in the document this long before the kill may be lost
pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")]


@dataclass
class Trial:
    number: int
    moment: str
    password: str | None
    folder: Path
    lines: list[dict] = field(default_factory=list)
    killed_at: float = 0.0

    @property
    def source(self) -> Path:
        return self.folder / "client.llmassess"

    @property
    def home(self) -> Path:
        return self.folder / "home"


def _prepare(trial: Trial, example: Path) -> None:
    trial.folder.mkdir()
    if trial.password:
        save_assessment(load_assessment(example), trial.source, password=trial.password)
    else:
        shutil.copyfile(example, trial.source)


def _run(trial: Trial) -> Trial:
    """Start the child, kill it at the trial's moment, keep what it printed before."""
    chance = random.Random(trial.number)
    env = {**os.environ, "PYTHONPATH": str(REPO), "LLM_ADVISOR_HOME": str(trial.home), "QT_QPA_PLATFORM": "offscreen"}
    save_weight = 4 if trial.moment == "during Save" else 1
    command = [sys.executable, str(CHILD), str(trial.source), str(trial.number), str(save_weight)]
    with (trial.folder / "stderr.txt").open("wb") as errors:
        child = subprocess.Popen(command + ([trial.password] if trial.password else []), stdout=subprocess.PIPE,
                                 stderr=errors, env=env)
    reader = threading.Thread(target=_read, args=(child, trial.lines), daemon=True)
    reader.start()
    try:
        _wait_for_the_moment(trial, chance)
    finally:
        trial.killed_at = time.monotonic()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        reader.join(timeout=30)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL, f"trial {trial.number}: the child ended first: {_errors(trial)}"
    return trial


def _errors(trial: Trial) -> str:
    return (trial.folder / "stderr.txt").read_text(errors="replace")[-2000:]


def _read(child: subprocess.Popen, lines: list[dict]) -> None:
    for raw in child.stdout:
        lines.append(json.loads(raw))


def _wait(trial: Trial, condition, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition(trial.lines) and time.monotonic() < deadline:
        time.sleep(0.001)


def _wait_for_the_moment(trial: Trial, chance: random.Random) -> None:
    _wait(trial, lambda lines: lines and "ready" in lines[0], 60)
    assert trial.lines, f"trial {trial.number}: the window never came up: {_errors(trial)}"
    time.sleep(chance.uniform(0.6, 1.2))  # some history first: the promise is about what is 0.5 s old
    seen = len(trial.lines)
    if trial.moment == "after an answer":
        _wait(trial, lambda lines: any("q" in line for line in lines[seen:]), 5)
    elif trial.moment == "during Save":
        _wait(trial, lambda lines: any(line.get("save") == "begin" for line in lines[seen:]), 15)
        time.sleep(chance.uniform(0, 0.03))  # a save of this file takes a few tens of ms
    elif trial.moment == "during a journal write":
        _wait(trial, lambda lines: any("journal" in line for line in lines[seen:]), 5)
        time.sleep(chance.uniform(0, 0.002))


def _state(assessment, question_id: str, workload_id: str | None):
    answer = assessment.answer_store(question_id, assessment.workload(workload_id) if workload_id else None) \
        .get(question_id)
    return (answer.value, answer.note) if answer else (None, "")


@dataclass
class Outcome:
    lost: list[str]
    offered_stale: bool
    offered_conflict: bool
    recovered_from_journal: bool


def _check(trial: Trial, monkeypatch) -> Outcome:
    """What the next start gets against what the child's document held PROMISE_S before its kill."""
    monkeypatch.setenv("LLM_ADVISOR_HOME", str(trial.home))
    saved = load_assessment(trial.source, trial.password)  # always opens: never torn, never a mix
    items = pending_recoveries()
    assert len(items) <= 1
    recovery = open_recovery(items[0], trial.password) if items else None
    got = recovery.assessment if recovery and not recovery.stale else saved
    cutoff = trial.killed_at - PROMISE_S
    history: dict[tuple, list] = {}
    for line in trial.lines:
        if "q" in line and line["t"] <= trial.killed_at:
            history.setdefault((line["q"], line["w"]), []).append((line["t"], (line["v"], line["n"])))
    lost, stale = [], False
    for (question_id, workload_id), changes in history.items():
        before = [state for moment, state in changes if moment <= cutoff]
        if not before:
            continue
        allowed = {before[-1]} | {state for moment, state in changes if moment > cutoff}
        if _state(got, question_id, workload_id) not in allowed:
            lost.append(f"{question_id}: had {before[-1]}, got {_state(got, question_id, workload_id)}")
            stale = stale or _state(saved, question_id, workload_id) in allowed
    return Outcome(lost, offered_stale=bool(recovery) and stale, offered_conflict=bool(items) and items[0].conflict,
                   recovered_from_journal=bool(recovery) and not recovery.stale)


def test_killing_the_real_window_loses_nothing_half_a_second_old(example_paths, tmp_path, monkeypatch, cases):
    monkeypatch.setattr(crypto, "SCRYPT_N", 2**14)  # the protected files' cost: the child saves at it too
    example = next(p for p in example_paths if p.stem == "midsize-general-api")
    trials = [Trial(number, MOMENTS[number % 4], PASSWORD if number % 8 >= 4 else None, tmp_path / f"trial-{number}")
              for number in range(TRIALS)]
    for trial in trials:
        _prepare(trial, example)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        done = list(pool.map(_run, trials))
    table: Counter = Counter()
    failures = []
    for trial in done:
        outcome = _check(trial, monkeypatch)
        kind = f"{trial.moment}, {'protected' if trial.password else 'plain'}"
        table[f"GUI kill: {kind}"] += 1
        table[f"GUI kill answers lost: {kind}"] += len(outcome.lost)
        table["GUI kill: recovered from the journal"] += outcome.recovered_from_journal
        table["GUI kill: killed inside a save"] += _inside_save(trial)
        table["GUI kill: stale journal offered"] += outcome.offered_stale
        table["GUI kill: false conflict offered"] += outcome.offered_conflict
        if outcome.lost or outcome.offered_stale or outcome.offered_conflict:
            failures.append(f"trial {trial.number} ({kind}): {outcome}")
    cases.update({f"GUI kill: {kind}": count for kind, count in Counter(
        f"{t.moment}, {'protected' if t.password else 'plain'}" for t in done).items()})
    print("\n".join(f"{count:4d}  {name}" for name, count in sorted(table.items())))
    assert not failures, "\n".join(failures)
    assert table["GUI kill: killed inside a save"] >= 3, "too few kills landed inside a save to prove anything"


def _inside_save(trial: Trial) -> bool:
    saves = [line["save"] for line in trial.lines if "save" in line]
    return bool(saves) and saves[-1] == "begin"
