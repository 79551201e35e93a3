"""Window state and recent files, in an INI file in the user's config folder (so tests, which point
LLM_ADVISOR_HOME at a temporary folder, never touch the real user's settings)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from app.storage.resources import private_file, user_config_dir

MAX_RECENT = 8


def app_settings() -> QSettings:
    path = user_config_dir() / "desktop.ini"
    try:
        private_file(path)  # owner-only before Qt first writes it (with the umask's 0644): it names clients
    except OSError:
        pass  # a read-only config folder: Qt keeps the settings in memory, as before
    return QSettings(str(path), QSettings.Format.IniFormat)


def recent_files() -> list[Path]:
    value = app_settings().value("recent_files", [])
    paths = [value] if isinstance(value, str) else list(value or [])
    return [Path(p) for p in paths if p]


def remember_recent(path: Path) -> None:
    paths = [str(Path(path).resolve())] + [str(p) for p in recent_files() if p != Path(path).resolve()]
    app_settings().setValue("recent_files", paths[:MAX_RECENT])


def forget_recent(path: Path) -> None:
    app_settings().setValue("recent_files", [str(p) for p in recent_files() if p != Path(path)])
