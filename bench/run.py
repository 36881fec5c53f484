"""Benchmarks (not part of the test run). Prints one JSON object.

    python -m bench.run                      # 10k and 100k records
    python -m bench.run --sizes 10000,1000000 --tables-max 1000000

Measures: statistics vs hand-written raw SQL, list paging/sorting, report rendering (PDF, DOCX), the statistics
workbook vs plain openpyxl writing the same cells (time and peak memory; demo data and each size up to --tables-max),
validated import of 10k rows (an openpyxl-written and, with LibreOffice, an office-saved workbook), GUI start-up vs a
bare 8-tab window, the ``report`` command vs a plain reportlab process.

Programs are timed as installed: with their compiled bytecode (pip writes it at install, PyInstaller bundles it), so
each is run once before it is timed and PYTHONDONTWRITEBYTECODE is not passed on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


TABLES_MAX_RECORDS = 100_000


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return round(statistics.median(runs), 4)


def synthetic(engine, unit, n: int, years=(2019, 2020, 2021, 2022, 2023), seed: int = 7) -> None:
    """n records spread over disputes, publicity and meetings (Core executemany; no change log, it is synthetic)."""
    import sqlalchemy as sa

    from fazhi_desktop.domain.ledgers import ledger
    from fazhi_desktop.services.records import to_storage
    from fazhi_desktop.storage.schema import ledger_table

    rng = random.Random(seed)
    now = dt.datetime.now().replace(microsecond=0)
    stamp = {"unit_id": unit.id, "created_at": now, "created_by": "bench", "updated_at": now, "updated_by": "bench",
             "deleted": False}
    makers = {
        "dispute": lambda d: {"date": d, "source": "排查发现", "village": rng.choice(unit.villages),
                              "category": rng.choice(ledger("dispute").field("category").choices),
                              "parties": f"当事人{rng.randint(1, 99999)}", "summary": "纠纷", "risk": rng.choice("红黄绿"),
                              "status": rng.choice(("调处中", "调解成功")), "closed_on": d},
        "publicity": lambda d: {"date": d, "kind": rng.choice(ledger("publicity").field("kind").choices[1:]),
                                "place": "村", "topics": ["宪法", "民法典"], "materials": rng.randint(0, 300)},
        "meeting": lambda d: {"date": d, "kind": "法治建设专题会议", "title": "会议", "issues_resolved": 2},
    }
    per = n // len(makers)
    with engine.begin() as conn:
        for key, make in makers.items():
            lg = ledger(key)
            batch = []
            for _ in range(per):
                d = dt.date(rng.choice(years), rng.randint(1, 12), rng.randint(1, 28))
                batch.append(dict(to_storage(lg, make(d)), id=str(uuid.UUID(int=rng.getrandbits(128))), **stamp))
                if len(batch) == 20000:
                    conn.execute(sa.insert(ledger_table(key)), batch)
                    batch = []
            if batch:
                conn.execute(sa.insert(ledger_table(key)), batch)


def bench_size(n: int, work: Path, tables_max: int = TABLES_MAX_RECORDS) -> dict:
    import sqlalchemy as sa

    from fazhi_desktop.services import listing, stats
    from fazhi_desktop.services.units import create_unit
    from fazhi_desktop.storage.database import open_database

    db = open_database(work / f"bench-{n}.sqlite3")
    with db.engine.begin() as conn:
        unit = create_unit(conn, {"name": "基准镇", "county": "县", "addressee": "县法治办", "issuers": ["党委"],
                                  "villages": ["东村", *(f"{i}村" for i in range(11))]}, "bench")  # 东村: bench_import
    start = time.perf_counter()
    synthetic(db.engine, unit, n)
    load = time.perf_counter() - start
    with db.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    out: dict = {"records": n, "load_s": round(load, 2)}

    def ours():
        with db.engine.connect() as conn:
            stats.compute(conn, unit, 2023)

    raw_sql = [
        "SELECT count(*), sum(status IN ('调解成功','调解不成','已移交')), sum(status='调解成功') FROM dispute "
        "WHERE unit_id=? AND deleted=0 AND year=?",
        "SELECT category, count(*) FROM dispute WHERE unit_id=? AND deleted=0 AND year=? GROUP BY category",
        "SELECT risk, count(*) FROM dispute WHERE unit_id=? AND deleted=0 AND year=? GROUP BY risk",
        "SELECT status, count(*) FROM dispute WHERE unit_id=? AND deleted=0 AND year=? GROUP BY status",
        "SELECT count(*), sum(kind='法律十进'), sum(materials) FROM publicity WHERE unit_id=? AND deleted=0 AND year=?",
        "SELECT kind, count(*) FROM publicity WHERE unit_id=? AND deleted=0 AND year=? GROUP BY kind",
        "SELECT count(*), sum(issues_resolved) FROM meeting WHERE unit_id=? AND deleted=0 AND year=?",
    ]

    def raw():
        con = sqlite3.connect(db.path)
        for q in raw_sql:
            con.execute(q, (unit.id, 2023)).fetchall()
        con.close()

    out["stats_s"] = timed(ours)
    out["raw_sql_same_tables_s"] = timed(raw)
    q = listing.ListQuery("dispute", year=2023)

    def first_page():
        with db.engine.connect() as conn:
            listing.count(conn, unit, q)
            listing.page(conn, unit, q, 0, 200)

    def sorted_by_name():
        q2 = listing.ListQuery("dispute", year=2023, sort_key="parties")
        with db.engine.connect() as conn:
            listing.page(conn, unit, q2, 0, 200)

    def deep_page():
        with db.engine.connect() as conn:
            listing.page(conn, unit, q, max(0, n // 15 - 200), 200)

    def sorted_by_village():
        """A key most records share (12 villages): each village's records in entry order."""
        q2 = listing.ListQuery("dispute", year=2023, sort_key="village")
        with db.engine.connect() as conn:
            listing.page(conn, unit, q2, 0, 200)

    def sorted_binary():
        """The baseline: the same page in code-point order, raw sqlite3."""
        con = sqlite3.connect(db.path)
        con.execute("SELECT * FROM dispute WHERE unit_id=? AND deleted=0 AND year=? ORDER BY parties, created_at, id "
                    "LIMIT 200", (unit.id, 2023)).fetchall()
        con.close()

    out["list_first_page_s"] = timed(first_page)
    out["list_sort_pinyin_s"] = timed(sorted_by_name)
    out["list_sort_pinyin_village_s"] = timed(sorted_by_village)
    out["list_sort_binary_raw_sql_s"] = timed(sorted_binary)
    out["list_deep_page_s"] = timed(deep_page)
    if n <= tables_max:  # beyond 100k records a year's workbook holds millions of cells: minutes per run
        out |= bench_tables(db.engine, unit, 2023, work, repeat=5 if n <= 10_000 else 1)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # the file's size, not the WAL's
        out["db_mb"] = round(db.path.stat().st_size / 1e6, 1)
        out["year_rows_dispute"] = conn.execute(sa.text(
            "SELECT count(*) FROM dispute WHERE year=2023")).scalar()
    db.dispose()
    return out


def bench_documents(work: Path) -> dict:
    from fazhi_desktop.reports.content.builder import build_document
    from fazhi_desktop.reports.render import fonts_for
    from fazhi_desktop.reports.render.docx import render_docx
    from fazhi_desktop.reports.render.pdf import render_pdf
    from fazhi_desktop.services.demo import load_demo
    from fazhi_desktop.storage.database import open_database

    db = open_database(work / "demo.sqlite3")
    unit = load_demo(db.engine)
    fonts = fonts_for()  # font loading is once per process; measured separately
    start = time.perf_counter()
    fonts_for()
    out = {"fonts_resolve_s": round(time.perf_counter() - start, 3)}

    def doc():
        with db.engine.connect() as conn:
            return build_document(conn, unit, 2023)

    document = doc()
    out["report_build_s"] = timed(doc)
    out["report_pdf_s"] = timed(lambda: render_pdf(doc(), work / "r.pdf", fonts))
    out["report_docx_s"] = timed(lambda: render_docx(doc(), work / "r.docx"))
    out["report_pages"] = render_pdf(document, work / "r.pdf", fonts).pages
    out |= bench_tables(db.engine, unit, 2023, work, repeat=9)
    db.dispose()
    return out


def bench_tables(engine, unit, year: int, work: Path, repeat: int = 5) -> dict:
    """The statistics workbook (queries included) vs plain openpyxl writing the same cells with the same borders and
    font and saving. The two run alternately, so a busy moment of the machine weighs on both alike."""
    from openpyxl import Workbook, load_workbook

    from fazhi_desktop.reports.render.xlsx import write_statistics_workbook

    write_statistics_workbook(engine, unit, year, work / "t.xlsx")
    cells = [list(ws.iter_rows(values_only=True)) for ws in load_workbook(work / "t.xlsx", read_only=True).worksheets]

    from openpyxl.styles import Border, Font, Side

    thin = Side(style="thin")
    border, font = Border(left=thin, right=thin, top=thin, bottom=thin), Font(name="宋体", size=11)

    def plain():
        """The same cells, each with the same thin borders and 宋体 font, as a competent openpyxl user writes them:
        rows appended, each new cell styled by its coordinate (``ws.cell`` is a lookup; ``ws[r]`` would rescan the
        whole sheet for every row and make the baseline quadratic)."""
        wb = Workbook()
        for sheet in cells:
            ws = wb.create_sheet()
            for r, row in enumerate(sheet, start=1):
                ws.append(row)
                if r >= 3:
                    for c in range(1, len(row) + 1):
                        cell = ws.cell(row=r, column=c)
                        cell.border, cell.font = border, font
        wb.save(work / "plain.xlsx")

    ours, baseline = [], []
    for _ in range(repeat):
        ours.append(timed(lambda: write_statistics_workbook(engine, unit, year, work / "t.xlsx"), 1))
        baseline.append(timed(plain, 1))
    ours_s, baseline_s = statistics.median(ours), statistics.median(baseline)
    return {"tables_cells": sum(len(r) for sheet in cells for r in sheet), "tables_xlsx_s": ours_s,
            "plain_openpyxl_same_cells_s": baseline_s, "tables_vs_plain_ratio": round(ours_s / baseline_s, 2),
            "tables_peak_mb": peak_mb(lambda: write_statistics_workbook(engine, unit, year, work / "t.xlsx")),
            "plain_openpyxl_peak_mb": peak_mb(plain)}


def peak_mb(fn) -> float:
    """Peak memory Python allocates while fn runs (tracemalloc: slower, so never in a timed run)."""
    import tracemalloc

    tracemalloc.start()
    try:
        fn()
        return round(tracemalloc.get_traced_memory()[1] / 1e6, 1)
    finally:
        tracemalloc.stop()


def bench_import(work: Path, rows: int = 10_000, into: dict[int, Path] | None = None) -> dict:
    """10,000 validated rows into an empty database, and into a copy of each ``into`` database (records held → file:
    the cost must follow the rows brought, not the records stored), beside the baseline of reading the same workbook
    with openpyxl and inserting its rows with raw sqlite3."""
    from openpyxl import Workbook, load_workbook

    from fazhi_desktop.exchange.apply import run_import
    from fazhi_desktop.services.units import create_unit
    from fazhi_desktop.storage.database import open_database

    wb = Workbook()
    ws = wb.active
    ws.title = "矛盾纠纷排查调处台账"
    ws.append(["记录编号", "排查日期*", "来源*", "所在村*", "纠纷类别*", "当事人*", "简要情况*", "风险等级*", "状态*"])
    for i in range(rows):
        ws.append([None, f"2023/{i % 12 + 1}/{i % 28 + 1}", "排查发现", "东村", "土地纠纷", f"甲{i}与乙{i}", "地界争议",
                   "绿", "调处中"])
    book = work / "import.xlsx"
    wb.save(book)  # openpyxl writes inline strings; Excel, WPS and LibreOffice write shared strings
    books = {"import_validated_s": book}
    if shutil.which("soffice"):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo-profile", "--convert-to",
                        "xlsx", "--outdir", str(work / "lo"), str(book)], capture_output=True, timeout=300)
        if (work / "lo" / "import.xlsx").exists():
            books["import_validated_libreoffice_saved_s"] = work / "lo" / "import.xlsx"

    def raw() -> None:
        path = work / "raw-import.sqlite3"
        path.unlink(missing_ok=True)
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE dispute (id TEXT PRIMARY KEY, date TEXT, source TEXT, village TEXT, category TEXT, "
                    "parties TEXT, summary TEXT, risk TEXT, status TEXT)")
        sheet = load_workbook(book, read_only=True).active
        with con:
            con.executemany("INSERT INTO dispute VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            ([str(uuid.uuid4()), *r[1:]] for r in sheet.iter_rows(min_row=2, values_only=True)))
        con.close()

    out: dict = {"import_rows": rows, "raw_openpyxl_sqlite3_same_rows_s": timed(raw)}

    def fresh(name: str, source: Path | None) -> Path:
        path = work / f"{name}.sqlite3"
        if source is None:
            path.unlink(missing_ok=True)
            db = open_database(path)
            with db.engine.begin() as conn:
                create_unit(conn, {"name": "导入镇", "county": "县", "addressee": "县法治办", "issuers": ["党委"],
                                   "villages": ["东村"]}, "bench")
            db.dispose()
        else:
            shutil.copyfile(source, path)
        return path

    def once(path: Path, source: Path | None) -> float:
        db = open_database(fresh(path.stem, source))
        start = time.perf_counter()
        report = run_import(db.engine, path)
        seconds = time.perf_counter() - start
        assert report.created == rows
        db.dispose()
        return seconds

    for name, path in books.items():
        out[name] = round(statistics.median(once(path, None) for _ in range(3)), 2)
    for records, source in (into or {}).items():
        out[f"import_validated_into_{records}_records_s"] = round(statistics.median(
            once(book, source) for _ in range(3)), 2)
    out["import_vs_raw_ratio"] = round(out["import_validated_s"] / out["raw_openpyxl_sqlite3_same_rows_s"], 1)
    return out


BARE = """
import os, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget, QWidget
app = QApplication(sys.argv)
w = QMainWindow(); tabs = QTabWidget()
for i in range(8):
    tabs.addTab(QWidget(), f"tab {i}")
w.setCentralWidget(tabs); w.show()
import time
def shown():
    print(f"shown {time.time():.4f}", flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def installed_env(**extra: str) -> dict[str, str]:
    """The environment a timed process runs in: as installed, with its bytecode written and read."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | extra


def bench_gui(work: Path, frozen: Path | None = None) -> dict:
    """Start-up of the window from the source install, and of the frozen bundle when ``frozen`` names its folder."""
    env = installed_env(QT_QPA_PLATFORM="offscreen", FAZHI_QUIT_AFTER_SHOW="1", FAZHI_DATA_DIR=str(work / "d"))
    db = work / "gui.sqlite3"
    subprocess.run([sys.executable, "-m", "fazhi_desktop", "--db", str(db), "demo"], env=env, check=True,
                   capture_output=True)

    def run(args, mark="shown"):
        """Seconds from launching the process to a mark: the window on screen (its event loop running), or
        ``ready`` — the database open and the first tab filled."""
        start = time.time()
        out = subprocess.run(args, env=env, check=True, capture_output=True, text=True).stdout
        return float(next(line for line in out.splitlines() if line.startswith(mark + " ")).split()[1]) - start

    app = [sys.executable, "-m", "fazhi_desktop", "--db", str(db)]
    run(app)  # its bytecode written, as an install has it
    bare = statistics.median(run([sys.executable, "-c", BARE]) for _ in range(5))
    shown = statistics.median(run(app) for _ in range(5))
    ready = statistics.median(run(app, "ready") for _ in range(5))
    result = {"bare_8_tab_window_s": round(bare, 2), "app_window_shown_s": round(shown, 2),
              "app_ready_s": round(ready, 2), "shown_ratio": round(shown / bare, 2),
              "ready_ratio": round(ready / bare, 2)}
    if frozen is not None:
        program = [str(frozen / ("fazhi-desktop.exe" if os.name == "nt" else "fazhi-desktop")), "--db", str(db)]
        result["frozen_window_shown_s"] = round(statistics.median(run(program) for _ in range(5)), 2)
        result["frozen_ready_s"] = round(statistics.median(run(program, "ready") for _ in range(5)), 2)
    return result


PLAIN_REPORT = """
import json, sys
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
fonts, lines, out = json.loads(open(sys.argv[1], encoding="utf-8").read())
for n, path in enumerate(fonts):
    pdfmetrics.registerFont(TTFont(f"F{n}", path))
pdf = canvas.Canvas(out, pagesize=A4)
for start in range(0, len(lines), 22):
    for row, text in enumerate(lines[start:start + 22]):
        pdf.setFont(f"F{row % len(fonts)}", 16)
        pdf.drawString(79, 770 - row * 28.9, text)
    pdf.showPage()
pdf.save()
"""


def bench_report_command(work: Path) -> dict:
    """``fazhi-desktop report`` as a clerk runs it (a new process: start, open, check, print) beside a plain reportlab
    process that registers the same five fonts and draws the same text, 28 characters a line, 22 lines a page."""
    from fazhi_desktop.reports.content.builder import build_document
    from fazhi_desktop.reports.typeset.fonts import BUNDLED_FILES, bundled_dir
    from fazhi_desktop.services.units import pick
    from fazhi_desktop.storage.database import open_database

    env = installed_env(FAZHI_DATA_DIR=str(work / "report-data"))
    db = work / "report.sqlite3"
    subprocess.run([sys.executable, "-m", "fazhi_desktop", "--db", str(db), "demo"], env=env, check=True,
                   capture_output=True)
    opened = open_database(db)
    with opened.engine.connect() as conn:
        text = build_document(conn, pick(opened, None), 2023).plain_text()
    opened.dispose()
    lines = [para[i:i + 28] for para in text.splitlines() for i in range(0, max(len(para), 1), 28)]
    plan = work / "plain-report.json"
    plan.write_text(json.dumps([[str(bundled_dir() / f) for f in BUNDLED_FILES.values()], lines,
                                str(work / "plain-report.pdf")], ensure_ascii=False), encoding="utf-8")

    def run(args) -> float:
        start = time.perf_counter()
        subprocess.run(args, env=env, check=True, capture_output=True)
        return time.perf_counter() - start

    command = [sys.executable, "-m", "fazhi_desktop", "--db", str(db), "report", "--year", "2023", "--out",
               str(work / "report-command.pdf")]
    plain = [sys.executable, "-c", PLAIN_REPORT, str(plan)]
    first = run(command)  # bytecode and the fonts' cache written, as after a clerk's first report
    ours = statistics.median(run(command) for _ in range(5))
    baseline = statistics.median(run(plain) for _ in range(5))
    python = statistics.median(run([sys.executable, "-c", "pass"]) for _ in range(5))
    return {"report_command_s": round(ours, 2), "report_command_first_run_s": round(first, 2),
            "plain_reportlab_process_s": round(baseline, 2),
            "bare_python_s": round(python, 3), "ratio": round(ours / baseline, 2)}


def bench_binder(work: Path, photos: int = 300) -> dict:
    """台账汇编 of a year with ``photos`` camera-sized photos (4000×3000 JPEG), one to a publicity record: time, pages
    and the peak resident memory of the process that writes it (the photos must not all sit in memory)."""

    from PIL import Image, ImageDraw

    from fazhi_desktop.services import attachments
    from fazhi_desktop.services.records import RecordService
    from fazhi_desktop.services.units import create_unit
    from fazhi_desktop.storage.database import open_database

    db_path = work / "binder.sqlite3"
    db = open_database(db_path)
    with db.engine.begin() as conn:
        unit = create_unit(conn, {"name": "照片镇", "county": "合水县", "issuers": ["中共照片镇委员会"],
                                  "villages": ["东村", "西村"]}, "bench")
    svc = RecordService(db.engine, unit, "bench")
    folder = work / "photos"
    folder.mkdir()
    for i in range(photos):
        rid = svc.create("publicity", {"date": dt.date(2023, 1 + i % 12, 1 + i % 28), "kind": "集日宣传",
                                       "place": "东村", "topics": ["宪法"], "materials": 10}).id
        # As a phone's photo compresses (≈ 4.5 MB): a gradient with grain, not a flat colour a JPEG shrinks to nothing
        noise = Image.effect_noise((4000, 3000), 18)
        base = Image.linear_gradient("L").resize((4000, 3000))
        image = Image.merge("RGB", (Image.blend(base, noise, 0.35), noise, base))
        ImageDraw.Draw(image).rectangle((i % 3000, 500, i % 3000 + 900, 2400), fill=(230, 200, 60))
        path = folder / f"p{i:03d}.jpg"
        image.save(path, "JPEG", quality=90)
        attachments.add(db.engine, unit.id, "publicity", rid, path, "bench")
    db.dispose()
    out = work / "binder.pdf"
    seconds, peak = _child([sys.executable, "-m", "fazhi_desktop", "--db", str(db_path), "binder", "--year", "2023",
                            "--out", str(out)])
    # The baseline: Pillow and reportlab alone, in a process of their own, drawing the same photos one to a page at
    # the same size and resolution, with a line of text in the same bundled font, into one PDF
    plain_s, plain_peak = _child([sys.executable, "-c", PLAIN_PHOTOS, str(folder), str(work / "plain-photos.pdf")])
    return {"photos": photos, "binder_s": round(seconds, 1), "plain_pillow_reportlab_s": round(plain_s, 1),
            "binder_peak_rss_mb": peak and round(peak, 1),
            "plain_pillow_reportlab_peak_rss_mb": plain_peak and round(plain_peak, 1),
            "binder_mb": round(out.stat().st_size / 1e6, 1), "photo_mb_each": round(
                sum(p.stat().st_size for p in folder.glob("*.jpg")) / photos / 1e6, 2)}


def _child(args: list[str]) -> tuple[float, float | None]:
    """Seconds and peak resident MB of one child process, its own: the high-water mark of its memory after it
    started (``VmHWM``, read until it exits). Not ``wait4``'s ru_maxrss: Linux carries the benchmark's own size over
    into a child it starts, so after the 1M-record sizes every child measured the benchmark. Without /proc: no peak."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    status = Path(f"/proc/{proc.pid}/status")
    peak = None
    while proc.poll() is None:
        try:
            line = next((x for x in status.read_text().splitlines() if x.startswith("VmHWM:")), None)
        except OSError:
            line = None
        if line:
            peak = max(peak or 0, int(line.split()[1]) / 1024)  # kB
        time.sleep(0.02)
    if proc.returncode:
        raise RuntimeError(f"{args[:4]} failed with {proc.returncode}")
    return time.perf_counter() - start, peak


PLAIN_PHOTOS = """
import io, sys
from pathlib import Path
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from fazhi_desktop.reports.typeset.fonts import bundled_dir
pdfmetrics.registerFont(TTFont("song", str(bundled_dir() / "FandolSong-Regular.ttf")))
c = Canvas(sys.argv[2], pagesize=A4, pageCompression=1)
for p in sorted(Path(sys.argv[1]).glob("*.jpg")):
    with Image.open(p) as img:
        img.draft("RGB", (1240, 1240))
        img = img.resize((1000, 750))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=82)
    c.drawImage(ImageReader(buf), 60, 300, 470, 352)
    c.setFont("song", 12)
    c.drawString(60, 260, "照片说明：" + p.stem)
    c.showPage()
c.save()
"""


def bench_packages(work: Path, townships: int = 30, records: int = 5000) -> dict:
    """A county merging ``townships`` packages of ``records`` records each (one year): export time per package, then
    the whole merge into a fresh county database — time, and Python's peak memory in a second, traced run."""
    from fazhi_desktop.exchange.package_read import merge_package
    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.services.units import create_unit
    from fazhi_desktop.storage.database import open_database

    folder = work / "packages"
    folder.mkdir()
    exports = []
    for i in range(1, townships + 1):
        db = open_database(work / f"town{i:02d}.sqlite3")
        with db.engine.begin() as conn:
            unit = create_unit(conn, {"name": f"第{i:02d}镇", "county": "合水县", "issuers": [f"中共第{i:02d}镇委员会"],
                                      "villages": ["东村", "西村", "南村"]}, "bench")
        synthetic(db.engine, unit, records, years=(2023,), seed=i)  # record ids of their own
        start = time.perf_counter()
        write_package(db.engine, unit, 2023, folder / f"town{i:02d}.zip")
        exports.append(time.perf_counter() - start)
        db.dispose()
    paths = sorted(folder.glob("*.zip"))

    def merge_into(name: str) -> int:
        county = open_database(work / name)
        merged = sum(merge_package(county.engine, p, "bench").created for p in paths)
        county.dispose()
        return merged

    def raw() -> int:
        """The baseline: each package's record lines parsed and inserted with raw sqlite3, one table per ledger of
        the same columns, nothing checked."""
        import zipfile

        from fazhi_desktop.exchange import package_format as pf

        path = work / "raw-merge.sqlite3"
        path.unlink(missing_ok=True)
        con = sqlite3.connect(path)
        made: set[str] = set()
        rows = 0
        with con:
            for package in paths:
                with zipfile.ZipFile(package) as z:
                    for part, key in pf.LEDGER_PARTS.items():
                        if part not in z.namelist():
                            continue
                        records = [{"id": r["id"], **r["meta"], **r["values"]}
                                   for r in (json.loads(line) for line in z.read(part).splitlines() if line.strip())]
                        if not records:
                            continue
                        columns = sorted({k for r in records for k in r})
                        names = ", ".join(f'"{c}"' for c in columns)
                        if key not in made:
                            con.execute(f'CREATE TABLE "{key}" ({names})')
                            made.add(key)
                        con.executemany(f'INSERT INTO "{key}" ({names}) VALUES '
                                        f'({", ".join("?" * len(columns))})',
                                        [[json.dumps(r.get(c), ensure_ascii=False) if isinstance(r.get(c), dict | list)
                                          else r.get(c) for c in columns] for r in records])
                        rows += len(records)
        con.close()
        return rows

    start = time.perf_counter()
    raw_rows = raw()
    raw_s = time.perf_counter() - start
    start = time.perf_counter()
    created = merge_into("county.sqlite3")
    seconds = time.perf_counter() - start
    again = time.perf_counter()
    county = open_database(work / "county.sqlite3")
    unchanged, each = 0, []
    for p in paths:  # the same files again: each known by its checksum and skipped (#38)
        one = time.perf_counter()
        unchanged += merge_package(county.engine, p, "bench").unchanged
        each.append(time.perf_counter() - one)
    county.dispose()
    return {"townships": townships, "records_per_package": records, "records_merged": created,
            "export_s_per_package": round(statistics.median(exports), 3), "merge_all_s": round(seconds, 2),
            "merge_records_per_s": round(created / seconds),
            "raw_sqlite3_same_records_per_s": round(raw_rows / raw_s), "reimport_all_s": round(time.perf_counter() - again, 2),
            "reimport_unchanged": unchanged, "reimport_s_per_package": round(statistics.median(each), 4),
            "merge_all_peak_mb": peak_mb(lambda: merge_into("county2.sqlite3")),
            "package_mb": round(sum(p.stat().st_size for p in paths) / len(paths) / 1e6, 2)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--skip-gui", action="store_true")
    parser.add_argument("--frozen", type=Path, help="also time the bundle in this folder (tools/build_bundle.py)")
    parser.add_argument("--tables-max", type=int, default=TABLES_MAX_RECORDS,
                        help="largest size whose statistics workbook is measured (1M records: minutes)")
    parser.add_argument("--packages", type=int, default=30, help="township packages a county merges (0: skip)")
    parser.add_argument("--photos", type=int, default=300, help="photos in the 台账汇编 benchmark (0: skip)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fazhi-bench-"))
    os.environ["FAZHI_DATA_DIR"] = str(work / "data")
    sizes = [int(n) for n in args.sizes.split(",")]
    result: dict = {"sizes": [bench_size(n, work, args.tables_max) for n in sizes]}
    result["documents"] = bench_documents(work)
    result["report_command"] = bench_report_command(work)
    result["import"] = bench_import(work, into={n: work / f"bench-{n}.sqlite3" for n in sizes})
    if args.packages:
        result["county_packages"] = bench_packages(work, args.packages)
    if args.photos:
        result["binder"] = bench_binder(work, args.photos)
    if not args.skip_gui:
        result["gui_startup"] = bench_gui(work, args.frozen)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
