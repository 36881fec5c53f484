"""台账汇编 (the inspection binder): 封面, 归档文件目录 (DA/T 22: 件号、责任者、文号、题名、日期、页数、备注) with each
件's first page, every record as a printed page, its photos scaled into the A4 芯页 with a caption pre-filled from
the record, its PDF attachments page by page, a 「缺」 page where a record that needs evidence has none, a 备考表 and
spine labels for 20/30/40 mm boxes; one page number sequence throughout.

Laid out twice: a first pass counts each 件's pages (the 目录 must state them before they are drawn), the second
draws. Photos and PDF pages are decoded one at a time and embedded downscaled, so hundreds of photos never sit in
memory at full size. ID numbers are masked as in every output.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fazhi_desktop.domain.fields import Ledger
from fazhi_desktop.reports.content.numbers import cn_date
from fazhi_desktop.reports.typeset.fonts import FontSet
from fazhi_desktop.storage.atomic import atomic_stream

log = logging.getLogger(__name__)

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
# 芯页: the area inside the margins a bound page keeps (left margin wider: the binding side)
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, 20 * MM, 25 * MM, 25 * MM
BODY_W = PAGE_W - LEFT - RIGHT
SPINE_WIDTHS_MM = (20, 30, 40)
SPINE_HEIGHT_MM = 220
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
# Fields whose value names the people and the place in a photo's caption, by ledger
CAPTION_PEOPLE = ("host", "speaker", "leader", "organizer", "person", "parties")
CAPTION_PLACE = ("place", "village")
TOC_COLUMNS = (("件号", 12), ("责任者", 28), ("文号", 22), ("题名", 62), ("日期", 20), ("页数", 12), ("备注", 26))


@dataclass
class Piece:
    """One 件: a record with its attachments."""

    number: int
    ledger: Ledger
    record: dict[str, Any]
    attachments: list[dict[str, Any]]  # with "path" and "is_image"
    title: str = ""
    date: dt.date | None = None
    first_page: int = 0
    pages: int = 0
    missing: bool = False  # needs evidence and has none


@dataclass
class Binder:
    unit_name: str
    year: int
    retention: str
    pieces: list[Piece]
    compiler: str = ""
    total_pages: int = 0
    photos: int = 0
    counts: dict[str, int] = field(default_factory=dict)


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


def _value_text(f, value: Any) -> str:
    shown = f.kind.cell(value)  # ID numbers masked, as in every output
    if shown is None:
        return ""
    if isinstance(shown, dt.datetime):
        return f"{shown:%Y-%m-%d}"
    if isinstance(shown, dt.date):
        return shown.isoformat()
    if isinstance(shown, bool):
        return "是" if shown else "否"
    return str(shown)


LINE = 20  # pt between lines of a record's table
LABEL_W = 38 * MM


def _record_lines(pen: Pen, piece: Piece) -> list[tuple[str, str]]:
    """(label, line) pairs of the record's table, the label only on a field's first line."""
    out = []
    for f in piece.ledger.fields:
        text = _value_text(f, piece.record.get(f.key))
        for i, line in enumerate(pen.wrap(text, BODY_W - LABEL_W - 6, size=12)):
            out.append((f.label if i == 0 else "", line))
    return out


LINES_PER_PAGE = int((PAGE_H - TOP - BOTTOM - 40) // LINE)


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
    lines = len(_record_lines(pen, piece))
    pages = max(1, -(-lines // LINES_PER_PAGE))
    pages += sum(_attachment_pages(a) for a in piece.attachments)
    return pages + (1 if piece.missing else 0)


def lay_out(binder: Binder, fonts: FontSet) -> None:
    """Give every 件 its first page and page count (pass one)."""
    pen = Pen(fonts)
    toc_pages = max(1, -(-len(binder.pieces) // 22))
    page = 1 + toc_pages + 1  # the cover, the 目录, then the first 件
    for piece in binder.pieces:
        piece.pages = _count(pen, piece)
        piece.first_page = page
        page += piece.pages
    binder.total_pages = page - 1 + 2  # the 备考表 and the spine labels
    binder.photos = sum(1 for p in binder.pieces for a in p.attachments if a["is_image"])


def write_binder(binder: Binder, fonts: FontSet, out: str | os.PathLike,
                 progress: Callable[[int, int], None] | None = None) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    lay_out(binder, fonts)
    pen = Pen(fonts)
    with atomic_stream(out) as raw:
        c = Canvas(raw, pagesize=(PAGE_W, PAGE_H), pageCompression=1)
        c.setTitle(f"{binder.unit_name}{binder.year}年度法治建设台账汇编")
        state = {"page": 0}

        def finish(number: bool = True) -> None:
            state["page"] += 1
            if number:
                pen.draw(c, PAGE_W / 2, 12 * MM, f"— {state['page']} —", size=10.5, centre=True)
            c.showPage()

        _cover(c, pen, binder)
        finish(number=False)
        _toc(c, pen, binder, finish)
        for i, piece in enumerate(binder.pieces, start=1):
            assert state["page"] + 1 == piece.first_page, (state["page"], piece.first_page)
            _piece(c, pen, binder, piece, finish)
            if progress:
                progress(i, len(binder.pieces))
        _notes(c, pen, binder)
        finish()
        _spines(c, pen, binder)
        finish()
        c.save()
    return Path(out)


def _cover(c, pen: Pen, b: Binder) -> None:
    pen.draw(c, PAGE_W / 2, PAGE_H - 95 * MM, f"{b.unit_name}", "heiti", 26, centre=True)
    pen.draw(c, PAGE_W / 2, PAGE_H - 115 * MM, f"{b.year}年度法治建设台账汇编", "heiti", 26, centre=True)
    y = 95 * MM
    for label, value in (("编制单位", b.unit_name), ("所属年度", f"{b.year}年"), ("保管期限", b.retention),
                         ("件    数", f"{len(b.pieces)}件"), ("编制日期", cn_date(dt.date.today()))):
        pen.draw(c, 60 * MM, y, f"{label}：{value}", "songti", 16)
        y -= 12 * MM


def _toc(c, pen: Pen, b: Binder, finish) -> None:
    rows = [piece for piece in b.pieces]
    per_page = 22
    for start in range(0, max(1, len(rows)), per_page):
        pen.draw(c, PAGE_W / 2, PAGE_H - TOP, "归档文件目录", "heiti", 18, centre=True)
        y = PAGE_H - TOP - 14 * MM
        x = LEFT - 6 * MM
        widths = [w * MM for _n, w in TOC_COLUMNS]
        c.setLineWidth(0.6)
        c.rect(x, y - 8 * MM * (min(per_page, len(rows) - start) + 1) + 2.5 * MM, sum(widths),
               8 * MM * (min(per_page, len(rows) - start) + 1), stroke=1, fill=0)
        cx = x
        for (name, _w), width in zip(TOC_COLUMNS, widths, strict=True):
            pen.draw(c, cx + width / 2, y - 3 * MM, name, "heiti", 10.5, centre=True)
            cx += width
        for piece in rows[start:start + per_page]:
            y -= 8 * MM
            c.line(x, y + 5.5 * MM, x + sum(widths), y + 5.5 * MM)
            cells = [str(piece.number), b.unit_name, _doc_number(piece), piece.title, f"{piece.date:%Y%m%d}" if piece.date else "",
                     str(piece.pages), f"第{piece.first_page}页起" + ("，缺佐证" if piece.missing else "")]
            cx = x
            for cell, width in zip(cells, widths, strict=True):
                text = cell
                while text and pen.width(text, "songti", 9) > width - 2 * MM:
                    text = text[:-2] + "…"
                pen.draw(c, cx + 1 * MM, y - 3 * MM, text, "songti", 9)
                cx += width
        finish()


def _doc_number(piece: Piece) -> str:
    """文号: a document's own number, or a case's (执法、复议诉讼案号)."""
    for key in ("doc_no", "case_no"):
        if piece.ledger.has(key) and piece.record.get(key):
            return str(piece.record[key])
    return ""


def _heading(c, pen: Pen, piece: Piece, cont: bool) -> None:
    title = f"{piece.ledger.name}　第 {piece.number} 件{'（续）' if cont else ''}"
    pen.draw(c, LEFT, PAGE_H - TOP, title, "heiti", 14)


def _piece(c, pen: Pen, b: Binder, piece: Piece, finish) -> None:
    lines = _record_lines(pen, piece)
    for start in range(0, max(1, len(lines)), LINES_PER_PAGE):
        _heading(c, pen, piece, cont=start > 0)
        y = PAGE_H - TOP - 12 * MM
        for label, line in lines[start:start + LINES_PER_PAGE]:
            if label:
                c.setLineWidth(0.3)
                c.line(LEFT, y + LINE - 5, PAGE_W - RIGHT, y + LINE - 5)
                pen.draw(c, LEFT, y, label, "heiti", 11)
            pen.draw(c, LEFT + LABEL_W, y, line, "songti", 12)
            y -= LINE
        finish()
    for att in piece.attachments:
        if att["is_image"]:
            _photo(c, pen, piece, att)
            finish()
        elif str(att["name"]).lower().endswith(".pdf"):
            _pdf_pages(c, pen, piece, att, finish)
        else:
            pen.draw(c, LEFT, PAGE_H - TOP, f"附件：{att['name']}", "heiti", 14)
            pen.draw(c, LEFT, PAGE_H - TOP - 12 * MM, "此类文件不能打印在汇编中，原件见电子台账。", "songti", 12)
            finish()
    if piece.missing:
        pen.draw(c, PAGE_W / 2, PAGE_H / 2 + 20 * MM, "缺", "heiti", 72, centre=True)
        pen.draw(c, PAGE_W / 2, PAGE_H / 2 - 10 * MM, f"第 {piece.number} 件「{piece.title[:30]}」没有佐证材料（照片、签到表、记录等）。",
                 "songti", 14, centre=True)
        finish()


def caption(piece: Piece, att: dict[str, Any]) -> list[str]:
    """事由、时间、地点、人物、摄影者, from the record (the clerk may correct the record, never the picture)."""
    record = piece.record
    people = "、".join(str(record[k]) for k in CAPTION_PEOPLE if record.get(k) and piece.ledger.has(k))
    place = next((str(record[k]) for k in CAPTION_PLACE if record.get(k) and piece.ledger.has(k)), "")
    when = cn_date(piece.date) if piece.date else ""
    return [f"事由：{piece.title}", f"时间：{when}", f"地点：{place}", f"人物：{people}", f"摄影者：{att.get('added_by', '')}"]


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
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _photo(c, pen: Pen, piece: Piece, att: dict[str, Any]) -> None:
    from PIL import Image, ImageOps

    pen.draw(c, LEFT, PAGE_H - TOP, f"照片　第 {piece.number} 件", "heiti", 14)
    box_top = PAGE_H - TOP - 8 * MM
    box_bottom = BOTTOM + 40 * MM
    try:
        with Image.open(att["path"], formats=PHOTO_FORMATS) as img:
            # A JPEG decodes straight at (about) the size it is printed: a 12-megapixel photo never sits in memory
            # at full size.
            box_px = (int(BODY_W / 72 * IMAGE_DPI), int((box_top - box_bottom) / 72 * IMAGE_DPI))
            img.draft("RGB", (max(box_px), max(box_px)))
            if img.width * img.height > PHOTO_PIXELS:
                raise Image.DecompressionBombError(f"{img.width}×{img.height}")
            _embed(c, ImageOps.exif_transpose(img), BODY_W, box_top - box_bottom, LEFT, box_bottom)
    except Exception as exc:  # noqa: BLE001 - decoders raise many kinds (OSError, SyntaxError, struct.error, …)
        # a damaged or hostile picture costs its own page, never the binder
        log.info("photo %s not printed: %s", att["name"], type(exc).__name__)
        pen.draw(c, LEFT, PAGE_H / 2, f"照片「{att['name']}」无法读取，原件见电子台账。", "songti", 12)
    _release()
    y = box_bottom - 8 * MM
    for line in caption(piece, att):
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


def _notes(c, pen: Pen, b: Binder) -> None:
    pen.draw(c, PAGE_W / 2, PAGE_H - TOP, "备考表", "heiti", 18, centre=True)
    missing = sum(1 for p in b.pieces if p.missing)
    y = PAGE_H - TOP - 20 * MM
    lines = [f"本盒（册）共 {len(b.pieces)} 件，{b.total_pages} 页（含封面、目录、备考表和脊背标签页），照片 {b.photos} 张。",
             f"缺佐证材料的 {missing} 件，已在相应位置放入「缺」页。" if missing else "各件佐证材料齐全。",
             "身份证号按规定隐藏中间位。", "", f"立卷人：{b.compiler or '　　　　　　'}", "检查人：　　　　　　",
             f"立卷时间：{cn_date(dt.date.today())}"]
    for line in lines:
        for part in pen.wrap(line, BODY_W, "songti", 14):
            pen.draw(c, LEFT, y, part, "songti", 14)
            y -= 10 * MM


def _spines(c, pen: Pen, b: Binder) -> None:
    """脊背: one label for each box width, drawn at its exact size (cut along the line, glue to the box)."""
    pen.draw(c, LEFT, PAGE_H - TOP, "档案盒脊背标签（沿线剪下，按盒脊宽度选用）", "heiti", 12)
    x = LEFT
    top = PAGE_H - TOP - 10 * MM
    for width_mm in SPINE_WIDTHS_MM:
        w, h = width_mm * MM, SPINE_HEIGHT_MM * MM
        c.setLineWidth(0.5)
        c.rect(x, top - h, w, h, stroke=1, fill=0)
        pen.draw(c, x + w / 2, top - h - 5 * MM, f"{width_mm}mm", "songti", 8, centre=True)
        size = min(14.0, w * 0.6)
        y = top - 12 * MM
        for ch in f"{b.unit_name}{b.year}年法治建设台账":
            pen.draw(c, x + w / 2, y, ch, "heiti", size, centre=True)
            y -= size * 1.15
        pen.draw(c, x + w / 2, top - h + 8 * MM, b.retention[:4], "songti", min(9.0, w * 0.4), centre=True)
        x += w + 12 * MM


def gather(conn, unit, year: int, ledger_keys: list[str] | None = None) -> Binder:
    """The year's records, ledger by ledger in their declared order, each with its attachments."""
    from fazhi_desktop.domain.ledgers import LEDGERS
    from fazhi_desktop.services import attachments, listing, reports_text

    draft = reports_text.load_report_text(conn, unit, year) or {}
    pieces: list[Piece] = []
    counts: dict[str, int] = {}
    for ledger in LEDGERS:
        if ledger_keys is not None and ledger.key not in ledger_keys:
            continue
        q = listing.ListQuery(ledger.key, year=year, ref_date=draft.get("doc_date"), sort_key=ledger.year_from)
        records = listing.page(conn, unit, q, 0, 10_000_000)
        counts[ledger.key] = len(records)
        for record in records:
            atts = attachments.list_for(conn, record["id"])
            date = record.get(ledger.year_from)
            piece = Piece(len(pieces) + 1, ledger, record, atts,
                          title=_value_text(ledger.field(ledger.title_field), record.get(ledger.title_field)) or ledger.name,
                          date=date if isinstance(date, dt.date) else None)
            piece.missing = ledger.evidence and not atts
            pieces.append(piece)
    return Binder(unit.name, year, str(unit.settings.get("retention") or "定期30年"), pieces, counts=counts)


def make_binder(ctx, year: int, out: str | os.PathLike, ledger_keys: list[str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> Binder:
    """The binder of ``ctx``'s unit, as the GUI and the command line make it: this PC's fonts and clerk, and a
    history line (it names people and carries their photos)."""
    from fazhi_desktop.reports.render import fonts_for
    from fazhi_desktop.services import local, privacy

    privacy.check_export(ctx.engine, ctx.actor)  # it names people and carries their photos: an export
    with ctx.engine.connect() as conn:
        book = gather(conn, ctx.unit, year, ledger_keys)
    book.compiler = local.clerk(ctx.db) or ""
    write_binder(book, fonts_for(local.fonts(ctx.db), ROLES), out, progress=progress)
    privacy.log_export(ctx.engine, ctx.unit, ctx.actor, f"{year}年台账汇编", out, len(book.pieces))
    return book
