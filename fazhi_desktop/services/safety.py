"""Backups and restore for the program: the policy (where backups go, how many are kept — one per database, set on
this PC), and a restore that upgrades, keeps the database's identity and is written to the history."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from pathlib import Path

import sqlalchemy as sa

from fazhi_desktop.domain.audit_actions import REIDENTIFY, RESTORE_BACKUP
from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.services import audit, retention
from fazhi_desktop.services.actor import default_actor
from fazhi_desktop.storage import audit_chain, backup_files, backups, identity, local_settings, migrate
from fazhi_desktop.storage import restore as restoring
from fazhi_desktop.storage.database import Database, make_engine

OtherUnitBackupError = restoring.OtherUnitBackupError
RestoreResult = restoring.RestoreResult
BackupInfo = backup_files.BackupInfo
DEFAULT_KEEP = backup_files.DEFAULT_KEEP
log = logging.getLogger(__name__)


def policy(db: Database) -> tuple[Path, int]:
    """(folder, keep) of this database's rotating backups, whatever units it holds."""
    return local_settings.backup_policy(db.database_id)


def policy_for_file(path: Path) -> Path:
    """The backup folder of a database file, found without opening it (it may be damaged: that is what restore is
    for) — through the identity this PC remembers for it."""
    return local_settings.backup_policy(identity.recall(path))[0]


def backup_now(db: Database, reason: str = "manual", actor: str | None = None) -> Path:
    """``actor``: someone asked for it (立即备份, ``backup``), who must be an account that may write once accounts
    exist: each backup rotates the oldest away, so backing up thirty times would otherwise let anyone clear them.
    The program's own backups (daily, on exit, before a migration) name no actor."""
    if not db.is_sqlite:
        raise UserError("服务器数据库请用数据库自身的备份工具备份")
    if actor is not None:
        from fazhi_desktop.domain.roles import WRITE
        from fazhi_desktop.services import accounts

        accounts.require_engine(db.engine, actor, WRITE)
    folder, keep = policy(db)
    path = backups.make_backup(db.path, reason, folder, keep, database_id=db.database_id)
    log.info("backup (%s) of %s written: %s", reason, db.path, path)
    return path


def daily(db: Database) -> Path | None:
    if not db.is_sqlite or db.read_only:
        return None
    folder, keep = policy(db)
    path = backups.daily_backup_if_due(db.path, folder, keep)
    if path is not None:
        log.info("daily backup of %s written: %s", db.path, path)
    return path


def copy_to(db: Database, target: Path, actor: str | None = None) -> Path:
    """备份到U盘: one self-contained file (attachments inside), named after the unit when a folder is given. It
    holds every full ID number, so once accounts exist only a 管理员 makes one, and each copy is logged."""
    from fazhi_desktop.domain.roles import ADMIN_ONLY
    from fazhi_desktop.services import accounts, privacy

    if not db.is_sqlite:
        raise UserError("服务器数据库请用数据库自身的备份工具备份")
    actor = actor or default_actor()
    accounts.require_engine(db.engine, actor, ADMIN_ONLY)
    summary = backup_files.summarize(db.path)
    path = backups.copy_to(db.path, target, summary.units if summary else ())
    log.info("copy of %s written to %s", db.path, path)
    if not db.read_only:  # a database on a read-only medium cannot take the history line
        privacy.log_export(db.engine, None, actor, "数据库备份（含完整身份证号）", path,
                           summary.records if summary else 0, full=True)
    return path


def list_backups(db_path: Path, folder: Path | None = None) -> list[BackupInfo]:
    return backup_files.list_backups(db_path, folder or policy_for_file(db_path))


def inspect(path: Path) -> backup_files.Summary:
    """What a backup holds, after every check a restore makes (a ``UserError`` names what is wrong)."""
    return restoring.inspect_backup(path).summary


def restore(db_path: Path, backup: Path, actor: str, *, allow_other_unit: bool = False,
            folder: Path | None = None, accounts_from_backup: bool = False) -> RestoreResult:
    """Validate, save the current data, restore; the restored copy is upgraded to the current schema, keeps this
    database's identity and (unless ``accounts_from_backup``, a 管理员's explicit choice) its current accounts, loses
    any settings that name places on another PC, and records the restore in its history before it replaces the live
    file."""
    from fazhi_desktop.services import accounts

    folder = folder or policy_for_file(db_path)
    when = backup_time(backup)
    kept: list[dict] | None = None  # the accounts this database has now, kept through the restore
    gone: dict[str, list[retention.Due]] = {}  # what was destroyed here: a backup must not bring it back (M6)
    again: list[tuple[str, str]] = []  # the files of what was destroyed again
    redestroyed = 0
    if db_path.exists():  # restoring replaces every record: a 管理员's decision once accounts exist
        from fazhi_desktop.domain.roles import ADMIN_ONLY

        current = accounts.read_only_engine(db_path)
        try:
            with current.connect() as conn:
                if sa.inspect(conn).has_table("accounts"):
                    accounts.require(conn, actor, ADMIN_ONLY)
                    kept = accounts.snapshot(conn)
            with current.connect() as conn:
                if sa.inspect(conn).has_table("audit_log"):
                    gone = retention.destroyed(conn)
        except sa.exc.DatabaseError:
            pass  # a damaged file cannot say who may restore it: restoring it is what it needs
        finally:
            current.dispose()
    if accounts_from_backup:
        kept = None

    def prepare(restored: Path, database_id: str) -> None:
        nonlocal redestroyed
        from alembic.util import CommandError

        from fazhi_desktop.services.units import drop_local_keys

        engine = make_engine(path=restored)
        try:
            try:
                migrate.upgrade_to_head(Database(engine, restored), take_backup=False, database_id=database_id)
            except (sa.exc.SQLAlchemyError, CommandError) as exc:
                # A backup whose tables are not those of the revision it claims (an edited file): its upgrade fails
                # on the copy, before anything replaces the live file.
                log.warning("upgrade of the restored copy of %s failed: %s", backup, exc)
                raise UserError(f"备份文件「{backup.name}」的表结构与它记载的结构版本不符（文件可能被人为改动过），不能用于"
                                "恢复。当前数据没有任何改动。") from None
            with engine.begin() as conn:
                old = identity.read_id(conn)
                identity.write_id(conn, database_id)
                drop_local_keys(conn, actor)
                if kept:  # the accounts as they are now, not as the backup remembers them (or lacks them)
                    accounts.adopt(conn, kept, actor)
                for unit_id, items in gone.items():  # destroyed since the backup was made: destroyed again
                    done, files = retention.destroy_rows(conn, unit_id, actor, items)
                    redestroyed += done
                    again.extend(files)
                changes = [audit.Change(None, "database", database_id, RESTORE_BACKUP, {
                    "备份文件": (None, backup.name), "备份时间": (None, when)})]
                if old and old != database_id:
                    changes.append(audit.Change(None, "database", database_id, REIDENTIFY, {"数据库标识": (old, database_id)}))
                audit.append(conn, actor, changes)
        finally:
            engine.dispose()

    log.info("restore of %s from %s (%s) by %s started", db_path, backup, when, actor)
    try:
        result = restoring.restore(db_path, backup, folder, allow_other_unit=allow_other_unit, prepare=prepare)
    except Exception as exc:
        log.warning("restore of %s from %s refused or failed: %s", db_path, backup, exc)
        raise
    identity.remember(db_path, result.database_id)
    _anchor_restored(db_path, result.database_id)
    if again:
        engine = make_engine(path=db_path)
        try:
            retention.remove_unused_files(engine, again)
        finally:
            engine.dispose()
    if redestroyed:
        log.info("%d records destroyed before were in the backup and were destroyed again", redestroyed)
        result = dataclasses.replace(result, destroyed_again=redestroyed)
    log.info("restored %s from %s; the data before it was kept as %s", db_path, backup, result.safety)
    return result


def _anchor_restored(db_path: Path, database_id: str) -> None:
    """The restored history is the database's history from now on: its last entry becomes the anchor."""
    engine = make_engine(path=db_path)
    try:
        with engine.connect() as conn:
            last = audit_chain.tail(conn)
    finally:
        engine.dispose()
    if last is not None:
        audit_chain.set_anchor(database_id, *last, forward_only=False)


def backup_time(backup: Path) -> str:
    """When a backup was made: from its name where the program named it, else the file's modification time."""
    m = re.search(r"(\d{8}-\d{6})", backup.name)
    if m:
        try:
            return dt.datetime.strptime(m[1], "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")


def log_reidentified(db: Database, actor: str) -> str | None:
    """A copy got an identity of its own when it was opened: put it in the history, and say it once."""
    if db.copied_from is None:
        return None
    old, original = db.copied_from
    with db.engine.begin() as conn:
        audit.append(conn, actor, [audit.Change(None, "database", db.database_id, REIDENTIFY,
                                                {"数据库标识": (old, db.database_id), "原文件": (None, str(original))})])
    db.copied_from = None
    return (f"这个数据库文件是「{original}」的副本，已为它分配新的编号：两者的备份和佐证材料从此分开保存，"
            "互不影响。")


def usable(backup: Path) -> bool:
    """A backup that would pass restore's checks."""
    try:
        restoring.inspect_backup(backup)
    except UserError:
        return False
    return True
