"""One editor per file: a lock that tells a second window or app instance that a document is already
open, and that a crash cannot leave behind for good.

    lock = DocumentLock(path)
    status = lock.acquire()        # LockStatus: acquired, or the holder (who, on which machine, since when)
    if not status.acquired:        # tell the user; "Open anyway" calls lock.acquire(force=True)
        ...
    lock.refresh()                 # every few seconds; False means another editor took the file (lock.holder())
    lock.release()                 # on close (removes the lock file only if it is still ours)
    acquire() raises OSError only when neither the document's folder nor the user data folder is writable.

The lock file sits next to the document (`.~lock.NAME#`, as office suites do) so instances on two
machines sharing a folder see each other; when that folder is read-only it lives in the user data folder.
It holds pid, hostname, user, a token unique to this lock object (two windows of one process differ) and
the times it was taken and last refreshed. A lock is stale, and taken over, when its process is dead
(same machine), or when it has not been refreshed for STALE_AFTER (another machine, whose pids we cannot
check) or REUSED_PID_AFTER (same machine: the pid may since belong to another program).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import socket
import sys
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.storage.atomic import atomic_write_bytes
from app.storage.resources import private_folder, user_data_dir

STALE_AFTER = timedelta(minutes=30)
REUSED_PID_AFTER = timedelta(hours=24)
REFRESH_EVERY = timedelta(minutes=1)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class LockInfo:
    pid: int
    hostname: str
    user: str
    token: str
    acquired_at: str  # ISO 8601, UTC
    refreshed_at: str

    @property
    def refreshed(self) -> datetime:
        return datetime.fromisoformat(self.refreshed_at)

    def is_stale(self, now: datetime | None = None) -> bool:
        age = (now or _now()) - self.refreshed
        if self.hostname != socket.gethostname():
            return age > STALE_AFTER
        return not pid_alive(self.pid) or age > REUSED_PID_AFTER

    def describe(self) -> str:
        """'dana on laptop-7 (process 4242) since 2026-11-27 07:12 UTC', for the message to the user."""
        since = datetime.fromisoformat(self.acquired_at).strftime("%Y-%m-%d %H:%M UTC")
        return f"{self.user} on {self.hostname} (process {self.pid}) since {since}"


@dataclass(frozen=True)
class LockStatus:
    acquired: bool
    holder: LockInfo | None = None  # who holds it when not acquired
    replaced_stale: LockInfo | None = None  # the crashed session's lock we took over, if any


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: existence check only
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:
    # os.kill(pid, 0) would terminate the process on Windows; ask the kernel instead.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def read_lock(lock_path: Path) -> LockInfo | None:
    """The lock recorded in a lock file; None when there is none. An unreadable or foreign lock file
    counts as stale (a lock written by a dead process), never as a lock held forever."""
    try:
        return _parse_lock(json.loads(lock_path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        now = _now().isoformat()
        return LockInfo(pid=0, hostname=socket.gethostname(), user="?", token="", acquired_at=now, refreshed_at=now)


def _parse_lock(raw: dict) -> LockInfo:
    info = LockInfo(**{name: raw[name] for name in LockInfo.__dataclass_fields__})
    if type(info.pid) is not int or not all(isinstance(v, str) for v in (info.hostname, info.user, info.token)):
        raise TypeError("lock file fields have the wrong types")
    for stamp in (info.acquired_at, info.refreshed_at):
        if datetime.fromisoformat(stamp).tzinfo is None:
            raise ValueError("lock time without a time zone")
    return info


class DocumentLock:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.token = uuid.uuid4().hex
        self._info: LockInfo | None = None
        self.lock_path = self._lock_path_next_to_document()

    def _lock_path_next_to_document(self) -> Path:
        return self.path.with_name(f".~lock.{self.path.name}#")

    def _lock_path_in_user_data(self) -> Path:
        digest = hashlib.sha256(str(self.path.resolve()).encode("utf-8")).hexdigest()[:32]
        return user_data_dir() / "locks" / f"{digest}.lock"

    def acquire(self, force: bool = False) -> LockStatus:
        """Take the lock unless a live editor holds it (force=True takes it anyway, after the user chose
        "Open anyway")."""
        try:
            return self._acquire_at(force)
        except OSError:
            # A read-only folder (a shared drive, a CD): lock in the user data folder instead, which
            # still detects a second window or instance on this machine. Failing there too raises.
            self.lock_path = self._lock_path_in_user_data()
            return self._acquire_at(force)

    def _acquire_at(self, force: bool) -> LockStatus:
        if self.lock_path.parent != self.path.parent:  # the user data folder's locks: owner-only
            private_folder(self.lock_path.parent)
        if self._create_exclusively():
            return LockStatus(acquired=True)
        holder = read_lock(self.lock_path)
        if holder is not None and holder.token == self.token:
            return LockStatus(acquired=True)
        if holder is not None and not holder.is_stale() and not force:
            return LockStatus(acquired=False, holder=holder)
        if not self._take_over(holder):  # another instance took it over first: it holds the file now
            return LockStatus(acquired=False, holder=read_lock(self.lock_path))
        return LockStatus(acquired=True, replaced_stale=holder)

    def _take_over(self, seen: LockInfo | None) -> bool:
        """Replace the lock `seen` (stale, or forced) atomically: move it aside under a name of our own
        (only one of several instances racing can), check it is still the one we judged, then create
        ours exclusively. Two instances taking over one stale lock never both believe they hold it."""
        if seen is None:  # gone between the exclusive create and our look: just create it
            return self._create_exclusively()
        aside = self.lock_path.with_name(f"{self.lock_path.name}.{self.token}.old")
        try:
            os.rename(self.lock_path, aside)
        except FileNotFoundError:  # released, or moved aside by another instance, meanwhile
            return self._create_exclusively()
        moved = read_lock(aside)
        if moved is not None and moved.token != seen.token:
            # A fresh lock was written between our look and the rename: put it back, it is not ours to take.
            try:
                os.link(aside, self.lock_path)
            except FileExistsError:
                pass
            aside.unlink(missing_ok=True)
            return False
        aside.unlink(missing_ok=True)
        return self._create_exclusively()

    def _create_exclusively(self) -> bool:
        info = self._new_info()
        try:
            fd = os.open(self.lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as handle:
            handle.write(_encode(info))
        self._info = info
        return True

    def _new_info(self) -> LockInfo:
        now = _now().isoformat()
        acquired = self._info.acquired_at if self._info else now
        return LockInfo(pid=os.getpid(), hostname=socket.gethostname(), user=_user_name(), token=self.token,
                        acquired_at=acquired, refreshed_at=now)

    def _write(self) -> None:
        info = self._new_info()
        atomic_write_bytes(self.lock_path, _encode(info), mode=0o600)
        self._info = info

    def refresh(self) -> bool:
        """Keep the lock fresh (call it every few seconds; it writes at most once a minute). False when
        the lock is no longer ours: another editor took the file over while this one slept."""
        if self._info is None:
            return False
        current = read_lock(self.lock_path)
        if current is None or current.token != self.token:
            self._info = None
            return False
        if _now() - self._info.refreshed >= REFRESH_EVERY:
            self._write()  # OSError (a full disk) reaches the caller, which reports it like any failed write
        return True

    def holder(self) -> LockInfo | None:
        """Who holds the file now, when it is not this lock (None when nobody does, or we do)."""
        current = read_lock(self.lock_path)
        return None if current is None or current.token == self.token else current

    def release(self) -> None:
        """Remove the lock file if it is still ours; never someone else's."""
        current = read_lock(self.lock_path)
        if current is not None and current.token == self.token:
            self.lock_path.unlink(missing_ok=True)
        self._info = None


def _encode(info: LockInfo) -> bytes:
    return (json.dumps(asdict(info), indent=1) + "\n").encode("utf-8")


def _user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container or a service account
        return "unknown user"
