"""Where the program keeps its files: a per-user data folder, never next to the executable.

The data holds personal information (names, ID numbers of parties to disputes), so on Linux every folder the program
creates is 0700 and every file 0600 (``private_dir``, and the process umask set at start-up).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import platformdirs

APP_DIR_NAME = "fazhi_desktop"
DB_FILE_NAME = "fazhi.sqlite3"


def data_dir() -> Path:
    """The per-user data folder (``FAZHI_DATA_DIR`` overrides it, e.g. for tests or a portable install)."""
    override = os.environ.get("FAZHI_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    return path


def default_db_path() -> Path:
    return data_dir() / DB_FILE_NAME


def log_dir() -> Path:
    return data_dir() / "logs"


def default_backup_dir() -> Path:
    return data_dir() / "backups"


def private_dir(path: Path) -> Path:
    """Create a folder (and its parents) readable by its owner only; folders that exist are left as they are,
    except the program's own data folder and what it creates there, which are tightened."""
    inside = os.name != "nt" and _inside_data_dir(path)
    if inside and Path(path).absolute() != data_dir().absolute():
        private_dir(data_dir())
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if inside:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700)
    return path


def _inside_data_dir(path: Path) -> bool:
    try:
        Path(path).absolute().relative_to(data_dir().absolute())
        return True
    except ValueError:
        return False


def private_file(path: Path) -> None:
    """Owner-only permissions for a file the program created (no-op on Windows, where ACLs of the user folder apply)."""
    if os.name != "nt":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
