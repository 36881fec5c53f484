"""待办 (#20 point 1): deadlines derived from the records, each with days left; the clock moved to see due soon,
overdue and done; working days skip weekends and holidays; red-level disputes at once; feeds 报告体检; CLI."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi_desktop.services import todo
from fazhi_desktop.services.units import update_settings


def _items(db, unit):
    with db.engine.connect() as conn:
        return todo.items(conn, unit, 2023)


def _one(items, text):
    found = [i for i in items if text in i.what]
    assert len(found) == 1, [i.what for i in items]
    return found[0]


def test_working_days_follow_the_shipped_calendar_and_the_units_additions():
    from fazhi_desktop.domain import deadlines, holidays

    shipped = holidays.calendar()
    friday = dt.date(2023, 9, 29)  # 中秋、国庆 2023: 9月29日至10月6日 off, 10月7日 (Saturday) worked
    assert deadlines.add_working_days(friday, 1, shipped) == dt.date(2023, 10, 7)
    assert deadlines.add_working_days(dt.date(2023, 3, 1), 15, shipped) == dt.date(2023, 3, 22)  # three weeks
    # a year the shipped data does not hold yet: the unit's own days off and 调休 days count
    assert deadlines.add_working_days(dt.date(2027, 9, 30), 1, shipped) == dt.date(2027, 10, 1)
    own = holidays.calendar(["2027-10-01", "2027-10-04"], ["2027-10-02"])
    assert deadlines.add_working_days(dt.date(2027, 9, 30), 1, own) == dt.date(2027, 10, 2)
    assert deadlines.add_working_days(dt.date(2027, 9, 30), 2, own) == dt.date(2027, 10, 5)
    assert todo.add_working_days(friday, 1) == dt.date(2023, 10, 7)


def test_each_deadline_is_derived_from_its_record(svc, db, unit):
    svc.create("review_litigation", {"date": "2023-05-01", "kind": "行政诉讼", "applicant": "张三", "act": "处罚决定",
                                     "served_on": "2023-05-04"})
    svc.create("review_litigation", {"date": "2023-06-01", "kind": "行政复议", "applicant": "李四", "act": "责令改正",
                                     "served_on": "2023-06-02", "answered_on": "2023-06-08"})
    svc.create("enforcement", {"date": "2023-03-01", "domain": "安全生产", "party": "某厂", "facts": "无证经营",
                               "method": "行政处罚", "filed_on": "2023-03-01"})
    svc.create("counsel_service", {"date": "2023-03-01", "kind": "规范性文件合法性审查", "title": "村规民约"})
    svc.create("rectification", {"source": "上级督察", "assigned_on": "2023-02-01", "problem": "台账不全",
                                 "measures": "补齐", "department": "党政办", "deadline": "2023-06-30", "status": "整改中"})
    svc.create("dispute", {"date": "2023-07-01", "source": "排查发现", "village": unit.villages[0], "category": "邻里关系",
                           "parties": "王五与赵六", "summary": "排水", "risk": "红", "status": "调处中"})
    svc.create("dispute", {"date": "2023-07-03", "source": "排查发现", "village": unit.villages[0], "category": "土地纠纷",
                           "parties": "钱七与孙八", "summary": "地界", "risk": "绿", "status": "调处中"})
    svc.create("counsel", {"name": "周律师", "firm": "某所", "signed_on": "2023-01-01", "service_from": "2023-01-01",
                           "service_to": "2023-12-31"})
    items = _items(db, unit)
    assert _one(items, "张三").due == dt.date(2023, 5, 19) and "第六十七条" in _one(items, "张三").basis
    assert _one(items, "李四").due == dt.date(2023, 6, 12) and _one(items, "李四").done
    assert _one(items, "某厂").due == dt.date(2023, 5, 30)  # 90 days after 立案
    assert _one(items, "村规民约").due == dt.date(2023, 3, 22)
    assert _one(items, "台账不全").due == dt.date(2023, 6, 30)
    assert _one(items, "钱七").due == dt.date(2023, 7, 10)  # no time limit recorded: the setting's 7 days
    red = _one(items, "王五")
    assert red.urgent and red.state(dt.date(2023, 7, 1), 7) == todo.NOW  # red: at once, not in 7 days
    assert _one(items, "周律师").due == dt.date(2023, 12, 31)
    assert _one(items, "向社会公开").due == dt.date(2024, 4, 1)
    # the clock moves: not yet due → due soon → overdue; a done item stays done
    answer = _one(items, "张三")
    assert answer.state(dt.date(2023, 5, 5), 7) == todo.LATER and answer.days_left(dt.date(2023, 5, 5)) == 14
    assert answer.state(dt.date(2023, 5, 13), 7) == todo.SOON
    assert answer.state(dt.date(2023, 5, 20), 7) == todo.OVERDUE and answer.days_left(dt.date(2023, 5, 20)) == -1
    assert _one(items, "李四").state(dt.date(2024, 1, 1), 7) == todo.DONE
    # settings: the county's report date, a 10-day extension for reviews, 3 days for a dispute
    with db.engine.begin() as conn:
        unit = update_settings(conn, unit, {"todo": {"report_due": "03-15", "review_extension_days": 10,
                                                     "dispute_days": 3}}, "测试员")
    items = _items(db, unit)
    assert _one(items, "报送县里").due == dt.date(2024, 3, 15)
    assert _one(items, "村规民约").due == dt.date(2023, 4, 6)  # 25 working days, 清明 (4月5日) not one of them
    assert _one(items, "钱七").due == dt.date(2023, 7, 6)
    # a renewed contract closes the old one's item
    svc.create("counsel", {"name": "周律师", "firm": "某所", "signed_on": "2023-12-20", "service_from": "2024-01-01",
                           "service_to": "2024-12-31"})
    old = [i for i in _items(db, unit) if "周律师" in i.what and i.due == dt.date(2023, 12, 31)]
    assert len(old) == 1 and old[0].done


def test_missed_legal_deadlines_are_in_the_readiness_check(svc, db, unit):
    from fazhi_desktop.reports import readiness

    svc.create("review_litigation", {"date": "2023-05-01", "kind": "行政诉讼", "applicant": "张三", "act": "处罚决定",
                                     "served_on": "2023-05-04"})
    with db.engine.connect() as conn:
        found = [f for f in readiness.check(conn, unit, 2023) if "张三" in f.message]
    assert found and "已超过法定期限" in found[0].message and found[0].field == "answered_on"
    svc.update("review_litigation", found[0].record_id, {"answered_on": "2023-05-15"})
    with db.engine.connect() as conn:
        assert not [f for f in readiness.check(conn, unit, 2023) if "张三" in f.message]


@pytest.mark.parametrize("today", ["2023-05-14", "2023-05-25"])
def test_todo_command(today, tmp_path, data_dir):
    from clikit import run_cli

    env = {"FAZHI_DATA_DIR": str(data_dir)}
    db = str(tmp_path / "t.sqlite3")
    assert run_cli("--db", db, "init", "--unit", "新镇", "--county", "某县", "--addressee", "县法治办", "--issuer",
                   "中共新镇委员会", "--villages", "东村,西村", env=env).returncode == 0
    from fazhi_desktop.services.records import RecordService
    from fazhi_desktop.services.units import get_unit
    from fazhi_desktop.storage.database import open_database

    database = open_database(db)
    with database.engine.connect() as conn:
        unit = get_unit(conn)
    RecordService(database.engine, unit, "测试员").create("review_litigation", {
        "date": "2023-05-01", "kind": "行政诉讼", "applicant": "张三", "act": "处罚决定", "served_on": "2023-05-04"})
    database.dispose()
    proc = run_cli("--db", db, "todo", "--year", "2023", "--today", today, env=env)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if "张三" in x)
    if today == "2023-05-14":
        assert "[即将到期] 2023-05-19，还剩 5 天" in line
    else:
        assert "[已逾期] 2023-05-19，已超过 6 天" in line


def test_a_disputes_time_limit_follows_its_complexity(svc, db, unit):
    base = {"source": "排查发现", "village": unit.villages[0], "category": "邻里关系", "summary": "排水", "risk": "绿",
            "status": "调处中"}
    svc.create("dispute", {**base, "date": "2023-07-03", "parties": "简单甲", "complexity": "简单"})
    svc.create("dispute", {**base, "date": "2023-07-03", "parties": "复杂乙", "complexity": "复杂"})
    svc.create("dispute", {**base, "date": "2023-07-03", "parties": "登记丙", "complexity": "复杂", "deadline": "2023-07-05"})
    items = _items(db, unit)
    assert _one(items, "简单甲").due == dt.date(2023, 7, 4) and "简单纠纷" in _one(items, "简单甲").basis
    assert _one(items, "复杂乙").due == dt.date(2023, 7, 23)
    assert _one(items, "登记丙").due == dt.date(2023, 7, 5)  # its own time limit first
    with db.engine.begin() as conn:
        unit = update_settings(conn, unit, {"todo": {"dispute_complex_days": 30}}, "测试员")
    assert _one(_items(db, unit), "复杂乙").due == dt.date(2023, 8, 2)


def test_a_working_field_is_not_a_column_of_the_printed_tables(svc, db, unit, tmp_path):
    from openpyxl import load_workbook

    from fazhi_desktop.reports.render.xlsx import write_statistics_workbook

    svc.create("dispute", {"date": "2023-07-03", "source": "排查发现", "village": unit.villages[0], "category": "邻里关系",
                           "parties": "甲", "summary": "排水", "risk": "绿", "status": "调处中", "complexity": "简单"})
    write_statistics_workbook(db.engine, unit, 2023, tmp_path / "t.xlsx")
    headers = [c.value for c in load_workbook(tmp_path / "t.xlsx")["矛盾纠纷排查调处台账"][3]]
    assert "风险等级" in headers and "难易程度" not in headers
    assert headers.index("风险等级") + 1 == headers.index("包案领导")  # the columns after it did not shift


def test_the_demo_years_deadlines(demo_db):
    """The demo (2023): the 复议 answered within its 10 days and both reviews done; the 整改 items still open
    by 2024-06-30 are overdue by then, the publication limit is 4月1日."""
    from fazhi_desktop.services.units import get_unit

    with demo_db.engine.connect() as conn:
        items = todo.items(conn, get_unit(conn), 2023)
    answer = _one(items, "书面答复")
    assert answer.done and answer.due == dt.date(2023, 7, 27)
    reviews = [i for i in items if i.ledger == "counsel_service"]
    assert len(reviews) == 2 and all(i.done for i in reviews)
    open_fixes = [i for i in items if i.ledger == "rectification" and not i.done]
    assert open_fixes and all(i.state(dt.date(2024, 7, 1), 7) == todo.OVERDUE for i in open_fixes)
    assert _one(items, "向社会公开").days_left(dt.date(2024, 3, 1)) == 31
    # every kind of deadline the rules derive, each from a demo record (or the unit's settings)
    assert _one(items, "答辩状").done and _one(items, "答辩状").due == dt.date(2024, 1, 4)  # served 12-20, +15 days
    assert _one(items, "作出处罚决定").due == dt.date(2023, 11, 27)  # 立案 08-28, +90 days is a Sunday: Monday
    assert _one(items, "报送县里").due == dt.date(2024, 3, 25) and _one(items, "报送县里").done  # sent 3月20日
    # 15 working days after 04-11 skip 05-01..05-03 and count the 调休 Sunday 04-23: 05-04, not 05-02
    assert _one(items, "光伏电站").due == dt.date(2023, 5, 4)
    assert _one(items, "合同到期").days_left(dt.date(2024, 3, 1)) == 305
    assert any(i.ledger == "dispute" and i.urgent for i in items)  # the red-level dispute
    kinds = {i.basis.split("（")[0] for i in items}
    assert len(kinds) == 9, kinds
