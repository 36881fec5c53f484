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
