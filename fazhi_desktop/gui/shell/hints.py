"""What the window tells a user to do about a message (``domain.errors`` hints)."""

from __future__ import annotations

from fazhi_desktop.domain.errors import CHOOSE_UNIT, FULL_IDS

WORDS = {
    CHOOSE_UNIT: "请在打开时选择要操作的单位",
    FULL_IDS: "在本单位电脑之间转移数据时，请用“文件 → 备份与恢复 → 备份到U盘”，身份证号和佐证材料都完整保留",
}


def worded(text: object) -> str:
    hint = getattr(text, "hint", None)
    return f"{text}；{WORDS[hint]}" if hint in WORDS else str(text)
