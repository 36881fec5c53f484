"""Append-only change log (修改记录) that proves itself: a hash chain, record states, an anchor outside the database.

What ``verify`` proves (README says the same in Chinese): every entry is the one that was written, in its place
(the chain); nothing was cut from the end or rewritten since this PC last wrote to the database (the anchor, kept
in this PC's data folder — on another PC, or after the data folder was lost, only the chain and the states are
checked); and every ledger record, unit and report draft is exactly as its last entry left it (the states) — a row
changed, added or deleted outside the program shows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from fazhi_desktop.domain.values import json_text
from fazhi_desktop.storage import audit_chain, bulk
from fazhi_desktop.storage.audit_chain import GENESIS, GONE
from fazhi_desktop.storage.schema import audit_log

MAX_FINDINGS = 5
# An entry's changes as JSON (one encoder for every entry: json.dumps would build one per call)
_CHANGES = json.JSONEncoder(default=json_text, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Change:
    unit_id: str | None
    ledger: str
    record_id: str
    action: str  # see domain.audit_actions
    changes: Mapping[str, tuple[Any, Any]]


def append(conn: sa.Connection, actor: str, entries: Iterable[Change], *, at: dt.datetime | None = None) -> None:
    """Write entries in the caller's transaction, after the rows they describe were written, so a change and its
    log stand or fall together; each entry about a record carries the record's state as now stored."""
    entries = list(entries)
    if not entries:
        return
    at = at or dt.datetime.now().replace(microsecond=0)
    prev = conn.execute(sa.select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)).scalar() or GENESIS
    tables = audit_chain.covered_tables()
    wanted: dict[str, list[str]] = {}
    for e in entries:
        if e.ledger in tables:
            wanted.setdefault(tables[e.ledger], []).append(e.record_id)
    current = {table: audit_chain.states(conn, table, ids) for table, ids in wanted.items()}
    rows = []
    for e in entries:
        # The encoder's hook converts what JSON cannot write (converting every value first was a tenth of a merge).
        changes = _CHANGES.encode({k: [o, n] for k, (o, n) in e.changes.items()})
        state = current[tables[e.ledger]][e.record_id] if e.ledger in tables else None
        digest = audit_chain.entry_hash(prev, at, actor, e.unit_id, e.ledger, e.record_id, e.action, changes, state)
        rows.append(dict(at=at, actor=actor, unit_id=e.unit_id, ledger=e.ledger, record_id=e.record_id,
                         action=e.action, changes=changes, prev_hash=prev, hash=digest, state=state))
        prev = digest
    bulk.insert_rows(conn, audit_log, rows)
    last = audit_chain.tail(conn)
    if last is not None:
        conn.info["audit_tail"] = last  # becomes the anchor once committed (storage.audit_chain.install)


def verify(conn: sa.Connection) -> int | None:
    """Return the id of the first entry whose chain is broken, or None when the whole chain is intact. An entry
    redacted when its record was destroyed (its changes replaced) counts as intact when it still links the chain and
    a later 销毁 entry, itself intact, lists it: about the same record, with the digest of what the redaction kept
    (M5: a redacted entry re-pointed at another record, or given another state, would otherwise hide a change)."""
    redacted = _redacted_entries(conn)
    prev = GENESIS
    for row in conn.execute(sa.select(audit_log).order_by(audit_log.c.id)).mappings():
        listed = redacted.get(row["id"])
        if row["changes"] == audit_chain.REDACTED and listed is not None:
            ledger, record_id, digest = listed
            if (row["prev_hash"] != prev or (row["ledger"], row["record_id"]) != (ledger, record_id)
                    or (digest is not None and audit_chain.kept_digest(dict(row)) != digest)):
                return row["id"]
            prev = row["hash"]
            continue
        expected = audit_chain.entry_hash(prev, row["at"], row["actor"], row["unit_id"], row["ledger"],
                                          row["record_id"], row["action"], row["changes"], row["state"])
        if row["prev_hash"] != prev or row["hash"] != expected:
            return row["id"]
        prev = row["hash"]
    return None


def _redacted_entries(conn: sa.Connection) -> dict[int, tuple[str, str, str | None]]:
    """Each entry a 销毁 entry lists → (ledger, record id) of the destroyed record and the digest of what the
    redaction kept (None in a 销毁 entry written before digests were kept, which binds only the record)."""
    from fazhi_desktop.domain.audit_actions import DESTROY

    found: dict[int, tuple[str, str, str | None]] = {}
    for ledger, record_id, changes in conn.execute(
            sa.select(audit_log.c.ledger, audit_log.c.record_id, audit_log.c.changes)
            .where(audit_log.c.action == DESTROY)):
        said = json.loads(changes)
        ids = said.get(audit_chain.DESTROYED_ENTRIES, [None, []])[1]
        digests = said.get(audit_chain.REDACTED_DIGESTS, [None, None])[1]
        if not isinstance(ids, list) or (digests is not None and (
                not isinstance(digests, list) or len(digests) != len(ids))):
            continue  # not what destroy writes: its entries count as unlisted, and break the chain
        for n, entry_id in enumerate(ids):
            if isinstance(entry_id, int):
                found[entry_id] = (ledger, record_id, digests[n] if digests is not None else None)
    return found


def anchor_problem(conn: sa.Connection, database_id: str | None) -> str | None:
    known = audit_chain.anchor(database_id)
    if known is None:
        return None
    entry_id, digest = known
    found = conn.execute(sa.select(audit_log.c.hash).where(audit_log.c.id == entry_id)).scalar()
    if found is None:
        last = audit_chain.tail(conn)
        return (f"修改记录被删除过：本机记录的最后一条是第 {entry_id} 条，现在只到第 {last[0] if last else 0} 条"
                "（末尾或全部修改记录被删掉了）")
    if found != digest:
        return f"修改记录被改写过：第 {entry_id} 条与本机记录的校验值不符（整条修改记录链可能被重新计算过）"
    return None


def state_problems(conn: sa.Connection) -> list[str]:
    """Records whose stored row differs from what their last history entry says."""
    from fazhi_desktop.domain.ledgers import LEDGERS

    last: dict[str, tuple[str, str]] = {}
    for ledger, record_id, state in conn.execute(
            sa.select(audit_log.c.ledger, audit_log.c.record_id, audit_log.c.state)
            .where(audit_log.c.state.is_not(None)).order_by(audit_log.c.id)):
        last[record_id] = (ledger, state)
    names = {lg.key: (lg.name, lg.title_field) for lg in LEDGERS} | {"unit": ("单位设置", "name"),
                                                                     "report_text": ("年度报告文稿", "year"),
                                                                     "account": ("账户", "name")}
    found: list[str] = []
    seen: set[str] = set()
    for ledger, table in audit_chain.covered_tables().items():
        name, title_field = names[ledger]
        for rid, state, row in audit_chain.all_states(conn, table):
            seen.add(rid)
            title = f"{name}「{str(row.get(title_field) or '')[:20]}」"
            entry = last.get(rid)
            if entry is None:
                found.append(f"{title}没有任何修改记录（是在程序之外直接写入数据库的）")
            elif entry[1] != state:
                found.append(f"{title}在程序之外被改动过（与最后一条修改记录不符）")
    for rid, (ledger, state) in last.items():
        if rid not in seen and state != GONE and ledger in names:
            found.append(f"{names[ledger][0]}中的一条记录（{rid[:8]}…）在程序之外被删除了")
    return found


def verify_problem(conn: sa.Connection, database_id: str | None = None) -> str | None:
    """None when the history proves itself; else a Chinese sentence saying what was found."""
    broken = verify(conn)
    if broken is not None:
        return f"修改记录校验失败：第 {broken} 条被改动、插入或调换过（其后的记录无法证明未被篡改）"
    problem = anchor_problem(conn, database_id)
    if problem:
        return f"修改记录校验失败：{problem}"
    changed = state_problems(conn)
    if changed:
        more = f"等 {len(changed)} 处" if len(changed) > MAX_FINDINGS else ""
        return "修改记录校验失败：" + "；".join(changed[:MAX_FINDINGS]) + more
    return None


def summary(conn: sa.Connection) -> str:
    """What verify printed as the anchor: the last entry, to be compared or written down."""
    last = audit_chain.tail(conn)
    return f"最后一条修改记录：第 {last[0]} 条，校验值 {last[1][:16]}" if last else "还没有修改记录"


def history(conn: sa.Connection, record_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        sa.select(audit_log).where(audit_log.c.record_id == record_id).order_by(audit_log.c.id)
    ).mappings()
    return [{**row, "changes": json.loads(row["changes"])} for row in rows]


def recent(conn: sa.Connection, limit: int = 200) -> list[dict[str, Any]]:
    rows = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)).mappings()
    return [{**row, "changes": json.loads(row["changes"])} for row in rows][::-1]


def masked_changes(entry: Mapping[str, Any]) -> dict[str, list[Any]]:
    """An entry's changes as the history shows them: ID numbers masked with the one rule every output uses (the
    full values stay in the database, for 历史's "put back")."""
    from fazhi_desktop.domain.idcard import mask_ids_in_text
    from fazhi_desktop.domain.ledgers import LEDGERS

    personal = {f.key: f for lg in LEDGERS if lg.key == entry.get("ledger") for f in lg.fields if f.kind.personal}
    out = {}
    for key, pair in entry["changes"].items():
        if key in personal and isinstance(pair, list):
            pair = [personal[key].kind.display(v) if isinstance(v, str) else v for v in pair]
        elif isinstance(pair, list):  # an ID number typed into free text is masked as well
            pair = [mask_ids_in_text(v) if isinstance(v, str) else v for v in pair]
        out[key] = pair
    return out


def history_of(ctx, record_id: str) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return history(conn, record_id)


@dataclass(frozen=True)
class Verification:
    problem: str | None
    summary: str
    anchored: bool = True  # whether this PC had a last entry of its own to compare with


def verify_of(ctx) -> Verification:
    with ctx.engine.connect() as conn:
        anchored = audit_chain.anchor(ctx.db.database_id) is not None
        return Verification(verify_problem(conn, ctx.db.database_id), summary(conn), anchored)


def entries_of(ctx, record_id: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        return history(conn, record_id) if record_id else recent(conn, limit)
