"""Process-wide settings made once at start-up, before any file is created."""

from __future__ import annotations

import os

PRIVATE_UMASK = 0o077


def restrict_new_files() -> None:
    """Files and folders the process creates from now on (SQLite's -wal/-shm, logs, backups) are owner-only; the
    documents meant for colleagues are given their wider mode when written (storage.atomic)."""
    if os.name != "nt":
        os.umask(PRIVATE_UMASK)
