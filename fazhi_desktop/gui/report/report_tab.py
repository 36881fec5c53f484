"""年度报告: the clerk's draft section by section beside the generated text, and the buttons that write files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS
from fazhi_desktop.gui.ledger.form import RecordForm
from fazhi_desktop.gui.report.evidence_view import EvidenceView
from fazhi_desktop.gui.shell import dialogs, file_dialogs, files, ops, workers
from fazhi_desktop.gui.shell.errors import show_user_error
from fazhi_desktop.gui.shell.freshness import RefreshWhenVisible
from fazhi_desktop.gui.shell.session import Session
from fazhi_desktop.gui.shell.workers import Operation
from fazhi_desktop.reports import readiness
from fazhi_desktop.reports.content.builder import SECTION_LABELS, TEMPLATES, document_for
from fazhi_desktop.reports.content.claims import claim_at
from fazhi_desktop.services import local, reports_text

DRAFT_FIELDS = tuple(f for f in REPORT_TEXT_FIELDS if f.key not in ("sections", "template"))


class ReportTab(RefreshWhenVisible, QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.sections: dict[str, str] = {}
        self.generated: dict[str, str] = {}
        self.last_output: Path | None = None
        self.findings: list = []
        self._op: Operation | None = None
        self._build()
        session.year_changed.connect(lambda _y: self.load())
        session.changed.connect(self._on_changed)
        self.load()

    def _build(self) -> None:
        self.template_combo = QComboBox()
        self.template_combo.addItems(list(TEMPLATES))
        self.edit_template_button = QPushButton("编辑模板…")
        self.form = RecordForm(DRAFT_FIELDS, self.session.unit)
        self.section_list = QListWidget()
        self.own_edit = QPlainTextEdit()
        self.own_edit.setPlaceholderText("留空则使用右侧自动生成的文字。每行一段。")
        self.own_edit.setTabChangesFocus(True)  # a report has no tabs in it: Tab goes on, as in every other field
        self.generated_view = QPlainTextEdit()
        self.generated_view.setReadOnly(True)
        self.generated_view.setTabChangesFocus(True)
        self.evidence = EvidenceView()
        self.claims_by_section: dict[str, list] = {}
        self.adopt_button = QPushButton("以生成文字为底稿修改")
        self.save_button = QPushButton("保存文稿")
        self.pdf_button = QPushButton("生成 PDF…")
        self.docx_button = QPushButton("生成 Word…")
        self.tables_button = QPushButton("生成统计表…")
        self.full_rosters = QCheckBox("统计表含完整名册")
        self.full_rosters.setToolTip("不勾选时，法治人才名册按村汇总人数（几百人的名册要打印二十多页）")
        self.preview_button = QPushButton("预览")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.check_list = QListWidget()  # 报告体检: double-click an item to go where it is fixed
        self.check_list.setToolTip("双击一项，转到需要修改的地方")

        top = QFormLayout()
        template_row = QHBoxLayout()
        template_row.addWidget(self.template_combo, 1)
        template_row.addWidget(self.edit_template_button)
        top.addRow("报告模板：", template_row)
        left_inner = QWidget()
        left_layout = QVBoxLayout(left_inner)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        # The parts first: they are what the clerk works through; the draft's dates and numbers, set once a year,
        # come below them (at 125% the list stood below the fold under them)
        left_layout.addWidget(QLabel("各部分文稿："))
        self.section_list.setMinimumHeight(120)
        left_layout.addWidget(self.section_list, 1)
        left_layout.addWidget(self.form)
        # The draft's fields scroll on a short screen (1366×768 at 125%): they never push the buttons off it.
        left = QScrollArea()
        left.setWidgetResizable(True)
        left.setFrameShape(QFrame.Shape.NoFrame)
        left.setWidget(left_inner)
        left.setMinimumWidth(left_inner.minimumSizeHint().width() + 20)
        self.check_label = QLabel("报告体检：")
        # Whole sentences, wrapped, across the page's width; the most important first (readiness.ranked).
        self.check_list.setWordWrap(True)
        self.check_list.setUniformItemSizes(False)
        self.check_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.check_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        checks = QWidget()
        checks_layout = QVBoxLayout(checks)
        checks_layout.setContentsMargins(0, 0, 0, 0)
        checks_layout.addWidget(self.check_label)
        checks_layout.addWidget(self.check_list, 1)
        own = QWidget()
        own_layout = QVBoxLayout(own)
        own_layout.addWidget(QLabel("我的文稿（打印时使用）"))
        own_layout.addWidget(self.own_edit)
        own_layout.addWidget(self.adopt_button)
        gen_text = QWidget()
        gen_layout = QVBoxLayout(gen_text)
        gen_layout.setContentsMargins(0, 0, 0, 0)
        gen_layout.addWidget(QLabel("根据台账自动生成"))
        gen_layout.addWidget(self.generated_view)
        # 依据 under the generated text: a sentence clicked there shows the records it rests on (#34)
        gen = QSplitter(Qt.Orientation.Vertical)
        gen.addWidget(gen_text)
        gen.addWidget(self.evidence)
        gen.setStretchFactor(0, 3)
        gen.setStretchFactor(1, 2)
        gen.setChildrenCollapsible(False)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(own)
        splitter.addWidget(gen)
        splitter.setStretchFactor(1, 2)
        splitter.setStretchFactor(2, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for b in (self.save_button, self.preview_button, self.pdf_button, self.docx_button, self.full_rosters,
                  self.tables_button):
            buttons.addWidget(b)
        self.vertical = QSplitter(Qt.Orientation.Vertical)
        self.vertical.addWidget(splitter)
        self.vertical.addWidget(checks)
        self.vertical.setStretchFactor(0, 3)
        self.vertical.setStretchFactor(1, 1)
        self.vertical.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.vertical, 1)
        layout.addLayout(buttons)

        self.section_list.currentRowChanged.connect(self._show_section)
        self.generated_view.cursorPositionChanged.connect(self._show_evidence)
        self.evidence.open_record.connect(self._open_record)
        self.check_list.itemActivated.connect(self._go_to_finding)
        self.own_edit.textChanged.connect(self._own_edited)
        self.adopt_button.clicked.connect(self._adopt)
        self.save_button.clicked.connect(self.save)
        self.template_combo.currentIndexChanged.connect(lambda _i: self._template_changed())
        self.pdf_button.clicked.connect(lambda: self.generate("pdf"))
        self.docx_button.clicked.connect(lambda: self.generate("docx"))
        self.tables_button.clicked.connect(lambda: self.generate("xlsx"))
        self.preview_button.clicked.connect(self.preview)
        self.edit_template_button.clicked.connect(self.edit_template)
        self._dirty_sections = False
        self._accepted_findings: tuple[str, ...] = ()
        self.preview_folders: list[Path] = []

    # -- draft -------------------------------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self.form.dirty or self._dirty_sections

    def _on_changed(self, changed) -> None:
        if changed.unit_changed:
            self.form.refresh_choices(self.session.unit)
        self.mark_stale()

    def load(self) -> None:
        draft = reports_text.load(self.session.context(), self.session.year) or {}
        values = {f.key: draft.get(f.key) for f in DRAFT_FIELDS}
        if not draft:
            values["issuers"] = list(self.session.unit.issuers)
        self.form.set_values(values)
        self.sections = dict(draft.get("sections") or {})
        self.template_combo.blockSignals(True)
        self.template_combo.setCurrentText(draft.get("template") or "三段式")
        self.template_combo.blockSignals(False)
        self._dirty_sections = False
        self.mark_stale()

    def _template_changed(self) -> None:
        self._dirty_sections = True
        self.refresh()

    def refresh_content(self) -> None:
        """Regenerate the template's text beside the clerk's draft (built when the tab is first shown)."""
        year, template = self.session.year, self.template_combo.currentText()

        def work(ctx):
            return document_for(ctx, year, template), readiness.check_for(ctx, year)

        self._op = ops.read(self, self.session, "正在生成文稿…", work, self._got_content)

    def _got_content(self, result) -> None:
        document, findings = result
        self.claims_by_section = document.claims_by_section
        self._got_sections(document.sections)
        self.findings = findings
        self.check_list.clear()
        for finding in findings:
            item = QListWidgetItem(finding.message)
            item.setToolTip(finding.message)
            self.check_list.addItem(item)
        self.check_label.setText(f"报告体检：{len(findings)} 项需要处理（双击转到修改的地方）" if findings
                                 else "报告体检：没有需要处理的事项。")

    def _go_to_finding(self, item: QListWidgetItem) -> None:
        """Jump to where a finding is fixed: a field of this page, or the record (and field) in its ledger."""
        finding = self.findings[self.check_list.row(item)]
        if finding.ledger is None and (finding.field or "").startswith("section"):
            key = (finding.field or "").partition(":")[2]
            rows = [i for i in range(self.section_list.count())
                    if self.section_list.item(i).data(Qt.ItemDataRole.UserRole) == key]
            if rows:
                self.section_list.setCurrentRow(rows[0])
                self.own_edit.setFocus()
            else:
                self.section_list.setFocus()
            return
        if finding.ledger is None:
            editor = self.form.editors.get(finding.field or "")
            if editor is not None:
                editor.widget.setFocus()
            return
        window = self.window()
        if not hasattr(window, "select_ledger"):
            return
        page = window.select_ledger(finding.ledger)
        if finding.record_id and page.show_record(finding.record_id):
            editor = page.form.editors.get(finding.field or "")
            if editor is not None:
                editor.widget.setFocus()

    @property
    def busy(self) -> bool:
        return bool(self._op and self._op.running)

    def _got_sections(self, generated: dict[str, str]) -> None:
        self.generated = generated
        current = self._current_key()
        self.section_list.blockSignals(True)
        self.section_list.clear()
        for key in generated:
            self.section_list.addItem(SECTION_LABELS.get(key, key))
            self.section_list.item(self.section_list.count() - 1).setData(Qt.ItemDataRole.UserRole, key)
        self.section_list.blockSignals(False)
        keys = list(generated)
        self.section_list.setCurrentRow(keys.index(current) if current in keys else 0)

    def _current_key(self) -> str | None:
        item = self.section_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _show_section(self, _row: int) -> None:
        key = self._current_key()
        self.own_edit.blockSignals(True)
        self.own_edit.setPlainText(self.sections.get(key, "") if key else "")
        self.own_edit.blockSignals(False)
        self.generated_view.setPlainText(self.generated.get(key, "") if key else "")
        self.evidence.show_claim(None)

    def _show_evidence(self) -> None:
        """The sentence under the cursor in the generated text, and the records behind it."""
        key = self._current_key()
        claims = self.claims_by_section.get(key or "", [])
        text = self.generated_view.toPlainText()
        self.evidence.show_claim(claim_at(text, claims, self.generated_view.textCursor().position()))

    def _open_record(self, ledger: str, record_id: str) -> None:
        window = self.window()
        if hasattr(window, "select_ledger"):
            window.select_ledger(ledger).show_record(record_id)

    def _own_edited(self) -> None:
        key = self._current_key()
        if key:
            self.sections[key] = self.own_edit.toPlainText()
            self._dirty_sections = True

    def _adopt(self) -> None:
        """The generated text as the clerk's draft of this part: asked first when she has written her own, and done as
        one edit of the box, so Ctrl+Z brings her text back (setPlainText would empty the undo history)."""
        generated, own = self.generated_view.toPlainText(), self.own_edit.toPlainText()
        if own.strip() and own != generated and not dialogs.confirm(
                self, "以生成文字为底稿修改",
                "“我的文稿”中这一部分已有您写的文字。用自动生成的文字替换它吗？\n替换后，在文稿中按 Ctrl+Z 可以撤销。"):
            return
        cursor = self.own_edit.textCursor()
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(generated)
        cursor.endEditBlock()
        self.own_edit.setFocus()

    def save(self) -> bool:
        values = self.form.values() | {"template": self.template_combo.currentText(),
                                       "sections": {k: v for k, v in self.sections.items() if v.strip()}}
        if not values.get("doc_date"):
            values["doc_date"] = dt.date.today()
        year = self.session.year
        try:
            # The 成文日期 moves figures the overview shows (counsel, overdue 整改): the broadcast says so.
            ops.call_write(self, self.session, "正在保存文稿…", lambda ctx: reports_text.save(ctx, year, values))
        except ValidationError as exc:
            self.form.show_problems(exc.problems)
            self.status.setText("文稿有需要修改的地方，未保存。")
            return False
        self.form.dirty = False
        self._dirty_sections = False
        self.status.setText("文稿已保存。")
        self.load()
        return True

    def maybe_leave(self) -> bool:
        if not self.dirty:
            return True
        answer = dialogs.ask_unsaved(self, "年度报告文稿")
        if answer == dialogs.SAVE:
            return self.save()
        if answer == dialogs.DISCARD:
            self.load()
            return True
        return False

    # -- output ------------------------------------------------------------------------------------------------------
    def generate(self, fmt: str, out: str | None = None) -> None:
        if self.dirty and not self.save():
            return
        if fmt != "xlsx" and not self._open_findings_accepted():
            return
        unit, year = self.session.unit, self.session.year
        names = {"pdf": ("PDF 文件 (*.pdf)", f"{unit.name}{year}年法治政府建设工作报告.pdf"),
                 "docx": ("Word 文档 (*.docx)", f"{unit.name}{year}年法治政府建设工作报告.docx"),
                 "xlsx": ("Excel 工作簿 (*.xlsx)", f"{unit.name}{year}年法治建设统计表.xlsx")}
        pattern, default = names[fmt]
        if out is None:
            out = file_dialogs.save_file_name(self, "保存到", default, pattern)
            if not out:
                return
        template = self.template_combo.currentText()
        fonts = local.fonts(self.session.db)
        full_rosters = self.full_rosters.isChecked()

        def work(ctx):
            if fmt == "xlsx":
                from fazhi_desktop.reports.render.xlsx import write_statistics_workbook

                return write_statistics_workbook(ctx.engine, ctx.unit, year, out, full_rosters=full_rosters,
                                                 actor=ctx.actor), []
            from fazhi_desktop.reports.render import write_report

            result = write_report(ctx.engine, ctx.unit, year, out, fmt, template, fonts=fonts)
            return result.path, result.warnings

        self._op = ops.read(self, self.session, "正在生成，请稍候…", work, self._generated)

    def generate_public(self, out: str | None = None) -> None:
        """公开版: the 保密审查 first (each hit ticked as publishable or changed in the draft), then the PDF."""
        from fazhi_desktop.gui.report.public_check import PublicCheckDialog
        from fazhi_desktop.reports import publication
        from fazhi_desktop.reports.content.builder import build_document

        if self.dirty and not self.save():
            return
        year, template = self.session.year, self.template_combo.currentText()

        def hits(ctx):
            with ctx.engine.connect() as conn:
                return publication.pending(conn, ctx.unit, year, build_document(conn, ctx.unit, year, template))

        ctx = self.session.context()  # here, not on the pool thread: a job reads no widget
        left = workers.call(self, "正在做保密审查…", lambda: hits(ctx))
        if left:
            dialog = PublicCheckDialog(left, self)
            if not dialog.exec():
                return
            chosen = dialog.accepted_texts()
            if chosen:
                try:
                    ops.call_write(self, self.session, "正在保存…", lambda ctx: _accept(ctx, year, chosen))
                except UserError as exc:
                    show_user_error(self, str(exc))
                    return
            if not dialog.all_accepted():
                QMessageBox.information(self, "公开版", "还有未确认的内容，请在文稿中修改后再生成公开版。")
                return
        unit = self.session.unit
        if out is None:
            out = file_dialogs.save_file_name(self, "保存公开版到", f"{unit.name}{year}年法治政府建设工作报告（公开版）.pdf",
                                              "PDF 文件 (*.pdf)")
            if not out:
                return
        fonts = local.fonts(self.session.db)

        def work(ctx):
            from fazhi_desktop.reports.render import write_report

            result = write_report(ctx.engine, ctx.unit, year, out, "pdf", template, fonts=fonts, public=True)
            return result.path, result.warnings

        self._op = ops.read(self, self.session, "正在生成公开版…", work, self._generated)

    def remove_previews(self) -> None:
        """The preview's temporary PDFs go when the window does (a viewer still holding one: left to the OS)."""
        import shutil

        for folder in self.preview_folders:
            shutil.rmtree(folder, ignore_errors=True)
        self.preview_folders.clear()

    def _open_findings_accepted(self) -> bool:
        """With 报告体检 items open, ask once whether to print anyway; the same items are not asked about again."""
        key = tuple(f.message for f in self.findings)
        if not key or key == self._accepted_findings:
            return True
        first = self.findings[0].message
        answer = QMessageBox.question(
            self, "报告体检", f"报告体检还有 {len(key)} 项需要处理，最重要的一项：\n{first}\n\n仍要生成吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            self.status.setText("未生成：请先处理报告体检中的事项（双击一项转到修改的地方）。")
            return False
        self._accepted_findings = key
        return True

    def edit_template(self) -> None:
        from fazhi_desktop.gui.report.template_dialog import TemplateDialog

        TemplateDialog(self.session, self.template_combo.currentText(), self).exec()

    def preview(self) -> None:
        """Render the report to a temporary PDF and show its pages, as they will print."""
        if self.dirty and not self.save():
            return
        import tempfile

        from fazhi_desktop.gui.report.preview import render_pages
        from fazhi_desktop.reports.render import write_report

        year, template = self.session.year, self.template_combo.currentText()
        folder = Path(tempfile.mkdtemp(prefix="fazhi-preview-"))
        self.preview_folders.append(folder)  # removed when the window closes (remove_previews)
        fonts = local.fonts(self.session.db)

        def work(ctx):
            result = write_report(ctx.engine, ctx.unit, year, folder / "预览.pdf", "pdf", template, fonts=fonts)
            return render_pages(result.path), result.warnings, result.path

        self._op = ops.read(self, self.session, "正在生成预览…", work, self._show_preview)

    def _show_preview(self, result) -> None:
        from fazhi_desktop.gui.report.preview import PreviewDialog

        images, warnings, pdf = result
        self.status.setText("；".join(warnings))
        self.preview_dialog = PreviewDialog(images, f"{self.session.unit.name}{self.session.year}年报告", self,
                                            pdf=Path(pdf))
        self.preview_dialog.open()

    def _generated(self, result) -> None:
        path, warnings = result
        self.last_output = Path(path)
        self.status.setText(f"已生成：{path}" + ("；" + "；".join(warnings) if warnings else ""))
        box = QMessageBox(self)
        box.setWindowTitle("已生成")
        box.setText(f"已保存到：\n{path}")
        if warnings:
            box.setInformativeText("\n".join(warnings))
        open_b = box.addButton("打开", QMessageBox.ButtonRole.AcceptRole)
        print_b = box.addButton("打印", QMessageBox.ButtonRole.ActionRole)
        folder_b = box.addButton("打开所在文件夹", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        clicked = box.clickedButton()
        if clicked is open_b:
            files.open_file(self.last_output)
        elif clicked is print_b:
            if not files.print_file(self.last_output):
                show_user_error(self, f"没有找到可以打开并打印这个文件的程序：{self.last_output}\n"
                                "请安装 PDF 阅读器或 WPS，或把文件复制到有打印机的电脑上打印（选择“实际大小/100%”）。")
        elif clicked is folder_b:
            files.open_folder(self.last_output)


def _accept(ctx, year: int, texts: list[str]):
    from fazhi_desktop.reports import publication
    from fazhi_desktop.services.context import Changed, Done

    with ctx.engine.begin() as conn:
        unit = publication.accept(conn, ctx.unit, year, texts, ctx.actor)
    return Done(unit, Changed(unit=True))
