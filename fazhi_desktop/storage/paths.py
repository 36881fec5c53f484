"""Where the program keeps its files: a per-user data folder, never next to the executable."""

from __future__ import annotations

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
