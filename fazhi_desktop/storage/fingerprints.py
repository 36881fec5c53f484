"""Keeping the stored content fingerprints (domain.fingerprint) true where records change outside
``services.records.to_storage``: the migration that added them, and a village renamed across records."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from fazhi_desktop.domain.fingerprint import COLUMN, fingerprint
from fazhi_desktop.domain.ledgers import ledger as get_ledger
from fazhi_desktop.storage.schema import ledger_table

_CHUNK = 500


def refresh(conn: sa.Connection, ledger_key: str, ids: Iterable[str] | None = None) -> int:
    """Recompute the fingerprints of the records ``ids`` (all the ledger's records when None). Only the columns the
    database has are read: a migration runs this before later revisions add theirs (absent means blank)."""
    ledger = get_ledger(ledger_key)
    table = ledger_table(ledger_key)
    present = {c["name"] for c in sa.inspect(conn).get_columns(ledger_key)}
    columns = [table.c.id, *(table.c[f.key] for f in ledger.fields if f.key in present)]
    wanted = None if ids is None else list(dict.fromkeys(ids))
    chunks = [None] if wanted is None else [wanted[i:i + _CHUNK] for i in range(0, len(wanted), _CHUNK)]
    update = sa.update(table).where(table.c.id == sa.bindparam("rid")).values({COLUMN: sa.bindparam("fp")})
    done = 0
    for chunk in chunks:
        statement = sa.select(*columns) if chunk is None else sa.select(*columns).where(table.c.id.in_(chunk))
        batch = []
        for row in conn.execute(statement).mappings().yield_per(5000) if chunk is None else conn.execute(statement).mappings():
            batch.append({"rid": row["id"], "fp": fingerprint(ledger, row)})
        for i in range(0, len(batch), 5000):
            conn.execute(update, batch[i:i + 5000])
        done += len(batch)
    return done
