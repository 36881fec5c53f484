"""Regenerate the README pictures: the main window on the demo data, and the demo report's first page.

Runs the real window on a virtual X screen (Xvfb) when one can be started, else Qt's offscreen platform.
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


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="fazhi-shots-"))
    os.environ["FAZHI_DATA_DIR"] = str(work / "data")
    xvfb = start_display()
    try:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from fazhi_desktop.gui.app import make_app
        from fazhi_desktop.gui.main_window import MainWindow
        from fazhi_desktop.gui.session import Session
        from fazhi_desktop.reports.render import write_report
        from fazhi_desktop.services.demo import load_demo
        from fazhi_desktop.storage.database import open_database

        db = open_database(work / "demo.sqlite3")
        unit = load_demo(db.engine)
        app = make_app()
        window = MainWindow(Session(db, unit, "示例", 2023), QSettings(str(work / "gui.ini"),
                                                                        QSettings.Format.IniFormat))
        window.resize(1366, 768)
        window.move(0, 0)
        window.show()
        deadline = time.time() + 3
        while time.time() < deadline:
            app.processEvents()
            time.sleep(0.02)
        screen = QApplication.primaryScreen()
        picture = screen.grabWindow(0, 0, 0, 1366, 768) if os.environ.get("QT_QPA_PLATFORM") == "xcb" else window.grab()
        picture.save(str(DOCS / "main-window.png"))
        window.close()

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
