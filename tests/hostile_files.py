"""Small workbooks written by hand, exactly as odd as a test needs (hostile-input tests)."""

from __future__ import annotations

import zipfile
from pathlib import Path

HEADER = ["日期", "会议类型", "会议名称/议题"]


def _cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def write_xlsx(path: Path, rows_xml: str, *, merges: str = "", sheet: str = "会议台账", shared: str | None = None,
               extra_sheet: tuple[str, str] | None = None) -> Path:
    """A minimal workbook written by hand, so that it can be exactly as odd as a test needs."""
    sheets = [(sheet, rows_xml, merges), *([(extra_sheet[0], extra_sheet[1], "")] if extra_sheet else [])]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                            f'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                            for i in range(1, len(sheets) + 1))
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
                   'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/'
                   'xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                   f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        entries = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _, _) in
                          enumerate(sheets, start=1))
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
                   'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
                   f'officeDocument/2006/relationships"><sheets>{entries}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
        if shared is not None:
            rels += ('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                     'relationships/sharedStrings" Target="sharedStrings.xml"/>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http:'
                   f'//schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, (_name, body, merge) in enumerate(sheets, start=1):
            merge_xml = f"<mergeCells>{merge}</mergeCells>" if merge else ""
            z.writestr(f"xl/worksheets/sheet{i}.xml", '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://'
                       f'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{body}</sheetData>{merge_xml}'
                       "</worksheet>")
        if shared is not None:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
                fh.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                         b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>')
                piece = b"a" * (1 << 20)
                for _ in range(int(shared)):
                    fh.write(piece)
                fh.write(b"</t></si></sst>")
    return path


def header_row() -> str:
    return '<row r="1">' + "".join(_cell(f"{c}1", h) for c, h in zip("ABC", HEADER, strict=True)) + "</row>"


def meeting_row(r: int, title: str = "会议") -> str:
    return f'<row r="{r}">' + _cell(f"A{r}", "2023-03-01") + _cell(f"B{r}", "其他") + _cell(f"C{r}", title) + "</row>"


KILLERS = {
    "one cell at XFD1048576": (lambda p: write_xlsx(p, header_row() + meeting_row(2) + '<row r="1048576">'
                                                    + _cell("XFD1048576", "x") + "</row>"), "1048576"),
    "300 MB shared string in a small file": (lambda p: write_xlsx(p, header_row() + meeting_row(2), shared="300"),
                                             "过大"),
    "50,000 merged ranges": (lambda p: write_xlsx(p, header_row() + meeting_row(2), merges="".join(
        f'<mergeCell ref="A{r}:C{r}"/>' for r in range(3, 50003))), "合并单元格"),
    "one row merged down 20,000 rows": (lambda p: write_xlsx(p, header_row() + meeting_row(2),
                                                             merges='<mergeCell ref="A2:C20001"/>'), "跨越 20000 行"),
}


def with_dimension(path: Path) -> Path:
    """Rewrite the sheet with a <dimension> of A1:XFD1048576 (the reader may size its grid from it)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>')
    parts["xl/worksheets/sheet1.xml"] = sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def killer_row() -> str:
    return '<row r="1048576">' + _cell("XFD1048576", "x") + "</row>"


def _variant(tmp: Path, change) -> Path:
    """A small valid workbook, then ``change(parts)`` applied to its parts."""
    base = write_xlsx(tmp.with_suffix(".base.xlsx"), header_row() + meeting_row(2))
    parts = parts_of(base)
    change(parts)
    return write_parts(tmp, parts)


def _leading_zeros(parts):
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(b"</sheetData>", b'<row r="0001048576"><c r="XFD0001048576" '
                                                      b't="inlineStr"><is><t>x</t></is></c></row></sheetData>')


def _two_names(path: Path) -> Path:
    return write_xlsx(path, header_row() + meeting_row(2), extra_sheet=("会议台账", header_row() + killer_row()))


def _junk_after_workbook(parts):
    parts["xl/workbook.xml"] += b"<junk/>"
    _killer_sheet(parts)


def _entity_expansion(parts):
    rels = parts["xl/_rels/workbook.xml.rels"]
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>')
    parts["xl/_rels/workbook.xml.rels"] = bomb + rels.split(b"?>", 1)[1]
    _killer_sheet(parts)


def _control_character(parts):
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"<Relationship ",
                                                                                      b"<Relationship \x01", 1)
    _killer_sheet(parts)


def _other_case(parts):
    parts["xl/worksheets/SHEET1.xml"] = parts.pop("xl/worksheets/sheet1.xml").replace(b"</sheetData>",
                                                                                       killer_row().encode()
                                                                                       + b"</sheetData>")


def _killer_sheet(parts):
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(b"</sheetData>",
                                                                                  killer_row().encode() + b"</sheetData>")


def _reused_shared_string(path: Path) -> Path:
    """One 20 MB shared string, referenced by 3,000 cells: a 37 KB file that expands to gigabytes."""
    rows = header_row() + "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, 3002))
    write_xlsx(path, rows)
    parts = parts_of(path)
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
                                     b'.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
                                     + b"a" * (20 << 20) + b"</t></si></sst>")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    return write_parts(path, parts)


def _tiny_ods(path: Path) -> Path:
    """An OpenDocument spreadsheet of under a kilobyte that asks for 9,998 × 10,000 cells."""
    content = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               b'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               b'<table:table table:name="\xe4\xbc\x9a\xe8\xae\xae\xe5\x8f\xb0\xe8\xb4\xa6"><table:table-row '
               b'table:number-rows-repeated="9998"><table:table-cell table:number-columns-repeated="10000">'
               b'<text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet>'
               b'</office:body></office:document-content>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
    return path


# Round 3 (#24): small variants that slipped past the round-2 guard.
BYPASSES = {
    "reference with leading zeros": (lambda p: _variant(p, _leading_zeros), "位置"),
    "two sheets of one name": (_two_names, "同名"),
    "junk after </workbook>": (lambda p: _variant(p, _junk_after_workbook), "无法解析"),
    "entity expansion in the relationships": (lambda p: _variant(p, _entity_expansion), "文档类型声明"),
    "control character in the relationships": (lambda p: _variant(p, _control_character), "无法解析"),
    "sheet part named in another letter case": (lambda p: _variant(p, _other_case), "1048576"),
    "one shared string reused by 3,000 cells": (_reused_shared_string, "32767"),
    "869-byte .ods of 100 million cells": (_tiny_ods, ".xlsx"),
}


def one_shared_string_everywhere(path: Path, rows: int, characters: int) -> Path:
    """``rows`` rows of ten cells, each the same shared string of ``characters`` Chinese characters: a few KB on disk
    that every reader expands to rows × 10 × characters."""
    body = header_row() + "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
                                  + "</row>" for r in range(2, rows + 2))
    write_xlsx(path, body)
    parts = parts_of(path)
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
                                     b'.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
                                     + "会".encode() * characters + b"</t></si></sst>")
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    return write_parts(path, parts)
