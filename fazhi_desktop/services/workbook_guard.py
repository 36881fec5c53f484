"""Looking at a workbook before reading it: a file from a village or another office must not be able to take the
program down, however it was made.

An .xlsx is a zip of XML parts. The reader (calamine) builds each sheet as a dense grid from its first to its last
cell, so one cell at XFD1048576 asks for 17 billion cells, and a 1 MB file may hold a 1 GB shared string. Here the
zip's declared sizes are checked, and the parts of the sheets an import reads are scanned (streamed, with a regular
expression over the raw XML — no tree is built) for their last row and column and their merged ranges, all before the
reader sees the file. Limits are documented in README.md (导入的限制).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from fazhi_desktop.domain.errors import UserError

MAX_FILE_BYTES = 100 * 1024 * 1024  # the file as it is on disk
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # all parts, as declared by the zip
MAX_PART_BYTES = 200 * 1024 * 1024  # one part (a sheet, the shared strings)
MAX_PARTS = 5_000
MAX_ROWS = 100_000  # rows of one sheet — and of a whole import
MAX_COLUMNS = 200
MAX_CELLS = 4_000_000  # rows × columns of one sheet's grid
MAX_MERGES = 5_000  # merged ranges of one sheet
MAX_MERGE_ROWS = 100  # one merged range may span at most this many rows
_CHUNK = 1 << 20
_MAX_TAG = 1 << 20  # no tag of a real workbook is this long

# Every `r="…"` attribute, however spaced or quoted: a row number on <row>, a cell reference on <c> (an attribute of
# another name ending in r only over-counts, which errs on the safe side). One findall per piece, reduced in C: a
# Python step per cell cost as much as the reading itself.
_REFERENCE = re.compile(rb"r\s*=\s*[\"']([A-Z]{0,4})(\d{1,9})[\"']")
_MERGE = re.compile(rb"mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?[\"']")
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


@dataclass(frozen=True)
class SheetShape:
    name: str
    rows: int
    columns: int
    merges: int


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def _refuse(name: str, why: str) -> UserError:
    return UserError(f"「{name}」无法导入：{why}")


def sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the zip part holding it, from the workbook part and its relationships."""
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    out = {}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        out[sheet.get("name", "")] = part
    return out


def _scan(z: zipfile.ZipFile, part: str, name: str, file_name: str) -> SheetShape:
    """Last row and column and the merged ranges of one sheet part, read in 1 MB pieces."""
    rows = columns = merges = 0
    tail = b""
    with z.open(part) as fh:
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            # A tag cut at the end of the piece is scanned again with the next one.
            cut = data.rfind(b"<")
            body, tail = (data[:cut], data[cut:]) if cut > data.rfind(b">") else (data, b"")
            if len(tail) > _MAX_TAG:
                raise _refuse(file_name, f"工作表「{name}」的结构异常，可能不是 Excel 保存的工作簿。")
            found = _REFERENCE.findall(body)
            if found:
                letters, numbers = zip(*found, strict=True)
                rows = max(rows, max(map(int, numbers)))
                columns = max(columns, max(map(column_number, set(letters))))
            for m in _MERGE.finditer(body):
                merges += 1
                if m[3]:
                    top, bottom = int(m[2]), int(m[4])
                    if bottom - top + 1 > MAX_MERGE_ROWS:
                        ref = f"{m[1].decode()}{m[2].decode()}:{m[3].decode()}{m[4].decode()}"
                        raise _refuse(file_name, f"工作表「{name}」的合并单元格 {ref} 跨越 {bottom - top + 1} 行"
                                                 f"（最多 {MAX_MERGE_ROWS} 行）。请取消这个合并后再导入。")
                    columns = max(columns, column_number(m[3]))
                    rows = max(rows, bottom)
            if rows > MAX_ROWS or columns > MAX_COLUMNS or merges > MAX_MERGES:
                break
    return SheetShape(name, rows, columns, merges)


def inspect(path: Path, wanted: Callable[[str], bool]) -> list[SheetShape]:
    """Refuse (``UserError``, Chinese) a workbook the reader could not read in bounded time and memory; return the
    shapes of the sheets ``wanted`` selects."""
    name = path.name
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(name, f"文件有 {size // 1024 // 1024} MB，超过了 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限。"
                            "请只保留要导入的台账工作表，或分成几个工作簿导入。")
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(name, f"不是有效的 Excel 工作簿（.xlsx）或文件已损坏（{exc}）") from exc
    with z:
        infos = z.infolist()
        if len(infos) > MAX_PARTS:
            raise _refuse(name, "文件结构异常（包含的部件过多），可能不是 Excel 保存的工作簿。")
        unpacked = sum(i.file_size for i in infos)
        biggest = max(infos, key=lambda i: i.file_size, default=None)
        if unpacked > MAX_UNPACKED_BYTES or (biggest and biggest.file_size > MAX_PART_BYTES):
            raise _refuse(name, f"解压后的内容过大（{unpacked // 1024 // 1024} MB），可能含有异常的超长文字或大量空白格式。"
                                "请在 Excel 或 WPS 中把要导入的内容复制到新工作簿后再导入。")
        shapes = []
        total_rows = 0
        for sheet, part in sheet_parts(z).items():
            if not wanted(sheet) or part not in z.NameToInfo:
                continue
            try:
                shape = _scan(z, part, sheet, name)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise _refuse(name, f"工作表「{sheet}」已损坏（{exc}）") from exc
            where = f"工作表「{sheet}」"
            if shape.rows > MAX_ROWS:
                raise _refuse(name, f"{where}用到了第 {shape.rows} 行，超过了 {MAX_ROWS} 行的上限。"
                                    "如果下方只有空白格式，请删除这些空行后再导入。")
            if shape.columns > MAX_COLUMNS:
                raise _refuse(name, f"{where}用到了第 {column_letters(shape.columns)} 列，超过了 {MAX_COLUMNS} 列的上限。"
                                    "请删除右侧多余的列后再导入。")
            if shape.rows * shape.columns > MAX_CELLS:
                raise _refuse(name, f"{where}的范围过大（{shape.rows} 行 × {shape.columns} 列）。请删除多余的行和列后再导入。")
            if shape.merges > MAX_MERGES:
                raise _refuse(name, f"{where}有 {shape.merges} 处以上合并单元格（最多 {MAX_MERGES} 处）。请取消合并后再导入。")
            total_rows += shape.rows
            if total_rows > MAX_ROWS:
                raise _refuse(name, f"各台账工作表合计超过 {MAX_ROWS} 行，一次导入不能超过这么多。请分成几个工作簿导入。")
            shapes.append(shape)
        return shapes
