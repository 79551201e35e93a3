"""The one resource locator. Every data file the app reads (questionnaires, templates, catalogs,
examples, fonts, icons) is found here: first in the user's data folder, where a consultancy can drop
updated files without rebuilding the app, then in the bundled copies (source tree, installed wheel or
frozen bundle)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from app import APP_ID

RESOURCE_KINDS = ("questionnaires", "templates", "catalogs", "examples", "fonts", "icons")
# Tests and the packaged-app smoke test point this at a throw-away folder.
USER_DIR_ENV = "LLM_ADVISOR_HOME"


PRIVATE_FOLDER_MODE = 0o700  # the user's folders hold client names (recent files, journals, logs)
PRIVATE_FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """Create `path` (and any missing parents) owner-only, and narrow it if it was wider: recent files,
    autosave journals and logs name clients."""
    path = Path(path)
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=PRIVATE_FOLDER_MODE, exist_ok=True)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Make sure `path` exists owner-only (0600) before another library writes it with the umask's mode."""
    path = Path(path)
    private_folder(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    if os.name == "posix" and path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_FILE_MODE)
    return path


def user_data_dir() -> Path:
    override = os.environ.get(USER_DIR_ENV)
    if override:
        return Path(override) / "data"
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def user_config_dir() -> Path:
    override = os.environ.get(USER_DIR_ENV)
    if override:
        return Path(override) / "config"
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def user_log_dir() -> Path:
    override = os.environ.get(USER_DIR_ENV)
    if override:
        return Path(override) / "logs"
    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def _bundled_roots() -> list[Path]:
    package_dir = Path(__file__).resolve().parent.parent  # .../app
    roots = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        roots.append(Path(frozen_root))
    roots.append(package_dir / "_resources")  # installed wheel (see pyproject force-include)
    roots.append(package_dir.parent)  # source tree / editable install
    return roots


def _bundled_dir(kind: str) -> Path:
    # Fonts and icons ship inside the package (app/assets/...), everything else at the top level.
    for root in _bundled_roots():
        for candidate in (root / kind, root / "app" / "assets" / kind):
            if candidate.is_dir():
                return candidate
    return _bundled_roots()[-1] / kind


def resource_dirs(kind: str) -> list[Path]:
    """Folders searched for a kind of resource, user folder first."""
    if kind not in RESOURCE_KINDS:
        raise ValueError(f"unknown resource kind {kind!r}")
    return [user_data_dir() / kind, _bundled_dir(kind)]


def bundled_dir(kind: str) -> Path:
    return resource_dirs(kind)[1]


def find_resource(kind: str, name: str) -> Path:
    """The first file of that name, user folder first. Raises FileNotFoundError listing where it looked."""
    dirs = resource_dirs(kind)
    for folder in dirs:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"{kind} file {name!r} not found in " + ", ".join(str(d) for d in dirs))


def list_resources(kind: str, pattern: str = "*") -> list[Path]:
    """All files matching the pattern; a user file hides the bundled file of the same name."""
    found: dict[str, Path] = {}
    for folder in reversed(resource_dirs(kind)):
        if folder.is_dir():
            for path in sorted(folder.glob(pattern)):
                if path.is_file():
                    found[path.name] = path
    return [found[name] for name in sorted(found)]
