"""A small horizontal bar chart painted with QPainter: no charting library in the bundle."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ["#2f6fb0", "#3d9970", "#e8a33d", "#b5484b", "#7a5ea8", "#4aa3a3", "#8c6d46", "#6b7b8c", "#c46aa0"]
NAMED = {"红": "#d64541", "黄": "#e8b23d", "绿": "#3d9970"}


class BarChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.items: list[tuple[str, int]] = []
        self.setMinimumHeight(140)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, data: dict[str, int]) -> None:
        self.items = [(k, v) for k, v in data.items() if v]
        self.setToolTip("\n".join(f"{k}：{v}" for k, v in self.items))
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = p.fontMetrics()
        line = fm.height() + 6
        p.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self.title)
        if not self.items:
            p.drawText(QRectF(0, line, self.width(), line), Qt.AlignmentFlag.AlignLeft, "暂无数据")
            return
        label_w = max(fm.horizontalAdvance(k) for k, _ in self.items) + 8
        value_w = fm.horizontalAdvance("00000") + 4
        top = line
        bar_h = max(8, min(22, (self.height() - top) / len(self.items) - 4))
        biggest = max(v for _, v in self.items)
        usable = max(10, self.width() - label_w - value_w)
        for i, (label, value) in enumerate(self.items):
            y = top + i * (bar_h + 4)
            p.setPen(self.palette().text().color())
            p.drawText(QRectF(0, y, label_w - 4, bar_h), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       label)
            width = usable * value / biggest
            p.fillRect(QRectF(label_w, y, width, bar_h), QColor(NAMED.get(label, PALETTE[i % len(PALETTE)])))
            p.drawText(QRectF(label_w + width + 4, y, value_w, bar_h),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(value))
