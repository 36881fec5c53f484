"""考核自评 and 台账汇编 from the file menu (#20 points 2 and 3)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "考核细则示例.xlsx"


def test_self_scoring_from_the_file_menu(window, qtbot, tmp_path, monkeypatch, boxes):
    from fazhi_desktop.gui.shell import file_dialogs

    out = tmp_path / "自评.xlsx"
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(SAMPLE))
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
    window.score_action.trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=20000)
    assert boxes[0][0] == "考核自评" and "已生成考核自评表" in boxes[0][1]  # in a box the clerk closes (#31.7)
    rows = [r for r in load_workbook(out).active.iter_rows(min_row=4, values_only=True) if r[0]]
    assert rows[-1][0] == "合计" and len(rows) == 10


def test_the_binder_from_the_file_menu(window, svc, qtbot, tmp_path, monkeypatch, boxes):
    import pdfplumber

    from fazhi_desktop.gui.shell import file_dialogs

    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    out = tmp_path / "汇编.pdf"
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
    window.binder_action.trigger()
    qtbot.waitUntil(lambda: bool(boxes), timeout=30000)
    title, text = boxes[0]
    assert title == "台账汇编" and "已生成台账汇编" in text and "1 件缺佐证材料" in text  # the meeting has no photo
    with pdfplumber.open(out) as pdf:
        assert "归档文件目录" in pdf.pages[1].extract_text() and "专题会" in pdf.pages[2].extract_text()


def test_a_counted_job_moves_its_progress_bar(window, qtbot):
    import threading

    from fazhi_desktop.gui.shell import workers

    go = threading.Event()
    results = []

    def job(report):
        report(3, 10)
        go.wait(5)
        return "done"

    op = workers.run(window, "正在生成台账汇编…", job, results.append, counted=True)
    qtbot.waitUntil(lambda: op._dialog.maximum() == 10 and op._dialog.value() == 3, timeout=5000)
    go.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=5000)
