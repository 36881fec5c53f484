"""Writing output files safely: a temporary name first, then an atomic rename; clear messages when it fails.

An output never replaces a database: reports, workbooks and templates are refused over any SQLite file (the open
database, a backup, another program's data) and over a database's journal files.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from fazhi_desktop.domain.errors import UserError, write_error

_SQLITE_MAGIC = b"SQLite format 3\x00"
_JOURNALS = ("-wal", "-shm", "-journal", ".lock")


def _is_database(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def refuse_database_target(target: Path) -> None:
    if target.is_dir():
        raise UserError(f"「{target}」是一个文件夹，请给出文件名")
    if target.exists() and _is_database(target):
        raise UserError(f"「{target}」是一个数据库文件，不能用输出文件覆盖它。请换一个文件名。")
    for suffix in _JOURNALS:
        if target.name.endswith(suffix) and _is_database(target.with_name(target.name[: -len(suffix)])):
            raise UserError(f"「{target}」属于数据库「{target.name[: -len(suffix)]}」，不能用输出文件覆盖它。请换一个文件名。")


@contextlib.contextmanager
def atomic_target(path: str | os.PathLike) -> Iterator[Path]:
    target = Path(path)
    if not target.parent.is_dir():
        raise UserError(f"保存位置的文件夹不存在：{target.parent}")
    refuse_database_target(target)
    tmp = target.with_name(f".{target.name}.part")
    try:
        yield tmp
        os.replace(tmp, target)
    except PermissionError as exc:
        if os.access(target.parent, os.W_OK) and target.exists():
            raise UserError(f"无法写入「{target}」：文件可能正被其他程序打开（如 WPS 或 PDF 阅读器），请关闭后重试") from exc
        raise write_error(exc, target) from exc
    except OSError as exc:
        raise write_error(exc, target) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
