"""A focus ring a clerk can see: Qt's styles mark the focused button with a dotted line or a faint tint that is lost
on an office monitor, and a keyboard-first form needs to show where Enter and Space will act."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

from fazhi_desktop.gui.shell.wheel import GUARDED, guard

RING_PX = 2
RING_COLOR = QColor("#1a5fb4")  # dark blue: visible on grey buttons and white fields, and to most colour-blind eyes

_RINGED = {QStyle.ControlElement.CE_PushButton, QStyle.ControlElement.CE_CheckBox,
           QStyle.ControlElement.CE_RadioButton}


class FocusRingStyle(QProxyStyle):
    def polish(self, target):
        """Every widget passes here once, before it is first shown: combo and spin boxes get the wheel guard."""
        if isinstance(target, GUARDED):
            guard(target)
        return super().polish(target)

    def drawControl(self, element, option: QStyleOption, painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawControl(element, option, painter, widget)
        if element in _RINGED and option.state & QStyle.StateFlag.State_HasFocus:
            self._ring(option, painter)

    def drawComplexControl(self, control, option, painter: QPainter, widget: QWidget | None = None) -> None:
        super().drawComplexControl(control, option, painter, widget)
        if control == QStyle.ComplexControl.CC_ToolButton and option.state & QStyle.StateFlag.State_HasFocus:
            self._ring(option, painter)

    @staticmethod
    def _ring(option: QStyleOption, painter: QPainter) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        color = RING_COLOR if option.palette.color(QPalette.ColorRole.Button).lightness() > 96 else QColor("#99c1f1")
        painter.setPen(QPen(color, RING_PX))
        painter.setBrush(QColor(0, 0, 0, 0))
        inset = RING_PX / 2 + 0.5
        painter.drawRoundedRect(QRectF(option.rect).adjusted(inset, inset, -inset, -inset), 3, 3)
        painter.restore()


def install(app) -> None:
    name = app.style().name()
    app.setStyle(FocusRingStyle(name) if name else FocusRingStyle())
