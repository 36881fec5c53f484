"""First run: create the unit (the same fields as `fazhi-desktop init`, generated from their declarations)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWizard, QWizardPage

from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.domain.unit import FIRST_RUN_FIELDS
from fazhi_desktop.gui.ledger.form import RecordForm
from fazhi_desktop.gui.ledger.widgets import EnterMovesFocus
from fazhi_desktop.gui.shell import dialogs
from fazhi_desktop.services import local, units
from fazhi_desktop.services.context import Context
from fazhi_desktop.services.units import Unit


class _UnitPage(QWizardPage):
    def __init__(self, ctx: Context):
        super().__init__()
        self.ctx = ctx
        self.unit: Unit | None = None
        self.county = None  # the county's roster, when this PC is set up for 县级汇总
        self.setTitle("欢迎使用法治建设台账")
        self.setSubTitle("请先填写本单位的基本信息。以后可以在“设置”中修改。")
        placeholder = Unit("", "", "镇", "", "", [], [])
        self.form = RecordForm(FIRST_RUN_FIELDS, placeholder)
        self.form.set_values({f.key: f.default for f in FIRST_RUN_FIELDS})
        self.message = QLabel()
        self.message.setStyleSheet("color: #c0392b;")
        self.message.setWordWrap(True)
        self.form.edited.connect(self.message.clear)
        self.clerk_edit = QLineEdit()
        self.clerk_edit.setMaxLength(local.MAX_CLERK)
        self.clerk_edit.setPlaceholderText("记入修改记录；不填则记为本机登录名")
        clerk_row = QFormLayout()
        clerk_row.addRow("您的姓名：", self.clerk_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(clerk_row)
        scroll = self.form.in_scroll_area()
        # Every field in view at once (it fits 1366×768 at 125%): a first run should not hide 联系电话 below a scroll.
        scroll.setMinimumHeight(self.form.sizeHint().height() + 2 * scroll.frameWidth())
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        self.clerk_edit.installEventFilter(EnterMovesFocus(self))
        # Enter in the last field finishes, as 完成 would (before it, Enter moves on field by field).
        list(self.form.editors.values())[-1].focus.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers()):
            self.wizard().button(QWizard.WizardButton.FinishButton).click()
            return True
        return super().eventFilter(obj, event)

    def set_up_county(self) -> None:
        from fazhi_desktop.gui.county.county_tab import RosterDialog
        from fazhi_desktop.services import county

        dialog = RosterDialog(self)
        dialog.fill(None, None, "")
        while dialog.exec():
            try:
                clerk = self.clerk_edit.text().strip()
                ctx = replace(self.ctx, actor=clerk) if clerk else self.ctx
                self.county = county.setup(ctx, dialog.county_edit.text(), dialog.townships_edit.toPlainText(),
                                           dialog.deadline_edit.text().strip() or None).value
            except UserError as exc:
                dialogs.error(self, "无法保存", str(exc))
                continue
            self.wizard().accept()
            return

    def validatePage(self) -> bool:
        if self.county is not None:  # set up for 县级汇总: no unit to make
            return True
        try:
            # Before the window exists: no worker, no broadcast (nothing is listening yet).
            clerk = self.clerk_edit.text().strip()
            if clerk and self.ctx.db.database_id:
                local.save(self.ctx.db, clerk=clerk)
            ctx = replace(self.ctx, actor=clerk) if clerk else self.ctx
            self.unit = units.create(ctx, self.form.values()).value
        except ValidationError as exc:
            self.form.show_problems(exc.problems)
            return False
        except UserError as exc:
            self.message.setText(str(exc))
            return False
        return True


class FirstRunWizard(QWizard):
    def __init__(self, ctx: Context, parent=None):
        super().__init__(parent)
        self.setWindowTitle("首次使用向导")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.page = _UnitPage(ctx)
        self.addPage(self.page)
        # A county's PC has no township of its own: its roster instead, and the county's window (#36). In the
        # button row, so the page keeps every field in view at 125% of 1366×768.
        self.setOption(QWizard.WizardOption.HaveCustomButton1, True)
        self.setButtonText(QWizard.WizardButton.CustomButton1, "本机用于县级汇总…")
        self.county_button = self.button(QWizard.WizardButton.CustomButton1)
        self.county_button.setToolTip("县法治办汇总各乡镇报送的数据包：不建本单位的台账，只填本县名称和各乡镇（街道）名单")
        # a bound method, not a closure over self: a lambda here kept every wizard alive until the application ended
        self.customButtonClicked.connect(self._custom_button)

    def _custom_button(self, _which: int) -> None:
        self.page.set_up_county()

    def reject(self) -> None:
        """Esc, 取消 or the close button: what was typed is not dropped without asking."""
        typed = self.page.form.dirty or bool(self.page.clerk_edit.text().strip())
        if typed and not dialogs.confirm(self, "退出向导", "已填写的单位信息还没有保存。退出向导（程序随之关闭）吗？"):
            return
        super().reject()

    @property
    def unit(self) -> Unit | None:
        return self.page.unit

    @property
    def county(self):
        """The county's roster when the clerk chose 本机用于县级汇总 (then no unit is made)."""
        return self.page.county
