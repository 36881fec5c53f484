"""This PC's settings for a database (backup folder and count, report font files): read and saved for the front
ends, which never touch the storage layer themselves."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.storage import local_settings

if TYPE_CHECKING:  # the window imports this before SQLAlchemy loads
    from fazhi_desktop.storage.database import Database


def data_folder() -> Path:
    """Where this PC keeps the program's data (databases by default, backups, logs, attachments)."""
    from fazhi_desktop.storage import paths

    return paths.data_dir()


def fonts(db: Database) -> dict[str, str]:
    return dict(local_settings.load(db.database_id).get("fonts") or {})


def policy(db: Database) -> tuple[Path, int]:
    return local_settings.backup_policy(db.database_id)


def save(db: Database, *, fonts: Mapping[str, str] | None = None, backup_dir: str | None = None,
         keep: int | None = None) -> None:
    if not db.database_id:
        raise UserError("服务器数据库的本机设置无法保存")
    changes: dict = {}
    if fonts is not None:
        changes["fonts"] = dict(fonts)
    if backup_dir is not None:
        changes["backup_dir"] = backup_dir
    if keep is not None:
        changes["backup_keep"] = keep
    local_settings.update(db.database_id, changes)
