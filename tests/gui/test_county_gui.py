"""县级汇总 in the window (#19 point 3): offered once the database holds several units; packages imported from the
file menu; the four tables shown for the year; the county workbook saved; a township exports its package."""

from __future__ import annotations

import zipfile

from countykit import packages, township
from openpyxl import load_workbook


def _table(tab, name):
    t = tab.tables[name]
    return [[t.item(r, c).text() if t.item(r, c) else "" for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_county_tab_imports_packages_and_shows_the_four_tables(window, qtbot, tmp_path, demo_db, monkeypatch, boxes):
    from fazhi_desktop.gui.shell import file_dialogs

    made = packages(tmp_path, demo_db)
    assert window.county_tab is None  # one unit: a township's database has no county tab
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(p) for p in made])
    window.package_import_action.trigger()  # 文件 → 导入乡镇数据包
    tab = window.county_tab
    qtbot.waitUntil(lambda: not tab.busy and tab.view is not None and len(tab.view.units) == 4, timeout=20000)
    assert window.ui.tabs.tabText(window.ui.tabs.currentIndex()) == "县级汇总"
    from .test_desktop_round2_gui import AT_100, AT_125, fits

    assert fits(window, AT_125) and fits(window, AT_100), window.minimumSizeHint()  # the county tab fits too
    summary = _table(tab, "汇总表")
    names = [r[0] for r in summary]
    assert {"太白镇", "肖咀镇", "蒿咀铺乡"} <= set(names) and names[-1] == "合计"
    assert int(summary[-1][1]) == sum(int(r[1]) for r in summary[:-1])
    assert "新增" in tab.status.text() or "乡镇（街道）" in tab.status.text()
    # the import's result stays in a box the county reads and closes (the status line is overwritten by the recount)
    assert boxes[0][0] == "导入乡镇数据包" and "已导入 3 个数据包" in boxes[0][1] and "太白镇（新单位） 2023年：新增" in boxes[0][1]
    risks = _table(tab, "风险与整改")
    assert sum(1 for r in risks if r[0] == "太白镇" and r[1] == "红色风险矛盾纠纷未化解") == 2
    # the deadline is kept and marks late submissions
    tab.deadline_edit.setText("01-10")
    tab.deadline_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: not tab.busy and tab.view.deadline == (1, 10), timeout=10000)
    # the workbook
    out = tmp_path / "county.xlsx"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
    tab.save_workbook()
    qtbot.waitUntil(lambda: "已保存" in tab.status.text(), timeout=20000)
    assert load_workbook(out).sheetnames == ["汇总表", "报送情况", "完整性", "风险与整改"]


def test_a_township_exports_its_package_from_the_file_menu(window, svc, qtbot, tmp_path, monkeypatch, boxes):
    from fazhi_desktop.exchange import package_format as pf
    from fazhi_desktop.gui.shell import file_dialogs

    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    out = tmp_path / "pkg.zip"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
    window.package_export_action.trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=20000)
    assert "已导出2023年数据包" in boxes[0][1] and "数据包签名指纹：" in boxes[0][1]
    receipt = out.with_name("pkg-报送单.pdf")  # #36: printed and handed over with the package
    assert receipt.is_file() and str(receipt) in boxes[0][1]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert pf.MANIFEST in names and pf.REPORT_PDF in names
        assert zf.read("records/meeting.jsonl").count(b"\n") == 1


def _newline_bomb(good, out, megabytes: int):
    """The H3 shape: a package whose ledger part is ``megabytes`` MB of newlines (a few hundred KB in the zip), its
    checksum and size recomputed so that only reading it can tell."""
    import hashlib
    import json

    from fazhi_desktop.exchange import package_format as pf

    block = b"\n" * (1 << 20)
    digest = hashlib.sha256()
    for _ in range(megabytes):
        digest.update(block)
    part = "records/dispute.jsonl"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        manifest = json.loads(zin.read(pf.MANIFEST))
        manifest["parts"][part] = {"sha256": digest.hexdigest(), "size": megabytes << 20}
        for name in zin.namelist():
            if name == part:
                with zout.open(part, "w", force_zip64=True) as fh:
                    for _ in range(megabytes):
                        fh.write(block)
            elif name != pf.MANIFEST:
                zout.writestr(name, zin.read(name))
        zout.writestr(pf.MANIFEST, json.dumps(manifest))
    return out


def test_a_package_bomb_chosen_with_a_good_one_is_refused_and_the_window_keeps_painting(
        window, qtbot, tmp_path, demo_db, monkeypatch, boxes):
    """#33 H3 in the window: the merge runs beside the window, within the package budget; the bomb is refused by
    name, the good package is merged, and the window's event loop never stalls."""
    import time

    from PySide6.QtCore import QTimer

    from fazhi_desktop.gui.shell import file_dialogs

    made = packages(tmp_path, demo_db)
    bomb = _newline_bomb(made[1], tmp_path / "炸弹.zip", 300)
    assert bomb.stat().st_size < 2 * 1024**2
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(bomb), str(made[2])])
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)
    started = time.monotonic()
    window.package_import_action.trigger()  # 文件 → 导入乡镇数据包
    qtbot.waitUntil(lambda: bool(boxes), timeout=60000)
    timer.stop()
    took = time.monotonic() - started
    title, text = boxes[0][0], boxes[0][1]
    assert title == "导入乡镇数据包" and "已导入 1 个数据包" in text and "蒿咀铺乡" in text, text
    assert "未导入 1 个" in text and "炸弹.zip" in text and "压缩比异常" in text, text
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) >= 2 and max(gaps) < 0.5, (took, max(gaps))


def test_the_county_opens_what_a_township_submitted_byte_for_byte(window, qtbot, tmp_path, monkeypatch, boxes):
    """#36: the report travels in the package and opens from the 县级汇总 tab as it came: select the township in
    报送情况, click the button; a township that sent no report gets a message, not an empty file."""
    from PySide6.QtCore import Qt
    from reportlab.pdfgen.canvas import Canvas

    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.gui.county import county_tab
    from fazhi_desktop.gui.shell import file_dialogs, files
    from fazhi_desktop.services.units import get_unit

    db = township(tmp_path, "太白镇", ["东村", "西村"], 2)
    pdf = tmp_path / "太白镇报告.pdf"
    canvas = Canvas(str(pdf))
    canvas.drawString(100, 700, "report of 2023")
    canvas.save()
    with db.engine.connect() as conn:
        unit = get_unit(conn, "太白镇")
    with_report = write_package(db.engine, unit, 2023, tmp_path / "太白镇.zip", report_pdf=pdf).path
    other = township(tmp_path, "蒿咀铺乡", ["南村"], 1)
    with other.engine.connect() as conn:
        plain = write_package(other.engine, get_unit(conn, "蒿咀铺乡"), 2023, tmp_path / "蒿咀铺乡.zip").path
    db.dispose()
    other.dispose()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(with_report), str(plain)])
    opened: list = []
    monkeypatch.setattr(files, "open_file", lambda path: opened.append(path.read_bytes()) or True)
    errors: list[str] = []
    monkeypatch.setattr(county_tab, "show_user_error", lambda _p, message: errors.append(message))
    window.package_import_action.trigger()
    tab = window.county_tab
    qtbot.waitUntil(lambda: bool(boxes) and not tab.busy and tab.view is not None and "太白镇" in tab.view.units,
                    timeout=20000)
    table = tab.tables["报送情况"]
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    table.selectRow(rows["太白镇"])
    qtbot.mouseClick(tab.report_button, Qt.MouseButton.LeftButton)
    assert opened == [pdf.read_bytes()]
    table.selectRow(rows["蒿咀铺乡"])
    qtbot.mouseClick(tab.report_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1 and errors and "蒿咀铺乡没有随2023年数据包报送年度报告PDF" in errors[-1]


def test_the_county_types_its_roster_and_the_township_that_sent_nothing_is_listed(window, qtbot, tmp_path,
                                                                                  monkeypatch, boxes):
    """#36 in the window: 本县乡镇名单… opens the roster dialog; what the clerk types there, in the county's order,
    is what 报送情况 lists — the township that sent nothing too, as 未报送."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.gui.county.county_tab import RosterDialog
    from fazhi_desktop.gui.shell import file_dialogs
    from fazhi_desktop.services.units import get_unit

    db = township(tmp_path, "太白镇", ["东村", "西村"], 2)
    with db.engine.connect() as conn:
        made = write_package(db.engine, get_unit(conn, "太白镇"), 2023, tmp_path / "太白镇.zip").path
    db.dispose()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(made)])
    window.package_import_action.trigger()
    tab = window.county_tab
    qtbot.waitUntil(lambda: bool(boxes) and not tab.busy and tab.view is not None, timeout=20000)
    seen: list[str] = []

    def type_and_save():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RosterDialog):  # not shown yet: look again shortly
            QTimer.singleShot(20, type_and_save)
            return
        dialog.county_edit.setText("合水县")  # QTest types Latin-1 only; the digits below are typed
        dialog.townships_edit.setPlainText("西华街道\n太白镇\n柳树乡")
        qtbot.keyClicks(dialog.deadline_edit, "03-25")
        seen.append(dialog.county_edit.text())
        qtbot.mouseClick(dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, type_and_save)
    qtbot.mouseClick(tab.roster_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.busy and tab.view is not None and tab.view.units[:3] == ["西华街道", "太白镇", "柳树乡"],
                    timeout=20000)
    assert seen and tab.view.county == "合水县" and tab.view.deadline == (3, 25)
    table = tab.tables["报送情况"]
    states = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert states["西华街道"] in ("未报送", "逾期未报送") and states["太白镇"] in ("按时", "逾期")
