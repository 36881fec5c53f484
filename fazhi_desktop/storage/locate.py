"""Which database a command means — worked out without SQLAlchemy, so the GUI can show its window first."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from fazhi_desktop.storage import identity, paths

SQLITE_PREFIX = "sqlite:///"


def target(db_path: str | os.PathLike | None = None, db_url: str | None = None) -> tuple[str, Path | None]:
    """(SQLAlchemy URL, SQLite file or None). ``--db`` wins over ``--db-url``, which wins over ``FAZHI_DB_URL``;
    the default is the per-user SQLite file (its folder is created)."""
    if db_path:
        path = Path(db_path).expanduser().absolute()
        return SQLITE_PREFIX + str(path), path
    url = db_url or os.environ.get("FAZHI_DB_URL")
    if url:
        return url, (Path(url[len(SQLITE_PREFIX):]) if url.startswith(SQLITE_PREFIX) else None)
    path = paths.default_db_path()
    paths.private_dir(path.parent)
    return SQLITE_PREFIX + str(path), path


def unit_names(path: Path) -> list[str]:
    """Unit names in a SQLite file, read-only; [] for a missing, new, foreign or damaged file."""
    if not path.is_file():
        return []
    try:
        con = identity.connect_ro(path)
        try:
            return [r[0] for r in con.execute("SELECT name FROM units ORDER BY name")]
        finally:
            con.close()
    except sqlite3.Error:
        return []
