"""Opening a database for a front end (window or command): the lock, the checks, and what to tell the clerk.

One sequence for the GUI and the CLI: take the lock before anything writes (migrations do), open and check the
file, give a copied database an identity of its own, move settings that name places on a PC out of the data, clean
temporary files a killed run left behind, and collect the notices the front end shows in its own way.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_desktop.domain.errors import DatabaseCorruptError, UserError
from fazhi_desktop.storage import atomic, identity, local_settings, locate
from fazhi_desktop.storage.location import location_warning
from fazhi_desktop.storage.lock import InstanceLock

if TYPE_CHECKING:  # imported when opening, not at start-up: the window shows before SQLAlchemy loads
    from fazhi_desktop.storage.database import Database

log = logging.getLogger(__name__)


@dataclass
class Opened:
    db: Database
    lock: InstanceLock | None
    notices: list[str] = field(default_factory=list)

    def close(self) -> None:
        if self.lock is not None:
            self.lock.release()
        self.db.dispose()


def target(db_path: str | None, db_url: str | None) -> Path | None:
    """The SQLite file a ``--db``/``--db-url`` means (its real path), or None for a server database."""
    return locate.target(db_path, db_url)[1]


def lock(path: Path | None) -> InstanceLock | None:
    """The one-writer lock of a SQLite file (none for a server database, or where nothing can be written)."""
    if path is None or not path.parent.is_dir():
        return None
    return InstanceLock(path).acquire()


def unit_hint(db_path: str | None, db_url: str | None, wanted: str | None) -> str | None:
    """The unit the window will show, read without SQLAlchemy so the titled window can go up at once."""
    path = target(db_path, db_url)
    names = locate.unit_names(path) if path else []
    return wanted if wanted in names else (names[0] if len(names) == 1 and not wanted else None)


def open_for(db_path: str | None = None, db_url: str | None = None, *, write: bool, actor: str,
             must_exist: bool = False, window: bool = False, held: InstanceLock | None = None) -> Opened:
    """Open for a command that writes (``write``: lock first), only reads (an existing file; one on a read-only
    medium opens read-only), or for the window (locks when it can write, else opens read-only). ``held``: the lock,
    already taken. A damaged database raises ``DatabaseCorruptError`` with the lock kept on it (``exc.lock``), so
    the restore offered next runs under it."""
    from fazhi_desktop.storage.database import open_database, writable_location

    path = target(db_path, db_url)
    if window:
        if held is None and path is not None and path.parent.is_dir() and writable_location(path):
            held = lock(path)
        read_only = None
    elif write:
        if must_exist and path is not None and not path.exists():
            open_database(db_path, db_url, must_exist=True)  # raises: names the path
        held = held or lock(path)
        read_only = False
    else:
        must_exist, read_only = True, None
    trusted = path is not None and _known_here(path)
    try:
        db = open_database(db_path, db_url, must_exist=must_exist, read_only=read_only, claim=held is not None)
    except DatabaseCorruptError as exc:
        log.warning("database %s is damaged: %s", path, exc)
        exc.lock = held
        raise
    except BaseException as exc:
        log.warning("database %s could not be opened: %s", path or "(server)", exc)
        if held is not None:
            held.release()
        raise
    opened = Opened(db, held)
    try:
        _after_open(opened, actor, trusted)
    except BaseException:
        opened.close()
        raise
    return opened


def _known_here(path: Path) -> bool:
    """This PC opened the database at this very path before (its identity there is on record)."""
    found = identity.file_id(path)
    return found is not None and identity._load().get(identity.key(path)) == found


def _after_open(opened: Opened, actor: str, trusted: bool) -> None:
    from fazhi_desktop.services import safety

    db = opened.db
    if db.path is None:
        return
    notice = safety.log_reidentified(db, actor) if not db.read_only else None
    if notice:
        opened.notices.append(notice)
    if not db.read_only:
        _move_local_settings(db, actor, trusted)
    if opened.lock is not None:
        clean_temporaries(db)
        if not db.read_only:
            _settle_attachments(db)
    warning = location_warning(db.path)
    if warning:
        opened.notices.append(warning)
    if db.read_only:
        opened.notices.append(f"数据库位于只读位置，只能查看、统计和生成报告：{db.path}")


def _move_local_settings(db: Database, actor: str, trusted: bool) -> None:
    """Versions before this kept the backup folder and font files in the unit's settings, inside the data."""
    from fazhi_desktop.services.units import drop_local_keys

    with db.engine.begin() as conn:
        legacy = drop_local_keys(conn, actor)
    if legacy and db.database_id:
        local_settings.adopt_legacy(db.database_id, legacy, trusted)


def clean_temporaries(db: Database) -> int:
    """Temporary files a killed restore, backup or migration left beside the database or in its backup folder.
    Called while holding the database's lock: no other writer of this database is running."""
    from fazhi_desktop.services import safety

    found = atomic.stale_temporaries(db.path)
    if db.database_id:
        folder, _keep = safety.policy(db)
        prefix = f".{db.path.stem}-{identity.short(db.database_id)}-"
        with contextlib.suppress(OSError):
            found += [p for p in folder.glob(f"{prefix}*{atomic.TEMP_SUFFIX}") if p.is_file() and not p.is_symlink()]
    for path in found:
        with contextlib.suppress(OSError):
            path.unlink()
            log.info("removed a temporary file left by an interrupted run: %s", path)
    return len(found)


def _settle_attachments(db: Database) -> None:
    import sqlalchemy as sa

    from fazhi_desktop.services import attachments

    try:
        removed, moved = attachments.settle_interrupted(db.engine)
    except (OSError, UserError, sa.exc.SQLAlchemyError) as exc:  # tidying only: never stops the start
        log.warning("files of an interrupted operation could not be removed: %s", exc)
        return
    if removed or moved:
        log.info("an interrupted import or attachment left files: %d unreferenced removed, %d of committed records "
                 "moved into the store", removed, moved)


def must_be_sqlite(db_path: str | None, db_url: str | None) -> Path:
    path = target(db_path, db_url)
    if path is None:
        raise UserError("备份、恢复和检查只适用于本机 SQLite 数据库；服务器数据库请用数据库自身的工具")
    return path
