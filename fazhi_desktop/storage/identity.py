"""Which database this is: a UUID stored inside it (table ``database_info``).

Backups and attachments are keyed on it, so two databases that share a file name in different folders never share
a backup set. A small registry in the data folder remembers the identity of each database file opened on this PC,
for the moment the file itself cannot say (it is damaged and a backup is offered) and to notice a *copy*: a file
copied in Explorer, or a backup restored into a new file, carries the original's identity. Two live files on one
identity would share attachments and backups (removing a photo in the copy would delete the original's), so the
copy gets an identity of its own when it is first opened (``claim``).

The identity is read from files that may come from anyone: it is accepted only as a canonical UUID.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.storage import atomic, paths, sqlite_file

if TYPE_CHECKING:  # the GUI shows its window before SQLAlchemy is imported
    import sqlalchemy as sa

ID_KEY = "database_id"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def new_id() -> str:
    return str(uuid.uuid4())


def valid(database_id: object) -> bool:
    return isinstance(database_id, str) and _UUID.fullmatch(database_id) is not None


def checked(database_id: object) -> str:
    if not valid(database_id):
        raise UserError(f"数据库标识 {repr(database_id)[:60]} 格式异常，文件可能被人为改动过，已拒绝。")
    return database_id  # type: ignore[return-value]


def short(database_id: str) -> str:
    """The part of the identity that goes into backup file names (verified against the file's content)."""
    return checked(database_id).replace("-", "")[:8]


def read_id(conn: sa.Connection) -> str | None:
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import database_info

    with contextlib.suppress(sa.exc.DatabaseError):
        value = conn.execute(sa.select(database_info.c.value).where(database_info.c.key == ID_KEY)).scalar()
        return None if value is None else checked(value)
    return None


def write_id(conn: sa.Connection, database_id: str) -> None:
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import database_info

    conn.execute(sa.delete(database_info).where(database_info.c.key == ID_KEY))
    conn.execute(sa.insert(database_info).values(key=ID_KEY, value=checked(database_id)))


def file_id(path: Path) -> str | None:
    """The identity stored in a SQLite file; None for a missing, older (pre-identity), foreign, malformed or
    unreadable one."""
    if not Path(path).is_file():
        return None
    try:
        with sqlite_file.outside(path) as con:
            row = con.execute("SELECT value FROM database_info WHERE key = ?", (ID_KEY,)).fetchone()
            return row[0] if row and valid(row[0]) else None
    except (sqlite3.Error, UserError):
        return None


# -- the registry of this PC -----------------------------------------------------------------------------------------
def _registry() -> Path:
    return paths.data_dir() / "databases.json"


def key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def _load() -> dict[str, Any]:
    try:
        known = json.loads(_registry().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _save(known: dict[str, Any]) -> None:
    with contextlib.suppress(OSError, UserError):  # best effort: a read-only data folder just skips it
        paths.private_dir(_registry().parent)
        with atomic.atomic_stream(_registry(), private=True, output=False) as fh:
            fh.write(json.dumps(known, ensure_ascii=False, indent=1).encode("utf-8"))


def remember(path: Path, database_id: str) -> None:
    """Note which identity the database at ``path`` has."""
    known = _load()
    if known.get(key(path)) == database_id:
        return
    known[key(path)] = checked(database_id)
    _save(known)


def recall(path: Path) -> str | None:
    """The identity last seen at ``path``: read from the file if it can be, else from the registry."""
    found = file_id(path)
    if found:
        return found
    value = _load().get(key(path))
    return value if valid(value) else None


def holder(path: Path, database_id: str) -> Path | None:
    """Another live database file on this PC that has ``database_id`` (so ``path`` is a copy of it), if any."""
    here = key(path)
    for other, value in _load().items():
        if value != database_id or other == here or not isinstance(other, str):
            continue
        other_path = Path(other)
        with contextlib.suppress(OSError):
            if Path(path).exists() and other_path.exists() and os.path.samefile(other_path, path):
                continue
        if file_id(other_path) == database_id:
            return other_path
    return None


def claim(path: Path, database_id: str | None) -> tuple[str, Path | None]:
    """The identity the database at ``path`` may keep: its own, unless another live file on this PC has it — then a
    new one. Returns (identity, the original it was copied from or None)."""
    if not database_id:
        return new_id(), None
    original = holder(path, database_id)
    return (new_id(), original) if original else (database_id, None)
