"""登录 (once the database has accounts), 修改密码, and the idle lock that asks for the password again."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.gui.shell import dialogs
from fazhi_desktop.services import accounts

DEFAULT_IDLE_MINUTES = 10


class LoginDialog(QDialog):
    """Name and password; a refusal (wrong password, locked, disabled) is said in the dialog, which stays open."""

    def __init__(self, engine, name: str = "", parent: QWidget | None = None, *, locked: bool = False):
        super().__init__(parent)
        self.engine, self.account = engine, None
        self.setWindowTitle("已锁定 — 请输入密码" if locked else "登录")
        layout = QVBoxLayout(self)
        intro = "离开时间较长，程序已锁定。请输入密码继续。" if locked else "本数据库已建立账户，请登录。"
        layout.addWidget(QLabel(intro))
        form = QFormLayout()
        self.name_edit = QLineEdit(name)
        self.name_edit.setReadOnly(locked)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("账户名：", self.name_edit)
        form.addRow("密码：", self.password_edit)
        layout.addLayout(form)
        self.error = dialogs.error_label()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        buttons.addButton("登录" if not locked else "解锁", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("退出程序", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password_edit if name else self.name_edit).setFocus()

    def accept(self) -> None:
        try:
            self.account = accounts.login(self.engine, self.name_edit.text(), self.password_edit.text())
        except UserError as exc:
            self.error.setText(str(exc))
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        super().accept()


class PasswordDialog(QDialog):
    """修改密码: the old one, the new one twice."""

    def __init__(self, engine, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.engine, self.name = engine, name
        self.setWindowTitle("修改密码")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.old_edit, self.new_edit, self.again_edit = QLineEdit(), QLineEdit(), QLineEdit()
        for label, edit in (("原密码：", self.old_edit), ("新密码：", self.new_edit), ("再输一遍：", self.again_edit)):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(label, edit)
        layout.addWidget(QLabel(f"账户：{name}（新密码至少{accounts.MIN_PASSWORD}位，字母和数字混合）"))
        layout.addLayout(form)
        self.error = dialogs.error_label()
        layout.addWidget(self.error)
        layout.addWidget(dialogs.ok_cancel(self))

    def accept(self) -> None:
        if self.new_edit.text() != self.again_edit.text():
            self.error.setText("两次输入的新密码不一致")
            return
        try:
            accounts.change_password(self.engine, self.name, self.old_edit.text(), self.new_edit.text())
        except UserError as exc:
            self.error.setText(str(exc))
            return
        super().accept()


class IdleLock(QObject):
    """After ``minutes`` without a key press or a click anywhere in the program, ``lock`` runs (it asks for the
    password again). ``clock`` is replaceable so a test can move time on."""

    def __init__(self, minutes: float, lock: Callable[[], None], parent: QObject | None = None,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self.minutes, self.lock, self.clock = minutes, lock, clock
        self.last = clock()
        self.locked = False
        QApplication.instance().installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.setInterval(15_000)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel):
            self.last = self.clock()
        return False

    def check(self) -> None:
        if self.locked or self.minutes <= 0 or self.clock() - self.last < self.minutes * 60:
            return
        self.locked = True
        try:
            self.lock()
        finally:
            self.locked = False
            self.last = self.clock()

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)
