"""DOCX rendering with python-docx: same content and page layout, left editable for Word and WPS.

Word lays text out itself, so this renderer sets what Word needs to match the PDF: A4 with the GB/T 9704 margins,
a document grid of 22 lines × 28 characters (linePitch 579), one style per heading level with East-Asian font names,
odd/even footers carrying a PAGE field shaped ``— n —``, and the signature block.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fazhi_desktop.reports import page as P
from fazhi_desktop.reports.fonts import DOCX_NAMES
from fazhi_desktop.reports.model import BODY, H1, H2, H3, H4, Document
from fazhi_desktop.reports.numbers import cn_date
from fazhi_desktop.reports.output import atomic_target

LINE_PITCH_TWIPS = 579
# Extra character pitch relative to the 16 pt default, in 1/4096 pt: 28 characters fill the 156 mm line.
CHAR_SPACE = round((P.CHAR_PITCH - P.BODY_SIZE) * 4096)
PARAGRAPH_STYLES = {H1: ("一级标题", "heiti"), H2: ("二级标题", "kaiti"), H3: ("三级标题", "fangsong"),
                    H4: ("四级标题", "fangsong")}
RUN_STYLES = {H1: "一级标题字符", H2: "二级标题字符", H3: "三级标题字符", H4: "四级标题字符"}


def _east_asian(rpr_owner, name: str) -> None:
    """Set all four font slots; ``w:eastAsia`` is the one that makes Word use the Chinese font."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _style_font(style, role: str, size: float, bold: bool = False) -> None:
    style.font.name = DOCX_NAMES[role]
    style.font.size = Pt(size)
    style.font.bold = bold
    _east_asian(style.element, DOCX_NAMES[role])


def _setup_defaults(doc) -> None:
    """Document defaults: Word and LibreOffice derive the character grid's cell from the default font size."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    for tag in ("w:rFonts", "w:sz", "w:szCs", "w:lang"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), DOCX_NAMES["fangsong"])
    rpr.append(fonts)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(P.BODY_SIZE * 2))
        rpr.append(el)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def _setup_styles(doc, h3_bold: bool) -> None:
    _setup_defaults(doc)
    normal = doc.styles["Normal"]
    _style_font(normal, "fangsong", P.BODY_SIZE)
    pf = normal.paragraph_format
    pf.first_line_indent = None
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = True
    _set_ind_chars(normal.element.get_or_add_pPr(), first=P.INDENT_CHARS * 100)
    for level, (name, role) in PARAGRAPH_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.next_paragraph_style = normal
        style.paragraph_format.keep_with_next = True
        _style_font(style, "heiti" if level == H3 and h3_bold else role, P.BODY_SIZE)
        char = doc.styles.add_style(RUN_STYLES[level], WD_STYLE_TYPE.CHARACTER)
        _style_font(char, "heiti" if level == H3 and h3_bold else role, P.BODY_SIZE)
    title = doc.styles.add_style("公文标题", WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    _style_font(title, "xiaobiaosong", P.TITLE_SIZE)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_ind_chars(title.element.get_or_add_pPr(), first=0)
    # 22 pt title glyphs would each take two 28-per-line cells: the title keeps its own spacing, off the grid.
    _no_snap(title.element.get_or_add_pPr())
    footer = doc.styles.add_style("页码", WD_STYLE_TYPE.PARAGRAPH)
    _style_font(footer, "songti", P.PAGE_NUMBER_SIZE)


def _no_snap(ppr) -> None:
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.append(snap)


def _set_ind_chars(ppr, *, first: int | None = None, left: int | None = None, right: int | None = None) -> None:
    """Indents in hundredths of a character (``w:firstLineChars`` …), which follow the character grid."""
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    if first is not None:
        ind.set(qn("w:firstLineChars"), str(first))
        ind.set(qn("w:firstLine"), str(round(first / 100 * P.CHAR_PITCH * 20)))
    if left is not None:
        ind.set(qn("w:leftChars"), str(left))
        ind.set(qn("w:left"), str(round(left / 100 * P.CHAR_PITCH * 20)))
    if right is not None:
        ind.set(qn("w:rightChars"), str(right))
        ind.set(qn("w:right"), str(round(right / 100 * P.CHAR_PITCH * 20)))


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # The page number's 一字线 stand 7 mm below the text area; a 14 pt line puts the footer's foot here.
    section.footer_distance = Mm(35 - 7) - Pt(P.PAGE_NUMBER_SIZE * 1.2)
    section.header_distance = Mm(15)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    settings = doc.settings.element
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        settings.append(OxmlElement("w:evenAndOddHeaders"))
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(doc, section.footer, odd=True)
    _page_number_footer(doc, section.even_page_footer, odd=False)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
            run = paragraph.add_run()
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
            run._r.append(el)
        else:
            run.text = text


def _page_number_footer(doc, footer, odd: bool) -> None:
    footer.is_linked_to_previous = False
    para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    para.style = doc.styles["页码"]
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    ppr = para._p.get_or_add_pPr()
    # 单页码居右空一字，双页码居左空一字 (one 4号 character).
    if odd:
        para.paragraph_format.right_indent = Pt(P.PAGE_NUMBER_SIZE)
    else:
        para.paragraph_format.left_indent = Pt(P.PAGE_NUMBER_SIZE)
    _no_snap(ppr)
    para.add_run("— ")
    _field(para, "PAGE")
    para.add_run(" —")
    for run in para.runs:
        run.font.size = Pt(P.PAGE_NUMBER_SIZE)
        _east_asian(run._r, DOCX_NAMES["songti"])


def _width_in_chars(text: str) -> float:
    return sum(1 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


LEFT_ISSUER_CENTRE = P.CHARS_PER_LINE * 0.3  # where the first of two joint issuers is centred, in characters


def _issuer_rows(issuers: list[str], date_chars: float) -> list[list[str]]:
    """Two joint issuers to a line when they fit with two characters between them, as the PDF places them."""
    right_centre = P.CHARS_PER_LINE - P.DATE_RIGHT_INDENT_CHARS - date_chars / 2
    rows: list[list[str]] = []
    i = 0
    while i < len(issuers):
        if i + 1 < len(issuers) and LEFT_ISSUER_CENTRE + _width_in_chars(issuers[i]) / 2 + 2 <= \
                right_centre - _width_in_chars(issuers[i + 1]) / 2:
            rows.append(issuers[i:i + 2])
            i += 2
        else:
            rows.append([issuers[i]])
            i += 1
    return rows


def render_docx(doc: Document, path: str | os.PathLike, *, title_break: int | None = None,
                h3_bold: bool = False) -> Path:
    out = new_docx()
    _setup_styles(out, h3_bold)
    _setup_page(out)
    body = out.paragraphs[0] if out.paragraphs else out.add_paragraph()
    body.style = out.styles["公文标题"]
    if title_break:
        body.add_run(doc.title[:title_break]).add_break()
        body.add_run(doc.title[title_break:])
    else:
        body.add_run(doc.title)
    out.add_paragraph()
    if doc.addressee:
        addressee = out.add_paragraph(doc.addressee + "：")
        _set_ind_chars(addressee._p.get_or_add_pPr(), first=0)
    for para in doc.paragraphs:
        if para.level != BODY:
            out.add_paragraph(para.text, style=PARAGRAPH_STYLES[para.level][0])
            continue
        p = out.add_paragraph()
        for span in para.spans:
            run = p.add_run(span.text)
            if span.level != BODY:
                run.style = out.styles[RUN_STYLES[span.level]]
    for _ in range(P.SEAL_GAP_LINES):
        out.add_paragraph()
    date_text = cn_date(doc.date) if doc.date else ""
    date_chars = _width_in_chars(date_text) if date_text else 6.5
    for row in _issuer_rows([i for i in doc.issuers if i], date_chars):
        if len(row) == 2:  # joint issuers side by side (GB/T 9704 联合行文), centred on two tab stops
            p = out.add_paragraph("\t" + row[0] + "\t" + row[1])
            _set_ind_chars(p._p.get_or_add_pPr(), first=0)
            for centre in (LEFT_ISSUER_CENTRE, P.CHARS_PER_LINE - P.DATE_RIGHT_INDENT_CHARS - date_chars / 2):
                p.paragraph_format.tab_stops.add_tab_stop(Pt(centre * P.CHAR_PITCH), WD_TAB_ALIGNMENT.CENTER)
            continue
        name = row[0]
        p = out.add_paragraph(name)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        right = max(0.0, P.DATE_RIGHT_INDENT_CHARS + (date_chars - _width_in_chars(name)) / 2)
        _set_ind_chars(p._p.get_or_add_pPr(), first=0, right=round(right * 100))
    if date_text:
        p = out.add_paragraph(date_text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_ind_chars(p._p.get_or_add_pPr(), first=0, right=P.DATE_RIGHT_INDENT_CHARS * 100)
    props = out.core_properties
    props.title = doc.title
    props.author = "、".join(doc.issuers)
    with atomic_target(path) as tmp:
        out.save(str(tmp))
    return Path(path)
