"""数据包报送单 (#36): one printed page a township hands over with its package — what it sends, and the fingerprint of
the key that signed it, which the county checks against what its 报送情况 shows. Paper is the one channel a forger
of the file does not also control."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path

from fazhi_desktop.domain.ledgers import ledger
from fazhi_desktop.reports.render import fonts_for
from fazhi_desktop.reports.render.binder_pdf import ROLES, Pen
from fazhi_desktop.storage.atomic import atomic_stream

MM = 72 / 25.4


def write_receipt(out: str | os.PathLike, *, unit: str, county: str, year: int, package: str, made_at: dt.datetime,
                  counts: Mapping[str, int], attachments: int, with_report: bool, fingerprint: str,
                  fonts: Mapping[str, str] | None = None) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    pen = Pen(fonts_for(fonts, roles=ROLES))
    width, height = A4
    left, text_width = 28 * MM, width - 2 * 28 * MM
    records = "、".join(f"{ledger(k).name}{n}条" for k, n in counts.items() if n)
    when = f"{made_at.year}年{made_at.month}月{made_at.day}日 {made_at:%H:%M}"  # no %Y年: strftime dies on Windows
    lines = [
        ("报送单位", f"{unit}（{county}）" if county else unit), ("年度", f"{year}年"), ("数据包文件", package),
        ("生成时间", when), ("台账记录", f"共{sum(counts.values())}条" + (f"（{records}）" if records else "")),
        ("佐证材料", f"{attachments}个"), ("年度报告PDF", "已附" if with_report else "未附"),
    ]
    with atomic_stream(out) as fh:
        c = Canvas(fh, pagesize=A4)
        c.setTitle(f"{unit}{year}年度数据包报送单")
        y = height - 40 * MM
        pen.draw(c, width / 2, y, f"{unit}{year}年度法治政府建设数据包报送单", "heiti", 18, centre=True)
        y -= 20 * MM
        for label, value in lines:
            wrapped = pen.wrap(value, text_width - 32 * MM, "songti", 12)
            pen.draw(c, left, y, f"{label}：", "heiti", 12)
            for part in wrapped:
                pen.draw(c, left + 32 * MM, y, part, "songti", 12)
                y -= 8 * MM
            y -= 2 * MM
        y -= 4 * MM
        pen.draw(c, left, y, "签名指纹：", "heiti", 14)
        pen.draw(c, left + 32 * MM, y, fingerprint, "heiti", 16)
        y -= 10 * MM
        for part in pen.wrap("县法治办收到数据包后，请在县级汇总的“报送情况”中核对签名指纹是否与本单一致；不一致的，"
                             "数据包可能不是本单位报送的，请与本单位联系。", text_width, "songti", 11):
            pen.draw(c, left, y, part, "songti", 11)
            y -= 7 * MM
        y -= 16 * MM
        pen.draw(c, left, y, "报送人（签字）：______________    报送日期：______年____月____日", "songti", 12)
        y -= 14 * MM
        pen.draw(c, left, y, "签收人（签字）：______________    签收日期：______年____月____日", "songti", 12)
        c.showPage()
        c.save()
    return Path(out)


def receipt_for(unit, year: int, written, out: str | os.PathLike, fonts: Mapping[str, str] | None = None) -> Path:
    """The 报送单 of a package just written (``exchange.package_write.Written``)."""
    return write_receipt(out, unit=unit.name, county=unit.county or "", year=year, package=Path(written.path).name,
                         made_at=written.created_at or dt.datetime.now(), counts=written.counts,
                         attachments=written.attachments, with_report=written.with_report,
                         fingerprint=written.fingerprint, fonts=fonts)
