"""18-digit PRC resident ID numbers (GB 11643-1999): checksum and masking."""

from __future__ import annotations

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def idcard_problem(value: str) -> str | None:
    """Return a Chinese reason why ``value`` is not a valid ID number, or None when it is valid."""
    if len(value) != 18:
        return f"身份证号应为18位，现为{len(value)}位"
    if re.fullmatch(r"[0-9]{17}[0-9X]", value) is None:  # ASCII only: "²" or "١" pass str.isdigit()
        return "身份证号只能由数字组成，最后一位可以是X"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号中的出生日期无效"
    if check_digit(value[:17]) != value[17]:
        return "身份证号校验位不正确，请核对"
    return None


def mask_idcard(value: str | None) -> str | None:
    """``620102199001011234`` → ``620102********1234``: the one rule every output uses (first 6 and last 4 kept),
    so no two outputs show different digits that could be joined back into the number."""
    if not value:
        return value
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


# An ID number written inside free text (「当事人张三（身份证号620102199001011234）」): the shape of one — area, a
# plausible birth date, sequence, check character — not checked further, since a mistyped number is still a person's.
_ID_IN_TEXT = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
                         r"[0-9]{3}[0-9Xx](?![0-9A-Za-z])")
_MASKED_IN_TEXT = re.compile(r"(?<![0-9])[1-9][0-9]{5}\*{8}[0-9]{3}[0-9Xx](?![0-9A-Za-z])")


# A mobile number written inside free text, and one masked by mask_phone.
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_MASKED_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9]\*{4}[0-9]{4}(?![0-9])")


def mask_ids_in_text(text: str) -> str:
    """Free text with each ID number and mobile number in it masked by the one rule of each (#33: an ID typed into
    简要情况 printed in full in every export; #34: one typed into the report's own text)."""
    text = _ID_IN_TEXT.sub(lambda m: mask_idcard(m[0]) or "", text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m[0]) or "", text)


def has_masked_id(text: str) -> bool:
    return bool(_MASKED_IN_TEXT.search(text) or _MASKED_MOBILE_IN_TEXT.search(text))


def personal_numbers_in(text: str) -> list[str]:
    """The ID and mobile numbers written in full in ``text``, each masked (to name it without showing it)."""
    return [mask_idcard(m[0]) or "" for m in _ID_IN_TEXT.finditer(text)] + \
        [mask_phone(m[0]) or "" for m in _MOBILE_IN_TEXT.finditer(text)]


def mask_phone(value: str | None) -> str | None:
    """A phone number's first 3 and last 4 digits kept, the digits between hidden, dashes kept:
    ``13800001234`` → ``138****1234``, ``0934-5500000`` → ``093*-***0000``."""
    if not value:
        return value
    digits = [i for i, ch in enumerate(value) if ch.isdigit()]
    keep = set(digits[:3] + digits[-4:]) if len(digits) > 7 else set(digits[-2:])
    return "".join(ch if (i in keep or not ch.isdigit()) else "*" for i, ch in enumerate(value))


def birth_date(value: str | None) -> dt.date | None:
    """The birth date an 18-digit ID number carries, or None."""
    if not value or len(value) != 18 or not value[6:14].isdigit():
        return None
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def age_on(value: str | None, day: dt.date | None) -> int | None:
    born = birth_date(value)
    if born is None or day is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
