"""台账汇编 (the inspection binder) drawn as ``reports.binder`` files it: per 保管期限 volume a 封面, the 归档文件目录
(DA/T 22-2015 columns: 序号、档号、文号、责任者、题名、日期、密级、页数、备注; cells wrap, rules between rows, never
through them), each 件 with the 归档章 on its first page, its record as a printed page (a roster as one table), its
photos scaled into the A4 芯页 with a caption, its PDF attachments page by page, a 「缺」 page where evidence is
missing, a 备考表 and one spine label per box at the box's own width; page numbers restart in each volume.

Each volume is laid out before it is drawn: the 目录 must state where each 件 starts, and its own length depends on
those numbers, so it is counted until it no longer changes. Photos and PDF pages are decoded one at a time and embedded
downscaled, so hundreds of photos never sit in memory at full size. ID numbers are masked as in every output.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi_desktop.domain.fields import CAPTION_PEOPLE, CAPTION_PLACE, Ledger
from fazhi_desktop.domain.kinds import FieldType
from fazhi_desktop.domain.unit import ARCHIVE
from fazhi_desktop.reports.binder import (
    RETENTION_ORDER,
    Binder,
    Piece,
    Volume,
    boxes_of,
    doc_number,
    piece_title,
    record_date,
    shown_value,
)
from fazhi_desktop.reports.content.numbers import cn_date
from fazhi_desktop.reports.typeset.fonts import FontSet
from fazhi_desktop.storage.atomic import atomic_stream

log = logging.getLogger(__name__)

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
PORTRAIT, LANDSCAPE = (PAGE_W, PAGE_H), (PAGE_H, PAGE_W)
# 芯页: the area inside the margins a bound page keeps (left margin wider: the binding side)
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, 20 * MM, 25 * MM, 25 * MM
BODY_W = PAGE_W - LEFT - RIGHT
SPINE_HEIGHT_MM = 220
SPINE_GAP = 12 * MM
IMAGE_DPI = 150  # enough for print, a fraction of a camera's pixels
# Photos and PDFs come from anywhere (a township's package, a clerk's folder) and are read as hostile:
# decoders by an explicit list (never one picked by content: an EPS named .jpg would run Ghostscript), pixels bounded
# (a JPEG decodes scaled down; another kind is refused above the limit), a PDF page rendered to at most
# RENDER_PIXELS whatever its size, and at most PDF_PAGES pages of one attachment printed.
PHOTO_FORMATS = ("JPEG", "PNG", "GIF", "BMP", "WEBP", "TIFF")
PHOTO_PIXELS = 50_000_000
RENDER_PIXELS = 8_000_000
PDF_PAGES = 50
ROLES = ("songti", "heiti")  # two fonts, not the report's five: each one parsed holds MB of memory
# 归档文件目录 (DA/T 22-2015), on a landscape page: (column, width in mm)
TOC_COLUMNS = (("序号", 11), ("档号", 44), ("文号", 34), ("责任者", 30), ("题名", 76), ("日期", 19), ("密级", 10),
               ("页数", 11), ("备注", 22))
TABLE_SIZE = 9  # pt, the 目录's and a roster's cells
LINE_H = TABLE_SIZE * 1.4  # a wrapped cell's line pitch: more than a glyph's height, so lines never touch
PAD = 1.5 * MM  # above the first and below the last line of a row: a rule is never within a glyph
ASCENT = 0.86  # of the size, above the baseline (the fonts' ascent)
# 归档章 (DA/T 22-2015 7.4): 全宗号、年度、件号 over 机构（问题）、保管期限、页数, 15 × 8 mm cells, top centre
STAMP_CELL_W, STAMP_CELL_H = 15 * MM, 8 * MM
ARCHIVE_CHARS = 20


class Pen:
    """Text in the report's fonts, a character's fallback font where the main one lacks it."""

    def __init__(self, fonts: FontSet):
        self.fonts = fonts

    def runs(self, text: str, role: str) -> Iterator[tuple[str, str]]:
        run, font = "", None
        for ch in text:
            f = self.fonts.font_for(role, ch)
            if f != font and run:
                yield run, font
                run = ""
            run, font = run + ch, f
        if run:
            yield run, font

    def width(self, text: str, role: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(stringWidth(run, font, size) for run, font in self.runs(text, role))

    def draw(self, c, x: float, y: float, text: str, role: str = "songti", size: float = 12, *,
             centre: bool = False) -> None:
        if centre:
            x -= self.width(text, role, size) / 2
        for run, font in self.runs(text, role):
            c.setFont(font, size)
            c.drawString(x, y, run)
            x += self.width(run, role, size)

    def wrap(self, text: str, width: float, role: str = "songti", size: float = 12) -> list[str]:
        lines: list[str] = []
        for paragraph in (text or "").splitlines() or [""]:
            line = ""
            for ch in paragraph:
                if line and self.width(line + ch, role, size) > width:
                    lines.append(line)
                    line = ""
                line += ch
            lines.append(line)
        return lines




@dataclass(frozen=True)
class Row:
    cells: tuple[tuple[str, ...], ...]  # each cell's wrapped lines
    height: float


def table_rows(pen: Pen, widths: list[float], rows: list[list[str]]) -> list[Row]:
    """Each row's cells wrapped to their column (never cut) and the row's height."""
    out = []
    for row in rows:
        cells = tuple(tuple(pen.wrap(text, w - 2 * MM, "songti", TABLE_SIZE)) for text, w in zip(row, widths,
                                                                                                  strict=True))
        out.append(Row(cells, max(len(c) for c in cells) * LINE_H + 2 * PAD))
    return out


def paginate(rows: list[Row], room: float) -> list[list[Row]]:
    """Rows in pages of at most ``room`` points (a row taller than a page has a page of its own)."""
    pages: list[list[Row]] = [[]]
    used = 0.0
    for row in rows:
        if pages[-1] and used + row.height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += row.height
    return pages


def draw_table(c, pen: Pen, x: float, top: float, widths: list[float], header: Row, rows: list[Row]) -> None:
    """A grid: the header, then the rows, a rule between each two rows and between the columns, text inside."""
    c.setLineWidth(0.5)
    right = x + sum(widths)
    y = top
    for i, row in enumerate([header, *rows]):
        c.line(x, y, right, y)
        cx = x
        for lines, width in zip(row.cells, widths, strict=True):
            base = y - PAD - ASCENT * TABLE_SIZE
            for line in lines:
                if i == 0:
                    pen.draw(c, cx + width / 2, base, line, "heiti", TABLE_SIZE, centre=True)
                else:
                    pen.draw(c, cx + 1 * MM, base, line, "songti", TABLE_SIZE)
                base -= LINE_H
            cx += width
        y -= row.height
    c.line(x, y, right, y)
    cx = x
    for width in [0.0, *widths]:
        cx += width
        c.line(cx, top, cx, y)


TOC_X = 20 * MM
TOC_TITLE = 14 * MM
TOC_ROOM = PAGE_W - TOP - BOTTOM - TOC_TITLE  # on a landscape page, its height is the portrait width
ROSTER_X = 20 * MM
ROSTER_W = PAGE_H - 2 * ROSTER_X
ROSTER_ROOM = PAGE_W - TOP - BOTTOM - 12 * MM
LINE = 20  # pt between lines of a record's table
LABEL_W = 38 * MM
LINES_PER_PAGE = int((PAGE_H - TOP - BOTTOM - 40) // LINE)
# a roster's columns share the page by what they hold (an ID number needs more room than a year)
ROSTER_WEIGHT = {FieldType.YEAR: 0.6, FieldType.INT: 0.6, FieldType.BOOL: 0.5, FieldType.CHOICE: 0.9,
                 FieldType.DATE: 0.9, FieldType.PHONE: 1.2, FieldType.IDCARD: 1.6, FieldType.LONGTEXT: 2.0}


def _record_lines(pen: Pen, piece: Piece) -> list[tuple[str, str]]:
    """(label, line) pairs of the record's table, the label only on a field's first line."""
    out = []
    for f in piece.ledger.fields:
        text = shown_value(f, piece.record.get(f.key))
        for i, line in enumerate(pen.wrap(text, BODY_W - LABEL_W - 6, size=12)):
            out.append((f.label if i == 0 else "", line))
    return out


def _roster_table(pen: Pen, piece: Piece) -> tuple[list[float], Row, list[list[Row]]]:
    """A roster as one table: its printed columns, every person a row."""
    fields = [f for f in piece.ledger.fields if f.printed]
    weights = [ROSTER_WEIGHT.get(f.type, 1.0) for f in fields]
    widths = [ROSTER_W * w / sum(weights) for w in weights]
    header = table_rows(pen, widths, [[f.label for f in fields]])[0]
    rows = table_rows(pen, widths, [[shown_value(f, r.get(f.key)) for f in fields] for r in piece.records])
    return widths, header, paginate(rows, ROSTER_ROOM - header.height)


def _attachment_pages(att: dict[str, Any]) -> int:
    if att["is_image"]:
        return 1
    if str(att["name"]).lower().endswith(".pdf"):
        import pypdfium2

        try:
            doc = pypdfium2.PdfDocument(str(att["path"]))
        except (pypdfium2.PdfiumError, OSError):
            return 1  # shown as a page that says it could not be read
        try:
            return min(len(doc), PDF_PAGES)
        finally:
            doc.close()
    return 1  # another kind of file: a page naming it


def _count(pen: Pen, piece: Piece) -> int:
    if piece.ledger.one_piece:
        pages = len(_roster_table(pen, piece)[2])
    else:
        pages = max(1, -(-len(_record_lines(pen, piece)) // LINES_PER_PAGE))
    pages += sum(_attachment_pages(a) for a in piece.attachments)
    return pages + (1 if piece.flagged else 0)


def _toc_widths() -> list[float]:
    return [w * MM for _n, w in TOC_COLUMNS]


def _toc_pages(pen: Pen, b: Binder, v: Volume) -> tuple[Row, list[list[Row]]]:
    widths = _toc_widths()
    header = table_rows(pen, widths, [[name for name, _w in TOC_COLUMNS]])[0]
    cells = [[str(p.number), b.archive_no(v, p), p.doc_no, b.unit_name, p.title,
              f"{p.date:%Y%m%d}" if p.date else "", "", str(p.pages),
              f"第{p.first_page}页起" + _lack(p)] for p in v.pieces]
    return header, paginate(table_rows(pen, widths, cells), TOC_ROOM - header.height)


def _lack(piece: Piece) -> str:
    """What the 目录's 备注 says a 件 lacks."""
    return "".join(f"，缺{name}" for name in piece.lacking) + ("，缺佐证" if piece.missing else "")


def _spine_pages(v: Volume) -> list[list[Any]]:
    """The boxes' labels side by side, as many as fit across a page."""
    pages: list[list[Any]] = [[]]
    used = 0.0
    for box in v.boxes:
        width = box.width_mm * MM
        if pages[-1] and used + width > BODY_W:
            pages.append([])
            used = 0.0
        pages[-1].append(box)
        used += width + SPINE_GAP
    return pages


def lay_out(binder: Binder, fonts: FontSet) -> None:
    """Give every 件 its first page and page count, every volume its boxes and length (before anything is drawn)."""
    pen = Pen(fonts)
    for v in binder.volumes:
        for piece in v.pieces:
            piece.pages = _count(pen, piece)
        toc = 1
        for _ in range(20):  # the 目录's length moves the pages it states; it settles in a step or two
            v.front_pages = 1 + toc
            page = v.front_pages + 1
            for piece in v.pieces:
                piece.first_page = page
                page += piece.pages
            counted = len(_toc_pages(pen, binder, v)[1])
            if counted == toc:
                break
            toc = counted
        v.boxes = boxes_of(v, tail_pages=1)
        v.total_pages = page - 1 + 1 + len(_spine_pages(v))  # the 备考表, then the spine labels
        v.photos = sum(1 for p in v.pieces for a in p.attachments if a["is_image"])


class _Pages:
    """The volume's page counter: each page is set to its size before it is drawn, numbered when it is done."""

    def __init__(self, c, pen: Pen):
        self.c, self.pen, self.page, self.size = c, pen, 0, PORTRAIT

    def start(self, size: tuple[float, float] = PORTRAIT) -> None:
        self.size = size
        self.c.setPageSize(size)

    def finish(self, number: bool = True) -> None:
        self.page += 1
        if number:
            self.pen.draw(self.c, self.size[0] / 2, 12 * MM, f"— {self.page} —", size=10.5, centre=True)
        self.c.showPage()
        self.start()


def write_binder(binder: Binder, fonts: FontSet, out: str | os.PathLike,
                 progress: Callable[[int, int], None] | None = None) -> Path:
    from reportlab import rl_config

    lay_out(binder, fonts)
    pen = Pen(fonts)
    # Streams binary, not ASCII85: reportlab's pure-Python ASCII85 of 300 photos took a sixth of the binder's time,
    # and made the photos a quarter larger in memory and in the file (#38)
    a85, rl_config.useA85 = rl_config.useA85, 0
    try:
        _write(binder, pen, out, progress)
    finally:
        rl_config.useA85 = a85
    return Path(out)


def _write(binder: Binder, pen: Pen, out: str | os.PathLike, progress: Callable[[int, int], None] | None) -> None:
    from reportlab.pdfgen.canvas import Canvas

    total, done = len(binder.pieces), 0
    with atomic_stream(out) as raw:
        c = Canvas(raw, pagesize=PORTRAIT, pageCompression=1)
        c.setTitle(f"{binder.unit_name}{binder.year}年度法治建设台账汇编")
        for n, v in enumerate(binder.volumes):
            pages = _Pages(c, pen)
            c.bookmarkPage(f"volume{n}")
            c.addOutlineEntry(f"{v.shown}（{len(v.pieces)}件）", f"volume{n}", level=0)
            _cover(c, pen, binder, v)
            pages.finish(number=False)
            _toc(c, pen, binder, v, pages)
            for piece in v.pieces:
                assert pages.page + 1 == piece.first_page, (pages.page, piece.first_page)
                _piece(c, pen, binder, v, piece, pages)
                done += 1
                if progress:
                    progress(done, total)
            _notes(c, pen, binder, v)
            pages.finish()
            _spines(c, pen, binder, v, pages)
            assert pages.page == v.total_pages, (pages.page, v.total_pages)
        c.save()


def _cover(c, pen: Pen, b: Binder, v: Volume) -> None:
    pen.draw(c, PAGE_W / 2, PAGE_H - 95 * MM, f"{b.unit_name}", "heiti", 26, centre=True)
    pen.draw(c, PAGE_W / 2, PAGE_H - 115 * MM, f"{b.year}年度法治建设台账汇编", "heiti", 26, centre=True)
    rows = [("编制单位", b.unit_name), ("全 宗 号", b.fonds), ("所属年度", f"{b.year}年"), ("保管期限", v.shown),
            ("件    数", f"{len(v.pieces)}件"), ("盒    数", f"{len(v.boxes)}盒"), ("编制日期", cn_date(dt.date.today()))]
    y = 105 * MM
    for label, value in rows:
        if value:  # no 全宗号 set: no line that says nothing
            pen.draw(c, 60 * MM, y, f"{label}：{value}", "songti", 16)
            y -= 12 * MM


def _toc(c, pen: Pen, b: Binder, v: Volume, pages: _Pages) -> None:
    header, chunks = _toc_pages(pen, b, v)
    for rows in chunks:
        pages.start(LANDSCAPE)
        pen.draw(c, LANDSCAPE[0] / 2, LANDSCAPE[1] - TOP, f"归档文件目录（{v.shown}）", "heiti", 18, centre=True)
        draw_table(c, pen, TOC_X, LANDSCAPE[1] - TOP - TOC_TITLE + 4 * MM, _toc_widths(), header, rows)
        pages.finish()


def _stamp(c, pen: Pen, b: Binder, v: Volume, piece: Piece) -> None:
    """归档章 in the top margin, centred: 全宗号、年度、件号 / 机构（问题）、保管期限、页数."""
    cells = ((b.fonds, str(b.year), str(piece.number)), (b.org_code, v.shown, str(piece.pages)))
    x0, top = PAGE_W / 2 - 1.5 * STAMP_CELL_W, PAGE_H - 3 * MM
    c.setLineWidth(0.6)
    for r, row in enumerate(cells):
        for i, text in enumerate(row):
            x, y = x0 + i * STAMP_CELL_W, top - (r + 1) * STAMP_CELL_H
            c.rect(x, y, STAMP_CELL_W, STAMP_CELL_H, stroke=1, fill=0)
            size = 9.0
            while text and size > 5 and pen.width(text, "songti", size) > STAMP_CELL_W - 1 * MM:
                size -= 0.5
            pen.draw(c, x + STAMP_CELL_W / 2, y + (STAMP_CELL_H - size * 0.7) / 2, text, "songti", size, centre=True)


def _heading(c, pen: Pen, piece: Piece, cont: bool, size: tuple[float, float] = PORTRAIT) -> None:
    title = f"{piece.ledger.name}　第 {piece.number} 件{'（续）' if cont else ''}"
    pen.draw(c, LEFT if size == PORTRAIT else ROSTER_X, size[1] - TOP, title, "heiti", 14)


def _piece(c, pen: Pen, b: Binder, v: Volume, piece: Piece, pages: _Pages) -> None:
    if piece.ledger.one_piece:
        widths, header, chunks = _roster_table(pen, piece)
        for i, rows in enumerate(chunks):
            pages.start(LANDSCAPE)
            _heading(c, pen, piece, cont=i > 0, size=LANDSCAPE)
            if i == 0:
                c.saveState()
                c.translate((LANDSCAPE[0] - PAGE_W) / 2, LANDSCAPE[1] - PAGE_H)
                _stamp(c, pen, b, v, piece)
                c.restoreState()
            draw_table(c, pen, ROSTER_X, LANDSCAPE[1] - TOP - 8 * MM, widths, header, rows)
            pages.finish()
    else:
        lines = _record_lines(pen, piece)
        for start in range(0, max(1, len(lines)), LINES_PER_PAGE):
            if start == 0:
                _stamp(c, pen, b, v, piece)
            _heading(c, pen, piece, cont=start > 0)
            y = PAGE_H - TOP - 12 * MM
            for label, line in lines[start:start + LINES_PER_PAGE]:
                if label:
                    c.setLineWidth(0.3)
                    c.line(LEFT, y + LINE - 5, PAGE_W - RIGHT, y + LINE - 5)
                    pen.draw(c, LEFT, y, label, "heiti", 11)
                pen.draw(c, LEFT + LABEL_W, y, line, "songti", 12)
                y -= LINE
            pages.finish()
    for att in piece.attachments:
        if att["is_image"]:
            _photo(c, pen, piece, att)
            pages.finish()
        elif str(att["name"]).lower().endswith(".pdf"):
            _pdf_pages(c, pen, piece, att, pages.finish)
        else:
            pen.draw(c, LEFT, PAGE_H - TOP, f"附件：{att['name']}", "heiti", 14)
            pen.draw(c, LEFT, PAGE_H - TOP - 12 * MM, "此类文件不能打印在汇编中，原件见电子台账。", "songti", 12)
            pages.finish()
    if piece.flagged:
        pen.draw(c, PAGE_W / 2, PAGE_H / 2 + 20 * MM, "缺", "heiti", 72, centre=True)
        said = [f"第 {piece.number} 件「{piece.title}」缺{name}" for name in piece.lacking]
        if piece.missing:
            whose = f"其中 {piece.missing} 条记录" if len(piece.records) > 1 else ""
            said.append(f"第 {piece.number} 件「{piece.title}」{whose}没有佐证材料（照片、签到表、记录等）")
        y = PAGE_H / 2 - 10 * MM
        for line in pen.wrap("；".join(said) + "。", BODY_W, "songti", 14):
            pen.draw(c, LEFT, y, line, "songti", 14)
            y -= 8 * MM
        pages.finish()


def caption(piece: Piece, att: dict[str, Any], taken: dt.date | None = None) -> list[str]:
    """事由、时间、地点、人物、背景、摄影者 (DA/T 50): 事由 the 件's 题名, 时间 the photo's own date when it has one
    (``taken``, from its EXIF) else its record's, 地点 and 人物 the fields the ledger declares for a caption, 背景 and
    摄影者 as the clerk typed them with the photo (a 摄影者 not typed is left blank to write in, never the account that
    attached the file)."""
    record = piece.record_of(att)
    fields = [f for f in piece.ledger.fields if f.caption and record.get(f.key)]
    place = next((shown_value(f, record[f.key]) for f in fields if f.caption == CAPTION_PLACE), "")
    people = "、".join(shown_value(f, record[f.key]) for f in fields if f.caption == CAPTION_PEOPLE)
    day = taken or record_date(piece.ledger, record)
    lines = [f"事由：{piece.title}", f"时间：{cn_date(day) if day else ''}", f"地点：{place}", f"人物：{people}"]
    if att.get("background"):
        lines.append(f"背景：{att['background']}")
    return [*lines, f"摄影者：{att.get('photographer') or ''}"]


def taken_on(image) -> dt.date | None:
    """The day a camera wrote into the photo (EXIF DateTimeOriginal, else DateTime); None when it has none that
    reads as a date."""
    try:
        exif = image.getexif()
        raw = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
        day = dt.datetime.strptime(str(raw).strip()[:19], "%Y:%m:%d %H:%M:%S").date()
    except Exception:  # noqa: BLE001 - a photo's metadata is as hostile as its pixels: no date, never a failure
        return None
    return day if dt.date(1990, 1, 1) <= day <= dt.date.today() else None


def _embed(c, image, box_w: float, box_h: float, x: float, y: float) -> None:
    """An image scaled into the box, downscaled to IMAGE_DPI before embedding (memory and file size)."""
    from reportlab.lib.utils import ImageReader

    scale = min(box_w / image.width, box_h / image.height)
    w, h = image.width * scale, image.height * scale
    wanted = (max(1, int(w / 72 * IMAGE_DPI)), max(1, int(h / 72 * IMAGE_DPI)))
    if image.width > wanted[0]:
        image = image.resize(wanted)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=82)
    buf.seek(0)
    c.drawImage(ImageReader(buf), x + (box_w - w) / 2, y + (box_h - h) / 2, w, h)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc keeps the freed buffers of decoded photos in its heap, so a process that has decoded hundreds of them
    holds hundreds of MB it no longer uses; ``malloc_trim`` hands them back (elsewhere there is nothing to do)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def _release() -> None:
    """After each photo: reportlab's ImageReader and the image it decoded are left in a reference cycle, freed only
    when Python's collector next reaches the older generations — a binder of 300 photos swung between 100 and 220 MB
    waiting for it (#38). Collecting the young generations frees them at once, then the heap goes back."""
    import gc

    gc.collect(1)
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _printed_pixels(img, box_w: float, box_h: float) -> tuple[int, int]:
    """The pixels (at IMAGE_DPI) an image takes when scaled into the box, in its stored orientation."""
    try:
        turned = img.getexif().get(0x0112) in (5, 6, 7, 8)  # EXIF Orientation: stored on its side
    except Exception:  # noqa: BLE001 - hostile metadata: take the photo as stored
        turned = False
    w, h = (img.height, img.width) if turned else (img.width, img.height)
    scale = min(box_w / w, box_h / h) / 72 * IMAGE_DPI
    wanted = (max(1, round(w * scale)), max(1, round(h * scale)))
    return (wanted[1], wanted[0]) if turned else wanted


def _photo(c, pen: Pen, piece: Piece, att: dict[str, Any]) -> None:
    from PIL import Image, ImageOps

    pen.draw(c, LEFT, PAGE_H - TOP, f"照片　第 {piece.number} 件", "heiti", 14)
    taken = None
    box_top = PAGE_H - TOP - 8 * MM
    box_bottom = BOTTOM + 40 * MM
    try:
        with Image.open(att["path"], formats=PHOTO_FORMATS) as img:
            # A JPEG decodes straight at (about) the size it is printed: a 12-megapixel photo never sits in memory
            # at full size. The size asked is the photo's own as printed (turned as its EXIF says): a square of the
            # box's larger side made a camera's photo decode at twice that, four times the pixels (#38).
            img.draft("RGB", _printed_pixels(img, BODY_W, box_top - box_bottom))
            if img.width * img.height > PHOTO_PIXELS:
                raise Image.DecompressionBombError(f"{img.width}×{img.height}")
            taken = taken_on(img)
            _embed(c, ImageOps.exif_transpose(img), BODY_W, box_top - box_bottom, LEFT, box_bottom)
    except Exception as exc:  # noqa: BLE001 - decoders raise many kinds (OSError, SyntaxError, struct.error, …)
        # a damaged or hostile picture costs its own page, never the binder
        log.info("photo %s not printed: %s", att["name"], type(exc).__name__)
        pen.draw(c, LEFT, PAGE_H / 2, f"照片「{att['name']}」无法读取，原件见电子台账。", "songti", 12)
    _release()
    y = box_bottom - 8 * MM
    for line in caption(piece, att, taken):
        pen.draw(c, LEFT, y, line, "songti", 12)
        y -= 6.5 * MM


def _pdf_pages(c, pen: Pen, piece: Piece, att: dict[str, Any], finish) -> None:
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(str(att["path"]))
    except (pypdfium2.PdfiumError, OSError):
        pen.draw(c, LEFT, PAGE_H - TOP, f"附件「{att['name']}」无法读取，原件见电子台账。", "songti", 12)
        finish()
        return
    try:
        total = len(doc)
        for i in range(min(total, PDF_PAGES)):
            page = doc[i]
            width, height = page.get_size()
            scale = min(IMAGE_DPI / 72, (RENDER_PIXELS / max(width * height, 1.0)) ** 0.5)
            image = page.render(scale=scale).to_pil()
            page.close()
            shown = f"附件：{att['name']}（第 {i + 1} 页，共 {total} 页）"
            if i + 1 == PDF_PAGES < total:
                shown += f"；其余 {total - PDF_PAGES} 页见电子台账"
            pen.draw(c, LEFT, PAGE_H - TOP, shown, "heiti", 12)
            _embed(c, image, BODY_W, PAGE_H - TOP - BOTTOM - 12 * MM, LEFT, BOTTOM)
            del image
            _release()
            finish()
    finally:
        doc.close()




def _notes(c, pen: Pen, b: Binder, v: Volume) -> None:
    pen.draw(c, PAGE_W / 2, PAGE_H - TOP, f"备考表（{v.shown}）", "heiti", 18, centre=True)
    missing = sum(1 for p in v.pieces if p.flagged)
    y = PAGE_H - TOP - 20 * MM
    lines = [f"本卷保管期限{v.shown}，共 {len(v.pieces)} 件，装 {len(v.boxes)} 盒，{v.total_pages} 页（含封面、目录、"
             f"备考表和脊背标签页），照片 {v.photos} 张。"]
    for box in v.boxes:
        span = f"第 {box.first}—{box.last} 件" if box.first else "封面、目录和备考表"
        full = "，超过一盒的容量，请分装" if box.overfull else ""
        lines.append(f"第 {box.number} 盒：{span}，{box.pages} 页，用 {box.width_mm}mm 厚档案盒{full}。")
    lines += [f"缺佐证材料的 {missing} 件，已在相应位置放入「缺」页。" if missing else "各件佐证材料齐全。",
              "身份证号按规定隐藏中间位。"]
    if not b.fonds:
        lines.append("未设置全宗号：档号未编，归档章和脊背的全宗号一栏待填（在“设置 → 个人信息”中填写全宗号）。")
    lines += ["", f"立卷人：{b.compiler or '　　　　　　'}", "检查人：　　　　　　", f"立卷时间：{cn_date(dt.date.today())}"]
    for line in lines:
        for part in pen.wrap(line, BODY_W, "songti", 14):
            pen.draw(c, LEFT, y, part, "songti", 14)
            y -= 10 * MM


def _fit(pen: Pen, c, x: float, y: float, width: float, text: str, role: str, size: float) -> None:
    """Text centred in a narrow cell, smaller until it fits."""
    while text and size > 4 and pen.width(text, role, size) > width - 1.5 * MM:
        size -= 0.5
    pen.draw(c, x + width / 2, y, text, role, size, centre=True)


def _spines(c, pen: Pen, b: Binder, v: Volume, pages: _Pages) -> None:
    """脊背: one label for each box, at the box's own thickness (cut along the line, glue to the box)."""
    for boxes in _spine_pages(v):
        pen.draw(c, LEFT, PAGE_H - TOP, f"档案盒脊背标签（{v.shown}，沿线剪下，贴于盒脊）", "heiti", 12)
        x = LEFT
        top = PAGE_H - TOP - 10 * MM
        for box in boxes:
            w, h = box.width_mm * MM, SPINE_HEIGHT_MM * MM
            c.setLineWidth(0.5)
            c.rect(x, top - h, w, h, stroke=1, fill=0)
            pen.draw(c, x + w / 2, top - h - 5 * MM, f"{box.width_mm}mm", "songti", 8, centre=True)
            size = min(14.0, w * 0.6)
            y = top - 12 * MM
            for ch in f"{b.unit_name}{b.year}年度法治建设台账":
                pen.draw(c, x + w / 2, y, ch, "heiti", size, centre=True)
                y -= size * 1.15
            cells = (("全宗号", b.fonds), ("年度", str(b.year)), ("保管期限", v.shown),
                     ("起止件号", f"{box.first}—{box.last}" if box.first else ""), ("盒号", str(box.number)))
            y = top - h + len(cells) * 12 * MM
            for label, value in cells:
                c.line(x, y, x + w, y)
                _fit(pen, c, x, y - 4 * MM, w, label, "heiti", 7)
                _fit(pen, c, x, y - 9.5 * MM, w, value, "songti", 9)
                y -= 12 * MM
            x += w + SPINE_GAP
        pages.finish()


def gather(conn, unit, year: int, ledger_keys: list[str] | None = None, *, fonds: str | None = None,
           org_code: str | None = None) -> Binder:
    """The year's records in their volumes: ledger by ledger in their declared order, each record a 件 with its
    attachments (a roster one 件 with all of theirs), each ledger in the volume of its 保管期限."""
    from fazhi_desktop.domain.ledgers import LEDGERS
    from fazhi_desktop.services import attachments, listing, reports_text, retention

    draft = reports_text.load_report_text(conn, unit, year) or {}
    classes = retention.classes_of(unit)
    by_class: dict[str, list[Piece]] = {k: [] for k in RETENTION_ORDER}
    counts: dict[str, int] = {}
    for ledger in LEDGERS:
        if ledger_keys is not None and ledger.key not in ledger_keys:
            continue
        q = listing.ListQuery(ledger.key, year=year, ref_date=draft.get("doc_date"), sort_key=ledger.year_from)
        records = listing.page(conn, unit, q, 0, 10_000_000)
        counts[ledger.key] = len(records)
        files = attachments.list_for_records(conn, [r["id"] for r in records])
        held = [(r, files.get(r["id"], [])) for r in records]
        groups = [held] if ledger.one_piece and held else [[one] for one in held] if not ledger.one_piece else []
        for group in groups:
            by_class[classes[ledger.key]].append(_piece_of(ledger, group, year))
    volumes = [Volume(k, pieces) for k, pieces in by_class.items() if pieces] or [Volume(classes[LEDGERS[0].key], [])]
    for v in volumes:
        for number, piece in enumerate(v.pieces, start=1):
            piece.number = number
    archive = unit.settings.get(ARCHIVE) or {}
    fonds = str(fonds if fonds is not None else archive.get("fonds") or "").strip()
    org_code = str(org_code if org_code is not None else archive.get("org_code") or "").strip()
    # bounded as 设置 bounds them: a value from a package or an old file prints as a code, never as a page of text
    return Binder(unit.name, year, volumes, fonds=fonds[:ARCHIVE_CHARS], org_code=org_code[:ARCHIVE_CHARS],
                  counts=counts)


def _piece_of(ledger: Ledger, held: list[tuple[dict[str, Any], list[dict[str, Any]]]], year: int) -> Piece:
    records = [r for r, _a in held]
    first = records[0]
    date = None if ledger.one_piece else record_date(ledger, first)
    return Piece(0, ledger, records, [a for _r, atts in held for a in atts], piece_title(ledger, first, year),
                 date=date,
                 doc_no="" if ledger.one_piece else doc_number(ledger, first),
                 missing=sum(1 for _r, atts in held if ledger.evidence and not atts),
                 lacking=() if ledger.one_piece else tuple(m.name for m in ledger.materials
                                                           if m.needed(first) and not m.held(held[0][1])))


def make_binder(ctx, year: int, out: str | os.PathLike, ledger_keys: list[str] | None = None,
                progress: Callable[[int, int], None] | None = None, *, fonds: str | None = None,
                org_code: str | None = None) -> Binder:
    """The binder of ``ctx``'s unit, as the GUI and the command line make it: this PC's fonts and clerk, and a
    history line (it names people and carries their photos)."""
    from fazhi_desktop.reports.render import fonts_for
    from fazhi_desktop.services import local, privacy

    privacy.check_export(ctx.engine, ctx.actor)  # it names people and carries their photos: an export
    with ctx.engine.connect() as conn:
        book = gather(conn, ctx.unit, year, ledger_keys, fonds=fonds, org_code=org_code)
    book.compiler = local.clerk(ctx.db) or ""
    write_binder(book, fonts_for(local.fonts(ctx.db), ROLES), out, progress=progress)
    privacy.log_export(ctx.engine, ctx.unit, ctx.actor, f"{year}年台账汇编", out, len(book.pieces))
    return book
