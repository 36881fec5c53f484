"""Opening a database: URL resolution, SQLite pragmas, integrity check, migrations to the current schema."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from fazhi_desktop.domain.errors import DatabaseCorruptError, UserError
from fazhi_desktop.domain.sort_keys import pinyin_key
from fazhi_desktop.storage import audit_chain, blobstore, identity, locate, paths, sqlite_file
from fazhi_desktop.storage.sqlite_file import SQLITE_MAGIC, access_problem, integrity_problem

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    # FULL: a commit reported to the user survives a power cut (NORMAL may lose the last ones in WAL mode).
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    # No function in the file's own schema (a default, a check, a generated column) runs with the program's rights.
    "PRAGMA trusted_schema=OFF",
)


@dataclass
class Database:
    engine: Engine
    path: Path | None  # the SQLite file, or None for a server database
    read_only: bool = False  # a SQLite file on a read-only medium or folder: viewing, statistics and reports only
    database_id: str | None = None
    copied_from: tuple[str, Path] | None = None  # (its identity before, the live file it was copied from)

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise UserError("不支持内存数据库，请指定一个数据库文件")
    return Path(os.path.realpath(parsed.database))


def writable_location(path: Path) -> bool:
    """Can the program write this database (its file, and its folder for the journal files)?"""
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def check_sqlite_location(path: Path, *, must_exist: bool = False, read_only: bool | None = False) -> bool:
    """Refuse paths we cannot use, with a message that names them. Returns whether to open read-only:
    ``read_only=None`` opens a database on a read-only medium read-only instead of refusing it."""
    if path.is_dir():
        raise UserError(f"「{path}」是一个文件夹，不是数据库文件")
    if not path.parent.is_dir():
        raise UserError(f"数据库所在的文件夹不存在：{path.parent}")
    if not path.exists():
        if must_exist or read_only:
            raise UserError(f"数据库文件不存在：{path}\n请检查 --db 参数是否写错；新建数据库请用 init 或 demo 命令。")
        if not os.access(path.parent, os.W_OK):
            raise UserError(f"无法在只读文件夹中创建数据库：{path.parent}")
        return False
    problem = access_problem(path)
    if problem:
        raise UserError(f"无法打开数据库文件：{path}（{problem}）。这不是文件损坏，请检查文件权限或存储介质。")
    if path.stat().st_size:
        with open(path, "rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                raise UserError(f"「{path}」不是本程序的数据库文件（也可能已经损坏）")
    if read_only:
        return True
    if not writable_location(path):
        if read_only is None and path.stat().st_size:
            return True
        raise UserError(f"数据库文件位于只读位置，无法保存数据：{path}")
    return False


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions start (see the "begin" hook below), so that
    # DDL in migrations is transactional and reads inside a transaction see one snapshot.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    for pragma in SQLITE_PRAGMAS:
        cur.execute(pragma)
    cur.close()
    dbapi_conn.create_function("pinyin_key", 1, pinyin_key, deterministic=True)


def _on_sqlite_begin(conn) -> None:
    # ``immediate``: the write lock from the first statement, for a read-then-write that parallel callers must not
    # interleave (a login's failure count)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")


def _on_sqlite_connect_read_only(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None
    dbapi_conn.execute("PRAGMA query_only=ON")
    dbapi_conn.execute("PRAGMA busy_timeout=5000")
    dbapi_conn.execute("PRAGMA trusted_schema=OFF")
    dbapi_conn.create_function("pinyin_key", 1, pinyin_key, deterministic=True)


def file_url(path: Path) -> sa.URL:
    """The URL of a SQLite file, built from the path as it is: a name holding ``%41`` or ``?`` is that file, not
    another one a URL parser would make of it."""
    return sa.URL.create("sqlite", database=str(path))


def make_engine(url: str | None = None, *, path: Path | None = None, read_only: bool = False) -> Engine:
    if path is None:
        path = _sqlite_path(url)
        if path is None:
            return sa.create_engine(url, pool_pre_ping=True)
    if read_only:
        # The read-only URI (and `immutable` on a medium where SQLite cannot create its -shm file) needs the
        # connection made by hand; SQLAlchemy's URL has no place for it.
        import sqlite3

        uri = sqlite_file.ro_uri(path)
        engine = sa.create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True,
                                                                                check_same_thread=False))
        sa.event.listen(engine, "connect", _on_sqlite_connect_read_only)
    else:
        engine = sa.create_engine(file_url(path))
        sa.event.listen(engine, "connect", _on_sqlite_connect)
    sa.event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def attachment_problem(path: Path) -> str | None:
    """A database whose attachment rows name something other than a digest was not written by this program: such a
    row would make a path out of whatever it holds (``../../.ssh/id_rsa``)."""
    import sqlite3

    try:
        with sqlite_file.outside(path) as con:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "attachments" not in tables:
                return None
            for name, sha in con.execute("SELECT name, sha256 FROM attachments"):
                if not blobstore.valid_digest(sha):
                    return f"佐证材料「{str(name)[:40]}」的校验值 {repr(sha)[:80]} 异常"
    except sqlite3.Error:
        return None  # an unreadable file is refused by the checks before this one
    return None


def open_database(db_path: str | os.PathLike | None = None, db_url: str | None = None, *, migrate: bool = True,
                  must_exist: bool = False, read_only: bool | None = False, claim: bool = True) -> Database:
    """Open (and create or upgrade) the database; every failure is a ``UserError`` with a Chinese message.

    ``must_exist``: commands that only read never create a database from a mistyped path.
    ``read_only``: False needs a writable database; None opens one on a read-only medium read-only (viewing,
    statistics, reports); True always opens read-only.
    ``claim``: the caller may write (holds the lock): a copy of another live database gets its own identity here.
    A SQLite file is checked before SQLAlchemy touches it: sound (``quick_check``), made of the program's own tables
    and indexes only (no triggers or views), and with attachment rows that are digests.
    """
    from fazhi_desktop.storage import migrate as migrations

    url, path = locate.target(db_path, db_url)
    ro = created = False
    if path is not None:
        ro = check_sqlite_location(path, must_exist=must_exist, read_only=read_only)
        created = not path.exists()
        if path.exists() and path.stat().st_size:
            problem = integrity_problem(path, quick=True)
            if problem:
                raise DatabaseCorruptError(f"数据库文件已损坏，无法打开：{path}（{problem}）。请从备份恢复。", path)
            if sqlite_file.foreign(path):
                raise UserError("该数据库不是本程序创建的，无法打开（其中已有其他数据表）")
            try:
                with sqlite_file.outside(path):
                    pass
            except sqlite_file.HostileFileError as exc:
                raise UserError(f"该数据库不是本程序创建的，或被人为改动过，无法打开：{exc}") from exc
            except Exception:  # noqa: BLE001 - SQLite's own errors are reported by the connection below
                pass
            problem = attachment_problem(path)
            if problem:
                raise UserError(f"无法打开数据库「{path.name}」：{problem}，不是本程序写入的，可能被人为改动过。")
    try:
        engine = make_engine(url, path=path, read_only=ro)
        with engine.connect():
            pass
    except sa.exc.ArgumentError as exc:
        raise UserError(f"数据库地址格式不正确：{str(url)[:100]}\n应为 sqlite:///文件路径 或 postgresql+psycopg://用户@主机/库名") \
            from exc
    except (sa.exc.NoSuchModuleError, ImportError) as exc:
        raise UserError(f"不支持这种数据库，或缺少连接它所需的驱动程序：{make_url(url).drivername}"
                        "（本程序支持 SQLite 和 PostgreSQL）") from exc
    except (sa.exc.OperationalError, sa.exc.DatabaseError) as exc:
        raise UserError(f"无法打开数据库：{exc.orig}") from exc
    if created:
        paths.private_file(path)
    db = Database(engine=engine, path=path, read_only=ro)
    if ro:
        if migrations.stored_revision(engine) != migrations.HEAD:
            engine.dispose()
            raise UserError(f"数据库位于只读位置，且需要升级到新版本的结构才能打开：{path}\n请先把它复制到本机硬盘上。")
    elif migrate:
        migrations.upgrade_to_head(db)
    try:
        with engine.connect() as conn:
            db.database_id = identity.read_id(conn)
        if path is not None and db.database_id:
            if claim and not ro:
                _claim_identity(db)
            elif identity.holder(path, db.database_id) is None:
                identity.remember(path, db.database_id)
            if not ro:
                audit_chain.install(engine, db.database_id)
    except UserError:
        engine.dispose()
        raise
    return db


def _claim_identity(db: Database) -> None:
    """A copy of another live database on this PC (copied in Explorer, restored into a new file) gets an identity
    of its own, and its own copies of the attachment files: the two never share or delete each other's photos or
    backups. The original is left exactly as it was."""
    database_id, original = identity.claim(db.path, db.database_id)
    if original is not None:
        import sqlalchemy as sa

        from fazhi_desktop.storage.schema import attachments

        old_store, new_store = blobstore.database_store(db.database_id), blobstore.database_store(database_id)
        with db.engine.begin() as conn:
            for sha, name in conn.execute(sa.select(attachments.c.sha256, attachments.c.name)).all():
                source = old_store.find(sha, name)
                if source is not None and new_store.find(sha, name) is None:
                    new_store.put_file(source, sha, name)
            identity.write_id(conn, database_id)
            last = audit_chain.tail(conn)
        if last is not None:  # the copy's history is its own from here on
            audit_chain.set_anchor(database_id, *last, forward_only=False)
        db.copied_from = (db.database_id, original)
        db.database_id = database_id
    identity.remember(db.path, db.database_id)
