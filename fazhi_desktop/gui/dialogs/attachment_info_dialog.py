"""佐证材料说明: what a file is (材料名称: the 调解协议书 a record's state calls for, 照片, 签到表…) and, for a photo,
who took it and its 背景 (DA/T 50) — asked when files are added, changed with 「说明…」; printed in the 台账汇编."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from fazhi_desktop.services.attachments import DESCRIPTION, materials_of


class AttachmentInfoDialog(QDialog):
    def __init__(self, ledger_key: str, names: list[str], values: dict[str, Any] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("佐证材料说明")
        layout = QFormLayout(self)
        shown = "、".join(names[:3]) + (f" 等 {len(names)} 个文件" if len(names) > 3 else "")
        intro = QLabel(f"{shown}\n以下各项都可以不填；填写的内容印在台账汇编的照片说明中，材料名称用于核对应有的文书。")
        intro.setWordWrap(True)
        layout.addRow(intro)
        most = {key: n for key, _label, n in DESCRIPTION}
        self.material = QComboBox()
        self.material.setEditable(True)
        self.material.addItems(["", *materials_of(ledger_key)])
        self.material.lineEdit().setMaxLength(most["material"])
        self.photographer = QLineEdit()
        self.photographer.setMaxLength(most["photographer"])
        self.background = QLineEdit()
        self.background.setMaxLength(most["background"])
        self.background.setPlaceholderText("照片的背景、场景，如 县法治办到会指导")
        values = values or {}
        self.material.setCurrentText(values.get("material") or "")
        self.photographer.setText(values.get("photographer") or "")
        self.background.setText(values.get("background") or "")
        layout.addRow("材料名称：", self.material)
        layout.addRow("摄影者：", self.photographer)
        layout.addRow("背景：", self.background)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addRow(self.buttons)

    def values(self) -> dict[str, str]:
        return {"material": self.material.currentText(), "photographer": self.photographer.text(),
                "background": self.background.text()}
