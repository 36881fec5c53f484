"""The on-disk form of the history's proof: entry hashes, record states and the anchor kept outside the database.

Each history entry's hash covers the entry before it (a chain). An entry that changed a record also carries the
record's *state*: a hash of the row as it was stored right after the change. ``audit verify`` then recomputes every
record's state and compares it with its last entry, so a row changed, added or deleted with a SQLite tool (no entry)
shows, as does a chain rewritten end to end: the last entry's id and hash are also kept outside the database (the
anchor, in this PC's data folder), so truncating the history or recomputing it no longer matches.

The canonical state is part of the file format. It is computed from the raw values the database driver returns
(consistent for each backend), leaves NULL columns out (a migration adding a nullable column changes no state), and
a migration that rewrites stored values must append new ``baseline`` entries (``baseline``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fazhi_desktop.domain import sort_keys
from fazhi_desktop.domain.ledgers import LEDGERS

if TYPE_CHECKING:
    import sqlalchemy as sa

GENESIS = "0" * 64
GONE = "f" * 64  # the state of a record that no longer exists (purged)
# What a destroyed record's earlier entries hold instead of their changes (保管期满销毁). Such an entry is proven by
# its place in the chain and by the later, intact 销毁 entry that lists it (services.audit.verify).
REDACTED = '{"内容":"保管期满，已随记录销毁"}'
DESTROYED_ENTRIES = "销毁的修改记录"  # the 销毁 entry's list of the entries it redacted
# ... and, for each of them, a digest of everything the redaction kept, its original hash included (which covers the
# content removed): a redacted entry cannot later be pointed at another record or given another state (M5)
REDACTED_DIGESTS = "销毁的修改记录摘要"
BASELINE = "baseline"
_CHUNK = 500


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


# json.dumps with these options builds a new encoder at every call; an entry's hash and a record's state are made
# once per record of every import and merge (#38). The texts are the same as json.dumps gives.
_ENTRY = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def entry_hash(prev_hash: str, at: dt.datetime, actor: str, unit_id: str | None, ledger: str, record_id: str,
               action: str, changes: str, state: str | None = None) -> str:
    fields = [prev_hash, at.isoformat(), actor, unit_id, ledger, record_id, action, changes]
    if state is not None:
        fields.append(state)
    return hashlib.sha256(_ENTRY.encode(fields).encode("utf-8")).hexdigest()


def kept_digest(entry: dict[str, Any]) -> str:
    """What a redaction keeps of a history entry, in one digest: every column but the removed changes. The entry's
    own hash was computed over the changes, so the digest binds them too, without keeping them."""
    fields = [entry["id"], entry["prev_hash"], entry["hash"], _jsonable(entry["at"]), entry["actor"],
              entry["unit_id"], entry["ledger"], entry["record_id"], entry["action"], entry["state"]]
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# Columns derived from the others (a record's content fingerprint, its pinyin sort keys): recomputed by the program,
# never part of a state, so adding them (migrations 0013, 0014) changed no record's state.
DERIVED = frozenset({"fingerprint", *(sort_keys.column(f.key) for lg in LEDGERS for f in sort_keys.keyed_fields(lg))})


def _state_value(value: Any) -> Any:
    """What JSON cannot write itself, as ``_jsonable`` writes it; anything else as its text."""
    converted = _jsonable(value)
    return str(converted) if converted is value else converted


_STATE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_state_value)


def row_state(row: dict[str, Any]) -> str:
    # The encoder asks for the few values JSON cannot write (a row read from the database holds at most bytes):
    # converting every value first was a fifth of a county merge.
    canonical = {k: v for k, v in row.items() if v is not None and k not in DERIVED}
    return hashlib.sha256(_STATE.encode(canonical).encode("utf-8")).hexdigest()


def covered_tables() -> dict[str, str]:
    """History ``ledger`` name → the table whose rows it describes (ledgers, units, report drafts)."""
    from fazhi_desktop.domain.ledgers import LEDGERS

    return {**{lg.key: lg.key for lg in LEDGERS}, "unit": "units", "report_text": "report_texts",
            "account": "accounts"}  # an account written outside the program (a forged 管理员) shows


def _rows(conn: sa.Connection, table: str, ids: list[str] | None = None) -> Iterator[dict[str, Any]]:
    if ids is None:
        result = conn.exec_driver_sql(f'SELECT * FROM "{table}"')  # noqa: S608 - table names are declared
        names = [d[0] for d in result.cursor.description]
        for row in result:
            yield dict(zip(names, row, strict=True))
        return
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        marks = ", ".join(["?"] * len(chunk)) if conn.dialect.paramstyle == "qmark" else ", ".join(["%s"] * len(chunk))
        result = conn.exec_driver_sql(f'SELECT * FROM "{table}" WHERE id IN ({marks})', tuple(chunk))  # noqa: S608
        names = [d[0] for d in result.cursor.description]
        # The driver's rows as they are (SQLAlchemy's result fetched them one by one: a twentieth of an import)
        fetched = result.cursor.fetchall()
        result.close()
        for row in fetched:
            yield dict(zip(names, row, strict=True))


def states(conn: sa.Connection, table: str, ids: Iterable[str]) -> dict[str, str]:
    """The current state of each record (``GONE`` for one that does not exist)."""
    wanted = list(dict.fromkeys(ids))
    found = {row["id"]: row_state(row) for row in _rows(conn, table, wanted)}
    return {rid: found.get(rid, GONE) for rid in wanted}


def all_states(conn: sa.Connection, table: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for row in _rows(conn, table):
        yield row["id"], row_state(row), row


def baseline(conn: sa.Connection, actor: str) -> int:
    """Append one ``baseline`` entry per stored record, carrying its state (after a migration that introduced or
    rewrote states). Returns how many were appended."""
    import sqlalchemy as sa

    now = dt.datetime.now().replace(microsecond=0)
    prev = conn.exec_driver_sql("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").scalar() or GENESIS
    rows = []
    tables = set(sa.inspect(conn).get_table_names())
    for ledger, table in covered_tables().items():
        if table not in tables:
            continue
        for rid, state, row in all_states(conn, table):
            unit_id = row.get("unit_id") if table != "units" else rid
            digest = entry_hash(prev, now, actor, unit_id, ledger, rid, BASELINE, "{}", state)
            rows.append({"at": now, "actor": actor, "unit_id": unit_id, "ledger": ledger, "record_id": rid,
                         "action": BASELINE, "changes": "{}", "prev_hash": prev, "hash": digest, "state": state})
            prev = digest
    if rows:
        table = sa.table("audit_log", *(sa.column(c) for c in rows[0]))
        for i in range(0, len(rows), 5000):
            conn.execute(sa.insert(table), rows[i:i + 5000])
    return len(rows)


# -- the anchor, outside the database ----------------------------------------------------------------------------------
def _anchor_file():
    from fazhi_desktop.storage import paths

    return paths.data_dir() / "history-anchors.json"


def _load() -> dict[str, Any]:
    try:
        data = json.loads(_anchor_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def anchor(database_id: str | None) -> tuple[int, str] | None:
    """The last history entry (id, hash) this PC saw committed for the database, if any."""
    found = _load().get(database_id or "")
    if isinstance(found, dict) and isinstance(found.get("id"), int) and isinstance(found.get("hash"), str):
        return found["id"], found["hash"]
    return None


def set_anchor(database_id: str, entry_id: int, digest: str, *, forward_only: bool = True) -> None:
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.storage import atomic, identity, paths

    everything = _load()
    current = everything.get(database_id)
    if forward_only and isinstance(current, dict) and isinstance(current.get("id"), int) and current["id"] > entry_id:
        return
    everything[identity.checked(database_id)] = {"id": entry_id, "hash": digest,
                                                 "at": dt.datetime.now().isoformat(timespec="seconds")}
    with contextlib.suppress(OSError, UserError):  # best effort: a read-only data folder keeps no anchor
        paths.private_dir(_anchor_file().parent)
        with atomic.atomic_stream(_anchor_file(), private=True, output=False) as fh:
            fh.write(json.dumps(everything, ensure_ascii=False, indent=1).encode("utf-8"))


def tail(conn: sa.Connection) -> tuple[int, str] | None:
    row = conn.exec_driver_sql("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").first()
    return (row[0], row[1]) if row else None


def install(engine: sa.Engine, database_id: str) -> None:
    """Keep the anchor up to date: when a connection that appended history goes back to the pool, the entry it
    wrote — if it was really committed — becomes the anchor."""
    import sqlalchemy as sa

    def checkin(dbapi_conn, record) -> None:
        pending = record.info.pop("audit_tail", None)
        if pending is None:
            return
        entry_id, digest = pending
        try:
            cur = dbapi_conn.cursor()
            try:
                cur.execute("SELECT hash FROM audit_log WHERE id = ?", (entry_id,))
                row = cur.fetchone()
            finally:
                cur.close()
        except Exception:  # noqa: BLE001 - a failed check anchors nothing; verify still checks the chain
            return
        if row and row[0] == digest:
            set_anchor(database_id, entry_id, digest)

    sa.event.listen(engine.pool, "checkin", checkin)
