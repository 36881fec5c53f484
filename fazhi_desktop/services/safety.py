"""Backup policy and restore for the program: where backups go, how many to keep (per database, from unit
settings), and a restore that upgrades, keeps the database's identity and is written to the history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.services import audit
from fazhi_desktop.services.units import list_units
from fazhi_desktop.storage import backups, identity, migrate
from fazhi_desktop.storage.database import Database, make_engine

RESTORE_ACTION = "restore-backup"


def policy(engine: sa.Engine) -> tuple[Path, int]:
    """(folder, keep) from the first unit's settings; defaults when unset."""
    with engine.connect() as conn:
        units = list_units(conn)
    settings = units[0].settings if units else {}
    folder = Path(settings["backup_dir"]) if settings.get("backup_dir") else backups.default_folder()
    return folder, int(settings.get("backup_keep") or backups.DEFAULT_KEEP)


def policy_for_file(path: Path) -> Path | None:
    """The backup folder a database file's settings name, read without opening it for writing (None: default, or
    the file cannot be read — a damaged database is exactly what restore is for)."""
    import json
    import sqlite3

    try:
        con = identity.connect_ro(path)
        try:
            row = con.execute("SELECT settings FROM units ORDER BY name LIMIT 1").fetchone()
        finally:
            con.close()
        settings = json.loads(row[0]) if row and row[0] else {}
    except (sqlite3.Error, ValueError):
        return None
    return Path(settings["backup_dir"]) if isinstance(settings, dict) and settings.get("backup_dir") else None


def backup_now(db: Database, reason: str = "manual") -> Path:
    if not db.is_sqlite:
        raise UserError("服务器数据库请用数据库自身的备份工具备份")
    folder, keep = policy(db.engine)
    return backups.make_backup(db.path, reason, folder, keep)


def daily(db: Database) -> Path | None:
    if not db.is_sqlite or db.read_only:
        return None
    folder, keep = policy(db.engine)
    return backups.daily_backup_if_due(db.path, folder, keep)


def restore(db_path: Path, backup: Path, actor: str, *, allow_other_unit: bool = False,
            folder: Path | None = None) -> backups.RestoreResult:
    """Validate, save the current data, restore; the restored copy is upgraded to the current schema, keeps this
    database's identity and records the restore in its history before it replaces the live file."""
    folder = folder or policy_for_file(db_path) or backups.default_folder()
    when = backup_time(backup)

    def prepare(restored: Path, database_id: str) -> None:
        engine = make_engine(f"sqlite:///{restored}")
        try:
            migrate.upgrade_to_head(Database(engine, restored), take_backup=False, database_id=database_id)
            with engine.begin() as conn:
                identity.write_id(conn, database_id)
                audit.append(conn, actor, [audit.Change(None, "database", database_id, RESTORE_ACTION, {
                    "备份文件": (None, backup.name), "备份时间": (None, when)})])
        finally:
            engine.dispose()

    result = backups.restore(db_path, backup, folder, allow_other_unit=allow_other_unit, prepare=prepare)
    identity.remember(db_path, result.database_id)
    return result


def backup_time(backup: Path) -> str:
    """When a backup was made: from its name where the program named it, else the file's modification time."""
    import re

    m = re.search(r"(\d{8}-\d{6})", backup.name)
    if m:
        try:
            return dt.datetime.strptime(m[1], "%Y%m%d-%H%M%S").strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
