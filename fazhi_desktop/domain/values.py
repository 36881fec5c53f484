"""Reading values typed by a clerk or found in a workbook cell: dates, whole numbers, money, yes/no, text a document
can carry. Every field kind (``domain.kinds``) builds on these; each reason given is Chinese and names the value."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_TEXT = 200  # characters of a one-line text
MAX_LONGTEXT = 20000  # characters of a longer text
MAX_INT = 2_000_000_000
MAX_MONEY = Decimal("9999999999.99")
MIN_YEAR, MAX_YEAR = 1949, 2100

# A date typed plainly (2023-05-04, 2023/5/4, 2023.5.4): nothing to clean up before reading it (an import's column of
# 10,000 such dates spent a third of its validation in the clean-up).
_PLAIN_DATE = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})\Z")
_DATE_PATTERNS = (  # after the clean-up (full-width digits, spaces), besides the plain forms above
    re.compile(r"^([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日?$"),
    re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$"),
)
# Digits typed with a Chinese input method in full-width mode are the same digits; any other "digit" (², ١, ①) is not.
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－，", "0123456789.-,")


def ascii_digits(text: str) -> str:
    return text.translate(_FULL_WIDTH_DIGITS)
_PHONE_RE = re.compile(r"^[0-9][0-9\- ]{2,19}$")
_TRUE = {"是", "true", "1", "yes", "y", "√", "✓", "有"}
_FALSE = {"否", "false", "0", "no", "n", "×", "无", ""}


class CoercionError(ValueError):
    """Raised with a Chinese reason when a raw value cannot become the field's type."""


# Characters no record should hold: control characters (other than tab and line breaks), Unicode non-characters and
# lone surrogates. They break the outputs (XML, DOCX) or the database, so validation refuses them everywhere.
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                            + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
                            + "]")


_FULL_WIDTH = str.maketrans("()", "（）")


def full_width_brackets(text: str) -> str:
    """Half-width brackets typed in Chinese text, as GB/T 15834 writes them (labels and choices use these)."""
    return text.translate(_FULL_WIDTH)


def bad_character(text: str) -> str | None:
    """A Chinese reason when ``text`` holds a character no output can carry, else None."""
    m = _BAD_CHARACTER.search(text)
    if m is None:
        return None
    kind = "控制字符" if ord(m[0]) < 0x80 else "无法保存的特殊字符"
    return f"含有不可见的{kind}（第 {m.start() + 1} 个字符，U+{ord(m[0]):04X}），请删除后重试"


def replace_bad_characters(text: str, by: str = "_") -> str:
    """``text`` with each character no output can carry replaced (for a name from this PC, not typed by the clerk)."""
    return _BAD_CHARACTER.sub(by, text)


def checked_text(text: str) -> str:
    problem = bad_character(text)
    if problem:
        raise CoercionError(problem)
    return text


def json_text(value: Any) -> Any:
    """``json.dumps``'s hook for the values a record holds that JSON cannot write itself: dates as ISO text, amounts as
    text. Anything else is refused as JSON refuses it (a history entry or a package never holds it)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _in_range(value: dt.date, shown: str) -> dt.date:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise CoercionError(f"日期「{shown}」的年份不合理（应在 {MIN_YEAR}—{MAX_YEAR} 年之间）")
    return value


def _date_of(year: int, month: int, day: int, shown: str) -> dt.date:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        raise CoercionError(f"日期「{shown}」不存在") from None
    return _in_range(value, shown)


def parse_date(raw: Any) -> dt.date | None:
    """One rule for typed text and for real date cells: the same year range applies to both."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return _in_range(raw.date(), f"{raw:%Y-%m-%d}")
    if isinstance(raw, dt.date):
        return _in_range(raw, f"{raw:%Y-%m-%d}")
    if type(raw) is str and (m := _PLAIN_DATE.match(raw)):
        return _date_of(int(m[1]), int(m[3]), int(m[4]), raw)
    text = ascii_digits(checked_text(str(raw).strip()))
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2} [0-9]", text) else text
    if m := _PLAIN_DATE.match(text):
        return _date_of(int(m[1]), int(m[3]), int(m[4]), text)
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            return _date_of(*(int(g) for g in m.groups()), text)
    raise CoercionError(f"无法识别的日期「{text}」，请写成 2023-05-04 或 2023年5月4日")


def parse_int(raw: Any, lo: int = 0, hi: int = MAX_INT) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise CoercionError("应填写数字")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise CoercionError(f"应为整数，现为「{raw}」")
        raw = int(raw)
    if isinstance(raw, str):
        text = ascii_digits(raw.strip()).replace(",", "")
        if re.fullmatch(r"-?[0-9]+(\.0+)?", text) is None:
            raise CoercionError(f"应为整数，现为「{raw.strip()[:40]}」")
        if len(text.split(".")[0].lstrip("-0")) > 15:  # before int(): Python refuses 4300+ digits with a ValueError
            raise CoercionError(f"数值过大（不能超过{hi}）")
        raw = int(float(text)) if "." in text else int(text)
    if not isinstance(raw, int):
        raise CoercionError(f"应为整数，现为「{raw}」")
    if raw < lo:
        raise CoercionError("不能为负数" if lo == 0 else f"不能小于{lo}")
    if raw > hi:
        raise CoercionError(f"数值过大（不能超过{hi}）")
    return raw


def parse_money(raw: Any) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise CoercionError("应填写金额")
    try:
        text = ascii_digits(str(raw).strip()).replace(",", "").removesuffix("元").strip()
        if len(text) > 40:
            raise CoercionError("金额过大或格式不正确")
        if isinstance(raw, str) and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text) is None:
            raise CoercionError(f"应为金额数字，现为「{str(raw)[:40]}」")
        value = Decimal(text)
    except InvalidOperation:
        raise CoercionError(f"应为金额数字，现为「{raw}」") from None
    if not value.is_finite():
        raise CoercionError(f"应为金额数字，现为「{raw}」")
    if value < 0:
        raise CoercionError("金额不能为负数")
    if value > MAX_MONEY:
        raise CoercionError("金额过大")
    return value.quantize(Decimal("0.01"))


def parse_bool(raw: Any) -> bool | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False if text else None
    raise CoercionError(f"应填写「是」或「否」，现为「{raw}」")


def phone_problem(text: str) -> str | None:
    return None if _PHONE_RE.match(text) else "电话号码只能包含数字、短横线和空格"


