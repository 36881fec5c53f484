"""Lay the document model out on the GB/T 9704 grid: line breaking (避头尾), pagination, signature, page numbers.

The layout is computed once, as positioned glyphs, so the PDF renderer only draws and the tests can check positions.
Body text sits on a 22 × 28 grid: a full-width character advances exactly one grid cell; half-width characters
(digits, Latin) keep their own width, and a line that ends early because of a break rule is justified.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from fazhi_desktop.reports.content.numbers import cn_date
from fazhi_desktop.reports.model import BODY, H1, H2, H3, H4, Document, Paragraph, Span
from fazhi_desktop.reports.typeset import page as P
from fazhi_desktop.reports.typeset.fonts import FontSet

# Chinese line-breaking rules (report.md): none of these may start a line…
NO_START = set("，。、；：？！）》」』】”’%…" "·—〕,.;:?!)]}")
# …and none of these may end one.
NO_END = set("（《「『【“‘" "〔([{")
# Pairs that are one mark and must not be split (破折号 ——, 省略号 ……).
UNSPLITTABLE = {"—", "…"}
# A full line followed by one of these lets it hang past the right margin rather than pushing the line's last
# character down: the default of Word/WPS (允许标点溢出边界) and LibreOffice, so the DOCX breaks where the PDF does.
# The set is LibreOffice's zh_CN LineBreakHangingCharacters (full-width ones): 「；」 and 「：」 hang there too.
HANGING = set("，。、．：；？！")
# Office suites also put a small gap between Chinese characters and digits or Latin letters by default (Word/WPS
# 自动调整中文与数字的间距). 3.2 pt at 3号 is what LibreOffice sets for the DOCX (measured on a short unjustified line).
AUTOSPACE = 3.2

LEVEL_ROLE = {BODY: "fangsong", H1: "heiti", H2: "kaiti", H3: "fangsong", H4: "fangsong"}


@dataclass
class Glyph:
    ch: str
    font: str  # registered reportlab font name
    size: float
    advance: float
    x: float = 0.0  # left edge, from the page's left edge
    gap: float = 0.0  # part of the advance that is the Chinese/digit gap after it: not needed at a line's end
    condense: float = 0.0  # how much narrower the office suites set it (the DOCX's −0.25 pt character spacing)

    @property
    def fit(self) -> float:
        """The width line breaking counts: as Word/WPS/LibreOffice measure the DOCX, so lines break alike."""
        return self.advance - self.condense


@dataclass
class Line:
    glyphs: list[Glyph]
    slot: int  # 0..21 on its page
    kind: str = "body"  # title | addressee | body | heading | signature | date
    para: int | None = None  # index of the paragraph the line belongs to (body and headings)

    @property
    def text(self) -> str:
        return "".join(g.ch for g in self.glyphs)


@dataclass
class Page:
    lines: list[Line] = field(default_factory=list)
    number: int = 1
    number_glyphs: list[Glyph] = field(default_factory=list)  # the — n — page number


def _is_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".-_/")


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def is_han(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo" and unicodedata.east_asian_width(ch) == "W"


def autospace(glyphs: list[Glyph]) -> None:
    """Where Chinese meets digits or Latin, as the office suites set it: a small gap between a Chinese character and
    a digit or letter (part of the left glyph's advance), and the last character before any change between full- and
    half-width text keeps its whole width (the DOCX's condensing applies only within a run of one kind)."""
    for left, right in zip(glyphs, glyphs[1:], strict=False):
        a, b = left.ch, right.ch
        if (is_han(a) and b.isascii() and b.isalnum()) or (a.isascii() and a.isalnum() and is_han(b)):
            left.advance += AUTOSPACE
            left.gap = AUTOSPACE
        if _is_wide(a) != _is_wide(b):
            left.condense += P.CHAR_SPACING


def break_allowed(prev: str, nxt: str) -> bool:
    if nxt in NO_START or prev in NO_END:
        return False
    if prev == nxt and prev in UNSPLITTABLE:
        return False
    return not (_is_word(prev) and _is_word(nxt))


def break_lines(glyphs: list[Glyph], first_width: float, width: float) -> list[tuple[int, int, float]]:
    """Greedy line breaking with push-out for the 避头尾 rules: (start, end, available width) per line."""
    lines: list[tuple[int, int, float]] = []
    start, avail, n = 0, first_width, len(glyphs)
    while start < n:
        used, end = 0.0, start
        while end < n and used + glyphs[end].fit - glyphs[end].gap <= avail + 0.01:
            used += glyphs[end].fit
            end += 1
        if end == start:  # a single glyph wider than the line: place it anyway
            end = start + 1
        if end < n and glyphs[end].ch in HANGING:
            end += 1  # hangs in the margin
        if end < n:
            cut = end
            while cut > start + 1 and not break_allowed(glyphs[cut - 1].ch, glyphs[cut].ch):
                cut -= 1
            end = cut if cut > start + 1 or break_allowed(glyphs[start].ch, glyphs[start + 1].ch) else end
        lines.append((start, end, avail))
        start, avail = end, width
    return lines


def natural_width(glyphs: list[Glyph], fit: bool = False) -> float:
    total = sum(g.fit if fit else g.advance for g in glyphs)
    return total - (glyphs[-1].gap if glyphs else 0.0)


def place(glyphs: list[Glyph], x0: float, avail: float, justify: bool) -> None:
    """Left to right from x0; a justified line is spread to ``avail`` — or drawn in a little, when the grid's cells
    make a line that fits as the office suites measure it a fraction of a point too long."""
    natural = natural_width(glyphs)
    extra = (avail - natural) / (len(glyphs) - 1) if len(glyphs) > 1 and (justify or natural > avail) else 0.0
    x = x0
    for g in glyphs:
        g.x = x
        x += g.advance + extra


class Layout:
    def __init__(self, fonts: FontSet, h3_bold: bool = False):
        self.fonts = fonts
        self.h3_bold = h3_bold

    # -- glyphs ------------------------------------------------------------------------------------------------------
    def glyphs(self, text: str, role: str, size: float, grid: bool) -> list[Glyph]:
        out = []
        for ch in text:
            font = self.fonts.font_for(role, ch)
            width = self.fonts.width(ch, font, size)
            # Full-width characters snap to the character grid, as Word's document grid does.
            advance = P.CHAR_PITCH * size / P.BODY_SIZE if grid and width >= 0.9 * size else width
            full = size if width >= 0.9 * size else width
            condense = advance - (full + P.CHAR_SPACING) if grid else 0.0
            out.append(Glyph(ch, font, size, advance, condense=condense))
        return out

    def paragraph_glyphs(self, para: Paragraph) -> list[Glyph]:
        out: list[Glyph] = []
        for span in para.spans:
            role = LEVEL_ROLE[span.level]
            if span.level == H3 and self.h3_bold:
                role = "heiti"  # bold is never faked: a bold 仿宋 is not available, 黑体 stands in
            out += self.glyphs(span.text, role, P.BODY_SIZE, grid=True)
        autospace(out)
        return out

    # -- lines -------------------------------------------------------------------------------------------------------
    def title_lines(self, title: str) -> list[list[Glyph]]:
        glyphs = self.glyphs(title, "xiaobiaosong", P.TITLE_SIZE, grid=False)
        total = sum(g.advance for g in glyphs)
        if total <= P.TEXT_W:
            return [glyphs]
        # Two balanced lines, broken where a word ends (after 的/关于/年/和/与/及 or before 报告), never mid-word.
        best, best_score = None, None
        for i in range(1, len(glyphs)):
            left = sum(g.advance for g in glyphs[:i])
            if left > P.TEXT_W or total - left > P.TEXT_W or not break_allowed(glyphs[i - 1].ch, glyphs[i].ch):
                continue
            word_end = title[i - 1] in "的于年和与及" or title[i:].startswith(("报告", "的报告", "工作"))
            score = abs(2 * left - total) - (P.TITLE_SIZE * 3 if word_end else 0)
            if best_score is None or score < best_score:
                best, best_score = i, score
        if best is None:
            return [glyphs[s:e] for s, e, _ in break_lines(glyphs, P.TEXT_W, P.TEXT_W)]
        return [glyphs[:best], glyphs[best:]]

    def body_lines(self, para: Paragraph, indent: bool = True) -> list[list[Glyph]]:
        glyphs = self.paragraph_glyphs(para)
        first = P.TEXT_W - (P.INDENT_CHARS * P.CHAR_PITCH if indent else 0)
        breaks = break_lines(glyphs, first, P.TEXT_W)
        lines = []
        for i, (s, e, avail) in enumerate(breaks):
            line = glyphs[s:e]
            x0 = P.LEFT + (P.TEXT_W - avail)
            if len(line) > 1 and line[-1].ch in HANGING and natural_width(line, fit=True) > avail + 0.01:
                place(line[:-1], x0, avail, justify=True)
                line[-1].x = x0 + avail  # past the margin
            else:
                place(line, x0, avail, justify=i < len(breaks) - 1)
            lines.append(line)
        return lines

    # -- pages -------------------------------------------------------------------------------------------------------
    def run(self, doc: Document) -> list[Page]:
        pages: list[Page] = [Page(number=1)]

        def slot_free() -> int:
            return P.LINES_PER_PAGE - (pages[-1].lines[-1].slot + 1 if pages[-1].lines else 0)

        def add(glyphs: list[Glyph], kind: str, para: int | None = None) -> None:
            if slot_free() <= 0:
                pages.append(Page(number=len(pages) + 1))
            slot = pages[-1].lines[-1].slot + 1 if pages[-1].lines else 0
            pages[-1].lines.append(Line(glyphs, slot, kind, para))

        def skip(n: int) -> None:
            for _ in range(n):
                add([], "blank")

        for glyphs in self.title_lines(doc.title):
            width = sum(g.advance for g in glyphs)
            place(glyphs, P.LEFT + (P.TEXT_W - width) / 2, width, justify=False)
            add(glyphs, "title")
        skip(1)
        if doc.addressee:
            for glyphs in self.body_lines(Paragraph([Span(doc.addressee + "：")]), indent=False):
                add(glyphs, "addressee")

        paragraphs = doc.paragraphs
        broken: dict[int, list] = {}

        def lines_of(n: int) -> list:
            if n not in broken:
                broken[n] = self.body_lines(paragraphs[n])
            return broken[n]

        def opening_lines(n: int) -> int:
            """The lines of paragraph ``n`` that must stand on the page it starts on: all of a short one (≤ 3 lines
            never break), else two (the orphan rule below)."""
            count = len(lines_of(n))
            return count if count <= 3 else 2

        for i, para in enumerate(paragraphs):
            lines = lines_of(i)
            kind = "heading" if para.is_heading_only else "body"
            free = slot_free()
            if 0 < free < P.LINES_PER_PAGE:
                # A heading never ends a page: a heading line goes with as much of the next paragraph as may start
                # a page, and a run-in heading that fills its whole first line goes with the text that follows it.
                alone = para.keep_with_next and i + 1 < len(paragraphs) and len(lines) + opening_lines(i + 1) > free
                run_in = _has_run_in(para) and free == 1 and len(lines) > 1 and \
                    len(para.spans[0].text) >= len(lines[0])
                if alone or run_in:
                    pages.append(Page(number=len(pages) + 1))
                    free = P.LINES_PER_PAGE
            # Widows and orphans: a paragraph that breaks across pages leaves at least two lines on each side.
            break_after = None
            if kind == "body" and len(lines) > free > 0 and free < P.LINES_PER_PAGE:
                if free == 1 or len(lines) <= 3:
                    pages.append(Page(number=len(pages) + 1))  # orphan: the whole paragraph moves on
                elif len(lines) - free == 1:
                    break_after = free - 1  # widow: one more line goes over with the last
            for n, glyphs in enumerate(lines):
                if break_after is not None and n == break_after:
                    pages.append(Page(number=len(pages) + 1))
                add(glyphs, kind, i)

        self._signature(doc, pages, add, skip, slot_free)
        for pg in pages:
            pg.number_glyphs = self._page_number(pg.number)
        return pages

    def _signature(self, doc, pages, add, skip, slot_free) -> None:
        issuers = [i for i in doc.issuers if i]
        if not issuers and not doc.date:
            return
        date_text = cn_date(doc.date) if doc.date else ""
        date_glyphs = self.glyphs(date_text, "fangsong", P.BODY_SIZE, grid=True)
        date_w = sum(g.advance for g in date_glyphs)
        date_right = P.LEFT + P.TEXT_W - P.DATE_RIGHT_INDENT_CHARS * P.CHAR_PITCH
        centre = date_right - date_w / 2 if date_text else date_right - P.CHAR_PITCH * 4
        rows = self._issuer_rows(issuers, centre)
        need = P.SEAL_GAP_LINES + len(rows) + (1 if doc.date else 0)
        if need > slot_free():
            # The signature may not stand on a page without body text: carry body text over with it — two lines of
            # the last paragraph, or all of it when fewer than four of its lines are here (no line stands alone on
            # either page) — and a heading that would then end the page goes too (a heading never ends a page).
            page_lines = pages[-1].lines
            last_para = page_lines[-1].para if page_lines else None
            tail = 0
            while tail < len(page_lines) and last_para is not None and page_lines[-1 - tail].para == last_para:
                tail += 1
            take = tail if tail <= 3 else 2
            carried = [page_lines.pop() for _ in range(max(take, 1 if page_lines else 0))][::-1]
            while pages[-1].lines and pages[-1].lines[-1].kind == "heading":
                carried.insert(0, pages[-1].lines.pop())
            pages.append(Page(number=len(pages) + 1))
            for slot, line in enumerate(carried):
                line.slot = slot
                pages[-1].lines.append(line)
        skip(P.SEAL_GAP_LINES)
        for row in rows:
            add([g for glyphs in row for g in glyphs], "signature")
        if date_text:
            place(date_glyphs, date_right - date_w, date_w, justify=False)
            add(date_glyphs, "date")

    def _issuer_rows(self, issuers: list[str], centre: float) -> list[list[list[Glyph]]]:
        """Issuer names placed on their lines (``page.issuer_rows`` decides which share one); the right one of a
        pair, and a name alone, is centred over the date and kept inside the text area."""
        named = [self.glyphs(name, "fangsong", P.BODY_SIZE, grid=True) for name in issuers]
        widths = [sum(g.advance for g in glyphs) for glyphs in named]
        left_centre = P.LEFT + P.JOINT_LEFT_CENTRE * P.CHAR_PITCH
        rows: list[list[list[Glyph]]] = []
        for row in P.issuer_rows([w / P.CHAR_PITCH for w in widths], (centre - P.LEFT) / P.CHAR_PITCH):
            if len(row) == 2:
                first, second = row
                place(named[first], max(P.LEFT, left_centre - widths[first] / 2), widths[first], justify=False)
            second = row[-1]
            x0 = min(centre - widths[second] / 2, P.LEFT + P.TEXT_W - widths[second])
            place(named[second], x0, widths[second], justify=False)
            rows.append([named[i] for i in row])
        return rows

    def _page_number(self, n: int) -> list[Glyph]:
        glyphs = self.glyphs(f"— {n} —", "songti", P.PAGE_NUMBER_SIZE, grid=False)
        width = sum(g.advance for g in glyphs)
        edge = P.PAGE_NUMBER_SIZE  # 空一字 from the text area's edge
        x0 = P.LEFT + P.TEXT_W - edge - width if n % 2 else P.LEFT + edge
        place(glyphs, x0, width, justify=False)
        return glyphs


def _has_run_in(para: Paragraph) -> bool:
    return len(para.spans) > 1 and para.spans[0].level != BODY
