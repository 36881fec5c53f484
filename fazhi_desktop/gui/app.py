"""GUI start-up: Qt's Chinese translations, error handling, database, instance lock, first-run wizard, window."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from fazhi_desktop import APP_NAME
from fazhi_desktop.domain.errors import DatabaseCorruptError, NotFoundError, UserError
from fazhi_desktop.gui.errors import install_excepthook
from fazhi_desktop.logs import setup_logging
from fazhi_desktop.services.records import default_actor
from fazhi_desktop.services.units import get_unit
from fazhi_desktop.storage import backups
from fazhi_desktop.storage.database import open_database
from fazhi_desktop.storage.lock import InstanceLock


def install_chinese(app: QApplication) -> QTranslator | None:
    """Qt's own dialogs and buttons (确定/取消/是/否…) in Chinese, from the qtbase translation PySide6 ships."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        return translator
    return None


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("fazhi_desktop")
    install_chinese(app)
    return app


def run_gui(args: argparse.Namespace) -> int:
    setup_logging()
    app = make_app()
    install_excepthook()
    try:
        db = open_database(args.db, args.db_url)
        lock = InstanceLock(db.path).acquire() if db.path else None
    except DatabaseCorruptError as exc:
        db = offer_restore(exc)
        if db is None:
            return 1
        lock = InstanceLock(db.path).acquire()
    except UserError as exc:
        QMessageBox.critical(None, "无法打开数据库", str(exc))
        return 1
    warning = backups.location_warning(db.path) if db.path else None
    if warning:
        QMessageBox.warning(None, "数据库位置提醒", warning)
    actor = default_actor()
    try:
        with db.engine.connect() as conn:
            unit = get_unit(conn, args.unit)
    except NotFoundError:
        from fazhi_desktop.gui.wizard import FirstRunWizard

        wizard = FirstRunWizard(db.engine, actor)
        if not wizard.exec() or wizard.unit is None:
            return 0
        unit = wizard.unit
    except UserError as exc:
        QMessageBox.critical(None, "无法打开", str(exc))
        return 1
    from fazhi_desktop.gui.main_window import MainWindow
    from fazhi_desktop.gui.session import Session

    window = MainWindow(Session(db, unit, actor, _latest_year(db, unit)))
    window.show()
    window.start_daily_backup()  # in the background, once the window is up
    if os.environ.get("FAZHI_QUIT_AFTER_SHOW"):  # start-up benchmark: report when the window is up, then leave
        import time

        from PySide6.QtCore import QTimer

        def shown() -> None:
            print(f"shown {time.time():.4f}", flush=True)
            app.quit()

        QTimer.singleShot(0, shown)
    code = app.exec()
    if lock:
        lock.release()
    db.dispose()
    return code


def offer_restore(exc: DatabaseCorruptError):
    """The database cannot be read: offer the newest backup that passes its integrity check."""
    path = Path(exc.path)
    good = next((b for b in backups.list_backups(path) if backups.integrity_problem(b.path) is None), None)
    if good is None:
        QMessageBox.critical(None, "数据库已损坏", f"{exc}\n备份文件夹中没有可用的备份。")
        return None
    answer = QMessageBox.question(
        None, "数据库已损坏",
        f"{exc}\n\n是否用最近的完好备份恢复？\n备份时间：{good.created:%Y-%m-%d %H:%M}，记录 {good.records} 条。\n"
        "损坏的文件会另存一份，不会删除。")
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        backups.restore(path, good.path)
        return open_database(path)
    except UserError as err:
        QMessageBox.critical(None, "恢复失败", str(err))
        return None


def _latest_year(db, unit) -> int | None:
    """Open on the newest year that holds data (a demo database opens on 2023, not on an empty current year)."""
    import datetime as dt

    from fazhi_desktop.services.listing import years_in_use

    with db.engine.connect() as conn:
        years = [y for y in years_in_use(conn, unit) if y <= dt.date.today().year]
    return years[0] if years else None
