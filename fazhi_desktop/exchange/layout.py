"""The layout of the ledger workbooks the program writes and reads: sheet names, header labels, record numbers.

One sheet per ledger, named by its Chinese name, headers = the declared labels (required ones marked ``*``), a first
column 记录编号 carrying the record's UUID so that importing the same export twice updates instead of doubling.
"""

from __future__ import annotations

import re
from typing import Any

from fazhi_desktop.domain.fields import Field, Ledger, full_width_brackets
from fazhi_desktop.domain.ledgers import LEDGERS

ID_HEADER = "记录编号"
EXAMPLE_MARK = "示例（导入时忽略）"
UNIT_SHEET = "单位设置"
DRAFT_SHEET = "年度报告文稿"
HELP_SHEET = "填写说明"
LISTS_SHEET = "可选值"
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def header_label(f: Field) -> str:
    return f"{f.label}*" if f.required else f.label


def norm_header(value: Any) -> str:
    """Headers compare without spaces and required marks, and with brackets of either width (templates made before
    labels used full-width brackets still import)."""
    return full_width_brackets(re.sub(r"[\s*＊]", "", str(value or "")))


# -- writing -------------------------------------------------------------------------------------------------------


def ledger_for_sheet(title: str) -> Ledger | None:
    name = title.strip()
    return next((lg for lg in LEDGERS if name in (lg.name[:31], lg.name, lg.key)), None)


def imported(sheet_name: str) -> bool:
    return sheet_name in (UNIT_SHEET, DRAFT_SHEET) or ledger_for_sheet(sheet_name) is not None
