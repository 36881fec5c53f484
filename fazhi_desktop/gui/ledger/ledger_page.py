"""One ledger's page: a list that pages from SQL, search and filters, and a generated form beside it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain import audit_actions
from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.domain.fields import FieldType, Ledger
from fazhi_desktop.domain.validation import choices_for
from fazhi_desktop.gui.ledger.form import RecordForm
from fazhi_desktop.gui.ledger.table_model import IdRole, LedgerTableModel
from fazhi_desktop.gui.shell import dialogs, file_dialogs, files, ops, workers
from fazhi_desktop.gui.shell.errors import show_exception, show_user_error
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.services import attachments, audit, privacy, records, units
from fazhi_desktop.services.context import Changed, Done, records_of

ACTION_NAMES = audit_actions.LABELS
FILTER_ALL = "全部"


class LedgerPage(QWidget):
    def __init__(self, session: Session, ledger: Ledger, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.ledger = ledger
        self.current_id: str | None = None
        self.model = LedgerTableModel(session.context, ledger, self)
        self.viewer = session.read_only_role  # a 查看 account: what the services would refuse is not offered
        self._build()
        if self.viewer:
            for button in (self.new_button, self.save_button, self.cancel_button, self.add_attachment_button,
                           self.remove_attachment_button, self.describe_attachment_button, self.undo_button):
                button.setVisible(False)
        self._filter_timer = QTimer(self, singleShot=True, interval=250)
        self._filter_timer.timeout.connect(self.apply_filters)
        session.year_changed.connect(lambda _y: self._year_switched())
        session.changed.connect(self._on_changed)
        self.reload()
        self.new_record()

    # -- layout ------------------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.new_button = QPushButton("新增(&N)")
        self.new_button.setToolTip("新增一条记录（Ctrl+N）")
        self.delete_button = QPushButton("删除")
        self.delete_button.setToolTip("移入回收站（Delete）")
        self.restore_button = QPushButton("恢复")
        self.purge_button = QPushButton("彻底删除")
        self.recycle_toggle = QToolButton()
        self.recycle_toggle.setText("回收站")
        self.recycle_toggle.setCheckable(True)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(180)  # stays usable when a small screen squeezes the tool bar
        self.filters: dict[str, QComboBox] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addWidget(self.delete_button)
        bar.addWidget(self.restore_button)
        bar.addWidget(self.purge_button)
        bar.addWidget(self.search_edit, 1)
        filter_row = QWidget()
        filter_bar = QHBoxLayout(filter_row)
        filter_bar.setContentsMargins(0, 0, 0, 0)
        for f in self.ledger.fields:
            if f.kind.filterable:
                combo = QComboBox()
                combo.setToolTip(f"按「{f.label}」筛选")
                self.filters[f.key] = combo
                filter_bar.addWidget(QLabel(f.label))
                filter_bar.addWidget(combo)
        filter_bar.addStretch(1)
        self._fill_filters()
        bar.addWidget(self.recycle_toggle)
        # Six filters beside the buttons made the dispute page wider than a 1366×768 screen at 125%: they get a row
        # of their own that scrolls sideways when even that is too narrow.
        self.filter_area = QScrollArea(self)  # parented now: made visible before it is in a layout, it was a window
        self.filter_area.setWidget(filter_row)
        self.filter_area.setWidgetResizable(True)
        self.filter_area.setFrameShape(QFrame.Shape.NoFrame)
        self.filter_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.filter_area.setFixedHeight(filter_row.sizeHint().height()
                                        + self.filter_area.horizontalScrollBar().sizeHint().height())
        self.filter_area.setVisible(bool(self.filters))

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # edit in the form, not in cells
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # newest first until clicked
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicatorShown(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setDefaultSectionSize(110)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setAlternatingRowColors(True)

        self.form = RecordForm(self.ledger.fields, self.session.unit, self.ledger.key, add_choice=self._add_choice)
        self.form.set_year(self.session.year)
        scroll = self.form.in_scroll_area()
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-weight: bold;")
        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet("color: #9a6700;")
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setToolTip("保存（Ctrl+S）")
        self.cancel_button = QPushButton("撤销修改")
        self.cancel_button.setToolTip("放弃未保存的修改（Esc）")
        # ID and phone numbers show masked; a 管理员 may see one record's in full (each look is logged)
        self.reveal_button = QPushButton("显示完整号码", self)  # parented: shown before its layout, it was a window
        self.reveal_button.setToolTip("仅管理员可用；每次查看都记入修改记录")
        self.reveal_button.setVisible(any(f.kind.personal for f in self.ledger.fields) and not self.viewer)
        buttons = QHBoxLayout()
        buttons.addWidget(self.notice_label, 1)
        buttons.addWidget(self.reveal_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        self.history = QPlainTextEdit()
        self.history.setReadOnly(True)
        self.attachment_list = QListWidget()
        self.attachment_list.setViewMode(QListWidget.ViewMode.IconMode)
        self.attachment_list.setIconSize(QSize(72, 72))
        self.attachment_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.add_attachment_button = QPushButton("添加…")
        self.open_attachment_button = QPushButton("打开")
        self.remove_attachment_button = QPushButton("移除")
        self.describe_attachment_button = QPushButton("说明…")
        self.describe_attachment_button.setToolTip("材料名称（如 调解协议书）、摄影者、背景：印在台账汇编的照片说明中")
        att_buttons = QHBoxLayout()
        for b in (self.add_attachment_button, self.open_attachment_button, self.describe_attachment_button,
                  self.remove_attachment_button):
            att_buttons.addWidget(b)
        att_buttons.addStretch(1)
        att = QWidget()
        att_layout = QVBoxLayout(att)
        att_layout.addWidget(self.attachment_list)
        att_layout.addLayout(att_buttons)
        self.undo_button = QPushButton("恢复最近一次修改前的内容")
        self.undo_button.setToolTip("把最近一次修改过的字段填回修改前的值（保存后生效，也会记入历史）")
        history_page = QWidget()
        history_layout = QVBoxLayout(history_page)
        history_layout.addWidget(self.history)
        history_layout.addWidget(self.undo_button)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(history_page, "历史")
        self.side_tabs.addTab(att, "佐证材料")

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title_label)
        right_layout.addWidget(scroll, 3)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.side_tabs, 1)
        splitter = QSplitter()
        splitter.addWidget(self.view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.filter_area)
        layout.addWidget(splitter, 1)

        self.new_button.clicked.connect(self.new_record)
        self.delete_button.clicked.connect(self.delete_current)
        self.restore_button.clicked.connect(self.restore_current)
        self.purge_button.clicked.connect(self.purge_current)
        self.recycle_toggle.toggled.connect(self.show_recycle_bin)
        self.save_button.clicked.connect(self.save)
        self.reveal_button.clicked.connect(self.reveal_numbers)
        self.cancel_button.clicked.connect(self.revert)
        self.undo_button.clicked.connect(lambda: self.undo_last_change())
        self.search_edit.textChanged.connect(lambda _t: self._filter_timer.start())
        for combo in self.filters.values():
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.add_attachment_button.clicked.connect(lambda: self.add_attachment())  # not clicked(bool) as paths
        self.open_attachment_button.clicked.connect(self.open_attachment)
        self.remove_attachment_button.clicked.connect(self.remove_attachment)
        self.describe_attachment_button.clicked.connect(self.describe_attachment)
        self.attachment_list.itemDoubleClicked.connect(lambda _i: self.open_attachment())
        within = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self._shortcut(QKeySequence.StandardKey.Save, self, self.save, within)
        # Ctrl+N is the window's (MainWindow.new_record_action): it works wherever the focus is, on the page in front
        self._shortcut(QKeySequence(Qt.Key.Key_Escape), self.form, self.ask_revert, within)
        self._shortcut(QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search, within)
        # Delete only from the list: in a text field the key must keep deleting characters.
        self._shortcut(QKeySequence(Qt.Key.Key_Delete), self.view, self.delete_current,
                       Qt.ShortcutContext.WidgetShortcut)
        self._update_buttons()

    @staticmethod
    def _shortcut(keys: QKeySequence, parent: QWidget, slot, context: Qt.ShortcutContext) -> QShortcut:
        # The context is set explicitly: QShortcut's constructor does not take it as a keyword, and a window-wide
        # Ctrl+S on fifteen pages would be ambiguous and fire on none of them.
        shortcut = QShortcut(keys, parent)
        shortcut.setContext(context)
        shortcut.activated.connect(slot)
        return shortcut

    def _fill_filters(self) -> None:
        unit = self.session.unit
        for key, combo in self.filters.items():
            f = self.ledger.field(key)
            values = f.kind.options(f, choices_for(f, unit.local_choices, self.ledger.key), unit.villages) or ()
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(FILTER_ALL)
            combo.addItems(list(values))
            combo.setCurrentIndex(max(0, combo.findText(current)))
            combo.blockSignals(False)

    def _on_changed(self, changed: Changed) -> None:
        """One broadcast after every write (``gui.shell.ops``): refresh what depends on it, keeping the shown record."""
        if changed.unit_changed:
            self.form.refresh_choices(self.session.unit)
            self._fill_filters()
        if changed.touches(self.ledger.key):
            self.reload()

    def _add_choice(self, field_key: str, value: str) -> bool:
        key = self.ledger.key
        try:
            ops.call_write(self, self.session, "正在保存可选值…", lambda ctx: units.add_choice(ctx, key, field_key, value))
        except UserError as exc:
            show_user_error(self, str(exc))
            return False
        return True

    # -- list --------------------------------------------------------------------------------------------------------
    @property
    def in_recycle_bin(self) -> bool:
        return self.recycle_toggle.isChecked()

    def reload(self) -> None:
        self.model.set_query(year=self.session.year)
        self._reselect()

    def _year_switched(self) -> None:
        """Another year shown: a record of the year left behind is not kept in the form (with 删除 enabled, as if
        it were this year's); a blank form takes its place."""
        self.form.set_year(self.session.year)
        self.reload()
        if self.current_id and self.model.row_of(self.current_id) is None and not self.form.dirty:
            self.current_id = None
            self.load(None)

    def apply_filters(self) -> None:
        filters = {k: (c.currentText() if c.currentIndex() > 0 else None) for k, c in self.filters.items()}
        self.model.set_query(search=self.search_edit.text(), filters=filters)
        self._reselect()

    def _reselect(self) -> None:
        """The list row of the shown record selected and in view (after a save, a reload or a jump)."""
        if self.current_id:
            row = self.model.row_of(self.current_id)
            if row is not None:
                selection = self.view.selectionModel()
                selection.blockSignals(True)
                index = self.model.index(row, 0)
                selection.setCurrentIndex(index, selection.SelectionFlag.ClearAndSelect | selection.SelectionFlag.Rows)
                selection.blockSignals(False)
                self.view.scrollTo(index)

    def show_record(self, record_id: str) -> bool:
        """Show one record (a jump from 报告体检 or the overview): in the form, its row selected. False when the
        clerk keeps unsaved typing instead."""
        if not self.maybe_leave():
            return False
        self.current_id = record_id
        self.reload()
        self.load(record_id)
        return True

    def show_recycle_bin(self, on: bool) -> None:
        if on and not self.maybe_leave():
            self.recycle_toggle.blockSignals(True)
            self.recycle_toggle.setChecked(False)
            self.recycle_toggle.blockSignals(False)
            return
        self.model.set_query(deleted=on)
        self.current_id = None
        self.form.set_values(None)
        self.form.setEnabled(not on)
        self._update_buttons()

    def reveal_numbers(self) -> None:
        """The shown record's ID and phone numbers in full, in its form (the services allow it a 管理员 only)."""
        if self.current_id is None:
            return
        ctx, rid, ledger = self.session.context(), self.current_id, self.ledger.key
        keys = [f.key for f in self.ledger.fields if f.kind.personal]
        try:  # the job gets plain values: it never reads the page from the pool thread
            full = workers.call(self, "正在读取…", lambda: {k: privacy.reveal(
                ctx.engine, ctx.unit, ctx.actor, ledger, rid, k) for k in keys})
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        for key, value in full.items():
            if value:
                self.form.editors[key].widget.setText(str(value))

    def _update_buttons(self) -> None:
        bin_mode = self.in_recycle_bin
        has = self.current_id is not None
        self.new_button.setEnabled(not bin_mode)
        self.delete_button.setVisible(not bin_mode and not self.viewer)
        self.delete_button.setEnabled(has)
        self.restore_button.setVisible(bin_mode and not self.viewer)
        self.purge_button.setVisible(bin_mode and not self.viewer)
        self.restore_button.setEnabled(bin_mode and has)
        self.purge_button.setEnabled(bin_mode and has)
        self.save_button.setEnabled(not bin_mode)
        for b in (self.add_attachment_button, self.remove_attachment_button, self.describe_attachment_button):
            b.setEnabled(has and not bin_mode)
        name = "回收站中的记录" if bin_mode else ("修改记录" if has else "新增记录")
        self.title_label.setText(f"{self.ledger.name} — {name}")

    # -- record switching --------------------------------------------------------------------------------------------
    def maybe_leave(self) -> bool:
        """Called before anything replaces the form's content. False means: stay (the user chose 取消)."""
        if not self.form.dirty:
            return True
        answer = dialogs.ask_unsaved(self, f"{self.ledger.name}中的当前记录")
        if answer == dialogs.SAVE:
            return self.save()
        if answer == dialogs.DISCARD:
            self.form.dirty = False
            return True
        return False

    def _row_changed(self, current, previous) -> None:
        record_id = current.data(IdRole) if current.isValid() else None
        if record_id == self.current_id:
            return
        if not self.maybe_leave():
            self.view.selectionModel().blockSignals(True)
            if previous.isValid():
                self.view.selectionModel().setCurrentIndex(
                    previous, self.view.selectionModel().SelectionFlag.ClearAndSelect
                    | self.view.selectionModel().SelectionFlag.Rows)
            else:
                self.view.clearSelection()
            self.view.selectionModel().blockSignals(False)
            return
        self.load(record_id)

    def load(self, record_id: str | None) -> None:
        self.current_id = record_id
        self.version: int | None = None  # the shown record's saves when it was read: a later one elsewhere conflicts
        if record_id is None:
            self.form.set_values(self._defaults())
        else:
            record = self.session.records().get(self.ledger.key, record_id)
            self.version = record.get("version") or 0
            self.form.set_values(record)
        self.notice_label.clear()
        self._update_buttons()
        self._load_history()
        self._load_attachments()

    def _defaults(self) -> dict[str, Any]:
        values = {f.key: f.default for f in self.ledger.fields}
        if self.ledger.year_field.type is FieldType.YEAR:
            values[self.ledger.year_from] = self.session.year
        return values

    def new_record(self) -> None:
        if not self.maybe_leave():
            return
        self.view.selectionModel().blockSignals(True)
        self.view.clearSelection()
        self.view.selectionModel().blockSignals(False)
        self.load(None)
        self.form.focus_first()

    def revert(self) -> None:
        self.load(self.current_id)

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def ask_revert(self) -> None:
        """Esc: throwing away a whole form of typing needs a yes, as switching tabs does."""
        if self.form.dirty and not dialogs.confirm(self, "放弃修改", "当前记录有修改尚未保存，确定要放弃这些修改吗？"):
            return
        self.revert()

    # -- writes ------------------------------------------------------------------------------------------------------
    def _year_value(self, values: dict[str, Any]) -> dt.date | int | None:
        """The record's date (or 年度) as typed, when it can be read; validation reports it otherwise."""
        from fazhi_desktop.domain.fields import CoercionError, coerce

        try:
            return coerce(self.ledger.field(self.ledger.year_from), values.get(self.ledger.year_from))
        except CoercionError:
            return None

    def _record_year(self, values: dict[str, Any]) -> int | None:
        value = self._year_value(values)
        return value.year if isinstance(value, dt.date) else value if isinstance(value, int) else None

    def _date_is_plausible(self, values: dict[str, Any]) -> bool:
        """A date after today or more than a year from the year shown is often a typo (2099, 2203…): ask first."""
        value = self._year_value(values)
        year = self._record_year(values)
        if year is None:
            return True
        if isinstance(value, dt.date) and value > dt.date.today():
            why = f"{self.ledger.field(self.ledger.year_from).label}是{value:%Y-%m-%d}，晚于今天"
        elif abs(year - self.session.year) > 1:
            why = f"这条记录属于{year}年，与当前年度{self.session.year}年相差较远"
        else:
            return True
        return dialogs.confirm(self, "请核对日期", f"{why}。确定没有写错吗？")

    def _numbers_are_plausible(self, values: dict[str, Any]) -> bool:
        """A count far above the usual (参会人数 99999) is asked about before it is saved, not reported after."""
        _clean, problems = self.session.records().validate(self.ledger, values)
        odd = [p for p in problems if p.unusual]
        if not odd or any(not p.warning for p in problems):  # errors are shown by the save itself
            return True
        if dialogs.confirm(self, "请核对数值", "\n".join(f"「{p.label}」{p.message}。" for p in odd) + "\n确定保存吗？"):
            return True
        self.form.show_problems(odd)
        self.notice_label.setText("未保存：请核对" + "、".join(f"「{p.label}」" for p in odd) + "。")
        return False

    def save(self) -> bool:
        if self.in_recycle_bin:
            return False
        values = self.form.values()
        if not self._date_is_plausible(values) or not self._numbers_are_plausible(values):
            return False
        key, record_id, version = self.ledger.key, self.current_id, self.version
        try:
            # On a worker thread: a slow disk (or a server database) must not freeze the window. The broadcast of
            # the change reloads this list (and marks the overview and report stale).
            result = ops.call_write(self, self.session, "正在保存…",
                                    (lambda ctx: records.service(ctx).create(key, values)) if record_id is None
                                    else (lambda ctx: records.service(ctx).update(key, record_id, values,
                                                                                 expected_version=version)))
        except ValidationError as exc:
            self.form.show_problems(exc.problems)
            named = "、".join(dict.fromkeys(f"「{p.label}」" for p in exc.problems if p.label))
            self.notice_label.setText(f"有 {len(exc.problems)} 处需要修改，未保存" + (f"：{named}。" if named else "。"))
            return False
        except Exception as exc:  # noqa: BLE001 - shown, logged, form kept as typed
            show_exception(self, exc)
            return False
        self.form.dirty = False
        self.current_id = result.id
        self._reselect()
        self.load(result.id)
        self.notice_label.setText("；".join(f"{w.label}：{w.message}" for w in result.warnings) or "已保存。")
        year = self._record_year(self.session.records().get(self.ledger.key, result.id))
        if year is not None and year != self.session.year and not self.ledger.in_force:
            # Saved into another year: it would vanish from this list. Offer to follow it.
            if dialogs.confirm(self, "记录在其他年度", f"这条记录属于{year}年，当前显示的是{self.session.year}年，"
                               f"所以不会出现在当前列表中。\n切换到{year}年查看吗？"):
                window = self.window()
                if hasattr(window, "select_year"):
                    window.select_year(year)
                self.current_id = result.id
                self.reload()
                self.load(result.id)
            else:
                self.notice_label.setText(f"已保存到{year}年（当前显示{self.session.year}年）。")
        return True

    def _selected_id(self) -> str | None:
        return self.current_id

    def delete_current(self) -> None:
        if self.in_recycle_bin or not self.current_id:
            return
        if not dialogs.confirm(self, "删除记录", "把这条记录移入回收站吗？移入后不再参与统计，可以在回收站中恢复。"):
            return
        self._change_current("正在删除…", "delete")

    def restore_current(self) -> None:
        """Back to the list with the restored record shown, and a word that it counts again."""
        record_id = self.current_id
        if not (self.in_recycle_bin and record_id and self._change_current("正在恢复…", "restore")):
            return
        self.recycle_toggle.setChecked(False)
        self.show_record(record_id)
        where = "" if self.model.row_of(record_id) is not None else "（它不属于当前显示的年度，切换年度可在列表中看到）"
        self.notice_label.setText(f"已恢复：这条记录已回到列表中，重新参与统计{where}。")

    def purge_current(self) -> None:
        if not (self.in_recycle_bin and self.current_id):
            return
        if not dialogs.confirm(self, "彻底删除", "彻底删除后无法恢复（修改历史仍会保留）。确定吗？"):
            return
        if self._change_current("正在删除…", "purge"):
            self.form.setEnabled(False)

    def _change_current(self, label: str, method: str) -> bool:
        """Delete, restore or purge the current record on a worker thread, then show the list without it; False
        (after showing why) when the database refused."""
        key, record_id = self.ledger.key, self.current_id
        try:
            ops.call_write(self, self.session, label, lambda ctx: getattr(records.service(ctx), method)(key, record_id))
        except Exception as exc:  # noqa: BLE001 - shown and logged by the one presenter
            show_exception(self, exc)
            return False
        self.form.dirty = False
        self.current_id = None
        self.load(None)
        return True

    # -- history and attachments -------------------------------------------------------------------------------------
    def _load_history(self) -> None:
        self._history: list[dict[str, Any]] = []
        self.undo_button.setEnabled(False)
        if not self.current_id:
            self.history.setPlainText("")
            return
        labels = {f.key: f.label for f in self.ledger.fields}
        record_id = self.current_id
        try:
            entries = ops.call_read(self.side_tabs, self.session, "正在读取修改历史…",
                                    lambda ctx: audit.history_of(ctx, record_id))
        except Exception as exc:  # noqa: BLE001
            show_exception(self, exc)
            return
        self._history = entries
        self.undo_button.setEnabled(any(e["action"] == "update" for e in entries) and not self.in_recycle_bin)
        lines = []
        for e in entries:
            lines.append(f"{e['at']:%Y-%m-%d %H:%M}  {e['actor']}  {ACTION_NAMES.get(e['action'], e['action'])}")
            if e["action"] == "update":
                for key, (old, new) in audit.masked_changes(e).items():
                    lines.append(f"    {labels.get(key, key)}：{old if old not in (None, '') else '（空）'} → "
                                 f"{new if new not in (None, '') else '（空）'}")
        self.history.setPlainText("\n".join(lines))

    def undo_last_change(self) -> None:
        """Put the values from before the record's last edit back into the form, for the clerk to check and save."""
        from fazhi_desktop.domain.fields import CoercionError, coerce

        last = next((e for e in reversed(getattr(self, "_history", [])) if e["action"] == "update"), None)
        if last is None:
            return
        restored = []
        for key, (old, _new) in last["changes"].items():
            editor = self.form.editors.get(key)
            if editor is None:
                continue
            try:
                editor.set(coerce(editor.field, old))
            except CoercionError:
                continue
            restored.append(editor.field.label)
        if restored:
            self.form.dirty = True
            self.form.edited.emit()
            self.notice_label.setText(f"已把「{'、'.join(restored)}」填回{last['at'].month}月{last['at'].day}日 {last['at']:%H:%M}修改前的内容，"
                                      "核对后请保存。")

    def _load_attachments(self) -> None:
        self.attachment_list.clear()
        if not self.current_id:
            return
        items = attachments.of_record(self.session.context(), self.current_id)
        for a in items:
            item = QListWidgetItem(a["name"])
            item.setData(Qt.ItemDataRole.UserRole, a)
            said = "；".join(f"{label}：{a[key]}" for key, label, _most in attachments.DESCRIPTION if a.get(key))
            if said:
                item.setToolTip(said)
            if a["is_image"]:
                pix = QPixmap(str(a["path"]))
                if not pix.isNull():
                    item.setIcon(QIcon(pix.scaled(72, 72, Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.SmoothTransformation)))
            self.attachment_list.addItem(item)

    def add_attachment(self, paths: list[str] | None = None, description: dict | None = None) -> None:
        """Hash and copy on a worker (a 200 MB scan takes seconds); the list refreshes when it is done. Files the
        clerk picks are described first (材料名称, 摄影者, 背景: all optional)."""
        if not self.current_id:
            return
        if not paths:
            paths = file_dialogs.open_file_names(self, "选择佐证材料（照片、扫描件、PDF 等）", files.default_folder())
            if not paths:
                return
            from fazhi_desktop.gui.dialogs.attachment_info_dialog import AttachmentInfoDialog

            dialog = AttachmentInfoDialog(self.ledger.key, [Path(p).name for p in paths], None, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            description = dialog.values()
        key, record = self.ledger.key, self.current_id

        def work(ctx) -> Done:
            for path in paths:
                attachments.attach(ctx, key, record, path, description)
            return Done(len(paths), records_of(key))

        def done(_n: int) -> None:
            if self.current_id == record:
                self._load_attachments()
                self._load_history()

        def failed(exc: BaseException, details: str) -> None:
            done(0)
            show_exception(self, exc, details)

        self._attach_op = ops.write(self, self.session, "正在添加佐证材料…", work, done, failed)

    @property
    def attaching(self) -> bool:
        op = getattr(self, "_attach_op", None)
        return bool(op and op.running)

    def _selected_attachment(self) -> dict | None:
        item = self.attachment_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def open_attachment(self) -> None:
        a = self._selected_attachment()
        if a and not a["openable"]:
            # A program or script (.bat, .exe, .js …) never runs from here, whoever attached it.
            show_user_error(self, f"出于安全考虑，程序不直接打开这种类型的文件：{a['name']}\n"
                                  "佐证材料请使用图片、PDF、Word、Excel 等文档格式。")
        elif a and Path(a["path"]).exists():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(a["path"])))
        elif a:
            show_user_error(self, f"佐证材料文件已丢失：{a['name']}")

    def describe_attachment(self) -> None:
        from fazhi_desktop.gui.dialogs.attachment_info_dialog import AttachmentInfoDialog

        a = self._selected_attachment()
        if not a:
            return
        dialog = AttachmentInfoDialog(self.ledger.key, [a["name"]], a, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        key, values = self.ledger.key, dialog.values()
        try:
            ops.call_write(self, self.session, "正在保存说明…", lambda ctx: attachments.describe(ctx, a["id"], key, values))
        except UserError as exc:
            show_user_error(self, str(exc))
            return
        self._load_attachments()
        self._load_history()

    def remove_attachment(self) -> None:
        a = self._selected_attachment()
        if a and dialogs.confirm(self, "移除佐证材料", f"移除「{a['name']}」吗？"):
            key = self.ledger.key
            ops.call_write(self, self.session, "正在移除…", lambda ctx: attachments.detach(ctx, a["id"], key))
            self._load_attachments()
            self._load_history()
