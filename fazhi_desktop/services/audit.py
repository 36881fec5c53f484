"""Append-only change log with a hash chain: every entry's hash covers the previous one, so an edit shows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.storage.schema import audit_log

GENESIS = "0" * 64


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _entry_hash(prev_hash: str, at: dt.datetime, actor: str, unit_id: str | None, ledger: str, record_id: str,
                action: str, changes: str) -> str:
    payload = json.dumps([prev_hash, at.isoformat(), actor, unit_id, ledger, record_id, action, changes],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Change:
    unit_id: str | None
    ledger: str
    record_id: str
    action: str  # create / update / delete / restore / purge
    changes: Mapping[str, tuple[Any, Any]]


def append(conn: sa.Connection, actor: str, entries: Iterable[Change], *, at: dt.datetime | None = None) -> None:
    """Write entries in the caller's transaction, so a change and its log stand or fall together."""
    at = at or dt.datetime.now().replace(microsecond=0)
    prev = conn.execute(sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)).scalar() or GENESIS
    rows = []
    for e in entries:
        changes = json.dumps({k: [jsonable(o), jsonable(n)] for k, (o, n) in e.changes.items()},
                             ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = _entry_hash(prev, at, actor, e.unit_id, e.ledger, e.record_id, e.action, changes)
        rows.append(dict(at=at, actor=actor, unit_id=e.unit_id, ledger=e.ledger, record_id=e.record_id,
                         action=e.action, changes=changes, prev_hash=prev, hash=digest))
        prev = digest
    if rows:
        conn.execute(sa.insert(audit_log), rows)


def verify(conn: sa.Connection) -> int | None:
    """Return the id of the first entry whose chain is broken, or None when the whole log is intact."""
    prev = GENESIS
    for row in conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings():
        expected = _entry_hash(prev, row["at"], row["actor"], row["unit_id"], row["ledger"], row["record_id"],
                               row["action"], row["changes"])
        if row["prev_hash"] != prev or row["hash"] != expected:
            return row["id"]
        prev = row["hash"]
    return None


def history(conn: sa.Connection, record_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        sa.select(audit_log).where(audit_log.c.record_id == record_id).order_by(audit_log.c.id)
    ).mappings()
    return [{**row, "changes": json.loads(row["changes"])} for row in rows]


def recent(conn: sa.Connection, limit: int = 200) -> list[dict[str, Any]]:
    rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).mappings()
    return [{**row, "changes": json.loads(row["changes"])} for row in rows][::-1]


def verify_problem(conn: sa.Connection, database_id: str | None = None) -> str | None:
    """None when the history proves itself; else a Chinese sentence saying what was found."""
    broken = verify(conn)
    if broken is not None:
        return f"修改记录校验失败：第 {broken} 条被改动或删除过（其后的记录无法证明未被篡改）"
    return None
