"""The county workbook (县级汇总表): 汇总表, 报送情况, 完整性, 风险与整改 — printed like the township tables."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from openpyxl import Workbook

from fazhi_desktop.office.xlsx_sheets import HEADER_STYLE, write_titled_table
from fazhi_desktop.reports.content.numbers import cn_date
from fazhi_desktop.services.county import SUBMISSION_HEADERS, CountyView, completeness_row, submission_row
from fazhi_desktop.storage.atomic import atomic_stream


def write_county_workbook(view: CountyView, out: str | os.PathLike) -> Path:
    county = view.county
    wb = Workbook(write_only=True)
    filler = f"汇总单位：{county}法治办（盖章）　　　　统计年度：{view.year}年　　　　汇总日期：{cn_date(dt.date.today())}"
    title = f"{county}{view.year}年各乡镇（街道）法治政府建设"
    last = len(view.summary) - 1
    bold = {(last, c): HEADER_STYLE for c in range(1, len(view.summary_headers) + 1)}
    write_titled_table(wb.create_sheet("汇总表"), title + "主要指标汇总表", filler, view.summary_headers, view.summary,
                       cell_styles=bold)

    deadline = f"（截止{view.deadline[0]}月{view.deadline[1]}日）" if view.deadline else ""
    write_titled_table(wb.create_sheet("报送情况"), title + f"报告报送情况表{deadline}", filler, SUBMISSION_HEADERS,
                       [submission_row(s) for s in view.submissions])

    ledgers = list(next(iter(view.completeness.values()), {}).keys())
    rows = [completeness_row(unit, counts) for unit, counts in view.completeness.items()]
    write_titled_table(wb.create_sheet("完整性"), title + "台账完整性表（记录条数）", filler,
                       ["乡镇（街道）", *ledgers, "空白台账数"], rows)

    write_titled_table(wb.create_sheet("风险与整改"), title + "风险与整改跟踪表", filler,
                       ["乡镇（街道）", "类别", "内容", "日期", "状态"],
                       view.risks or [["（无）", "没有未化解的红色风险矛盾纠纷，也没有逾期未销号的整改问题", "", "", ""]])
    with atomic_stream(out) as tmp:
        wb.save(tmp)
    return Path(out)
