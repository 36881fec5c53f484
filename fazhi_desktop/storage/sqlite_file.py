"""Reading SQLite files that may come from anyone: a backup on a USB stick, a database copied in, a planted file.

Such a file is opened read-only with ``trusted_schema=OFF`` (no function in its schema runs with the program's
rights), ``cell_size_check`` on, and a deadline that interrupts any statement running too long. Before any of its
tables is read, its schema must consist only of the tables and indexes the program's migrations create: a trigger
would run on our writes (deleting history entries, hiding records), a view standing in for a table could make a
plain ``SELECT`` run for ever.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from fazhi_desktop.domain.errors import UserError

SQLITE_MAGIC = b"SQLite format 3\x00"
READ_SECONDS = 30.0  # schema, summaries, attachment rows
CHECK_SECONDS = 600.0  # integrity_check of a large file
EMBED_TABLE = "backup_attachment_files"  # in a backup written elsewhere: the attached files, inside the backup
_PLAIN_INDEX = re.compile(r'CREATE (UNIQUE )?INDEX "?(\w+)"? ON "?(\w+)"? \(("?\w+"?(, ?"?\w+"?)*)\)', re.I)


class HostileFileError(UserError):
    """A SQLite file whose schema holds something the program never creates, or that takes too long to read."""


def ro_uri(path: Path) -> str:
    """A read-only SQLite URI. On a read-only medium with no WAL to read, ``immutable`` lets SQLite open a WAL-mode
    file without creating its ``-shm`` (which it cannot)."""
    uri = Path(path).absolute().as_uri() + "?mode=ro"
    if not os.access(Path(path).absolute().parent, os.W_OK) and not Path(str(path) + "-wal").exists():
        uri += "&immutable=1"
    return uri


def harden(con: sqlite3.Connection, seconds: float | None) -> None:
    con.execute("PRAGMA trusted_schema=OFF")
    con.execute("PRAGMA cell_size_check=ON")
    if seconds is not None:
        deadline = time.monotonic() + seconds
        con.set_progress_handler(lambda: time.monotonic() > deadline, 20_000)


def connect_ro(path: Path, seconds: float | None = READ_SECONDS) -> sqlite3.Connection:
    """A read-only, hardened connection (no schema check: for the program's own files and integrity checks)."""
    con = sqlite3.connect(ro_uri(path), uri=True)
    try:
        harden(con, seconds)
        con.execute("PRAGMA query_only=ON")
    except sqlite3.Error:
        con.close()
        raise
    return con


@contextlib.contextmanager
def outside(path: Path, seconds: float | None = READ_SECONDS) -> Iterator[sqlite3.Connection]:
    """A hardened read-only connection to a file from anywhere, its schema checked before it is handed out.
    ``HostileFileError`` for a schema the program did not make; ``sqlite3.Error`` for a file SQLite cannot read."""
    con = connect_ro(path, seconds)
    try:
        problem = schema_problem(con)
        if problem:
            raise HostileFileError(f"「{Path(path).name}」{problem}，不是本程序写入的，已拒绝。")
        yield con
    except sqlite3.OperationalError as exc:
        if "interrupted" in str(exc):
            raise HostileFileError(f"读取「{Path(path).name}」超时，文件异常，已拒绝。") from exc
        raise
    finally:
        con.close()


# Every table and index any revision of the schema has, spelled out here so that reading a file's schema needs no
# SQLAlchemy (the window shows before it loads); a test checks these against the tables derived from the
# declarations. A migration that adds or drops one must list it here (dropped ones stay: old backups have them).
BASE_TABLES = ("units", "report_texts", "audit_log", "database_info", "attachments", "alembic_version", EMBED_TABLE,
               "package_receipts", "accounts", "package_documents")
BASE_INDEXES = ("ix_audit_log_record_id", "ix_attachments_record_id", "ix_package_documents_receipt_id")
HISTORIC_TABLES: tuple[str, ...] = ()
HISTORIC_INDEXES: tuple[str, ...] = ()


def known_objects() -> tuple[set[str], set[str]]:
    """(tables, indexes) any revision of the program's schema has."""
    from fazhi_desktop.domain.ledgers import LEDGERS
    from fazhi_desktop.domain.sort_keys import column, keyed_fields

    tables = {*BASE_TABLES, *HISTORIC_TABLES, *(lg.key for lg in LEDGERS)}
    indexes = {*BASE_INDEXES, *HISTORIC_INDEXES, *(f"ix_{lg.key}_{kind}" for lg in LEDGERS
                                                    for kind in ("unit_year", "fingerprint")),
               *(f"ix_{lg.key}_{column(f.key)}" for lg in LEDGERS for f in keyed_fields(lg))}
    return tables, indexes


def schema_problem(con: sqlite3.Connection) -> str | None:
    """None when every schema object is a table or a plain index the program creates; else what is wrong."""
    tables, indexes = known_objects()
    for kind, name, table, sql in con.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"):
        if kind == "table":
            if name not in tables and not name.startswith("sqlite_"):
                return f"含有本程序不会建立的数据表「{name[:40]}」"
            if sql and not re.match(r"\s*CREATE\s+TABLE\s", sql, re.I):
                return f"中的数据表「{name[:40]}」结构异常"
        elif kind == "index":
            if table not in tables:
                return f"含有异常的索引「{name[:40]}」"
            if name.startswith("sqlite_autoindex_"):
                continue
            if name not in indexes or not _PLAIN_INDEX.fullmatch((sql or "").strip()):
                return f"含有本程序不会建立的索引「{name[:40]}」"
        elif kind == "trigger":
            return f"含有触发器「{name[:40]}」"
        elif kind == "view":
            return f"含有视图「{name[:40]}」"
        else:
            return f"含有异常的数据库对象「{name[:40]}」"
    return None


def foreign(path: Path) -> bool:
    """A sound SQLite file of another program: none of the tables this program's schema starts with."""
    try:
        con = connect_ro(path)
        try:
            names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return bool(names) and not names & {"units", "alembic_version"}


def access_problem(path: Path) -> str | None:
    """None when the file can be read; else why not (permissions, an unreadable medium) — not damage."""
    try:
        with open(path, "rb") as fh:
            fh.read(16)
    except PermissionError:
        return "没有读取该文件的权限"
    except OSError as exc:
        return f"无法读取该文件（{exc.strerror or exc}）"
    return None


def integrity_problem(path: Path, quick: bool = False) -> str | None:
    """None when the file is sound, else SQLite's first complaints. ``quick`` is the start-up check
    (``quick_check``); the full one adds ``integrity_check`` and ``foreign_key_check``."""
    try:
        con = connect_ro(path, CHECK_SECONDS)
        try:
            rows = [r[0] for r in con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check")]
            if rows != ["ok"]:
                return "；".join(rows[:5]) or "unknown"
            if not quick and con.execute("PRAGMA foreign_key_check").fetchall():
                return "有记录引用了不存在的单位"
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return "检查超时" if "interrupted" in str(exc) else str(exc)
    return None


def has_magic(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False
