"""GUI start-up: Qt's Chinese translations, error handling, database, instance lock, first-run wizard, window."""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from fazhi_desktop import APP_NAME
from fazhi_desktop.domain.errors import NotFoundError, UserError
from fazhi_desktop.gui.errors import install_excepthook
from fazhi_desktop.logs import setup_logging
from fazhi_desktop.services.records import default_actor
from fazhi_desktop.services.units import get_unit
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
    except UserError as exc:
        QMessageBox.critical(None, "无法打开数据库", str(exc))
        return 1
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
    code = app.exec()
    if lock:
        lock.release()
    db.dispose()
    return code


def _latest_year(db, unit) -> int | None:
    """Open on the newest year that holds data (a demo database opens on 2023, not on an empty current year)."""
    import datetime as dt

    from fazhi_desktop.services.listing import years_in_use

    with db.engine.connect() as conn:
        years = [y for y in years_in_use(conn, unit) if y <= dt.date.today().year]
    return years[0] if years else None
