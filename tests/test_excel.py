"""Statistics workbook, import template, all-or-nothing import, export round trip — files read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile

import pdfplumber
import pytest
from bookkit import PUB_HEADER, sheet_book
from clikit import run_cli
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.domain.indicators import INDICATORS
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.exchange.apply import run_import
from fazhi_desktop.exchange.layout import ID_HEADER
from fazhi_desktop.exchange.writer import export_workbook, write_template
from fazhi_desktop.reports.render.xlsx import write_statistics_workbook
from fazhi_desktop.services import listing, stats
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import create_unit, get_unit
from fazhi_desktop.storage.database import open_database

cli = run_cli


@pytest.fixture(scope="module")
def workbook(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "统计表.xlsx"
    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
    write_statistics_workbook(demo_db.engine, unit, 2023, path)
    return path


def test_summary_sheet_equals_stats(workbook, demo_db):
    with demo_db.engine.connect() as conn:
        current, previous = stats.compute_with_previous(conn, get_unit(conn), 2023)
    ws = load_workbook(workbook)["统计总表"]
    assert ws["A1"].value == "肖咀镇2023年法治建设统计总表"
    assert [c.value for c in ws[3]] == ["序号", "类别", "指标", "单位", "本年", "上年", "增减"]
    rows = {r[2]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    for ind in INDICATORS:
        if ind.kind == "breakdown":
            for sub, n in current[ind.key].items():
                if n:
                    assert rows[f"{ind.label}—{sub}"][4] == n
            continue
        row = rows[ind.label]
        if current[ind.key] is None:
            assert row[4] == "—"
        else:
            assert row[4] == pytest.approx(current[ind.key])
            if ind.kind == "rate" and previous[ind.key] is None:
                assert row[5] == "—"  # a rate with no base last year has no figure, not 0%
            else:
                assert row[5] == pytest.approx(previous[ind.key] or 0)
    assert rows["法律十进活动"][4:7] == (17, 10, 7)
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in ws.iter_rows() for c in row)


def test_cross_tables(workbook, demo_db):
    wb = load_workbook(workbook)
    ws = wb["矛盾纠纷交叉表"]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True)]
    assert rows[0][0] == "纠纷类别 × 风险等级" and rows[0][1:4] == ("红", "黄", "绿")
    land = next(r for r in rows if r[0] == "土地纠纷")
    assert sum(land[1:4]) == land[4] == 7
    total = next(r for r in rows if r[0] == "合计")
    assert total[4] == 24
    pub = wb["普法宣传交叉表"]
    ten = next(r for r in pub.iter_rows(min_row=4, values_only=True) if r[0] == "法律十进")
    assert ten[-1] == 17


def test_ledger_sheets_are_print_ready(workbook):
    wb = load_workbook(workbook)
    for ledger in LEDGERS:
        assert ledger.name[:31] in wb.sheetnames
    ws = wb["矛盾纠纷排查调处台账"]
    assert ws["A1"].value == "肖咀镇2023年矛盾纠纷排查调处台账"
    assert any(str(r) == "A1:Q1" or str(r).startswith("A1:") for r in ws.merged_cells.ranges)
    assert "填报单位：肖咀镇" in ws["A2"].value and "填报人" in ws["A2"].value and "填报日期" in ws["A2"].value
    assert all(c.font.b for c in ws[3] if c.value)
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.print_title_rows == "$3:$3"
    assert "&P" in ws.oddFooter.center.text
    # 当事人 (two names) keeps four characters a line and wraps: the widest ledger still fits one page at ≥ 9 pt.
    assert ws.column_dimensions["F"].width >= 8
    assert all(c.alignment.wrap_text for c in ws["F"][3:] if c.value and len(c.value) > 4)
    assert isinstance(ws.cell(4, 2).value, dt.datetime)  # real dates, not text
    assert ws.max_row - 3 == 24


def _bordered(cell) -> bool:
    return all(getattr(cell.border, side).style == "thin" for side in ("left", "right", "top", "bottom"))


def test_every_table_cell_has_real_borders_and_the_body_font(workbook):
    """Real cell borders (they survive paste-values and rows added below), not a conditional format; 宋体 body."""
    for ws in load_workbook(workbook).worksheets:
        assert not list(ws.conditional_formatting), ws.title
        for row in ws.iter_rows(min_row=3):
            if all(c.value is None for c in row):
                continue
            filled = max(i for i, c in enumerate(row) if c.value is not None or c.has_style and _bordered(c))
            for c in row[: filled + 1]:
                assert _bordered(c), (ws.title, c.coordinate)
                assert c.font.name == "宋体", (ws.title, c.coordinate)
            for c in row[filled + 1:]:
                assert not _bordered(c), (ws.title, c.coordinate)  # nothing ruled beside a table


def printed_body_size(ws) -> float:
    """The body text's printed size in points, from the column widths and the print scale."""
    widths = [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1)]
    total_pt = sum((7 * w + 5) * 0.75 for w in widths)
    printable = (297 / 25.4 - ws.page_margins.left - ws.page_margins.right) * 72
    if ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage:
        scale = min(1.0, printable / total_pt)
    else:
        scale = (ws.page_setup.scale or 100) / 100
    return 11 * scale


def test_every_sheet_prints_readably_on_a4_landscape(workbook):
    for ws in load_workbook(workbook).worksheets:
        assert printed_body_size(ws) >= 9, (ws.title, printed_body_size(ws))
        assert ws.page_margins.footer < ws.page_margins.bottom and ws.page_margins.footer >= 0.2
        if not ws.sheet_properties.pageSetUpPr.fitToPage:  # several pages across: key columns repeat
            assert ws.print_title_cols == "$A:$B", ws.title


def test_cross_tables_show_what_happened_once(workbook):
    pub = load_workbook(workbook)["普法宣传交叉表"]
    rows = [r for r in pub.iter_rows(min_row=3, values_only=True)]
    kinds = rows[rows.index(next(r for r in rows if r[0] == "活动类型")):]
    assert kinds[0][:3] == ("活动类型", "场次", None)  # one column is its own total: no 合计 column
    for r in rows:
        if r[0] not in (None, "合计") and isinstance(r[1], int):
            assert any(isinstance(v, int) and v for v in r[1:]), r  # no all-zero rows


def test_long_text_rows_wrap(tmp_path):
    """A summary too long for its capped column wraps (the whole row, centred vertically) instead of being cut off;
    so does text of several lines."""
    long_text = "经排查发现" + "双方因宅基地边界问题多次发生口角，" * 6
    path = tmp_path / "t.xlsx"
    engine = open_database(tmp_path / "w.sqlite3").engine
    with engine.begin() as conn:
        unit = create_unit(conn, {"name": "测试镇", "county": "县", "addressee": "县法治办", "issuers": ["党委"],
                                  "villages": ["东村"]}, "test")
    svc = RecordService(engine, unit, "test")
    base = {"date": dt.date(2023, 3, 1), "source": "排查发现", "village": "东村", "category": "土地纠纷",
            "parties": "甲与乙", "risk": "绿", "status": "调处中"}
    svc.create("dispute", {**base, "summary": "地界"})
    svc.create("dispute", {**base, "date": dt.date(2023, 3, 2), "summary": long_text})
    svc.create("dispute", {**base, "date": dt.date(2023, 3, 3), "summary": "地界", "parties": "甲\n乙"})
    write_statistics_workbook(engine, unit, 2023, path)
    ws = load_workbook(path)["矛盾纠纷排查调处台账"]
    short_row, long_row, two_lines = ws[4], ws[5], ws[6]
    assert "甲\n乙" in [c.value for c in two_lines]
    assert all(c.alignment.wrap_text for c in two_lines if c.value is not None)
    assert long_text in [c.value for c in long_row]
    assert all(c.alignment.wrap_text and c.alignment.vertical == "center" for c in long_row if c.value is not None)
    assert not any(c.alignment.wrap_text for c in short_row)
    assert isinstance(long_row[1].value, dt.datetime) and long_row[1].number_format == "yyyy-mm-dd"
    assert short_row[1].number_format == "yyyy-mm-dd"


def test_ids_are_masked(demo_db, tmp_path):
    path = tmp_path / "full.xlsx"
    with demo_db.engine.connect() as conn:
        write_statistics_workbook(demo_db.engine, get_unit(conn), 2023, path, full_rosters=True)
    ws = load_workbook(path)["法治人才名册"]
    header = [c.value for c in ws[3]]
    col = header.index("身份证号") + 1
    ids = [ws.cell(r, col).value for r in range(4, ws.max_row + 1) if ws.cell(r, col).value]
    assert ids and all(len(v) == 18 and v[6:14] == "*" * 8 for v in ids)  # 6+4 kept (#21: one rule everywhere)


@pytest.mark.external
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_workbook(workbook, tmp_path):
    proc = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                           "pdf", "--outdir", str(tmp_path), str(workbook)], capture_output=True, text=True, timeout=180)
    assert (tmp_path / "统计表.pdf").exists(), proc.stdout + proc.stderr
    # The grid prints: on the dispute ledger's pages every table row has its rule and every column its own.
    ws = load_workbook(workbook)["矛盾纠纷排查调处台账"]
    pdf = pdfplumber.open(tmp_path / "统计表.pdf")
    sheet_pages = [p for p in pdf.pages if "排查日期" in (p.extract_text() or "")]  # the header repeats per page
    for page in sheet_pages:
        down = {round(line["x0"]) for line in page.lines if abs(line["x0"] - line["x1"]) < 0.5}
        assert len(down) >= ws.max_column + 1
    across = sum(len({round(ln["top"]) for ln in p.lines if abs(ln["top"] - ln["bottom"]) < 0.5}) for p in sheet_pages)
    assert across >= ws.max_row - 2 + len(sheet_pages)
    # a four-character choice keeps one line or splits 2 + 2 in its narrowed column (never 土地纠 / 纷)
    placed = [w for p in sheet_pages for w in p.extract_words()]
    words = [w["text"] for w in placed]
    assert any("土地纠纷" in w for w in words) or any(
        a["text"] == "土地" and b["text"] == "纠纷" and abs(a["x0"] - b["x0"]) < 1 and 0 < b["top"] - a["top"] < 20
        for a in placed for b in placed)
    assert "土地纠" not in words and "群众来" not in words
    # one page wide: every page of the ledger holds its first and its last column
    assert all("回访日期" in (p.extract_text() or "") for p in sheet_pages)


# -- template and import -------------------------------------------------------------------------------------------
def test_template(tmp_path, unit):
    path = tmp_path / "模板.xlsx"
    write_template(path, unit)
    wb = load_workbook(path)
    assert "填写说明" in wb.sheetnames and "单位设置" in wb.sheetnames
    ws = wb["普法宣传活动台账"]
    headers = [c.value for c in ws[1]]
    assert headers[0] == ID_HEADER and "日期*" in headers and "进入对象" in headers
    assert ws["A2"].value.startswith("示例")
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    kind_col = chr(ord("A") + headers.index("活动类型*"))
    assert f"{kind_col}2" in validations
    lists = wb["可选值"]
    assert lists.sheet_state == "hidden"
    ref = validations[f"{kind_col}2"].split("!")[1].replace("$", "")
    first, last = ref.split(":")
    values = [c.value for row in lists[first:last] for c in row]
    assert values[0] == "法律十进" and "其他" in values
    dispute = wb["矛盾纠纷排查调处台账"]
    village_col = [c.value for c in dispute[1]].index("所在村*") + 1
    assert any(str(dv.sqref).startswith(chr(ord("A") + village_col - 1)) for dv in dispute.data_validations.dataValidation)
    # The example rows are ignored: a blank template imports nothing and raises nothing.
    report = run_import(open_database(tmp_path / "x.sqlite3").engine, path, dry_run=True)
    assert report.created == 0


def _book(tmp_path, sheet: str, header: list[str], rows: list[list], name="in.xlsx", unit_sheet=False):
    wb = sheet_book(rows, sheet, header)
    if unit_sheet:
        u = wb.create_sheet("单位设置")
        for row in [("单位名称*", "新镇"), ("所属县(区)*", "某县"), ("主送机关*", "县法治办"), ("落款机关*", "中共新镇委员会"),
                    ("村(社区)名单*", "东村、西村")]:
            u.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def test_import_good_rows_and_dates_as_text(db, unit, svc, tmp_path):
    path = _book(tmp_path, "普法宣传活动台账", PUB_HEADER, [
        [None, dt.datetime(2023, 5, 4), "法律十进", "进学校", "东村小学", "宪法、民法典", 100],
        [None, "2023/5/4", "集日宣传", None, "集市", "禁毒法", "20"],
        [None, "2023年5月4日", "宪法宣传周", None, "镇政府", None, None],
        [None, "2023.5.4", "线上宣传", None, "微信群", None, 0],
        [None, "2023-05-04", "主题宣传日", None, "西村", None, None],
    ])
    report = run_import(db.engine, path, actor="测试员")
    assert report.created == 5 and not report.dry_run
    assert svc.count("publicity", 2023) == 5
    with db.engine.connect() as conn:
        s = stats.compute(conn, unit, 2023)
    assert s["publicity.ten_entries"] == 1 and s["publicity.materials"] == 120


def test_dates_in_chinese_builtin_formats_are_dates(db, unit, svc, tmp_path):
    """Chinese Excel and WPS show dates as 2023年5月4日 with built-in formats (ids 31, 57) that they do not spell out in
    the file. The openpyxl reader took those cells for the number 45050 and rejected every date."""
    path = _book(tmp_path, "普法宣传活动台账", PUB_HEADER, [
        [None, dt.datetime(2023, 5, 4), "集日宣传", None, "集市"],
        [None, dt.datetime(2023, 6, 1), "集日宣传", None, "东村"],
    ])
    patched = tmp_path / "wps-dates.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename).decode()
            if item.filename == "xl/styles.xml":  # two more cell formats: 年月日 (31) and 年月 (57) built-ins
                data = re.sub(r'<cellXfs count="(\d+)">', lambda m: f'<cellXfs count="{int(m.group(1)) + 2}">', data)
                data = data.replace("</cellXfs>", '<xf numFmtId="31" fontId="0" fillId="0" borderId="0" xfId="0" '
                                    'applyNumberFormat="1"/><xf numFmtId="57" fontId="0" fillId="0" borderId="0" '
                                    'xfId="0" applyNumberFormat="1"/></cellXfs>')
            if item.filename == "xl/worksheets/sheet1.xml":  # the dates as Excel stores them: serial numbers
                count = int(re.search(r'<cellXfs count="(\d+)">', src.read("xl/styles.xml").decode()).group(1))
                data = re.sub(r'<c r="B2"[^>]*>.*?</c>', f'<c r="B2" s="{count}"><v>45050</v></c>', data)
                data = re.sub(r'<c r="B3"[^>]*>.*?</c>', f'<c r="B3" s="{count + 1}"><v>45078</v></c>', data)
            dst.writestr(item, data)
    report = run_import(db.engine, patched)
    assert report.created == 2
    with db.engine.connect() as conn:
        records = listing.page(conn, unit, listing.ListQuery("publicity"), 0, 10)
    assert sorted(r["date"] for r in records) == [dt.date(2023, 5, 4), dt.date(2023, 6, 1)]


BAD_CASES = [
    ("impossible date", [None, "2023-02-30", "集日宣传", None, "集市"], "日期", "不存在"),
    ("negative number", [None, "2023-03-01", "集日宣传", None, "集市", None, -5], "发放资料（份）", "负数"),
    ("unknown choice", [None, "2023-03-01", "赶集", None, "集市"], "活动类型", "不是可选值"),
    ("missing required", [None, "2023-03-01", "集日宣传", None, None], "地点/村", "必填"),
    ("conditional required", [None, "2023-03-01", "法律十进", None, "东村"], "进入对象", "必须填写"),
    ("text in number", [None, "2023-03-01", "集日宣传", None, "集市", None, "很多"], "发放资料（份）", "整数"),
]


@pytest.mark.parametrize(("case", "row", "field", "reason"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_row_is_reported_and_nothing_is_written(db, unit, svc, tmp_path, case, row, field, reason):
    good = [None, "2023-03-02", "集日宣传", None, "集市"]
    path = _book(tmp_path, "普法宣传活动台账", PUB_HEADER, [good, row, good])
    with pytest.raises(ValidationError) as err:
        run_import(db.engine, path)
    problem = err.value.problems[0]
    assert (problem.sheet, problem.row, problem.label) == ("普法宣传活动台账", 3, field)
    assert reason in problem.message
    assert svc.count("publicity") == 0


def test_unknown_village_and_all_problems_at_once(db, unit, svc, tmp_path):
    header = [ID_HEADER, "排查日期*", "来源*", "所在村*", "纠纷类别*", "当事人*", "简要情况*", "风险等级*", "状态*"]
    path = _book(tmp_path, "矛盾纠纷排查调处台账", header, [
        [None, "2023-03-01", "排查发现", "北村", "土地纠纷", "甲", "事", "红", "调处中"],
        [None, "2023-03-01", "排查发现", "东村", "土地纠纷", "乙", "事", "紫", "调处中"],
    ])
    with pytest.raises(ValidationError) as err:
        run_import(db.engine, path)
    found = {(p.row, p.label) for p in err.value.problems}
    assert found == {(2, "所在村"), (3, "风险等级")}
    assert "工作表「矛盾纠纷排查调处台账」 第2行 「所在村」" in str(err.value)
    assert svc.count("dispute") == 0


@pytest.mark.parametrize("kind", ["random", "xls", "ole_as_xlsx", "empty_zip", "unrelated"])
def test_unusable_files_exit_1(tmp_path, kind, db, unit):
    path = tmp_path / ("f.xls" if kind == "xls" else "f.xlsx")
    if kind == "random":
        path.write_bytes(os.urandom(4096))
    elif kind == "xls":
        path.write_bytes(b"\xd0\xcf\x11\xe0" + os.urandom(1000))
    elif kind == "ole_as_xlsx":  # what Excel saves for an .xlsx with an opening password, or a renamed .xls
        path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + os.urandom(4088))
    elif kind == "empty_zip":
        with zipfile.ZipFile(path, "w"):
            pass
    else:
        wb = Workbook()
        wb.active.title = "工资表"
        wb.active.append(["姓名", "工资"])
        wb.save(path)
    proc = cli("--db", str(db.path), "import", str(path))
    assert proc.returncode == 1
    expected = {"random": "不是有效的 Excel", "xls": ".xls", "ole_as_xlsx": "打开密码", "empty_zip": "不是有效的 Excel",
                "unrelated": "没有可导入的台账工作表"}[kind]
    assert expected in proc.stderr


def test_cli_import_lists_every_bad_row(tmp_path, db, unit, svc):
    path = _book(tmp_path, "普法宣传活动台账", PUB_HEADER, [
        [None, "2023-02-30", "集日宣传", None, "集市"], [None, "2023-03-01", "法律十进", None, "东村"]])
    proc = cli("--db", str(db.path), "import", str(path))
    assert proc.returncode == 1
    assert "2 处错误" in proc.stderr and "第2行" in proc.stderr and "第3行" in proc.stderr
    assert svc.count("publicity") == 0


def test_wps_style_file_with_merged_title_and_header(db, unit, svc, tmp_path):
    """A title row merged across the sheet, a header cell merged over two rows, a stale A1:A1 dimension."""
    wb = Workbook()
    ws = wb.active
    ws.title = "会议台账"
    ws.append(["测试镇2023年会议台账"])
    ws.merge_cells("A1:E1")
    ws.append(["日期*", "会议类型*", "会议名称/议题*", "参会人数", "备注"])
    ws.append([None, None, None, None, None])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:C3")
    ws.merge_cells("D2:D3")
    ws.merge_cells("E2:E3")
    ws.append(["2023年6月1日", "法治建设专题会议", "专题会", 20, None])
    ws.append(["2023-07-01", "其他", "学习会", "15", "会前学法"])
    path = tmp_path / "wps.xlsx"
    wb.save(path)
    patched = tmp_path / "wps2.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b'<dimension ref="A1:E5"/>', b'<dimension ref="A1:A1"/>')
            dst.writestr(item, data)
    report = run_import(db.engine, patched)
    assert report.created == 2
    assert svc.count("meeting", 2023) == 2


def test_export_import_round_trip_and_idempotence(demo_db, tmp_path):
    out = tmp_path / "导出.xlsx"
    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        expected = stats.compute(conn, unit, 2023)
    export_workbook(demo_db.engine, unit, out)
    fresh = open_database(tmp_path / "fresh.sqlite3")
    report = run_import(fresh.engine, out, actor="测试员")
    assert report.unit_created and report.created > 900
    with fresh.engine.connect() as conn:
        assert stats.compute(conn, get_unit(conn), 2023) == expected
    again = run_import(fresh.engine, out)
    assert again.created == 0 and again.updated == 0
    with fresh.engine.connect() as conn:
        assert stats.compute(conn, get_unit(conn), 2023) == expected


@pytest.mark.external
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_export_saved_again_by_libreoffice_round_trips(demo_db, tmp_path):
    """Office programs rewrite a workbook their own way (shared strings, their styles, dates as serial numbers with a
    date format): the clerk's export, opened and saved in an office program, still imports to the same figures."""
    out = tmp_path / "导出.xlsx"
    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        expected = stats.compute(conn, unit, 2023), stats.compute(conn, unit, 2022)
    export_workbook(demo_db.engine, unit, out, full_ids=True)
    proc = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                           "xlsx", "--outdir", str(tmp_path / "lo"), str(out)], capture_output=True, text=True,
                          timeout=180)
    saved = tmp_path / "lo" / "导出.xlsx"
    assert saved.exists(), proc.stdout + proc.stderr
    with zipfile.ZipFile(saved) as z:
        assert "xl/sharedStrings.xml" in z.namelist()  # really rewritten, not copied
    fresh = open_database(tmp_path / "fresh.sqlite3")
    report = run_import(fresh.engine, saved)
    assert report.unit_created and report.created > 900
    with fresh.engine.connect() as conn:
        got = get_unit(conn)
        assert (stats.compute(conn, got, 2023), stats.compute(conn, got, 2022)) == expected
    assert run_import(fresh.engine, saved).created == 0


def test_changed_row_updates_the_record(db, unit, svc, tmp_path):
    rid = svc.create("meeting", {"date": "2023-04-01", "kind": "其他", "title": "原名称"}).id
    out = tmp_path / "e.xlsx"
    export_workbook(db.engine, unit, out)
    wb = load_workbook(out)
    ws = wb["会议台账"]
    title_col = [c.value for c in ws[1]].index("会议名称/议题*") + 1
    ws.cell(2, title_col).value = "新名称"
    wb.save(out)
    report = run_import(db.engine, out)
    assert (report.created, report.updated) == (0, 1)
    assert svc.get("meeting", rid)["title"] == "新名称"
    assert svc.count("meeting") == 1


def test_full_ids_round_trip_and_masked_ids_are_kept(db, unit, svc, tmp_path):
    rid = svc.create("legal_talent", {"year": 2023, "name": "张三", "village": "东村", "category": "法律明白人",
                                      "id_number": "11010519491231002X"}).id
    masked = tmp_path / "masked.xlsx"
    export_workbook(db.engine, unit, masked)
    run_import(db.engine, masked)  # the masked number matches the stored one: kept, not wiped
    assert svc.get("legal_talent", rid)["id_number"] == "11010519491231002X"
    full = tmp_path / "full.xlsx"
    proc = cli("--db", str(db.path), "export", str(full), "--full-ids")
    assert proc.returncode == 0
    ws = load_workbook(full)["法治人才名册"]
    assert "11010519491231002X" in [c.value for c in ws[2]]


def test_import_into_empty_database_needs_unit_sheet(tmp_path):
    empty = open_database(tmp_path / "e.sqlite3")
    path = _book(tmp_path, "会议台账", [ID_HEADER, "日期*", "会议类型*", "会议名称/议题*"],
                 [[None, "2023-01-05", "其他", "会"]])
    with pytest.raises(UserError, match="单位设置"):
        run_import(empty.engine, path)
    path = _book(tmp_path, "会议台账", [ID_HEADER, "日期*", "会议类型*", "会议名称/议题*"],
                 [[None, "2023-01-05", "其他", "会"]], name="u.xlsx", unit_sheet=True)
    report = run_import(empty.engine, path)
    assert report.unit_created and report.unit.villages == ["东村", "西村"]


def test_cli_dry_run_writes_nothing(db, unit, svc, tmp_path):
    path = _book(tmp_path, "会议台账", [ID_HEADER, "日期*", "会议类型*", "会议名称/议题*"],
                 [[None, "2023-01-05", "其他", "会"]])
    proc = cli("--db", str(db.path), "import", str(path), "--dry-run")
    assert proc.returncode == 0 and "未导入" in proc.stdout
    assert svc.count("meeting") == 0
    proc = cli("--db", str(db.path), "tables", "--year", "2023", "--out", str(tmp_path / "t.xlsx"))
    assert proc.returncode == 0 and load_workbook(tmp_path / "t.xlsx")["统计总表"]["A1"].value.startswith("测试镇")
    proc = cli("--db", str(db.path), "template", "--out", str(tmp_path / "m.xlsx"))
    assert proc.returncode == 0


def test_unreadable_file_says_so(tmp_path, monkeypatch):
    """On Windows a workbook held open by another program can refuse to be read: a message, not a traceback."""
    from pathlib import Path

    from fazhi_desktop.exchange.plan import open_workbook

    path = tmp_path / "台账.xlsx"
    Workbook().save(path)

    def locked(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", locked)
    with pytest.raises(UserError, match="正在其他程序中打开"):
        open_workbook(path)
