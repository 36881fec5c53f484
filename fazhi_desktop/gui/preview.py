"""打印预览: the report's PDF pages rendered (pdfium) into the program, exactly what the printer will get."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget

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
    def __init__(self, images: list[QImage], title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"预览 — {title}")
        self.resize(900, 760)
        pages = QWidget()
        column = QVBoxLayout(pages)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.labels = []
        for image in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("background: white; border: 1px solid #999;")
            column.addWidget(label)
            self.labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
