"""年度报告体检 (issue #12): each finding on a thin-year database, through the service, the command line and the
report tab (double-click jumps to the place to fix)."""

from __future__ import annotations

from clikit import run_cli

from fazhi_desktop.reports import readiness
from fazhi_desktop.services import reports_text

RECT = {"source": "司法部反馈问题", "assigned_on": "2023-09-01", "problem": "执法记录不全", "measures": "配备记录仪",
        "department": "综合执法办", "deadline": "2023-11-30", "status": "整改中"}
MAJOR = {"date": "2023-05-01", "domain": "市场监管", "party": "某商户", "facts": "无证经营", "method": "行政处罚",
         "major": True, "legal_review": False}


def _messages(db, unit, year=2023) -> list[str]:
    with db.engine.connect() as conn:
        return [f.message for f in readiness.check(conn, unit, year)]


def test_thin_year_lists_what_to_do(db, unit, svc):
    rect = svc.create("rectification", RECT).id
    case = svc.create("enforcement", MAJOR).id
    with db.engine.connect() as conn:
        findings = readiness.check(conn, unit, 2023)
    text = "\n".join(f.message for f in findings)
    assert "未填写成文日期" in text and "“存在问题”未填写" in text and "“工作打算”未填写" in text
    assert "会议台账2023年没有记录" in text and "没有录入法律顾问合同" in text
    assert "整改问题台账2023年没有记录" not in text  # it has a record
    overdue = next(f for f in findings if "已超过整改时限（2023-11-30）" in f.message)
    assert (overdue.ledger, overdue.record_id) == ("rectification", rect)
    warning = next(f for f in findings if "法制审核" in f.message)
    assert (warning.ledger, warning.record_id, warning.field) == ("enforcement", case, "legal_review")
    for f in findings:  # every finding says what to do
        assert "请" in f.message or "报告" in f.message


def test_findings_go_away_when_fixed(db, unit, svc):
    svc.create("rectification", {**RECT, "status": "已销号", "closed_on": "2023-11-20"})
    svc.create("counsel", {"name": "王律师", "firm": "县律师事务所", "signed_on": "2023-01-05",
                           "service_from": "2023-01-05", "service_to": "2023-12-31"})
    with db.engine.begin() as conn:
        reports_text.save_report_text(conn, unit, 2023, {"doc_date": "2024-03-01", "problems": ["问题"],
                                                         "plans": ["打算"]}, "测试员")
    text = "\n".join(_messages(db, unit))
    for gone in ("成文日期", "存在问题", "工作打算", "超过整改时限", "法律顾问"):
        assert gone not in text, gone


def test_counsel_contract_that_does_not_cover_the_year(svc, db, unit):
    svc.create("counsel", {"name": "丙", "firm": "所", "signed_on": "2020-01-01", "service_to": "2022-12-31"})
    with db.engine.connect() as conn:
        findings = readiness.check(conn, unit, 2023)
    assert any("没有覆盖2023年" in f.message and f.ledger == "counsel" for f in findings)


def test_the_demos_2024_contract_counts_for_its_2023_report_written_in_2024(demo_db):
    """The seed report names its counsel (签约 2024年1月) for 2023: the check agrees with the figures."""
    from fazhi_desktop.services.units import get_unit

    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        findings = readiness.check(conn, unit, 2023)
    assert not any(f.ledger == "counsel" for f in findings)


def test_cli_check_and_strict(tmp_path):
    db = tmp_path / "t.sqlite3"
    assert run_cli("--db", str(db), "init", "--unit", "测试镇", "--county", "某县", "--addressee", "县法治办",
                   "--issuer", "中共测试镇委员会", "--villages", "东村").returncode == 0
    check = run_cli("--db", str(db), "report", "--year", "2023", "--check")
    assert check.returncode == 0 and "报告体检" in check.stdout and "未填写成文日期" in check.stdout
    strict = run_cli("--db", str(db), "report", "--year", "2023", "--check", "--strict")
    assert strict.returncode == 1
    out = tmp_path / "r.pdf"
    warned = run_cli("--db", str(db), "report", "--year", "2023", "--out", str(out))
    assert warned.returncode == 0 and out.exists() and "提示：未填写成文日期" in warned.stderr
    refused = run_cli("--db", str(db), "report", "--year", "2023", "--out", str(tmp_path / "s.pdf"), "--strict")
    assert refused.returncode == 1 and not (tmp_path / "s.pdf").exists() and "--strict" in refused.stderr


def test_a_document_number_in_the_wrong_form_is_listed(db, unit, svc):
    doc = svc.create("document", {"date": "2023-02-01", "title": "依法治镇实施方案", "doc_no": "镇发[2023]1号",
                                  "kind": "实施方案"}).id
    with db.engine.connect() as conn:
        findings = readiness.check(conn, unit, 2023)
    found = next(f for f in findings if f.record_id == doc)
    assert (found.ledger, found.field) == ("document", "doc_no") and "依法治镇实施方案" in found.message


def test_a_record_whose_state_calls_for_a_document_is_listed_until_it_carries_one(db, unit, svc, tmp_path):
    """#37: 调解成功 by a written agreement calls for its 调解协议书, a 行政处罚 for its 决定书; a file named so, or one
    the clerk said is that document, settles it; an oral agreement calls for none."""
    from fazhi_desktop.services import attachments

    base = {"date": "2023-05-01", "source": "排查发现", "village": unit.villages[0], "category": "邻里关系",
            "summary": "宅基地边界", "risk": "绿", "status": "调解成功", "closed_on": "2023-05-10"}
    written = svc.create("dispute", {**base, "parties": "甲", "resolution": "调解协议"}).id
    svc.create("dispute", {**base, "parties": "乙", "resolution": "口头协议"})
    fined = svc.create("enforcement", {"date": "2023-06-01", "domain": "安全生产", "party": "丙", "facts": "违规",
                                       "method": "行政处罚", "filed_on": "2023-05-20", "closed_on": "2023-06-01"}).id

    def wanted():
        with db.engine.connect() as conn:
            return {(f.ledger, f.record_id): f.message for f in readiness.check(conn, unit, 2023)
                    if f.ledger and "佐证材料中没有" in f.message}

    found = wanted()
    assert set(found) == {("dispute", written), ("enforcement", fined)}
    assert "应有调解协议书" in found[("dispute", written)] and "应有行政处罚决定书" in found[("enforcement", fined)]
    scan = tmp_path / "扫描001.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    attachments.add(db.engine, unit.id, "enforcement", fined, scan, "测试员", {"material": "行政处罚决定书"})
    named = tmp_path / "调解协议书.pdf"
    named.write_bytes(b"%PDF-1.4 agreement")
    attachments.add(db.engine, unit.id, "dispute", written, named, "测试员")
    assert wanted() == {}
