"""Optimistic locking (#19 point 4): two clerks who save the same record of a shared database do not overwrite each
other; the second gets a clear message and nothing is written. On SQLite here; on both backends in test_county."""

from __future__ import annotations

import pytest

from fazhi_desktop.domain.errors import ConflictError
from fazhi_desktop.services.records import RecordService


def conflict_between_two_sessions(engine, unit) -> None:
    """The steps both backends run: A and B open one record; A saves; B's save is refused, naming A."""
    a, b = RecordService(engine, unit, "王会计"), RecordService(engine, unit, "李文书")
    rid = a.create("meeting", {"date": "2023-03-01", "kind": "其他", "title": "原题"}).id
    seen_by_a, seen_by_b = a.get("meeting", rid), b.get("meeting", rid)
    a.update("meeting", rid, {"title": "甲改"}, expected_version=seen_by_a["version"] or 0)
    with pytest.raises(ConflictError, match="王会计") as err:
        b.update("meeting", rid, {"title": "乙改"}, expected_version=seen_by_b["version"] or 0)
    assert "没有保存" in str(err.value)
    after = a.get("meeting", rid)
    assert after["title"] == "甲改" and after["version"] == 1
    # B reopens and saves: now it is B's turn; a delete counts as a save too
    b.update("meeting", rid, {"title": "乙改"}, expected_version=b.get("meeting", rid)["version"])
    a.delete("meeting", rid)
    assert a.get("meeting", rid)["version"] == 3
    with pytest.raises(ConflictError):
        b.update("meeting", rid, {"title": "再改"}, expected_version=2)


def test_two_clerks_saving_one_record_on_sqlite(db, unit):
    conflict_between_two_sessions(db.engine, unit)


def test_a_save_without_a_version_still_works_and_counts(svc):
    rid = svc.create("meeting", {"date": "2023-03-01", "kind": "其他", "title": "原题"}).id
    svc.update("meeting", rid, {"title": "改"})  # the command line and imports do not carry one
    assert svc.get("meeting", rid)["version"] == 1
