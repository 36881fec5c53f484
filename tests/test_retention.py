"""保管期限 and 到期销毁 (#21 point 3): a class per ledger (a setting), the yearly 到期清单, and a destruction that
leaves a 销毁 line in the history — and nothing of what the record held."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from fazhi_desktop.domain.errors import AccessDenied, UserError
from fazhi_desktop.services import accounts, attachments, audit, retention
from fazhi_desktop.storage.schema import audit_log


def _dispute(svc, unit, year: int, parties: str):
    return svc.create("dispute", {"date": f"{year}-05-06", "source": "排查发现", "village": unit.villages[0],
                                  "category": "邻里关系", "parties": parties, "summary": "排水", "risk": "绿",
                                  "status": "调解成功", "closed_on": f"{year}-05-20"}).id


def test_the_list_follows_each_ledgers_class_and_the_setting(db, unit, svc):
    old = _dispute(svc, unit, 2012, "赵甲与钱乙")  # 10年: due from 2023
    _dispute(svc, unit, 2013, "孙丙与李丁")  # due from 2024
    svc.create("meeting", {"date": "2012-03-01", "kind": "法治建设专题会议", "title": "专题会"})  # 30年
    svc.create("legal_talent", {"year": 2010, "name": "周戊", "village": unit.villages[0], "category": "法律明白人"})
    left = svc.create("legal_talent", {"year": 2005, "name": "吴己", "village": unit.villages[0],
                                       "category": "法律明白人", "left_year": 2012}).id
    with db.engine.connect() as conn:
        due = retention.due(conn, unit, dt.date(2023, 1, 1))
    # the 2012 dispute and the roster entry that left in 2012; not the one still serving, not the meeting
    assert {(d.ledger, d.record_id, d.due_year) for d in due} == {("dispute", old, 2023), ("legal_talent", left, 2023)}
    with db.engine.connect() as conn:
        assert len(retention.due(conn, unit, dt.date(2024, 1, 1))) == 3
    with db.engine.begin() as conn:
        unit = retention.set_classes(conn, unit, {"dispute": "30年"}, "测试员")
    with db.engine.connect() as conn:
        assert {d.ledger for d in retention.due(conn, unit, dt.date(2024, 1, 1))} == {"legal_talent"}
    with db.engine.begin() as conn, pytest.raises(UserError, match="保管期限只能是"):
        retention.set_classes(conn, unit, {"dispute": "5年"}, "测试员")


def test_destruction_leaves_a_line_without_the_personal_data(db, unit, svc, tmp_path):
    rid = _dispute(svc, unit, 2012, "赵甲与钱乙")
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"x" * 100)
    attachments.add(db.engine, unit.id, "dispute", rid, photo, "测试员")
    with db.engine.connect() as conn:
        due = retention.due(conn, unit, dt.date(2023, 1, 1))
    assert retention.destroy(db.engine, unit, "测试员", due) == 1
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM dispute")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM attachments")).scalar() == 0
        line = conn.execute(sa.select(audit_log).where(audit_log.c.action == "destroy")).mappings().one()
        assert audit.verify(conn) is None and audit.state_problems(conn) == []
    assert line["record_id"] == rid and line["actor"] == "测试员"
    said = json.loads(line["changes"])
    assert {k: said[k] for k in ("年度", "保管期限", "佐证材料")} == {"年度": [2012, None], "保管期限": ["10年", None],
                                                                 "佐证材料": [1, 0]}
    assert len(said["销毁的修改记录"][1]) == 2  # the create and the attach entries, their content gone
    db.dispose()
    # nothing of what it held is left anywhere in the file: not in the table, the history, free pages or the WAL
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("test.sqlite3*"))
    assert "赵甲".encode() not in stored and "现场.jpg".encode() not in stored


def test_a_redaction_not_listed_by_a_destruction_breaks_the_chain(db, unit, svc):
    from fazhi_desktop.storage.audit_chain import REDACTED

    _dispute(svc, unit, 2012, "赵甲与钱乙")
    with db.engine.begin() as conn:
        conn.execute(sa.update(audit_log).where(audit_log.c.ledger == "dispute").values(changes=REDACTED))
        assert audit.verify(conn) is not None


def test_only_an_admin_destroys(db, unit, svc):
    _dispute(svc, unit, 2012, "赵甲与钱乙")
    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", "admin-2024a", "x")
        accounts.add(conn, "李四", "录入员", "clerk-2024b", "张主任")
    with db.engine.connect() as conn:
        due = retention.due(conn, unit, dt.date(2023, 1, 1))
    with pytest.raises(AccessDenied, match="录入员"):
        retention.destroy(db.engine, unit, "李四", due)
    assert retention.destroy(db.engine, unit, "张主任", due) == 1


def test_cli_lists_then_destroys(tmp_path):
    from clikit import run_cli

    db = tmp_path / "demo.sqlite3"
    assert run_cli("--db", str(db), "demo").returncode == 0
    listed = run_cli("--db", str(db), "retention", "list", "--today", "2033-01-01")
    assert listed.returncode == 0 and "保管期满的记录" in listed.stdout and "学法台账" in listed.stdout
    asked = run_cli("--db", str(db), "retention", "destroy", "--today", "2033-01-01")
    assert "尚未销毁" in asked.stdout
    done = run_cli("--db", str(db), "retention", "destroy", "--today", "2033-01-01", "--yes")
    assert done.returncode == 0 and "已销毁" in done.stdout
    assert "没有保管期满的记录" in run_cli("--db", str(db), "retention", "list", "--today", "2033-01-01").stdout
    assert run_cli("--db", str(db), "audit", "verify").returncode == 0


def _destroyed_with_a_meeting_and_an_admin(db, unit, svc):
    """A meeting, then a dispute of 2012 destroyed by a 管理员: the dispute's redacted entries come after the
    meeting's."""
    meeting = svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"}).id
    _dispute(svc, unit, 2012, "赵甲与钱乙")
    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", "admin-2024a", "x")
    with db.engine.connect() as conn:
        due = retention.due(conn, unit, dt.date(2023, 1, 1))
    retention.destroy(db.engine, unit, "张主任", due)
    return meeting


def _repoint_a_redacted_entry(conn, ledger: str, record_id: str, table: str) -> None:
    """What a forger does with a SQLite tool: the redacted entry (no content left to hash) is made the last entry of
    another record, carrying that record's state as it now is."""
    from fazhi_desktop.storage import audit_chain

    row = conn.exec_driver_sql(f'SELECT * FROM "{table}" WHERE id = ?', (record_id,)).mappings().one()  # noqa: S608
    redacted = conn.execute(sa.select(sa.func.max(audit_log.c.id)).where(
        audit_log.c.changes == audit_chain.REDACTED)).scalar_one()
    conn.execute(sa.update(audit_log).where(audit_log.c.id == redacted).values(
        ledger=ledger, record_id=record_id, state=audit_chain.row_state(dict(row))))


@pytest.mark.parametrize("forgery", ["a record changed", "an admin account forged"])
def test_m5_a_redacted_entry_cannot_vouch_for_another_record(db, unit, svc, forgery):
    meeting = _destroyed_with_a_meeting_and_an_admin(db, unit, svc)
    with db.engine.begin() as conn:
        assert audit.verify_problem(conn) is None
        if forgery == "a record changed":
            conn.execute(sa.text("UPDATE meeting SET title = '从未开过的会' WHERE id = :i"), {"i": meeting})
            _repoint_a_redacted_entry(conn, "meeting", meeting, "meeting")
        else:
            conn.execute(sa.text("INSERT INTO accounts (id, name, role, password_hash, created_at, created_by, "
                                 "disabled, failures, password_changed_at) SELECT 'f0rged', '冒名', '管理员', "
                                 "password_hash, created_at, created_by, 0, 0, password_changed_at FROM accounts WHERE name = '张主任'"))
            _repoint_a_redacted_entry(conn, "account", "f0rged", "accounts")
        assert audit.state_problems(conn) == []  # the forged state matches: only the chain can tell
        assert audit.verify(conn) is not None
        assert "修改记录校验失败" in audit.verify_problem(conn)


def test_m5_a_destruction_written_before_digests_still_binds_its_entries_to_the_record(db, unit, svc):
    from fazhi_desktop.storage import audit_chain

    meeting = _destroyed_with_a_meeting_and_an_admin(db, unit, svc)
    with db.engine.begin() as conn:
        # the 销毁 line as the previous version wrote it: the list of entries only (rehashed, as it was then)
        line = conn.execute(sa.select(audit_log).where(audit_log.c.action == "destroy")).mappings().one()
        said = json.loads(line["changes"])
        del said[audit_chain.REDACTED_DIGESTS]
        old = json.dumps(said, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = audit_chain.entry_hash(line["prev_hash"], line["at"], line["actor"], line["unit_id"], line["ledger"],
                                        line["record_id"], line["action"], old, line["state"])
        conn.execute(sa.update(audit_log).where(audit_log.c.id == line["id"]).values(changes=old, hash=digest))
        assert audit.verify(conn) is None
        conn.execute(sa.text("UPDATE meeting SET title = '从未开过的会' WHERE id = :i"), {"i": meeting})
        _repoint_a_redacted_entry(conn, "meeting", meeting, "meeting")
        assert audit.verify(conn) is not None


def _backup_holding_a_destroyed_dispute(db, unit, svc, tmp_path):
    """A dispute of 2012 with a photo, a rotating backup made while it lived, then its destruction."""
    from fazhi_desktop.services import safety

    rid = _dispute(svc, unit, 2012, "赵甲与钱乙")
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + "调解现场".encode() * 50)
    attachments.add(db.engine, unit.id, "dispute", rid, photo, "测试员")
    backup = safety.backup_now(db, "manual")
    with db.engine.connect() as conn:
        due = retention.due(conn, unit, dt.date(2023, 1, 1))
    assert retention.destroy(db.engine, unit, "测试员", due) == 1
    return rid, backup, photo


def _stored(paths) -> bytes:
    return b"".join(p.read_bytes() for p in paths if p.is_file())


def test_m6_restoring_a_backup_made_before_a_destruction_destroys_the_record_again(db, unit, svc, tmp_path):
    from fazhi_desktop.services import safety

    rid, backup, _photo = _backup_holding_a_destroyed_dispute(db, unit, svc, tmp_path)
    db.dispose()
    result = safety.restore(db.path, backup, "测试员")
    assert result.destroyed_again == 1
    from fazhi_desktop.storage.database import open_database

    again = open_database(db.path)
    try:
        with again.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM dispute")).scalar() == 0
            assert conn.execute(sa.text("SELECT count(*) FROM attachments")).scalar() == 0
            assert audit.verify_problem(conn, again.database_id) is None
            # the backup's history, in which the record is destroyed once: on this restore
            assert conn.execute(sa.select(sa.func.count()).select_from(audit_log).where(
                audit_log.c.action == "destroy", audit_log.c.record_id == rid)).scalar() == 1
    finally:
        again.dispose()
    assert "赵甲".encode() not in _stored(tmp_path.glob("test.sqlite3*"))


def test_m6_destruction_purges_the_rotating_backups_and_their_stash_which_still_restore(db, unit, svc, tmp_path):
    from fazhi_desktop.services import retention_backups, safety
    from fazhi_desktop.storage.database import open_database

    rid, backup, photo = _backup_holding_a_destroyed_dispute(db, unit, svc, tmp_path)
    folder = safety.policy(db)[0]
    kept = safety.backup_now(db, "manual")  # made after the destruction: nothing to purge in it
    before = kept.read_bytes()
    assert "赵甲".encode() in backup.read_bytes()
    assert "调解现场".encode() in _stored(folder.rglob("*"))
    assert retention_backups.holding(db) == [backup]

    purged = retention_backups.purge(db, "测试员")
    assert purged.changed == (backup,) and purged.left == () and purged.files == 1
    assert "赵甲".encode() not in _stored(folder.rglob("*")) and "调解现场".encode() not in _stored(folder.rglob("*"))
    assert kept.read_bytes() == before  # a backup holding nothing destroyed is not rewritten
    assert retention_backups.holding(db) == []
    assert "已从 1 份本机备份中清除" in retention_backups.describe(purged)

    db.dispose()
    result = safety.restore(db.path, backup, "测试员")  # the purged backup restores, and proves its history
    assert result.destroyed_again == 0 and result.summary.records == 0
    again = open_database(db.path)
    try:
        with again.engine.connect() as conn:
            assert audit.verify_problem(conn, again.database_id) is None
            assert conn.execute(sa.select(sa.func.count()).select_from(audit_log).where(
                audit_log.c.action == "destroy", audit_log.c.record_id == rid)).scalar() == 1
    finally:
        again.dispose()
    assert photo.exists()


def test_m6_purging_is_a_managers_act_and_a_backup_it_cannot_change_is_named(db, unit, svc, tmp_path):
    from fazhi_desktop.services import retention_backups

    _rid, backup, _photo = _backup_holding_a_destroyed_dispute(db, unit, svc, tmp_path)
    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", "admin-2024a", "x")
        accounts.add(conn, "李四", "录入员", "clerk-2024b", "张主任")
    with pytest.raises(AccessDenied, match="录入员"):
        retention_backups.purge(db, "李四")
    import sqlite3

    con = sqlite3.connect(backup)  # as an older version of the program would have left it
    con.execute("UPDATE alembic_version SET version_num = '0001'")
    con.commit()
    con.close()
    purged = retention_backups.purge(db, "张主任")
    assert purged.changed == () and purged.left == (backup,)
    assert "1 份备份无法修改" in retention_backups.describe(purged) and backup.name in retention_backups.describe(purged)


def test_m6_cli_offers_the_purge_after_destroying(tmp_path):
    from clikit import run_cli

    db = tmp_path / "demo.sqlite3"
    assert run_cli("--db", str(db), "demo").returncode == 0
    assert run_cli("--db", str(db), "backup").returncode == 0
    done = run_cli("--db", str(db), "retention", "destroy", "--today", "2033-01-01", "--yes")
    assert done.returncode == 0 and "本机还有 1 份备份含有已销毁的记录" in done.stdout, done.stdout
    purged = run_cli("--db", str(db), "retention", "purge-backups")
    assert purged.returncode == 0 and "已从 1 份本机备份中清除" in purged.stdout, purged.stdout + purged.stderr
    again = run_cli("--db", str(db), "retention", "purge-backups")
    assert "本机备份中没有需要清除的已销毁记录" in again.stdout
