"""公开版保密审查: each hit of reports.publication with its paragraph. The clerk ticks what may be published (kept,
recorded); what she does not tick she changes in the draft before the public PDF can be written."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.gui.shell import dialogs
from fazhi_desktop.reports.publication import Hit

COLUMNS = ("可以公开", "段落", "类型", "文字", "所在位置")


class PublicCheckDialog(QDialog):
    def __init__(self, hits: list[Hit], parent: QWidget | None = None):
        super().__init__(parent)
        self.hits = hits
        self.setWindowTitle("公开版保密审查")
        layout = QVBoxLayout(self)
        intro = QLabel(f"报告中有 {len(hits)} 处可能不宜向社会公开的内容（当事人和村民姓名、身份证号、电话号码、敏感词）。"
                       "确认可以公开的请勾选；其余请到文稿中修改后再生成公开版。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(hits), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, hit in enumerate(hits):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(Qt.CheckState.Unchecked)
            self.table.setItem(r, 0, check)
            for c, value in enumerate((f"第{hit.paragraph}段", hit.kind, hit.text, f"…{hit.excerpt}…"), start=1):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        buttons.addButton("确认所勾选的可以公开", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("去修改文稿", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        dialogs.sized(self, 820, 480)

    def set_accepted(self, row: int, accepted: bool = True) -> None:
        self.table.item(row, 0).setCheckState(Qt.CheckState.Checked if accepted else Qt.CheckState.Unchecked)

    def accepted_texts(self) -> list[str]:
        return sorted({h.text for r, h in enumerate(self.hits)
                       if self.table.item(r, 0).checkState() == Qt.CheckState.Checked})

    def all_accepted(self) -> bool:
        return len(self.accepted_texts()) == len({h.text for h in self.hits})
