"""设置: unit details (generated form), report fonts per role, backups. The layout comes from ui/settings_dialog.ui."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.domain.unit import ARCHIVE, ARCHIVE_FIELDS, TODO_FIELDS, UNIT_FIELDS, privacy_fields
from fazhi_desktop.gui.generated.ui_settings_dialog import Ui_SettingsDialog
from fazhi_desktop.gui.ledger.form import RecordForm
from fazhi_desktop.gui.shell import dialogs, file_dialogs, files, ops
from fazhi_desktop.gui.shell.errors import show_user_error
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.reports.typeset.fonts import ROLE_LABELS, ROLES
from fazhi_desktop.services import local, units
from fazhi_desktop.services.actor import default_actor


class SettingsDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)
        unit = session.unit
        self.unit_form = RecordForm(UNIT_FIELDS, unit)
        self.unit_form.set_values({f.key: getattr(unit, f.key) for f in UNIT_FIELDS})
        # Who signs this PC's changes in 修改记录 (the Windows login is often "Administrator").
        self.clerk_edit = QLineEdit(local.clerk(session.db) or "")
        self.clerk_edit.setPlaceholderText(f"不填则记为本机登录名「{default_actor()}」")
        self.clerk_edit.setMaxLength(local.MAX_CLERK)
        self.clerk_edit.setEnabled(bool(session.db.database_id))
        clerk_row = QFormLayout()
        clerk_row.addRow("您的姓名（记入修改记录）：", self.clerk_edit)
        self.ui.unitLayout.addLayout(clerk_row)
        self.ui.unitLayout.addWidget(self.unit_form.in_scroll_area())
        self.rename_button = QPushButton("村名改名…")
        self.rename_button.setToolTip("村（社区）改名：名单和所有记录中的村名一并改过来，并记入修改记录")
        self.ui.unitLayout.addWidget(self.rename_button)
        self.rename_button.clicked.connect(lambda: self.rename_village())
        self.font_edits: dict[str, QLineEdit] = {}
        chosen = local.fonts(session.db) if session.db.database_id else {}
        for role in ROLES:
            edit = QLineEdit(chosen.get(role, ""))
            edit.setPlaceholderText("自动（本机公文字体或程序自带字体）")
            button = QToolButton()
            button.setText("…")
            button.clicked.connect(lambda _c=False, e=edit: self._pick_font(e))
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(button)
            self.ui.fontForm.addRow(f"{ROLE_LABELS[role]}：", row)
            self.font_edits[role] = edit
        # 待办期限: the settings the deadlines are derived with, a form generated from their declarations
        from fazhi_desktop.services import todo

        self.todo_form = RecordForm(TODO_FIELDS, unit)
        self.todo_form.set_values(todo.settings_of(unit))
        self.todo_page = QWidget()
        todo_layout = QVBoxLayout(self.todo_page)
        todo_layout.setContentsMargins(0, 0, 0, 0)
        todo_layout.addWidget(self.todo_form.in_scroll_area(), 1)
        # a year the program does not ship yet: the county's file, or the county writing one for its townships
        self.holidays_import_button = QPushButton("导入县里下发的节假日安排…")
        self.holidays_export_button = QPushButton("导出节假日安排文件…")
        self.holidays_export_button.setToolTip("把某年的放假和调休日期写成文件，下发给各乡镇导入")
        calendar_row = QHBoxLayout()
        calendar_row.addWidget(self.holidays_import_button)
        calendar_row.addWidget(self.holidays_export_button)
        calendar_row.addStretch(1)
        todo_layout.addLayout(calendar_row)
        self.holidays_import_button.clicked.connect(lambda: self.import_holidays())
        self.holidays_export_button.clicked.connect(lambda: self.export_holidays())
        self.ui.tabs.addTab(self.todo_page, "待办期限")
        # 个人信息: the idle lock and each ledger's 保管期限, a form generated from their declarations
        from fazhi_desktop.services import retention

        self.privacy_form = RecordForm(privacy_fields(), unit)
        self.privacy_form.set_values({"idle_lock_minutes": unit.settings.get("idle_lock_minutes", 10),
                                      "sensitive_words": unit.settings.get("sensitive_words") or [],
                                      **retention.classes_of(unit), **(unit.settings.get(ARCHIVE) or {})})
        self.privacy_page = self.privacy_form.in_scroll_area()
        self.ui.tabs.addTab(self.privacy_page, "个人信息")
        self.ui.h3BoldCheck.setChecked(bool(unit.settings.get("h3_bold")))
        folder, keep = local.policy(session.db)
        self.ui.backupDirEdit.setText(str(folder))
        self.ui.keepSpin.setValue(keep)
        # Folders and font files are this PC's: a server database (no local file) keeps none of them.
        self.ui.backupDirEdit.setEnabled(session.db.is_sqlite)
        self.ui.keepSpin.setEnabled(session.db.is_sqlite)
        self.ui.backupDirButton.clicked.connect(self._pick_backup_dir)
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def rename_village(self, old: str | None = None, new: str | None = None) -> None:
        villages = list(self.session.unit.villages)
        if not villages:
            return
        if old is None:
            old, ok = QInputDialog.getItem(self, "村名改名", "要改名的村（社区）：", villages, 0, False)
            if not ok:
                return
        if new is None:
            new, ok = QInputDialog.getText(self, "村名改名", f"「{old}」的新名称：", text=old)
            if not ok:
                return
        try:
            unit, changed = ops.call_write(self, self.session, "正在改名…", lambda ctx: units.rename(ctx, old, new))
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        self.unit_form.editors["villages"].set(unit.villages)
        QMessageBox.information(self, "村名改名", f"已把「{old}」改为「{unit.villages[villages.index(old)]}」，"
                                f"{changed} 条记录一并改过来（已记入修改记录）。")

    def import_holidays(self) -> None:
        from fazhi_desktop.services import holiday_files, todo

        path = file_dialogs.open_file_name(self, "选择县里下发的节假日安排文件", files.default_folder(),
                                           "节假日安排 (*.json)")
        if not path:
            return
        try:
            unit, found = ops.call_write(self, self.session, "正在导入节假日安排…",
                                         lambda ctx: holiday_files.import_file(ctx, path))
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        cfg = todo.settings_of(unit)
        self.todo_form.editors["holidays"].set(cfg["holidays"])
        self.todo_form.editors["workdays"].set(cfg["workdays"])
        dialogs.finished(self, "导入节假日安排", f"已导入{found.year}年节假日安排（{found.notice}）：放假 {len(found.off)} 天，"
                         f"调休上班 {len(found.worked)} 天（已记入修改记录）。")

    def export_holidays(self) -> None:
        import datetime as dt

        from fazhi_desktop.domain import holidays
        from fazhi_desktop.services import holiday_files

        year, ok = QInputDialog.getInt(self, "导出节假日安排", "哪一年的节假日安排：", dt.date.today().year + 1, 2000, 2100)
        if not ok:
            return
        notice = None
        known = (self.session.unit.settings.get(holiday_files.NOTICES) or {}).get(str(year))
        if year not in holidays.CALENDARS and not known:
            notice, ok = QInputDialog.getText(self, "导出节假日安排", f"{year}年节假日安排通知的文号或日期：")
            if not ok:
                return
        out = file_dialogs.save_file_name(self, "保存节假日安排文件", f"{year}年节假日安排.json", "节假日安排 (*.json)")
        if not out:
            return
        try:
            written = ops.call_read(self, self.session, "正在导出节假日安排…",
                                    lambda ctx: holiday_files.export_file(ctx, year, out, notice))
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        dialogs.finished(self, "导出节假日安排", f"已写出：{written}\n可下发给各乡镇，在“设置 → 待办期限”中导入。")

    def _pick_font(self, edit: QLineEdit) -> None:
        path = file_dialogs.open_file_name(self, "选择字体文件", files.default_folder(), "TrueType 字体 (*.ttf *.ttc)")
        if path:
            edit.setText(path)

    def _pick_backup_dir(self) -> None:
        path = file_dialogs.existing_folder(self, "选择备份文件夹", self.ui.backupDirEdit.text())
        if path:
            self.ui.backupDirEdit.setText(path)

    def accept(self) -> None:
        fonts = {role: e.text().strip() for role, e in self.font_edits.items() if e.text().strip()}
        for role, path in fonts.items():
            if not Path(path).is_file():
                show_user_error(self, f"「{ROLE_LABELS[role]}」的字体文件不存在：{path}")
                return
        from fazhi_desktop.services import todo

        try:
            todo_settings = todo.clean_settings(self.todo_form.values())
        except ValidationError as exc:
            self.ui.tabs.setCurrentWidget(self.todo_page)
            self.todo_form.show_problems(exc.problems)
            return
        from fazhi_desktop.domain.validation import validate_fields

        privacy, problems = validate_fields(privacy_fields(), self.privacy_form.values())
        if any(not p.warning for p in problems):
            self.ui.tabs.setCurrentWidget(self.privacy_page)
            self.privacy_form.show_problems(problems)
            return
        minutes, words = privacy.pop("idle_lock_minutes"), privacy.pop("sensitive_words") or []
        archive = {f.key: privacy.pop(f.key) or "" for f in ARCHIVE_FIELDS}
        settings = {"h3_bold": self.ui.h3BoldCheck.isChecked(), "todo": todo_settings,
                    "idle_lock_minutes": 10 if minutes is None else minutes, "retention": privacy,
                    "sensitive_words": words, ARCHIVE: archive}
        try:
            values = self.unit_form.values()
            ops.call_write(self, self.session, "正在保存设置…", lambda ctx: units.save(ctx, values, settings))
            if self.session.db.database_id:
                clerk = self.clerk_edit.text().strip()
                local.save(self.session.db, fonts=fonts, backup_dir=self.ui.backupDirEdit.text().strip(),
                           keep=self.ui.keepSpin.value(), clerk=clerk)
                if not self.session.account:  # logged in: the account stays who works
                    self.session.actor = clerk or default_actor()
        except ValidationError as exc:
            self.ui.tabs.setCurrentWidget(self.ui.unitPage)
            self.unit_form.show_problems(exc.problems)
            return
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        super().accept()
