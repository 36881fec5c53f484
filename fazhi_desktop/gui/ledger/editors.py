"""The one place the GUI decides by field kind: which widget edits a field, and how the form reads and writes it.

Everything else a kind does (coercion, checks, display, cells) lives in ``domain.kinds``; a new field of an existing
kind gets its editor from here without any change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from fazhi_desktop.domain.fields import CoercionError, Field
from fazhi_desktop.domain.idcard import idcard_problem
from fazhi_desktop.domain.kinds import split_names
from fazhi_desktop.gui.ledger.widgets import (
    ChoiceCombo,
    IntegerEdit,
    MultiChoiceButton,
    NullableDateEdit,
    OptionalMoneyBox,
)
from fazhi_desktop.gui.shell.dialogs import ERROR_STYLE


class FieldEditor:
    """A field's widget plus how to read and write it."""

    def __init__(self, f: Field, widget: QWidget, get: Callable[[], Any], set_: Callable[[Any], None],
                 focus: QWidget | None = None):
        self.field, self.widget, self.get, self.set = f, widget, get, set_
        self.focus = focus or widget  # the widget Enter moves from (a date's text box, not its calendar button)
        self.live_check: Callable[[str], str | None] | None = None  # checked as typed (a message stays until fixed)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()


@dataclass
class EditorContext:
    """What an editor needs from its form: the choices it offers, how to add one, and the change callback."""

    options: tuple[str, ...]
    add_choice: Callable[[str], bool] | None
    changed: Callable[..., None]


def _text(f: Field, ctx: EditorContext) -> FieldEditor:
    w = QLineEdit()
    w.textEdited.connect(ctx.changed)
    return FieldEditor(f, w, w.text, lambda v: w.setText("" if v is None else str(v)))


def _masked(f: Field, ctx: EditorContext) -> FieldEditor:
    """An ID or phone number, shown by the one masking rule like every output; saved untouched, the stored number
    stays (domain.validation.unmask). A 管理员 sees the full number with 显示完整号码 or ``reveal`` (logged)."""
    w = QLineEdit()
    w.textEdited.connect(ctx.changed)
    return FieldEditor(f, w, w.text, lambda v: w.setText("" if v is None else f.kind.display(v)))


def _idcard(f: Field, ctx: EditorContext) -> FieldEditor:
    editor = _masked(f, ctx)
    editor.widget.setMaxLength(18)
    editor.widget.setPlaceholderText("18位身份证号，显示和导出时隐藏中间位")
    def check(text: str) -> str | None:
        if "*" in text:
            return None  # the stored number, shown masked
        try:
            value = f.kind.coerce(f, text)
        except CoercionError as exc:
            return str(exc)
        return idcard_problem(value) if value and len(value) == 18 else None

    editor.live_check = check
    return editor


def _longtext(f: Field, ctx: EditorContext, height: int = 64, placeholder: str = "",
              shown: Callable[[Any], str] = lambda v: v or "", read: Callable[[str], Any] = lambda t: t) -> FieldEditor:
    w = QPlainTextEdit()
    w.setTabChangesFocus(True)
    w.setFixedHeight(height)
    w.setPlaceholderText(placeholder)
    w.textChanged.connect(ctx.changed)
    return FieldEditor(f, w, lambda: read(w.toPlainText()), lambda v: w.setPlainText(shown(v)))


def _names(f: Field, ctx: EditorContext) -> FieldEditor:
    # Split by the one list rule of the kind, which the placeholder states (、 or commas or lines).
    return _longtext(f, ctx, 80, f.kind.help, lambda v: "、".join(v or []), split_names)


def _lines(f: Field, ctx: EditorContext) -> FieldEditor:
    return _longtext(f, ctx, 80, f.kind.help, lambda v: "\n".join(v or []),
                     lambda t: [line.strip() for line in t.splitlines() if line.strip()])


def _date(f: Field, ctx: EditorContext) -> FieldEditor:
    w = NullableDateEdit()
    w.changed.connect(ctx.changed)
    return FieldEditor(f, w, w.raw, w.set_value, focus=w.edit)


def _integer(f: Field, ctx: EditorContext) -> FieldEditor:
    w = IntegerEdit()
    w.changed.connect(ctx.changed)
    return FieldEditor(f, w, w.number, w.set_number)


def _money(f: Field, ctx: EditorContext) -> FieldEditor:
    w = OptionalMoneyBox()
    w.valueChanged.connect(ctx.changed)
    return FieldEditor(f, w, w.money, w.set_money)


def _bool(f: Field, ctx: EditorContext) -> FieldEditor:
    w = QCheckBox("是")
    w.toggled.connect(ctx.changed)
    return FieldEditor(f, w, w.isChecked, lambda v: w.setChecked(bool(v)))


def _choice(f: Field, ctx: EditorContext) -> FieldEditor:
    w = ChoiceCombo(ctx.options, add_choice=ctx.add_choice, label=f.label)
    w.currentIndexChanged.connect(ctx.changed)
    return FieldEditor(f, w, w.value, w.set_value)


def _multichoice(f: Field, ctx: EditorContext) -> FieldEditor:
    w = MultiChoiceButton(ctx.options)
    w.changed.connect(ctx.changed)
    return FieldEditor(f, w, w.values, w.set_values)


def _sections(f: Field, ctx: EditorContext) -> FieldEditor:
    w = QLabel()
    values: dict[str, Any] = {}

    def put(v: Any) -> None:
        values.clear()
        values.update(v or {})
        w.setText(f.kind.display(values))

    return FieldEditor(f, w, lambda: dict(values), put)


# kind name → editor. Enter moves on from every one-line editor (``RecordForm``).
EDITORS: dict[str, Callable[[Field, EditorContext], FieldEditor]] = {
    "text": _text, "phone": _masked, "idcard": _idcard, "longtext": _longtext, "textlist": _names, "lines": _lines,
    "date": _date, "int": _integer, "year": _integer, "money": _money, "bool": _bool, "choice": _choice,
    "village": _choice, "multichoice": _multichoice, "textmap": _sections,
}
# Enter moves on from these; on a multi-select (宣传主题) it did nothing and the next typing went nowhere —
# Space opens its list to tick.
ONE_LINE = {"text", "phone", "idcard", "date", "int", "year", "money", "choice", "village", "multichoice"}


def make(f: Field, ctx: EditorContext) -> FieldEditor:
    return EDITORS[f.kind.name](f, ctx)
