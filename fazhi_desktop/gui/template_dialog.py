"""编辑报告模板: a unit keeps its own wording of a template (text with {{ 占位符 }}), checked before it is saved."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.gui import workers
from fazhi_desktop.gui.errors import show_exception, show_user_error
from fazhi_desktop.gui.session import Session
from fazhi_desktop.reports.builder import check_template, template_source
from fazhi_desktop.services.units import update_settings


class TemplateDialog(QDialog):
    def __init__(self, session: Session, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.session, self.name = session, name
        self.setWindowTitle(f"编辑报告模板 — {name}")
        self.resize(900, 640)
        hint = QLabel("改动文字即可；{{ … }} 中是由台账统计出的数字，{% … %} 是条件和循环，请保留。"
                      "以“# ”开头的行是一级标题，“## ”开头的是二级标题。保存前会用本年度数据试生成一次。")
        hint.setWordWrap(True)
        self.editor = QPlainTextEdit(template_source(session.unit, name))
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

    def _store(self, templates: dict) -> None:
        with self.session.engine.begin() as conn:
            update_settings(conn, self.session.unit, {"templates": templates}, self.session.actor)
        self.session.reload_unit()
        self.session.data_changed.emit("report_text")

    @property
    def busy(self) -> bool:
        return bool(self._op and self._op.running)

    def save(self) -> None:
        """Trial-render on a worker (a runaway template is stopped by the render limits, never freezes the
        window); saved only when every trial passes."""
        if self.busy:
            return
        source = self.editor.toPlainText()
        engine, unit, year, name = self.session.engine, self.session.unit, self.session.year, self.name

        def work() -> str:
            with engine.connect() as conn:
                check_template(conn, unit, year, name, source)
            return source

        self.buttons.setEnabled(False)
        self._op = workers.run(self, "正在用本年度和往年的数据试生成…", work, self._checked, self._failed)

    def _checked(self, source: str) -> None:
        self.buttons.setEnabled(True)
        self._store({**(self.session.unit.settings.get("templates") or {}), self.name: source})
        self.accept()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, UserError):
            show_user_error(self, str(exc))
        else:
            show_exception(self, exc, details)

    def restore_default(self) -> None:
        templates = dict(self.session.unit.settings.get("templates") or {})
        templates.pop(self.name, None)
        self._store(templates)
        self.editor.setPlainText(template_source(self.session.unit, self.name))
