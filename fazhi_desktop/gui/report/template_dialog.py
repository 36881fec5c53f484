"""编辑报告模板: a unit keeps its own wording of a template (text with {{ 占位符 }}), checked before it is saved."""

from __future__ import annotations

import re

from PySide6.QtGui import QFont, QTextCursor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.gui.shell import ops, workers
from fazhi_desktop.gui.shell.errors import show_exception, show_user_error
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.reports.content.builder import checked_template, template_source
from fazhi_desktop.reports.content.placeholders import from_placeholders, to_placeholders, unknown_placeholders
from fazhi_desktop.services import units


class TemplateDialog(QDialog):
    def __init__(self, session: Session, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.name = session, name
        self.setWindowTitle(f"编辑报告模板 — {name}")
        self.resize(900, 640)
        hint = QLabel("改动文字即可。{法治建设专题会议} 这样的花括号是由台账统计出的数字（名称见“统计”页的指标），"
                      "{% … %} 是条件和循环，请保留。以“# ”开头的行是一级标题，“## ”开头的是二级标题。"
                      "保存前会用本年度、上一年度和没有数据的年度各试生成一次；有错时光标停在出错的行。")
        hint.setWordWrap(True)
        self.editor = QPlainTextEdit(to_placeholders(template_source(session.unit, name)))
        self.editor.setFont(QFont("monospace"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_default)
        self._op: workers.Operation | None = None

    def _store(self, source: str | None) -> None:
        name = self.name
        ops.call_write(self, self.session, "正在保存模板…", lambda ctx: units.set_template(ctx, name, source))

    @property
    def busy(self) -> bool:
        return bool(self._op and self._op.running)

    def save(self) -> None:
        """Trial-render on a worker (a runaway template is stopped by the render limits, never freezes the
        window); saved only when every trial passes."""
        if self.busy:
            return
        text = self.editor.toPlainText()
        unknown = unknown_placeholders(text)
        if unknown:
            self._failed(UserError(f"模板未保存。{self._line_of('{' + unknown[0] + '}')}没有名为「{unknown[0]}」的统计数字；"
                                   "请核对名称（与“统计”页的指标名称相同）。"), "")
            return
        source = from_placeholders(text)
        year, name = self.session.year, self.name

        def work(ctx) -> str:
            checked_template(ctx, year, name, source)
            return source

        self.buttons.setEnabled(False)
        self._op = ops.read(self, self.session, "正在用本年度和往年的数据试生成…", work, self._checked, self._failed)

    def _checked(self, source: str) -> None:
        self.buttons.setEnabled(True)
        self._store(source)
        self.accept()

    def _line_of(self, fragment: str) -> str:
        for n, line in enumerate(self.editor.toPlainText().splitlines(), start=1):
            if fragment in line:
                return f"第 {n} 行："
        return ""

    def _failed(self, exc: BaseException, details: str) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, UserError):
            m = re.search(r"第 (\d+) 行", str(exc))
            if m:  # the cursor goes to the line the message names
                block = self.editor.document().findBlockByLineNumber(int(m[1]) - 1)
                if block.isValid():
                    cursor = QTextCursor(block)
                    cursor.select(QTextCursor.SelectionType.LineUnderCursor)
                    self.editor.setTextCursor(cursor)
                    self.editor.setFocus()
            show_user_error(self, str(exc))
        else:
            show_exception(self, exc, details)

    def restore_default(self) -> None:
        self._store(None)
        self.editor.setPlainText(to_placeholders(template_source(self.session.unit, self.name)))
