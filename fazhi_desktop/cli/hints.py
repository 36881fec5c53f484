"""What the command line tells a user to do about a message (``domain.errors`` hints)."""

from __future__ import annotations

from fazhi_desktop.domain.errors import CHOOSE_UNIT, FULL_IDS

WORDS = {
    CHOOSE_UNIT: "请用 --unit 指定要操作的单位",
    FULL_IDS: "在本单位电脑之间转移数据时，导出请加 --full-ids，或用 backup --out 备份到U盘",
}


def worded(text: object) -> str:
    hint = getattr(text, "hint", None)
    return f"{text}；{WORDS[hint]}" if hint in WORDS else str(text)
