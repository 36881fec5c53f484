"""考核自评's mapping step: each row of the county's sheet linked to one or more figures of the ledgers, each with its
rule (domain.scoring), saved into the sheet itself for the county to hand out, then scored.

One table line is one rule; a row with two criteria has two lines (each with its share of the row's points); a line
whose 统计指标 is left at 「留给考核组评分」 leaves its row to the reviewers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from fazhi_desktop.domain.errors import UserError
from fazhi_desktop.domain.scoring import (
    KINDS,
    MAX_POINTS,
    WHEN_NONE,
    Criterion,
    Figure,
    ScoreItem,
    ScoreSheet,
    SheetProblem,
    number,
    shown,
)
from fazhi_desktop.gui.shell import dialogs, file_dialogs, workers
from fazhi_desktop.gui.shell.errors import show_user_error

COLUMNS = ("细则行号", "考核内容", "分值", "统计指标", "规则", "本条分值", "达标值", "每单位分值", "上限", "无可计算数据时")
FIGURE_COL, KIND_COL, SHARE_COL, TARGET_COL, PER_UNIT_COL, CAP_COL, WHEN_COL = 3, 4, 5, 6, 7, 8, 9
LEFT = "（留给考核组评分）"
ITEM = Qt.ItemDataRole.UserRole


class ScoreRulesDialog(QDialog):
    def __init__(self, sheet: ScoreSheet, figures: dict[str, Figure], source: str | Path,
                 parent: QWidget | None = None):
        from fazhi_desktop.services.score_figures import described

        super().__init__(parent)
        self.sheet, self.figures, self.source = sheet, figures, Path(source)
        self.mapped: ScoreSheet | None = None
        layout, self.summary, self.table = dialogs.listing_layout(self, "考核自评：设置自评规则", COLUMNS)
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed)
        self.names = sorted(figures)
        self.labels = [LEFT, *(described(figures[n]) for n in self.names)]
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = QPushButton("为此项再加一条规则(&A)")
        self.remove_button = QPushButton("删除这条规则(&D)")
        self.save_button = QPushButton("保存规则到细则(&S)…")
        self.save_button.setToolTip("把自评规则存进考核细则（隐藏的“自评规则”工作表），县里可把这份细则下发各乡镇直接使用")
        self.score_button = QPushButton("按这些规则自评(&O)…")
        self.score_button.setDefault(True)
        for button in (self.add_button, self.remove_button, self.save_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.score_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        self.add_button.clicked.connect(self.add_line)
        self.remove_button.clicked.connect(self.remove_line)
        self.save_button.clicked.connect(self.save_rules)
        self.score_button.clicked.connect(self.accept)
        layout.addWidget(buttons)
        for item in sheet.items:
            for criterion in item.criteria or (None,):
                self._insert(self.table.rowCount(), item, criterion)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(1, 260)
        self.table.setColumnWidth(FIGURE_COL, 260)
        self._say()
        dialogs.sized(self, 1180, 560)

    def _say(self) -> None:
        mapped = len({self.table.item(r, 0).data(ITEM).row for r in range(self.table.rowCount())
                      if self._combo(r, FIGURE_COL).currentIndex() > 0})
        self.summary.setText(
            f"「{self.sheet.name}」共 {len(self.sheet.items)} 个考核项目，已为 {mapped} 个设了自评规则。为能由台账算出的"
            "项目选择统计指标和规则（多者为好、少者为好如逾期和败诉、加分、一票否决）；一项有几条标准的，"
            "点“为此项再加一条规则”并写明每条占的分值；其余留给考核组评分。")

    def _combo(self, r: int, c: int) -> QComboBox:
        return self.table.cellWidget(r, c)

    def _insert(self, r: int, item: ScoreItem, criterion: Criterion | None) -> None:
        self.table.insertRow(r)
        for c, text in enumerate((str(item.row), self.sheet.words(item), "一票否决" if item.points is None
                                  else shown(item.points))):
            cell = QTableWidgetItem(text)
            cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if c == 0:
                cell.setData(ITEM, item)  # the sheet's item this line belongs to
            self.table.setItem(r, c, cell)
        figure = QComboBox()
        figure.addItems(self.labels)
        if criterion is not None and criterion.figure in self.names:
            figure.setCurrentIndex(self.names.index(criterion.figure) + 1)
        figure.currentIndexChanged.connect(self._say)
        kind = QComboBox()
        kind.addItems(list(KINDS))
        when = QComboBox()
        when.addItems(list(WHEN_NONE))
        if criterion is not None:
            kind.setCurrentText(criterion.kind)
            when.setCurrentText(criterion.when_none)
        self.table.setCellWidget(r, FIGURE_COL, figure)
        self.table.setCellWidget(r, KIND_COL, kind)
        self.table.setCellWidget(r, WHEN_COL, when)
        for c, value in ((SHARE_COL, criterion and criterion.points), (TARGET_COL, criterion and criterion.target),
                         (PER_UNIT_COL, criterion and criterion.per_unit), (CAP_COL, criterion and criterion.cap)):
            self.table.setItem(r, c, QTableWidgetItem(shown(value) if value is not None else ""))

    def add_line(self) -> None:
        r = max(self.table.currentRow(), 0)
        item = self.table.item(r, 0).data(ITEM)
        below = r
        while below + 1 < self.table.rowCount() and self.table.item(below + 1, 0).data(ITEM).row == item.row:
            below += 1
        self._insert(below + 1, item, None)
        self.table.setCurrentCell(below + 1, FIGURE_COL)

    def remove_line(self) -> None:
        r = self.table.currentRow()
        if r < 0:
            return
        item = self.table.item(r, 0).data(ITEM)
        same = [x for x in range(self.table.rowCount()) if self.table.item(x, 0).data(ITEM).row == item.row]
        if len(same) > 1:
            self.table.removeRow(r)
        else:  # the row's only line: back to the reviewers, the line stays for the row
            self._combo(r, FIGURE_COL).setCurrentIndex(0)
        self._say()

    def rules(self) -> dict[int, list[Criterion]]:
        """The lines as rules by row; a number that cannot be read names its line and column."""
        out: dict[int, list[Criterion]] = {}
        for r in range(self.table.rowCount()):
            index = self._combo(r, FIGURE_COL).currentIndex()
            if index <= 0:
                continue
            item = self.table.item(r, 0).data(ITEM)

            def value(c: int, r: int = r, item: ScoreItem = item) -> Decimal | None:
                where = f"第 {r + 1} 条规则（细则第 {item.row} 行）「{COLUMNS[c]}」"
                text = (self.table.item(r, c).text() if self.table.item(r, c) else "").strip()
                try:
                    return number(text, where, high=MAX_POINTS if c != TARGET_COL else Decimal(10**9))
                except SheetProblem as exc:
                    raise UserError(str(exc)) from None

            out.setdefault(item.row, []).append(Criterion(
                self.names[index - 1], self._combo(r, KIND_COL).currentText(), value(SHARE_COL), value(TARGET_COL),
                value(PER_UNIT_COL), value(CAP_COL), self._combo(r, WHEN_COL).currentText()))
        return out

    def _checked(self) -> dict[int, list[Criterion]] | None:
        from fazhi_desktop.exchange.scoring_sheet import apply_rules

        try:
            rules = self.rules()
            self.mapped = apply_rules(self.sheet, rules)
        except UserError as exc:
            show_user_error(self, str(exc))
            return None
        return rules

    def save_rules(self) -> None:
        from fazhi_desktop.exchange.scoring_sheet import write_rules

        rules = self._checked()
        if rules is None:
            return
        out = file_dialogs.save_file_name(self, "保存带自评规则的考核细则", f"{self.source.stem}（含自评规则）.xlsx",
                                          "Excel 工作簿 (*.xlsx)")
        if not out:
            return
        source, sheet = self.source, self.sheet
        self._op = workers.run(self, "正在保存自评规则…", lambda: write_rules(source, sheet, rules, out), self._saved)

    def _saved(self, path) -> None:
        dialogs.finished(self, "保存自评规则", f"已把自评规则存进考核细则（隐藏的“自评规则”工作表）：\n{path}\n"
                         "县里可把这份细则下发各乡镇，导入后不必再逐项设置。", path)

    def accept(self) -> None:
        if self._checked() is not None:
            super().accept()
