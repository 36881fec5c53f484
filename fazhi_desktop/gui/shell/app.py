"""GUI start-up: Qt's Chinese translations, error handling, database, instance lock, first-run wizard, window.

When the database file already names its unit, the window goes on screen first (titled with the unit, read with the
standard sqlite3 module) and the database layer — SQLAlchemy, migrations, the tabs' contents — loads right after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from fazhi_desktop import APP_NAME
from fazhi_desktop.domain.errors import DatabaseCorruptError, UserError
from fazhi_desktop.gui.shell.errors import install_excepthook
from fazhi_desktop.logs import setup_logging
from fazhi_desktop.services import opening

log = logging.getLogger(__name__)


def install_chinese(app: QApplication) -> list[QTranslator]:
    """Qt's own dialogs and buttons (确定/取消/是/否…, the file dialog) in Chinese, from the qtbase translation PySide6
    ships plus the few texts it lacks."""
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    installed: list[QTranslator] = []
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_zh_CN", folder):
        app.installTranslator(translator)
        installed.append(translator)
    # Installed last, so Qt asks it first (ui/qt_missing_zh_CN.ts lists the texts).
    extra = QTranslator(app)
    if extra.load(str(Path(__file__).parents[1] / "generated" / "qt_missing_zh_CN.qm")):
        app.installTranslator(extra)
        installed.append(extra)
    return installed


def choose_input_method(environ=os.environ, plugins: Path | None = None) -> str | None:
    """Chinese input on Linux desktops running fcitx: Qt's wheels carry the ibus and compose input contexts but no
    fcitx one, so with QT_IM_MODULE=fcitx nothing could be typed in Chinese. fcitx5 also speaks the ibus protocol
    (its ibus front end), so ibus is asked for instead. Returns the module set, if any; must run before QApplication."""
    wanted = environ.get("QT_IM_MODULE", "")
    if not sys.platform.startswith("linux") or not wanted.startswith("fcitx"):
        return None
    folder = plugins or Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforminputcontexts"
    if any("fcitx" in p.name for p in folder.glob("*")):
        return None  # a fcitx plugin is there after all (a system Qt, say): leave it
    environ["QT_IM_MODULE"] = "ibus"
    log.info("no fcitx input context in this Qt; using its ibus one (fcitx5 answers it)")
    return "ibus"


def make_app() -> QApplication:
    if QApplication.instance() is None:
        choose_input_method()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("fazhi_desktop")
    app.setWindowIcon(QIcon(str(Path(__file__).parents[1] / "fazhi-desktop.png")))
    install_chinese(app)
    from fazhi_desktop.gui.shell import collector, style

    style.install(app)
    collector.install(app)
    return app


class Startup:
    """Opening the database and finding the unit, with every failure shown as a message (never a traceback)."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.db = None
        self.opened: opening.Opened | None = None
        self.account: str | None = None  # the account logged in, once the database has accounts

    def open(self) -> bool:
        """Lock first (a command that writes must not run beside the window, and migrations write), then open; a
        database on a read-only medium opens read-only, after saying so."""
        actor = _actor()
        try:
            self.opened = opening.open_for(self.args.db, self.args.db_url, write=False, window=True, actor=actor)
        except DatabaseCorruptError as exc:
            held = getattr(exc, "lock", None)
            self.opened = offer_restore(exc, actor, held)
            if self.opened is None:
                if held is not None:
                    held.release()
                return False
        except UserError as exc:
            QMessageBox.critical(None, "无法打开数据库", str(exc))
            return False
        self.db = self.opened.db
        if self.db.read_only:
            QMessageBox.information(None, "只读方式打开", f"数据库位于只读位置（如光盘、写保护的U盘）：{self.db.path}\n"
                                    "可以查看台账、统计和生成报告，但不能修改。要修改，请先把它复制到本机硬盘。")
        for notice in self.opened.notices:
            if not self.db.read_only or "只读" not in notice:
                QMessageBox.warning(None, "提醒", notice)
        return True

    def unit(self, actor: str):
        """The unit to show: the one asked for, the only one, one the clerk picks (a county database holds many),
        or — in a new database — the one the first-run wizard creates."""
        from fazhi_desktop.services import units

        try:
            if not self.args.unit and _county_roster(self.db):  # 本机用于县级汇总: the county's own window
                return COUNTY
            found = units.all_units(self.db)
            if self.args.unit or len(found) == 1:
                return units.pick(self.db, self.args.unit)
            if found:
                return choose_unit(found)
            from fazhi_desktop.gui.dialogs.wizard import FirstRunWizard
            from fazhi_desktop.services.context import Context

            wizard = FirstRunWizard(Context(self.db, None, actor))
            if not wizard.exec():
                return None
            return COUNTY if wizard.county else wizard.unit
        except UserError as exc:
            QMessageBox.critical(None, "无法打开", str(exc))
            return None

    def log_in(self, actor: str) -> str | None:
        """Once the database has accounts: the login dialog (None when the clerk quits). Without: the OS user."""
        from fazhi_desktop.gui.dialogs.login import LoginDialog
        from fazhi_desktop.services import accounts, local
        from fazhi_desktop.services.actor import act_as

        with self.db.engine.connect() as conn:
            if not accounts.has_accounts(conn):
                return actor
        dialog = LoginDialog(self.db.engine, local.last_account(self.db))
        if not dialog.exec():
            return None
        self.account = dialog.account.name
        try:
            local.remember_account(self.db, self.account)
        except UserError as exc:  # a read-only data folder: the next login is typed in full, nothing else changes
            log.warning("could not remember the account: %s", exc)
        act_as(self.account)
        return self.account

    def session(self, unit, actor: str):
        from fazhi_desktop.gui.shell.session import Session
        from fazhi_desktop.services import local
        from fazhi_desktop.services.context import Context
        from fazhi_desktop.services.listing import latest_year

        actor = self.account or local.clerk(self.db) or actor  # the account, else the name the clerk gave
        if unit is COUNTY:  # the year the townships are reporting on
            return Session(self.db, None, actor, dt.date.today().year - 1, account=self.account)
        return Session(self.db, unit, actor, latest_year(Context(self.db, unit, actor)), account=self.account)

    def close(self) -> None:
        if self.opened is not None:
            self.opened.close()


def run_gui(args: argparse.Namespace) -> int:
    setup_logging()
    app = make_app()
    install_excepthook()
    from fazhi_desktop.gui.shell.main_window import MainWindow

    actor = _actor()
    start = Startup(args)
    hint = opening.unit_hint(args.db, args.db_url, args.unit)
    county_windows: list = []  # the county's window, opened in finish(): kept referenced while the app runs
    if hint:
        window = MainWindow(None, title_hint=hint)
        window.show_on_screen()
        app.processEvents()  # paint the window now; the database layer loads after
        _benchmark_hook(app, window)

        def finish() -> None:
            who = start.log_in(actor) if start.open() else None
            unit = start.unit(who) if who else None
            if unit is None:
                window.close()
                app.exit(1)
                return
            if unit is COUNTY:  # the county's window replaces the one shown while opening
                county_windows.append(county_window(start.session(unit, actor)))
                county_windows[-1].show()
                window.close()
                return
            window.attach(start.session(unit, actor))
            window.start_daily_backup()

        QTimer.singleShot(0, finish)
    else:
        who = start.log_in(actor) if start.open() else None
        unit = start.unit(who) if who else None
        if unit is None:
            start.close()
            return 1 if start.db is None else 0
        if unit is COUNTY:
            window = county_window(start.session(unit, actor))
            window.show()
        else:
            window = MainWindow(start.session(unit, actor))
            window.show_on_screen()
            app.processEvents()
            _benchmark_hook(app, window)
            window.start_daily_backup()
    code = app.exec()
    start.close()
    return code


def _actor() -> str:
    from fazhi_desktop.services.actor import default_actor

    return default_actor()


def _benchmark_hook(app: QApplication, window) -> None:
    """Start-up benchmark (bench/run.py) and smoke tests: report when the window is up and when its content is, then
    leave — at once, or after the seconds FAZHI_QUIT_AFTER_SHOW gives (the window keeps running meanwhile). The
    windowed Windows program has no console: FAZHI_SMOKE_REPORT names a file for those lines, and FAZHI_SCREENSHOT a
    PNG of the window as painted just before it closes."""
    setting = os.environ.get("FAZHI_QUIT_AFTER_SHOW")
    if not setting:
        return
    import time

    try:
        linger_ms = int(float(setting) * 1000) if setting != "1" else 0
    except ValueError:
        linger_ms = 0
    report = os.environ.get("FAZHI_SMOKE_REPORT")

    def say(line: str) -> None:
        print(line, flush=True)
        if report:
            with open(report, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")

    def leave() -> None:
        shot = os.environ.get("FAZHI_SCREENSHOT")
        if shot:
            say(f"screenshot {window.grab().save(shot)} {window.windowTitle()}")
        # Closed as a person closes it (closeEvent: the backup on exit); the last window closed ends the program.
        # Not app.quit(): under Wine, when another program had started the Wine session, Qt's close-all-windows loop
        # spun for ever on a window its close left open, memory growing (#32). If the window stays, say so and leave.
        if not window.close() or window.isVisible():
            say("window still open after close")
            app.exit(0)

    def poll() -> None:
        if window.session is None:
            QTimer.singleShot(5, poll)
            return
        say(f"ready {time.time():.4f}")
        QTimer.singleShot(linger_ms, leave)

    say(f"shown {time.time():.4f}")
    QTimer.singleShot(0, poll)


def offer_restore(exc: DatabaseCorruptError, actor: str, held=None):
    """The database cannot be read: offer the newest of its own backups (by identity) that passes its check."""
    from fazhi_desktop.services import safety

    path = Path(exc.path)
    good = next((b for b in safety.list_backups(path) if safety.usable(b.path)), None)
    if good is None:
        QMessageBox.critical(None, "数据库已损坏", f"{exc}\n备份文件夹中没有这个数据库可用的备份。")
        return None
    answer = QMessageBox.question(
        None, "数据库已损坏",
        f"{exc}\n\n是否用最近的完好备份恢复？\n单位：{good.unit_text}\n备份时间：{good.created:%Y-%m-%d %H:%M}，"
        f"记录 {good.records} 条。\n损坏的文件会另存到备份文件夹（{good.path.parent}），不会删除。")
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        result = safety.restore(path, good.path, actor)
        log.info("restored %s from %s; the damaged file was kept as %s", path, good.path, result.safety)
        return opening.open_for(str(path), None, write=False, window=True, actor=actor, held=held)
    except UserError as err:
        QMessageBox.critical(None, "恢复失败", str(err))
        return None


COUNTY = object()  # Startup.unit's answer for a county's own database (本机用于县级汇总)


def _county_roster(db) -> bool:
    from fazhi_desktop.services import county

    with db.engine.connect() as conn:
        return county.stored_roster(conn) is not None


def county_window(session):
    from fazhi_desktop.gui.county.county_window import CountyWindow

    return CountyWindow(session)


def choose_unit(found: list):
    """A database with several units (a county's): the clerk picks the one to work on."""
    from PySide6.QtWidgets import QInputDialog

    names = [u.name for u in found]
    name, ok = QInputDialog.getItem(None, "选择单位", "这个数据库中有多个单位，请选择要打开的单位：", names, 0, False)
    return next((u for u in found if u.name == name), None) if ok else None
