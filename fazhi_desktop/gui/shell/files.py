"""Opening, printing and showing files through the operating system."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def size_text(n: int) -> str:
    """A file's size as the program says it everywhere (KB and MB, never Qt's English bytes and KiB)."""
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def open_file(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_folder(path: Path) -> bool:
    if sys.platform == "win32":
        subprocess.Popen(["explorer", "/select,", str(path)])  # noqa: S603,S607 - selects the file in Explorer
        return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def print_file(path: Path) -> bool:
    """Print through the system: Windows' print verb opens the default viewer's print dialog; elsewhere the viewer."""
    if sys.platform == "win32":
        try:
            os.startfile(str(path), "print")  # type: ignore[attr-defined]
            return True
        except OSError:
            pass
    return open_file(path)


def default_folder() -> str:
    """Where file dialogs start: 文档, else 桌面, else the home folder (never the program's own folder)."""
    from PySide6.QtCore import QStandardPaths

    for where in (QStandardPaths.StandardLocation.DocumentsLocation, QStandardPaths.StandardLocation.DesktopLocation,
                  QStandardPaths.StandardLocation.HomeLocation):
        folder = QStandardPaths.writableLocation(where)
        if folder and Path(folder).is_dir():
            return folder
    return ""


def manual_path() -> Path | None:
    """docs/用户手册.md: beside the package in a source checkout, in the bundle's data folder when frozen."""
    bases = [Path(getattr(sys, "_MEIPASS", "")), Path(__file__).resolve().parents[3]]
    for base in bases:
        path = base / "docs" / "用户手册.md"
        if str(base) and path.is_file():
            return path
    return None
