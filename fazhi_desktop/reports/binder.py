"""台账汇编 as an archivist files it (DA/T 22-2015 归档文件整理规则): what goes in which volume and box, each 件's
题名, 档号 and 归档章 — the drawing is ``reports.render.binder_pdf``.

- One volume per 保管期限 (6.4: files of different retention never share a box), each with its own cover, 目录, 件号
  from 1, 备考表 and spine labels; the 保管期限 of each ledger is the one 设置 gives it (``services.retention``).
- A roster or list (名册, 阵地台账) is one 件; every other record is one, titled from its kind and subject as the
  ledger declares it (``Ledger.file_title``), never from a private person's name.
- 档号: 全宗号-门类代码·年度-保管期限代码-机构（问题）代码-件号, from the unit's settings; without a 全宗号 none is made
  (the 备考表 says so) rather than a number that files nowhere.
- A volume is boxed by thickness (20, 30 or 40 mm, about 0.1 mm a sheet with room to spare); a 件 never spans boxes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fazhi_desktop.domain.fields import Field, Ledger

RETENTION_ORDER = ("永久", "30年", "10年")
RETENTION_SHOWN = {"永久": "永久", "30年": "定期30年", "10年": "定期10年"}
RETENTION_CODE = {"永久": "Y", "30年": "D30", "10年": "D10"}
CATEGORY = "WS"  # 文书 (the 门类 these files belong to)
BOX_PAGES = {20: 180, 30: 270, 40: 360}  # box thickness (mm) → printed sheets it holds
OTHER = "其他"  # a choice that says nothing about the record: left out of a 题名
SUBJECT_CHARS = 60  # a 题名 names its subject; a long 问题描述 is the record's body, not its title


def shown_value(f: Field, value: Any) -> str:
    """A value as the binder prints it (ID numbers masked, as in every output)."""
    shown = f.kind.cell(value)
    if shown is None:
        return ""
    if isinstance(shown, dt.datetime):
        return f"{shown:%Y-%m-%d}"
    if isinstance(shown, dt.date):
        return shown.isoformat()
    if isinstance(shown, bool):
        return "是" if shown else "否"
    if isinstance(shown, list | tuple):
        return "、".join(str(v) for v in shown)
    return str(shown)


def piece_title(ledger: Ledger, record: dict[str, Any], year: int) -> str:
    """The 题名 of a 件: the ledger's declared words with the record's own values; blanks and 「其他」 leave no
    empty brackets or dangling colon behind."""
    if ledger.one_piece:
        return f"{year}年度{ledger.name}"
    text = ledger.file_title
    for slot in ledger.title_slots:
        value = " ".join(shown_value(ledger.field(slot), record.get(slot)).split())
        if value == OTHER:
            value = ""
        if len(value) > SUBJECT_CHARS:
            value = value[:SUBJECT_CHARS] + "……"
        text = text.replace("{" + slot + "}", value)
    text = text.replace("（）", "").strip("：").strip()
    return text or ledger.name


def record_date(ledger: Ledger, record: dict[str, Any]) -> dt.date | None:
    """A record's day: the one its ledger dates it by, else its own date field (述法 is dated by year, then by
    述法日期)."""
    return next((record[k] for k in (ledger.year_from, "date")
                 if ledger.has(k) and isinstance(record.get(k), dt.date)), None)


def doc_number(ledger: Ledger, record: dict[str, Any]) -> str:
    """文号: a document's own number, or a case's (执法、复议诉讼案号)."""
    for key in ("doc_no", "case_no"):
        if ledger.has(key) and record.get(key):
            return str(record[key])
    return ""


@dataclass
class Piece:
    """One 件: a record with its attachments, or a whole roster with all of theirs."""

    number: int
    ledger: Ledger
    records: list[dict[str, Any]]
    attachments: list[dict[str, Any]]  # with "path" and "is_image"
    title: str
    date: dt.date | None = None
    doc_no: str = ""
    missing: int = 0  # records that need evidence and have none
    lacking: tuple[str, ...] = ()  # documents its state calls for that it does not carry (调解协议书…)
    first_page: int = 0
    pages: int = 0

    @property
    def record(self) -> dict[str, Any]:
        return self.records[0]

    @property
    def flagged(self) -> bool:
        """It gets a 「缺」 page."""
        return bool(self.missing or self.lacking)

    def record_of(self, att: dict[str, Any]) -> dict[str, Any]:
        """The record an attachment belongs to (a roster's 件 holds many)."""
        return next((r for r in self.records if r.get("id") == att.get("record_id")), self.records[0])


@dataclass(frozen=True)
class Box:
    number: int
    first: int  # 件号
    last: int
    pages: int
    width_mm: int

    @property
    def overfull(self) -> bool:
        return self.pages > BOX_PAGES[self.width_mm]


@dataclass
class Volume:
    retention: str  # a key of RETENTION_SHOWN
    pieces: list[Piece]
    boxes: list[Box] = field(default_factory=list)
    front_pages: int = 0  # the cover and the 目录
    total_pages: int = 0
    photos: int = 0

    @property
    def shown(self) -> str:
        return RETENTION_SHOWN[self.retention]


@dataclass
class Binder:
    unit_name: str
    year: int
    volumes: list[Volume]
    fonds: str = ""  # 全宗号
    org_code: str = ""  # 机构（问题）代码
    compiler: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pieces(self) -> list[Piece]:
        return [p for v in self.volumes for p in v.pieces]

    @property
    def total_pages(self) -> int:
        return sum(v.total_pages for v in self.volumes)

    @property
    def photos(self) -> int:
        return sum(v.photos for v in self.volumes)

    def archive_no(self, volume: Volume, piece: Piece) -> str:
        if not self.fonds:
            return ""
        parts = [self.fonds, f"{CATEGORY}·{self.year}", RETENTION_CODE[volume.retention]]
        if self.org_code:
            parts.append(self.org_code)
        return "-".join([*parts, f"{piece.number:04d}"])


def box_width(pages: int) -> int:
    """The thinnest box that holds ``pages`` sheets (the thickest when none does: the 备考表 says it is full)."""
    return next((w for w, most in sorted(BOX_PAGES.items()) if pages <= most), max(BOX_PAGES))


def boxes_of(volume: Volume, tail_pages: int) -> list[Box]:
    """The volume's 件 in boxes of at most the thickest box's sheets: the cover and 目录 go in the first, the
    备考表 (``tail_pages``) in the last, and a 件 is never split."""
    most = max(BOX_PAGES.values())
    boxes: list[Box] = []
    first, pages = None, volume.front_pages
    for piece in volume.pieces:
        if first is not None and pages + piece.pages > most:
            boxes.append(Box(len(boxes) + 1, first, piece.number - 1, pages, box_width(pages)))
            first, pages = None, 0
        first = piece.number if first is None else first
        pages += piece.pages
    last = volume.pieces[-1].number if volume.pieces else 0
    pages += tail_pages
    boxes.append(Box(len(boxes) + 1, first or 0, last, pages, box_width(pages)))
    return boxes
