"""The county workbook (县级汇总表): 汇总表, 报送情况, 完整性, 风险与整改 — printed like the township tables."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from fazhi_desktop.office.xlsx_sheets import HEADER_STYLE, PERCENT_STYLE, write_titled_table
from fazhi_desktop.reports.content.numbers import cn_date
from fazhi_desktop.services.county import (
    COMPLETENESS_TAIL,
    SUBMISSION_HEADERS,
    CountyView,
    completeness_row,
    submission_row,
)
from fazhi_desktop.storage.atomic import atomic_stream

SUMMARY_MIN_SIZE = 8


def _score_sheet(wb: Workbook, title: str, filler: str, sheet: Any, rows: list) -> None:
    """考核汇总: one column per item of the county's sheet (its own words, with its points), the total the ledgers
    score and the rank; the items only the reviewers can score are left for them."""
    from fazhi_desktop.domain.scoring import shown

    headers = ["乡镇（街道）"]
    for n, item in enumerate(sheet.items, 1):
        points = "一票否决" if item.points is None else f"{shown(item.points)}分"
        headers.append(f"{n}.{sheet.words(item)[:12]}（{points}）" + ("" if item.criteria else "［考核组评分］"))
    headers += ["自评合计", "名次"]
    body = [[r.township, *("" if v is None else v if isinstance(v, str) else float(v) for v in r.scores),
             "未报送" if r.total is None else float(r.total), "" if r.rank is None else r.rank] for r in rows]
    write_titled_table(wb.create_sheet("考核汇总"), title + f"考核自评汇总表（按「{sheet.name}」）", filler, headers, body)


def write_county_workbook(view: CountyView, out: str | os.PathLike, scores: tuple[Any, list] | None = None) -> Path:
    """``scores``: (the 考核细则 as read, ``county.score_all`` rows) for a 考核汇总 sheet."""
    county = view.county
    wb = Workbook(write_only=True)
    filler = f"汇总单位：{county}法治办（盖章）　　　　统计年度：{view.year}年　　　　汇总日期：{cn_date(dt.date.today())}"
    title = f"{county}{view.year}年各乡镇（街道）法治政府建设"
    last = len(view.summary) - 1
    bold = {(last, c): HEADER_STYLE for c in range(1, len(view.summary_headers) + 1) if c - 1 not in view.rate_columns}
    rates = {c + 1: PERCENT_STYLE for c in view.rate_columns}
    # one page wide (#36): the townships are compared across one sheet, at 8 pt where 9 would need a second page
    write_titled_table(wb.create_sheet("汇总表"), title + "主要指标汇总表", filler, view.summary_headers, view.summary,
                       column_styles=rates, cell_styles=bold, min_size=SUMMARY_MIN_SIZE, header_lines=4)

    deadline = f"（截止{view.deadline[0]}月{view.deadline[1]}日）" if view.deadline else ""
    write_titled_table(wb.create_sheet("报送情况"), title + f"报告报送情况表{deadline}", filler, SUBMISSION_HEADERS,
                       [submission_row(s) for s in view.submissions])

    ledgers = list(next(iter(view.completeness.values()), {}).keys())
    rows = [completeness_row(unit, counts, view.evidence.get(unit)) for unit, counts in view.completeness.items()]
    write_titled_table(wb.create_sheet("完整性"), title + "台账完整性表（记录条数）", filler,
                       ["乡镇（街道）", *ledgers, *COMPLETENESS_TAIL], rows)

    write_titled_table(wb.create_sheet("风险与整改"), title + "风险与整改跟踪表", filler,
                       ["乡镇（街道）", "类别", "内容", "日期", "状态"],
                       view.risks or [["（无）", "没有未化解的红色风险矛盾纠纷，也没有逾期未销号的整改问题", "", "", ""]])
    if scores is not None:
        _score_sheet(wb, title, filler, *scores)
    with atomic_stream(out) as tmp:
        wb.save(tmp)
    return Path(out)
