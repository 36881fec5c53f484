"""What each kind of field does, in one place per kind: how a typed or imported value becomes the stored one, how it
is checked, split into a list, stored, searched, shown, written to and read from a cell, and exampled.

Every layer asks the field's kind (``field.kind``) instead of asking "is this a date?": storage for its column
type, validation for its check, lists and sheets for display and cells, the form for its editor (the GUI keeps the
one map from kind to widget). A new field of an existing kind therefore needs only its declaration and a migration.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from fazhi_desktop.domain import values as F
from fazhi_desktop.domain.idcard import has_masked_id, idcard_problem, mask_idcard, mask_ids_in_text, mask_phone

if TYPE_CHECKING:
    from fazhi_desktop.domain.fields import Field

class FieldType(StrEnum):
    TEXT = "text"
    LONGTEXT = "longtext"
    DATE = "date"
    INT = "int"
    YEAR = "year"
    MONEY = "money"
    BOOL = "bool"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    VILLAGE = "village"
    IDCARD = "idcard"
    PHONE = "phone"
    TEXTLIST = "textlist"  # ordered list of short names (villages, issuing bodies)
    LINES = "lines"  # ordered list of sentences, one per line (存在问题, 工作打算)
    TEXTMAP = "textmap"  # section key → text (report drafts)


# One rule for lists of short names (villages, issuing bodies, chosen topics): typed with 顿号, commas, semicolons or
# line breaks — what the help text says is what works, in the wizard, the settings, the command line and a workbook.
NAME_SEPARATORS = re.compile(r"[、，,；;\n]+")
NAME_LIST_HELP = "多项用顿号（、）、逗号或换行分隔"
LINES_HELP = "每行一项"


@dataclass(frozen=True)
class CheckContext:
    """What a check needs beyond the value: the unit's villages and the field's allowed choices."""

    villages: frozenset[str] = frozenset()
    choices: tuple[str, ...] = ()


def split_names(raw: Any) -> list[str]:
    if raw is None:
        return []
    parts = [str(p) for p in raw] if isinstance(raw, list | tuple | set) else NAME_SEPARATORS.split(str(raw))
    return [p.strip() for p in parts if p and p.strip()]


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


class Kind:
    """A field kind. ``storage`` names the column form storage.schema gives it."""

    name = ""
    storage = "text"
    searchable = False  # the list's search box looks in it
    text_sort = False  # sorted by pinyin (SQLite) rather than by value
    numeric = False  # right-aligned in lists
    filterable = False  # the list offers a drop-down filter of its options
    multiple = False  # holds several of its options at once (no single-value drop-down check in a workbook)
    open_choices = False  # a unit may add its own options from the form (where the field is ``extendable``)
    personal = False  # personal data: every output shows it masked unless asked for in full
    help = ""  # how to type it, shown after the field's own help
    excel_format: str | None = None
    empty: Any = None  # the clean value of a blank field (lists stay lists)
    cell_is_stored = False  # the stored value is already the Excel cell (no call per cell when writing sheets)

    def coerce(self, f: Field, raw: Any) -> Any:
        if raw is None:
            return None
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # Excel gives 13800001111.0 for a phone typed as a number
        text = F.checked_text(str(raw).replace("\r\n", "\n").strip())
        return text or None

    def check(self, f: Field, value: Any, ctx: CheckContext) -> str | None:
        return None

    # storage: values as the database holds them
    def stored(self, value: Any) -> Any:
        return value

    def loaded(self, stored: Any) -> Any:
        return stored

    # lists, sheets and cells
    def display(self, value: Any) -> str:
        if _blank(value):
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)

    def cell(self, value: Any, *, full_id: bool = False) -> Any:
        return None if _blank(value) else value

    def from_cell(self, value: Any) -> Any:
        return value

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return f"示例{f.label}" if f.required else None

    def matches(self, column: Any, value: Any) -> Any:
        """The SQL condition "this column holds ``value``" (a filter in the list)."""
        return column == value

    def is_masked(self, raw: Any) -> bool:
        """A value exported masked (an ID number with its middle hidden) that an import must not take as typed."""
        return False

    def spelled(self, value: Any, choices: tuple[str, ...]) -> Any:
        """The declared spelling of a value typed another way (half-width brackets)."""
        return value

    def unmasked(self, raw: Any, stored: Any) -> Any:
        return raw

    def options(self, f: Field, choices: tuple[str, ...], villages: Iterable[str]) -> tuple[str, ...] | None:
        """The values a drop-down offers (template sheets, list filters), or None when the kind has none."""
        return None


class Text(Kind):
    name = "text"
    searchable = True
    text_sort = True

    def cell(self, value: Any, *, full_id: bool = False) -> Any:
        """An ID number typed into the text is masked in every output, as in an ID field (``full_id``: a 管理员's
        full export)."""
        if isinstance(value, str) and not full_id:
            return mask_ids_in_text(value) or None
        return super().cell(value, full_id=full_id)

    def is_masked(self, raw: Any) -> bool:
        return isinstance(raw, str) and has_masked_id(raw)

    def unmasked(self, raw: Any, stored: Any) -> Any:
        """Text exported with its ID numbers masked and brought back unchanged keeps the stored text; any other text
        is what was typed (an edit), stars and all."""
        if isinstance(stored, str) and raw == mask_ids_in_text(stored):
            return stored
        return raw


class LongText(Text):
    name = "longtext"
    storage = "longtext"

    def display(self, value: Any) -> str:
        return "" if _blank(value) else " ".join(str(value).split())[:60]


class Masked(Kind):
    """Personal data shown by one masking rule in every output (domain.idcard); the full value only where a
    管理员 asks for it. A masked value typed back (a re-imported export, an untouched form field) keeps the stored
    number it came from."""

    personal = True
    mask = staticmethod(lambda value: value)

    def display(self, value: Any) -> str:
        return "" if _blank(value) else self.mask(value) or ""

    def cell(self, value: Any, *, full_id: bool = False) -> Any:
        return None if _blank(value) else (value if full_id else self.mask(value))

    def is_masked(self, raw: Any) -> bool:
        return isinstance(raw, str) and "*" in raw

    def unmasked(self, raw: Any, stored: Any) -> Any:
        """The stored value only when ``raw`` is exactly its mask, as every output shows it; else nothing. Any other
        pattern of stars is refused: 「******1***********」 would otherwise test one hidden digit at a time."""
        if isinstance(stored, str) and raw == self.mask(stored):
            return stored
        return None


class Phone(Masked):
    name = "phone"
    searchable = True
    mask = staticmethod(mask_phone)

    def coerce(self, f: Field, raw: Any) -> Any:
        text = super().coerce(f, raw)
        return F.ascii_digits(text) if text else text

    def check(self, f: Field, value: Any, ctx: CheckContext) -> str | None:
        return F.phone_problem(value)

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return "0934-5500000"


class IdCard(Masked):
    name = "idcard"
    storage = "idcard"
    excel_format = "@"  # 18 digits as a number would lose the last three
    mask = staticmethod(mask_idcard)

    def coerce(self, f: Field, raw: Any) -> Any:
        text = super().coerce(f, raw)
        return F.ascii_digits(text).upper().replace(" ", "").replace("Ｘ", "X") if text else text

    def check(self, f: Field, value: Any, ctx: CheckContext) -> str | None:
        return idcard_problem(value)

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return "11010519491231002X"


class Date(Kind):
    name = "date"
    storage = "date"
    excel_format = "yyyy-mm-dd"
    cell_is_stored = True

    def coerce(self, f: Field, raw: Any) -> Any:
        return F.parse_date(raw)

    def from_cell(self, value: Any) -> Any:
        return value.date() if isinstance(value, dt.datetime) else value  # a ledger date has no time of day

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return dt.date.today()


class Integer(Kind):
    name = "int"
    storage = "int"
    numeric = True
    cell_is_stored = True
    lo, hi = 0, F.MAX_INT

    def coerce(self, f: Field, raw: Any) -> Any:
        return F.parse_int(raw, self.lo, self.hi)

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return 1


class Year(Integer):
    name = "year"
    lo, hi = F.MIN_YEAR, F.MAX_YEAR

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return dt.date.today().year


class Money(Kind):
    name = "money"
    storage = "money"
    numeric = True
    excel_format = '#,##0.00'

    def coerce(self, f: Field, raw: Any) -> Any:
        return F.parse_money(raw)

    def display(self, value: Any) -> str:
        return "" if _blank(value) else f"{value:,.2f}"

    def cell(self, value: Any, *, full_id: bool = False) -> Any:
        return None if _blank(value) else (float(value) if isinstance(value, Decimal) else value)

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return 1


class Boolean(Kind):
    name = "bool"
    storage = "bool"

    def coerce(self, f: Field, raw: Any) -> Any:
        return F.parse_bool(raw)

    def display(self, value: Any) -> str:
        return "" if value is None else ("是" if value else "否")

    def cell(self, value: Any, *, full_id: bool = False) -> Any:
        return None if value is None else ("是" if value else "否")

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return "是"

    def options(self, f: Field, choices: tuple[str, ...], villages: Iterable[str]) -> tuple[str, ...] | None:
        return ("是", "否")


def known_spelling(value: str, choices: tuple[str, ...]) -> str:
    """A choice typed with half-width brackets is the same choice (不予处罚(免罚清单) → 不予处罚（免罚清单）)."""
    if value in choices:
        return value
    full = F.full_width_brackets(value)
    return full if full in choices else value


class Choice(Text):
    name = "choice"
    filterable = True
    open_choices = True
    cell_is_stored = True  # a declared value: no number to mask
    cell = Kind.cell
    is_masked = Kind.is_masked

    def spelled(self, value: Any, choices: tuple[str, ...]) -> Any:
        return known_spelling(value, choices)

    def check(self, f: Field, value: Any, ctx: CheckContext) -> str | None:
        if value not in ctx.choices:
            return f"「{value}」不是可选值，可选：{'、'.join(ctx.choices)}"
        return None

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return f.choices[0]

    def options(self, f: Field, choices: tuple[str, ...], villages: Iterable[str]) -> tuple[str, ...] | None:
        return choices


class Village(Text):
    name = "village"
    filterable = True
    cell_is_stored = True  # a name from the unit's list
    cell = Kind.cell
    is_masked = Kind.is_masked

    def check(self, f: Field, value: Any, ctx: CheckContext) -> str | None:
        if value not in ctx.villages:
            listed = "、".join(sorted(ctx.villages)) or "（尚未设置村名单）"
            return f"「{value}」不在本单位的村（社区）名单中：{listed}"
        return None

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return next(iter(villages), "某村")

    def options(self, f: Field, choices: tuple[str, ...], villages: Iterable[str]) -> tuple[str, ...] | None:
        return tuple(villages) or None


# Multi-choice values are stored as ``|a|b|`` so that one SQL ``LIKE '%|a|%'`` counts them on any database.
MULTI_SEP = "|"


class MultiChoice(Kind):
    name = "multichoice"
    storage = "longtext"
    searchable = True
    text_sort = True
    help = NAME_LIST_HELP

    def coerce(self, f: Field, raw: Any) -> Any:
        parts = [p for piece in split_names(raw) for p in piece.split(MULTI_SEP) if p.strip()]
        values = list(dict.fromkeys(F.checked_text(p.strip()) for p in parts))
        return values or None

    def check(self, f: Field, value: Any, ctx: CheckContext) -> str | None:
        bad = [v for v in value if v not in ctx.choices]
        return f"「{'、'.join(bad)}」不是可选值，可选：{'、'.join(ctx.choices)}" if bad else None

    def stored(self, value: Any) -> Any:
        return MULTI_SEP + MULTI_SEP.join(value) + MULTI_SEP if value else None

    def loaded(self, stored: Any) -> Any:
        return [p for p in (stored or "").split(MULTI_SEP) if p]

    def display(self, value: Any) -> str:
        return "、".join(value or [])

    def cell(self, value: Any, *, full_id: bool = False) -> Any:
        return "、".join(value) if value else None

    multiple = True

    def spelled(self, value: Any, choices: tuple[str, ...]) -> Any:
        return [known_spelling(v, choices) for v in value]

    def example(self, f: Field, villages: Iterable[str]) -> Any:
        return "、".join(f.choices[:2])

    def options(self, f: Field, choices: tuple[str, ...], villages: Iterable[str]) -> tuple[str, ...] | None:
        return choices

    def matches(self, column: Any, value: Any) -> Any:
        return column.like(f"%{MULTI_SEP}{value}{MULTI_SEP}%")


class NameList(Kind):
    """An ordered list of short names (villages, issuing bodies): the one list rule."""

    name = "textlist"
    storage = "json"
    help = NAME_LIST_HELP
    empty: Any = []

    def coerce(self, f: Field, raw: Any) -> Any:
        return [F.checked_text(s) for s in split_names(raw)]

    def check(self, f: Field, value: Any, ctx: CheckContext) -> str | None:
        if f.max_items and len(value) > f.max_items:
            return f"最多填写 {f.max_items} 项，现为 {len(value)} 项"
        limit = f.max_length or F.MAX_TEXT
        for item in value:
            if len(item) > limit or F.bad_character(item):
                return f"「{item[:20]}」过长（每项最多 {limit} 字）或含有控制字符等特殊字符"
        return None

    def display(self, value: Any) -> str:
        return "、".join(value or [])

    def cell(self, value: Any, *, full_id: bool = False) -> Any:
        return "、".join(value) if value else None


class Lines(NameList):
    """An ordered list of sentences (存在问题, 工作打算): one item per line — commas belong to the sentences."""

    name = "lines"
    help = LINES_HELP

    def coerce(self, f: Field, raw: Any) -> Any:
        items = raw if isinstance(raw, list | tuple) else str(raw or "").splitlines()
        return [F.checked_text(str(s).strip()) for s in items if str(s).strip()]

    def display(self, value: Any) -> str:
        return "\n".join(value or [])

    def cell(self, value: Any, *, full_id: bool = False) -> Any:
        text = "\n".join(value) if value else None
        return mask_ids_in_text(text) if text and not full_id else text


class TextMap(Kind):
    """Section key → text (the report draft's own wording per section)."""

    name = "textmap"
    storage = "json"
    empty: Any = {}

    def coerce(self, f: Field, raw: Any) -> Any:
        if raw is None or raw == "":
            return {}
        if isinstance(raw, str):
            try:
                raw = json.loads(raw)
            except ValueError:
                raise F.CoercionError("内容格式不正确") from None
        if not isinstance(raw, Mapping):
            raise F.CoercionError("格式不正确")
        return {F.checked_text(str(k)): F.checked_text(str(v)) for k, v in raw.items()}

    def check(self, f: Field, value: Any, ctx: CheckContext) -> str | None:
        if f.max_items and len(value) > f.max_items:
            return f"最多 {f.max_items} 个部分，现为 {len(value)} 个"
        limit = f.max_length or F.MAX_LONGTEXT
        for key, text in value.items():
            if len(text) > limit:
                return f"「{key[:20]}」部分过长（最多 {limit} 字，现为 {len(text)} 字）"
        return None

    def display(self, value: Any) -> str:
        return "" if not value else f"{len(value)} 个部分"

    def cell(self, value: Any, *, full_id: bool = False) -> Any:
        if not value:
            return None
        return json.dumps(value if full_id else {k: mask_ids_in_text(v) if isinstance(v, str) else v
                                                 for k, v in value.items()}, ensure_ascii=False)


KINDS: dict[FieldType, Kind] = {
    FieldType.TEXT: Text(), FieldType.LONGTEXT: LongText(), FieldType.DATE: Date(),
    FieldType.INT: Integer(), FieldType.YEAR: Year(), FieldType.MONEY: Money(), FieldType.BOOL: Boolean(),
    FieldType.CHOICE: Choice(), FieldType.MULTICHOICE: MultiChoice(), FieldType.VILLAGE: Village(),
    FieldType.IDCARD: IdCard(), FieldType.PHONE: Phone(), FieldType.TEXTLIST: NameList(),
    FieldType.LINES: Lines(), FieldType.TEXTMAP: TextMap(),
}
