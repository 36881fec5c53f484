"""Opening a database: URL resolution, SQLite pragmas, integrity check, migrations to the current schema."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from fazhi_desktop.domain.errors import DatabaseCorruptError, UserError
from fazhi_desktop.storage import locate, paths
from fazhi_desktop.storage.backups import integrity_problem

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    # FULL: a commit reported to the user survives a power cut (NORMAL may lose the last ones in WAL mode).
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


@dataclass
class Database:
    engine: Engine
    path: Path | None  # the SQLite file, or None for a server database

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def backup_dir(self) -> Path:
        return paths.default_backup_dir()

    def dispose(self) -> None:
        self.engine.dispose()


def resolve_url(db_path: str | os.PathLike | None = None, db_url: str | None = None) -> str:
    """``--db`` wins over ``--db-url``, which wins over ``FAZHI_DB_URL``; default is the per-user SQLite file."""
    return locate.target(db_path, db_url)[0]


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise UserError("不支持内存数据库，请指定一个数据库文件")
    return Path(parsed.database)


def check_sqlite_location(path: Path) -> None:
    """Refuse paths we cannot use, with a message that names them."""
    if path.is_dir():
        raise UserError(f"「{path}」是一个文件夹，不是数据库文件")
    if not path.parent.is_dir():
        raise UserError(f"数据库所在的文件夹不存在：{path.parent}")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise UserError(f"没有读取数据库文件的权限：{path}")
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise UserError(f"数据库文件位于只读位置，无法保存数据：{path}")
        if path.stat().st_size:
            with open(path, "rb") as fh:
                if fh.read(16) != b"SQLite format 3\x00":
                    raise UserError(f"「{path}」不是本程序的数据库文件（也可能已经损坏）")
    elif not os.access(path.parent, os.W_OK):
        raise UserError(f"无法在只读文件夹中创建数据库：{path.parent}")


def pinyin_collate(a: str, b: str) -> int:
    """GB18030 byte order: the 3755 common (level-1) hanzi of GB2312 are ordered by pinyin."""
    ka, kb = a.encode("gb18030", "replace"), b.encode("gb18030", "replace")
    return (ka > kb) - (ka < kb)


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions start (see the "begin" hook below), so that
    # DDL in migrations is transactional and reads inside a transaction see one snapshot.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    for pragma in SQLITE_PRAGMAS:
        cur.execute(pragma)
    cur.close()
    dbapi_conn.create_collation("pinyin", pinyin_collate)


def _on_sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(url: str) -> Engine:
    path = _sqlite_path(url)
    if path is None:
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url)
    sa.event.listen(engine, "connect", _on_sqlite_connect)
    sa.event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def open_database(db_path: str | os.PathLike | None = None, db_url: str | None = None, *, migrate: bool = True) -> Database:
    """Open (and create or upgrade) the database; every failure is a ``UserError`` with a Chinese message."""
    from fazhi_desktop.storage import migrate as migrations

    url = resolve_url(db_path, db_url)
    path = _sqlite_path(url)
    if path is not None:
        check_sqlite_location(path)
        if path.exists() and path.stat().st_size:
            problem = integrity_problem(path, quick=True)
            if problem:
                raise DatabaseCorruptError(f"数据库文件已损坏，无法打开：{path}（{problem}）。请从备份恢复。", path)
    try:
        engine = make_engine(url)
        with engine.connect():
            pass
    except sa.exc.ArgumentError as exc:
        raise UserError(f"数据库地址格式不正确：{exc}") from exc
    except sa.exc.NoSuchModuleError as exc:
        raise UserError(f"缺少连接该数据库所需的驱动程序：{make_url(url).drivername}") from exc
    except (sa.exc.OperationalError, sa.exc.DatabaseError) as exc:
        raise UserError(f"无法打开数据库：{exc.orig}") from exc
    db = Database(engine=engine, path=path)
    if migrate:
        migrations.upgrade_to_head(db)
    return db
