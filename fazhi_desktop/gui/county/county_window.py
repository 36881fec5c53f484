"""The county's own window (#36): a PC set up 「本机用于县级汇总」 has no township of its own, only its roster and
the packages its townships send — the 县级汇总 tab, a year to look at, and the file menu that imports and prints."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from fazhi_desktop.gui.county.county_tab import CountyTab
from fazhi_desktop.gui.shell.session import Session

APP_TITLE = "法治建设台账"


class CountyWindow(QMainWindow):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.tab = CountyTab(session)
        self.year_combo = QComboBox()
        this_year = dt.date.today().year
        for year in range(this_year + 1, this_year - 6, -1):
            self.year_combo.addItem(f"{year}年", year)
        self.year_combo.setCurrentIndex(self.year_combo.findData(session.year))
        self.year_combo.currentIndexChanged.connect(self._year_chosen)  # bound methods: no closure keeps it alive
        top = QHBoxLayout()
        top.addWidget(QLabel("年度："))
        top.addWidget(self.year_combo)
        top.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(top)
        layout.addWidget(self.tab, 1)
        self.setCentralWidget(body)
        menu = self.menuBar().addMenu("文件(&F)")
        self.import_action = QAction("导入乡镇数据包(&G)…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.tab.import_packages)
        self.roster_action = QAction("本县乡镇名单(&R)…", self)
        self.roster_action.triggered.connect(self.tab.edit_roster)
        self.workbook_action = QAction("生成县级汇总表(&T)…", self)
        self.workbook_action.triggered.connect(self.tab.save_workbook)
        self.quit_action = QAction("退出(&X)", self)
        self.quit_action.triggered.connect(self.close)
        from fazhi_desktop.domain import roles

        # what a role may not do is not offered (the services refuse it again)
        for action, need in ((self.import_action, roles.ADMIN_ONLY), (self.roster_action, roles.SETTINGS),
                             (self.workbook_action, roles.EXPORT)):
            action.setEnabled(session.may(need))
            menu.addAction(action)
        self.tab.import_button.setEnabled(session.may(roles.ADMIN_ONLY))
        self.tab.roster_button.setEnabled(session.may(roles.SETTINGS))
        self.tab.relink_button.setEnabled(session.may(roles.ADMIN_ONLY))
        menu.addSeparator()
        menu.addAction(self.quit_action)
        session.changed.connect(self._update_title)
        self._update_title()
        self.resize(1100, 680)

    def _year_chosen(self, _index: int) -> None:
        self.session.set_year(self.year_combo.currentData())

    def _update_title(self, _changed: object = None) -> None:
        from fazhi_desktop.services import county

        with self.session.db.engine.connect() as conn:
            roster = county.stored_roster(conn)
        name = roster.county if roster else ""
        self.setWindowTitle(f"{APP_TITLE} — {name}县级汇总")
