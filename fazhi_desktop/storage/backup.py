"""Consistent SQLite backups: the backup API to a temporary name, verified, then renamed into place."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from fazhi_desktop.domain.errors import UserError


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live (WAL) database consistently; never a plain file copy, which can lose the WAL's contents."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
            # The copy should not need the WAL: a single self-contained file is what people carry to a USB stick.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    if ok != "ok":
        tmp.unlink(missing_ok=True)
        raise UserError(f"备份校验未通过：{ok}")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target
