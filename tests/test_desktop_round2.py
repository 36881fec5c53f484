"""Desktop round 2 (#25), the points below the window: imports never double, a clerk's lines keep their end marks."""

from __future__ import annotations

import datetime as dt

import pytest
from bookkit import workbook

from fazhi_desktop.exchange.apply import run_import
from fazhi_desktop.reports.content.builder import build_document
from fazhi_desktop.services import listing, reports_text, stats

ROWS = [
    [None, dt.datetime(2023, 5, 4), "法律十进", "进学校", "东村小学", "宪法、民法典", 100],
    [None, dt.datetime(2023, 5, 9), "集日宣传", None, "集市", "禁毒法", 20],
    [None, dt.datetime(2023, 5, 9), "集日宣传", None, "集市", "禁毒法", 20],  # two like events: both are kept
]


def test_3_the_same_workbook_imported_twice_adds_nothing_the_second_time(db, unit, svc, tmp_path):
    path = workbook(tmp_path / "宣传.xlsx", ROWS)
    first = run_import(db.engine, path)
    assert first.created == 3 and svc.count("publicity", 2023) == 3
    again = run_import(db.engine, path, dry_run=True)
    assert again.created == 0 and again.plans[0].duplicates == 3
    assert any("完全相同" in w and "3 行" in w for w in again.warnings)
    assert any("3 行与已有记录完全相同" in line for line in again.summary())
    run_import(db.engine, path)
    assert svc.count("publicity", 2023) == 3
    with db.engine.connect() as conn:
        assert stats.compute(conn, unit, 2023)["publicity.materials"] == 140
    # a workbook with one more row adds just that row; a deleted record's row comes back as new
    more = workbook(tmp_path / "更多.xlsx", [*ROWS, [None, dt.datetime(2023, 6, 1), "线上宣传", None, "微信群", None, 0]])
    assert run_import(db.engine, more).created == 1 and svc.count("publicity", 2023) == 4
    with db.engine.connect() as conn:
        rows = listing.page(conn, unit, listing.ListQuery("publicity"), 0, 10)
    svc.delete("publicity", next(r for r in rows if r["kind"] == "线上宣传")["id"])
    assert run_import(db.engine, more).created == 1 and svc.count("publicity", 2023) == 4


@pytest.mark.parametrize("template", ["三段式", "督察规定五项"])
def test_4_the_clerks_lines_without_end_marks_print_as_sentences(db, unit, template):
    with db.engine.begin() as conn:
        reports_text.save_report_text(conn, unit, 2023, {
            "problems": ["执法人员业务能力还需提高", "村级法治阵地作用发挥不够，"],
            "plans": ["加强执法培训", "用好“法律明白人”"], "doc_date": dt.date(2024, 3, 1)}, "测试员")
        text = build_document(conn, unit, 2023, template).plain_text()
    assert "执法人员业务能力还需提高。二是村级法治阵地作用发挥不够。" in text
    assert "加强执法培训。" in text and "用好“法律明白人”。" in text
    assert "提高二是" not in text


def test_2_a_saved_draft_that_the_ledgers_have_moved_on_from_is_flagged(tmp_path):
    """以生成文字为底稿修改 → 保存文稿, then a dispute is added: the readiness check names the section and the figures."""
    from fazhi_desktop.reports.readiness import text_findings
    from fazhi_desktop.services.demo import load_demo
    from fazhi_desktop.services.records import RecordService
    from fazhi_desktop.storage.database import open_database

    database = open_database(tmp_path / "demo.sqlite3")
    unit = load_demo(database.engine)
    with database.engine.begin() as conn:
        adopted = build_document(conn, unit, 2023).sections["disputes"]
        reports_text.save_report_text(conn, unit, 2023, {"sections": {"disputes": adopted}}, "测试员")
    with database.engine.connect() as conn:
        assert not [f for f in text_findings(conn, unit, 2023) if f.field == "section:disputes"]
    RecordService(database.engine, unit).create("dispute", {
        "date": dt.date(2023, 11, 2), "source": "排查发现", "village": unit.villages[0], "category": "土地纠纷",
        "parties": "甲与乙", "summary": "地界争议", "risk": "绿", "status": "调处中",
        "deadline": dt.date(2023, 12, 2)})
    with database.engine.connect() as conn:
        found = [f for f in text_findings(conn, unit, 2023) if f.field == "section:disputes"]
        now = build_document(conn, unit, 2023).sections["disputes"]
    assert len(found) == 1 and "矛盾纠纷化解" in found[0].message and "24件" in found[0].message, found
    assert "24件" in adopted and "25件" in now  # the figure flagged is the one that moved
    database.dispose()


# -- 10: what the office shares is readable, what is private stays private; key actions in the log -----------------

def test_10_documents_are_readable_by_others_the_database_and_backups_are_not(tmp_path, data_dir):
    """Reports and tables go to colleagues and printers (0644 under the usual umask); the data does not (0600)."""
    import os
    import stat

    from clikit import run_cli

    env = {"FAZHI_DATA_DIR": str(data_dir)}
    db = tmp_path / "d.sqlite3"
    old = os.umask(0o022)
    try:
        assert run_cli("--db", str(db), "demo", env=env).returncode == 0
        outputs = {"r.pdf": ("report", "--year", "2023"), "r.docx": ("report", "--year", "2023", "--format", "docx"),
                   "t.xlsx": ("tables", "--year", "2023")}
        for name, args in outputs.items():
            assert run_cli("--db", str(db), *args, "--out", str(tmp_path / name), env=env).returncode == 0
        assert run_cli("--db", str(db), "export", str(tmp_path / "e.xlsx"), env=env).returncode == 0
        assert run_cli("--db", str(db), "template", "--out", str(tmp_path / "m.xlsx"), env=env).returncode == 0
        assert run_cli("--db", str(db), "backup", "--out", str(tmp_path / "b.sqlite3"), env=env).returncode == 0
    finally:
        os.umask(old)
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    for name in ("r.pdf", "r.docx", "t.xlsx", "e.xlsx", "m.xlsx"):
        assert mode(tmp_path / name) == 0o644, name
    assert mode(db) == 0o600 and mode(tmp_path / "b.sqlite3") == 0o600


def test_10_export_by_year_and_ledger_reimports(tmp_path, data_dir, demo_db):
    from openpyxl import load_workbook

    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.domain.ledgers import ledger_named
    from fazhi_desktop.exchange.writer import export_workbook
    from fazhi_desktop.services.units import get_unit
    from fazhi_desktop.storage.database import open_database

    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        expected = listing.count(conn, unit, listing.ListQuery("dispute", year=2023))
    assert ledger_named("矛盾纠纷排查调处").key == ledger_named("矛盾纠纷排查调处台账").key == "dispute"
    with pytest.raises(UserError, match="没有名为「纠纷」的台账"):
        ledger_named("纠纷")
    path = tmp_path / "disputes.xlsx"
    counts = export_workbook(demo_db.engine, unit, path, 2023, ledgers=["dispute"])
    assert counts == {"dispute": expected} and expected > 0
    names = load_workbook(path, read_only=True).sheetnames
    assert "矛盾纠纷排查调处台账" in names and "会议台账" not in names and not any("文稿" in n for n in names)
    fresh = open_database(tmp_path / "fresh.sqlite3")
    report = run_import(fresh.engine, path, actor="测试员")
    assert report.created == expected
    with fresh.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM meeting").scalar() == 0
    fresh.dispose()


def test_10_import_backup_restore_and_a_failed_open_are_in_the_log(tmp_path, data_dir):
    from clikit import run_cli

    env = {"FAZHI_DATA_DIR": str(data_dir)}
    db, copy = tmp_path / "d.sqlite3", tmp_path / "copy.sqlite3"
    assert run_cli("--db", str(db), "demo", env=env).returncode == 0
    assert run_cli("--db", str(db), "export", str(tmp_path / "e.xlsx"), "--ledger", "会议台账", env=env).returncode == 0
    other = tmp_path / "other.sqlite3"
    assert run_cli("--db", str(other), "import", str(tmp_path / "e.xlsx"), env=env).returncode == 0
    assert run_cli("--db", str(db), "backup", "--out", str(copy), env=env).returncode == 0
    assert run_cli("--db", str(db), "restore", str(copy), env=env, ).returncode == 0
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    assert run_cli("--db", str(junk), "stats", "--year", "2023", env=env).returncode != 0
    log = "\n".join(p.read_text(encoding="utf-8") for p in (data_dir / "logs").glob("fazhi.log*"))
    assert f"imported {tmp_path / 'e.xlsx'}" in log
    assert f"copy of {db} written to {copy}" in log
    assert f"restored {db} from {copy}" in log
    assert str(junk) in log and ("damaged" in log or "could not be opened" in log)
