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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

from fazhi_desktop.reports.content.numbers import cn_date
from fazhi_desktop.reports.model import BODY, H1, H2, H3, H4, Document
from fazhi_desktop.reports.typeset import page as P
from fazhi_desktop.reports.typeset.fonts import DOCX_NAMES
from fazhi_desktop.reports.typeset.layout import AUTOSPACE, is_han
from fazhi_desktop.storage.atomic import atomic_stream

LINE_PITCH_TWIPS = 579  # 22 lines in the 225 mm text area
# A "lines" grid plus −0.25 pt character spacing gives 28 characters of 15.75 pt on the 156 mm line in Word, WPS and
# LibreOffice alike (LibreOffice spreads characters under a linesAndChars grid with a negative charSpace).
CHAR_SPACING_TWENTIETHS = round(P.CHAR_SPACING * 20)
# Windows offices without the GB2312 fonts find these instead (font table alternates).
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "华文中宋"}
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
PARAGRAPH_STYLES = {H1: ("一级标题", "heiti"), H2: ("二级标题", "kaiti"), H3: ("三级标题", "fangsong"),
                    H4: ("四级标题", "fangsong")}
# w:pPr's children in the order of the schema (ECMA-376 CT_PPrBase, then CT_PPr's own).
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
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
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Twips(LINE_PITCH_TWIPS)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(CHAR_SPACING_TWENTIETHS))
    normal.element.get_or_add_rPr().append(spacing)
    # Hanging punctuation and the quarter-em between Chinese and digits/Latin stay at the office suites' defaults
    # (on): the PDF layout does the same (layout.HANGING, layout.AUTOSPACE), so lines break alike.
    _set_ind_chars(normal.element.get_or_add_pPr(), first=P.INDENT_CHARS * 100)
    for level, (name, role) in PARAGRAPH_STYLES.items():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.next_paragraph_style = normal
        style.paragraph_format.keep_with_next = True
        _style_font(style, "heiti" if level == H3 and h3_bold else role, P.BODY_SIZE)
        # The navigation pane and a table of contents see the headings (一级标题 is outline level 1, …).
        _ppr_flag(style.element.get_or_add_pPr(), "w:outlineLvl", str(level - H1))
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
    footer.base_style = None  # nothing to inherit: no first-line indent, no grid spacing
    _style_font(footer, "songti", P.PAGE_NUMBER_SIZE)
    fpf = footer.paragraph_format
    fpf.space_before = fpf.space_after = Pt(0)
    fpf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _set_ind_chars(footer.element.get_or_add_pPr(), first=0)


def _ppr_flag(ppr, tag: str, value: str) -> None:
    """Set a paragraph property in the place the schema gives it (Word refuses a file with them out of order)."""
    old = ppr.find(qn(tag))
    if old is not None:
        ppr.remove(old)
    el = OxmlElement(tag)
    el.set(qn("w:val"), value)
    ppr.insert_element_before(el, *PPR_ORDER[PPR_ORDER.index(tag) + 1:])


def _no_snap(ppr) -> None:
    _ppr_flag(ppr, "w:snapToGrid", "0")


def _set_ind_chars(ppr, *, first: int | None = None, left: int | None = None, right: int | None = None) -> None:
    """Indents in hundredths of a character (``w:firstLineChars`` …), which follow the character grid."""
    ind = ppr.get_or_add_ind()
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
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    if qn("w:charSpace") in grid.attrib:
        del grid.attrib[qn("w:charSpace")]
    settings = doc.settings.element
    if settings.find(qn("w:evenAndOddHeaders")) is None:
        settings.append(OxmlElement("w:evenAndOddHeaders"))
    doc.settings.odd_and_even_pages_header_footer = True
    # Punctuation keeps its full cell (no compression), as in the PDF's grid.
    control = settings.find(qn("w:characterSpacingControl"))
    if control is None:
        control = OxmlElement("w:characterSpacingControl")
        settings.append(control)
    control.set(qn("w:val"), "doNotCompress")
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


def _suite_width_in_chars(text: str) -> float:
    """The width Word/WPS/LibreOffice give ``text``: half a cell for digits and Latin, plus the gap they put where
    Chinese meets them (layout.AUTOSPACE, which the body's line breaking counts too)."""
    gaps = sum(1 for a, b in zip(text, text[1:], strict=False) if is_han(a) != is_han(b) and (a.isascii() or b.isascii())
               and (a + b).strip().isalnum())
    return _width_in_chars(text) + gaps * AUTOSPACE / P.CHAR_PITCH


def _properties(out, doc: Document, author: str | None) -> None:
    """The file's own details: the unit as author, today's dates, nothing about the tool that wrote it."""
    import datetime as dt

    props = out.core_properties
    now = dt.datetime.now().replace(microsecond=0)
    props.title = doc.title
    props.author = props.last_modified_by = author or "、".join(doc.issuers)
    props.created = props.modified = now
    props.comments = props.keywords = props.subject = props.category = ""
    props.revision = 1


def _drop_unused_styles(out) -> None:
    """Only the styles the report uses (and Word's required defaults): no list of unused English styles."""
    styles = out.styles.element
    used: set[str] = set()
    parts = [out.element, *(s.footer._element for s in out.sections), *(s.even_page_footer._element
                                                                        for s in out.sections)]
    for part in parts:
        used |= {el.get(qn("w:val")) for el in part.iter(qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))}
    by_id = {st.get(qn("w:styleId")): st for st in styles.findall(qn("w:style"))}
    keep = set(KEEP_STYLES) | used
    changed = True
    while changed:  # what the kept styles are based on, link to or hand over to
        changed = False
        for sid in list(keep):
            st = by_id.get(sid)
            if st is None:
                continue
            for tag in ("w:basedOn", "w:next", "w:link"):
                el = st.find(qn(tag))
                if el is not None and el.get(qn("w:val")) not in keep:
                    keep.add(el.get(qn("w:val")))
                    changed = True
    for sid, st in by_id.items():
        if sid not in keep:
            styles.remove(st)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for part in out.part.package.iter_parts():
        if str(part.partname) == "/word/stylesWithEffects.xml":
            out.part.drop_rel(next(r for r, rel in out.part.rels.items() if rel.target_part is part))
            break


def _font_alternates(out) -> None:
    """fontTable.xml names each Chinese font with an alternate a plain Windows has (仿宋 for 仿宋_GB2312…)."""
    from lxml import etree

    for part in out.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = etree.fromstring(part.blob)
        w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        for name in [*DOCX_NAMES.values(), "黑体", "宋体"]:
            font = next((f for f in root.findall(f"{{{w}}}font") if f.get(f"{{{w}}}name") == name), None)
            if font is None:
                font = etree.SubElement(root, f"{{{w}}}font")
                font.set(f"{{{w}}}name", name)
                charset = etree.SubElement(font, f"{{{w}}}charset")
                charset.set(f"{{{w}}}val", "86")  # GB2312
                family = etree.SubElement(font, f"{{{w}}}family")
                family.set(f"{{{w}}}val", "modern" if "宋" in name or "仿" in name else "auto")
            if name in ALT_NAMES and font.find(f"{{{w}}}altName") is None:
                alt = etree.Element(f"{{{w}}}altName")
                alt.set(f"{{{w}}}val", ALT_NAMES[name])
                font.insert(0, alt)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


JAPANESE_FONTS = ("ＭＳ 明朝", "ＭＳ ゴシック")
APP_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/'
           'officeDocument/2006/extended-properties"><Application>{app}</Application><DocSecurity>0</DocSecurity>'
           '<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
           '<HyperlinksChanged>false</HyperlinksChanged></Properties>')


def _clean_package(out) -> None:
    """What python-docx's own template leaves behind, taken out: a Japanese theme language and theme fonts, the
    Japanese fonts in the font table, app.xml's claim to be "Microsoft Macintosh Word" with zero pages and words,
    a blank thumbnail and an empty bibliography. Word and WPS then see a Chinese document from this program."""
    from lxml import etree

    from fazhi_desktop import __version__

    settings = out.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    package = out.part.package
    for part in package.iter_parts():
        name = str(part.partname)
        if name == "/word/theme/theme1.xml":
            root = etree.fromstring(part.blob)
            a = "http://schemas.openxmlformats.org/drawingml/2006/main"
            for font in list(root.iter(f"{{{a}}}font")):  # a list: fonts are removed as it goes
                if font.get("script") == "Jpan":
                    font.getparent().remove(font)
                elif font.get("script") == "Hans":
                    font.set("typeface", "宋体")
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        elif name == "/word/fontTable.xml":
            root = etree.fromstring(part.blob)
            w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            for font in root.findall(f"{{{w}}}font"):
                if font.get(f"{{{w}}}name") in JAPANESE_FONTS:
                    root.remove(font)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        elif name == "/docProps/app.xml":
            part._blob = APP_XML.format(app=f"法治建设台账与年度报告 {__version__}").encode("utf-8")
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            package.rels.pop(rid)
    for rid, rel in list(out.part.rels.items()):
        if rel.reltype.endswith("/relationships/customXml"):
            out.part.rels.pop(rid)


def render_docx(doc: Document, path: str | os.PathLike, *, title_break: int | None = None,
                h3_bold: bool = False, author: str | None = None) -> Path:
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
    if out.paragraphs:
        out.paragraphs[-1].paragraph_format.keep_with_next = True  # the 落款 never stands alone on a page
    for _ in range(P.SEAL_GAP_LINES):
        out.add_paragraph().paragraph_format.keep_with_next = True
    date_text = cn_date(doc.date) if doc.date else ""
    # The issuer is centred on the date as the suites set it: with their gap between 年/月/日 and the digits (about
    # a character in all; centred on the gap-free width the issuer sat 3 mm off).
    date_chars = _suite_width_in_chars(date_text) if date_text else 6.5
    issuers = [i for i in doc.issuers if i]
    right_centre = P.CHARS_PER_LINE - P.DATE_RIGHT_INDENT_CHARS - date_chars / 2
    for indexes in P.issuer_rows([_width_in_chars(name) for name in issuers], right_centre):
        row = [issuers[i] for i in indexes]
        if len(row) == 2:  # joint issuers side by side (GB/T 9704 联合行文), centred on two tab stops
            p = out.add_paragraph("\t" + row[0] + "\t" + row[1])
            _set_ind_chars(p._p.get_or_add_pPr(), first=0)
            for centre in (P.JOINT_LEFT_CENTRE, right_centre):
                p.paragraph_format.tab_stops.add_tab_stop(Pt(centre * P.CHAR_PITCH), WD_TAB_ALIGNMENT.CENTER)
            p.paragraph_format.keep_with_next = bool(date_text)
            continue
        name = row[0]
        p = out.add_paragraph(name)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        right = max(0.0, P.DATE_RIGHT_INDENT_CHARS + (date_chars - _width_in_chars(name)) / 2)
        _set_ind_chars(p._p.get_or_add_pPr(), first=0, right=round(right * 100))
        p.paragraph_format.keep_with_next = bool(date_text)
    if date_text:
        p = out.add_paragraph(date_text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_ind_chars(p._p.get_or_add_pPr(), first=0, right=P.DATE_RIGHT_INDENT_CHARS * 100)
    _properties(out, doc, author)
    _drop_unused_styles(out)
    _font_alternates(out)
    _clean_package(out)
    with atomic_stream(path) as tmp:
        out.save(tmp)
    return Path(path)
