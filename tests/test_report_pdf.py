"""The annual report as PDF: content from the ledgers, GB/T 9704 layout measured from glyph positions, fonts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pypdf import PdfReader
from reportkit import (
    CHAR,
    LEFT,
    MM,
    PAGE_H,
    PAGE_W,
    PITCH,
    RIGHT,
    TEXT_BOTTOM,
    is_full_width,
    open_pdf,
    page_lines,
    page_number_chars,
    pdf_text,
    slot,
    text,
)

from fazhi_desktop.reports.model import Document, Paragraph, Span
from fazhi_desktop.reports.render import write_report
from fazhi_desktop.reports.render.pdf import render_pdf
from fazhi_desktop.reports.typeset.fonts import FontSet
from fazhi_desktop.reports.typeset.layout import HANGING, NO_END, NO_START
from fazhi_desktop.services import stats
from fazhi_desktop.services.units import get_unit

TOL = 1 * MM


@pytest.fixture(scope="module")
def fonts():
    return FontSet(search_system=False)


@pytest.fixture(scope="module")
def demo_pdf(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
    result = write_report(demo_db.engine, unit, 2023, path)
    assert result.pages >= 3 and result.warnings == []
    return path


@pytest.fixture(scope="module")
def demo_text(demo_pdf):
    """The report's running text: page numbers (— 3 —) dropped, since a page may break inside a sentence."""
    with open_pdf(demo_pdf) as pdf:
        return re.sub(r"—\d+—", "", pdf_text(pdf))


@pytest.fixture(scope="module")
def demo_stats(demo_db):
    with demo_db.engine.connect() as conn:
        return stats.compute(conn, get_unit(conn), 2023)


def test_states_every_seed_fact(demo_text, demo_stats):
    s = demo_stats
    for fragment in [
        "关于上报肖咀镇2023年法治政府建设工作的报告", "县法治办：", "中共肖咀镇委员会", "2024年3月20日",
        "县法治办〔2023〕16号、35号、〔2024〕1号",  # the draft's （2023） in 六角括号 (GB/T 9704 7.2.4)
        f"法治建设专题会议{s['org.special_meetings']}次", f"制度文件{s['org.documents']}份",
        f"中心组集体学法{s['study.center_group']}次", f"干部群众共同学法{s['study.joint']}次",
        f"{s['law_report.village_secretaries']}名村党组织书记", f"活动{s['publicity.ten_entries']}场次",
        f"普法宣传会议{s['publicity.meetings']}场次", f"法律宣传活动{s['publicity.campaigns']}场次",
        "宣传资料3500多份", f"悬挂横幅{s['publicity.banners']}条", f"学法带头人{s['talent.law_leaders']}名",
        "法律明白人680余人", "县金桥律师事务所", "2024年1月", "寨子村", "铁赵村", "各村均已建成公共法律服务工作室",
        f"司法部反馈的问题{s['rectification.total']}个",
        "镇村组三级干部会", "护林防火会", "安全生产会", "产业培训会",
        "进机关", "进企业", "进学校", "进乡村", "进家庭",
    ]:
        assert fragment in demo_text, fragment
    for law in ("宪法", "民法典", "反有组织犯罪法", "社区矫正法", "扫黑除恶", "禁毒法", "反电信网络诈骗法",
                "道路交通安全法", "食品安全法"):
        assert law in demo_text, law
    # The seed's figures, written as the seed writes them (checked independently of the code's own formatting).
    assert "4次" in demo_text and "17场次" in demo_text and "43名" in demo_text


def test_disputes_by_category_and_colour_once_under_part_one(demo_text, demo_stats):
    """The year's figures belong to 一、工作开展情况 and are stated once; 打算 keeps only what comes next."""
    part_one = demo_text[demo_text.index("一、工作开展情况"):demo_text.index("二、当前存在的主要问题")]
    plans = demo_text[demo_text.index("三、未来的工作打算"):]
    for cat, n in demo_stats["disputes.by_category"].items():
        if n:
            assert f"{cat}{n}件" in part_one and demo_text.count(f"{cat}{n}件") == 1
    for colour, name in (("红", "红色"), ("黄", "黄色"), ("绿", "绿色")):
        assert f"{name}{demo_stats['disputes.by_risk'][colour]}件" in part_one
    assert "矛盾纠纷" in plans and "分类定级" in plans and "调处率" not in plans


def test_page_size_and_fonts_embedded(demo_pdf):
    reader = PdfReader(demo_pdf)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(PAGE_W, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(PAGE_H, abs=0.5)
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "STSong" not in str(font["/BaseFont"])
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]


def test_grid_margins_and_lines(demo_pdf):
    with open_pdf(demo_pdf) as pdf:
        pages = pdf.pages
        for n, page in enumerate(pages):
            lines = page_lines(page)
            slots = [slot(line) for line in lines]
            # Every line sits exactly on the 22-line grid that starts 37 mm from the top.
            for s in slots:
                assert abs(s - round(s)) < 0.05, s
            slots = [round(s) for s in slots]
            assert min(slots) >= 0 and max(slots) <= 21
            if n < len(pages) - 1:
                expected = set(range(22)) - ({2} if n == 0 else set())  # the blank line under the title
                following = page_lines(pages[n + 1])
                # A page may end early only to keep a heading with its text, or so that the signature does not
                # stand on a page without body text (the last body line goes over with it).
                kept_heading = text(following[0]).startswith(("一、", "二、", "三、", "四、", "五、"))
                carried = n + 1 == len(pages) - 1 and len(following) <= 4 and "2024年3月20日" in map(text, following)
                assert set(slots) == expected or kept_heading or carried, (n, slots)
            for line in lines:
                if line[0]["size"] != 16:
                    continue
                # Left margin 28 mm (continuation lines) or 2 characters of indent; never left of the margin. Only a
                # comma or full stop may hang in the right margin, right after a character that ends at the margin.
                assert line[0]["x0"] >= LEFT - TOL
                body = line[:-1] if line[-1]["text"] in HANGING and line[-1]["x0"] >= PAGE_W - RIGHT - TOL else line
                assert body[-1]["x1"] <= PAGE_W - RIGHT + TOL
        bottom_line = page_lines(pages[0])[-1]
        assert bottom_line[0]["bottom"] <= TEXT_BOTTOM + TOL
        assert (bottom_line[0]["top"] + bottom_line[0]["bottom"]) / 2 == pytest.approx(TEXT_BOTTOM - PITCH / 2 - 0.9, abs=TOL)


def test_full_lines_fill_the_width_with_28_cells(demo_pdf):
    full = hung = 0
    with open_pdf(demo_pdf) as pdf:
        for page in pdf.pages:
            lines = page_lines(page)
            for line in lines[:-1]:  # a paragraph's last line is never full-justified
                if line[-1]["text"] in HANGING and line[-1]["x0"] >= PAGE_W - RIGHT - TOL:
                    line = line[:-1]  # the mark hanging in the margin is outside the 28 cells
                    hung += 1
                if line[0]["size"] != 16 or line[-1]["x1"] < PAGE_W - RIGHT - TOL:
                    continue
                full += 1
                assert line[-1]["x1"] == pytest.approx(PAGE_W - RIGHT, abs=TOL)
                start = LEFT + (2 * CHAR if abs(line[0]["x0"] - LEFT - 2 * CHAR) < 2 else 0)
                cells = sum(1 if is_full_width(c) else 0.5 for c in line)
                assert cells <= 28 - (start - LEFT) / CHAR + 0.01
                # Break rules (避头尾, numbers kept whole) may push a few cells to the next line; never more.
                assert cells >= 28 - (start - LEFT) / CHAR - 6, text(line)
    assert full > 40 and hung >= 1


def test_title_body_and_heading_fonts(demo_pdf):
    with open_pdf(demo_pdf) as pdf:
        chars = pdf.pages[0].chars
    title = [c for c in chars if c["size"] == 22]
    assert "".join(c["text"] for c in title) == "关于上报肖咀镇2023年法治政府建设工作的报告"
    assert all("FandolSong-Bold" in c["fontname"] for c in title)
    top_lines = sorted({round(c["top"]) for c in title})
    for line_top in top_lines:  # centred
        row = [c for c in title if round(c["top"]) == line_top]
        assert (row[0]["x0"] + row[-1]["x1"]) / 2 == pytest.approx(PAGE_W / 2 + (LEFT - RIGHT) / 2, abs=TOL)
    body = [c for c in chars if c["size"] == 16]
    assert {c["fontname"].split("+")[-1] for c in body} >= {"FandolFang-Regular", "FandolHei-Regular", "FandolKai-Regular"}
    heading = [c for c in body if "Hei" in c["fontname"]]
    assert "".join(c["text"] for c in heading).startswith("一、工作开展情况")
    kai = "".join(c["text"] for c in body if "Kai" in c["fontname"])
    assert kai.startswith("（一）加强组织领导，夯实法治建设基础。")


def test_addressee_flush_left(demo_pdf):
    with open_pdf(demo_pdf) as pdf:
        lines = page_lines(pdf.pages[0])
    addressee = next(line for line in lines if text(line).startswith("县法治办"))
    assert text(addressee) == "县法治办："
    assert addressee[0]["x0"] == pytest.approx(LEFT, abs=TOL)
    assert round(slot(addressee)) == 3  # title on two lines, one blank line, then the addressee


def test_page_numbers(demo_pdf):
    with open_pdf(demo_pdf) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            chars = page_number_chars(page)
            assert "".join(c["text"] for c in chars) == f"— {n} —"
            assert all(c["size"] == 14 and "Song" in c["fontname"] for c in chars)
            assert chars[0]["top"] == pytest.approx(TEXT_BOTTOM + 7 * MM, abs=TOL)
            if n % 2:
                assert chars[-1]["x1"] == pytest.approx(PAGE_W - RIGHT - 14, abs=TOL)
            else:
                assert chars[0]["x0"] == pytest.approx(LEFT + 14, abs=TOL)


def test_signature_block(demo_pdf):
    with open_pdf(demo_pdf) as pdf:
        lines = page_lines(pdf.pages[-1])
    date = next(line for line in lines if text(line) == "2024年3月20日")
    name = next(line for line in lines if text(line) == "中共肖咀镇委员会")
    assert date[-1]["x1"] == pytest.approx(PAGE_W - RIGHT - 4 * CHAR, abs=TOL)  # 右空四字
    assert (name[0]["x0"] + name[-1]["x1"]) / 2 == pytest.approx((date[0]["x0"] + date[-1]["x1"]) / 2, abs=TOL)
    assert round(slot(date)) == round(slot(name)) + 1
    body_above = [line for line in lines if slot(line) < slot(name)]
    assert round(slot(name)) - round(slot(body_above[-1])) == 3  # two blank lines of room for the seal


def test_no_line_starts_or_ends_with_a_forbidden_mark(demo_pdf):
    with open_pdf(demo_pdf) as pdf:
        for page in pdf.pages:
            for line in page_lines(page):
                t = text(line)
                assert t[0] not in NO_START, t
                assert t[-1] not in NO_END, t


def _render(tmp_path, fonts, paragraphs, name="t.pdf", **doc):
    document = Document(title=doc.get("title", "测试"), addressee="", paragraphs=paragraphs, issuers=[],
                        date=doc.get("date"))
    path = tmp_path / name
    result = render_pdf(document, path, fonts)
    with open_pdf(path) as pdf:
        lines = [text(line) for p in pdf.pages for line in page_lines(p)]
    return result, lines


@pytest.mark.parametrize("mark", list("，。、；：？！）》」』】”’%…"))
def test_forbidden_line_start_is_pushed_out(tmp_path, fonts, mark):
    # 26 characters fill the indented first line exactly; the mark would start the second line.
    para = "法" * 26 + mark + "治" * 10
    _, lines = _render(tmp_path, fonts, [Paragraph([Span(para)])])
    body = lines[1:]  # after the one-line title (the blank line has no glyphs)
    assert not body[1].startswith(mark)
    if mark in "，。、；：？！":  # these hang in the margin instead, as LibreOffice (zh_CN) and the office suites do
        assert body[0] == "法" * 26 + mark and body[1].startswith("治")
    else:
        assert body[0].endswith("法") and body[1].startswith("法" + mark)


@pytest.mark.parametrize("mark", list("（《「『【“‘"))
def test_forbidden_line_end_is_pushed_down(tmp_path, fonts, mark):
    para = "法" * 25 + mark + "治" * 10
    _, lines = _render(tmp_path, fonts, [Paragraph([Span(para)])])
    assert not lines[1].endswith(mark)
    assert lines[2].startswith(mark)


def test_pure_text_lines_hold_28_characters(tmp_path, fonts):
    _, lines = _render(tmp_path, fonts, [Paragraph([Span("依" * 100)])])
    body = lines[1:]
    assert [len(t) for t in body] == [26, 28, 28, 18]


def test_rare_characters_fall_back_and_are_reported(tmp_path, fonts):
    fs = FontSet(search_system=False)
    result, lines = _render(tmp_path, fs, [Paragraph([Span("调解员王喆、李堃、张旻、赵珺、刘祎。")])], name="rare.pdf")
    assert "王喆、李堃、张旻、赵珺、刘祎" in "".join(lines)
    assert any(all(ch in w for ch in "喆堃旻珺祎") for w in result.warnings)
    with open_pdf(tmp_path / "rare.pdf") as pdf:
        used = {c["text"]: c["fontname"] for c in pdf.pages[0].chars}
    assert "DroidSansFallback" in used["喆"] and "Fandol" in used["调"]


def test_heading_never_ends_a_page(tmp_path, fonts):
    filler = [Paragraph([Span("字" * 26)]) for _ in range(19)]  # title, blank, then 19 lines: slot 21 is free
    paragraphs = [*filler, Paragraph([Span("一、标题", 1)], level=1, keep_with_next=True), Paragraph([Span("正文")])]
    path = tmp_path / "keep.pdf"
    render_pdf(Document("测试", "", paragraphs, [], None), path, fonts)
    with open_pdf(path) as pdf:
        first, second = (page_lines(p) for p in pdf.pages[:2])
    assert text(first[-1]) != "一、标题"
    assert text(second[0]) == "一、标题" and text(second[1]) == "正文"


def test_empty_year_report_invents_no_numbers(db, unit, tmp_path):
    """Nothing recorded: no invented figure, no placeholder, no claim of work or progress, and still a 成文日期 under
    the issuer; what it does say is true."""
    path = tmp_path / "empty.pdf"
    write_report(db.engine, unit, 2023, path)
    with open_pdf(path) as pdf:
        flat = pdf_text(pdf)
    for phrase in ("暂无", "本部分由", "填报人", "取得了新的进展", "亲自部署", "（一）", "一、工作开展情况", "认真履行"):
        assert phrase not in flat, phrase
    assert "台账" not in flat and "尚未落实" in flat  # nothing about the program's own records (#34 point 8)
    assert re.search(r"中共测试镇委员会\d{4}年\d{1,2}月\d{1,2}日", flat)
    numbers_in_text = re.findall(r"\d+", flat.replace("2023", "").split("—1—")[0].split("中共测试镇委员会")[0])
    assert numbers_in_text == [], numbers_in_text


def test_template_choice_and_unknown_template(demo_db, tmp_path):
    from fazhi_desktop.domain.errors import UserError

    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
    path = tmp_path / "five.pdf"
    write_report(demo_db.engine, unit, 2023, path, template="督察规定五项")
    with open_pdf(path) as pdf:
        t = pdf_text(pdf)
    for heading in ("一、主要举措和成效", "二、存在的不足和原因", "三、党政主要负责人履行推进法治建设第一责任人职责情况",
                    "四、下一年度推进法治政府建设的主要安排", "五、其他需要报告的情况"):
        assert heading in t
    with pytest.raises(UserError, match="没有名为"):
        write_report(demo_db.engine, unit, 2023, tmp_path / "x.pdf", template="不存在")


def test_clerk_section_text_replaces_the_generated_one(db, unit, tmp_path):
    from fazhi_desktop.services import reports_text

    with db.engine.begin() as conn:
        reports_text.save_report_text(conn, unit, 2023, {
            "doc_date": dt.date(2024, 2, 1), "sections": {"org": "镇党委把法治建设列入全年重点工作。\n第二段文字。"},
            "problems": ["问题甲。", "问题乙。"]}, "测试员")
    path = tmp_path / "own.pdf"
    write_report(db.engine, unit, 2023, path)
    with open_pdf(path) as pdf:
        t = pdf_text(pdf)
    # The only part of 一、: its heading carries no lone （一）.
    assert "一、工作开展情况加强组织领导，夯实法治建设基础。镇党委把法治建设列入全年重点工作。第二段文字。" in t
    assert "（一）" not in t
    assert "一是问题甲。二是问题乙。" in t
    assert "2024年2月1日" in t


def test_font_chosen_in_settings_is_used(db, unit, tmp_path):
    from fazhi_desktop.reports.typeset.fonts import bundled_dir
    from fazhi_desktop.services import local

    local.save(db, fonts={"heiti": str(bundled_dir() / "FandolKai-Regular.ttf")})
    path = tmp_path / "chosen.pdf"
    write_report(db.engine, unit, 2023, path, fonts=local.fonts(db))
    with open_pdf(path) as pdf:
        heading = [c for c in pdf.pages[0].chars if c["text"] == "一" and abs(c["size"] - 16) < 0.01]
    assert heading and all("FandolKai" in c["fontname"] for c in heading[:1])


def test_unit_wording_of_a_template_is_used_and_checked(db, unit, svc, tmp_path):
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.reports.content.builder import check_template, template_source
    from fazhi_desktop.services.units import update_settings

    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    source = template_source(unit, "三段式").replace("加强组织领导，夯实法治建设基础", "强化组织保障，筑牢法治根基")
    with db.engine.connect() as conn:
        with pytest.raises(UserError, match="模板程序写法"):
            check_template(conn, unit, 2023, "三段式", source + "{% if %}")
        with pytest.raises(UserError, match="没有名为「没有的数字」"):
            check_template(conn, unit, 2023, "三段式", source + "{没有的数字}")
        check_template(conn, unit, 2023, "三段式", source)
    with db.engine.begin() as conn:
        unit = update_settings(conn, unit, {"templates": {"三段式": source}}, "测试员")
    path = tmp_path / "own-template.pdf"
    write_report(db.engine, unit, 2023, path)
    with open_pdf(path) as pdf:
        text = pdf_text(pdf)
    assert "一、工作开展情况强化组织保障，筑牢法治根基。" in text and "夯实法治建设基础" not in text


def test_templates_cannot_reach_python_internals(db, unit):
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.reports.content.builder import check_template

    with db.engine.connect() as conn, pytest.raises(UserError):
        check_template(conn, unit, 2023, "三段式", "{{ unit.__class__.__mro__[1].__subclasses__() }}")


def _laid_out(engine, unit, year: int, template: str):
    from fazhi_desktop.reports.content.builder import build_document
    from fazhi_desktop.reports.render import fonts_for
    from fazhi_desktop.reports.typeset.layout import Layout

    with engine.connect() as conn:
        doc = build_document(conn, unit, year, template)
    return doc, Layout(fonts_for()).run(doc)


@pytest.mark.parametrize("template", ["三段式", "督察规定五项"])
@pytest.mark.parametrize("year", [2023, 2022, 2021])  # full, thinner, empty
def test_no_heading_ends_a_page_no_line_alone_and_every_text_once(demo_db, template, year):
    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
    doc, pages = _laid_out(demo_db.engine, unit, year, template)
    for page in pages[:-1] if len(pages) > 1 else []:
        body = [ln for ln in page.lines if ln.kind in ("body", "heading")]
        assert body[-1].kind != "heading", (page.number, body[-1].text)
        assert not body[-1].text.startswith(("一、", "二、", "三、", "四、", "五、")) or body[-1].kind == "body"
    by_para: dict[int, list[int]] = {}
    for page in pages:
        for ln in page.lines:
            if ln.para is not None and ln.kind == "body":
                by_para.setdefault(ln.para, []).append(page.number)
    for para, page_numbers in by_para.items():
        parts = [page_numbers.count(n) for n in dict.fromkeys(page_numbers)]
        if len(parts) > 1:
            assert min(parts) >= 2, (para, parts, doc.paragraphs[para].text[:30])
    texts = [p.text for p in doc.paragraphs if len(p.text) > 20]
    assert len(texts) == len(set(texts)), "a paragraph is printed twice"
    last_page = [ln for ln in pages[-1].lines if ln.kind in ("body", "heading")]
    assert last_page and last_page[-1].kind == "body"  # the 落款 never stands alone


def test_joint_issuers_stand_side_by_side_in_pdf_and_docx(tmp_path):
    import datetime as dt

    import docx as python_docx

    from fazhi_desktop.reports.model import Document, Paragraph, Span
    from fazhi_desktop.reports.render.docx import render_docx
    from fazhi_desktop.reports.render.pdf import render_pdf

    doc = Document("关于测试的报告", "县法治办", [Paragraph([Span("正文。" * 20)])],
                   ["中共肖咀镇委员会", "肖咀镇人民政府"], dt.date(2024, 3, 20))
    render_pdf(doc, tmp_path / "j.pdf")
    with open_pdf(tmp_path / "j.pdf") as pdf:
        words = pdf.pages[-1].extract_words()
    left = next(w for w in words if w["text"].startswith("中共肖咀镇委员会"))
    right = next(w for w in words if "肖咀镇人民政府" in w["text"])
    date = next(w for w in words if w["text"].startswith("2024年"))
    assert abs(left["top"] - right["top"]) < 2 and left["x1"] < right["x0"]  # one line, in order
    assert date["top"] > right["top"] and abs((right["x0"] + right["x1"]) / 2 - (date["x0"] + date["x1"]) / 2) < 20
    render_docx(doc, tmp_path / "j.docx")
    paras = [p for p in python_docx.Document(tmp_path / "j.docx").paragraphs if "肖咀镇人民政府" in p.text]
    assert len(paras) == 1 and paras[0].text == "\t中共肖咀镇委员会\t肖咀镇人民政府"
    assert len(paras[0].paragraph_format.tab_stops) == 2


@pytest.mark.parametrize(("name", "kind", "phrase"), [("东风乡", "乡", "乡党委、政府"), ("城关街道", "街道", "街道党工委、办事处"),
                                                      ("某某镇", "镇", "镇党委、政府")])
def test_unit_kind_follows_the_name_when_not_given(tmp_path, name, kind, phrase):
    from clikit import run_cli

    db = tmp_path / "k.sqlite3"
    made = run_cli("--db", str(db), "init", "--unit", name, "--county", "某县", "--addressee", "县法治办",
                   "--issuer", f"中共{name}委员会", "--villages", "东村")
    assert made.returncode == 0, made.stderr
    from fazhi_desktop.services.units import get_unit
    from fazhi_desktop.storage.database import open_database

    database = open_database(db)
    with database.engine.begin() as conn:
        unit = get_unit(conn)
        from fazhi_desktop.services.records import RecordService

        svc = RecordService(database.engine, unit, "测试员")
        svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
        svc.create("leading_group", {"year": 2023, "name": "王某", "post": "书记", "role": "组长"})
    database.dispose()
    assert unit.kind == kind
    out = tmp_path / "k.pdf"
    assert run_cli("--db", str(db), "report", "--year", "2023", "--out", str(out)).returncode == 0
    with open_pdf(out) as pdf:
        text = pdf_text(pdf)
    assert phrase in text


def test_reviews_are_attributed_to_everyone_the_count_includes(db, unit, svc):
    """The handlers named are those of the reviews the indicator counts (合同审查 included), no fewer."""
    from fazhi_desktop.reports.content.builder import build_document

    svc.create("counsel_service", {"date": "2023-04-01", "kind": "合同审查", "title": "租赁合同", "handler": "经管站"})
    svc.create("counsel_service", {"date": "2023-05-01", "kind": "规范性文件合法性审查", "title": "村规民约",
                                   "handler": "司法所"})
    with db.engine.connect() as conn:
        text = build_document(conn, unit, 2023).plain_text()
    assert "由经管站、司法所开展合法性审查2件" in text


def test_a_rare_character_is_drawn_from_the_fallback_font_loaded_when_first_met():
    """#38 loads the fallback font only when a character needs it; a name with 喆 must still print, and be told."""
    from fazhi_desktop.reports.render import fonts_for

    fonts = fonts_for(roles=("songti",))
    main = fonts.names["songti"]
    assert fonts.font_for("songti", "法") == main and not fonts.fallback_chars
    drawn = fonts.font_for("songti", "喆")
    assert drawn != main and drawn == fonts.fallback and fonts.fallback_chars == {"喆"}
    assert "喆" in fonts.warnings()[0]
