"""Pinyin sort keys stored with the records (#38): a list sorted by a name, a place or a title reads its page in order
from an index instead of computing a key for every record of the year; the keys stay true through saves, a village
renamed, the migration that added them and a backup from elsewhere."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from plankit import plan, statements

from fazhi_desktop.domain import sort_keys
from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.services import audit, listing
from fazhi_desktop.services.units import rename_village
from fazhi_desktop.storage.database import open_database
from fazhi_desktop.storage.schema import ledger_table

KEYED = [(lg.key, f.key) for lg in LEDGERS for f in sort_keys.keyed_fields(lg)]


def _dispute(svc, unit, parties: str, mediator: str | None = None, day: int = 1) -> str:
    return svc.create("dispute", {"date": dt.date(2023, 5, day), "source": "排查发现", "village": unit.villages[0],
                                  "category": "邻里关系", "parties": parties, "summary": "宅基地边界", "risk": "绿",
                                  "status": "调处中", "mediator": mediator}).id


def _keys_true(conn, ledger_key: str) -> int:
    """How many records were checked; fails on any stored key that is not its value's."""
    lg = next(lg for lg in LEDGERS if lg.key == ledger_key)
    checked = 0
    for row in conn.execute(sa.select(ledger_table(ledger_key))).mappings():
        for f in sort_keys.keyed_fields(lg):
            value = row[f.key]
            expected = None if value is None else value.encode("gb18030")
            assert row[sort_keys.column(f.key)] == expected, (ledger_key, f.key, value)
        checked += 1
    return checked


def test_the_short_text_fields_carry_keys_and_no_declared_field_could_collide():
    assert ("dispute", "parties") in KEYED and ("meeting", "title") in KEYED and ("dispute", "village") in KEYED
    assert ("dispute", "remarks") not in KEYED  # a long text: its key is computed while sorting
    assert ("dispute", "status") not in KEYED  # a choice: sorts in its declared order
    assert ("publicity", "topics") not in KEYED  # several choices in one value
    for lg in LEDGERS:
        assert not any(f.key.endswith(sort_keys.SUFFIX) for f in lg.fields)


@pytest.mark.parametrize(("ledger_key", "field_key"), KEYED)
def test_a_list_sorted_by_a_short_text_reads_its_page_from_the_index(db, unit, ledger_key, field_key):
    """Before, ``ORDER BY pinyin_key(col)`` called Python for every record of the year and sorted them all (0.19 s at
    a million records); now SQLite walks the key's index, both ways."""
    for descending in (False, True):
        q = listing.ListQuery(ledger_key, year=2023, sort_key=field_key, descending=descending)
        _rows, seen = statements(db.engine, lambda q=q: _page(db, unit, q), lambda s: f"FROM {ledger_key}" in s)
        (statement, parameters), = seen
        steps = plan(db.engine, statement, parameters)
        assert any(f"ix_{ledger_key}_{field_key}__pinyin" in step for step in steps), steps
        assert not any(step.startswith("USE TEMP B-TREE FOR ORDER BY") for step in steps), steps


def _page(db, unit, q: listing.ListQuery) -> list:
    with db.engine.connect() as conn:
        return listing.page(conn, unit, q, 0, 200)


def test_keys_follow_saves_and_a_renamed_village_and_order_blanks_first(db, unit, svc):
    ids = [_dispute(svc, unit, name, mediator, day) for day, (name, mediator) in enumerate(
        [("周某与邻居", "王调解"), ("陈某与邻居", None), ("李某与邻居", "艾调解")], start=1)]
    svc.update("dispute", ids[0], {"parties": "安某与邻居"})
    with db.engine.begin() as conn:
        rename_village(conn, unit, unit.villages[0], "东风村", "测试员")
    with db.engine.connect() as conn:
        assert _keys_true(conn, "dispute") == 3
        q = listing.ListQuery("dispute", year=2023, sort_key="parties")
        assert [r["parties"][0] for r in listing.page(conn, unit, q, 0, 10)] == ["安", "陈", "李"]
        # a blank sorts first, as SQLite orders NULL; ties keep the order the records were entered in
        q = listing.ListQuery("dispute", year=2023, sort_key="mediator")
        assert [r["mediator"] for r in listing.page(conn, unit, q, 0, 10)] == [None, "艾调解", "王调解"]
        # the keys are derived: no record's state in the history changed
        assert audit.verify(conn) is None


def test_every_record_has_its_keys_after_the_migration(tmp_path):
    """A database of the first schema with the demo's records: migration 0014 gives each record its keys."""
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(Path(__file__).parent / "data" / "schema_0001.sqlite3", path)
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            assert sum(_keys_true(conn, lg.key) for lg in LEDGERS) > 900
            assert audit.verify(conn) is None
            index_names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {f"ix_{lg}_{key}__pinyin" for lg, key in KEYED} <= index_names
    finally:
        db.dispose()


def test_a_backup_whose_sort_key_is_not_its_value_is_refused(db, unit, svc, tmp_path):
    from fazhi_desktop.storage.restore import inspect_backup

    _dispute(svc, unit, "周某与邻居")
    copy = tmp_path / "handed.sqlite3"
    with sqlite3.connect(db.path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    inspect_backup(copy)  # as written: accepted
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE dispute SET parties__pinyin = ?", ("陈".encode("gb18030"),))
    with pytest.raises(UserError, match="dispute.*当事人.*排序键"):
        inspect_backup(copy)
