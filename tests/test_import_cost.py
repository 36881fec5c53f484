"""Import whose cost follows the rows brought, not the records stored (#38): an import finds the stored records equal to
its rows through their content fingerprints, never by reading a ledger's live records; the fingerprints are right
after a migration and after a village is renamed across records."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from bookkit import DISPUTE_HEADER, DISPUTE_SHEET, PUB_SHEET, sheet_book, workbook
from plankit import plan, statements

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.fingerprint import canonical, fingerprint
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.exchange import guard, reader
from fazhi_desktop.exchange.apply import run_import
from fazhi_desktop.exchange.layout import imported
from fazhi_desktop.exchange.plan import open_workbook
from fazhi_desktop.runtime import child
from fazhi_desktop.services import audit
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import list_units, rename_village
from fazhi_desktop.storage.database import open_database
from fazhi_desktop.storage.schema import ledger_table

ROWS = [
    [None, dt.datetime(2023, 5, 4), "法律十进", "进学校", "东村", "宪法、民法典", 100],
    [None, dt.datetime(2023, 5, 9), "集日宣传", None, "东村", "禁毒法", 20],
]


def test_an_import_reads_only_the_stored_records_its_rows_name(db, unit, svc, tmp_path):
    """Before #38 the duplicate check read every live record of the ledger: at a million records the same 10,000
    rows took four times as long. Now each statement on the ledger during the plan is bounded by the rows brought."""
    for i in range(300):
        svc.create("publicity", {"date": dt.date(2023, 1 + i % 12, 1 + i % 28), "kind": "集日宣传", "place": "东村",
                                 "topics": ["宪法"], "materials": i})
    book = workbook(tmp_path / "宣传.xlsx", ROWS)
    report, seen = statements(db.engine, lambda: run_import(db.engine, book, dry_run=True),
                              lambda statement: "FROM publicity" in statement)
    assert report.created == 2
    assert seen, "the duplicate check asks the database"
    for statement, parameters in seen:
        assert "publicity.fingerprint IN" in statement or "publicity.id IN" in statement, statement
        # SQLite's planner, without statistics, once took the (unit, deleted, year) index for this and read every
        # live record: 15 s at a million records
        steps = plan(db.engine, statement, parameters)
        assert any("ix_publicity_fingerprint" in step for step in steps), steps


def test_a_workbook_imported_again_is_found_equal_by_fingerprint(db, unit, svc, tmp_path):
    book = workbook(tmp_path / "宣传.xlsx", [*ROWS, ROWS[1]])  # two like rows: both kept the first time
    assert run_import(db.engine, book).created == 3
    again = run_import(db.engine, book, dry_run=True)
    assert (again.created, again.plans[0].duplicates) == (0, 3)
    # a stored record changed outside the program keeps its old fingerprint: its values decide, it absorbs nothing
    t = ledger_table("publicity")
    with db.engine.begin() as conn:
        conn.execute(sa.update(t).where(t.c.materials == 100).values(materials=99))
    changed = run_import(db.engine, book, dry_run=True)
    assert (changed.created, changed.plans[0].duplicates) == (1, 2)


def test_a_renamed_village_moves_the_fingerprints_with_it(db, unit, svc, tmp_path):
    def book(name, village):
        rows = [[None, f"2023/5/{i + 1}", "排查发现", village, "土地纠纷", f"甲{i}与乙{i}", "地界争议", "绿", "调处中"]
                for i in range(2)]
        return workbook(tmp_path / name, rows, DISPUTE_SHEET, DISPUTE_HEADER)

    assert run_import(db.engine, book("东.xlsx", "东村")).created == 2
    with db.engine.begin() as conn:
        _unit, changed = rename_village(conn, unit, "东村", "东风村", "测试员")
    assert changed == 2
    again = run_import(db.engine, book("东风.xlsx", "东风村"), dry_run=True)
    assert (again.created, again.plans[0].duplicates) == (0, 2)


def test_every_record_has_its_fingerprint_after_the_migration_and_the_history_still_proves(tmp_path):
    """A database of the first schema, with the demo's records: migration 0013 gives each record the fingerprint of
    its values; the column is derived, so no record's state in the history changes (audit verify)."""
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(Path(__file__).parent / "data" / "schema_0001.sqlite3", path)
    db = open_database(path)
    try:
        with db.engine.connect() as conn:
            checked = 0
            for lg in LEDGERS:
                t = ledger_table(lg.key)
                for row in conn.execute(sa.select(t)).mappings():
                    assert row["fingerprint"] == fingerprint(lg, row), (lg.key, row["id"])
                    checked += 1
            assert checked > 900
            assert audit.verify(conn) is None
            unit = list_units(conn)[0]
            t = ledger_table("meeting")
            stored = conn.execute(sa.select(t).where(t.c.deleted.is_(False)).limit(1)).mappings().one()
        # a migrated record typed again in a workbook is the same record
        lg = next(lg for lg in LEDGERS if lg.key == "meeting")
        svc = RecordService(db.engine, unit)
        values = {f.key: stored[f.key] for f in lg.fields}
        clean, problems = svc.validate(lg, values)
        assert not [p for p in problems if not p.warning]
        from fazhi_desktop.services.records import to_storage

        assert canonical(lg, to_storage(lg, clean)) == canonical(lg, stored)
    finally:
        db.dispose()
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM dispute WHERE fingerprint IS NULL").fetchone() == (0,)
    con.close()


def test_fingerprints_are_refreshed_page_by_page(db, unit, svc, monkeypatch):
    """The migration reads a ledger in pages of its primary key (a million records never in memory at once): every
    record of every page gets its fingerprint, none twice."""
    from fazhi_desktop.storage import derived

    for i in range(23):
        svc.create("publicity", {"date": dt.date(2023, 1 + i % 12, 1 + i % 28), "kind": "集日宣传", "place": "东村",
                                 "materials": i})
    t = ledger_table("publicity")
    lg = next(lg for lg in LEDGERS if lg.key == "publicity")
    monkeypatch.setattr(derived, "_PAGE", 5)
    with db.engine.begin() as conn:
        conn.execute(sa.update(t).values(fingerprint=None))
        assert derived.refresh(conn, "publicity") == 23
        rows = conn.execute(sa.select(t)).mappings().all()
    assert len(rows) == 23 and all(r["fingerprint"] == fingerprint(lg, r) for r in rows)


# The guard and the reader at once (#38) ------------------------------------------------------------------------------

def _spy(monkeypatch, module, name: str, events: list, tag: str) -> None:
    real = getattr(module, name)

    def spied(*args, **kwargs):
        events.append((tag, args))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spied)


def test_the_reader_starts_on_the_sheets_the_guard_names_and_reads_while_the_guard_scans(tmp_path, monkeypatch):
    """An import's two looks at a workbook overlap: the child reading the sheets starts once the guard has read the
    workbook's index, before the guard scans those sheets; what comes out is what the two in turn gave."""
    book = workbook(tmp_path / "宣传.xlsx", ROWS)
    in_turn = reader.read_workbook(book, guard.inspect(book, imported))
    events: list = []
    _spy(monkeypatch, reader, "start", events, "reader starts")
    _spy(monkeypatch, guard, "_scan", events, "guard scans")
    opened = open_workbook(book)
    assert [(tag, args[-1] if tag == "reader starts" else args[2]) for tag, args in events] == [
        ("reader starts", [PUB_SHEET]), ("guard scans", PUB_SHEET)]
    assert opened.grids == in_turn.grids and opened.grids[PUB_SHEET][1][4] == "东村"
    assert opened.formulas == in_turn.formulas


def test_a_workbook_the_guard_refuses_stops_its_reader_and_leaves_nothing(tmp_path, monkeypatch):
    wb = sheet_book(ROWS)
    wb.active.merge_cells("A3:A150")  # a merged range over 148 rows: the guard refuses it while scanning the sheet
    book = tmp_path / "合并.xlsx"
    wb.save(book)
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))  # where the child's private folder goes
    started: list = []
    real = child.start
    monkeypatch.setattr(child, "start", lambda *a, **kw: started.append(real(*a, **kw)) or started[-1])
    with pytest.raises(UserError, match="跨越 148 行"):
        open_workbook(book)
    assert len(started) == 1, "the reader was started before the guard came to the sheet"
    assert started[0].process.returncode is not None, "the child was stopped and waited for"
    assert list(temporary.iterdir()) == [], "its folder is gone"


def test_a_reader_that_cannot_start_is_not_called_a_damaged_file(tmp_path, monkeypatch):
    """The guard turns a zip's own failures into 文件已损坏; a failure to start the child is not the file's."""
    book = workbook(tmp_path / "宣传.xlsx", ROWS)

    def cannot(*_args, **_kwargs):
        raise OSError("no such program")

    monkeypatch.setattr(reader, "start", cannot)
    with pytest.raises(OSError, match="no such program"):
        open_workbook(book)


def test_a_child_asked_after_its_time_answers_if_it_ended_and_is_stopped_if_not(tmp_path, monkeypatch):
    """The child's time counts from its start: the guard may still be scanning when it ends. Asked after its time,
    a child that has ended gives its answer; one still at work is stopped (ChildFailed "time")."""
    book = workbook(tmp_path / "宣传.xlsx", ROWS)
    request = {"path": str(book), "sheets": [PUB_SHEET]}
    clock, later = child.time.monotonic, [0.0]
    monkeypatch.setattr(child, "time", SimpleNamespace(monotonic=lambda: clock() + later[0]))
    ended = child.start("read-workbook", request, seconds=60, memory_mb=1024)
    ended.process.wait(timeout=60)
    later[0] = 120.0  # asked two minutes on
    assert ended.result()[PUB_SHEET][1][4] == "东村"
    busy = child.start("read-workbook", request, seconds=60, memory_mb=1024)
    later[0] = 240.0  # asked at once (it is still starting), as if two minutes on
    with pytest.raises(child.ChildFailed) as failed:
        busy.result()
    assert failed.value.reason == "time" and busy.process.returncode is not None
