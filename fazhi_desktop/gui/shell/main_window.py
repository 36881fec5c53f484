"""The main window: the shell from ui/main_window.ui, tabs grouped as a township office thinks of its work."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from fazhi_desktop import APP_NAME, __version__
from fazhi_desktop.domain import roles
from fazhi_desktop.domain.ledgers import GROUPS, LEDGERS
from fazhi_desktop.gui.generated.ui_main_window import Ui_MainWindow
from fazhi_desktop.gui.shell import dialogs
from fazhi_desktop.services import local

if TYPE_CHECKING:
    from fazhi_desktop.gui.ledger.ledger_page import LedgerPage
    from fazhi_desktop.gui.overview.overview import OverviewTab
    from fazhi_desktop.gui.report.report_tab import ReportTab
    from fazhi_desktop.gui.shell.session import Session

log = logging.getLogger(__name__)



def _ledger_page(ledger):
    def build(session):
        from fazhi_desktop.gui.ledger.ledger_page import LedgerPage

        return LedgerPage(session, ledger)

    return build


def _overview(session):
    from fazhi_desktop.gui.overview.overview import OverviewTab

    return OverviewTab(session)


def _report(session):
    from fazhi_desktop.gui.report.report_tab import ReportTab

    return ReportTab(session)


def _county(session):
    from fazhi_desktop.gui.county.county_tab import CountyTab

    return CountyTab(session)


class LazyTab(QWidget):
    """A tab's place for its page, built the first time it is shown — and only once the database is open.

    Start-up therefore pays neither for 15 ledger forms nor for the modules behind them.
    """

    def __init__(self, window: MainWindow, build: Callable[[Session], QWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self._window, self._build = window, build
        self.created: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def page(self):
        if self.created is None and self._window.session is not None:
            self.created = self._build(self._window.session)
            self.layout().addWidget(self.created)
            self.created.show()  # now, not at the next event-loop pass as layouts do for late children
        return self.created

    def showEvent(self, event) -> None:
        _ = self.page
        super().showEvent(event)


class Pages(Mapping):
    """``window.pages[key]``: the ledger's page, built on first use."""

    def __init__(self, holders: dict[str, LazyTab]):
        self._holders = holders

    def __getitem__(self, key: str) -> LedgerPage:
        return self._holders[key].page

    def __iter__(self):
        return iter(self._holders)

    def __len__(self) -> int:
        return len(self._holders)


# Keys a clerk can work with (the ledger pages bind them; the 帮助 menu lists them).
# Every key the program binds (a test finds each QShortcut and QAction key in the window here), then the keys Qt
# gives every form, said for a clerk.
SHORTCUTS = (
    (("Ctrl+N",), "台账页：新增一条记录"),
    (("Ctrl+S",), "保存当前记录；在“编辑模板”中保存模板"),
    (("Esc",), "放弃当前记录未保存的修改（会先询问）；关闭对话框"),
    (("Ctrl+F",), "搜索当前台账"),
    (("Del",), "在列表中删除所选记录（移入回收站，会先询问）"),
    (("Ctrl++", "Ctrl+-"), "预览中放大、缩小"),
    (("F1",), "用户手册"),
    (("Ctrl+Q",), "退出程序"),
    (("Enter",), "到下一个输入框；首次使用向导的最后一项按 Enter 完成"),
    (("Tab", "Shift+Tab"), "到下一个、上一个输入框或按钮（有焦点的按钮带蓝色框）"),
    (("Space",), "按下有焦点的按钮，勾选或取消复选框"),
    (("Ctrl+Tab", "Ctrl+Shift+Tab"), "切换到下一个、上一个页签"),
    (("Alt+Y",), "选择年度"),
    (("Alt+带下划线的字母",), "打开菜单、按按钮"),
)


# Below this usable area (logical pixels) a first start is maximised: 1366×768 at 100% or 125%, 1440×900 at 125%.
SMALL_SCREEN = (1440, 860)


class MainWindow(QMainWindow):
    """Built without a database session it is a shell that can be on screen at once; ``attach`` brings it to life."""

    def __init__(self, session: Session | None, settings: QSettings | None = None, backup_on_exit: bool = True,
                 title_hint: str | None = None):
        super().__init__()
        self.backup_on_exit = backup_on_exit
        self.session: Session | None = None
        self.settings = settings or QSettings("fazhi_desktop", "fazhi_desktop")
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.holders: dict[str, LazyTab] = {}
        self.pages = Pages(self.holders)
        self._overview_tab = LazyTab(self, _overview)
        self.ui.tabs.addTab(self._overview_tab, "概览")
        for group in GROUPS:
            ledgers = [lg for lg in LEDGERS if lg.group == group]
            if len(ledgers) == 1:
                holder = self.holders[ledgers[0].key] = LazyTab(self, _ledger_page(ledgers[0]))
                self.ui.tabs.addTab(holder, group)
                continue
            inner = QTabWidget()
            inner.setDocumentMode(True)
            for lg in ledgers:
                holder = self.holders[lg.key] = LazyTab(self, _ledger_page(lg))
                inner.addTab(holder, lg.name)
            inner.currentChanged.connect(lambda i, w=inner: self._tab_changed(w, i))
            inner.setProperty("previous", 0)
            self.ui.tabs.addTab(inner, group)
        self._report_tab = LazyTab(self, _report)
        self.ui.tabs.addTab(self._report_tab, "年度报告")
        self.ui.tabs.setProperty("previous", 0)
        self.ui.tabs.currentChanged.connect(lambda i: self._tab_changed(self.ui.tabs, i))
        self.ui.actionQuit.setShortcut("Ctrl+Q")
        self.ui.actionQuit.triggered.connect(self.close)
        self.ui.actionAbout.triggered.connect(self.open_about)
        self.manual_action = QAction("用户手册(&M)", self)
        self.manual_action.setShortcut("F1")
        self.ui.menuHelp.insertAction(self.ui.actionAbout, self.manual_action)
        self.manual_action.triggered.connect(self.show_manual)
        self.shortcuts_action = QAction("快捷键(&K)…", self)
        self.ui.menuHelp.insertAction(self.ui.actionAbout, self.shortcuts_action)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.package_export_action = QAction("导出数据包（报送县里）(&P)…", self)
        self.package_import_action = QAction("导入乡镇数据包（县级汇总）(&G)…", self)
        self.score_action = QAction("考核自评(&K)…", self)
        self.binder_action = QAction("台账汇编（检查用 PDF）(&H)…", self)
        self.retention_action = QAction("到期销毁（保管期满的记录）(&X)…", self)
        self.public_action = QAction("生成报告公开版（保密审查）(&V)…", self)
        for action in (self.binder_action, self.score_action, self.package_export_action, self.package_import_action,
                       self.public_action, self.retention_action):
            self.ui.menuFile.insertAction(self.ui.actionBackup, action)
        self.ui.menuFile.insertSeparator(self.ui.actionBackup)
        self.accounts_action = QAction("账户管理(&U)…", self)
        self.ui.menuFile.insertAction(self.ui.actionQuit, self.accounts_action)
        self.password_action = QAction("修改密码(&W)…", self)
        self.ui.menuFile.insertAction(self.ui.actionQuit, self.password_action)
        self.password_action.setVisible(False)
        self.password_action.triggered.connect(self.change_password)
        # Ctrl+N belongs to the window, not to a page: it works wherever the focus is (after start, after Ctrl+Tab,
        # after a dialog closed) and acts on the ledger in front
        self.new_record_action = QAction("新增记录", self)
        self.new_record_action.setShortcut("Ctrl+N")
        self.addAction(self.new_record_action)
        self.idle_lock = None
        self._county_tab: LazyTab | None = None
        self._session_actions = {
            self.ui.actionSettings: self.open_settings, self.ui.actionImport: self.open_import,
            self.ui.actionExport: self.export_ledgers, self.ui.actionTemplate: self.save_template,
            self.ui.actionBackup: self.open_backups, self.package_export_action: self.export_package,
            self.package_import_action: self.import_packages, self.score_action: self.self_score,
            self.binder_action: self.make_binder, self.retention_action: self.open_retention,
            self.public_action: lambda: self.show_report_tab().generate_public(),
            self.accounts_action: self.open_accounts, self.new_record_action: self.new_record,
        }
        for action, slot in self._session_actions.items():
            action.triggered.connect(slot)
            action.setEnabled(False)
        # What each action needs (domain.roles): an account whose role does not allow it is not offered it at all,
        # rather than refused at 确定 or after choosing a file. The services refuse it anyway.
        self.action_needs = {
            self.ui.actionSettings: roles.SETTINGS, self.ui.actionImport: roles.WRITE,
            self.ui.actionExport: roles.EXPORT, self.ui.actionTemplate: roles.READ, self.ui.actionBackup: roles.READ,
            self.package_export_action: roles.EXPORT, self.package_import_action: roles.ADMIN_ONLY,
            self.score_action: roles.READ, self.binder_action: roles.EXPORT, self.retention_action: roles.ADMIN_ONLY,
            self.public_action: roles.READ, self.accounts_action: roles.ADMIN_ONLY, self.new_record_action: roles.WRITE,
        }
        self.setWindowTitle(f"{APP_NAME} — {title_hint}" if title_hint else APP_NAME)
        self._restore_state()
        if session is not None:
            self.attach(session)

    def attach(self, session: Session) -> None:
        """The database is open: fill the year list and build the visible tab."""
        self.session = session
        self._fill_years()
        self.ui.yearCombo.currentIndexChanged.connect(self._year_selected)
        for action in self._session_actions:
            action.setEnabled(True)
        self._offer_by_role()
        session.changed.connect(self._on_changed)
        self._update_title()
        self._offer_county_tab()
        for holder in (self._overview_tab, self._report_tab, *self.holders.values()):
            if holder.isVisible():
                _ = holder.page
        QTimer.singleShot(0, self._focus_page)  # the keys work from the start: Ctrl+Tab, Ctrl+N, the list's arrows
        if session.account:
            self._guard_account()

    def _guard_account(self) -> None:
        """Logged in: 修改密码, and the program locks itself when left alone."""
        from fazhi_desktop.gui.dialogs.login import IdleLock

        self.password_action.setVisible(True)
        if self.idle_lock is None:
            self.idle_lock = IdleLock(self._idle_minutes(), self.lock_screen, self)

    def _idle_minutes(self) -> float:
        from fazhi_desktop.gui.dialogs.login import DEFAULT_IDLE_MINUTES

        return float(self.session.unit.settings.get("idle_lock_minutes", DEFAULT_IDLE_MINUTES) or 0)

    def _offer_by_role(self) -> None:
        role = self.session.role  # asked once
        for action, needed in self.action_needs.items():
            action.setVisible(not self.session.account or roles.allows(role, needed))
        if not self.session.db.is_sqlite:  # a server database is backed up by its server
            self.ui.actionBackup.setVisible(False)
        self.ui.menuSettings.menuAction().setVisible(self.ui.actionSettings.isVisible())  # no empty menu

    def logged_in(self, name: str) -> None:
        """The first account was made here: the clerk works as it from now on."""
        from fazhi_desktop.services.actor import act_as

        act_as(name)
        self.session.account = self.session.actor = name
        self._guard_account()
        self._offer_by_role()
        self.statusBar().showMessage(f"已建立账户「{name}」，您现在以它工作；下次打开程序时要登录。", 15000)

    def open_accounts(self) -> None:
        from fazhi_desktop.gui.dialogs.accounts_dialog import AccountsDialog

        AccountsDialog(self.session, self).exec()

    def lock_screen(self) -> None:
        """Idle too long: the password again. The lock is a state no dialog leaves but the password or quitting: 退出程序
        closes the window only when its unsaved edits are saved or discarded; 取消 there brings the lock back."""
        from fazhi_desktop.gui.dialogs.login import LoginDialog

        self.centralWidget().setVisible(False)  # the records are not left on the screen behind the dialog
        try:
            while True:
                dialog = LoginDialog(self.session.db.engine, self.session.account, self, locked=True)
                unlocked = dialog.exec()
                dialog.deleteLater()
                if unlocked or self.close():
                    return
        finally:
            self.centralWidget().setVisible(True)

    def open_retention(self) -> None:
        from fazhi_desktop.gui.dialogs.retention_dialog import RetentionDialog

        RetentionDialog(self.session, self).exec()

    def change_password(self) -> None:
        from fazhi_desktop.gui.dialogs.login import PasswordDialog

        if PasswordDialog(self.session.db.engine, self.session.account, self).exec():
            self.statusBar().showMessage("密码已修改。", 8000)

    @property
    def overview(self) -> OverviewTab:
        return self._overview_tab.page

    @property
    def report_tab(self) -> ReportTab:
        return self._report_tab.page

    def show_report_tab(self) -> ReportTab:
        self.ui.tabs.setCurrentWidget(self._report_tab)
        return self.report_tab

    # -- window state ------------------------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(geometry)
        self.fit_to_screen()
        tab = self.settings.value("main/tab", 0)
        with contextlib.suppress(TypeError, ValueError):
            self.ui.tabs.setCurrentIndex(int(tab))

    def show_on_screen(self) -> None:
        """The first start (no size saved yet) on a laptop's screen is maximised: the designed size would leave the
        status bar and the lowest buttons below the taskbar. Later starts come back as the clerk left the window."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if self.settings.value("main/geometry") is None and screen is not None:
            avail = screen.availableGeometry()
            if avail.width() < SMALL_SCREEN[0] or avail.height() < SMALL_SCREEN[1]:
                self.showMaximized()
                return
        self.show()

    def fit_to_screen(self) -> None:
        """Never larger than the screen's usable area (a 1366×768 laptop at 125% has 1093×590 of it), nor partly
        off it — whether the size came from the design or from a bigger monitor last time."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        avail = screen.availableGeometry()
        frame = self.frameGeometry()
        extra_w, extra_h = frame.width() - self.width(), frame.height() - self.height()
        width = min(self.width(), avail.width() - extra_w)
        height = min(self.height(), avail.height() - extra_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(frame.x(), avail.x()), avail.x() + avail.width() - width - extra_w)
        y = min(max(frame.y(), avail.y()), avail.y() + avail.height() - height - extra_h)
        if (x, y) != (frame.x(), frame.y()):
            self.move(x, y)

    def _on_changed(self, changed) -> None:
        if changed.unit_changed:
            self._update_title()
            if self.idle_lock is not None:  # a new idle-lock time holds from now on, not after a restart
                self.idle_lock.minutes = self._idle_minutes()
        if changed.ledgers or changed.everything:
            self._fill_years()  # a record saved into a new year, an import of several years
        if changed.everything:
            self._offer_county_tab()  # packages merged: this may now be a county database

    def _offer_county_tab(self) -> None:
        """县级汇总, once the database holds more than one unit."""
        from fazhi_desktop.services import units

        if self._county_tab is None and len(units.all_units(self.session.db)) >= 2:
            self._add_county_tab()

    def _add_county_tab(self) -> None:
        self._county_tab = LazyTab(self, _county)
        self.ui.tabs.insertTab(self.ui.tabs.indexOf(self._report_tab) + 1, self._county_tab, "县级汇总")

    @property
    def county_tab(self):
        return None if self._county_tab is None else self._county_tab.page

    def import_packages(self) -> None:
        self._offer_county_tab_now()
        self.county_tab.import_packages()

    def _offer_county_tab_now(self) -> None:
        """The county tab even for the first package (the database holds one unit, or none, until it is merged)."""
        if self._county_tab is None:
            self._add_county_tab()
        self.ui.tabs.setCurrentWidget(self._county_tab)

    def make_binder(self) -> None:
        """台账汇编 of the year shown, every ledger, on a worker (hundreds of photos take a while)."""
        from fazhi_desktop.gui.shell import file_dialogs, workers
        from fazhi_desktop.reports.render.binder_pdf import make_binder

        ctx, year = self.session.context(), self.session.year
        out = file_dialogs.save_file_name(self, "保存台账汇编", f"{ctx.unit.name}{year}年台账汇编.pdf", "PDF 文件 (*.pdf)")
        if not out:
            return

        def job(report):
            return make_binder(ctx, year, out, progress=report)

        def done(book) -> None:
            missing = sum(1 for p in book.pieces if p.flagged)
            lack = (f"\n其中 {missing} 件缺佐证材料，已在相应位置放入「缺」页：补齐照片或扫描件后可重新生成。"
                    if missing else "\n各件佐证材料齐全。")
            volumes = "；".join(f"{v.shown} {len(v.pieces)} 件、{len(v.boxes)} 盒" for v in book.volumes)
            dialogs.finished(self, "台账汇编", f"已生成台账汇编，按保管期限分卷：{volumes}；共 {book.total_pages} 页。{lack}"
                             f"\n\n{out}", out)

        self._op = workers.run(self, "正在生成台账汇编（照片较多时需要几分钟）…", job, done, counted=True)

    def self_score(self) -> None:
        """考核自评: the county's sheet read and this year's figures computed on a worker, then the mapping step (its
        rules shown, set or changed, saved into the sheet if wished), then the self-scored sheet written."""
        from fazhi_desktop.exchange.scoring_sheet import read_sheet
        from fazhi_desktop.gui.shell import file_dialogs, files, workers
        from fazhi_desktop.services import reports_text, score_figures

        sheet = file_dialogs.open_file_name(self, "选择县里的考核细则", files.default_folder(), "Excel 工作簿 (*.xlsx)")
        if not sheet:
            return
        ctx, year = self.session.context(), self.session.year

        def job():
            found = read_sheet(sheet)
            draft = reports_text.load(ctx, year) or {}
            with ctx.engine.connect() as conn:
                return sheet, found, score_figures.figures(conn, ctx.unit, year, draft.get("doc_date"))

        self._op = workers.run(self, "正在读取考核细则…", job, self._map_and_score)

    def _map_and_score(self, loaded) -> None:
        from fazhi_desktop.domain.scoring import score
        from fazhi_desktop.gui.dialogs.score_rules_dialog import ScoreRulesDialog
        from fazhi_desktop.gui.shell import file_dialogs, workers
        from fazhi_desktop.reports.render.score_xlsx import write_score_workbook

        source, sheet, figures = loaded
        dialog = ScoreRulesDialog(sheet, figures, source, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.mapped is None:
            return
        mapped = dialog.mapped
        ctx, year = self.session.context(), self.session.year
        out = file_dialogs.save_file_name(self, "保存考核自评表", f"{ctx.unit.name}{year}年考核自评表.xlsx",
                                          "Excel 工作簿 (*.xlsx)")
        if not out:
            return
        self._op = workers.run(self, "正在按考核细则自评…",
                               lambda: write_score_workbook(ctx.unit, year, mapped, score(mapped.items, figures), out),
                               self._scored)

    def _scored(self, path) -> None:
        dialogs.finished(self, "考核自评", f"已生成考核自评表（考核得分一栏留给县考核组）：\n{path}", path)

    def export_package(self) -> None:
        import tempfile

        from fazhi_desktop.exchange.package_format import package_name
        from fazhi_desktop.exchange.package_write import write_package
        from fazhi_desktop.gui.shell import file_dialogs, workers
        from fazhi_desktop.reports import readiness
        from fazhi_desktop.reports.render import write_submitted_reports
        from fazhi_desktop.reports.render.receipt_pdf import receipt_for
        from fazhi_desktop.services import local

        ctx, year = self.session.context(), self.session.year
        out = file_dialogs.save_file_name(self, "导出数据包", package_name(ctx.unit.name, year), "数据包 (*.zip)")
        if not out:
            return

        def job():
            findings = readiness.check_for(ctx, year)
            with tempfile.TemporaryDirectory() as tmp:
                pdf, public, why_not = write_submitted_reports(ctx.engine, ctx.unit, year, Path(tmp),
                                                               fonts=local.fonts(ctx.db))
                written = write_package(ctx.engine, ctx.unit, year, out, findings_open=len(findings),
                                        report_pdf=pdf, public_pdf=public, actor=ctx.actor)
            # the 报送单 beside it: printed and handed over with the file, its fingerprint checked at the county
            receipt = receipt_for(ctx.unit, year, written, Path(out).with_name(f"{Path(out).stem}-报送单.pdf"),
                                  local.fonts(ctx.db))
            return written, why_not, receipt

        def done(result) -> None:
            written, why_not, receipt = result
            public = f"（公开版没有附上：{why_not}）" if why_not else "及公开版"
            dialogs.finished(self, "导出数据包", f"已导出{year}年数据包：记录 {sum(written.counts.values())} 条，附年度报告"
                             f"{public}。\n数据包签名指纹：{written.fingerprint}\n请把这个文件交给县法治办，"
                             f"并打印报送单（含签名指纹）一同交去：\n{written.path}\n{receipt}", written.path)

        self._op = workers.run(self, "正在导出数据包…", job, done)

    def _update_title(self) -> None:
        suffix = "（只读）" if self.session.db.read_only else ""
        self.setWindowTitle(f"{APP_NAME} — {self.session.unit.name}{suffix}")
        self.ui.unitLabel.setText(f"{self.session.unit.county} {self.session.unit.name}")

    def _fill_years(self) -> None:
        from fazhi_desktop.services.listing import years_of

        years = set(years_of(self.session.context()))
        this_year = dt.date.today().year
        # next year too: a clerk starts it (a contract signed ahead, the first meeting) without a record to show it
        years |= {this_year + 1, this_year, this_year - 1, self.session.year}
        self.ui.yearCombo.blockSignals(True)
        self.ui.yearCombo.clear()
        for y in sorted(years, reverse=True):
            self.ui.yearCombo.addItem(f"{y}年", y)
        self.ui.yearCombo.setCurrentIndex(self.ui.yearCombo.findData(self.session.year))
        self.ui.yearCombo.blockSignals(False)

    # -- guarding unsaved edits --------------------------------------------------------------------------------------
    def _editors(self, widget: QWidget | None) -> list:
        if isinstance(widget, LazyTab):
            return [widget.created] if hasattr(widget.created, "maybe_leave") else []
        if isinstance(widget, QTabWidget):
            return self._editors(widget.currentWidget())
        return []

    def _tab_changed(self, tabs: QTabWidget, index: int) -> None:
        previous = tabs.property("previous")
        if previous is not None and previous != index:
            for editor in self._editors(tabs.widget(int(previous))):
                if not editor.maybe_leave():
                    tabs.blockSignals(True)
                    tabs.setCurrentIndex(int(previous))
                    tabs.blockSignals(False)
                    return
        tabs.setProperty("previous", index)
        QTimer.singleShot(0, self._focus_page)

    def current_ledger_page(self) -> LedgerPage | None:
        widget = self.ui.tabs.currentWidget()
        if isinstance(widget, QTabWidget):
            widget = widget.currentWidget()
        return widget.page if isinstance(widget, LazyTab) and widget in self.holders.values() else None

    def _focus_page(self) -> None:
        """The focus goes into the page in front (its list, or the tab bar), so that the keys act there."""
        if self.session is None or QApplication.activeModalWidget() is not None:
            return
        page = self.current_ledger_page()
        target = page.view if page is not None else self.ui.tabs.tabBar()
        if target.isVisible():
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def new_record(self) -> None:
        page = self.current_ledger_page()
        if page is None:
            self.statusBar().showMessage("请先切换到一本台账，再按 Ctrl+N 新增记录。", 6000)
        elif page.new_button.isVisible():  # a 查看 account is not offered it
            page.new_record()

    def all_editors(self) -> list:
        holders = [*self.holders.values(), self._report_tab]
        return [h.created for h in holders if h.created is not None]

    def select_ledger(self, key: str) -> LedgerPage:
        """Bring a ledger's tab to the front (asking about unsaved edits as a click would) and return its page."""
        holder = self.holders[key]
        for i in range(self.ui.tabs.count()):
            tab = self.ui.tabs.widget(i)
            if tab is holder:
                self.ui.tabs.setCurrentIndex(i)
            elif isinstance(tab, QTabWidget) and tab.indexOf(holder) >= 0:
                self.ui.tabs.setCurrentIndex(i)
                tab.setCurrentWidget(holder)
        return holder.page

    def _year_selected(self, index: int) -> None:
        year = self.ui.yearCombo.itemData(index)
        if year == self.session.year:
            return
        if not all(e.maybe_leave() for e in self.all_editors()):
            self.ui.yearCombo.blockSignals(True)
            self.ui.yearCombo.setCurrentIndex(self.ui.yearCombo.findData(self.session.year))
            self.ui.yearCombo.blockSignals(False)
            return
        self.session.set_year(year)

    def select_year(self, year: int) -> None:
        index = self.ui.yearCombo.findData(year)
        if index < 0:  # in its place: the list stays newest first
            combo = self.ui.yearCombo
            index = next((i for i in range(combo.count()) if combo.itemData(i) < year), combo.count())
            combo.blockSignals(True)
            combo.insertItem(index, f"{year}年", year)
            combo.blockSignals(False)
        self.ui.yearCombo.setCurrentIndex(index)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session is None:  # closed before the database was open
            event.accept()
            return
        if not all(e.maybe_leave() for e in self.all_editors()):
            event.ignore()
            return
        # Background jobs report to widgets of this window: let them finish before it goes away.
        QThreadPool.globalInstance().waitForDone(10000)
        if self._report_tab.created is not None:  # not built just to be cleaned
            self._report_tab.created.remove_previews()
        if self.backup_on_exit and self.session.db.is_sqlite and not self.session.db.read_only:
            from fazhi_desktop.services import safety

            try:
                safety.backup_now(self.session.db, "exit")
            except Exception as exc:  # noqa: BLE001 - a failed backup must not keep the window open
                log.warning("backup on exit failed: %s", exc)
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/tab", self.ui.tabs.currentIndex())
        event.accept()

    # -- dialogs -----------------------------------------------------------------------------------------------------
    def start_daily_backup(self) -> None:
        from fazhi_desktop.gui.shell import workers
        from fazhi_desktop.services import safety

        db = self.session.db
        self._daily = workers.run(self, "正在自动备份…", lambda: safety.daily(db),
                                  lambda path: path and self.statusBar().showMessage(f"已自动备份：{path}", 8000))

    def open_backups(self) -> None:
        from fazhi_desktop.gui.dialogs.backup_dialog import BackupDialog

        if all(e.maybe_leave() for e in self.all_editors()):
            BackupDialog(self.session, self).exec()

    def open_import(self) -> None:
        from fazhi_desktop.gui.dialogs.import_dialog import ImportDialog

        if all(e.maybe_leave() for e in self.all_editors()):
            ImportDialog(self.session, self).exec()
            self._fill_years()

    def _save_in_background(self, title: str, default_name: str, job) -> None:

        from fazhi_desktop.gui.shell import file_dialogs, workers

        out = file_dialogs.save_file_name(self, title, default_name, "Excel 工作簿 (*.xlsx)")
        if not out:
            return
        self._op = workers.run(self, "正在生成，请稍候…", lambda: job(out),
                               lambda _r: self.statusBar().showMessage(f"已保存：{out}", 10000))

    def export_ledgers(self) -> None:
        from fazhi_desktop.exchange.writer import export_workbook
        from fazhi_desktop.gui.dialogs.export_dialog import ExportDialog

        ctx = self.session.context()
        dialog = ExportDialog(self.session, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        year, ledgers = dialog.chosen()
        self._save_in_background("导出台账", dialog.file_name(ctx.unit.name),
                                 lambda out: export_workbook(ctx.engine, ctx.unit, out, year, ledgers=ledgers,
                                                             actor=ctx.actor))

    def save_template(self) -> None:
        from fazhi_desktop.exchange.writer import write_template

        unit = self.session.unit
        self._save_in_background("保存导入模板", "台账导入模板.xlsx", lambda out: write_template(out, unit))

    def open_settings(self) -> None:
        from fazhi_desktop.gui.dialogs.settings_dialog import SettingsDialog

        SettingsDialog(self.session, self).exec()

    def show_manual(self) -> None:
        from PySide6.QtWidgets import QDialogButtonBox, QTextBrowser, QVBoxLayout

        from fazhi_desktop.gui.shell import files

        path = files.manual_path()
        if path is None:
            QMessageBox.information(self, "用户手册", "本安装没有附带用户手册，请查看程序文件夹中的 docs/用户手册.md。")
            return
        dialog = QDialog(self)
        dialog.setWindowTitle("用户手册")
        browser = QTextBrowser(dialog)
        browser.setOpenExternalLinks(True)
        browser.setSearchPaths([str(path.parent)])  # the screenshots beside it
        browser.setMarkdown(path.read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        dialogs.sized(dialog, 900, 700)
        self.manual_dialog = dialog  # kept for tests; shown modeless so the clerk can follow it while working
        dialog.show()

    def show_shortcuts(self) -> None:
        from PySide6.QtWidgets import QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem

        dialog = QDialog(self)
        dialog.setWindowTitle("快捷键")
        table = QTableWidget(len(SHORTCUTS), 2, dialog)
        table.setHorizontalHeaderLabels(["按键", "作用"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(" / ".join(keys)))
            table.setItem(row, 1, QTableWidgetItem(what))
        table.resizeColumnToContents(0)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialogs.sized(dialog, 640, 460)
        self.shortcuts_dialog = dialog  # kept for tests
        dialog.exec()

    def open_about(self) -> None:
        from fazhi_desktop.gui.generated.ui_about_dialog import Ui_AboutDialog

        dialog = QDialog(self)
        ui = Ui_AboutDialog()
        ui.setupUi(dialog)
        ui.versionLabel.setText(f"版本 {__version__}")
        db = self.session.db.path or "服务器数据库"
        ui.pathsLabel.setText(f"数据库：{db}\n数据文件夹：{local.data_folder()}")
        ui.buttonBox.rejected.connect(dialog.reject)
        dialog.exec()
