"""Record lifecycle and the change log."""

from __future__ import annotations

import sqlalchemy as sa

from fazhi_desktop.services import audit
from fazhi_desktop.storage.schema import audit_log

MEETING = {"date": "2023-04-01", "kind": "法治建设专题会议", "title": "专题会", "attendees": 20}


def test_update_logs_old_and_new(svc, db):
    rid = svc.create("meeting", MEETING).id
    svc.update("meeting", rid, {"attendees": 25, "title": "专题会议"})
    with db.engine.connect() as conn:
        entries = audit.history(conn, rid)
    assert [e["action"] for e in entries] == ["create", "update"]
    assert entries[1]["changes"] == {"attendees": [20, 25], "title": ["专题会", "专题会议"]}
    assert entries[1]["actor"] == "测试员"


def test_update_moves_year_with_date(svc):
    rid = svc.create("meeting", MEETING).id
    svc.update("meeting", rid, {"date": "2024-01-03"})
    assert svc.get("meeting", rid)["year"] == 2024


def test_soft_delete_restore_purge(svc):
    rid = svc.create("meeting", MEETING).id
    svc.delete("meeting", rid)
    assert svc.count("meeting") == 0 and svc.count("meeting", deleted=True) == 1
    svc.restore("meeting", rid)
    assert svc.count("meeting") == 1
    svc.delete("meeting", rid)
    svc.purge("meeting", rid)
    assert svc.count("meeting", deleted=True) == 0


def test_purge_requires_recycle_bin(svc):
    import pytest

    from fazhi_desktop.domain.errors import ValidationError

    rid = svc.create("meeting", MEETING).id
    with pytest.raises(ValidationError):
        svc.purge("meeting", rid)
    assert svc.count("meeting") == 1


def test_failed_update_writes_nothing(svc, db):
    import pytest

    from fazhi_desktop.domain.errors import ValidationError

    rid = svc.create("meeting", MEETING).id
    with pytest.raises(ValidationError):
        svc.update("meeting", rid, {"attendees": -1})
    assert svc.get("meeting", rid)["attendees"] == 20
    with db.engine.connect() as conn:
        assert len(audit.history(conn, rid)) == 1


def test_audit_chain_detects_tampering(svc, db):
    rid = svc.create("meeting", MEETING).id
    svc.update("meeting", rid, {"attendees": 30})
    with db.engine.begin() as conn:
        assert audit.verify(conn) is None
        last = conn.execute(sa.select(sa.func.max(audit_log.c.id))).scalar()
        conn.execute(sa.update(audit_log).where(audit_log.c.id == last).values(actor="他人"))
        assert audit.verify(conn) == last


def test_a_record_state_keeps_its_written_form():
    """Every history entry since the first holds states in this form: a change of it would fail every verify. The
    expected digest is of JSON written out by hand (sorted keys, no blanks, dates ISO, bytes hex, no fingerprint)."""
    import datetime as dt
    import hashlib
    from decimal import Decimal

    from fazhi_desktop.storage import audit_chain

    row = {"id": "r1", "date": dt.date(2024, 1, 2), "at": dt.datetime(2024, 1, 2, 3, 4, 5), "n": 3, "ok": True,
           "money": Decimal("1.50"), "blob": b"\x01\xff", "name": "张三", "blank": None, "fingerprint": "abc"}
    written = ('{"at":"2024-01-02T03:04:05","blob":"01ff","date":"2024-01-02","id":"r1","money":"1.50","n":3,'
               '"name":"张三","ok":true}')
    assert audit_chain.row_state(row) == hashlib.sha256(written.encode("utf-8")).hexdigest()


def test_a_history_entry_keeps_its_written_form(db):
    """An entry's changes and hash, as every entry since the first was written (one encoder now serves every entry,
    #38): JSON written out by hand — sorted keys, no blanks, dates ISO, amounts as text, Chinese as it is."""
    import datetime as dt
    import hashlib
    from decimal import Decimal

    from fazhi_desktop.storage import audit_chain

    at = dt.datetime(2024, 1, 2, 3, 4, 5)
    written = '["' + "0" * 64 + '","2024-01-02T03:04:05","张三","u1","meeting","r1","create","{}","s1"]'
    assert audit_chain.entry_hash("0" * 64, at, "张三", "u1", "meeting", "r1", "create", "{}", "s1") == \
        hashlib.sha256(written.encode("utf-8")).hexdigest()
    with db.engine.begin() as conn:
        audit.append(conn, "张三", [audit.Change(None, "export", "r1", "export", {
            "b": (None, dt.date(2024, 1, 2)), "a": (Decimal("1.50"), "东村")})], at=at)
        changes = conn.execute(sa.select(audit_log.c.changes).order_by(audit_log.c.id.desc()).limit(1)).scalar()
    assert changes == '{"a":["1.50","东村"],"b":[null,"2024-01-02"]}'


def test_pragmas(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_names_sort_in_pinyin_order_not_by_code_point(svc, db, unit):
    """周 < 李 < 王 < 陈 by code point; by pinyin 陈 (chen) < 李 (li) < 王 (wang) < 周 (zhou). The sort key is each
    row's GB18030 bytes (#38: a Python collation was called for every comparison)."""
    from fazhi_desktop.services import listing

    for name in ("周某", "李某", "王某", "陈某"):
        svc.create("dispute", {"date": "2023-05-01", "source": "排查发现", "village": unit.villages[0],
                               "category": "邻里关系", "parties": f"{name}与邻居", "summary": "宅基地边界", "risk": "绿",
                               "status": "调处中"})
    with db.engine.connect() as conn:
        q = listing.ListQuery("dispute", year=2023, sort_key="parties")
        assert [r["parties"][0] for r in listing.page(conn, unit, q, 0, 10)] == ["陈", "李", "王", "周"]
        q.descending = True
        assert [r["parties"][0] for r in listing.page(conn, unit, q, 0, 10)] == ["周", "王", "李", "陈"]
        assert listing.position(conn, unit, q, listing.page(conn, unit, q, 0, 1)[0]["id"]) == 0
