"""Indicators on small hand-built ledgers whose answers are worked out by hand in each test."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi_desktop.services import reports_text, stats


def _stats(db, unit, year=2023):
    with db.engine.connect() as conn:
        return stats.compute(conn, unit, year)


def test_every_indicator_key_of_the_spec_is_computed(db, unit):
    spec_keys = {
        "org.special_meetings", "org.meetings_total", "org.issues_resolved", "org.documents",
        "org.leading_group_members", "org.facilities", "org.facilities.by_kind", "study.center_group", "study.joint",
        "study.pre_meeting", "study.total", "study.participants", "law_report.leaders",
        "law_report.village_secretaries", "law_report.total", "publicity.ten_entries",
        "publicity.ten_entries.by_target", "publicity.meetings", "publicity.campaigns", "publicity.audience",
        "publicity.materials", "publicity.banners", "publicity.boards", "publicity.laws", "talent.law_leaders",
        "talent.legal_understanders", "counsel.count", "counsel.reviews", "counsel.review_adoption",
        "enforcement.cases", "enforcement.flexible", "enforcement.penalties", "enforcement.recorded_rate",
        "enforcement.publicized_rate", "enforcement.legal_review_rate", "disputes.found", "disputes.handled",
        "disputes.resolved", "disputes.handled_rate", "disputes.success_rate", "disputes.by_category",
        "disputes.by_risk", "rectification.total", "rectification.closed", "rectification.overdue",
        "legal_service.consultations", "review.cases", "review.head_appearance_rate",
    }
    assert spec_keys <= set(_stats(db, unit))


def test_empty_year_counts_zero_and_rates_are_null(db, unit):
    s = _stats(db, unit)
    assert s["org.special_meetings"] == 0 and s["publicity.materials"] == 0
    for key in ("counsel.review_adoption", "enforcement.recorded_rate", "enforcement.legal_review_rate",
                "disputes.handled_rate", "disputes.success_rate", "review.head_appearance_rate"):
        assert s[key] is None, key


def test_meetings_year_boundaries_and_deleted(svc, db, unit):
    for day, kind, issues in [("2022-12-31", "法治建设专题会议", 9), ("2023-01-01", "法治建设专题会议", 2),
                              ("2023-12-31", "法治建设专题会议", 3), ("2023-06-01", "联席会议", None),
                              ("2024-01-01", "法治建设专题会议", 7)]:
        svc.create("meeting", {"date": day, "kind": kind, "title": "会", "issues_resolved": issues})
    gone = svc.create("meeting", {"date": "2023-05-05", "kind": "法治建设专题会议", "title": "删", "issues_resolved": 100})
    svc.delete("meeting", gone.id)
    s = _stats(db, unit)
    assert (s["org.special_meetings"], s["org.meetings_total"], s["org.issues_resolved"]) == (2, 3, 5)


def test_publicity(svc, db, unit):
    rows = [
        {"kind": "法律十进", "target": "进学校", "topics": ["宪法", "民法典"], "materials": 100, "banners": 1},
        {"kind": "法律十进", "target": "进学校", "topics": ["宪法"], "materials": 50},
        {"kind": "法律十进", "target": "进企业", "topics": ["禁毒法"], "audience": 40},
        {"kind": "普法宣传会议", "materials": 7, "boards": 2},
        {"kind": "集日宣传", "topics": ["民法典"], "materials": 3, "banners": 2, "audience": 60},
        {"kind": "宪法宣传周", "topics": ["宪法"]},
    ]
    for r in rows:
        svc.create("publicity", {"date": "2023-03-03", "place": "东村"} | r)
    s = _stats(db, unit)
    assert s["publicity.ten_entries"] == 3
    assert s["publicity.ten_entries.by_target"]["进学校"] == 2
    assert s["publicity.ten_entries.by_target"]["进企业"] == 1
    assert s["publicity.ten_entries.by_target"]["进机关"] == 0
    assert (s["publicity.meetings"], s["publicity.campaigns"]) == (1, 2)
    assert (s["publicity.materials"], s["publicity.banners"], s["publicity.boards"]) == (160, 3, 2)
    assert s["publicity.audience"] == 100
    assert s["publicity.laws"] == 3
    assert s["publicity.laws.by_law"] == {"宪法": 3, "民法典": 2, "禁毒法": 1}


def test_rosters_in_force_across_years(svc, db, unit):
    people = [(2021, "学法带头人", None), (2023, "学法带头人", None), (2024, "学法带头人", None),
              (2021, "法律明白人", 2023), (2022, "法律明白人", 2024), (2022, "民主法治示范户", None)]
    for year, cat, left in people:
        svc.create("legal_talent", {"year": year, "name": "某", "village": "东村", "category": cat, "left_year": left})
    s22, s23 = _stats(db, unit, 2022), _stats(db, unit, 2023)
    assert (s22["talent.law_leaders"], s22["talent.legal_understanders"]) == (1, 2)
    assert (s23["talent.law_leaders"], s23["talent.legal_understanders"]) == (2, 1)


def test_leading_group_and_law_report_are_per_year(svc, db, unit):
    for year in (2022, 2023, 2023):
        svc.create("leading_group", {"year": year, "name": "某", "post": "镇长", "role": "副组长"})
    for identity in ("党政主要负责人", "班子成员", "村党组织书记", "站所负责人"):
        svc.create("law_report", {"year": 2023, "person": "某", "post": "职", "identity": identity, "manner": "书面述法"})
    s = _stats(db, unit)
    assert s["org.leading_group_members"] == 2
    assert (s["law_report.leaders"], s["law_report.village_secretaries"], s["law_report.total"]) == (2, 1, 4)


def test_facilities_in_force(svc, db, unit):
    for name, built, in_use in [("甲", "2021-03-01", True), ("乙", "2023-12-31", True), ("丙", "2024-01-01", True),
                                ("丁", None, True), ("戊", "2020-01-01", False)]:
        svc.create("facility", {"name": name, "kind": "综治中心", "level": "镇级", "built_on": built, "in_use": in_use})
    assert _stats(db, unit, 2022)["org.facilities"] == 2  # 甲, 丁
    s = _stats(db, unit, 2023)
    assert s["org.facilities"] == 3  # 甲, 乙, 丁
    assert s["org.facilities.by_kind"]["综治中心"] == 3


def test_counsel_counts_for_every_year_its_service_overlaps_up_to_the_report_date(svc, db, unit):
    svc.create("counsel", {"name": "甲", "firm": "所", "signed_on": "2024-01-08", "service_to": "2024-12-31"})
    svc.create("counsel", {"name": "乙", "firm": "所", "signed_on": "2022-01-01", "service_to": "2023-06-30"})
    svc.create("counsel", {"name": "丙", "firm": "所", "signed_on": "2020-01-01", "service_to": "2022-12-31"})
    # Without a draft the report speaks for 2023 itself: 乙 served half of it; 甲 had not signed, 丙 had ended.
    assert _stats(db, unit)["counsel.count"] == 1
    with db.engine.begin() as conn:
        reports_text.save_report_text(conn, unit, 2023, {"doc_date": dt.date(2024, 3, 20)}, "测试员")
    assert _stats(db, unit)["counsel.count"] == 2  # written in March 2024: 甲 is the counsel by then
    assert _stats(db, unit, 2022)["counsel.count"] == 2  # 乙 and 丙


def test_counsel_reviews_and_adoption(svc, db, unit):
    for kind, adopted in [("合同审查", True), ("规范性文件合法性审查", False), ("重大行政决策合法性审查", True),
                          ("法律咨询", True)]:
        svc.create("counsel_service", {"date": "2023-05-01", "kind": kind, "title": "事", "adopted": adopted})
    s = _stats(db, unit)
    assert s["counsel.reviews"] == 3
    assert s["counsel.review_adoption"] == pytest.approx(2 / 3)


def test_enforcement_rates(svc, db, unit):
    cases = [("行政指导", True, True, False, False), ("行政处罚", True, False, True, True),
             ("行政处罚", False, True, True, False), ("不予处罚（免罚清单）", False, False, False, False)]
    for method, recorded, publicized, major, review in cases:
        svc.create("enforcement", {"date": "2023-05-01", "domain": "安全生产", "party": "某", "facts": "事",
                                   "method": method, "recorded": recorded, "publicized": publicized, "major": major,
                                   "legal_review": review})
    s = _stats(db, unit)
    assert (s["enforcement.cases"], s["enforcement.flexible"], s["enforcement.penalties"]) == (4, 2, 2)
    assert s["enforcement.recorded_rate"] == 0.5
    assert s["enforcement.publicized_rate"] == 0.5
    assert s["enforcement.legal_review_rate"] == 0.5


def test_disputes(svc, db, unit):
    rows = [("土地纠纷", "红", "调解成功"), ("土地纠纷", "绿", "调解不成"), ("婚姻家庭", "黄", "调处中"),
            ("邻里关系", "绿", "已移交"), ("邻里关系", "绿", "调解成功")]
    for cat, risk, status in rows:
        closed = "2023-06-01" if status in ("调解成功", "调解不成", "已移交") else None
        svc.create("dispute", {"date": "2023-05-01", "source": "排查发现", "village": "南村", "category": cat,
                               "parties": "甲乙", "summary": "事", "risk": risk, "status": status, "closed_on": closed})
    s = _stats(db, unit)
    assert (s["disputes.found"], s["disputes.handled"], s["disputes.resolved"]) == (5, 4, 2)
    assert s["disputes.handled_rate"] == 0.8 and s["disputes.success_rate"] == 0.5
    assert s["disputes.by_category"]["土地纠纷"] == 2 and s["disputes.by_category"]["山林权属"] == 0
    assert s["disputes.by_risk"] == {"红": 1, "黄": 1, "绿": 3}


def test_rectification_overdue_against_report_date(svc, db, unit):
    for deadline, status, closed in [("2023-12-31", "整改中", None), ("2024-06-30", "整改中", None),
                                     ("2023-10-31", "已销号", "2023-10-20")]:
        svc.create("rectification", {"source": "司法部反馈问题", "assigned_on": "2023-09-15", "problem": "问题",
                                     "measures": "措施", "department": "党政办", "deadline": deadline,
                                     "status": status, "closed_on": closed})
    s = _stats(db, unit)
    assert (s["rectification.total"], s["rectification.closed"], s["rectification.overdue"]) == (3, 1, 0)
    with db.engine.begin() as conn:
        reports_text.save_report_text(conn, unit, 2023, {"doc_date": "2024-03-20"}, "测试员")
    assert _stats(db, unit)["rectification.overdue"] == 1


def test_legal_service_and_review(svc, db, unit):
    for kind in ("法律咨询", "法律咨询", "人民调解"):
        svc.create("legal_service", {"date": "2023-02-02", "station": "镇工作站", "kind": kind, "matter": "事"})
    for kind, appeared in [("行政诉讼", True), ("行政诉讼", False), ("行政复议", False)]:
        svc.create("review_litigation", {"date": "2023-02-02", "kind": kind, "applicant": "某", "act": "行为",
                                         "head_appeared": appeared})
    s = _stats(db, unit)
    assert s["legal_service.consultations"] == 2
    assert s["review.cases"] == 3
    assert s["review.head_appearance_rate"] == 0.5


def test_study(svc, db, unit):
    for form, people in [("党委理论学习中心组学法", 10), ("党委理论学习中心组学法", 12), ("干部群众共同学法", 80),
                         ("会前学法", None), ("旁听庭审", 5)]:
        svc.create("study", {"date": "2023-04-04", "form": form, "content": "宪法", "participants": people})
    s = _stats(db, unit)
    assert (s["study.center_group"], s["study.joint"], s["study.pre_meeting"], s["study.total"]) == (2, 1, 1, 5)
    assert s["study.participants"] == 107


def test_other_units_never_count(db, unit, svc):
    from fazhi_desktop.services.records import RecordService
    from fazhi_desktop.services.units import create_unit

    with db.engine.begin() as conn:
        other = create_unit(conn, {"name": "邻镇", "county": "测试县", "addressee": "县法治办", "issuers": ["邻镇党委"],
                                   "villages": ["东村"]}, "测试员")
    RecordService(db.engine, other).create("meeting", {"date": "2023-04-01", "kind": "法治建设专题会议", "title": "会"})
    assert _stats(db, unit)["org.special_meetings"] == 0


def test_indicator_filters_only_use_declared_choices():
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import ledger_table

    with pytest.raises(AssertionError, match="no choice"):
        stats.is_(ledger_table("dispute"), "status", "已调解")  # not a declared 状态
    assert isinstance(stats.is_(ledger_table("dispute"), "status", "调解成功"), sa.ColumnElement)


def test_statements_are_reused_across_units_years_and_local_topics(db, unit, svc):
    """Statements are built once with bound parameters: a second unit, another year and a unit's own publicity topic
    must each get their own figures, not the first caller's."""
    from fazhi_desktop.services.records import RecordService
    from fazhi_desktop.services.units import add_local_choice, create_unit

    svc.create("publicity", {"date": "2023-03-03", "place": "东村", "kind": "集日宣传", "topics": ["宪法"]})
    svc.create("publicity", {"date": "2022-03-03", "place": "东村", "kind": "集日宣传", "topics": ["民法典"]})
    with db.engine.begin() as conn:
        other = create_unit(conn, {"name": "邻镇", "county": "测试县", "addressee": "县法治办", "issuers": ["邻镇党委"],
                                   "villages": ["西村"]}, "测试员")
        other = add_local_choice(conn, other, "publicity", "topics", "本省禁毒条例", "测试员")
    RecordService(db.engine, other).create(
        "publicity", {"date": "2023-05-05", "place": "西村", "kind": "集日宣传", "topics": ["本省禁毒条例", "宪法"]})
    first = _stats(db, unit)
    assert first["publicity.laws.by_law"] == {"宪法": 1} and first["publicity.campaigns"] == 1
    assert _stats(db, unit, 2022)["publicity.laws.by_law"] == {"民法典": 1}
    theirs = _stats(db, other)
    assert theirs["publicity.laws.by_law"] == {"宪法": 1, "本省禁毒条例": 1} and theirs["publicity.laws"] == 2
    assert _stats(db, unit) == first


def test_every_statistics_statement_is_a_covering_index_search(db):
    """At a million records, reading the rows behind the (unit, deleted, year) index cost four times the counting
    (#38): each ledger's index carries the columns its statistics count (domain.indicators.COUNTED), and SQLite
    answers every statement from the index alone. The demo year, with an answered 信息公开 application (its dates
    are read for 按时), runs each statement once."""
    from plankit import plan, statements

    from fazhi_desktop.domain.indicators import COUNTED
    from fazhi_desktop.domain.ledgers import LEDGERS
    from fazhi_desktop.services.demo import load_demo
    from fazhi_desktop.services.records import RecordService

    unit = load_demo(db.engine)
    RecordService(db.engine, unit).create("disclosure", {
        "date": "2023-03-01", "applicant": "张某", "form": "信函", "content": "征地补偿标准", "answered_on": "2023-03-20",
        "result": "予以公开"})
    tables = {lg.key for lg in LEDGERS}

    def compute():
        with db.engine.connect() as conn:
            stats.compute(conn, unit, 2023)

    _none, ran = statements(db.engine, compute)
    searched = set()
    for statement, parameters in ran:
        for detail in plan(db.engine, statement, parameters):
            table = next((t for t in tables if detail.split(" ")[1:2] == [t]), None)
            if table is None:
                continue
            assert f"USING COVERING INDEX ix_{table}_unit_year" in detail, (detail, statement)
            searched.add(table)
    assert searched == tables  # every ledger counted, each through its index
    assert set(COUNTED) <= tables
