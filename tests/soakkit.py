"""The window soak: a clerk's busy day, compressed. Run as a program (a binding bug aborts the whole interpreter, so the
test watches a child process):

    python tests/soakkit.py --db FILE [--rounds N] [--year Y]

It opens the real main window on FILE (offscreen unless QT_QPA_PLATFORM says otherwise) and, each round, acts as a
person does: clicks every tab and every inner ledger tab on its tab bar, presses Down in each ledger list (the form
fills from the next record), rolls the wheel over the list, moves the year with the keyboard on the 年度 box and back
(the 概览 recounts and refills its 待办 table), and cycles the tabs with Ctrl+Tab. After each round it collects
garbage and reads ``sys.getrefcount(None)``.

On Python 3.11 ``None`` is an ordinary counted object: a binding that drops a reference to it on every call that
returns nothing (PySide6 6.12.0) walks the count down until the interpreter aborts (``none_dealloc``). A flat count
is the guard for that whole class of bug, long before the abort.

Prints one JSON line: rounds, seconds, the count before the first round and after each round.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def none_count() -> int:
    gc.collect()
    return sys.getrefcount(None)


def resident_mb() -> float | None:
    """The process's resident memory (Linux), to see a leak a flat None count would not."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 1e6, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--year", type=int, default=2023)
    args = parser.parse_args(argv)

    from PySide6.QtCore import QPoint, QPointF, QSettings, Qt, QThreadPool
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QTabWidget

    from fazhi_desktop.gui.shell.app import make_app
    from fazhi_desktop.gui.shell.main_window import LazyTab, MainWindow
    from fazhi_desktop.gui.shell.session import Session
    from fazhi_desktop.services.units import list_units
    from fazhi_desktop.storage.database import open_database

    app = make_app()
    db = open_database(args.db)
    with db.engine.connect() as conn:
        unit = list_units(conn)[0]
    settings = QSettings(str(args.db.with_suffix(".soak.ini")), QSettings.Format.IniFormat)
    window = MainWindow(Session(db, unit, "浸泡测试", args.year), settings, backup_on_exit=False)
    window.resize(1366, 768)
    window.show()
    QTest.qWaitForWindowExposed(window)

    def settle(least_ms: int = 20) -> None:
        """Let the background jobs (counts, list pages) finish and their results paint."""
        QTest.qWait(least_ms)
        deadline = time.monotonic() + 120
        while QThreadPool.globalInstance().activeThreadCount() and time.monotonic() < deadline:
            QTest.qWait(10)
        QTest.qWait(5)

    def click_tab(tabs: QTabWidget, index: int) -> None:
        bar = tabs.tabBar()
        QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bar.tabRect(index).center())
        settle()

    def wheel(widget, steps: int) -> None:
        center = QPointF(widget.rect().center())
        event = QWheelEvent(center, QPointF(widget.mapToGlobal(center.toPoint())), QPoint(0, 0),
                            QPoint(0, -120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)

    def work_ledger(holder: LazyTab) -> None:
        page = holder.page
        view = getattr(page, "view", None)
        if view is None or not view.isVisible():
            return
        view.setFocus()
        for _ in range(3):
            QTest.keyClick(view, Qt.Key.Key_Down)  # the form fills from the next record
            settle(0)
        wheel(view.viewport(), 3)

    def visit(tabs: QTabWidget) -> None:
        for i in range(tabs.count()):
            click_tab(tabs, i)
            widget = tabs.widget(i)
            if isinstance(widget, QTabWidget):
                visit(widget)
            elif isinstance(widget, LazyTab) and widget in window.holders.values():
                work_ledger(widget)

    def change_year() -> None:
        """年度 box by keyboard: one year back, counted, then forward again, counted (the 待办 table refills)."""
        click_tab(window.ui.tabs, 0)
        combo = window.ui.yearCombo
        for key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            combo.setFocus()
            QTest.keyClick(combo, key)
            settle()

    settle(100)
    counts, resident = [none_count()], [resident_mb()]
    start = time.monotonic()
    for _ in range(args.rounds):
        visit(window.ui.tabs)
        change_year()
        for _ in range(window.ui.tabs.count()):
            QTest.keyClick(window, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
            settle(0)
        counts.append(none_count())
        resident.append(resident_mb())
    seconds = time.monotonic() - start
    todo_rows = window.overview.todo_table.rowCount()
    for editor in window.all_editors():  # nothing typed: leave without the unsaved-edits prompt
        editor.form.dirty = False
    window.close()
    app.processEvents()
    db.dispose()
    print(json.dumps({"rounds": args.rounds, "seconds": round(seconds, 1), "todo_rows": todo_rows,
                      "none_counts": counts, "resident_mb": resident}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
