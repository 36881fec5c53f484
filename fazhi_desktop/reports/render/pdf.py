"""PDF rendering with reportlab: draws the positioned glyphs of ``layout`` with embedded TrueType fonts."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from fazhi_desktop.reports.model import Document
from fazhi_desktop.reports.typeset import page as P
from fazhi_desktop.reports.typeset.fonts import FontSet
from fazhi_desktop.reports.typeset.layout import Glyph, Layout, Page
from fazhi_desktop.storage.atomic import atomic_stream


@dataclass
class RenderResult:
    path: Path
    pages: int
    warnings: list[str] = field(default_factory=list)


def _metrics(font: str) -> tuple[float, float]:
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font).face
    return face.ascent / 1000, face.descent / 1000


def baseline_for_slot(glyph: Glyph, slot: int) -> float:
    """Top-down baseline that centres the glyph's box in its grid line."""
    ascent, descent = _metrics(glyph.font)
    centre = P.TOP + slot * P.LINE_PITCH + P.LINE_PITCH / 2
    return centre + (ascent + descent) / 2 * glyph.size


def layout_document(doc: Document, fonts: FontSet, h3_bold: bool = False) -> list[Page]:
    return Layout(fonts, h3_bold).run(doc)


def render_pdf(doc: Document, path: str | os.PathLike, fonts: FontSet | None = None, *, h3_bold: bool = False,
               author: str = "") -> RenderResult:
    from reportlab.pdfgen import canvas

    fonts = fonts or FontSet()
    pages = layout_document(doc, fonts, h3_bold)
    with atomic_stream(path) as tmp:
        # The initial font must be an embedded one, or reportlab references a non-embedded Helvetica.
        c = canvas.Canvas(tmp, pagesize=(P.PAGE_W, P.PAGE_H), pageCompression=1,
                          initialFontName=fonts.names["fangsong"], initialFontSize=P.BODY_SIZE)
        c.setTitle(doc.title)
        c.setAuthor(author or "、".join(doc.issuers))
        c.setCreator("fazhi_desktop 法治建设台账")
        for pg in pages:
            current = None
            for line in pg.lines:
                for g in line.glyphs:
                    if (g.font, g.size) != current:
                        c.setFont(g.font, g.size)
                        current = (g.font, g.size)
                    c.drawString(g.x, P.PAGE_H - baseline_for_slot(g, line.slot), g.ch)
            for g in pg.number_glyphs:
                ascent, _descent = _metrics(g.font)
                top = P.TOP + P.TEXT_H + P.PAGE_NUMBER_GAP
                c.setFont(g.font, g.size)
                c.drawString(g.x, P.PAGE_H - (top + ascent * g.size), g.ch)
            c.showPage()
        c.save()
    return RenderResult(Path(path), len(pages), fonts.warnings())
