"""Which database a command means — worked out without SQLAlchemy for the usual ``--db`` or default file, so the GUI
can show its window first.

A SQLite database is always named by its *real* path (symlinks resolved): the lock, the registry of identities,
restore and every write act on the file itself, never on a link to it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.storage import paths, sqlite_file

SQLITE_PREFIX = "sqlite:///"


def real(path: str | os.PathLike) -> Path:
    return Path(os.path.realpath(Path(path).expanduser()))


def target(db_path: str | os.PathLike | None = None, db_url: str | None = None) -> tuple[str | None, Path | None]:
    """(server URL or None, SQLite file or None). ``--db`` wins over ``--db-url``, which wins over ``FAZHI_DB_URL``;
    the default is the per-user SQLite file (its folder is created)."""
    if db_path:
        return None, real(db_path)
    url = db_url or os.environ.get("FAZHI_DB_URL")
    if url:
        if url.startswith("sqlite:"):
            # The file SQLAlchemy would open for this URL (it decodes %xx and stops at ?), named by its real path.
            from sqlalchemy.engine import make_url

            try:
                database = make_url(url).database
            except Exception as exc:  # noqa: BLE001 - SQLAlchemy's parse errors have several types
                raise UserError(f"数据库地址格式不正确：{url[:100]}") from exc
            if not database or database == ":memory:":
                raise UserError("不支持内存数据库，请指定一个数据库文件")
            return None, real(database)
        return url, None
    path = paths.default_db_path()
    paths.private_dir(path.parent)
    return None, real(path)


def unit_names(path: Path) -> list[str]:
    """Unit names in a SQLite file, read-only; [] for a missing, new, foreign, planted or damaged file."""
    if not path.is_file():
        return []
    try:
        with sqlite_file.outside(path) as con:
            return [str(r[0]) for r in con.execute("SELECT name FROM units ORDER BY name")]
    except (sqlite3.Error, UserError):
        return []
