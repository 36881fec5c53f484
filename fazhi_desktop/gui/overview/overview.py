"""概览: the year's key indicators beside last year's, and a few charts."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from fazhi_desktop.domain.indicators import INDICATOR_BY_KEY, INDICATORS
from fazhi_desktop.gui.overview.charts import BarChart
from fazhi_desktop.gui.shell import ops
from fazhi_desktop.gui.shell.freshness import RefreshWhenVisible
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.gui.shell.workers import Operation
from fazhi_desktop.reports.content.numbers import percent
from fazhi_desktop.services import stats

COLUMNS = ("类别", "指标", "本年", "上年", "增减")
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
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addWidget(charts, 2)
        self.current: dict = {}
        self.previous: dict | None = {}
        self._op: Operation | None = None
        session.year_changed.connect(lambda _y: self.mark_stale())
        session.changed.connect(lambda _c: self.mark_stale())  # any write: records, the unit, a draft's 成文日期
        QTimer.singleShot(0, self.mark_stale)  # the first count starts once the window is on screen

    def refresh_content(self) -> None:
        year = self.session.year
        self._op = ops.read(self, self.session, "正在统计…", lambda ctx: (year, stats.overview_figures(ctx, year)), self._arrived)

    def _arrived(self, result) -> None:
        """Figures counted for a year the clerk has since left are dropped: the newer count paints instead."""
        year, figures = result
        if year != self.session.year:
            self.mark_stale()
            return
        self.shown_year = year
        self._show(figures)

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
