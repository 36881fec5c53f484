"""Workbooks as a clerk fills them, for import tests: a sheet named as its ledger, a header row, the rows."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from fazhi_desktop.exchange.layout import ID_HEADER

PUB_SHEET = "普法宣传活动台账"
PUB_HEADER = [ID_HEADER, "日期*", "活动类型*", "进入对象", "地点/村*", "宣传主题(法律法规)", "发放资料(份)"]
DISPUTE_SHEET = "矛盾纠纷排查调处台账"
DISPUTE_HEADER = [ID_HEADER, "排查日期*", "来源*", "所在村*", "纠纷类别*", "当事人*", "简要情况*", "风险等级*", "状态*"]


def sheet_book(rows, sheet: str = PUB_SHEET, header: list[str] = PUB_HEADER) -> Workbook:
    """The workbook, not yet saved (a caller may add sheets)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(r)
    return wb


def workbook(path: Path, rows, sheet: str = PUB_SHEET, header: list[str] = PUB_HEADER) -> Path:
    sheet_book(rows, sheet, header).save(path)
    return path
