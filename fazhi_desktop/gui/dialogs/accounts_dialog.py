"""账户管理: the accounts and their roles; a 管理员 adds or disables one (the services refuse anyone else). The first
account, made on a PC that had none, is the clerk's own from then on: she is logged in as it at once."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.roles import ADMIN, ROLES
from fazhi_desktop.gui.shell import dialogs, workers
from fazhi_desktop.gui.shell.errors import show_user_error
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.services import accounts

COLUMNS = ("账户", "角色", "状态", "建立日期")


class NewAccountDialog(QDialog):
    def __init__(self, first: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("新建账户")
        layout = QVBoxLayout(self)
        if first:
            note = QLabel("这是第一个账户，必须是管理员。建立后，打开程序都要登录，您现在就以这个账户工作。")
            note.setWordWrap(True)
            layout.addWidget(note)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.role_combo = QComboBox()
        self.role_combo.addItems([ADMIN] if first else list(ROLES))
        self.password_edit, self.again_edit = QLineEdit(), QLineEdit()
        for edit in (self.password_edit, self.again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("账户名：", self.name_edit)
        form.addRow("角色：", self.role_combo)
        form.addRow("密码：", self.password_edit)
        form.addRow("再输一遍：", self.again_edit)
        layout.addLayout(form)
        layout.addWidget(QLabel(f"密码至少{accounts.MIN_PASSWORD}位，字母和数字混合。"))
        self.error = dialogs.error_label()
        layout.addWidget(self.error)
        layout.addWidget(dialogs.ok_cancel(self))

    def accept(self) -> None:
        if self.password_edit.text() != self.again_edit.text():
            self.error.setText("两次输入的密码不一致")
            return
        super().accept()


class AccountsDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        layout, self.summary, self.table = dialogs.listing_layout(self, "账户管理", COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.add_button = QPushButton("新建账户(&N)…")
        self.disable_button = QPushButton("停用所选账户(&D)")
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.disable_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        # clicked(bool) would hand its checked flag to a slot's first parameter: the slots are called without it
        self.add_button.clicked.connect(lambda: self.add_account())
        self.disable_button.clicked.connect(lambda: self.disable_selected())
        layout.addWidget(buttons)
        dialogs.sized(self, 560, 380)
        self.reload()

    def reload(self) -> None:
        with self.session.db.engine.connect() as conn:
            self.accounts = accounts.list_accounts(conn)
        self.table.setRowCount(len(self.accounts))
        for r, a in enumerate(self.accounts):
            state = "已停用" if a.disabled else "在用"
            for c, value in enumerate((a.name, a.role, state, f"{a.created_at:%Y-%m-%d}")):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.summary.setText("还没有账户：本机任何人打开程序都可以做所有操作。建立第一个账户（管理员）后，打开程序要登录。"
                             if not self.accounts else
                             "管理员：全部操作；录入员：录入、修改、导入、导出（号码隐藏）；查看：只能查看和打印。")

    def add_account(self, values: tuple[str, str, str] | None = None) -> None:
        """``values`` (name, role, password): as typed in the new-account dialog, which asks when not given."""
        first = not self.accounts
        if values is None:
            dialog = NewAccountDialog(first, self)
            if not dialog.exec():
                return
            values = (dialog.name_edit.text().strip(), dialog.role_combo.currentText(), dialog.password_edit.text())
        name, role, password = values
        engine, actor = self.session.db.engine, self.session.actor

        def add():
            with engine.begin() as conn:
                return accounts.add(conn, name, role, password, actor)

        try:
            made = workers.call(self, "正在建立账户…", add)
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        if first:  # the clerk who made it works as it from now on (her writes would be refused otherwise)
            window = self.parent()
            if hasattr(window, "logged_in"):
                window.logged_in(made.name)
        self.reload()

    def disable_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.accounts):
            return
        name, engine, actor = self.accounts[row].name, self.session.db.engine, self.session.actor
        if not dialogs.confirm(self, "停用账户", f"停用账户「{name}」？停用后不能再用它登录。"):
            return

        def disable():
            with engine.begin() as conn:
                accounts.disable(conn, name, actor)

        try:
            workers.call(self, "正在停用…", disable)
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        self.reload()
