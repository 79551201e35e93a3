"""One editor per file: a second window or instance is told; a crashed session never blocks for good."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import asdict, replace
from datetime import datetime, timedelta, timezone

import pytest

from app.storage import locks
from app.storage.locks import DocumentLock, read_lock


@pytest.fixture
def document(tmp_path):
    path = tmp_path / "client.llmassess"
    path.write_text("{}")
    return path


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _plant_lock(lock: DocumentLock, *, age: timedelta = timedelta(0), **fields) -> None:
    """Write a lock file as another session would have."""
    stamp = (datetime.now(timezone.utc) - age).isoformat()
    info = locks.LockInfo(pid=os.getpid(), hostname=socket.gethostname(), user="someone", token="theirs",
                          acquired_at=stamp, refreshed_at=stamp)
    lock.lock_path.write_text(json.dumps(asdict(replace(info, **fields))))


def test_acquire_and_release(document):
    lock = DocumentLock(document)
    assert lock.acquire().acquired
    assert lock.lock_path.name == ".~lock.client.llmassess#" and lock.lock_path.parent == document.parent
    assert read_lock(lock.lock_path).pid == os.getpid()
    lock.release()
    assert not lock.lock_path.exists()


def test_a_second_window_is_told_who_holds_the_file(document):
    first, second = DocumentLock(document), DocumentLock(document)
    assert first.acquire().acquired
    status = second.acquire()
    assert not status.acquired
    assert status.holder.pid == os.getpid() and socket.gethostname() in status.holder.describe()
    second.release()  # must not remove the first window's lock
    assert first.lock_path.exists() and first.refresh()
    first.release()
    assert second.acquire().acquired


def test_a_crashed_session_does_not_block(document):
    lock = DocumentLock(document)
    _plant_lock(lock, pid=_dead_pid())
    status = lock.acquire()
    assert status.acquired and status.replaced_stale.token == "theirs"


def test_a_live_pid_that_stopped_refreshing_long_ago_is_stale(document):
    lock = DocumentLock(document)
    _plant_lock(lock, age=locks.REUSED_PID_AFTER + timedelta(minutes=1))  # pid reused by another program
    assert lock.acquire().acquired


@pytest.mark.parametrize("age, held", [(timedelta(minutes=5), True), (locks.STALE_AFTER + timedelta(minutes=1), False)])
def test_another_machine_holds_the_lock_while_it_refreshes(document, age, held):
    lock = DocumentLock(document)
    _plant_lock(lock, hostname="other-laptop", pid=1, age=age)
    assert lock.acquire().acquired is not held


@pytest.mark.parametrize("content", ["", "garbage", "[]", '{"pid": "1"}', json.dumps({
    "pid": 1, "hostname": "h", "user": "u", "token": "t", "acquired_at": "2026-01-01T00:00:00",
    "refreshed_at": "2026-01-01T00:00:00"})])
def test_a_damaged_lock_file_is_stale_not_forever(document, content):
    lock = DocumentLock(document)
    lock.lock_path.write_text(content)
    assert lock.acquire().acquired


def test_open_anyway_takes_the_lock_and_the_other_editor_learns_it(document):
    first, second = DocumentLock(document), DocumentLock(document)
    first.acquire()
    assert second.acquire(force=True).acquired
    assert not first.refresh()
    first.release()
    assert second.refresh() and second.lock_path.exists()


def test_refresh_rewrites_at_most_once_a_minute(document, monkeypatch):
    lock = DocumentLock(document)
    lock.acquire()
    before = read_lock(lock.lock_path).refreshed_at
    assert lock.refresh() and read_lock(lock.lock_path).refreshed_at == before
    monkeypatch.setattr(locks, "REFRESH_EVERY", timedelta(0))
    assert lock.refresh() and read_lock(lock.lock_path).refreshed_at >= before


def test_read_only_folder_falls_back_to_the_user_data_folder(document, advisor_home, monkeypatch):
    real_open = os.open

    def refuse_next_to_document(path, *args):
        if str(path).startswith(str(document.parent / ".~lock")):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args)

    monkeypatch.setattr(locks.os, "open", refuse_next_to_document)
    first, second = DocumentLock(document), DocumentLock(document)
    assert first.acquire().acquired and first.lock_path.is_relative_to(advisor_home)
    assert not second.acquire().acquired


def test_taking_over_a_stale_lock_is_atomic_two_racers_never_both_win(document):
    """Two instances judged the same dead session's lock stale; one took it over already. The slower one's
    takeover finds a lock that is not the stale one it judged, puts it back, and does not acquire."""
    crashed = DocumentLock(document)
    _plant_lock(crashed, pid=_dead_pid())
    judged = read_lock(crashed.lock_path)
    fast, slow = DocumentLock(document), DocumentLock(document)
    assert fast.acquire().acquired
    assert not slow._take_over(judged)
    assert read_lock(fast.lock_path).token == fast.token and fast.refresh()
    assert not list(document.parent.glob("*.old"))  # nothing moved aside is left behind


def test_a_full_disk_during_refresh_reaches_the_caller(document, monkeypatch):
    lock = DocumentLock(document)
    lock.acquire()
    monkeypatch.setattr(locks, "REFRESH_EVERY", timedelta(0))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(locks, "atomic_write_bytes", full)
    with pytest.raises(OSError, match="No space"):
        lock.refresh()
    assert lock.holder() is None  # still ours: the window reports the failure and tries again
