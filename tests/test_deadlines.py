"""#35 (first part): statutory periods counted as the law counts them, over the State Council's holiday calendar
shipped as data — with no holiday typed by the clerk. Each rule names its article and the version in force on the day
the period starts; the clock is moved across 国庆 and 春节 of 2024–2026 and a 复议 served before 2024."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi_desktop.domain import deadlines, holidays
from fazhi_desktop.services import todo

D = dt.date


@pytest.mark.parametrize(("year", "off_weekdays", "worked"), [
    # the days off that fall on weekdays, and the 调休 weekend days worked, counted by hand from each notice
    (2020, 19, 6), (2021, 18, 7), (2022, 18, 7), (2023, 18, 7), (2024, 19, 8), (2025, 18, 5), (2026, 19, 6),
])
def test_each_shipped_year_holds_its_notice(year, off_weekdays, worked):
    cal = holidays.CALENDARS[year]
    off = cal.days_off()
    assert sum(1 for d in off if d.weekday() < 5) == off_weekdays
    assert len(cal.days_worked()) == worked and all(d.weekday() >= 5 for d in cal.days_worked())
    assert not off & cal.days_worked()
    assert "通知" in cal.notice or "国办发明电" in cal.notice


CASES = [
    # rule, start, due, words the basis must name
    ("review_answer", D(2025, 9, 26), D(2025, 10, 16), ["2023年修订", "第四十八条", "第八十八条", "工作日"]),
    ("review_answer", D(2024, 2, 6), D(2024, 2, 26), ["2023年修订"]),  # 春节 2024: 2.10–2.17 off, 2.18 (Sun) worked
    ("review_answer", D(2023, 9, 22), D(2023, 10, 7), ["2017年修正", "第二十三条"]),  # before 2024: 10 days, rolled
    ("review_answer", D(2023, 12, 29), D(2024, 1, 8), ["2017年修正"]),  # served in 2023: the old law, 10 days
    ("lawsuit_answer", D(2024, 9, 16), D(2024, 10, 8), ["第六十七条", "民事诉讼法第八十五条"]),  # ends in 国庆
    ("lawsuit_answer", D(2026, 2, 1), D(2026, 2, 24), ["第六十七条"]),  # 2.16 → after 春节 2026 (2.15–2.23)
    ("lawsuit_answer", D(2021, 9, 20), D(2021, 10, 8), ["民事诉讼法第八十二条"]),  # before 2022: the old number
    ("review_answer", D(2020, 1, 20), D(2020, 2, 3), ["2017年修正"]),  # 1.30 → 春节 2020, extended to 2月2日
    ("penalty_decision", D(2025, 7, 3), D(2025, 10, 9), ["第六十条", "2021年修订"]),  # 10.1 → after 国庆 2025
]


@pytest.mark.parametrize(("rule", "start", "due", "names"), CASES)
def test_each_rule_counts_as_its_version_does_and_names_it(rule, start, due, names):
    found = deadlines.due(rule, start, holidays.calendar())
    assert found is not None and found[0] == due, (rule, start, found)
    assert all(n in found[1] for n in names), found[1]


def test_a_penalty_case_filed_before_the_2021_law_has_no_ninety_day_limit():
    assert deadlines.due("penalty_decision", D(2021, 7, 14), holidays.calendar()) is None
    assert deadlines.due("penalty_decision", D(2021, 7, 15), holidays.calendar()) is not None


def test_legality_review_over_national_day_counts_working_days_only():
    # 合法性审查 received 2025-09-25, 15 working days: 9.28 (Sun) and 10.11 (Sat) worked, 10.1–10.8 off
    assert deadlines.add_working_days(D(2025, 9, 25), 15, holidays.calendar()) == D(2025, 10, 22)


def test_the_todo_list_and_the_readiness_check_use_the_law_not_calendar_days(svc, db, unit):
    """The issue's case: on 2025-10-10 a 复议 served 2025-09-26 is not overdue (due 2025-10-16), and 报告体检 says
    nothing of a breach; on 10-17 it is overdue."""
    svc.create("review_litigation", {"date": "2025-09-26", "kind": "行政复议", "applicant": "某公司", "act": "处罚",
                                     "served_on": "2025-09-26"})
    svc.create("review_litigation", {"date": "2024-09-16", "kind": "行政诉讼", "applicant": "某人", "act": "登记",
                                     "served_on": "2024-09-16"})
    with db.engine.connect() as conn:
        items = todo.items(conn, unit, 2025) + todo.items(conn, unit, 2024)
    review = next(i for i in items if "某公司" in i.what)
    lawsuit = next(i for i in items if "某人" in i.what)
    assert review.due == D(2025, 10, 16) and "第八十八条" in review.basis
    assert review.state(D(2025, 10, 10), 7) != todo.OVERDUE and review.state(D(2025, 10, 17), 7) == todo.OVERDUE
    assert lawsuit.due == D(2024, 10, 8)
    assert todo.open_items([review], D(2025, 10, 10)) == []


def test_per_case_extensions_and_what_counts_as_sent(svc, db, unit, tmp_path):
    """A penalty case's approved extension and its days that do not count; a review's own extension; 「报送县里」 done
    when a 报送日期 is recorded or the year's package is exported — not when a 成文日期 is typed."""
    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.services import reports_text
    from fazhi_desktop.services.units import update_settings

    svc.create("enforcement", {"date": "2025-06-01", "domain": "安全生产", "party": "某厂", "facts": "无证",
                               "method": "行政处罚", "filed_on": "2025-06-03", "extended_days": 30, "suspended_days": 5})
    svc.create("counsel_service", {"date": "2025-03-03", "kind": "规范性文件合法性审查", "title": "村规民约",
                                   "extension_days": 10})
    with db.engine.begin() as conn:
        unit = update_settings(conn, unit, {"todo": {"report_due": "03-15"}}, "测试员")
        reports_text.save_report_text(conn, unit, 2025, {"doc_date": D(2026, 3, 10)}, "测试员")

    def items():
        with db.engine.connect() as conn:
            return todo.items(conn, unit, 2025)

    found = items()
    case = next(i for i in found if "某厂" in i.what)
    # 6.3 + 90 + 30 + 5 = 10.6 (in 国庆 2025: 10.1–10.8) → 10.9
    assert case.due == D(2025, 10, 9) and "批准延长30日" in case.basis and "不计入期限5日" in case.basis
    review = next(i for i in found if "村规民约" in i.what)
    assert review.due == deadlines.add_working_days(D(2025, 3, 3), 25, holidays.calendar()) == D(2025, 4, 8)
    sent = next(i for i in found if "报送县里" in i.what)
    assert not sent.done  # a 成文日期 is no sending
    write_package(db.engine, unit, 2025, tmp_path / "包.zip")
    assert next(i for i in items() if "报送县里" in i.what).done


def test_in_december_a_missing_calendar_for_next_year_is_a_todo_item(db, unit):
    from fazhi_desktop.services.units import update_settings

    def asked(today, unit):
        with db.engine.connect() as conn:
            return [i for i in todo.items(conn, unit, today.year, today) if "法定节假日安排" in i.what]

    assert asked(D(2026, 11, 30), unit) == []  # not yet December
    item = asked(D(2026, 12, 6), unit)
    assert len(item) == 1 and not item[0].done and "2027年" in item[0].what and item[0].due == D(2026, 12, 31)
    assert asked(D(2025, 12, 6), unit) == []  # 2026 is shipped
    with db.engine.begin() as conn:
        unit = update_settings(conn, unit, {"todo": {"holidays": ["2027-01-01"]}}, "测试员")
    assert asked(D(2026, 12, 6), unit)[0].done
