"""导入向导: pick a workbook, check it in the background, preview rows and problems, then import all or nothing."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.exchange.apply import run_import
from fazhi_desktop.exchange.plan import ImportReport, plan_import
from fazhi_desktop.gui.ledger.table_model import display
from fazhi_desktop.gui.shell import dialogs, files, ops
from fazhi_desktop.gui.shell.errors import show_exception
from fazhi_desktop.gui.shell.hints import worded
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.gui.shell.workers import Operation
from fazhi_desktop.services import safety
from fazhi_desktop.services.context import EVERYTHING, Done

PREVIEW_ROWS = 100
MAX_PROBLEMS_SHOWN = 1000


class ImportDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.report: ImportReport | None = None
        self.imported = False
        self.problems = []
        self._op: Operation | None = None
        self.setWindowTitle("从 Excel 导入台账")
        dialogs.sized(self, 980, 620)  # shrunk to the screen: 导入 and 关闭 stay on it
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("选择 .xlsx 工作簿（可先在“文件”菜单下载导入模板）")
        browse = QPushButton("浏览…")
        self.check_button = QPushButton("检查")
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        row.addWidget(self.check_button)
        self.summary = QLabel("请选择要导入的工作簿，然后点“检查”。检查不会写入任何数据。")
        self.summary.setWordWrap(True)
        self.sheets = QListWidget()
        self.preview = QTableWidget()
        self.problem_table = QTableWidget(0, 4)
        self.problem_table.setHorizontalHeaderLabels(["工作表", "行号", "字段", "问题"])
        self.problem_table.horizontalHeader().setStretchLastSection(True)
        top = QSplitter()
        top.addWidget(self.sheets)
        top.addWidget(self.preview)
        top.setStretchFactor(1, 3)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(top, 3)
        layout.addWidget(QLabel("发现的问题（有问题时不会导入任何数据）："))
        layout.addWidget(self.problem_table, 2)
        layout.addWidget(self.buttons)
        browse.clicked.connect(self._browse)
        self.check_button.clicked.connect(self.check)
        self.sheets.currentRowChanged.connect(self._show_sheet)
        self.buttons.accepted.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

    @property
    def busy(self) -> bool:
        return bool(self._op and self._op.running)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择工作簿", files.default_folder(), "Excel 工作簿 (*.xlsx);;所有文件 (*)")
        if path:
            self.path_edit.setText(path)
            self.check()

    def check(self) -> None:
        path = self.path_edit.text().strip()
        self.import_button.setEnabled(False)
        self.summary.setText("正在检查…")
        self._op = ops.read(self, self.session, "正在检查工作簿…",
                            lambda ctx: plan_import(ctx.engine, path, ctx.unit.name), self._checked, self._failed)

    def _failed(self, exc: BaseException, details: str) -> None:
        self.report = None
        self.sheets.clear()
        self.preview.clear()
        if isinstance(exc, ValidationError):
            self.problems = exc.problems
            shown = exc.problems[:MAX_PROBLEMS_SHOWN]
            more = len(exc.problems) - len(shown)
            self.summary.setText(f"发现 {len(exc.problems)} 处问题，请在工作簿中改正后重新检查。"
                                 + (f"下表列出前 {len(shown)} 处，另有 {more} 处问题。" if more else ""))
            self.problem_table.setRowCount(len(shown))
            for r, p in enumerate(shown):
                for c, value in enumerate((p.sheet or "", "" if p.row is None else str(p.row), p.label, p.message)):
                    self.problem_table.setItem(r, c, QTableWidgetItem(value))
            return
        self.problem_table.setRowCount(0)
        self.summary.setText(str(exc) if isinstance(exc, UserError) else "检查失败。")
        show_exception(self, exc, details if not hasattr(exc, "problems") else None)

    def _checked(self, report: ImportReport) -> None:
        self.report = report
        self.problems = []
        self.problem_table.setRowCount(0)
        self.sheets.clear()
        for line in report.summary():
            self.sheets.addItem(line)
        text = f"检查通过：将新增 {report.created} 条、更新 {report.updated} 条。"
        if report.unit_created:
            text += "将根据“单位设置”创建单位。"
        if report.warnings:
            text += "\n提示：" + "；".join(worded(w) for w in report.warnings[:5])
        self.summary.setText(text)
        self.import_button.setEnabled(report.created + report.updated > 0 or bool(report.drafts))
        if report.plans:  # the first sheet that brings something, not an empty one of a full template
            busy = [i for i, p in enumerate(report.plans) if p.creates or p.updates]
            self.sheets.setCurrentRow(busy[0] if busy else 0)

    def _show_sheet(self, row: int) -> None:
        if not self.report or row < 0 or row >= len(self.report.plans):
            return
        plan = self.report.plans[row]
        fields = plan.ledger.fields
        rows = [("新增", c) for _id, c in plan.creates] + [("更新", c) for _id, c in plan.updates]
        self.preview.clear()
        self.preview.setColumnCount(len(fields) + 1)
        self.preview.setHorizontalHeaderLabels(["操作", *(f.label for f in fields)])
        self.preview.setRowCount(min(len(rows), PREVIEW_ROWS))
        for r, (action, values) in enumerate(rows[:PREVIEW_ROWS]):
            self.preview.setItem(r, 0, QTableWidgetItem(action))
            for c, f in enumerate(fields, start=1):
                self.preview.setItem(r, c, QTableWidgetItem(display(f, values.get(f.key))))

    def do_import(self) -> None:
        if not self.report:
            return
        path = self.path_edit.text().strip()

        def work(ctx) -> Done:
            def before() -> None:  # a verified backup before the database changes
                if ctx.db.is_sqlite:
                    safety.backup_now(ctx.db, "before-import")

            report = run_import(ctx.engine, path, actor=ctx.actor, unit_name=ctx.unit.name, before_write=before)
            return Done(report, EVERYTHING)  # many ledgers, years, drafts, the unit's choices

        self.import_button.setEnabled(False)
        self._op = ops.write(self, self.session, "正在导入…", work, self._imported, self._failed)

    def _imported(self, report: ImportReport) -> None:
        """The result stays on screen until the clerk closes the dialog (it used to close before it could be read)."""
        self.report = None
        self.summary.setText(f"导入完成：新增 {report.created} 条、更新 {report.updated} 条。导入前的数据已自动备份。"
                             "可在各台账的“历史”中看到这些记录来自 Excel 导入。")
        self.import_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("完成")
        self.imported = True
