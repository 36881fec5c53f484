"""Shared openpyxl styling: print-ready ledger sheets (title, header, borders, widths, A4 landscape, page numbers)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(name="宋体", bold=True, size=11)
BODY_FONT = Font(name="宋体", size=10.5)
TITLE_FONT = Font(name="宋体", bold=True, size=16)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
MAX_WIDTH = 48


def text_width(value: Any) -> float:
    """Column width units: CJK characters need about two, Latin about one."""
    if isinstance(value, float):
        value = f"{value:,.1f}"  # shown rounded by the number format; its repr would overstate the width
    text = "" if value is None else str(value)
    longest = max(text.splitlines() or [""], key=len)
    return sum(2.1 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in longest)


WIDTH_SAMPLE_ROWS = 300  # enough rows to size a column; a 700-name roster need not be measured name by name


def fit_columns(ws: Worksheet, first_row: int, widths_floor: Sequence[float] | None = None) -> None:
    widths: dict[int, float] = {}
    for row in ws.iter_rows(min_row=first_row, max_row=min(ws.max_row, first_row + WIDTH_SAMPLE_ROWS)):
        for cell in row:
            if cell.value is not None:
                widths[cell.column] = max(widths.get(cell.column, 0), text_width(cell.value))
    for col, width in widths.items():
        floor = widths_floor[col - 1] if widths_floor and col - 1 < len(widths_floor) else 6
        ws.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(floor, width + 2))


def print_setup(ws: Worksheet, header_rows: str, landscape: bool = True) -> None:
    """A4, fit to one page wide (as many pages tall as needed), header repeated, 第 n 页 in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # without this Excel ignores fitToWidth
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = header_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.evenFooter.center.text = "第 &P 页，共 &N 页"
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True


BODY_STYLE = "台账正文"
HEADER_STYLE = "台账表头"


def _named_styles(ws: Worksheet) -> None:
    """Register the body and header styles once per workbook: assigning a named style to a cell is a lookup,
    while assigning font, border and alignment objects one by one hashes them for every cell (5× slower)."""
    wb = ws.parent
    if BODY_STYLE in wb.named_styles:
        return
    wb.add_named_style(NamedStyle(BODY_STYLE, font=BODY_FONT, border=BORDER, alignment=WRAP))
    wb.add_named_style(NamedStyle(HEADER_STYLE, font=HEADER_FONT, border=BORDER, alignment=CENTER, fill=HEADER_FILL))


def titled_table(ws: Worksheet, title: str, filler_line: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                 number_formats: dict[int, str] | None = None) -> None:
    """Row 1 merged title, row 2 填报 line, row 3 bold header, then bordered data."""
    ncol = max(1, len(headers))
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.cell(1, 1).font = TITLE_FONT
    ws.cell(1, 1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.append([filler_line])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    ws.cell(2, 1).alignment = Alignment(horizontal="left", vertical="center")
    _named_styles(ws)
    ws.append(list(headers))
    for c in range(1, ncol + 1):
        ws.cell(3, c).style = HEADER_STYLE
    for r, values in enumerate(rows, start=4):
        ws.append(list(values))
        for c in range(1, ncol + 1):
            cell = ws.cell(r, c)
            cell.style = BODY_STYLE
            if number_formats and c in number_formats:
                cell.number_format = number_formats[c]
    ws.freeze_panes = "A4"
    fit_columns(ws, 3)
    print_setup(ws, "3:3")
