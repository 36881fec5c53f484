"""Hostile and odd input (issue #11): small generated files and arguments that once crashed the program, injected
formulas, hung the report or slipped past validation. Each must end with a Chinese message, in bounded time and
memory, with no traceback and the data unchanged."""

from __future__ import annotations

import datetime as dt
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from dbkit import live_meetings
from hostile_files import HEADER, KILLERS, _cell, header_row, meeting_row, with_dimension, write_xlsx

from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.exchange.apply import run_import
from fazhi_desktop.exchange.writer import export_workbook
from fazhi_desktop.services.units import add_local_choice, get_unit, update_settings, update_unit
from fazhi_desktop.storage.database import open_database

MEMORY_LIMIT = 1536 * 1024 * 1024  # a killer file asked for ~550 GB; a normal import needs ~200 MB


def run_limited(*args: str, data_dir: Path, timeout: float = 60) -> tuple[subprocess.CompletedProcess, float]:
    """The real command line under an address-space limit; returns the result and the seconds it took."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "fazhi_desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=timeout, preexec_fn=limit,
                          env=dict(os.environ, FAZHI_DATA_DIR=str(data_dir)))
    elapsed = time.monotonic() - start
    assert "Traceback" not in proc.stdout + proc.stderr and "panicked" not in proc.stderr, proc.stderr[-2000:]
    assert "程序内部错误" not in proc.stderr, proc.stderr
    return proc, elapsed


@pytest.fixture
def target(tmp_path, data_dir) -> Path:
    path = tmp_path / "fazhi.sqlite3"
    proc, _ = run_limited("--db", str(path), "init", "--unit", "甲镇", "--county", "某县", "--addressee", "县法治办",
                          "--issuer", "甲镇", "--villages", "东村", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    return path


# 1. Files that would take the process down ------------------------------------------------------------------------

@pytest.mark.parametrize("case", list(KILLERS))
def test_killer_workbooks_are_refused_in_bounded_time_and_memory(case, target, tmp_path, data_dir):
    make, expected = KILLERS[case]
    book = make(tmp_path / "村里发来的.xlsx")
    assert book.stat().st_size < 2 * 1024 * 1024
    proc, seconds = run_limited("--db", str(target), "import", str(book), data_dir=data_dir)
    assert proc.returncode == 1, proc.stderr
    assert "无法导入" in proc.stderr and expected in proc.stderr, proc.stderr
    assert seconds < 20
    assert live_meetings(target) == 0


def test_a_dimension_claiming_the_whole_sheet_is_no_reason_to_refuse(target, tmp_path, data_dir):
    """The reader sizes its grid from the cells, not from <dimension>: such files (some tools write them) import."""
    book = with_dimension(write_xlsx(tmp_path / "dim.xlsx", header_row() + meeting_row(2)))
    proc, _ = run_limited("--db", str(target), "import", str(book), data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    assert live_meetings(target) == 1


def test_problem_list_is_capped_with_a_total(target, tmp_path, data_dir):
    rows = header_row() + "".join(f'<row r="{r}">' + _cell(f"A{r}", "不是日期") + _cell(f"B{r}", "其他")
                                  + _cell(f"C{r}", "会") + "</row>" for r in range(2, 502))
    proc, _ = run_limited("--db", str(target), "import", str(write_xlsx(tmp_path / "b.xlsx", rows)),
                          data_dir=data_dir)
    assert proc.returncode == 1 and "检查发现 500 处错误" in proc.stderr
    assert "另有 300 处问题" in proc.stderr and len(proc.stderr.splitlines()) < 210


# 2. Formulas never come from user data -----------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://example.com","点击")', "=1+1", "=cmd|' /C calc'!A0"]


def test_text_that_looks_like_a_formula_stays_text_and_round_trips(svc, unit, db, tmp_path):
    from fazhi_desktop.reports.render.xlsx import write_statistics_workbook

    for title in FORMULAS:
        svc.create("meeting", {"date": "2023-04-01", "kind": "其他", "title": title})
    exported = tmp_path / "导出.xlsx"
    export_workbook(db.engine, unit, exported)
    tables = write_statistics_workbook(db.engine, unit, 2023, tmp_path / "统计表.xlsx")
    for path in (exported, tables):
        wb = openpyxl.load_workbook(path)
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)
                 and c.value.startswith("=")]
        assert sorted(c.value for c in cells) == sorted(FORMULAS), path
        assert {c.data_type for c in cells} == {"s"}, path  # text, not formulas
    fresh = open_database(tmp_path / "other.sqlite3")
    run_import(fresh.engine, exported, actor="测试员")
    with fresh.engine.connect() as conn:
        titles = sorted(r[0] for r in conn.exec_driver_sql("SELECT title FROM meeting"))
    fresh.dispose()
    assert titles == sorted(FORMULAS)


# 3. Templates cannot hang or exhaust memory ------------------------------------------------------------------------

RUNAWAY_TEMPLATES = {
    "nested loops outside the current year": "{% if year != 2023 %}{% for a in range(100000) %}{% for b in "
                                             "range(100000) %}{{ a }}{% endfor %}{% endfor %}{% endif %}",
    "range(10**9)": "{% for i in range(10**9) %}{{ i }}{% endfor %}",
    "string doubling": "{% set a = 'x' * 1000 %}" + "".join("{% set a = a ~ a %}" for _ in range(40)) + "{{ a }}",
    "huge repetition": "{{ 'x' * 10**9 }}",
    "self-including": "{% include '三段式' %}{% include 'sanduan.j2' %}",
    "wide filter": "{{ 'x'|center(1000000000) }}",
    "macro recursion": "{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('ab') }}",
    "printf width": "{{ '%999999999d' % 1 }}",
}


@pytest.mark.parametrize("case", list(RUNAWAY_TEMPLATES))
def test_runaway_templates_end_with_a_message(case, demo_file_copy, tmp_path, data_dir):
    db = open_database(demo_file_copy)
    with db.engine.begin() as conn:
        unit = get_unit(conn)
        update_settings(conn, unit, {"templates": {"三段式": RUNAWAY_TEMPLATES[case]}}, "测试员")
    db.dispose()
    proc, seconds = run_limited("--db", str(demo_file_copy), "report", "--year", "2022", "--out",
                                str(tmp_path / "r.pdf"), data_dir=data_dir, timeout=60)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "模板" in proc.stderr, proc.stderr
    assert seconds < 15
    assert not (tmp_path / "r.pdf").exists()


@pytest.fixture
def demo_file_copy(demo_db, tmp_path) -> Path:
    import shutil

    from fazhi_desktop.storage import backups

    path = tmp_path / "demo.sqlite3"
    backups.backup_sqlite(demo_db.path, path)
    shutil.copymode(demo_db.path, path)
    return path


def test_trial_render_covers_other_years(demo_db):
    from fazhi_desktop.reports.content.builder import check_template

    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        with pytest.raises(UserError, match="模板未保存"):
            check_template(conn, unit, 2023, "三段式", "{% if year != 2023 %}{{ missing_name }}{% endif %}")
        with pytest.raises(UserError, match="U\\+FFFE"):
            check_template(conn, unit, 2023, "三段式", "正文\ufffe")


# 4. Characters no output can carry -----------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["\ufffe", "\uffff", "\x00", "\x1b", "\U0010ffff", "\ud800"])
def test_non_characters_are_refused_by_every_entry_point(bad, svc, unit, db, tmp_path, data_dir):
    with pytest.raises(ValidationError) as err:
        svc.create("meeting", {"date": "2023-04-01", "kind": "其他", "title": f"会{bad}议"})
    assert "字符" in str(err.value.problems[0]) and "U+" in str(err.value.problems[0])
    with db.engine.begin() as conn:
        with pytest.raises(ValidationError):
            update_unit(conn, unit, {"villages": ["东村", f"西{bad}村"]}, "测试员")
        with pytest.raises(UserError, match="字符（第"):
            update_settings(conn, unit, {"backup_dir": f"D:/备份{bad}"}, "测试员")
        with pytest.raises(UserError, match="字符（第"):
            add_local_choice(conn, unit, "meeting", "kind", f"新{bad}类型", "测试员")
    assert svc.count("meeting") == 0


def test_non_characters_in_arguments_and_cells(target, tmp_path, data_dir):
    proc = subprocess.run([sys.executable, "-m", "fazhi_desktop", "--db", str(tmp_path / "n.sqlite3"), "init",
                           "--unit", b"\xff\xfe\xe9".decode("utf-8", "surrogateescape"), "--county", "某县",
                           "--addressee", "县法治办", "--issuer", "甲镇", "--villages", "东村"],
                          capture_output=True, env=dict(os.environ, FAZHI_DATA_DIR=str(data_dir)))
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1 and "字符（第" in err and "Traceback" not in err, err
    book = write_xlsx(tmp_path / "c.xlsx", header_row() + meeting_row(2, "会\ufffe议"))
    proc, _ = run_limited("--db", str(target), "import", str(book), data_dir=data_dir)
    if proc.returncode == 1:  # the reader may refuse the character itself; either way nothing is imported
        assert "字符（第" in proc.stderr or "无法" in proc.stderr or "不是有效" in proc.stderr, proc.stderr
    assert live_meetings(target) == 0 or proc.returncode == 0 and "\ufffe" not in _titles(target)


def _titles(path: Path) -> str:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return "".join(r[0] for r in con.execute("SELECT title FROM meeting"))
    finally:
        con.close()


# 5. Date cells obey the year range ------------------------------------------------------------------------------

def test_real_date_cells_outside_the_year_range_are_refused(target, tmp_path, data_dir):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "会议台账"
    ws.append(HEADER)
    ws.append([dt.date(9999, 12, 31), "其他", "远未来"])
    ws.append([dt.datetime(1900, 1, 1), "其他", "很久以前"])
    ws.append(["9999-12-31", "其他", "文字形式"])
    wb.save(tmp_path / "d.xlsx")
    proc, _ = run_limited("--db", str(target), "import", str(tmp_path / "d.xlsx"), data_dir=data_dir)
    assert proc.returncode == 1 and proc.stderr.count("年份不合理") == 3, proc.stderr
    assert live_meetings(target) == 0


# 6. Record numbers compare case-insensitively ---------------------------------------------------------------------

def test_upper_case_record_number_updates_instead_of_duplicating(svc, unit, db, tmp_path):
    record = svc.create("meeting", {"date": "2023-04-01", "kind": "其他", "title": "原名"}).id
    path = tmp_path / "e.xlsx"
    export_workbook(db.engine, unit, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["会议台账"]
    headers = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == record)
    row[0].value = record.upper()
    row[headers.index("会议名称/议题*")].value = "改名"
    wb.save(path)
    report = run_import(db.engine, path, actor="测试员")
    assert (report.created, report.updated) == (0, 1)
    assert svc.count("meeting") == 1 and svc.get("meeting", record)["title"] == "改名"


# 7. Odd arguments and cells ---------------------------------------------------------------------------------------

def test_odd_arguments_get_a_message(target, tmp_path, data_dir):
    long_name = str(tmp_path / ("报" * 200 + ".pdf"))
    for args, expected in (
        (["--db", str(target), "report", "--year", "2023", "--out", long_name], "无法"),
        (["--db", str(target), "import", str(tmp_path / ("表" * 200 + ".xlsx"))], "无法"),
        (["--db-url", "mysql://u@localhost/x", "stats", "--year", "2023"], "不支持"),
        (["--db-url", "not a url", "stats", "--year", "2023"], "格式不正确"),
    ):
        proc, _ = run_limited(*args, data_dir=data_dir)
        assert proc.returncode in (1, 2) and expected in proc.stderr, (args, proc.stderr)


def test_a_5000_digit_number_is_a_cell_problem(target, tmp_path, data_dir):
    rows = ('<row r="1">' + _cell("A1", "日期") + _cell("B1", "会议类型") + _cell("C1", "会议名称/议题")
            + _cell("D1", "参会人数") + "</row>" + '<row r="2">' + _cell("A2", "2023-03-01") + _cell("B2", "其他")
            + _cell("C2", "会") + _cell("D2", "9" * 5000) + "</row>")
    proc, _ = run_limited("--db", str(target), "import", str(write_xlsx(tmp_path / "n.xlsx", rows)), data_dir=data_dir)
    assert proc.returncode == 1 and "数值过大" in proc.stderr and "参会人数" in proc.stderr, proc.stderr
    assert live_meetings(target) == 0


# 8. Two sheets of one ledger ------------------------------------------------------------------------------------

def test_two_sheets_of_the_same_ledger_are_named(target, tmp_path, data_dir):
    book = write_xlsx(tmp_path / "two.xlsx", header_row() + meeting_row(2), extra_sheet=("meeting", header_row()
                                                                                          + meeting_row(2, "另一个")))
    proc, _ = run_limited("--db", str(target), "import", str(book), data_dir=data_dir)
    assert proc.returncode == 1 and "会议台账" in proc.stderr and "meeting" in proc.stderr, proc.stderr
    assert live_meetings(target) == 0

