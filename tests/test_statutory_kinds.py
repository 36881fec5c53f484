"""#35 (second part): the statutory periods 待办 lacked — 简易程序 复议, 行政处罚 听证 and 送达, 行政强制 催告 and 申请法院
强制执行, 政府信息公开 依申请 (答复, 补正, 第三方意见), 信访 受理 and 办结 — each counted as its law counts, naming its
article and the version in force on the start date; the clock moved across 国庆 and 春节. And the 政府信息公开 ledger:
it imports, exports, counts and prints, each printed clause borne out by the records."""

from __future__ import annotations

import datetime as dt

import pytest

from fazhi_desktop.domain import deadlines, holidays
from fazhi_desktop.services import todo

D = dt.date

# rule, start, due (counted by hand from the State Council's notices), words the basis must name
CASES = [
    # 2025-09-26 Fri; 9.28 (Sun) worked; 10.1–10.8 off: 9.28, 9.29, 9.30, 10.9, 10.10
    ("review_answer_simple", D(2025, 9, 26), D(2025, 10, 10), ["第五十四条", "第八十八条", "2023年修订"]),
    # decided 2024-09-27 Fri; 9.29 (Sun) and 10.12 (Sat) worked; 10.1–10.7 off: 9.29, 9.30, 10.8–10.11, 10.12
    ("penalty_service", D(2024, 9, 27), D(2024, 10, 12), ["第六十一条", "第八十五条"]),
    # told 2026-02-12 Thu; 2.14 (Sat) worked; 2.15–2.23 off: 2.13, 2.14, 2.24, 2.25, 2.26
    ("penalty_hearing", D(2026, 2, 12), D(2026, 2, 26), ["第六十四条", "第八十五条"]),
    # urged 2025-01-24 Fri; 1.26 (Sun) and 2.8 (Sat) worked; 1.28–2.4 off: 1.26, 1.27, 2.5–2.7, 2.8, 2.10–2.13
    ("coercion_urge", D(2025, 1, 24), D(2025, 2, 13), ["第五十四条", "第六十九条"]),
    # three months from 2025-11-30: February has no 30th, its last day
    ("coercion_court", D(2025, 11, 30), D(2026, 2, 28), ["第五十三条", "三个月"]),
    # received 2024-09-20 Fri; 9.29 (Sun), 10.12 (Sat) worked; 10.1–10.7 off: 20 working days end 10-23
    ("disclosure_answer", D(2024, 9, 20), D(2024, 10, 23), ["2019年修订", "第三十三条"]),
    # received 2019-05-14, before the 2019 revision took effect (05-15): 15 working days, 2007 条例 第二十四条
    ("disclosure_answer", D(2019, 5, 14), D(2019, 6, 4), ["2007年", "第二十四条"]),
    # received 2025-09-26 Fri: 9.28, 9.29, 9.30, 10.9, 10.10, 10.11 (Sat, worked), 10.13
    ("disclosure_correction", D(2025, 9, 26), D(2025, 10, 13), ["第三十条", "7个工作日"]),
    # asked 2026-09-24 Thu; 9.25–9.27 and 10.1–10.7 off, 10.10 (Sat) worked: 15 working days end 10-22
    ("disclosure_third_party", D(2026, 9, 24), D(2026, 10, 22), ["第三十二条", "15个工作日"]),
    # 信访: 15 days, no roll-over set by the regulation: 2024-10-05 although it falls in 国庆
    # the articles as the two texts number them: 信访工作条例 第二十三条 (告知) and 第三十四条 (办结: its 第三十三条 is
    # 调解); 信访条例 2005 第二十一条 (转送、交办) and 第二十二条 (直接提出), 第三十三条 (办结)
    ("petition_accept", D(2024, 9, 20), D(2024, 10, 5), ["信访工作条例（2022年）第二十三条第二款、第三款", "15日"]),
    ("petition_accept", D(2021, 9, 20), D(2021, 10, 5), ["信访条例（2005年）第二十一条、第二十二条"]),
    # the day the 2022 regulation took effect: its version, not the 2005 one
    ("petition_accept", D(2022, 5, 1), D(2022, 5, 16), ["信访工作条例（2022年）第二十三条"]),
    ("petition_finish", D(2024, 3, 1), D(2024, 4, 30), ["信访工作条例（2022年）第三十四条", "第三十一条第六项", "60日"]),
    ("petition_finish", D(2022, 3, 1), D(2022, 4, 30), ["信访条例（2005年）第三十三条"]),
]


@pytest.mark.parametrize(("rule", "start", "due", "names"), CASES)
def test_each_new_rule_counts_as_its_version_does_and_names_it(rule, start, due, names):
    found = deadlines.due(rule, start, holidays.calendar())
    assert found is not None and found[0] == due, (rule, start, found)
    assert all(n in found[1] for n in names), found[1]


def test_every_rule_is_enumerated_by_a_test_case():
    """The rules are data: each is counted against a hand-made date here or in the first part's cases."""
    from test_deadlines import CASES as FIRST

    assert set(deadlines.RULES) == {c[0] for c in CASES + FIRST}


def test_periods_the_law_did_not_set_yet_and_extensions_beyond_the_law():
    cal = holidays.calendar()
    # 简易程序 came with the 2023 revision (in force 2024-01-01); 听证 and 送达 as counted here with the 2021 one
    assert deadlines.due("review_answer_simple", D(2023, 12, 29), cal) is None
    assert deadlines.due("penalty_service", D(2021, 7, 14), cal) is None
    assert deadlines.due("disclosure_correction", D(2019, 5, 14), cal) is None
    # an extension longer than the law allows counts as the most it allows, and the basis says so
    at_most = deadlines.due("disclosure_answer", D(2024, 9, 20), cal, extension=20)
    beyond = deadlines.due("disclosure_answer", D(2024, 9, 20), cal, extension=25)
    assert at_most[0] == beyond[0] and "按20个工作日计" in beyond[1] and "按" not in at_most[1].split("；")[-1]
    assert deadlines.due("petition_finish", D(2024, 3, 1), cal, extension=40)[0] == D(2024, 5, 30)


def _items(db, unit, year, today):
    with db.engine.connect() as conn:
        return todo.items(conn, unit, year, today=today)


def _one(items, words):
    found = [i for i in items if all(w in i.what for w in words)]
    assert len(found) == 1, [i.what for i in items]
    return found[0]


def test_the_clock_moves_across_each_new_kind_in_the_todo_list(svc, db, unit):
    """Each kind from a record as a clerk types it: due on the law's day (not before), overdue the day after, done
    when its date is typed."""
    svc.create("review_litigation", {"date": "2025-09-26", "kind": "行政复议", "applicant": "某合作社", "act": "处罚",
                                     "served_on": "2025-09-26", "simple": True})
    penalty = svc.create("enforcement", {"date": "2024-09-01", "domain": "市场监管", "party": "某商店", "facts": "无照经营",
                                         "method": "行政处罚", "filed_on": "2024-09-01", "hearing_told_on": "2024-09-20",
                                         "closed_on": "2024-09-27"})
    svc.create("enforcement", {"date": "2025-01-10", "domain": "自然资源", "party": "某厂", "facts": "逾期未拆除",
                               "method": "行政强制", "urged_on": "2025-01-24", "appeal_expires_on": "2025-11-30"})
    svc.create("dispute", {"date": "2024-09-20", "source": "信访事项", "village": "东村", "category": "土地纠纷",
                           "parties": "王某与李某", "summary": "宅基地界址", "risk": "黄", "status": "调处中",
                           "petition_accepted_on": "2024-09-30"})
    svc.create("disclosure", {"date": "2025-09-26", "applicant": "张某", "content": "征地补偿标准",
                              "correction_told_on": "2025-10-09", "corrected_on": "2025-10-20"})
    got = _items(db, unit, 2025, D(2025, 10, 10)) + _items(db, unit, 2024, D(2024, 10, 10))
    simple = _one(got, ["某合作社", "书面答复"])
    assert simple.due == D(2025, 10, 10) and "第五十四条" in simple.basis
    assert simple.state(D(2025, 10, 10), 7) != todo.OVERDUE and simple.state(D(2025, 10, 11), 7) == todo.OVERDUE
    service = _one(got, ["某商店", "送达"])
    assert service.due == D(2024, 10, 12) and not service.done and "第六十一条" in service.basis
    hearing = _one(got, ["某商店", "听证"])  # 9.20 Fri + 5 working days (9.29 Sun worked): 9.27
    assert hearing.due == D(2024, 9, 27) and hearing.done and "第六十四条" in hearing.basis
    urge = _one(got, ["某厂", "催告期满"])
    assert urge.due == D(2025, 2, 13) and urge.done  # the day has passed: only a day before which no court is asked
    court = _one(got, ["某厂", "申请人民法院强制执行"])
    assert court.due == D(2026, 2, 28) and not court.done and "第五十三条" in court.basis
    accept = _one(got, ["王某与李某", "是否受理"])
    assert accept.due == D(2024, 10, 5) and accept.done
    finish = _one(got, ["王某与李某", "办结"])
    assert finish.due == D(2024, 11, 29) and "60日" in finish.basis  # 9.30 + 60 days
    correction = _one(got, ["征地补偿标准", "补正"])
    assert correction.due == D(2025, 10, 13) and correction.done
    answer = _one(got, ["征地补偿标准", "答复申请人"])
    # counted from the corrected application (10-20 Mon): 20 working days end 11-17
    assert answer.due == D(2025, 11, 17) and "自收到补正之日起算" in answer.basis
    # the penalty is served: done
    svc.update("enforcement", penalty.id, {"served_on": "2024-10-11"})
    assert _one(_items(db, unit, 2024, D(2024, 10, 14)), ["某商店", "送达"]).done


def test_a_review_under_the_simple_procedure_before_2024_keeps_the_general_period(svc, db, unit):
    svc.create("review_litigation", {"date": "2023-09-22", "kind": "行政复议", "applicant": "某村民", "act": "登记",
                                     "served_on": "2023-09-22", "simple": True})
    item = _one(_items(db, unit, 2023, D(2023, 10, 1)), ["某村民"])
    assert item.due == D(2023, 10, 7) and "第二十三条" in item.basis  # 2017 law: 10 days, no simple procedure


def test_third_party_days_do_not_count_and_the_extension_adds(svc, db, unit):
    svc.create("disclosure", {"date": "2024-09-20", "applicant": "某企业", "content": "环评批复",
                              "consulted_on": "2024-09-23", "consult_days": 5, "extended_days": 3})
    got = _items(db, unit, 2024, D(2024, 10, 1))
    answer = _one(got, ["环评批复", "答复申请人"])
    # 20 + 5 + 3 = 28 working days from 2024-09-20: 10-23 is the 20th; 10.24, 25, 28, 29, 30, 31, 11.1, 11.4
    assert answer.due == D(2024, 11, 4) and "延长3个工作日" in answer.basis and "征求意见5个工作日不计入" in answer.basis
    third = _one(got, ["环评批复", "第三方"])  # 9.23 Mon + 15 working days (9.29 Sun, 10.12 Sat worked): 10-17
    assert third.due == D(2024, 10, 17) and third.done  # the days it took are typed


# -- the 政府信息公开 ledger: imports, exports, counts, prints ----------------------------------------------------------
def _applications(svc):
    """Four applications of 2023: two answered in time, one answered late, one waiting; one went to 复议 and was
    corrected."""
    svc.create("disclosure", {"date": "2023-03-01", "applicant": "张某", "form": "信函", "content": "征地补偿标准",
                              "answered_on": "2023-03-20", "result": "予以公开"})
    svc.create("disclosure", {"date": "2023-09-25", "applicant": "李某", "form": "网络", "content": "拆迁安置方案",
                              # 20 working days from 9-25 over 国庆 2023 (9.29–10.6 off, 10.7 and 10.8 worked): 10-27
                              "answered_on": "2023-10-26", "result": "部分公开", "appeal": "行政复议",
                              "appeal_result": "纠正"})
    svc.create("disclosure", {"date": "2023-11-01", "applicant": "王某", "content": "低保名单",
                              "answered_on": "2023-12-15", "result": "不予公开"})  # 20 working days end 11-29: late
    svc.create("disclosure", {"date": "2023-12-20", "applicant": "赵某", "content": "道路规划"})


def test_the_disclosure_ledger_counts_and_its_sentence_is_borne_out(db, unit, svc, tmp_path):
    from reportkit import open_pdf, pdf_text

    from fazhi_desktop.reports.content.builder import build_document
    from fazhi_desktop.reports.render.pdf import render_pdf
    from fazhi_desktop.services import claim_check, stats

    _applications(svc)
    with db.engine.connect() as conn:
        figures = stats.compute(conn, unit, 2023)
        doc = build_document(conn, unit, 2023, "三段式")
        problems = claim_check.check(conn, unit.id, 2023, doc.ref_date, doc.claims)
    assert (figures["disclosure.requests"], figures["disclosure.answered"], figures["disclosure.on_time"],
            figures["disclosure.appeals"], figures["disclosure.corrected"]) == (4, 3, 2, 1, 1)
    assert figures["disclosure.on_time_rate"] == pytest.approx(2 / 3)
    text = doc.plain_text()
    assert "收到政府信息公开申请4件，已答复3件，正在办理1件，逾期答复1件，引发行政复议、行政诉讼1件，被纠错1件。" in text, text
    assert problems == []
    with open_pdf(render_pdf(doc, tmp_path / "报告.pdf").path) as pdf:  # printed: the PDF read back
        printed = pdf_text(pdf).replace("\n", "")
    assert "收到政府信息公开申请4件" in printed and "逾期答复1件" in printed and "被纠错1件" in printed
    claim = next(c for c in doc.claims if "政府信息公开申请" in c.text)
    late = next(f for f in claim.facts if f.kind == "count" and f.shown == "1" and f.rows.conds
                and f.rows.conds[-1].op == "not_in_time")
    assert [r["applicant"] for r in late.rows] == ["王某"]


def test_a_claim_of_answers_in_time_that_the_records_do_not_bear_out_is_caught(db, unit, svc):
    """The checker judges 按时 again from the stored rows: a late answer planted after the claim was written shows."""
    import sqlalchemy as sa

    from fazhi_desktop.reports.content.builder import build_document
    from fazhi_desktop.services import claim_check
    from fazhi_desktop.storage.schema import ledger_table

    svc.create("disclosure", {"date": "2023-03-01", "applicant": "张某", "content": "征地补偿标准",
                              "answered_on": "2023-03-20", "result": "予以公开"})
    svc.create("disclosure", {"date": "2023-04-03", "applicant": "孙某", "content": "项目审批",
                              "answered_on": "2023-04-20", "result": "予以公开"})
    with db.engine.connect() as conn:
        doc = build_document(conn, unit, 2023, "三段式")
    assert "收到政府信息公开申请2件，均已答复，均在法定期限内答复。" in doc.plain_text()
    t = ledger_table("disclosure")
    with db.engine.begin() as conn:
        conn.execute(sa.update(t).where(t.c.applicant == "孙某").values(answered_on=D(2023, 6, 1)))
    with db.engine.connect() as conn:
        problems = claim_check.check(conn, unit.id, 2023, doc.ref_date, doc.claims)
    assert any("均在法定期限内答复" in p for p in problems), problems


def test_the_disclosure_ledger_exports_and_imports_and_prints_in_the_statistics_workbook(db, unit, svc, tmp_path):
    from openpyxl import load_workbook

    from fazhi_desktop.exchange.apply import run_import
    from fazhi_desktop.exchange.writer import export_workbook
    from fazhi_desktop.reports.render.xlsx import write_statistics_workbook
    from fazhi_desktop.services.units import create_unit
    from fazhi_desktop.storage.database import open_database

    _applications(svc)
    book = tmp_path / "export.xlsx"
    assert export_workbook(db.engine, unit, book)["disclosure"] == 4
    assert "政府信息公开申请台账" in load_workbook(book, read_only=True).sheetnames
    other = open_database(tmp_path / "other.sqlite3")
    try:
        with other.engine.begin() as conn:
            copy = create_unit(conn, {"name": unit.name, "county": "测试县", "addressee": "县法治办",
                                      "issuers": [f"中共{unit.name}委员会"], "villages": unit.villages}, "文书")
        report = run_import(other.engine, book, actor="文书", unit_name=unit.name)
        assert report.created == 4 and [len(p.creates) for p in report.plans if p.ledger.key == "disclosure"] == [4]
        from fazhi_desktop.services import stats

        with other.engine.connect() as conn:
            figures = stats.compute(conn, copy, 2023)
        assert (figures["disclosure.requests"], figures["disclosure.on_time"], figures["disclosure.corrected"]) == (4, 2, 1)
    finally:
        other.dispose()
    out = write_statistics_workbook(db.engine, unit, 2023, tmp_path / "stats.xlsx")
    wb = load_workbook(out)
    sheet = next(ws for ws in wb.worksheets if "政府信息公开" in ws.title)
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "拆迁安置方案" in cells and "纠正" in cells
    summary = [[c.value for c in row] for row in wb.worksheets[0].iter_rows()]
    assert any("信息公开申请" in r and 4 in r for r in summary), summary


def test_the_readiness_check_names_a_missed_new_period_at_the_field_that_marks_it_done(db, unit, svc):
    """A decision never served and a 信息公开 answer never given are statutory breaches 报告体检 names, each pointing
    at the date to type; a 听证 period that has passed is no breach at all."""
    from fazhi_desktop.reports import readiness

    svc.create("enforcement", {"date": "2024-09-01", "domain": "市场监管", "party": "某商店", "facts": "无照经营",
                               "method": "行政处罚", "filed_on": "2024-09-01", "hearing_told_on": "2024-09-20",
                               "closed_on": "2024-09-27"})
    svc.create("disclosure", {"date": "2024-09-20", "applicant": "某企业", "content": "环评批复"})
    with db.engine.connect() as conn:
        findings = [f for f in readiness.check(conn, unit, 2024) if "已超过法定期限" in f.message]
    by_field = {f.field: f.message for f in findings}
    assert set(by_field) == {"served_on", "answered_on"}, by_field
    assert "2024-10-12" in by_field["served_on"] and "第六十一条" in by_field["served_on"]
    assert "2024-10-23" in by_field["answered_on"] and "第三十三条" in by_field["answered_on"]


def test_the_readme_and_the_user_manual_list_every_deadline_with_its_basis():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for doc in (root / "README.md", root / "docs" / "用户手册.md"):
        text = doc.read_text(encoding="utf-8")
        for rule in deadlines.RULES.values():
            for version in rule.versions:
                assert f"| {rule.what} | {version.since:%Y-%m-%d}起" in text, (doc.name, rule.key, version.since)
                assert version.basis in text, (doc.name, rule.key, version.since)
        for other in ("合法性审查", "整改时限", "化解时限", "法律顾问合同到期", "4月1日"):
            assert other in text, (doc.name, other)
