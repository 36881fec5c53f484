"""Desktop round 2 (#25), the points below the window: imports never double, a clerk's lines keep their end marks."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from fazhi_desktop.exchange.apply import run_import
from fazhi_desktop.exchange.layout import ID_HEADER
from fazhi_desktop.reports.content.builder import build_document
from fazhi_desktop.services import listing, reports_text, stats

PUB_HEADER = [ID_HEADER, "日期*", "活动类型*", "进入对象", "地点/村*", "宣传主题(法律法规)", "发放资料(份)"]
ROWS = [
    [None, dt.datetime(2023, 5, 4), "法律十进", "进学校", "东村小学", "宪法、民法典", 100],
    [None, dt.datetime(2023, 5, 9), "集日宣传", None, "集市", "禁毒法", 20],
    [None, dt.datetime(2023, 5, 9), "集日宣传", None, "集市", "禁毒法", 20],  # two like events: both are kept
]


def _book(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "普法宣传活动台账"
    ws.append(PUB_HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_3_the_same_workbook_imported_twice_adds_nothing_the_second_time(db, unit, svc, tmp_path):
    path = _book(tmp_path / "宣传.xlsx", ROWS)
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
    more = _book(tmp_path / "更多.xlsx", [*ROWS, [None, dt.datetime(2023, 6, 1), "线上宣传", None, "微信群", None, 0]])
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
