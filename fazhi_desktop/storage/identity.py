"""Which database this is: a UUID stored inside it (table ``database_info``).

Backups and attachments are keyed on it, so two databases that share a file name in different folders never share
a backup set. A small registry in the data folder remembers the identity of each database file opened on this PC,
for the one moment the file itself cannot say: when it is damaged and a backup is offered.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_desktop.storage import paths

if TYPE_CHECKING:  # the GUI shows its window before SQLAlchemy is imported
    import sqlalchemy as sa

ID_KEY = "database_id"


def new_id() -> str:
    return str(uuid.uuid4())


def short(database_id: str) -> str:
    """The part of the identity that goes into backup file names (verified against the file's content)."""
    return database_id.replace("-", "")[:8]


def read_id(conn: sa.Connection) -> str | None:
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import database_info

    with contextlib.suppress(sa.exc.DatabaseError):
        return conn.execute(sa.select(database_info.c.value).where(database_info.c.key == ID_KEY)).scalar()
    return None


def write_id(conn: sa.Connection, database_id: str) -> None:
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import database_info

    conn.execute(sa.delete(database_info).where(database_info.c.key == ID_KEY))
    conn.execute(sa.insert(database_info).values(key=ID_KEY, value=database_id))


def ro_uri(path: Path) -> str:
    """A read-only SQLite URI. On a read-only medium with no WAL to read, ``immutable`` lets SQLite open a WAL-mode
    file without creating its ``-shm`` (which it cannot)."""
    uri = Path(path).absolute().as_uri() + "?mode=ro"
    if not os.access(Path(path).absolute().parent, os.W_OK) and not Path(str(path) + "-wal").exists():
        uri += "&immutable=1"
    return uri


def connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(ro_uri(path), uri=True)


def file_id(path: Path) -> str | None:
    """The identity stored in a SQLite file; None for a missing, older (pre-identity), foreign or unreadable one."""
    if not Path(path).is_file():
        return None
    try:
        con = connect_ro(path)
        try:
            row = con.execute("SELECT value FROM database_info WHERE key = ?", (ID_KEY,)).fetchone()
            return row[0] if row else None
        finally:
            con.close()
    except sqlite3.Error:
        return None


def _registry() -> Path:
    return paths.data_dir() / "databases.json"


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def remember(path: Path, database_id: str) -> None:
    """Note which identity the database at ``path`` has (best effort: a read-only data folder just skips it)."""
    registry = _registry()
    try:
        known = json.loads(registry.read_text(encoding="utf-8")) if registry.exists() else {}
    except (OSError, ValueError):
        known = {}
    if known.get(_key(path)) == database_id:
        return
    known[_key(path)] = database_id
    tmp = registry.with_name(registry.name + ".part")
    with contextlib.suppress(OSError):
        paths.private_dir(registry.parent)
        tmp.write_text(json.dumps(known, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, registry)


def recall(path: Path) -> str | None:
    """The identity last seen at ``path``: read from the file if it can be, else from the registry."""
    found = file_id(path)
    if found:
        return found
    try:
        return json.loads(_registry().read_text(encoding="utf-8")).get(_key(path))
    except (OSError, ValueError, AttributeError):
        return None
