"""备份与恢复: list the backups (date, kind, size, records), back up now, copy to a USB stick, restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.gui import dialogs, files, workers
from fazhi_desktop.gui.session import Session
from fazhi_desktop.gui.workers import Operation
from fazhi_desktop.services import safety
from fazhi_desktop.storage import backups
from fazhi_desktop.storage.migrate import upgrade_to_head


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


class BackupDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("备份与恢复")
        self.resize(720, 460)
        self.folder, self.keep = safety.policy(session.engine)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["备份时间", "类型", "大小", "记录数"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.backup_button = QPushButton("立即备份")
        self.usb_button = QPushButton("备份到U盘…")
        self.restore_button = QPushButton("用所选备份恢复…")
        self.folder_button = QPushButton("打开备份文件夹")
        row = QHBoxLayout()
        for b in (self.backup_button, self.usb_button, self.restore_button, self.folder_button):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.backup_button.clicked.connect(self.backup_now)
        self.usb_button.clicked.connect(self.copy_to_usb)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(lambda: files.open_file(self.folder))
        self._op: Operation | None = None
        self.refresh()

    @property
    def db_path(self) -> Path:
        return self.session.db.path

    def refresh(self) -> None:
        self.items = backups.list_backups(self.db_path, self.folder)
        self.info.setText(f"数据库：{self.db_path}\n备份文件夹：{self.folder}（自动保留最近 {self.keep} 份；"
                          "每天第一次打开和每次退出时自动备份，导入和升级前也会先备份）")
        self.table.setRowCount(len(self.items))
        for r, b in enumerate(self.items):
            cells = [f"{b.created:%Y-%m-%d %H:%M:%S}", b.reason_label, size_text(b.size),
                     "无法读取" if b.records is None else str(b.records)]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.restore_button.setEnabled(bool(self.items))

    def _run(self, label: str, fn, done) -> None:
        self._op = workers.run(self, label, fn, done)

    @property
    def busy(self) -> bool:
        return bool(self._op and self._op.running)

    def backup_now(self) -> None:
        db = self.session.db
        self._run("正在备份…", lambda: safety.backup_now(db, "manual"), lambda _p: self.refresh())

    def copy_to_usb(self, target: str | None = None) -> None:
        if target is None:
            target = QFileDialog.getExistingDirectory(self, "选择U盘或其他文件夹")
            if not target:
                return
        path = self.db_path
        self._run("正在备份到所选位置…", lambda: backups.copy_to(path, Path(target)),
                  lambda p: self.info.setText(f"已备份到：{p}（已校验）"))

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.items):
            return
        chosen = self.items[row]
        if not dialogs.confirm(self, "恢复数据", f"用 {chosen.created:%Y-%m-%d %H:%M} 的备份（{chosen.records} 条记录）"
                               "替换现在的数据吗？\n现在的数据会先另存一份，不会丢失。"):
            return
        self.restore_from(chosen.path)

    def restore_from(self, backup: Path) -> None:
        """Copy the backup into place on a worker (a large file takes a while); then every tab reloads."""
        QThreadPool.globalInstance().waitForDone(10000)  # nothing else may be using the database meanwhile
        db, folder = self.session.db, self.folder

        def work():
            db.engine.dispose()  # no connection may stay open on the file being replaced
            safety_copy = backups.restore(db.path, backup, folder)
            db.engine.dispose()
            upgrade_to_head(db)
            return safety_copy

        self._run("正在恢复…", work, self._restored)

    def _restored(self, safety_copy: Path | None) -> None:
        self.session.reload_unit()
        self.session.data_changed.emit("")
        self.refresh()
        self.info.setText(f"已恢复。恢复前的数据另存为：{safety_copy}")
