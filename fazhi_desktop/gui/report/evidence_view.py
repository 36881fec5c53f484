"""依据: the records behind the generated sentence the clerk clicked (#34). Each row is one record, with the fields the
sentence read from it; a double-click opens it in its ledger."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from fazhi_desktop.reports.content.claims import Claim, evidence_rows

COLUMNS = ("台账", "记录", "日期", "依据")
HINT = "依据：点击右上方生成文字中的一句话，这里列出它依据的记录（双击打开记录）。"


class EvidenceView(QWidget):
    open_record = Signal(str, str)  # ledger key, record id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(HINT)
        self.label.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(90)
        self.table.setToolTip("双击一行，打开这条记录")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.table, 1)
        self.rows: list[dict[str, str]] = []
        self.claim: Claim | None = None
        self.table.itemActivated.connect(self._activated)  # a double-click, or Enter on the row

    def show_claim(self, claim: Claim | None) -> None:
        if claim is self.claim:
            return
        self.claim = claim
        self.rows = evidence_rows(claim) if claim is not None else []
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, key in enumerate(COLUMNS):
                item = QTableWidgetItem(row[key])
                item.setToolTip(row[key])
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        if claim is None:
            self.label.setText(HINT)
        else:
            shown = claim.text if len(claim.text) <= 60 else claim.text[:60] + "…"
            self.label.setText(f"依据：「{shown}」依据以下 {len(self.rows)} 条记录（双击打开记录）。")

    def _activated(self, item: QTableWidgetItem) -> None:
        self._open(item.row())

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.open_record.emit(self.rows[row]["ledger"], self.rows[row]["id"])

    def sizeHint(self):  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        hint.setHeight(min(hint.height(), 160))
        return hint
