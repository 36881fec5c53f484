"""概览: the year's key indicators beside last year's, and a few charts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.indicators import INDICATOR_BY_KEY, INDICATORS
from fazhi_desktop.gui.overview.charts import BarChart
from fazhi_desktop.gui.shell import ops
from fazhi_desktop.gui.shell.freshness import RefreshWhenVisible
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.gui.shell.workers import Operation
from fazhi_desktop.reports.content.numbers import percent
from fazhi_desktop.services import stats, todo

COLUMNS = ("类别", "指标", "本年", "上年", "增减")
TODO_COLUMNS = ("状态", "到期日", "剩余天数", "事项")
TODO_COLORS = {todo.OVERDUE: "#c0392b", todo.NOW: "#c0392b", todo.SOON: "#b9770e"}
CHARTS = ("disputes.by_category", "disputes.by_risk", "publicity.by_kind", "publicity.ten_entries.by_target")


def _text(value, kind: str, unit: str) -> str:
    if kind == "rate":
        return percent(value)
    return f"{value}{unit}"


NO_DATA = "—"  # last year holds no record: its zeros would read as figures


def _delta(delta, kind: str) -> str:
    """增减: a count's difference, a rate's in 百分点 (as the workbook prints it), — when there is none."""
    if delta is None:
        return NO_DATA
    if kind == "rate":
        points = round(delta * 100, 1)
        return f"{points:+.1f}个百分点" if points else "0个百分点"
    return f"{delta:+d}"


class OverviewTab(RefreshWhenVisible, QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.charts = {key: BarChart(INDICATOR_BY_KEY[key].label) for key in CHARTS}
        grid = QGridLayout()
        for i, chart in enumerate(self.charts.values()):
            grid.addWidget(chart, i // 2, i % 2)
        charts = QWidget()
        charts.setLayout(grid)
        # 待办: the deadlines the records give, overdue ones in red; double-click opens the record
        self.todo_table = QTableWidget(0, len(TODO_COLUMNS))
        self.todo_table.setHorizontalHeaderLabels(TODO_COLUMNS)
        self.todo_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.todo_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.todo_table.verticalHeader().hide()
        self.todo_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.todo_table.setToolTip("双击一项，打开对应的记录")
        self.todo_table.itemActivated.connect(self._open_todo)
        self.todo_items: list[todo.Item] = []
        right = QVBoxLayout()
        right.addWidget(charts, 3)
        right.addWidget(QLabel("待办（由台账推算的期限）："))
        right.addWidget(self.todo_table, 2)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(right, 2)
        self.current: dict = {}
        self.previous: dict | None = {}
        self._op: Operation | None = None
        session.year_changed.connect(lambda _y: self.mark_stale())
        session.changed.connect(lambda _c: self.mark_stale())  # any write: records, the unit, a draft's 成文日期
        QTimer.singleShot(0, self.mark_stale)  # the first count starts once the window is on screen

    def refresh_content(self) -> None:
        year = self.session.year
        self._op = ops.read(self, self.session, "正在统计…",
                            lambda ctx: (year, stats.overview_figures(ctx, year), todo.items_of(ctx, year)), self._arrived)

    def _arrived(self, result) -> None:
        """Figures counted for a year the clerk has since left are dropped: the newer count paints instead."""
        year, figures, items = result
        if year != self.session.year:
            self.mark_stale()
            return
        self.shown_year = year
        self._show(figures)
        self._show_todo(items)

    def _show_todo(self, items: list[todo.Item], today: dt.date | None = None) -> None:
        today = today or dt.date.today()
        soon = int(todo.settings_of(self.session.unit)["due_soon_days"])
        self.todo_items = [i for i in items if not i.done]
        self.todo_table.setRowCount(len(self.todo_items))
        for r, item in enumerate(self.todo_items):
            state, left = item.state(today, soon), item.days_left(today)
            cells = [state, item.due.isoformat(), str(left) if left >= 0 else f"超过{-left}天", item.what]
            for c, value in enumerate(cells):
                cell = QTableWidgetItem(value)
                cell.setToolTip(f"{item.what}\n依据：{item.basis}")
                if state in TODO_COLORS:
                    cell.setForeground(QBrush(QColor(TODO_COLORS[state])))
                if c == 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.todo_table.setItem(r, c, cell)
        self.todo_table.resizeColumnsToContents()
        self.todo_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def _open_todo(self, cell: QTableWidgetItem) -> None:
        item = self.todo_items[cell.row()]
        window = self.window()
        if item.ledger and item.record_id and hasattr(window, "select_ledger"):
            window.select_ledger(item.ledger).show_record(item.record_id)

    @property
    def busy(self) -> bool:
        return bool(self._op and self._op.running)

    def _show(self, result) -> None:
        self.current, self.previous = result
        rows = [i for i in INDICATORS if i.kind != "breakdown"]
        self.table.setRowCount(len(rows))
        for r, ind in enumerate(rows):
            now = self.current[ind.key]
            before = self.previous[ind.key] if self.previous is not None else None
            delta = stats.change(now, before)
            cells = [ind.category, ind.label, _text(now, ind.kind, ind.unit),
                     NO_DATA if self.previous is None else _text(before, ind.kind, ind.unit), _delta(delta, ind.kind)]
            for c, value in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(value))
        for key, chart in self.charts.items():
            chart.set_data(self.current[key])
