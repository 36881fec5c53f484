"""Looking at a workbook before reading it: a file from a village or another office must not be able to take the
program down, however it was made.

An .xlsx is a zip of XML parts. The reader (calamine) builds each sheet as a dense grid from its first to its last
cell, so one cell at XFD1048576 asks for 17 billion cells, and a 1 MB file may hold a 1 GB shared string. Here the
zip's declared sizes are checked, and the parts an import reads are scanned (streamed, with regular expressions
over the raw XML — no tree is built) for their last row and column, merged ranges, over-long texts and formulas,
all before the reader sees the file.

The guard fails closed: whatever it cannot understand — a part it cannot parse, a DOCTYPE, two sheets of one name,
two parts whose names differ only in letter case, a cell without a position, a reference it cannot read, a file
that is not an .xlsx — is refused with a message, never waved through. (The reader still runs in a child process
with hard limits: ``exchange.reader``.) Limits are documented in README.md (导入的限制).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from fazhi_desktop.domain.errors import UserError

MAX_FILE_BYTES = 100 * 1024 * 1024  # the file as it is on disk
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # all parts, as declared by the zip
MAX_PART_BYTES = 200 * 1024 * 1024  # one part (a sheet, the shared strings)
MAX_INDEX_PART_BYTES = 10 * 1024 * 1024  # the workbook part and its relationships
MAX_PARTS = 5_000
MAX_ROWS = 100_000  # rows of one sheet — and of a whole import
MAX_COLUMNS = 200
MAX_CELLS = 4_000_000  # rows × columns of one sheet's grid
MAX_MERGES = 5_000  # merged ranges of one sheet
MAX_MERGE_ROWS = 100  # one merged range may span at most this many rows
MAX_TEXT_BYTES = 32_767 * 4  # Excel's own limit for one cell's text is 32,767 characters (≤ 4 bytes each)
EXCEL_LAST_ROW = 1_048_576
_CHUNK = 1 << 20
_MAX_TAG = 1 << 20  # no tag of a real workbook is this long

_REFERENCE = re.compile(rb"\sr\s*=\s*[\"']([^\"']*)[\"']")
_PLAIN_REF = re.compile(rb"([A-Za-z]{0,3})([0-9]{1,7})")
_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
# A cell or row element without an r attribute in its tag (one search, not two counts: #38)
_WITHOUT_REF = re.compile(rb"<(?:\w+:)?(?:c|row)(?=[\s/>])(?![^>]*?\sr\s*=)")
# Every reference of a piece at once: each ended by a quote (no value holds one), all plain, then their digits
# and letters
_PLAIN_REFS = re.compile(rb"(?:[A-Za-z]{0,3}[0-9]{1,7}\")*")
_DIGITS = re.compile(rb"[0-9]+")
_LETTERS = re.compile(rb"[A-Za-z]+")
_MERGE = re.compile(rb"mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z]+)(\d+)(?::([A-Za-z]+)(\d+))?[\"']")
_FORMULA_CELL = re.compile(rb"<(?:\w+:)?c(?:\s[^>]*?)?\sr\s*=\s*[\"']([A-Za-z]+)(\d+)[\"'][^>]*(?<!/)>"
                           rb"(?:(?!</(?:\w+:)?c>|<(?:\w+:)?c[\s/>]).){0,400}?<(?:\w+:)?f[\s/>]", re.S)
_LONG_TEXT = re.compile(rb">[^<]{%d,}" % MAX_TEXT_BYTES)
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY", b"<!doctype", b"<!entity")
# What reading a damaged zip or part raises: the file's fault, said as such.
_UNREADABLE = (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError)
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


@dataclass(frozen=True)
class SheetShape:
    name: str
    rows: int
    columns: int
    merges: int
    formulas: frozenset[tuple[int, int]] = field(default=frozenset())  # (row, column), 1-based, of formula cells


def column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
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


def _resave(name: str, what: str) -> UserError:
    return _refuse(name, f"{what}，可能不是 Excel 或 WPS 保存的工作簿。请在 Excel 或 WPS 中打开并“另存为” .xlsx 后再导入。")


class _Parts:
    """The zip's parts by name, compared without letter case as the reader does; two names that differ only in
    case make the file ambiguous and are refused."""

    def __init__(self, z: zipfile.ZipFile, file_name: str):
        self.z = z
        self.by_lower: dict[str, zipfile.ZipInfo] = {}
        for info in z.infolist():
            key = info.filename.lower()
            if key in self.by_lower:
                raise _resave(file_name, f"文件中有两个名称只差大小写的部件（{info.filename}）")
            self.by_lower[key] = info

    def get(self, name: str) -> zipfile.ZipInfo | None:
        return self.by_lower.get(name.lstrip("/").lower())


def _parse(parts: _Parts, name: str, file_name: str) -> ElementTree.Element:
    info = parts.get(name)
    if info is None:
        raise _resave(file_name, f"缺少部件 {name}")
    if info.file_size > MAX_INDEX_PART_BYTES:
        raise _resave(file_name, f"部件 {name} 异常大")
    data = parts.z.read(info)
    if any(mark in data for mark in _DECLARATIONS):
        raise _resave(file_name, f"部件 {name} 含有文档类型声明")
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise _resave(file_name, f"部件 {name} 无法解析（{exc}）") from exc


def sheet_parts(parts: _Parts, file_name: str) -> dict[str, zipfile.ZipInfo]:
    """Sheet name → the zip part holding it, from the workbook part and its relationships; refuses anything the
    reader might resolve differently."""
    book = _parse(parts, "xl/workbook.xml", file_name)
    rels = _parse(parts, "xl/_rels/workbook.xml.rels", file_name)
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    out: dict[str, zipfile.ZipInfo] = {}
    seen: dict[str, str] = {}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        name = sheet.get("name", "")
        key = name.strip().casefold()
        if key in seen:
            raise _refuse(file_name, f"有两个同名的工作表「{seen[key]}」和「{name}」（名称只差空格或大小写），请改名后再导入。")
        seen[key] = name
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        if not target:
            raise _resave(file_name, f"工作表「{name}」找不到对应的部件")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        info = parts.get(part)
        if info is None or part.startswith(".."):
            raise _resave(file_name, f"工作表「{name}」的部件 {target} 不存在")
        out[name] = info
    return out


def _scan(parts: _Parts, info: zipfile.ZipInfo, name: str, file_name: str) -> SheetShape:
    """Last row and column, merged ranges, formula cells and over-long texts of one sheet part, in 1 MB pieces."""
    rows = columns = merges = 0
    formulas: set[tuple[int, int]] = set()
    tail = b""
    where = f"工作表「{name}」"
    with parts.z.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            body, tail = _split(data)
            if len(tail) > _MAX_TAG:
                raise _resave(file_name, f"{where}的结构异常")
            if any(mark in body for mark in _DECLARATIONS):
                raise _resave(file_name, f"{where}含有文档类型声明")
            if _WITHOUT_REF.search(body):
                raise _resave(file_name, f"{where}中有单元格缺少位置信息")
            found = _REFERENCE.findall(body)
            references = b'"'.join(found) + b'"'  # a quote ends every value: none can hold one
            if found and not _PLAIN_REFS.fullmatch(references):
                value = next(v for v in found if not _PLAIN_REF.fullmatch(v))
                raise _resave(file_name, f"{where}中有无法识别的单元格位置「{value[:20].decode(errors='replace')}」")
            rows = max(rows, max(map(int, _DIGITS.findall(references)), default=0))
            columns = max(columns, max(map(column_number, set(_LETTERS.findall(references))), default=0))
            if _LONG_TEXT.search(body):
                raise _refuse(file_name, f"{where}中有单元格的文字超过 32767 个字符（Excel 的上限），文件可能被改动过。")
            for m in _MERGE.finditer(body):
                merges += 1
                if m[3]:
                    top, bottom = int(m[2]), int(m[4])
                    if bottom - top + 1 > MAX_MERGE_ROWS:
                        ref = f"{m[1].decode()}{m[2].decode()}:{m[3].decode()}{m[4].decode()}"
                        raise _refuse(file_name, f"{where}的合并单元格 {ref} 跨越 {bottom - top + 1} 行"
                                                 f"（最多 {MAX_MERGE_ROWS} 行）。请取消这个合并后再导入。")
                    columns = max(columns, column_number(m[3]))
                    rows = max(rows, bottom)
            if b"f" in body and (b"<f" in body or b":f" in body):
                formulas.update((int(m[2]), column_number(m[1])) for m in _FORMULA_CELL.finditer(body))
            if rows > MAX_ROWS or columns > MAX_COLUMNS or merges > MAX_MERGES:
                break
    if rows > EXCEL_LAST_ROW or columns > 16_384:
        raise _resave(file_name, f"{where}的单元格位置超出了 Excel 的范围")
    return SheetShape(name, rows, columns, merges, frozenset(formulas))


_CELL_CLOSE = re.compile(rb"</(?:\w+:)?c>")


def _split(data: bytes) -> tuple[bytes, bytes]:
    """(what can be scanned now, what must wait for the next piece): a tag cut at the end, and a cell whose
    element is still open (its formula may follow in the next piece), go with the next piece."""
    cut = len(data)
    last_open = data.rfind(b"<")
    if last_open > data.rfind(b">"):
        cut = last_open
    base = max(0, cut - 65536)
    cells = list(_CELL.finditer(data, base, cut))
    if cells:
        start = cells[-1].start()
        tag_end = data.find(b">", start, cut)
        self_closing = tag_end > 0 and data[tag_end - 1:tag_end] == b"/"
        if not self_closing and _CELL_CLOSE.search(data, start, cut) is None:
            cut = start
    if cut == 0:  # a text longer than a piece has no tag in it: scan it as it is (it is refused as over-long)
        return data, b""
    return data[:cut], data[cut:]


def _scan_texts(parts: _Parts, info: zipfile.ZipInfo, file_name: str) -> None:
    """The shared strings: no text over Excel's limit, no DOCTYPE (entity expansion)."""
    tail = b""
    with parts.z.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            data = tail + chunk
            if any(mark in data for mark in _DECLARATIONS):
                raise _resave(file_name, "共享文字部件含有文档类型声明")
            if _LONG_TEXT.search(data):
                raise _refuse(file_name, "其中有单元格的文字超过 32767 个字符（Excel 的上限），文件可能被改动过。")
            last = data.rfind(b"<")
            tail = data[last:] if last >= 0 and len(data) - last < MAX_TEXT_BYTES else data[-MAX_TEXT_BYTES:]


def inspect(path: Path, wanted: Callable[[str], bool],
            found: Callable[[list[str]], None] | None = None) -> list[SheetShape]:
    """Refuse (``UserError``, Chinese) a workbook the reader could not read in bounded time and memory, or that the
    guard cannot read as the reader would; return the shapes of the sheets ``wanted`` selects. ``found`` is told
    their names once the workbook's index is read, before their parts are scanned (the reader may start then)."""
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
        parts = _Parts(z, name)
        if parts.get("xl/workbook.xml") is None:
            kind = ("这是 OpenDocument 表格（.ods）" if parts.get("content.xml") else
                    "这是二进制工作簿（.xlsb）" if parts.get("xl/workbook.bin") else "不是有效的 Excel 工作簿（.xlsx）")
            raise _refuse(name, f"{kind}。请在 Excel、WPS 或 LibreOffice 中“另存为” Excel 工作簿（.xlsx）后再导入。")
        try:
            sheets = sheet_parts(parts, name)
        except _UNREADABLE as exc:
            raise _refuse(name, f"文件已损坏或格式异常（{exc}）") from exc
        if found is not None:  # outside the guard's own failures: the listener's are not the file's
            found([sheet for sheet in sheets if wanted(sheet)])
        try:
            for lower, info in parts.by_lower.items():
                if lower.endswith("sharedstrings.xml"):
                    _scan_texts(parts, info, name)
            shapes = []
            total_rows = 0
            for sheet, info in sheets.items():
                if not wanted(sheet):
                    continue
                shape = _scan(parts, info, sheet, name)
                _check_shape(shape, name)
                total_rows += shape.rows
                if total_rows > MAX_ROWS:
                    raise _refuse(name, f"各台账工作表合计超过 {MAX_ROWS} 行，一次导入不能超过这么多。请分成几个工作簿导入。")
                shapes.append(shape)
        except _UNREADABLE as exc:
            raise _refuse(name, f"文件已损坏或格式异常（{exc}）") from exc
        return shapes


def _check_shape(shape: SheetShape, name: str) -> None:
    where = f"工作表「{shape.name}」"
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
