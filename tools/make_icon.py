"""Draw the program icon (a red seal with 法): a PNG in the package (window, Linux menus), an ICO in resources/ (Windows).

Developer tool, run once when the icon changes; the results are committed. Draws with Qt and the bundled
FandolSong-Bold, so it needs nothing beyond the program's own dependencies.
Usage: QT_QPA_PLATFORM=offscreen python tools/make_icon.py
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPen

ROOT = Path(__file__).resolve().parents[1]
SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    margin = max(1.0, size / 32)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(192, 0, 0))
    painter.drawRoundedRect(QRectF(margin, margin, size - 2 * margin, size - 2 * margin), size / 6, size / 6)
    inner = size / 10
    painter.setPen(QPen(QColor("white"), max(1.0, size / 40)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(inner, inner, size - 2 * inner, size - 2 * inner), size / 10, size / 10)
    font = QFont(family)
    font.setPixelSize(int(size * 0.6))
    painter.setFont(font)
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "法")
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def ico(images: list[bytes], sizes: tuple[int, ...]) -> bytes:
    """An ICO file of PNG-compressed entries (read by Windows Vista and later, NSIS and PyInstaller)."""
    import struct

    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in zip(sizes, images, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset + len(blobs))
        blobs += blob
    return header + entries + blobs


def main() -> None:
    app = QGuiApplication([])
    family = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(
        str(ROOT / "fazhi_desktop" / "fonts" / "FandolSong-Bold.ttf")))[0]
    images = [draw(size, family) for size in SIZES]
    images[-1].save(str(ROOT / "fazhi_desktop" / "gui" / "fazhi-desktop.png"))  # window icon, Linux menus
    (ROOT / "resources" / "fazhi-desktop.ico").write_bytes(ico([png_bytes(i) for i in images], SIZES))
    del app


if __name__ == "__main__":
    main()
