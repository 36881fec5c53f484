"""台账汇编 (#20 point 2, #37): the 目录's page numbers are where each 件 is; photo pages carry their captions; PDF
attachments are appended page by page; a record that needs evidence and has none gets a 「缺」 page; no full ID
number is printed. As an archivist files it (DA/T 22-2015): one volume per 保管期限 with the 2015 目录 columns, rules
between the rows and never through a word, cells that wrap instead of cutting, the 归档章 on each 件's first page,
档号 from the settings, rosters as one 件, 题名 that never name a private person, one spine label per box at its
thickness."""

from __future__ import annotations

import re

import pdfplumber
import pytest

from fazhi_desktop.domain.idcard import check_digit
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.reports.binder import BOX_PAGES, Piece, Volume, boxes_of
from fazhi_desktop.reports.render import fonts_for
from fazhi_desktop.reports.render.binder_pdf import MM, ROLES, TOC_COLUMNS, TOC_X, gather, write_binder
from fazhi_desktop.services import attachments, retention
from fazhi_desktop.services.units import get_unit

ID17 = "62102219900101123"
ID = ID17 + check_digit(ID17)
COLUMNS_2015 = ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]


def _photo(path, colour, taken: str | None = None):
    from PIL import Image

    exif = Image.Exif()
    if taken:  # as a camera writes it: DateTimeOriginal in the Exif IFD
        exif.get_ifd(0x8769)[0x9003] = taken
    Image.new("RGB", (1600, 1200), colour).save(path, "JPEG", exif=exif)
    return path


def _pdf(path, pages: int):
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path))
    for i in range(pages):
        c.drawString(100, 700, f"sign-in sheet page {i + 1}")
        c.showPage()
    c.save()
    return path


def _read(path):
    with pdfplumber.open(path) as pdf:
        return [{"text": p.extract_text() or "", "chars": p.chars, "lines": p.lines, "rects": p.rects,
                 "width": p.width, "height": p.height} for p in pdf.pages]


def _volume_pages(binder, pages):
    """Each volume's pages, in order (the PDF holds the volumes one after another)."""
    out, at = [], 0
    for v in binder.volumes:
        out.append(pages[at:at + v.total_pages])
        at += v.total_pages
    assert at == len(pages)
    return out


@pytest.fixture
def book(svc, db, unit, tmp_path):
    with_photos = svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "一季度专题会",
                                         "host": "党委书记", "place": "镇政府三楼会议室"}).id
    svc.create("meeting", {"date": "2023-06-01", "kind": "法治建设专题会议", "title": "二季度专题会"})  # no evidence
    study = svc.create("study", {"date": "2023-04-01", "form": "会前学法", "content": "宪法", "participants": 30}).id
    svc.create("legal_talent", {"year": 2023, "name": "张明白", "village": unit.villages[0], "category": "法律明白人",
                                "id_number": ID})
    svc.create("legal_talent", {"year": 2023, "name": "李懂法", "village": unit.villages[0], "category": "学法带头人"})
    svc.create("document", {"date": "2023-02-01", "title": "关于印发测试镇法治政府建设工作要点和责任分工方案的通知",
                            "doc_no": "测发〔2023〕123号之一补充", "kind": "实施方案"})
    attachments.add(db.engine, unit.id, "meeting", with_photos, _photo(tmp_path / "a.jpg", "red"), "李文书",
                    {"material": "照片", "photographer": "王摄影", "background": "县法治办到会指导"})
    attachments.add(db.engine, unit.id, "meeting", with_photos,
                    _photo(tmp_path / "b.jpg", "blue", taken="2023:03:02 09:30:00"), "李文书")
    dispute = {"date": "2023-05-01", "source": "排查发现", "village": unit.villages[0], "category": "邻里关系",
               "parties": "周宏亚、何宝", "summary": "宅基地边界", "risk": "绿", "status": "调解成功",
               "resolution": "调解协议", "mediator": "调解员甲", "closed_on": "2023-05-10"}
    svc.create("dispute", dispute)  # agreed in writing, no 协议书 among its files
    signed = svc.create("dispute", {**dispute, "date": "2023-05-02", "parties": "孙永、何宝"}).id
    attachments.add(db.engine, unit.id, "dispute", signed, _pdf(tmp_path / "调解协议书.pdf", 1), "李文书")
    attachments.add(db.engine, unit.id, "study", study, _pdf(tmp_path / "签到表.pdf", 2), "李文书")
    with db.engine.connect() as conn:
        binder = gather(conn, unit, 2023, fonds="Z109", org_code="FZ")
    out = write_binder(binder, fonts_for(roles=ROLES), tmp_path / "binder.pdf")
    return binder, _read(out)


def test_each_volume_holds_one_retention_and_its_toc_points_at_each_piece(book):
    binder, pages = book
    assert len(pages) == binder.total_pages
    # 制度文件 永久; 会议、名册 30年; 学法、法治人才 10年 (the declared defaults)
    assert [v.shown for v in binder.volumes] == ["永久", "定期30年", "定期10年"]
    classes = {lg.key: lg.retention for lg in LEDGERS}
    for v, vp in zip(binder.volumes, _volume_pages(binder, pages), strict=True):
        assert {classes[p.ledger.key] for p in v.pieces} == {v.retention}
        assert [p.number for p in v.pieces] == list(range(1, len(v.pieces) + 1))  # 件号 restart in each volume
        assert f"保管期限：{v.shown}" in vp[0]["text"] and f"件 数：{len(v.pieces)}件" in vp[0]["text"]
        toc = "".join(p["text"] for p in vp[1:v.front_pages]).replace(" ", "").replace("\n", "")
        assert "".join(COLUMNS_2015) in toc
        for piece in v.pieces:
            assert f"第{piece.first_page}页起" in toc
            assert f"第 {piece.number} 件" in vp[piece.first_page - 1]["text"], (piece.number, piece.first_page)
            if piece.date:
                assert f"{piece.date:%Y%m%d}" in toc
        # page numbers restart in each volume, from the first page after its cover to its last
        for n in range(2, len(vp) + 1):
            assert f"— {n} —" in vp[n - 1]["text"], n


def test_no_rule_crosses_a_word_on_any_toc_page_and_cells_wrap_instead_of_cutting(book):
    binder, pages = book
    tocs = [p for p in pages if p["text"].startswith("归档文件目录")]
    assert len(tocs) == len(binder.volumes)
    crossed = []
    for page in tocs:
        assert page["width"] > page["height"]  # landscape: the 2015 columns' room
        rules = [(ln["x0"], ln["x1"], ln["top"], ln["bottom"]) for ln in page["lines"]]
        assert len(rules) > 10
        for ch in page["chars"]:
            for x0, x1, top, bottom in rules:
                horizontal = abs(top - bottom) < 0.5
                if horizontal and x0 < ch["x1"] and ch["x0"] < x1 and ch["top"] < top < ch["bottom"]:
                    crossed.append((ch["text"], top))
                if not horizontal and top < ch["bottom"] and ch["top"] < bottom and ch["x0"] < x0 < ch["x1"]:
                    crossed.append((ch["text"], x0))
    assert not crossed, crossed[:10]
    text = "".join(p["text"] for p in tocs)
    assert "…" not in text

    def column(name: str) -> str:
        """The column's characters top to bottom, as a reader reads a wrapped cell."""
        at = COLUMNS_2015.index(name)
        left = TOC_X + sum(w for _n, w in TOC_COLUMNS[:at]) * MM
        right = left + TOC_COLUMNS[at][1] * MM
        chars = [c for c in tocs[0]["chars"] if left < c["x0"] < right]
        return "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))

    assert "测发〔2023〕123号之一补充" in column("文号")  # wrapped over two lines, every character there
    assert "关于印发测试镇法治政府建设工作要点和责任分工方案的通知" in column("题名")


def test_archive_numbers_and_the_stamp_on_each_piece(book):
    binder, pages = book
    for v, vp in zip(binder.volumes, _volume_pages(binder, pages), strict=True):
        code = {"永久": "Y", "30年": "D30", "10年": "D10"}[v.retention]
        toc = "".join(p["text"] for p in vp[1:v.front_pages]).replace("\n", "")
        for piece in v.pieces:
            assert binder.archive_no(v, piece) == f"Z109-WS·2023-{code}-FZ-{piece.number:04d}"
            assert binder.archive_no(v, piece) in toc
            first = vp[piece.first_page - 1]
            # 归档章: six 15 × 8 mm cells at the top, centred on the page
            cells = [r for r in first["rects"] if abs(r["width"] / MM - 15) < 0.01 and abs(r["height"] / MM - 8) < 0.01]
            assert len(cells) == 6, piece.title
            left = min(c["x0"] for c in cells)
            assert abs(left + 22.5 * MM - first["width"] / 2) < 0.5 and max(c["bottom"] for c in cells) < 25 * MM
            stamp = [ch["text"] for ch in first["chars"] if ch["bottom"] < 25 * MM]
            for value in ("Z109", "2023", str(piece.number), "FZ", v.shown, str(piece.pages)):
                assert value in "".join(stamp), (value, piece.title)


def test_a_roster_is_one_piece_and_no_title_names_a_private_person(book):
    binder, pages = book
    rosters = [p for p in binder.pieces if p.ledger.key == "legal_talent"]
    assert len(rosters) == 1 and len(rosters[0].records) == 2 and rosters[0].title == "2023年度法治人才名册"
    tocs = "".join(p["text"] for p in pages if p["text"].startswith("归档文件目录"))
    assert "张明白" not in tocs and "李懂法" not in tocs
    text = "".join(p["text"] for p in pages)
    assert "张明白" in text and "李懂法" in text  # the roster itself lists them


def test_photos_carry_captions_and_pdfs_are_appended_page_by_page(book):
    binder, pages = book
    texts = [p["text"] for v in _volume_pages(binder, pages) for p in v]
    photos = [t for t in texts if t.startswith("照片")]
    assert len(photos) == binder.photos == 2
    meeting = next(p for p in binder.pieces if p.title == "法治建设专题会议：一季度专题会")
    (vp,) = [vp for v, vp in zip(binder.volumes, _volume_pages(binder, pages), strict=True) if meeting in v.pieces]
    assert [n for n, p in enumerate(vp, start=1) if p["text"].startswith("照片")] == [meeting.first_page + 1,
                                                                                     meeting.first_page + 2]
    assert meeting.pages == 3
    first, second = photos
    for text in photos:  # 地点 and 人物 from the fields the ledger declares for a caption
        assert "事由：法治建设专题会议：一季度专题会" in text and "地点：镇政府三楼会议室" in text and "人物：党委书记" in text
        assert "李文书" not in text  # the account that attached the file took no photo
    assert "时间：2023年3月1日" in first and "背景：县法治办到会指导" in first and "摄影者：王摄影" in first
    assert "时间：2023年3月2日" in second and "背景" not in second  # the photo's own date, from its EXIF
    sheets = [t for t in texts if "签到表.pdf" in t]
    assert len(sheets) == 2 and "第 1 页，共 2 页" in sheets[0] and "第 2 页，共 2 页" in sheets[1]


def test_a_piece_without_evidence_gets_a_missing_page(book):
    binder, pages = book
    missing = [p for p in binder.pieces if p.missing]
    assert [p.title for p in missing] == ["法治建设专题会议：二季度专题会"]
    # a dispute agreed in writing lacks its 调解协议书 (the other one carries a file that says it is one)
    lacking = [p for p in binder.pieces if p.lacking]
    assert len(lacking) == 1 and lacking[0].lacking == ("调解协议书",) and lacking[0].record["parties"] == "周宏亚、何宝"
    (v, vp), = [(v, vp) for v, vp in zip(binder.volumes, _volume_pages(binder, pages), strict=True)
                if lacking[0] in v.pieces]
    page = vp[lacking[0].first_page + lacking[0].pages - 2]["text"]
    assert page.startswith("缺") and "缺调解协议书" in page.replace("\n", "")
    toc = "".join(p["text"] for p in vp[1:v.front_pages]).replace("\n", "")
    assert "缺调解协议书" in toc and "缺佐证材料的 1 件" in vp[-2]["text"]
    (v, vp), = [(v, vp) for v, vp in zip(binder.volumes, _volume_pages(binder, pages), strict=True)
                if missing[0] in v.pieces]
    last = missing[0].first_page + missing[0].pages - 1
    assert vp[last - 1]["text"].startswith("缺") and "二季度专题会" in vp[last - 1]["text"]
    assert "缺佐证材料的 1 件" in vp[-2]["text"]  # 备考表


def test_spine_labels_per_box_and_no_full_id_is_printed(book):
    binder, pages = book
    for v, vp in zip(binder.volumes, _volume_pages(binder, pages), strict=True):
        spine = vp[-1]
        labels = [r for r in spine["rects"] if abs(r["height"] / MM - 220) < 0.01]
        assert [round(r["width"] / MM, 2) for r in labels] == [float(b.width_mm) for b in v.boxes] == [20.0]
        words = spine["text"].replace("\n", "")
        for value in ("全宗号", "Z109", "保管期限", v.shown, "起止件号", f"1—{len(v.pieces)}", "盒号"):
            assert value in words, value
    text = "\n".join(p["text"] for p in pages)
    assert ID not in text and not re.search(r"\d{17}[\dX]", text)
    assert ID[:4] in text  # the masked number is there, its middle hidden


def _pieces(*pages):
    return [Piece(n, LEDGERS[0], [{}], [], "t", pages=p) for n, p in enumerate(pages, start=1)]


def test_a_volume_is_boxed_by_thickness_and_a_piece_never_spans_two_boxes():
    v = Volume("30年", _pieces(150, 150, 100, 30), front_pages=3)
    boxes = boxes_of(v, tail_pages=1)
    # 3 + 150 + 150 = 303 ≤ 360; + 100 would pass it: a second box of 100 + 30 + 1 (the 备考表)
    assert [(b.first, b.last, b.pages, b.width_mm) for b in boxes] == [(1, 2, 303, 40), (3, 4, 131, 20)]
    assert all(b.pages <= BOX_PAGES[b.width_mm] for b in boxes)
    alone = boxes_of(Volume("10年", _pieces(500), front_pages=2), tail_pages=1)
    assert [(b.first, b.last, b.width_mm, b.overfull) for b in alone] == [(1, 1, 40, True)]


def test_the_demo_binder_files_by_retention_as_set(tmp_path):
    """The demo's 894 件 were mostly single persons of rosters: now a roster is one 件, and a 保管期限 changed in 设置
    moves its ledger's 件 into that volume and prints the class, never the settings' dict."""
    from fazhi_desktop.services.demo import load_demo
    from fazhi_desktop.storage.database import open_database

    db = open_database(tmp_path / "demo.sqlite3")
    load_demo(db.engine)
    with db.engine.begin() as conn:
        unit = retention.set_classes(conn, get_unit(conn), {"dispute": "永久"}, "测试员")
    with db.engine.connect() as conn:
        binder = gather(conn, unit, 2023)
    db.dispose()
    out = write_binder(binder, fonts_for(roles=ROLES), tmp_path / "demo.pdf")
    pages = _read(out)
    covers = [vp[0]["text"] for vp in _volume_pages(binder, pages)]
    assert all("{" not in c for c in covers) and "保管期限：永久" in covers[0]
    assert {p.ledger.key for p in binder.volumes[0].pieces} == {"document", "dispute"}
    assert sum(1 for p in binder.pieces if p.ledger.one_piece) == 3  # 领导小组、阵地、法治人才: one 件 each
    assert len(binder.pieces) < 200
    private = {str(r.get(f.key)) for p in binder.pieces for r in p.records for f in p.ledger.fields
               if f.private_name and r.get(f.key)}
    titles = "".join(p.title for p in binder.pieces)
    assert private and not [name for name in private if name in titles]
    notes = [vp[-2]["text"] for vp in _volume_pages(binder, pages)]
    assert all("未设置全宗号" in n for n in notes)  # no 档号 made without one, and the 备考表 says why
    for v, vp in zip(binder.volumes, _volume_pages(binder, pages), strict=True):
        toc = "".join(p["text"] for p in vp[1:v.front_pages]).replace(" ", "").replace("\n", "")
        assert "".join(COLUMNS_2015) in toc
        for piece in v.pieces:  # the 归档章 on every 件's first page
            cells = [r for r in vp[piece.first_page - 1]["rects"]
                     if abs(r["width"] / MM - 15) < 0.01 and abs(r["height"] / MM - 8) < 0.01]
            assert len(cells) == 6, (v.shown, piece.number)
        labels = [r for p in vp if p["text"].startswith("档案盒脊背标签") for r in p["rects"]
                  if abs(r["height"] / MM - 220) < 0.01]
        assert [round(r["width"] / MM, 2) for r in labels] == [float(b.width_mm) for b in v.boxes]


def test_the_binder_command(tmp_path, data_dir):
    from clikit import run_cli

    env = {"FAZHI_DATA_DIR": str(data_dir)}
    db = str(tmp_path / "d.sqlite3")
    assert run_cli("--db", db, "demo", env=env).returncode == 0
    out = tmp_path / "汇编.pdf"
    proc = run_cli("--db", db, "binder", "--year", "2023", "--out", str(out), "--ledger", "会议台账",
                   "--fonds", "Z109", env=env)
    assert proc.returncode == 0 and "台账汇编" in proc.stdout and "定期30年" in proc.stdout, proc.stderr
    with pdfplumber.open(out) as pdf:
        assert "会议台账" in pdf.pages[2].extract_text() and len(pdf.pages) >= 5
        assert "Z109-WS·2023-D30-0001" in pdf.pages[1].extract_text().replace("\n", "")


def test_a_camera_photo_is_decoded_at_its_printed_size_and_embedded_as_a_binary_jpeg(svc, db, unit, tmp_path,
                                                                                      monkeypatch):
    """#38: a 4000×3000 photo printed across the page (956×717 pixels at 150 dpi) decodes at 1000×750, the JPEG
    scale that covers it (1/16 of its pixels; it decoded at 2000×1500 before). Turned upright by its EXIF it prints
    taller (881×1175) and needs 2000×1500. Each goes into the PDF as a JPEG stream in binary (it was
    ASCII85-encoded by reportlab in pure Python: a sixth of the binder's time, and a quarter larger). No photo's
    decoded image outlives its page (a reference cycle kept each until Python's collector came by: 220 MB at 300
    photos)."""
    import gc

    from PIL import Image, JpegImagePlugin
    from pypdf import PdfReader
    from reportlab import rl_config
    from reportlab.lib.utils import ImageReader

    meeting = svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "一季度专题会"}).id
    for name, turned in (("wide.jpg", False), ("side.jpg", True)):
        exif = Image.Exif()
        if turned:
            exif[0x0112] = 6  # stored landscape, shown portrait
        Image.linear_gradient("L").resize((4000, 3000)).convert("RGB").save(tmp_path / name, "JPEG", exif=exif)
        attachments.add(db.engine, unit.id, "meeting", meeting, tmp_path / name, "李文书")
    decoded = []
    real = JpegImagePlugin.JpegImageFile.draft

    def draft(self, mode, size):
        result = real(self, mode, size)
        decoded.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", draft)
    a85 = rl_config.useA85
    with db.engine.connect() as conn:
        binder = gather(conn, unit, 2023)
    gc.collect()
    gc.disable()  # only the binder's own collection runs: what it leaves behind stays to be counted
    try:
        out = write_binder(binder, fonts_for(roles=ROLES), tmp_path / "binder.pdf")
        left = sum(isinstance(o, ImageReader) for o in gc.get_objects())
    finally:
        gc.enable()
    assert left == 0  # each photo's decoded image freed as the next is drawn, not at the collector's leisure
    assert sorted(decoded) == [(1000, 750), (2000, 1500)]
    assert rl_config.useA85 == a85  # the setting is the binder's own, put back after it
    data = out.read_bytes()
    assert b"/DCTDecode" in data and b"/ASCII85Decode" not in data
    sizes = sorted((img.image.width, img.image.height) for page in PdfReader(out).pages for img in page.images)
    assert sizes == [(881, 1175), (956, 717)]  # printed at 150 dpi; the turned one stands upright
