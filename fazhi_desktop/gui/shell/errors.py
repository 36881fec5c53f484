"""One place that shows errors: user errors as plain messages, bugs as a friendly dialog with copyable details."""

from __future__ import annotations

import logging
import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.logs import setup_logging

log = logging.getLogger(__name__)


def show_user_error(parent: QWidget | None, message: str, title: str = "无法完成操作") -> None:
    QMessageBox.warning(parent, title, message)


def _read_only_write(exc: BaseException) -> bool:
    """A write refused because the database was opened read-only (a read-only medium): the user's situation, not a
    bug."""
    text = str(exc).lower()
    return "readonly database" in text or "query_only" in text or "read-only" in text


def show_exception(parent: QWidget | None, exc: BaseException, details: str | None = None) -> None:
    if isinstance(exc, UserError):
        from fazhi_desktop.gui.shell.hints import WORDS

        show_user_error(parent, str(exc) + (f"\n{WORDS[exc.hint]}。" if exc.hint in WORDS else ""))
        return
    if _read_only_write(exc):
        show_user_error(parent, "数据库是以只读方式打开的（位于光盘、写保护的U盘等只读位置），不能修改。\n"
                        "要修改，请先把数据库文件复制到本机硬盘，再用程序打开那份。")
        return
    details = details or "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log_file = setup_logging()  # before logging: the first error of a session must reach the file too
    log.error("unexpected error: %s", details)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("程序出错")
    box.setText("程序遇到意外错误，刚才的操作没有完成。已经保存的数据不受影响。")
    box.setInformativeText(f"错误详情已写入日志：{log_file}\n如需技术支持，请点“显示详细信息”并复制发给维护人员。")
    box.setDetailedText(details)
    box.exec()


def install_excepthook() -> None:
    """Uncaught exceptions in slots end up here instead of killing the program or printing a traceback."""

    def unraisable(u) -> None:
        log.warning("ignored error in %r", u.object, exc_info=(u.exc_type, u.exc_value, u.exc_traceback))

    sys.unraisablehook = unraisable

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        show_exception(QApplication.activeWindow(), exc, details)

    sys.excepthook = hook
