"""佐证材料: files attached to a record, kept once each in the data folder under their SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.services import audit
from fazhi_desktop.storage import paths
from fazhi_desktop.storage.schema import attachments

MAX_SIZE = 200 * 1024 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}


def store_dir() -> Path:
    return paths.data_dir() / "attachments"


def path_for(sha256: str) -> Path:
    return store_dir() / sha256[:2] / sha256


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def add(engine: sa.Engine, unit_id: str, ledger: str, record_id: str, source: str | os.PathLike, actor: str) -> str:
    src = Path(source)
    if not src.is_file():
        raise UserError(f"找不到文件：{src}")
    size = src.stat().st_size
    if size > MAX_SIZE:
        raise UserError(f"文件过大（{size // 1024 // 1024} MB），佐证材料单个文件不能超过 200 MB")
    digest = _digest(src)
    target = path_for(digest)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        shutil.copyfile(src, tmp)
        os.replace(tmp, target)
    att_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(sa.insert(attachments).values(
            id=att_id, unit_id=unit_id, ledger=ledger, record_id=record_id, name=src.name, sha256=digest, size=size,
            added_at=dt.datetime.now().replace(microsecond=0), added_by=actor))
        audit.append(conn, actor, [audit.Change(unit_id, ledger, record_id, "attach", {"佐证材料": (None, src.name)})])
    return att_id


def list_for(conn: sa.Connection, record_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(sa.select(attachments).where(attachments.c.record_id == record_id)
                        .order_by(attachments.c.added_at, attachments.c.name)).mappings()
    return [dict(r, path=path_for(r["sha256"]), is_image=Path(r["name"]).suffix.lower() in IMAGE_SUFFIXES)
            for r in rows]


def remove(engine: sa.Engine, attachment_id: str, actor: str) -> None:
    with engine.begin() as conn:
        row = conn.execute(sa.select(attachments).where(attachments.c.id == attachment_id)).mappings().first()
        if row is None:
            return
        conn.execute(sa.delete(attachments).where(attachments.c.id == attachment_id))
        audit.append(conn, actor, [audit.Change(row["unit_id"], row["ledger"], row["record_id"], "detach",
                                                {"佐证材料": (row["name"], None)})])
        still_used = conn.execute(sa.select(sa.func.count()).where(attachments.c.sha256 == row["sha256"])).scalar()
    if not still_used:
        path_for(row["sha256"]).unlink(missing_ok=True)
