"""Small facts about the database itself, kept as key/value rows of ``database_info``: a county's roster and deadline,
a township's signing key, the keys a county pinned. Keys fit the column (40 characters)."""

from __future__ import annotations

import sqlalchemy as sa

from fazhi_desktop.storage.schema import database_info

KEY_LENGTH = 40


def get(conn: sa.Connection, key: str) -> str | None:
    return conn.execute(sa.select(database_info.c.value).where(database_info.c.key == key[:KEY_LENGTH])).scalar()


def put(conn: sa.Connection, key: str, value: str) -> None:
    key = key[:KEY_LENGTH]
    if get(conn, key) is None:
        conn.execute(sa.insert(database_info).values(key=key, value=value))
    else:
        conn.execute(sa.update(database_info).where(database_info.c.key == key).values(value=value))


def delete(conn: sa.Connection, key: str) -> None:
    conn.execute(sa.delete(database_info).where(database_info.c.key == key[:KEY_LENGTH]))
