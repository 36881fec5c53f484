"""Shared openpyxl styling: print-ready ledger sheets (title, header, borders, widths, A4 landscape, page numbers).

The statistics workbook is written in openpyxl's write-only (streaming) mode, so a year of 60 000 disputes never sits
in memory as Cell objects. Body cells carry no cell style of their own unless they need one (money or percentage
format, a row that must wrap; openpyxl formats dates itself): in openpyxl every styled cell costs a style lookup on
write, which doubled the time of the whole workbook. The table's grid is one conditional format over its range
instead — Excel, WPS and LibreOffice draw and print it like cell borders, and it grows with rows a clerk inserts
inside the table.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from itertools import zip_longest
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import Rule
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = Font(name="宋体", bold=True, size=11)
TITLE_FONT = Font(name="宋体", bold=True, size=16)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
MAX_WIDTH = 48
WIDTH_SAMPLE_ROWS = 300  # enough rows to size a column; a 700-name roster need not be measured name by name

# Named styles of the statistics workbook (a named style on a cell is one lookup; separate font, border and alignment
# objects are hashed cell by cell).
TITLE_STYLE = "台账标题"
FILLER_STYLE = "台账填报栏"
HEADER_STYLE = "台账表头"
WRAP_STYLE = "台账长文本"
WRAP_DATE_STYLE = "台账日期"
MONEY_STYLE = "台账金额"
PERCENT_STYLE = "统计百分比"

DATE_FORMAT = "yyyy-mm-dd"
MONEY_FORMAT = "#,##0.00"


# East Asian wide and fullwidth characters (CJK ideographs and punctuation, kana, hangul, fullwidth forms); a C-level
# regex count is 4× faster than asking unicodedata character by character, and widths are estimates anyway.
_WIDE = re.compile("[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
                   "\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe19\ufe30-\ufe6b\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]")


def text_width(value: Any) -> float:
    """Column width units: CJK characters need about two, Latin about one."""
    if isinstance(value, float):
        value = f"{value:,.1f}"  # shown rounded by the number format; its repr would overstate the width
    text = "" if value is None else str(value)
    longest = max(text.splitlines(), key=len) if "\n" in text else text
    return 1.1 * len(longest) + len(_WIDE.findall(longest))


def column_widths(rows: Sequence[Sequence[Any]]) -> dict[int, float]:
    """Widths (1-based column → Excel width units) that fit the longest value of each column, capped at MAX_WIDTH."""
    widths: dict[int, float] = {}
    for col, column in enumerate(zip_longest(*rows[:WIDTH_SAMPLE_ROWS]), start=1):
        texts = [v if isinstance(v, str) else _shown(v) for v in column if v is not None]
        best = 0.0
        # A text is at most 2.1 units a character: once the next longest cannot win, the rest need no measuring.
        for text in sorted(texts, key=len, reverse=True):
            if len(text) * 2.1 <= best:
                break
            best = max(best, text_width(text))
        if texts:
            widths[col] = round(min(MAX_WIDTH, max(6, best + 2)), 1)
    return widths


def _shown(value: Any) -> str:
    return f"{value:,.1f}" if isinstance(value, float) else str(value)


def fit_columns(ws: Worksheet, first_row: int) -> None:
    """Size the columns of an ordinary (not write-only) sheet to its values from first_row down."""
    rows = list(ws.iter_rows(min_row=first_row, max_row=min(ws.max_row, first_row + WIDTH_SAMPLE_ROWS),
                             values_only=True))
    for col, width in column_widths(rows).items():
        ws.column_dimensions[get_column_letter(col)].width = width


def print_setup(ws: Any, header_rows: str, landscape: bool = True) -> None:
    """A4, fit to one page wide (as many pages tall as needed), header repeated, 第 n 页 in the footer."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # without this Excel ignores fitToWidth
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = header_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"  # odd serves every page unless differentOddEven is set
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True


def add_table_styles(wb: Workbook) -> None:
    """Register the statistics workbook's named styles (once per workbook)."""
    if HEADER_STYLE in wb.named_styles:
        return
    for style in (
        NamedStyle(TITLE_STYLE, font=TITLE_FONT, alignment=CENTER),
        NamedStyle(FILLER_STYLE, alignment=Alignment(horizontal="left", vertical="center")),
        NamedStyle(HEADER_STYLE, font=HEADER_FONT, border=BORDER, alignment=CENTER, fill=HEADER_FILL),
        NamedStyle(WRAP_STYLE, alignment=WRAP),
        NamedStyle(WRAP_DATE_STYLE, number_format=DATE_FORMAT, alignment=WRAP),
        NamedStyle(MONEY_STYLE, number_format=MONEY_FORMAT, alignment=Alignment(vertical="center")),
        NamedStyle(PERCENT_STYLE, number_format="0.0%"),
    ):
        wb.add_named_style(style)


GRID = DifferentialStyle(border=BORDER)


def write_titled_table(ws: Any, title: str, filler_line: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                       column_styles: dict[int, str] | None = None,
                       cell_styles: dict[tuple[int, int], str] | None = None) -> None:
    """Stream a print-ready table into a write-only sheet: row 1 merged title, row 2 填报 line, row 3 bold header,
    then the data with a ruled grid.

    column_styles: 1-based column → named style for its non-empty cells (money). Dates need none: openpyxl gives a
    ``date`` value the yyyy-mm-dd format itself.
    cell_styles: (0-based row of ``rows``, 1-based column) → named style, overriding the column's (totals, rates).
    A row holding text too long for its column is wrapped and centred vertically as a whole.
    """
    add_table_styles(ws.parent)
    ncol = max(1, len(headers), *map(len, rows))  # stacked tables (交叉表) may be wider than the first header
    widths = column_widths([headers, *rows[:WIDTH_SAMPLE_ROWS]])
    for col, width in widths.items():  # write-only sheets need their columns before the first row
        ws.column_dimensions[get_column_letter(col)].width = width
    capped = [(col - 1, width - 2) for col, width in widths.items() if width >= MAX_WIDTH]
    last_col = get_column_letter(ncol)
    ws.merged_cells.add(f"A1:{last_col}1")
    ws.merged_cells.add(f"A2:{last_col}2")
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A4"
    print_setup(ws, "3:3")
    ws.conditional_formatting.add(f"A3:{last_col}{3 + len(rows)}", Rule(type="expression", formula=["TRUE"], dxf=GRID))

    ws.append([_styled(ws, title, TITLE_STYLE)])
    ws.append([_styled(ws, filler_line, FILLER_STYLE)])
    ws.append([_styled(ws, h, HEADER_STYLE) for h in headers])
    column_styles = column_styles or {}
    cell_styles = cell_styles or {}
    wrapped = _rows_to_wrap(rows, capped)
    # Text that starts with "=" is a record's content, never a formula (the county opens these files).
    formula_like = {r for r, row in enumerate(rows) for v in row if type(v) is str and v[:1] == "="}
    for r, values in enumerate(rows):
        out = list(values)
        if r in wrapped:
            for c, value in enumerate(out, start=1):
                if value is None:
                    continue  # nothing to align; the grid is the conditional format's
                if isinstance(value, dt.date):
                    out[c - 1] = _styled(ws, value, WRAP_DATE_STYLE)
                else:
                    out[c - 1] = _styled(ws, value, cell_styles.get((r, c)) or column_styles.get(c) or WRAP_STYLE)
        elif column_styles or cell_styles:
            for c, value in enumerate(out, start=1):
                style = cell_styles.get((r, c)) or (column_styles.get(c) if value is not None else None)
                if style is not None:
                    out[c - 1] = _styled(ws, value, style)
        if r in formula_like:
            out = [_as_text(ws, v) if type(v) is str and v[:1] == "=" else v for v in out]
        ws.append(out)


def _rows_to_wrap(rows: Sequence[Sequence[Any]], capped: list[tuple[int, float]]) -> set[int]:
    """Rows with text wider than its capped column, or of several lines (Excel shows line breaks only in wrapped
    cells). Whole-table comprehensions: a per-row check cost more than the rest of the row's writing."""
    found = {r for r, row in enumerate(rows) for v in row if type(v) is str and "\n" in v}
    for i, width in capped:
        limit = width / 2.1  # fewer characters than this fit whatever they are
        found |= {r for r, row in enumerate(rows) if i < len(row) and type(row[i]) is str and len(row[i]) > limit
                  and text_width(row[i]) > width}
    return found


def _styled(ws: Any, value: Any, style: str) -> WriteOnlyCell:
    cell = _as_text(ws, value) if type(value) is str and value[:1] == "=" else WriteOnlyCell(ws, value)
    cell.style = style
    return cell


def _as_text(ws: Any, value: str) -> WriteOnlyCell:
    """A cell that holds ``value`` as text even when it starts with "=" (openpyxl would write a formula)."""
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"
    return cell
