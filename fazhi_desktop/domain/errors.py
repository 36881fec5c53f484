"""One exception hierarchy for the whole program.

Every error a user can cause is a ``UserError`` carrying a Chinese message; the CLI maps it to exit 1 and the GUI to a
plain dialog. Anything else is a bug: logged with its traceback, shown as a friendly message.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path


class FazhiError(Exception):
    """Base of all the program's own errors."""


class UserError(FazhiError):
    """Bad input or an unusable file; the message is Chinese and meant for the user. ``hint`` names what the user
    can do about it in words each front end has its own way of saying (a command-line option, a menu)."""

    def __init__(self, message: str = "", hint: str | None = None):
        super().__init__(message)
        self.hint = hint


# What a user can do about a message, worded by each front end (cli.hints, gui.shell.hints).
CHOOSE_UNIT = "choose_unit"  # the database holds several units: say which
FULL_IDS = "full_ids"  # moving data between the office's PCs: carry the ID numbers in full


class Notice(str):
    """A warning's text that also carries a ``hint`` (see ``UserError``)."""

    hint: str | None = None

    def __new__(cls, text: str, hint: str | None = None) -> Notice:
        notice = super().__new__(cls, text)
        notice.hint = hint
        return notice


@dataclass(frozen=True)
class Problem:
    """One validation finding about one field (or the whole record when ``field`` is empty)."""

    field: str
    label: str
    message: str
    warning: bool = False
    row: int | None = None  # Excel row number, when the record came from a workbook
    sheet: str | None = None
    unusual: bool = False  # a warning about a value that is possible but mostly a typo: forms ask before saving

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"工作表「{self.sheet}」")
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.label:
            where.append(f"「{self.label}」")
        prefix = " ".join(where)
        kind = "提示：" if self.warning else ""
        return f"{prefix}：{kind}{self.message}" if prefix else f"{kind}{self.message}"


class ValidationError(UserError):
    """A record (or a batch of records) failed validation; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if not p.warning]
        super().__init__("\n".join(str(p) for p in self.problems) or "数据校验未通过")


class TemplateLimitError(UserError):
    """A report template broke a limit (time, loop steps, text size): said in Chinese, nothing is written."""


class ConflictError(UserError):
    """Someone else saved the record after it was opened here (a shared server database): nothing was written."""


class AccessDenied(UserError):
    """The account's role does not allow the operation, or no valid account is working (domain.roles)."""


class LoginError(UserError):
    """A wrong name or password, a disabled or locked account."""


class NotFoundError(UserError):
    pass


class DatabaseTooNewError(UserError):
    pass


class DatabaseLockedError(UserError):
    pass


class DatabaseCorruptError(UserError):
    def __init__(self, message: str, path):
        super().__init__(message)
        self.path = path


def write_error(exc: BaseException, where: Path | str) -> UserError:
    """A Chinese message for a failed write: disk full and read-only places said plainly."""
    code = getattr(exc, "errno", None)
    # The OS's words, never the path (a folder named "full" is not a full disk); SQLite says it in its message.
    text = (getattr(exc, "strerror", None) or ("" if code else str(exc))).lower()
    if code in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) or "full" in text:
        return UserError(f"磁盘空间不足，无法写入：{where}\n请清理磁盘或换一个位置后重试（原有的数据和备份没有改动）。")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text or "unable to open" in text:
        return UserError(f"无法写入：{where}\n该位置是只读的或没有写入权限，请换一个位置。")
    return UserError(f"无法写入：{where}（{getattr(exc, 'strerror', None) or exc}）")
