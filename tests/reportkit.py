"""Helpers for reading generated PDFs back: lines of glyphs grouped by position."""

from __future__ import annotations

import re
from collections import defaultdict

import pdfplumber

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
TOP, BOTTOM, LEFT, RIGHT = 37 * MM, 35 * MM, 28 * MM, 26 * MM
TEXT_BOTTOM = PAGE_H - BOTTOM
PITCH = 28.95
CHAR = (PAGE_W - LEFT - RIGHT) / 28


def page_lines(page) -> list[list[dict]]:
    """Text-area lines of one page (page number excluded), top to bottom, each left to right."""
    rows: dict[float, list[dict]] = defaultdict(list)
    for ch in page.chars:
        centre = (ch["top"] + ch["bottom"]) / 2
        if centre > TEXT_BOTTOM:
            continue
        rows[round(centre, 0)].append(ch)
    return [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


def slot(line: list[dict]) -> float:
    centre = (line[0]["top"] + line[0]["bottom"]) / 2
    return (centre - TOP - PITCH / 2) / PITCH


def text(line: list[dict]) -> str:
    return "".join(c["text"] for c in line)


def page_number_chars(page) -> list[dict]:
    return sorted((c for c in page.chars if (c["top"] + c["bottom"]) / 2 > TEXT_BOTTOM), key=lambda c: c["x0"])


def open_pdf(path):
    return pdfplumber.open(str(path))


def is_full_width(ch: dict) -> bool:
    return ch["x1"] - ch["x0"] >= 0.9 * ch["size"]


def pdf_text(pdf) -> str:
    """All pages' text without line breaks. The report sets a small gap between Chinese and digits (as office suites
    do), which text extraction reads as a space; spaces beside a Chinese character are dropped again."""
    joined = "".join((p.extract_text() or "").replace("\n", "") for p in pdf.pages)
    return re.sub(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])", "", joined)


def document_from_pdf(path):
    """The report's paragraphs as the PDF prints them (for the report linter): a line indented two characters
    starts a paragraph, a line in 黑体 is a level-1 heading; the title and page numbers are left out."""
    from fazhi_desktop.reports.model import Document, Paragraph, Span

    paragraphs: list[Paragraph] = []
    with open_pdf(path) as pdf:
        for page in pdf.pages:
            for line in page_lines(page):
                if not line or line[0]["size"] > 20:  # the title (2号)
                    continue
                words = re.sub(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])", "", text(line))
                heading = "Hei" in line[0]["fontname"]
                starts = heading or line[0]["x0"] > LEFT + 1.5 * CHAR or not paragraphs
                if starts or paragraphs[-1].level == 1:
                    paragraphs.append(Paragraph([Span(words, 1 if heading else 0)], level=1 if heading else 0))
                else:
                    paragraphs[-1].spans[0].text += words
    return Document("", "", paragraphs, [], None)
