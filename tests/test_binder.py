"""台账汇编 (#20 point 2): the 目录's page numbers are where each 件 is; photo pages carry their captions; PDF
attachments are appended page by page; a record that needs evidence and has none gets a 「缺」 page; the 30 mm spine
label measures 30 mm; no full ID number is printed; one page number sequence throughout."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from fazhi_desktop.domain.idcard import check_digit
from fazhi_desktop.reports.render import fonts_for
from fazhi_desktop.reports.render.binder_pdf import MM, ROLES, gather, write_binder
from fazhi_desktop.services import attachments

ID17 = "62102219900101123"
ID = ID17 + check_digit(ID17)


def _photo(path, colour):
    from PIL import Image

    Image.new("RGB", (1600, 1200), colour).save(path, "JPEG")
    return path


def _pdf(path, pages: int):
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path))
    for i in range(pages):
        c.drawString(100, 700, f"sign-in sheet page {i + 1}")
        c.showPage()
    c.save()
    return path


@pytest.fixture
def book(svc, db, unit, tmp_path):
    with_photos = svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "一季度专题会",
                                         "host": "党委书记"}).id
    svc.create("meeting", {"date": "2023-06-01", "kind": "法治建设专题会议", "title": "二季度专题会"})  # no evidence
    study = svc.create("study", {"date": "2023-04-01", "form": "会前学法", "content": "宪法", "participants": 30}).id
    svc.create("legal_talent", {"year": 2023, "name": "张明白", "village": unit.villages[0], "category": "法律明白人",
                                "id_number": ID})
    attachments.add(db.engine, unit.id, "meeting", with_photos, _photo(tmp_path / "a.jpg", "red"), "李文书")
    attachments.add(db.engine, unit.id, "meeting", with_photos, _photo(tmp_path / "b.jpg", "blue"), "李文书")
    attachments.add(db.engine, unit.id, "study", study, _pdf(tmp_path / "签到表.pdf", 2), "李文书")
    with db.engine.connect() as conn:
        binder = gather(conn, unit, 2023)
    out = write_binder(binder, fonts_for(roles=ROLES), tmp_path / "binder.pdf")
    with pdfplumber.open(out) as pdf:
        pages = [(p.extract_text() or "") for p in pdf.pages]
        rects = [r for p in pdf.pages for r in p.rects]
    return binder, pages, rects


def test_the_table_of_contents_points_at_each_piece(book):
    binder, pages, _rects = book
    assert len(pages) == binder.total_pages
    toc = pages[1]
    for piece in binder.pieces:
        assert f"第{piece.first_page}页起" in toc.replace(" ", "")
        assert f"第 {piece.number} 件" in pages[piece.first_page - 1], (piece.number, piece.first_page)
        if piece.date:
            assert f"{piece.date:%Y%m%d}" in toc
    # one sequence of page numbers, from the first page after the cover to the last
    for n in range(2, len(pages) + 1):
        assert f"— {n} —" in pages[n - 1], n


def test_photos_carry_captions_and_pdfs_are_appended_page_by_page(book):
    binder, pages, _rects = book
    photos = [p for p in pages if p.startswith("照片")]
    assert len(photos) == binder.photos == 2
    first = binder.pieces[0]  # the meeting with two photos: they are within its pages as the 目录 states them
    assert [n for n, p in enumerate(pages, start=1) if p.startswith("照片")] == [first.first_page + 1,
                                                                                first.first_page + 2]
    assert first.pages == 3
    for text in photos:
        assert "事由：一季度专题会" in text and "时间：2023年3月1日" in text and "人物：党委书记" in text
        assert "摄影者：李文书" in text
    sheets = [p for p in pages if "签到表.pdf" in p]
    assert len(sheets) == 2 and "第 1 页，共 2 页" in sheets[0] and "第 2 页，共 2 页" in sheets[1]


def test_a_piece_without_evidence_gets_a_missing_page(book):
    binder, pages, _rects = book
    missing = [p for p in binder.pieces if p.missing]
    assert [p.title for p in missing] == ["二季度专题会"]
    last = missing[0].first_page + missing[0].pages - 1
    assert pages[last - 1].startswith("缺") and "二季度专题会" in pages[last - 1]
    assert "缺佐证材料的 1 件" in pages[-2]  # 备考表


def test_spine_labels_measure_their_widths_and_no_full_id_is_printed(book):
    _binder, pages, rects = book
    widths = sorted(round(r["width"] / MM, 2) for r in rects if abs(r["height"] / MM - 220) < 0.01)
    assert widths == [20.0, 30.0, 40.0]
    text = "\n".join(pages)
    assert "张明白" in text and ID not in text and not re.search(r"\d{17}[\dX]", text)
    assert ID[:4] in text  # the masked number is there, its middle hidden


def test_the_binder_command(tmp_path, data_dir):
    from clikit import run_cli

    env = {"FAZHI_DATA_DIR": str(data_dir)}
    db = str(tmp_path / "d.sqlite3")
    assert run_cli("--db", db, "demo", env=env).returncode == 0
    out = tmp_path / "汇编.pdf"
    proc = run_cli("--db", db, "binder", "--year", "2023", "--out", str(out), "--ledger", "会议台账", env=env)
    assert proc.returncode == 0 and "台账汇编" in proc.stdout, proc.stderr
    with pdfplumber.open(out) as pdf:
        assert "会议台账" in pdf.pages[2].extract_text() and len(pdf.pages) >= 5
