"""Small reusable dialogs (kept in one place so tests can drive them through QMessageBox)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

ERROR_STYLE = "color: #c0392b;"  # a field's or a dialog's own message in red

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def ask_unsaved(parent: QWidget | None, what: str = "当前记录") -> str:
    answer = QMessageBox.question(
        parent, "尚未保存", f"{what}有修改尚未保存，要保存吗？",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save)
    if answer == QMessageBox.StandardButton.Save:
        return SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return CANCEL


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def finished(parent: QWidget | None, title: str, text: str, path: str | os.PathLike | None = None, *,
             warning: bool = False) -> None:
    """What a long job did, in a box the clerk reads and closes herself (in the status bar it flashed by, and the
    county's import result was overwritten at once); with ``path``, a button shows the file in its folder."""
    from fazhi_desktop.gui.shell import files

    icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    folder = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole) if path else None
    box.exec()
    if folder is not None and box.clickedButton() is folder:
        files.open_folder(Path(path))


def sized(dialog: QWidget, width: int, height: int) -> None:
    """A dialog's first size, shrunk to the screen's usable area (1366×768 at 125% leaves about 1093×590), frame and
    taskbar left free."""
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        dialog.resize(width, height)
        return
    avail = screen.availableGeometry()
    dialog.resize(min(width, avail.width() - 40), min(height, avail.height() - 60))


def error_label() -> QLabel:
    """Where a dialog says what is wrong, in red, without a box of its own."""
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    return label


def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def listing_layout(dialog: QDialog, title: str, columns: Sequence[str]) -> tuple[QVBoxLayout, QLabel, QTableWidget]:
    """A dialog that lists rows: its title, a wrapping summary above a read-only table of ``columns``."""
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    summary = QLabel()
    summary.setWordWrap(True)
    layout.addWidget(summary)
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    layout.addWidget(table, 1)
    return layout, summary, table
