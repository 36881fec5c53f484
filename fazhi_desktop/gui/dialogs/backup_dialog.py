"""备份与恢复: list this database's backups (time, kind, unit, size, records), back up now, copy to a USB stick,
restore from a listed backup or from a file (another unit's data only after a second, explicit question)."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.roles import ADMIN_ONLY, WRITE
from fazhi_desktop.gui.shell import dialogs, file_dialogs, files, workers
from fazhi_desktop.gui.shell.files import size_text
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.gui.shell.workers import Operation
from fazhi_desktop.services import safety


class BackupDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("备份与恢复")
        dialogs.sized(self, 720, 460)
        self.folder, self.keep = safety.policy(session.db)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["备份时间", "类型", "单位", "大小", "记录数"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.backup_button = QPushButton("立即备份")
        self.usb_button = QPushButton("备份到U盘…")
        self.restore_button = QPushButton("用所选备份恢复…")
        self.file_button = QPushButton("从文件恢复…")
        self.folder_button = QPushButton("打开备份文件夹")
        self.close_button = QPushButton("关闭")
        row = QHBoxLayout()
        for b in (self.backup_button, self.usb_button, self.restore_button, self.file_button, self.folder_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        # clicked(bool) would arrive as the first argument: every slot here is called without it.
        self.backup_button.clicked.connect(lambda: self.backup_now())
        self.usb_button.clicked.connect(lambda: self.copy_to_usb())
        self.restore_button.clicked.connect(lambda: self.restore_selected())
        self.file_button.clicked.connect(lambda: self.restore_file())
        self.folder_button.clicked.connect(lambda: files.open_file(self.folder))
        self.close_button.clicked.connect(self.reject)
        # A copy with every full number and a restore are a 管理员's (the services refuse anyone else's)
        admin = session.may(ADMIN_ONLY)
        for button in (self.usb_button, self.restore_button, self.file_button):
            button.setVisible(admin)
        self.backup_button.setVisible(session.may(WRITE))  # each backup rotates the oldest away
        self._op: Operation | None = None
        self._list_op: Operation | None = None
        self.items: list = []
        self.refresh()

    @property
    def db_path(self) -> Path:
        return self.session.db.path

    def refresh(self, select: Path | None = None) -> None:
        """List the backups on a worker: each is opened to count its records, which takes a while on a USB drive."""
        self.info.setText(f"数据库：{self.db_path}\n备份文件夹：{self.folder}（自动保留最近 {self.keep} 份；"
                          "每天第一次打开和每次退出时自动备份，导入和升级前也会先备份）")
        path, folder = self.db_path, self.folder
        self._list_op = workers.run(self, "正在读取备份…", lambda: safety.list_backups(path, folder),
                                    lambda items: self._fill(items, select))

    @property
    def listing(self) -> bool:
        return bool(self._list_op and self._list_op.running)

    def _fill(self, items: list, select: Path | None) -> None:
        self.items = items
        self.table.setRowCount(len(self.items))
        for r, b in enumerate(self.items):
            cells = [f"{b.created:%Y-%m-%d %H:%M:%S}", b.reason_label, b.unit_text, size_text(b.size),
                     "无法读取" if b.records is None else str(b.records)]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
            if select is not None and b.path == select:
                self.table.selectRow(r)
        self.restore_button.setEnabled(bool(self.items))

    def _run(self, label: str, fn, done) -> None:
        self._op = workers.run(self, label, fn, done)

    @property
    def busy(self) -> bool:
        return bool(self._op and self._op.running)

    def backup_now(self) -> None:
        db = self.session.db
        actor = self.session.actor
        self._run("正在备份…", lambda: safety.backup_now(db, "manual", actor), lambda _p: self.refresh())

    def copy_to_usb(self, target: str | None = None) -> None:
        if not target:
            target = file_dialogs.existing_folder(self, "选择U盘或其他文件夹", files.default_folder())
            if not target:
                return
        db = self.session.db
        self._run("正在备份到所选位置…", lambda: safety.copy_to(db, Path(target)),
                  lambda p: self.info.setText(f"已备份到：{p}（已校验，含佐证材料）"))

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.items):
            return
        chosen = self.items[row]
        if not dialogs.confirm(self, "恢复数据", f"用 {chosen.created:%Y-%m-%d %H:%M} 的备份（{chosen.unit_text}，"
                               f"{chosen.records} 条记录）替换现在的数据吗？\n现在的数据会先另存一份，不会丢失。"):
            return
        self.restore_from(chosen.path)

    def restore_file(self, chosen: str | None = None) -> None:
        """A backup from elsewhere (a USB stick, another PC): checked before the question, so a file that cannot be
        used is refused before anyone is asked anything."""
        if not chosen:
            chosen = file_dialogs.open_file_name(self, "选择备份文件", files.default_folder(),
                                                 "备份文件 (*.sqlite3 *.db);;所有文件 (*)")
            if not chosen:
                return
        try:
            summary = safety.inspect(Path(chosen))
        except UserError as exc:
            dialogs.error(self, "不能用这个文件恢复", str(exc))
            return
        if not dialogs.confirm(self, "恢复数据", f"用备份文件「{Path(chosen).name}」（{'、'.join(summary.units) or '无单位'}，"
                               f"{summary.records} 条记录）替换现在的数据吗？\n现在的数据会先另存一份，不会丢失。"):
            return
        self.restore_from(Path(chosen))

    def restore_from(self, backup: Path, allow_other_unit: bool = False) -> None:
        """Copy the backup into place on a worker (a large file takes a while); then every tab reloads."""
        db, folder, actor = self.session.db, self.folder, self.session.actor

        def work():
            # Other background work must finish with the database first: waited for here, on the worker, so the
            # window stays responsive (this job is one of the pool's active threads itself).
            pool = QThreadPool.globalInstance()
            deadline = time.monotonic() + 30
            while pool.activeThreadCount() > 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            db.engine.dispose()  # no connection may stay open on the file being replaced
            result = safety.restore(db.path, backup, actor, allow_other_unit=allow_other_unit, folder=folder)
            db.engine.dispose()
            return result

        def failed(exc: BaseException, details: str) -> None:
            if isinstance(exc, safety.OtherUnitBackupError) and dialogs.confirm(
                    self, "其他单位或其他数据库的备份", f"{exc}\n\n确实要用这份备份替换现在的数据吗？"):
                self.restore_from(backup, allow_other_unit=True)
                return
            from fazhi_desktop.gui.shell.errors import show_exception

            show_exception(self, exc, details)

        self._op = workers.run(self, "正在恢复…", work, lambda r: self._restored(r, backup), failed)

    def _restored(self, result: safety.RestoreResult, backup: Path) -> None:
        self.session.everything_changed()
        self.refresh(select=backup)
        kept = f"恢复前的数据另存为：{result.safety}" if result.safety else "恢复前没有数据，无需另存。"
        missing = f"\n有 {len(result.missing)} 个佐证材料文件找不到：{'、'.join(result.missing[:5])}" if result.missing else ""
        again = (f"\n备份中有 {result.destroyed_again} 条记录在备份之后已到期销毁，恢复时已再次销毁。"
                 if result.destroyed_again else "")
        self.info.setText(f"已恢复。{kept}{again}{missing}")
