"""Backup policy for the program: where backups go and how many to keep (per database, from unit settings)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.services.units import list_units
from fazhi_desktop.storage import backups
from fazhi_desktop.storage.database import Database


def policy(engine: sa.Engine) -> tuple[Path, int]:
    """(folder, keep) from the first unit's settings; defaults when unset."""
    with engine.connect() as conn:
        units = list_units(conn)
    settings = units[0].settings if units else {}
    folder = Path(settings["backup_dir"]) if settings.get("backup_dir") else backups.default_folder()
    return folder, int(settings.get("backup_keep") or backups.DEFAULT_KEEP)


def backup_now(db: Database, reason: str = "manual") -> Path:
    if not db.is_sqlite:
        raise UserError("服务器数据库请用数据库自身的备份工具备份")
    folder, keep = policy(db.engine)
    return backups.make_backup(db.path, reason, folder, keep)


def daily(db: Database) -> Path | None:
    if not db.is_sqlite:
        return None
    folder, keep = policy(db.engine)
    return backups.daily_backup_if_due(db.path, folder, keep)
