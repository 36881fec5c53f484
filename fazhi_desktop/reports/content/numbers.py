"""How numbers are written in the report (indicators.md, "Writing numbers in the report")."""

from __future__ import annotations

import datetime as dt

_DIGITS = "零一二三四五六七八九"


def exact(n: int) -> str:
    return str(n)


def approx(n: int, suffix: str = "多") -> str:
    """Two significant digits, rounded down, plus 多/余 when something was cut: 3560 → 3500多, 686 → 680余.

    Below 100 a number is always written exactly.
    """
    if n < 100:
        return str(n)
    step = 10 ** (len(str(n)) - 2)
    kept = n // step * step
    return f"{kept}{suffix}" if kept != n else str(kept)


def percent(value: float | None) -> str:
    """0.952 → 95.2%, 1.0 → 100%; at most one decimal. None (no base) → 无."""
    if value is None:
        return "无"
    pct = round(value * 100, 1)
    return f"{pct:.0f}%" if pct == int(pct) else f"{pct:.1f}%"


def chinese(n: int) -> str:
    """Chinese numerals for small counts (0–99), as some templates ask: 4 → 四, 12 → 十二, 20 → 二十."""
    if not 0 <= n < 100:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def cn_date(d: dt.date) -> str:
    """2024-03-20 → 2024年3月20日 (Arabic numerals, no zero padding, as GB/T 9704 asks)."""
    return f"{d.year}年{d.month}月{d.day}日"
