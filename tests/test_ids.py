"""Ids of new rows carry their time first (RFC 9562 version 7), so the rows of one import or merge sit together in
every index on an id (#38)."""

from __future__ import annotations

import datetime as dt
import time
import uuid

from bookkit import workbook

from fazhi_desktop.domain.ids import new_id
from fazhi_desktop.exchange.apply import run_import
from fazhi_desktop.storage.schema import ledger_table


def _millis(text: str) -> int:
    return uuid.UUID(text).int >> 80


def test_an_id_is_a_canonical_version_7_uuid_holding_the_time_it_was_made():
    before = time.time_ns() // 1_000_000
    ids = [new_id() for _ in range(5000)]
    after = time.time_ns() // 1_000_000
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 7 and parsed.variant == uuid.RFC_4122
        assert before <= _millis(text) <= after


def test_ids_made_later_sort_after_as_text():
    first = new_id()
    time.sleep(0.003)
    second = new_id()
    assert first < second and _millis(first) < _millis(second)


def test_the_records_an_import_adds_get_such_ids(db, unit, tmp_path):
    rows = [[None, dt.datetime(2023, 5, i), "法律十进", "进学校", "东村", "宪法", i] for i in range(1, 21)]
    start = time.time_ns() // 1_000_000
    assert run_import(db.engine, workbook(tmp_path / "宣传.xlsx", rows)).created == 20
    t = ledger_table("publicity")
    with db.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(t.select().with_only_columns(t.c.id))]
    assert len(ids) == 20
    assert all(uuid.UUID(i).version == 7 and _millis(i) >= start for i in ids)
    assert max(_millis(i) for i in ids) - min(_millis(i) for i in ids) < 60_000  # made together, sorted together
