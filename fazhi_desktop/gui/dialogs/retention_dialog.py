"""到期销毁: the 到期清单 of records whose 保管期限 has run out, and their destruction (a 管理员's act, refused by
the services for anyone else; each record leaves a 销毁 line in the history)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTableWidgetItem, QWidget

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.gui.shell import dialogs, ops
from fazhi_desktop.gui.shell.errors import show_user_error
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.services import retention, retention_backups


class RetentionDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        layout, self.summary, self.table = dialogs.listing_layout(self, "到期销毁", retention.DUE_COLUMNS)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.destroy_button = QPushButton("销毁这些记录(&D)…")
        buttons.addButton(self.destroy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.destroy_button.clicked.connect(self.destroy_due)
        layout.addWidget(buttons)
        dialogs.sized(self, 760, 460)
        self.reload()

    def reload(self) -> None:
        self.items = retention.due_of(self.session.context())
        self.table.setRowCount(len(self.items))
        for r, item in enumerate(self.items):
            for c, value in enumerate(retention.describe(item).values()):
                self.table.setItem(r, c, QTableWidgetItem(str(value)))
        self.table.resizeColumnsToContents()
        self.destroy_button.setEnabled(bool(self.items))
        self.summary.setText(f"保管期满的记录 {len(self.items)} 条（保管期限在 设置 → 个人信息 中设定）。" if self.items
                             else "没有保管期满的记录。")

    def destroy_due(self) -> None:
        if not dialogs.confirm(self, "到期销毁", f"彻底销毁这 {len(self.items)} 条记录及其佐证材料？销毁后无法恢复，"
                               "修改记录中只留下销毁记录（台账、年度、保管期限），不留记录内容。"):
            return
        try:
            done = ops.call_write(self, self.session, "正在销毁…", retention.destroy_due)
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        self.reload()
        said = f"已销毁 {done} 条记录。"
        self.summary.setText(said)
        self.offer_backup_purge(said)

    def offer_backup_purge(self, said: str) -> None:
        """The backups on this PC hold the destroyed records too: offered, not imposed (M6)."""
        try:
            held = ops.call_read(self, self.session, "正在检查备份…", retention_backups.holding_of)
            if not held or not dialogs.confirm(
                    self, "到期销毁", f"本机还有 {len(held)} 份备份含有已销毁的记录。用这些备份恢复时，程序会再次销毁它们；"
                    "也可以现在就从这些备份中清除。\n\n现在从本机备份中清除吗？"):
                return
            purged = ops.call_write(self, self.session, "正在清除备份中的记录…", retention_backups.purge_of)
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        self.summary.setText(f"{said}{retention_backups.describe(purged)}")
