"""Input widgets for ledger fields. None of them stores a sentinel: an empty widget means "not filled in"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
)

from fazhi_desktop.domain.fields import CoercionError, parse_date

EMPTY_TEXT = "未填写"
ADD_CHOICE = "＋ 添加可选值…"


class NullableDateEdit(QWidget):
    """A date that may be empty: typed (2023-05-04, 2023/5/4, 2023年5月4日…) or picked from a calendar."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.year_hint: int | None = None  # the year being entered, where the calendar of an empty date opens
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(EMPTY_TEXT)
        self.edit.setToolTip("可输入 2023-05-04、2023/5/4 或 2023年5月4日；留空表示未填写")
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("从日历中选择")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        menu = QMenu(self.button)
        from PySide6.QtWidgets import QWidgetAction

        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        menu.aboutToShow.connect(self._sync_calendar)
        self.button.setMenu(menu)
        self.calendar.clicked.connect(self._picked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.textEdited.connect(lambda _t: self.changed.emit())

    def _sync_calendar(self) -> None:
        try:
            value = self.value()
        except CoercionError:
            value = None
        self.calendar.setSelectedDate(QDate(value) if value else self._empty_day())

    def _empty_day(self) -> QDate:
        """An empty date opens on today's day of the year being entered (a clerk typing up 2023 in 2024 starts in
        2023, not eleven months on)."""
        today = QDate.currentDate()
        year = self.year_hint or today.year()
        if year == today.year():
            return today
        return QDate(year, today.month(), min(today.day(), QDate(year, today.month(), 1).daysInMonth()))

    def _picked(self, qdate: QDate) -> None:
        self.set_value(qdate.toPython())
        self.button.menu().hide()
        self.changed.emit()

    def value(self) -> dt.date | None:
        """The date, None when empty; raises CoercionError with a Chinese reason for text that is not a date."""
        return parse_date(self.edit.text())

    def raw(self) -> str:
        return self.edit.text()

    def set_value(self, value: dt.date | None) -> None:
        self.edit.setText(value.isoformat() if value else "")


class IntegerEdit(QLineEdit):
    """A whole number that may be left empty. It keeps what was typed: "1.5" is not turned into 15 and 99999999999
    is not cut to the box's maximum — validation names the problem instead."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setPlaceholderText(EMPTY_TEXT)
        self.textEdited.connect(lambda _t: self.changed.emit())

    def number(self) -> int | str | None:
        text = self.text().strip().replace(",", "").replace("，", "")
        if not text:
            return None
        return int(text) if text.isdigit() and len(text) <= 15 else self.text().strip()

    def set_number(self, value: int | None) -> None:
        self.setText("" if value is None else str(value))


class OptionalMoneyBox(QDoubleSpinBox):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(2)
        self.setRange(-1, 9_999_999_999.99)
        self.setSpecialValueText(EMPTY_TEXT)
        self.setSuffix(" 元")
        self.setValue(-1)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)

    def money(self) -> Decimal | None:
        return None if self.value() < 0 else Decimal(f"{self.value():.2f}")

    def set_money(self, value: Decimal | None) -> None:
        self.setValue(-1 if value is None else float(value))


class ChoiceCombo(QComboBox):
    """One of the declared choices (plus the unit's own); the last entry lets the user add a local value."""

    def __init__(self, choices: Iterable[str], parent: QWidget | None = None,
                 add_choice: Callable[[str], bool] | None = None, label: str = ""):
        super().__init__(parent)
        self._add_choice = add_choice
        self._label = label
        self.set_choices(choices)
        self.activated.connect(self._maybe_add)

    def set_choices(self, choices: Iterable[str]) -> None:
        current = self.value()
        self.blockSignals(True)
        self.clear()
        self.addItem("")
        self.addItems(list(choices))
        if self._add_choice:
            self.addItem(ADD_CHOICE)
        self.blockSignals(False)
        self.set_value(current)

    def _maybe_add(self, index: int) -> None:
        if self.itemText(index) != ADD_CHOICE:
            return
        text, ok = QInputDialog.getText(self, "添加可选值", f"为「{self._label}」添加一个本单位使用的可选值：")
        text = text.strip()
        if ok and text and self._add_choice and self._add_choice(text):
            self.insertItem(self.count() - 1, text)
            self.setCurrentIndex(self.count() - 2)
        else:
            self.setCurrentIndex(0)

    def value(self) -> str | None:
        text = self.currentText()
        return None if text in ("", ADD_CHOICE) else text

    def set_value(self, value: str | None) -> None:
        if value and self.findText(value) < 0:
            self.insertItem(self.count() - (1 if self._add_choice else 0), value)  # a value no longer offered
        self.setCurrentIndex(max(0, self.findText(value or "")))


class MultiChoiceButton(QToolButton):
    """Several of the choices, ticked in a drop-down menu; the button shows what is ticked."""

    changed = Signal()

    def __init__(self, choices: Iterable[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setSizePolicy(self.sizePolicy().horizontalPolicy().Expanding, self.sizePolicy().verticalPolicy())
        menu = QMenu(self)
        self._actions: dict[str, QAction] = {}
        for choice in choices:
            action = menu.addAction(choice)
            action.setCheckable(True)
            action.toggled.connect(self._update)
            self._actions[choice] = action
        self.setMenu(menu)
        self._update()

    def _update(self) -> None:
        chosen = self.values()
        self.setText("、".join(chosen) if chosen else EMPTY_TEXT)
        self.changed.emit()

    def values(self) -> list[str]:
        return [c for c, a in self._actions.items() if a.isChecked()]

    def set_values(self, values: Iterable[str] | None) -> None:
        wanted = set(values or [])
        for choice, action in self._actions.items():
            action.blockSignals(True)
            action.setChecked(choice in wanted)
            action.blockSignals(False)
        self._update()


class EnterMovesFocus(QObject):
    """Return/Enter in a one-line field moves to the next field, as clerks expect from data-entry forms."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and isinstance(obj, QWidget)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers()):
            obj.focusNextChild()
            return True
        return False
