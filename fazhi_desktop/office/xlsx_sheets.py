"""Shared openpyxl styling: print-ready ledger sheets (title, header, borders, widths, A4 landscape, page numbers).

The statistics workbook is written in openpyxl's write-only (streaming) mode, so a year of 60 000 disputes never sits
in memory as Cell objects. Every cell of a table has real thin borders and the 宋体 body font (they survive copying,
paste-values and rows added below). Setting a named style cell by cell costs a lookup each; instead each sheet
resolves its few styles once to openpyxl's style arrays and every cell shares the one it needs (write-only cells are
serialised at once and never changed, so sharing is safe).

Printing: A4 landscape, fit to one page wide as long as the body prints at 9 pt or more; a wider ledger first narrows
its long-text columns (the text wraps), and if it still does not fit prints at ≥ 9 pt over several pages across with
its first columns repeated on each.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from itertools import zip_longest
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BODY_SIZE = 11
MIN_PRINTED_SIZE = 9  # pt: the smallest body text a table may print at
BODY_FONT = Font(name="宋体", size=BODY_SIZE)
HEADER_FONT = Font(name="宋体", bold=True, size=11)
TITLE_FONT = Font(name="宋体", bold=True, size=16)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
MAX_WIDTH = 48
MIN_TEXT_WIDTH = 8  # a text column is not narrowed below this (four characters a line) to fit the page
# Two characters a line in Excel (≈ 28 pt) and in LibreOffice (≈ 32 pt), never three: a four-character choice
# (土地纠纷, 群众来访) that cannot keep one line splits 2 + 2, not 3 + 1.
TWO_CHAR_WIDTH = 4.6
THREE_CHAR_VALUES = 8.5  # a column's value width up to this (three characters) fits the short-text floor whole
FIT_MARGIN = 1.03  # LibreOffice's own rounding prints a table fitted exactly to 9 pt at 8.9
# A4 landscape less the margins, in points; a column of width w (Excel units) prints ≈ (7w + 5) px = 0.75 × that pt.
PRINTABLE_PT = (297 / 25.4 - 2 * 0.4) * 72
WIDTH_SAMPLE_ROWS = 300  # enough rows to size a column; a 700-name roster need not be measured name by name

# Named styles of the statistics workbook (a named style on a cell is one lookup; separate font, border and alignment
# objects are hashed cell by cell).
TITLE_STYLE = "台账标题"
FILLER_STYLE = "台账填报栏"
HEADER_STYLE = "台账表头"
BODY_STYLE = "台账正文"
DATE_STYLE = "台账日期"
WRAP_STYLE = "台账长文本"
WRAP_DATE_STYLE = "台账日期换行"
MONEY_STYLE = "台账金额"
PERCENT_STYLE = "统计百分比"
POINTS_STYLE = "统计百分点"  # the 增减 of a rate: percentage points, not a percentage

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
        dated = any(isinstance(v, dt.date) for v in column)
        texts = [v if isinstance(v, str) else _shown(v) for v in column if v is not None and not isinstance(v, dt.date)]
        best = 8.5 if dated else 0.0  # 2023-12-31: ten half-width characters of 宋体 (the margin is added below)
        # A text is at most 2.1 units a character: once the next longest cannot win, the rest need no measuring.
        for text in sorted(texts, key=len, reverse=True):
            if len(text) * 2.1 <= best:
                break
            best = max(best, text_width(text))
        if texts or dated:
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


# LibreOffice sizes a width unit by its default font's digit: with DejaVu Sans standing in for a missing Calibri
# (the usual Linux case) one unit prints ≈ 7.0 pt, a third more than Excel's; the wider of the two decides.
LIBREOFFICE_PT_PER_UNIT = 7.0


def printed_width_pt(widths: dict[int, float]) -> float:
    return sum(max((7 * w + 5) * 0.75, LIBREOFFICE_PT_PER_UNIT * w) for w in widths.values())


def print_setup(ws: Any, header_rows: str, landscape: bool = True, widths: dict[int, float] | None = None,
                min_size: float = MIN_PRINTED_SIZE) -> None:
    """A4, fit to one page wide while the body still prints at 9 pt or more, else several pages across at ≥ 9 pt
    with the first columns repeated; header rows repeated, 第 n 页 in the footer, inside the margins."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    fit = PRINTABLE_PT / printed_width_pt(widths) if widths else 1.0
    if fit * BODY_SIZE >= min_size:
        ws.sheet_properties.pageSetUpPr.fitToPage = True  # without this Excel ignores fitToWidth
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    else:
        ws.page_setup.scale = round(100 * min_size / BODY_SIZE) + 1
        ws.print_title_cols = "A:B"  # 序号 and the first field on every page across
    ws.print_title_rows = header_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"  # odd serves every page unless differentOddEven is set
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.25  # the footer line sits inside the bottom margin
    ws.print_options.horizontalCentered = True


def fit_to_page(widths: dict[int, float], *stages: dict[int, float],
                halves: dict[int, float] | None = None, min_size: float = MIN_PRINTED_SIZE) -> dict[int, float]:
    """Narrow columns until the table prints one page wide at ≥ 9 pt: each stage gives the floors its columns may
    go down to (long text first, then headers and short text onto more lines), the widest column first. Columns in
    ``halves`` (short choices of four characters) keep their values on one line or jump to two characters a line:
    the widest that saves the most first."""
    need = PRINTABLE_PT * BODY_SIZE / (min_size * FIT_MARGIN)
    widths = dict(widths)
    for floors in stages:
        while printed_width_pt(widths) > need:
            candidates = [c for c in floors if widths[c] > floors[c]]
            if not candidates:
                break
            widest = max(candidates, key=lambda c: widths[c])
            widths[widest] = round(max(floors[widest], widths[widest] - 1), 1)
    for col in sorted(halves or {}, key=lambda c: -widths[c]):
        if printed_width_pt(widths) <= need:
            break
        widths[col] = halves[col]
    return widths


def add_table_styles(wb: Workbook) -> None:
    """Register the statistics workbook's named styles (once per workbook)."""
    if HEADER_STYLE in wb.named_styles:
        return
    middle = Alignment(vertical="center")
    for style in (
        NamedStyle(TITLE_STYLE, font=TITLE_FONT, alignment=CENTER),
        NamedStyle(FILLER_STYLE, font=BODY_FONT, alignment=Alignment(horizontal="left", vertical="center")),
        NamedStyle(HEADER_STYLE, font=HEADER_FONT, border=BORDER, alignment=CENTER, fill=HEADER_FILL),
        NamedStyle(BODY_STYLE, font=BODY_FONT, border=BORDER, alignment=middle),
        NamedStyle(DATE_STYLE, font=BODY_FONT, border=BORDER, alignment=middle, number_format=DATE_FORMAT),
        NamedStyle(WRAP_STYLE, font=BODY_FONT, border=BORDER, alignment=WRAP),
        NamedStyle(WRAP_DATE_STYLE, font=BODY_FONT, border=BORDER, alignment=WRAP, number_format=DATE_FORMAT),
        NamedStyle(MONEY_STYLE, font=BODY_FONT, border=BORDER, alignment=middle, number_format=MONEY_FORMAT),
        NamedStyle(PERCENT_STYLE, font=BODY_FONT, border=BORDER, alignment=middle, number_format="0.0%"),
        NamedStyle(POINTS_STYLE, font=BODY_FONT, border=BORDER, alignment=middle,
                   number_format='+0.0"个百分点";-0.0"个百分点";0"个百分点"'),
    ):
        wb.add_named_style(style)


def _style_arrays(ws: Any) -> dict[str, Any]:
    """Each named style resolved once to the style array a cell carries."""
    out = {}
    for name in (TITLE_STYLE, FILLER_STYLE, HEADER_STYLE, BODY_STYLE, DATE_STYLE, WRAP_STYLE, WRAP_DATE_STYLE,
                 MONEY_STYLE, PERCENT_STYLE, POINTS_STYLE):
        probe = WriteOnlyCell(ws, None)
        probe.style = name
        out[name] = probe._style
    return out


def write_titled_table(ws: Any, title: str, filler_line: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                       column_styles: dict[int, str] | None = None,
                       cell_styles: dict[tuple[int, int], str] | None = None,
                       min_widths: dict[int, float] | None = None, min_size: float = MIN_PRINTED_SIZE,
                       header_lines: int = 3) -> None:
    """Stream a print-ready table into a write-only sheet: row 1 merged title, row 2 填报 line, row 3 bold header,
    then the data, every cell bordered and in 宋体.

    column_styles: 1-based column → named style for its non-empty cells (money). Dates get the date style.
    cell_styles: (0-based row of ``rows``, 1-based column) → named style, overriding the column's (totals, rates).
    min_widths: 1-based column → the least width, for values a number format widens (「+7.5个百分点」).
    min_size: the smallest body text the table may print at to stay one page wide (a county's 汇总表 of many figures
    is compared across on one sheet: 8 pt there). header_lines: the most lines a header of figures may wrap onto.
    A row holding text too long for its column is wrapped and centred vertically as a whole. A row shorter than the
    table (the sub-tables of a cross sheet) is bordered only as far as it goes; an empty row is a gap.
    """
    add_table_styles(ws.parent)
    styles = _style_arrays(ws)
    ncol = max(1, len(headers), *map(len, rows))  # stacked tables (交叉表) may be wider than the first header
    # Values size the columns; a header wraps onto two lines rather than widen a column of 是/否 to its length, and
    # onto three when the page is too narrow. Long text wraps in its column down to MIN_TEXT_WIDTH.
    values = column_widths(rows[:WIDTH_SAMPLE_ROWS])
    widths, floors = {}, {}
    for col in range(1, ncol + 1):
        header = headers[col - 1] if col <= len(headers) else ""
        widths[col] = max(values.get(col, 6), round(text_width(header) / 2 + 2.5, 1), 6)
        floors[col] = max(values.get(col, 6), round(text_width(header) / header_lines + 2.5, 1), 6)
    for col, least in (min_widths or {}).items():
        widths[col], floors[col] = max(widths.get(col, 6), least), max(floors.get(col, 6), least)
    texts = {c for c in values if any(type(row[c - 1]) is str for row in rows[:WIDTH_SAMPLE_ROWS] if c - 1 < len(row))}
    long_text = {c for c in texts if values[c] > MIN_TEXT_WIDTH + 4}  # five characters and more
    halves = {}
    for col in texts:  # text wraps: a long text down to four characters a line; a short choice keeps one line …
        header = headers[col - 1] if col <= len(headers) else ""
        if col in long_text:
            floors[col] = max(MIN_TEXT_WIDTH, round(text_width(header) / 3 + 2.5, 1))
        else:
            four = values[col] > THREE_CHAR_VALUES
            floors[col] = widths[col] if four else max(6, round(text_width(header) / 3 + 2.5, 1))
            if four:  # … or, for four characters, takes two a line
                halves[col] = max(TWO_CHAR_WIDTH, round(text_width(header) / 4 + 1.5, 1))
    widths = fit_to_page(widths, {c: floors[c] for c in long_text}, floors, halves=halves, min_size=min_size)
    for col, width in widths.items():  # write-only sheets need their columns before the first row
        ws.column_dimensions[get_column_letter(col)].width = width
    # Every text column narrower than its longest value wraps (a short one too, or it would spill or be cut).
    capped = [(col - 1, width - 2) for col, width in widths.items()
              if col in long_text or width >= MAX_WIDTH or (col in texts and width < values[col])]
    last_col = get_column_letter(ncol)
    ws.merged_cells.add(f"A1:{last_col}1")
    ws.merged_cells.add(f"A2:{last_col}2")
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "A4"
    print_setup(ws, "3:3", widths=widths, min_size=min_size)

    def cell(value: Any, style: str) -> WriteOnlyCell:
        c = WriteOnlyCell(ws, value)
        if type(value) is str and value[:1] == "=":
            c.data_type = "s"  # a record's text, never a formula (the county opens these files)
        c._style = styles[style]  # shared, never modified: see the module's docstring
        return c

    # A write-only sheet writes each row as it is appended: its height must be known before.
    ws.row_dimensions[3].height = _row_height(headers, widths)  # headers wrap rather than widen their column
    ws.append([cell(title, TITLE_STYLE)])
    ws.append([cell(filler_line, FILLER_STYLE)])
    ws.append([cell(h, HEADER_STYLE) for h in headers])
    column_styles = column_styles or {}
    cell_styles = cell_styles or {}
    wrapped = _rows_to_wrap(rows, capped)
    plain = [column_styles.get(c, BODY_STYLE) for c in range(1, ncol + 1)]
    wrap = [WRAP_STYLE if s == BODY_STYLE else s for s in plain]
    for r in wrapped:  # a wrapped row gets the height of its tallest cell: neither Excel nor WPS grows it on opening
        ws.row_dimensions[4 + r].height = _row_height(rows[r], widths)
    for r, values in enumerate(rows):
        base, dated, empty = (wrap, WRAP_DATE_STYLE, WRAP_STYLE) if r in wrapped else (plain, DATE_STYLE, BODY_STYLE)
        out = []
        for c, value in enumerate(values, start=1):
            style = cell_styles.get((r, c)) if cell_styles else None
            if style is None:
                style = empty if value is None else (dated if isinstance(value, dt.date) else base[c - 1])
            out.append(cell(value, style))
        ws.append(out)


LINE_HEIGHT_PT = 14.5  # one line of 11 pt 宋体


def _row_height(row: Sequence[Any], widths: dict[int, float]) -> float:
    lines = 1
    for c, value in enumerate(row, start=1):
        if type(value) is str:
            usable = max(widths.get(c, 8.43) - 1.5, 1.0)
            lines = max(lines, sum(max(1, -(-text_width(part) // usable)) for part in value.splitlines() or [""]))
    return min(409.0, round(lines * LINE_HEIGHT_PT + 3, 1))


def _rows_to_wrap(rows: Sequence[Sequence[Any]], capped: list[tuple[int, float]]) -> set[int]:
    """Rows with text wider than its capped column, or of several lines (Excel shows line breaks only in wrapped
    cells). Whole-table comprehensions: a per-row check cost more than the rest of the row's writing."""
    found = {r for r, row in enumerate(rows) for v in row if type(v) is str and "\n" in v}
    for i, width in capped:
        limit = width / 2.1  # fewer characters than this fit whatever they are
        found |= {r for r, row in enumerate(rows) if i < len(row) and type(row[i]) is str and len(row[i]) > limit
                  and text_width(row[i]) > width}
    return found
