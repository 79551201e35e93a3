"""Killed for real: a child process running the app's document logic gets SIGKILL in the middle of work
and in the middle of a save. The next start recovers every answer given before the kill, and the saved
file is always a whole old or new version, never a mix."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.storage.assessment_files import backup_path, load_assessment, save_assessment
from app.storage.journal import open_recovery, pending_recoveries

WORKER = Path(__file__).with_name("kill_worker.py")
REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("kill_worker", WORKER)
worker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(worker)
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _start(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # LLM_ADVISOR_HOME is inherited: same autosave folder
    return subprocess.Popen([sys.executable, str(WORKER), *args], stdout=subprocess.PIPE, text=True, env=env)


def _read_until(process: subprocess.Popen, done) -> list[str]:
    lines = []
    while not lines or not done(lines):
        line = process.stdout.readline()
        assert line, "the worker stopped before it was killed"
        lines.append(line.strip())
    return lines


def _kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("changes, password", [(3, None), (25, None), (60, None), (10, "kill-test password")])
def test_every_answer_given_before_a_kill_is_recovered(example_paths, advisor_home, tmp_path, cases, changes,
                                                       password):
    source = tmp_path / "client.llmassess"
    original = save_assessment(load_assessment(example_paths[0]), source)
    process = _start("work", str(source), "window-1", *([password] if password else []))
    lines = _read_until(process, lambda lines: len(lines) >= changes)
    _kill(process)
    last_confirmed = int(lines[-1])

    [item] = pending_recoveries()  # the next start
    assert item.encrypted is (password is not None)
    assert item.source_path == (None if password else source)  # a protected journal's path is sealed
    recovery = open_recovery(item, password=password)
    assert recovery.source_path == source and not recovery.conflict and not recovery.stale
    recovered = recovery.assessment
    # Every confirmed change is there; the worker may have journalled one more before it died.
    candidates = []
    for upto in (last_confirmed, last_confirmed + 1):
        expected = original.model_copy(deep=True)
        for i in range(upto + 1):
            worker.change(expected, i)
        candidates.append(expected.workloads[0].answers)
    assert recovered.workloads[0].answers in candidates
    assert load_assessment(source) == original  # the file itself was never touched
    cases["kill: SIGKILL mid-work, journal recovered"] += 1


def test_a_kill_during_save_leaves_a_whole_old_or_new_version(example_paths, tmp_path, cases):
    target = tmp_path / "client.llmassess"
    save_assessment(worker.version(load_assessment(example_paths[0]), 0), target)
    chance = random.Random(7)
    kills = 0
    # At least 6 kills, and more (up to 40) until one has provably landed inside a write: a temporary
    # file left behind. A save is about 12 ms, half of it writing and fsyncing, so that takes a few tries.
    while kills < 6 or (not list(tmp_path.glob(".*.tmp")) and kills < 40):
        process = _start("save", str(target))
        wanted = f"begin {chance.randint(1, 3)}"
        _read_until(process, lambda lines: lines[-1] == wanted)
        time.sleep(chance.uniform(0, 0.015))  # somewhere inside that save
        _kill(process)
        kills += 1
        for path in (target, backup_path(target)):
            saved = load_assessment(path)  # parses whole: not a mix, not truncated
            version = int(saved.title.removeprefix("version "))
            notes = {a.note for w in saved.workloads for a in w.answers.values()}
            notes |= {a.note for a in saved.organisation_answers.values()}
            assert notes == {(f"v{version} " * 5000)[:19_000]}, "answers from two versions in one file"
        cases["kill: SIGKILL mid-save, file whole"] += 1
    assert list(tmp_path.glob(".*.tmp")), "no kill landed inside a write; the test proved nothing"
