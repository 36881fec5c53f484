"""Background operations let go of their jobs: a page that lists or counts on every change must not keep each job's
closure (its context, the rows it returned) for as long as the window is open."""

from __future__ import annotations

import gc
import weakref

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget

from fazhi_desktop.gui.shell import workers


class Rows:
    """Stands for what a job returns or closes over (a page of records)."""


def test_finished_operations_keep_neither_their_job_nor_its_rows(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    held: list[weakref.ref] = []
    arrived: list[int] = []

    def job_over(rows: Rows):
        return lambda: id(rows)

    for _ in range(60):
        rows = Rows()
        held.append(weakref.ref(rows))
        workers.run(parent, "读取", job_over(rows), lambda result: arrived.append(result))
        del rows
    for _ in range(20):  # the synchronous kind (history, a list position) too
        rows = Rows()
        held.append(weakref.ref(rows))
        workers.call(parent, "读取", job_over(rows))
        del rows
    qtbot.waitUntil(lambda: len(arrived) == 60, timeout=10000)
    QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)  # the deferred deletes
    gc.collect()
    alive = sum(r() is not None for r in held)
    assert alive == 0, f"{alive} of {len(held)} jobs are still held after they finished"
    # nor a hidden progress dialog per job
    from PySide6.QtWidgets import QProgressDialog

    assert parent.findChildren(QProgressDialog) == []
