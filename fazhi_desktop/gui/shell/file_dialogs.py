"""The file dialogs: Windows' own (with its drives and columns); elsewhere Qt's, made usable for an office PC — the
U盘 and other removable drives in its side panel, and a name column wide enough to read a backup's name."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QIdentityProxyModel, QStandardPaths, QStorageInfo, Qt, QUrl
from PySide6.QtWidgets import QFileDialog, QTreeView, QWidget

from fazhi_desktop.gui.shell import files

NAME_COLUMN_CHARS = 36  # 「法治建设台账备份-肖咀镇-20240320-0930.sqlite3」 reads whole
REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/")  # where Linux desktops mount U盘 and discs


def removable_places(volumes: Iterable[tuple[str, bool]] | None = None) -> list[str]:
    """Mounted U盘, discs and other drives, as folders (``volumes``: (root, ready) pairs, for tests)."""
    if volumes is None:
        volumes = [(v.rootPath(), v.isValid() and v.isReady()) for v in QStorageInfo.mountedVolumes()]
    out = []
    for root, ready in volumes:
        if not ready:
            continue
        if sys.platform == "win32" or root.startswith(REMOVABLE_ROOTS):
            out.append(root)
    return sorted(dict.fromkeys(out))


def places(volumes: Iterable[tuple[str, bool]] | None = None) -> list[QUrl]:
    """The side panel: 文档, 桌面, the home folder, then every removable drive."""
    folders = []
    for where in (QStandardPaths.StandardLocation.DocumentsLocation, QStandardPaths.StandardLocation.DesktopLocation,
                  QStandardPaths.StandardLocation.HomeLocation):
        folder = QStandardPaths.writableLocation(where)
        if folder and Path(folder).is_dir():
            folders.append(folder)
    folders += removable_places(volumes)
    return [QUrl.fromLocalFile(f) for f in dict.fromkeys(folders)]


class ChineseColumns(QIdentityProxyModel):
    """Qt's file list says 「Folder」, 「2 bytes」/「KiB」 and dates in the system locale's digits (「6 12 2026」 under
    LANG=C), which Qt's own Chinese catalogue does not cover: the 大小, 类型 and 修改日期 columns are said here."""

    SIZE, KIND, MODIFIED = 1, 2, 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt's name
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == self.SIZE:
            return "大小"  # Qt's catalogue says 体积 (volume)
        return super().headerData(section, orientation, role)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or index.column() not in (self.SIZE, self.KIND, self.MODIFIED):
            return super().data(index, role)
        info = self.sourceModel().fileInfo(self.mapToSource(index))
        if index.column() == self.SIZE:
            return "" if info.isDir() else files.size_text(info.size())
        if index.column() == self.KIND:
            if info.isDir():
                return "文件夹"
            kind = super().data(index, role) or ""
            return f"{info.suffix()} 文件" if kind.endswith(" File") or kind == "File" else kind
        when = info.lastModified()
        day, time = when.date(), when.time()
        return f"{day.year()}-{day.month():02d}-{day.day():02d} {time.hour():02d}:{time.minute():02d}"


def make(parent: QWidget | None, title: str, folder: str, name_filter: str = "") -> QFileDialog:
    dialog = QFileDialog(parent, title, folder, name_filter)
    if sys.platform != "win32":
        # Linux desktops without a file dialog of their own get Qt's: it is set up here the same on every one.
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setProxyModel(ChineseColumns(dialog))
        dialog.setSidebarUrls(places())
        dialog.setViewMode(QFileDialog.ViewMode.Detail)
        tree = dialog.findChild(QTreeView)
        if tree is not None:
            width = tree.fontMetrics().horizontalAdvance("字") * NAME_COLUMN_CHARS
            tree.header().resizeSection(0, width)
            dialog.resize(max(dialog.width(), width + 420), max(dialog.height(), 460))
    return dialog


def _chosen(dialog: QFileDialog) -> list[str]:
    return dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []


def save_file_name(parent: QWidget | None, title: str, suggested: str, name_filter: str) -> str:
    """``suggested``: a file name (offered in 文档, else 桌面, see ``files.default_folder``) or a whole path."""
    from fazhi_desktop.gui.shell import files

    if Path(suggested).parent == Path("."):
        suggested = str(Path(files.default_folder()) / suggested)
    dialog = make(parent, title, str(Path(suggested).parent), name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    suffix = re.search(r"\*\.(\w+)", name_filter)
    if suffix:  # 「报告」 typed without its ending is saved as 报告.pdf
        dialog.setDefaultSuffix(suffix[1])
    dialog.selectFile(Path(suggested).name)
    chosen = _chosen(dialog)
    return chosen[0] if chosen else ""


def open_file_name(parent: QWidget | None, title: str, folder: str, name_filter: str = "") -> str:
    dialog = make(parent, title, folder, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    chosen = _chosen(dialog)
    return chosen[0] if chosen else ""


def open_file_names(parent: QWidget | None, title: str, folder: str, name_filter: str = "") -> list[str]:
    dialog = make(parent, title, folder, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _chosen(dialog)


def existing_folder(parent: QWidget | None, title: str, folder: str) -> str:
    dialog = make(parent, title, folder)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _chosen(dialog)
    return chosen[0] if chosen else ""
