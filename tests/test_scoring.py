"""考核自评 (#20 point 3): the county's scoring sheet imported from its own workbook, the demo scored from its
ledgers, the sheet printed in the county's columns; a changed threshold in the file changes that item's score."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.scoring import score
from fazhi_desktop.exchange.scoring_sheet import read_sheet
from fazhi_desktop.services import score_figures
from fazhi_desktop.services.units import get_unit

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "考核细则示例.xlsx"


def _figures(demo_db):
    with demo_db.engine.connect() as conn:
        return score_figures.figures(conn, get_unit(conn), 2023, dt.date(2024, 3, 20))


def _edited(tmp_path, row_text: str, column: str, value, *, as_text: bool = False) -> Path:
    """A copy of the sample with one cell changed, as a county would edit its sheet (``as_text``: a value starting
    with "=" stored as text, as Excel stores one typed after an apostrophe)."""
    path = tmp_path / "细则.xlsx"
    shutil.copy(SAMPLE, path)
    wb = load_workbook(path)
    ws = wb.active
    header = [c.value for c in ws[2]]
    row = next(r for r in ws.iter_rows(min_row=3) if r[1].value and row_text in r[1].value)
    row[header.index(column)].value = value
    if as_text:
        row[header.index(column)].data_type = "s"
    wb.save(path)
    return path


def test_the_sample_sheet_scores_the_demo_from_its_ledgers(demo_db):
    sheet = read_sheet(SAMPLE)
    figures = _figures(demo_db)
    scored = {s.item.texts[1]: s for s in score(sheet.items, figures)}
    assert sheet.name == "考核细则" and len(sheet.items) == 9
    short = max(0, 4 - figures["法治建设专题会议"].value)  # 4 meetings for 2 marks, 0.5 off for each one short
    assert scored["党委（党工委）每年专题研究法治建设工作"].score == max(Decimal(0), 2 - short * Decimal("0.5"))
    full = figures["全过程记录率"].value >= 1  # 100% or nothing
    assert scored["落实执法全过程记录制度"].score == (Decimal(3) if full else Decimal(0))
    assert scored["按时报送年度法治政府建设报告并向社会公开"].score is None  # scored by the reviewers


def test_a_threshold_changed_in_the_file_changes_that_items_score(demo_db, tmp_path):
    figures = _figures(demo_db)
    have = figures["法治建设专题会议"].value
    path = _edited(tmp_path, "专题研究法治建设", "达标值", have + 2)  # two more than the demo held
    scored = {s.item.texts[1]: s for s in score(read_sheet(path).items, figures)}
    assert scored["党委（党工委）每年专题研究法治建设工作"].score == Decimal(2) - 2 * Decimal("0.5")
    assert "少2次" in scored["党委（党工委）每年专题研究法治建设工作"].note
    # the other items do not move
    base = {s.item.texts[1]: s.score for s in score(read_sheet(SAMPLE).items, figures)}
    assert all(s.score == base[k] for k, s in scored.items() if k != "党委（党工委）每年专题研究法治建设工作")


@pytest.mark.parametrize(("column", "value", "says"), [
    ("统计指标", "不存在的指标", "第 5 行「统计指标」没有名为「不存在的指标」"),
    ("分值", "两分", "第 5 行「分值」应为数字"),
    ("达标值", -3, "第 5 行「达标值」应在"),
])
def test_a_mistake_in_the_sheet_names_its_row(column, value, says, tmp_path):
    path = _edited(tmp_path, "党委理论学习中心组", column, value)
    with pytest.raises(UserError, match=says):
        read_sheet(path)


def test_the_score_command_prints_the_sheet_in_the_countys_columns(tmp_path, data_dir):
    from clikit import run_cli

    env = {"FAZHI_DATA_DIR": str(data_dir)}
    db = str(tmp_path / "d.sqlite3")
    assert run_cli("--db", db, "demo", env=env).returncode == 0
    sheet = _edited(tmp_path, "开展“法律十进”活动", "考核依据", "=HYPERLINK(\"http://x\",\"点我\")", as_text=True)
    out = tmp_path / "自评.xlsx"
    proc = run_cli("--db", db, "score", "--year", "2023", "--sheet", str(sheet), "--out", str(out), env=env)
    assert proc.returncode == 0 and "考核自评表" in proc.stdout, proc.stderr
    ws = load_workbook(out).active
    assert [c.value for c in ws[3]] == ["考核项目", "考核内容", "分值", "评分标准", "考核依据", "自评得分", "考核得分", "自评说明"]
    rows = [r for r in ws.iter_rows(min_row=4) if r[0].value]
    assert rows[-1][0].value == "合计" and rows[-1][2].value == 20
    assert rows[-1][5].value == sum(r[5].value for r in rows[:-1] if isinstance(r[5].value, int | float))
    assert all(r[6].value is None for r in rows)  # 考核得分 is the reviewers'
    assert ws.page_setup.orientation == "landscape"
    assert not any(c.data_type == "f" for r in ws.iter_rows() for c in r)  # a formula typed in the sheet stays text


def test_a_formula_saved_without_its_result_is_named_not_read_as_empty(tmp_path):
    """A sheet written by a program that does not calculate (openpyxl here) holds the formula and no result: the
    达标值 used to vanish silently (the item then scored without its threshold)."""
    path = _edited(tmp_path, "党委理论学习中心组", "达标值", "=2+2")
    with pytest.raises(UserError, match="第 5 行第 .* 列是公式，但文件中没有保存它的计算结果"):
        read_sheet(path)
