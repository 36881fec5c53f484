"""县级汇总: the county's view of its townships for the year shown — 汇总表, 报送情况, 完整性, 风险与整改 — with the
package import and the county workbook. Shown when the database holds more than one unit (a county database)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.gui.shell import dialogs, file_dialogs, files, ops, workers
from fazhi_desktop.gui.shell.errors import show_user_error
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.services import county
from fazhi_desktop.services.county import CountyView


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class RosterDialog(QDialog):
    """本县乡镇名单: the county's name, its townships one a line in its own order, the report deadline."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("本县乡镇名单")
        self.county_edit = QLineEdit()
        self.county_edit.setPlaceholderText("如 甲县")
        self.townships_edit = QPlainTextEdit()
        self.townships_edit.setPlaceholderText("每行一个，按县里的顺序，如\n柳树乡\n肖咀镇\n西华街道\n看不出类型的写成 城关:镇")
        self.deadline_edit = QLineEdit()
        self.deadline_edit.setPlaceholderText("如 03-25")
        form = QFormLayout()
        form.addRow("县（市、区）：", self.county_edit)
        form.addRow("乡镇（街道）：", self.townships_edit)
        form.addRow("报送截止（月-日）：", self.deadline_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def fill(self, roster: county.Roster | None, deadline: tuple[int, int] | None, county_name: str) -> None:
        self.county_edit.setText(roster.county if roster else county_name)
        self.townships_edit.setPlainText("\n".join(n if county.kind_of(n) == k else f"{n}:{k}"
                                                   for n, k in (roster.townships if roster else ())))
        if deadline:
            self.deadline_edit.setText(f"{deadline[0]:02d}-{deadline[1]:02d}")


class CountyTab(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.view: CountyView | None = None
        self._op: workers.Operation | None = None
        self._opened: Path | None = None
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.import_button = QPushButton("导入乡镇数据包…")
        self.workbook_button = QPushButton("生成县级汇总表…")
        self.score_button = QPushButton("按考核细则打分…")
        self.score_button.setToolTip("选择县里的考核细则（Excel），给各乡镇打分，生成带考核汇总表（合计和名次）的县级汇总表")
        self.relink_button = QPushButton("重新关联乡镇…")
        self.relink_button.setToolTip("乡镇重装电脑（没有从备份恢复）后：核对它新的签名指纹，准许接收（仅管理员，记入修改记录）")
        self.roster_button = QPushButton("本县乡镇名单…")
        self.roster_button.setToolTip("本县名称和各乡镇（街道），按县里的顺序；报送情况按这个名单列出，未报送的也列出")
        self.report_button = QPushButton("打开所选乡镇报送的报告")
        self.report_button.setToolTip("在“报送情况”中选中一个乡镇，打开它随数据包报送的年度报告PDF（原样）")
        self.deadline_edit = QLineEdit()
        self.deadline_edit.setPlaceholderText("如 03-15")
        self.deadline_edit.setMaximumWidth(90)
        self.deadline_edit.setToolTip("县里要求各乡镇报送年度报告的截止日期（次年的月-日）；逾期的在报送情况中标出")
        self.tables = {name: QTableWidget() for name in ("汇总表", "报送情况", "完整性", "风险与整改")}
        pages = QTabWidget()
        for name, table in self.tables.items():
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            table.setAlternatingRowColors(True)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            pages.addTab(table, name)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("报送截止："))
        bar.addWidget(self.deadline_edit)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.roster_button)
        bar.addWidget(self.import_button)
        bar.addWidget(self.report_button)
        bar.addWidget(self.workbook_button)
        bar.addWidget(self.score_button)
        bar.addWidget(self.relink_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(pages, 1)
        self.import_button.clicked.connect(self.import_packages)
        self.workbook_button.clicked.connect(self.save_workbook)
        self.report_button.clicked.connect(self.open_report)
        self.roster_button.clicked.connect(self.edit_roster)
        self.score_button.clicked.connect(self.save_scores)
        self.relink_button.clicked.connect(self.relink)
        self.deadline_edit.editingFinished.connect(self._deadline_edited)
        session.year_changed.connect(lambda _y: self.load())
        session.changed.connect(lambda _c: self.load())
        self.load()

    @property
    def busy(self) -> bool:
        return bool(self._op and self._op.running)

    def load(self) -> None:
        year = self.session.year
        self.status.setText("正在汇总…")
        self._op = ops.read(self, self.session, "正在汇总各乡镇的数据…", lambda ctx: county.view_of(ctx, year),
                            self._show)

    def _show(self, view: CountyView) -> None:
        self.view = view
        if view.deadline and not self.deadline_edit.hasFocus():
            self.deadline_edit.setText(f"{view.deadline[0]:02d}-{view.deadline[1]:02d}")
        self._fill("汇总表", view.summary_headers, [
            [f"{v * 100:.1f}%" if c in view.rate_columns and v is not None else v for c, v in enumerate(row)]
            for row in view.summary])
        self._fill("报送情况", county.SUBMISSION_HEADERS, [county.submission_row(s) for s in view.submissions])
        ledgers = list(next(iter(view.completeness.values()), {}).keys())
        self._fill("完整性", ["乡镇（街道）", *ledgers, *county.COMPLETENESS_TAIL],
                   [county.completeness_row(unit, counts, view.evidence.get(unit))
                    for unit, counts in view.completeness.items()])
        self._fill("风险与整改", ["乡镇（街道）", "类别", "内容", "日期", "状态"], view.risks)
        late = sum(1 for s in view.submissions if s.late)
        waiting = sum(1 for s in view.submissions if s.state in (county.NOT_SENT, county.NOT_SENT_LATE))
        self.status.setText(f"{view.year}年：乡镇（街道）{len(view.units)} 个，未报送 {waiting} 个，报送需关注 {late} 个，"
                            f"风险与整改 {len(view.risks)} 项。")

    def _fill(self, name: str, headers: list[str], rows: list[list[Any]]) -> None:
        table = self.tables[name]
        table.clear()
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(headers)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(_cell(value)))
        table.resizeColumnsToContents()

    def _deadline_edited(self) -> None:
        text = self.deadline_edit.text().strip()
        if not text:
            return
        try:
            deadline = county.parse_deadline(text)
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        if self.view is not None and self.view.deadline == deadline:
            return
        ops.call_write(self, self.session, "正在保存截止日期…", lambda ctx: county.set_deadline(ctx, deadline))
        self.load()

    def import_packages(self) -> None:
        from fazhi_desktop.exchange.package_read import merge_many

        chosen = file_dialogs.open_file_names(self, "选择乡镇数据包（可多选）", files.default_folder(), "数据包 (*.zip)")
        if not chosen:
            return
        paths = [Path(p) for p in chosen]
        batch = ops.call_write(self, self.session, f"正在导入 {len(paths)} 个数据包…", lambda ctx: merge_many(ctx, paths))
        lines = [m.summary for m in batch.merged]
        text = (f"已导入 {len(batch.merged)} 个数据包：\n" + "\n".join(lines)) if lines else "没有导入任何数据包。"
        if batch.refused:
            text += f"\n\n未导入 {len(batch.refused)} 个（文件没有任何改动）：\n" + "\n\n".join(batch.refused)
        self.status.setText("；".join(lines) or "没有导入任何数据包。")
        dialogs.finished(self, "导入乡镇数据包", text, warning=bool(batch.refused))

    def edit_roster(self) -> None:
        dialog = RosterDialog(self)
        with self.session.db.engine.connect() as conn:
            roster, deadline = county.stored_roster(conn), county.stored_deadline(conn)
        dialog.fill(roster, deadline, self.view.county if self.view else "")
        while dialog.exec():
            try:
                ops.call_write(self, self.session, "正在保存乡镇名单…", lambda ctx: county.setup(
                    ctx, dialog.county_edit.text(), dialog.townships_edit.toPlainText(),
                    dialog.deadline_edit.text().strip() or None))
            except UserError as exc:
                show_user_error(self, str(exc))
                continue
            self.load()
            return

    def open_report(self) -> None:
        """The report the selected township submitted, written as it came to a private temporary file and opened."""
        import tempfile

        table = self.tables["报送情况"]
        row = table.currentRow()
        if self.view is None or row < 0 or table.item(row, 0) is None:
            show_user_error(self, "请先在“报送情况”中选中一个乡镇（街道）。")
            return
        township, year = table.item(row, 0).text(), self.view.year
        try:
            data, _received = ops.call_read(self, self.session, "正在取出报告…",
                                            lambda ctx: county.submitted_report_of(ctx, township, year))
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        if self._opened is None:  # one private folder for the reports this tab opens, not one per click
            self._opened = Path(tempfile.mkdtemp(prefix="fazhi-county-"))
        path = self._opened / f"{township}{year}年度报告（报送件）.pdf"
        path.write_bytes(data)
        files.open_file(path)

    def save_workbook(self) -> None:
        self._save(scored=False)

    def save_scores(self) -> None:
        self._save(scored=True)

    def _save(self, *, scored: bool) -> None:
        if self.view is None:
            return
        from fazhi_desktop.reports.render.county_xlsx import write_county_workbook

        view = self.view
        sheet = None
        if scored:
            sheet = file_dialogs.open_file_name(self, "选择县里的考核细则", files.default_folder(), "Excel 工作簿 (*.xlsx)")
            if not sheet:
                return
        out = file_dialogs.save_file_name(self, "保存县级汇总表", f"{view.county}{view.year}年县级汇总表.xlsx",
                                          "Excel 工作簿 (*.xlsx)")
        if not out:
            return
        ctx = self.session.context()

        def job():
            scores = None
            if sheet:
                from fazhi_desktop.exchange.scoring_sheet import read_sheet

                found = read_sheet(sheet)
                with ctx.engine.connect() as conn:
                    scores = (found, county.score_all(conn, view.year, found))
            return write_county_workbook(view, out, scores)

        self._op = workers.run(self, "正在生成县级汇总表…", job, lambda path: self.status.setText(f"已保存：{path}"))

    def relink(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        names = self.view.units if self.view else []
        township, ok = QInputDialog.getItem(self, "重新关联乡镇", "哪个乡镇（街道）重装了电脑：", names, 0, False)
        if not ok or not township:
            return
        fingerprint, ok = QInputDialog.getText(self, "重新关联乡镇", f"{township}新的签名指纹（见其报送单）：")
        if not ok:
            return
        try:
            fp = ops.call_write(self, self.session, "正在保存…", lambda ctx: county.relink(ctx, township, fingerprint))
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        dialogs.finished(self, "重新关联乡镇", f"已准许{township}下一个以指纹 {fp} 签名的数据包（已记入修改记录），"
                         "请导入它的数据包。")
