"""数据库检查 (``check``): can the file be read, is it sound, is it the program's own, does its history hold."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.runtime import command_name
from fazhi_desktop.storage import backup_files, sqlite_file


@dataclass(frozen=True)
class Health:
    path: Path
    read_only: bool
    records: int | None
    audit_problem: str | None


def check_file(path: Path) -> None:
    """Raise a ``UserError`` telling an unreadable file (permissions, medium: do not restore) from a damaged one."""
    if not path.exists():
        raise UserError(f"数据库文件不存在：{path}\n请检查 --db 参数是否写错。")
    problem = sqlite_file.access_problem(path)
    if problem:
        raise UserError(f"无法打开数据库文件：{path}（{problem}）。\n这不是数据损坏：请检查文件权限、U盘或光盘等存储介质，"
                        "不要从备份恢复。")
    problem = sqlite_file.integrity_problem(path)
    if problem:
        raise UserError(f"数据库已损坏：{path}（{problem}）。\n请用 {command_name()} restore <备份文件> 从备份恢复。")


def check(opened) -> Health:
    """The whole check of an opened database (``services.opening.Opened``)."""
    from fazhi_desktop.services import audit

    db = opened.db
    with db.engine.connect() as conn:
        problem = audit.verify_problem(conn, db.database_id)
    summary = backup_files.summarize(db.path) if db.path else None
    return Health(db.path, db.read_only, summary.records if summary else None, problem)
