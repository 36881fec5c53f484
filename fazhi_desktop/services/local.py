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


MAX_CLERK = local_settings.MAX_CLERK


def clerk(db: Database) -> str | None:
    """The name the clerk gave on this PC (设置 or the first-run wizard): it signs the change log instead of the
    Windows login (often "Administrator"), until accounts exist."""
    return local_settings.load(db.database_id).get("clerk")


def last_account(db: Database) -> str:
    """The account that last logged in to this database on this PC: the login box offers it (the computer's own
    login name is rarely an account's name, and a first try that fails counts towards the lockout)."""
    return local_settings.load(db.database_id).get("last_account", "")


def remember_account(db: Database, name: str) -> None:
    if db.database_id:  # a server database keeps no local settings
        local_settings.update(db.database_id, {"last_account": name})


def policy(db: Database) -> tuple[Path, int]:
    return local_settings.backup_policy(db.database_id)


def save(db: Database, *, fonts: Mapping[str, str] | None = None, backup_dir: str | None = None,
         keep: int | None = None, clerk: str | None = None) -> None:
    if not db.database_id:
        raise UserError("服务器数据库的本机设置无法保存")
    changes: dict = {}
    if fonts is not None:
        changes["fonts"] = dict(fonts)
    if backup_dir is not None:
        changes["backup_dir"] = backup_dir
    if keep is not None:
        changes["backup_keep"] = keep
    if clerk is not None:
        if len(clerk.strip()) > local_settings.MAX_CLERK:
            raise UserError(f"姓名过长（不超过{local_settings.MAX_CLERK}个字）")
        changes["clerk"] = clerk.strip()
    local_settings.update(db.database_id, changes)
