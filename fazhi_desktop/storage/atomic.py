"""The one way the program writes a file: a temporary file made exclusively beside the target, filled, flushed to
disk, then renamed over the target in one step.

The temporary name is chosen by ``mkstemp`` (``O_CREAT | O_EXCL``): a file or symlink planted at a predictable name
(``.报告.pdf.part`` pointing at the database, say) is never opened, followed or truncated. A failed or killed write
leaves the target as it was; a killed one may leave a temporary file, which ``stale_temporaries`` finds later.
Outputs (reports, workbooks) are never written over a database or its journal files.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from fazhi_desktop.domain.errors import UserError, write_error

SQLITE_MAGIC = b"SQLite format 3\x00"
_JOURNALS = ("-wal", "-shm", "-journal", ".lock")
TEMP_SUFFIX = ".part"
PRIVATE_MODE = 0o600  # the database, backups, attachments, logs: personal data
SHARED_MODE = 0o644  # documents meant to be printed, mailed and read by colleagues
STALE_SECONDS = 3600  # a temporary output file untouched this long is a killed write's leftover


def is_database_file(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def refuse_database_target(target: Path) -> None:
    """An output (report, workbook, template) never replaces a database or one of its journal files."""
    if target.is_dir():
        raise UserError(f"「{target}」是一个文件夹，请给出文件名")
    if target.exists() and is_database_file(target):
        raise UserError(f"「{target}」是一个数据库文件，不能用输出文件覆盖它。请换一个文件名。")
    for suffix in _JOURNALS:
        if target.name.endswith(suffix) and is_database_file(target.with_name(target.name[: -len(suffix)])):
            raise UserError(f"「{target}」属于数据库「{target.name[: -len(suffix)]}」，不能用输出文件覆盖它。请换一个文件名。")


def temp_prefix(target: Path) -> str:
    return f".{target.name}."


def stale_temporaries(target: Path) -> list[Path]:
    """Temporary files a killed write of ``target`` may have left beside it."""
    prefix = temp_prefix(target)
    try:
        return [p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.name.endswith(TEMP_SUFFIX)
                and p.is_file() and not p.is_symlink()]
    except OSError:
        return []


def _new_temp(target: Path) -> tuple[int, Path]:
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=temp_prefix(target), suffix=TEMP_SUFFIX)
    return fd, Path(name)


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; Windows has no directory handles to flush)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _publish(tmp: Path, target: Path, mode: int) -> None:
    if os.name != "nt":
        os.chmod(tmp, mode)
    os.replace(tmp, target)
    fsync_folder(target.parent)


def _friendly(exc: OSError, target: Path) -> UserError:
    if isinstance(exc, PermissionError) and os.access(target.parent, os.W_OK) and target.exists():
        return UserError(f"无法写入「{target}」：文件可能正被其他程序打开（如 WPS 或 PDF 阅读器），请关闭后重试")
    return write_error(exc, target)


def _checked_folder(target: Path) -> None:
    if not target.parent.is_dir():
        raise UserError(f"保存位置的文件夹不存在：{target.parent}")


@contextlib.contextmanager
def atomic_stream(path: str | os.PathLike, *, private: bool = False, output: bool = True) -> Iterator[BinaryIO]:
    """Write ``path`` through an open temporary file (writers that take a file object: reportlab, openpyxl,
    python-docx, json). ``output``: a document, refused over a database. ``private``: owner-only (0600)."""
    target = Path(path)
    _checked_folder(target)
    if output:
        refuse_database_target(target)
    try:
        fd, tmp = _new_temp(target)
    except OSError as exc:
        raise _friendly(exc, target) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, target, PRIVATE_MODE if private else SHARED_MODE)
    except OSError as exc:
        raise _friendly(exc, target) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    if output:
        remove_stale_temporaries(target)


def remove_stale_temporaries(target: Path, older_than: float = STALE_SECONDS) -> list[Path]:
    """What killed writes of this output left beside it (a binder run stopped half-way): removed once the output
    is written again, if untouched for an hour — a write in progress in another program's run is never taken."""
    import time

    gone = []
    for stale in stale_temporaries(target):
        with contextlib.suppress(OSError):
            if time.time() - stale.stat().st_mtime > older_than:
                stale.unlink()
                gone.append(stale)
    return gone


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, *, private: bool = True,
                before_replace: Callable[[], None] | None = None) -> Iterator[Path]:
    """Write ``path`` through a temporary *file name* (for writers that must open the file themselves: SQLite).
    The temporary file exists, empty and owner-only, when the block starts; it is flushed to disk before the rename.
    ``before_replace`` runs just before the rename (restore removes the old database's WAL there)."""
    target = Path(path)
    _checked_folder(target)
    try:
        fd, tmp = _new_temp(target)
        os.close(fd)
    except OSError as exc:
        raise _friendly(exc, target) from exc
    try:
        yield tmp
        flush_file(tmp)
        if before_replace is not None:
            before_replace()
        _publish(tmp, target, PRIVATE_MODE if private else SHARED_MODE)
    except OSError as exc:
        raise _friendly(exc, target) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def flush_file(path: Path) -> None:
    """fsync a file someone else wrote. Opened for writing: Windows refuses to flush a file opened read-only."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_file(source: Path, target: Path, *, private: bool = True) -> None:
    """Copy ``source`` to ``target`` atomically (``target`` never half-written)."""
    with atomic_stream(target, private=private, output=False) as out, open(source, "rb") as src:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            out.write(chunk)
