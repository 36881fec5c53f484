"""Regenerate the pictures of the README and the user manual from the real window on the demo data.

A 1366×768 screen at 100% and at 125% scaling (QT_SCALE_FACTOR, each scale in its own process): the overview, the
dispute ledger with a record open, and the report tab; dialogs, among them the import dialog with a workbook checked
and 预览 with the demo's report; plus the demo report's first page. Runs the window on a
virtual X screen (Xvfb) when one can be started, else Qt's offscreen platform.
Usage: python tools/screenshots.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def start_display() -> subprocess.Popen | None:
    if os.environ.get("DISPLAY") or not shutil.which("Xvfb"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")
        return None
    proc = subprocess.Popen(["Xvfb", ":97", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    os.environ["DISPLAY"] = ":97"
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return proc


SHOTS = DOCS / "screenshots"
SCALES = (100, 125)


def settle(app, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        app.processEvents()
        time.sleep(0.02)


def shoot_window(window, app, name: str, scale: int) -> None:
    from PySide6.QtWidgets import QApplication

    settle(app, 1.5)
    if os.environ.get("QT_QPA_PLATFORM") == "xcb":
        picture = QApplication.primaryScreen().grabWindow(0)  # the whole (scaled) screen
    else:
        picture = window.grab()
    SHOTS.mkdir(exist_ok=True)
    picture.save(str(SHOTS / f"{name}-{scale}.png"))


def shoot_dialogs(window, app, scale: int, work: Path) -> None:
    """The dialogs a person judges by eye: the template editor, export, the first-run wizard, a file dialog (with
    the focus ring on its default button) and the list of shortcuts."""
    from PySide6.QtWidgets import QDialog

    from fazhi_desktop.gui.dialogs.export_dialog import ExportDialog
    from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard
    from fazhi_desktop.gui.report.template_dialog import TemplateDialog
    from fazhi_desktop.gui.shell import file_dialogs
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.storage.database import open_database

    fresh = open_database(work / "fresh.sqlite3")
    dialogs = {
        "template": TemplateDialog(window.session, "三段式", window),
        "export": ExportDialog(window.session, window),
        "wizard": FirstRunWizard(Context(fresh, None, "示例")),
        "file-dialog": file_dialogs.make(window, "选择U盘或其他文件夹", str(Path.home())),
    }
    for name, dialog in dialogs.items():
        dialog.show()
        shoot_window(dialog, app, name, scale)
        dialog.hide()
    shown: list[QDialog] = []
    original = QDialog.exec
    QDialog.exec = lambda self: shown.append(self) or 0  # the list is modal: shown, shot, closed
    try:
        window.show_shortcuts()
    finally:
        QDialog.exec = original
    shown[0].show()
    shoot_window(shown[0], app, "shortcuts", scale)
    shown[0].close()
    fresh.dispose()
    shoot_loaded(window, app, scale, work)


def shoot_loaded(window, app, scale: int, work: Path) -> None:
    """Two dialogs as a clerk sees them: the import dialog with a workbook checked (the demo's own export, one date
    spoiled so that a problem is listed), and 预览 with the demo's report."""
    from openpyxl import load_workbook

    from fazhi_desktop.exchange.writer import export_workbook
    from fazhi_desktop.gui.dialogs.import_dialog import ImportDialog

    book = work / "台账.xlsx"
    export_workbook(window.session.db.engine, window.session.unit, book, 2023, actor="示例")
    wb = load_workbook(book)
    wb["会议台账"]["B2"] = "2023-13-01"
    wb.save(book)
    dialog = ImportDialog(window.session, window)
    dialog.path_edit.setText(str(book))
    dialog.show()
    dialog.check()
    wait_until(app, lambda: not dialog.busy)
    shoot_window(dialog, app, "import-loaded", scale)
    dialog.close()
    tab = window.show_report_tab()
    wait_until(app, lambda: not tab.busy)
    tab.preview()
    wait_until(app, lambda: not tab.busy and hasattr(tab, "preview_dialog"))
    shoot_window(tab.preview_dialog, app, "preview", scale)
    tab.preview_dialog.close()


def wait_until(app, done, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while not done() and time.time() < deadline:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    if len(sys.argv) == 1:  # one process per scale: Qt reads the scale factor once, at start-up
        for scale in SCALES:
            env = dict(os.environ, QT_SCALE_FACTOR=str(scale / 100))
            subprocess.run([sys.executable, __file__, str(scale)], env=env, check=True)
        print(f"wrote {SHOTS}/*.png")
        return 0
    scale = int(sys.argv[1])
    work = Path(tempfile.mkdtemp(prefix="fazhi-shots-"))
    os.environ["FAZHI_DATA_DIR"] = str(work / "data")
    xvfb = start_display()
    try:
        from PySide6.QtCore import QSettings

        from fazhi_desktop.gui.shell.app import make_app
        from fazhi_desktop.gui.shell.main_window import MainWindow
        from fazhi_desktop.gui.shell.session import Session
        from fazhi_desktop.reports.render import write_report
        from fazhi_desktop.services.demo import load_demo
        from fazhi_desktop.storage.database import open_database

        db = open_database(work / "demo.sqlite3")
        unit = load_demo(db.engine)
        app = make_app()
        window = MainWindow(Session(db, unit, "示例", 2023), QSettings(str(work / "gui.ini"),
                                                                        QSettings.Format.IniFormat))
        window.resize(int(1366 * 100 / scale), int((768 - 40) * 100 / scale))  # a taskbar's height left free
        window.move(0, 0)
        window.show()
        shoot_window(window, app, "overview", scale)
        if scale == 100:
            window.grab().save(str(DOCS / "main-window.png"))
        window.pages["dispute"]  # build the page, then show its tab
        for index in range(window.ui.tabs.count()):
            if window.ui.tabs.tabText(index) == "矛盾纠纷":
                window.ui.tabs.setCurrentIndex(index)
        settle(app, 0.5)
        page = window.pages["dispute"]
        page.view.selectRow(0)
        shoot_window(window, app, "ledger", scale)
        window.show_report_tab()
        shoot_window(window, app, "report", scale)
        shoot_dialogs(window, app, scale, work)
        window.close()
        if scale != 100:
            return 0

        pdf = work / "report.pdf"
        write_report(db.engine, unit, 2023, pdf)
        import pypdfium2

        page = pypdfium2.PdfDocument(str(pdf))[0]
        page.render(scale=50 / 72).to_pil().save(str(DOCS / "report-page1.png"))
        print(f"wrote {DOCS / 'main-window.png'} and {DOCS / 'report-page1.png'}")
    finally:
        if xvfb:
            xvfb.terminate()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
