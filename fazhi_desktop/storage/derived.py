"""Keeping the columns derived from a record's values — its content fingerprint (domain.fingerprint) and its pinyin
sort keys (domain.sort_keys) — true where records change outside ``services.records.to_storage``: the migrations that
added them, and a village renamed across records."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from fazhi_desktop.domain.fingerprint import COLUMN, fingerprint
from fazhi_desktop.domain.ledgers import ledger as get_ledger
from fazhi_desktop.domain.sort_keys import column as key_column
from fazhi_desktop.domain.sort_keys import keyed_fields, pinyin_key
from fazhi_desktop.storage.schema import ledger_table

_CHUNK = 500
_PAGE = 5000


def refresh(conn: sa.Connection, ledger_key: str, ids: Iterable[str] | None = None) -> int:
    """Recompute the fingerprints and sort keys of the records ``ids`` (all the ledger's records when None, read in
    pages of the primary key: a million records never sit in memory at once). Only the columns the database has are
    read and written: a migration runs this before later revisions add theirs (absent means blank)."""
    ledger = get_ledger(ledger_key)
    table = ledger_table(ledger_key)
    present = {c["name"] for c in sa.inspect(conn).get_columns(ledger_key)}
    columns = [table.c.id, *(table.c[f.key] for f in ledger.fields if f.key in present)]
    keyed = [f.key for f in keyed_fields(ledger) if key_column(f.key) in present]
    values = {COLUMN: sa.bindparam("fp"), **{key_column(k): sa.bindparam(f"k_{k}") for k in keyed}}
    update = sa.update(table).where(table.c.id == sa.bindparam("rid")).values(values)

    def write(rows) -> int:
        batch = [{"rid": row["id"], "fp": fingerprint(ledger, row),
                  **{f"k_{k}": pinyin_key(row.get(k)) for k in keyed}} for row in rows]
        if batch:
            conn.execute(update, batch)
        return len(batch)

    done = 0
    if ids is not None:
        wanted = list(dict.fromkeys(ids))
        for i in range(0, len(wanted), _CHUNK):
            done += write(conn.execute(sa.select(*columns).where(table.c.id.in_(wanted[i:i + _CHUNK]))).mappings())
        return done
    last = None
    while True:
        page = sa.select(*columns).order_by(table.c.id).limit(_PAGE)
        rows = conn.execute(page if last is None else page.where(table.c.id > last)).mappings().all()
        if not rows:
            return done
        done += write(rows)
        last = rows[-1]["id"]
