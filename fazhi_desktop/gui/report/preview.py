"""打印预览: the report's PDF pages rendered (pdfium) into the program, exactly what the printer will get."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.gui.shell import dialogs

PREVIEW_DPI = 96


def render_pages(pdf: Path, dpi: int = PREVIEW_DPI, limit: int = 30) -> list[QImage]:
    """PDF pages as images (safe on a worker thread: QImage is not a widget)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        images = []
        for index in range(min(len(document), limit)):
            bitmap = document[index].render(scale=dpi / 72, rev_byteorder=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
            images.append(image.copy())  # own the pixels before pdfium frees its buffer
        return images
    finally:
        document.close()


class PreviewDialog(QDialog):
    """The pages at a chosen zoom, with 打印 (through the system's PDF viewer) beside 关闭."""

    ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)

    def __init__(self, images: list[QImage], title: str, parent: QWidget | None = None, pdf: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"预览 — {title}")
        dialogs.sized(self, 900, 760)  # shrunk to the screen: 放大/缩小/打印/关闭 never below it
        self.images, self.pdf, self.zoom = images, pdf, 1.0
        pages = QWidget()
        column = QVBoxLayout(pages)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.labels = []
        for _image in images:
            label = QLabel()
            label.setStyleSheet("background: white; border: 1px solid #999;")
            column.addWidget(label)
            self.labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        self.zoom_out = QPushButton("缩小(&-)")
        self.zoom_in = QPushButton("放大(&+)")
        self.zoom_label = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = buttons.addButton("打印(&P)…", QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setEnabled(pdf is not None)
        bar = QHBoxLayout()
        for w in (self.zoom_out, self.zoom_label, self.zoom_in):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.zoom_out.clicked.connect(lambda: self.set_zoom(self._step(-1)))
        self.zoom_in.clicked.connect(lambda: self.set_zoom(self._step(+1)))
        self.print_button.clicked.connect(lambda: self.print_pdf())
        QShortcut(QKeySequence(QKeySequence.StandardKey.ZoomIn), self, lambda: self.set_zoom(self._step(+1)))
        QShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut), self, lambda: self.set_zoom(self._step(-1)))
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addLayout(bar)
        self.set_zoom(1.0)

    def _step(self, direction: int) -> float:
        i = min(range(len(self.ZOOMS)), key=lambda k: abs(self.ZOOMS[k] - self.zoom))
        return self.ZOOMS[max(0, min(len(self.ZOOMS) - 1, i + direction))]

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        for label, image in zip(self.labels, self.images, strict=True):
            label.setPixmap(QPixmap.fromImage(image).scaledToWidth(
                max(1, round(image.width() * zoom)), Qt.TransformationMode.SmoothTransformation))
        self.zoom_label.setText(f"{round(zoom * 100)}%")
        self.zoom_out.setEnabled(zoom > self.ZOOMS[0])
        self.zoom_in.setEnabled(zoom < self.ZOOMS[-1])

    def print_pdf(self) -> bool:
        """Print through the system (the PDF viewer's print dialog); say so when nothing can print it."""
        from fazhi_desktop.gui.shell import files
        from fazhi_desktop.gui.shell.errors import show_user_error

        if self.pdf is None:
            return False
        if files.print_file(self.pdf):
            return True
        show_user_error(self, f"没有找到可以打开并打印这个文件的程序：{self.pdf}\n"
                        "请安装 PDF 阅读器或 WPS；打印时选择“实际大小/100%”。")
        return False
