"""编辑报告模板: a unit keeps its own outline of a report (headings, its own sentences and {名称} placeholders, no
template syntax), checked on real data before it is saved."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.gui.shell import dialogs, ops, workers
from fazhi_desktop.gui.shell.errors import show_exception, show_user_error
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.reports.content.builder import checked_template, is_legacy_template, template_source
from fazhi_desktop.reports.content.outline import compile_outline, names
from fazhi_desktop.services import units

HINT = ("直接修改文字即可。以“# ”开头的行是一级标题，以“## ”开头的是二级标题（标题到第一个句号为止，后面可以接正文）；"
        "序号由程序编排，某部分本年度没有记录时自动略去并顺延。{组织领导部分} 这样的花括号是由台账生成的段落或数字，"
        "可在右侧列表中双击插入。标题下放了段落的部分，在“年度报告”页写的文稿会代替生成的文字。"
        "保存前会用本年度、上一年度和没有数据的年度各试生成一次。")


class TemplateDialog(QDialog):
    def __init__(self, session: Session, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.name = session, name
        self.setWindowTitle(f"编辑报告模板 — {name}")
        dialogs.sized(self, 900, 600)
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.names = QListWidget()
        self.names.setToolTip("双击或按回车，把名称插入到光标处")
        for group, items in names().items():
            head = QListWidgetItem(f"—— {group} ——")
            head.setFlags(Qt.ItemFlag.NoItemFlags)
            self.names.addItem(head)
            for item in items:
                self.names.addItem(QListWidgetItem(item))
        self.names.itemActivated.connect(self._insert)
        split = QSplitter()
        split.addWidget(self.editor)
        split.addWidget(self.names)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存(&S)")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).setText("恢复默认模板")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        if is_legacy_template(session.unit, name):
            legacy = QLabel("本单位原有的这个模板是旧版程序的写法，不能在这里修改；下面显示的是默认模板。"
                            "保存后将以下面的文字代替原有模板。")
            legacy.setWordWrap(True)
            legacy.setStyleSheet("color: #a61b1b;")
            layout.addWidget(legacy)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_default)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._op: workers.Operation | None = None
        self._show(template_source(session.unit, name))

    def _show(self, text: str) -> None:
        self.editor.setPlainText(text)
        self.editor.document().setModified(False)

    def _insert(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.editor.insertPlainText(f"{{{item.text()}}}")
            self.editor.setFocus()

    @property
    def modified(self) -> bool:
        return self.editor.document().isModified()

    def _store(self, source: str | None) -> None:
        name = self.name
        ops.call_write(self, self.session, "正在保存模板…", lambda ctx: units.set_template(ctx, name, source))

    @property
    def busy(self) -> bool:
        return bool(self._op and self._op.running)

    def save(self) -> None:
        """Trial-render on a worker; saved only when every trial passes."""
        if self.busy:
            return
        source = self.editor.toPlainText().strip() + "\n"
        try:  # a mistake in the outline is told at once; the trial on real data runs on a worker
            compile_outline(source)
        except UserError as exc:
            self._failed(UserError(f"模板未保存。{exc}"), "")
            return
        year, name = self.session.year, self.name
        self.buttons.setEnabled(False)

        def work(ctx) -> str:
            checked_template(ctx, year, name, source)
            return source

        self._op = ops.read(self, self.session, "正在用本年度和往年的数据试生成…", work, self._checked, self._failed)

    def _checked(self, source: str) -> None:
        self.buttons.setEnabled(True)
        self._store(source)
        self.editor.document().setModified(False)
        self.accept()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.buttons.setEnabled(True)
        if not isinstance(exc, UserError):
            show_exception(self, exc, details)
            return
        m = re.search(r"第 (\d+)", str(exc))
        if m:  # the cursor goes to the line the message names (a block is one line of the outline)
            block = self.editor.document().findBlockByNumber(int(m[1]) - 1)
            if block.isValid():
                cursor = QTextCursor(block)
                cursor.select(QTextCursor.SelectionType.LineUnderCursor)
                self.editor.setTextCursor(cursor)
                self.editor.setFocus()
        show_user_error(self, str(exc))

    def reject(self) -> None:
        """取消, Esc and the window's close button ask before edits are thrown away."""
        if self.busy:
            return
        if self.modified and not dialogs.confirm(self, "放弃修改", "对模板的修改尚未保存，确定放弃这些修改吗？"):
            return
        super().reject()

    def restore_default(self) -> None:
        if not dialogs.confirm(self, "恢复默认模板", f"本单位对「{self.name}」模板的修改将全部删除，恢复为程序自带的模板。确定吗？"):
            return
        self._store(None)
        self._show(template_source(self.session.unit, self.name))
