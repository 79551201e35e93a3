"""Saving never loses work: write a temporary file in the same folder, flush, fsync, rename over the
target, then fsync the folder so the rename itself survives a power cut."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _fsync_directory(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory for fsync; its rename is already durable
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


NEW_FILE_MODE = 0o600  # client files are private to their owner unless the user widens them


def atomic_write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file, never a mix.
    A replaced file keeps its permissions; a new one gets `mode` (default owner-only)."""
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = NEW_FILE_MODE
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
    _fsync_directory(folder)
