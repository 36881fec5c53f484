"""考核自评 from the file menu (#20 point 3)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "考核细则示例.xlsx"


def test_self_scoring_from_the_file_menu(window, qtbot, tmp_path, monkeypatch):
    from fazhi_desktop.gui.shell import file_dialogs

    out = tmp_path / "自评.xlsx"
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(SAMPLE))
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(out))
    window.score_action.trigger()
    qtbot.waitUntil(lambda: "已生成考核自评表" in window.statusBar().currentMessage(), timeout=20000)
    rows = [r for r in load_workbook(out).active.iter_rows(min_row=4, values_only=True) if r[0]]
    assert rows[-1][0] == "合计" and len(rows) == 10
