"""导出台账: which year (or all years) and which ledgers go into the workbook, before the file is chosen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.gui.shell import dialogs
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.services import listing

ALL_YEARS = None


class ExportDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("导出台账")
        self.year_combo = QComboBox()
        self.year_combo.addItem("全部年度", ALL_YEARS)
        years = sorted({*listing.years_of(session.context()), session.year}, reverse=True)
        for year in years:
            self.year_combo.addItem(f"{year}年", year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(session.year))
        self.ledger_list = QListWidget()
        for ledger in LEDGERS:
            item = QListWidgetItem(ledger.name)
            item.setData(Qt.ItemDataRole.UserRole, ledger.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.ledger_list.addItem(item)
        self.all_button = QPushButton("全选")
        self.none_button = QPushButton("全不选")
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button.clicked.connect(lambda: self._check_all(False))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导出…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ledger_list.itemChanged.connect(self._update)
        note = QLabel("导出的工作簿可以再导入（记录编号保留）；身份证号只显示前后几位。只选部分台账时不含年度报告文稿。")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("年度(&Y)：", self.year_combo)
        picks = QVBoxLayout()
        picks.addWidget(self.ledger_list)
        row = QDialogButtonBox()
        row.addButton(self.all_button, QDialogButtonBox.ButtonRole.ActionRole)
        row.addButton(self.none_button, QDialogButtonBox.ButtonRole.ActionRole)
        picks.addWidget(row)
        form.addRow("台账(&L)：", picks)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        dialogs.sized(self, 480, 520)

    def _check_all(self, on: bool) -> None:
        for i in range(self.ledger_list.count()):
            self.ledger_list.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _update(self, *_args) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.ledgers()))

    def year(self) -> int | None:
        return self.year_combo.currentData()

    def ledgers(self) -> list[str]:
        items = [self.ledger_list.item(i) for i in range(self.ledger_list.count())]
        return [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]

    def chosen(self) -> tuple[int | None, list[str] | None]:
        """(year or None for all, ledger keys or None for every ledger)."""
        keys = self.ledgers()
        return self.year(), (None if len(keys) == len(LEDGERS) else keys)

    def file_name(self, unit_name: str) -> str:
        year = self.year()
        keys = self.ledgers()
        what = "台账" if len(keys) != 1 else next(x.name for x in LEDGERS if x.key == keys[0])
        return f"{unit_name}{'' if year is None else f'{year}年'}{what}导出.xlsx"
