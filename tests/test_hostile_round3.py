"""Hostile input, round 3 (issue #24): the workbook guard fails closed and the reader runs in a box; templates render
in a box; the history proves itself against edits, truncation, reordering and direct changes to records."""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest
from clikit import run_cli
from dbkit import live_meetings
from hostile_files import BYPASSES, _cell, header_row, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hostile_inputs import run_limited

from fazhi_desktop.domain.errors import UserError, ValidationError
from fazhi_desktop.exchange import reader
from fazhi_desktop.exchange.plan import plan_import
from fazhi_desktop.exchange.writer import write_template
from fazhi_desktop.runtime import child
from fazhi_desktop.services import reports_text
from fazhi_desktop.services.units import get_unit, update_settings
from fazhi_desktop.storage import audit_chain
from fazhi_desktop.storage.database import open_database


@pytest.fixture
def target(tmp_path, data_dir) -> Path:
    path = tmp_path / "fazhi.sqlite3"
    proc, _ = run_limited("--db", str(path), "init", "--unit", "甲镇", "--county", "某县", "--addressee", "县法治办",
                          "--issuer", "甲镇", "--villages", "东村", data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr
    return path


# 1. The guard fails closed ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", list(BYPASSES))
def test_guard_bypasses_are_refused_in_bounded_time_and_memory(case, target, tmp_path, data_dir):
    make, expected = BYPASSES[case]
    book = make(tmp_path / "村里发来的.xlsx")
    assert book.stat().st_size < 100 * 1024
    proc, seconds = run_limited("--db", str(target), "import", str(book), data_dir=data_dir)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "无法导入" in proc.stderr and expected in proc.stderr, proc.stderr
    assert seconds < 20
    assert live_meetings(target) == 0


def test_the_reader_itself_is_boxed_by_memory_and_time(tmp_path, monkeypatch):
    """Whatever the guard lets through, the reader runs in a child that is stopped at its limits — with a message.
    Here: 3,000 cells sharing one 32,767-character text (Excel's own maximum, so the guard passes it) expand to
    about 100 million characters in the reader."""
    from hostile_files import parts_of, write_parts

    from fazhi_desktop.exchange import guard

    book = write_xlsx(tmp_path / "big.xlsx", header_row() + "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(2, 3002)))
    parts = parts_of(book)
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
                                     b'.org/spreadsheetml/2006/main"><si><t>' + b"a" * 32767 + b"</t></si></sst>")
    write_parts(book, parts)
    shapes = guard.inspect(book, lambda name: True)
    monkeypatch.setattr(reader, "MEMORY_MB", 160)
    with pytest.raises(UserError, match="内存"):
        reader.read_workbook(book, shapes)
    monkeypatch.setattr(reader, "MEMORY_MB", 2048)
    monkeypatch.setattr(reader, "SECONDS", 0.05)
    with pytest.raises(UserError, match="秒仍未完成"):
        reader.read_workbook(book, shapes)
    monkeypatch.setattr(reader, "SECONDS", 120.0)
    # Within its limits the child reads it, and then refuses to hand it over: no field holds 32,767 characters, and
    # the program's own process would hold all 100 million (#33 M9).
    with pytest.raises(UserError, match="超过任何一栏能存的"):
        reader.read_workbook(book, shapes)


def test_a_child_that_asks_for_too_much_is_stopped_not_the_caller():
    with pytest.raises(child.ChildFailed) as failed:
        child.run("render-template", {"unit": None}, seconds=0.01, memory_mb=512)
    assert failed.value.reason == "time"


def _mutated(template: bytes, rng: random.Random) -> bytes:
    with zipfile.ZipFile(io.BytesIO(template)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = rng.choice(sorted(parts))
    data = bytearray(parts[name])
    for _ in range(rng.randint(1, 4)):
        move = rng.random()
        pos = rng.randrange(len(data) + 1)
        if move < 0.3 and data:
            del data[pos:pos + rng.randint(1, 50)]
        elif move < 0.6:
            data[pos:pos] = rng.choice([b'r="XFD1048576"', b"<!DOCTYPE x>", b"\x00", b"</", b'r="A0001"', b"<c>",
                                        b"<f>1</f>", b'<mergeCell ref="A1:A99999"/>', bytes([rng.randrange(256)])])
        elif data:
            data[min(pos, len(data) - 1)] = rng.randrange(256)
    parts[name] = bytes(data)
    if rng.random() < 0.2:
        parts[name.upper()] = parts[name]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    return out.getvalue()


@settings(max_examples=int(os.environ.get("FAZHI_FUZZ_EXAMPLES", "25")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_templates_never_abort_the_process(seed, tmp_path_factory):
    """A corpus of workbooks fuzzed from the import template: each is refused with a message or imported."""
    work = tmp_path_factory.mktemp("fuzz")
    template = write_template(work / "模板.xlsx", None).read_bytes()
    book = work / "变异.xlsx"
    book.write_bytes(_mutated(template, random.Random(seed)))
    db = open_database(work / "f.sqlite3")
    try:
        plan_import(db.engine, book)
    except (UserError, ValidationError):
        pass
    finally:
        db.dispose()


# 2. Templates render in a box -------------------------------------------------------------------------------------

HANGING_TEMPLATES = {
    "a tower of integer powers": "{{ (10 ** 999) ** 999 }}",
    "lipsum(10**8)": "{{ lipsum(10 ** 8) }}",
}


@pytest.mark.parametrize("case", list(HANGING_TEMPLATES))
def test_hanging_templates_are_refused_at_save_and_when_they_arrive(case, demo_db, tmp_path, data_dir):
    from fazhi_desktop.reports.content.builder import check_template
    from fazhi_desktop.storage import backups

    source = HANGING_TEMPLATES[case]
    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        started = dt.datetime.now()
        with pytest.raises(UserError, match="模板"):
            check_template(conn, unit, 2023, "三段式", source)
        assert (dt.datetime.now() - started).total_seconds() < 30
    # The same wording arriving in a restored backup's unit settings: report ends with a message.
    path = tmp_path / "arrived.sqlite3"
    backups.backup_sqlite(demo_db.path, path)
    db = open_database(path)
    with db.engine.begin() as conn:
        update_settings(conn, get_unit(conn), {"templates": {"三段式": source}}, "测试员")
    db.dispose()
    proc, seconds = run_limited("--db", str(path), "report", "--year", "2023", "--out", str(tmp_path / "r.pdf"),
                                data_dir=data_dir, timeout=90)
    assert proc.returncode == 1 and "模板" in proc.stderr, proc.stderr
    assert seconds < 40 and not (tmp_path / "r.pdf").exists()


def test_a_jinja_template_renders_in_a_child_and_outlines_do_not(demo_db, monkeypatch):
    """An outline (shipped or the unit's own) only places values and renders here; a template in Jinja, kept by an
    earlier version or brought by a backup, still renders in a limited child."""
    from dataclasses import replace

    from fazhi_desktop.reports.content import builder

    calls = []
    real = child.run
    monkeypatch.setattr(child, "run", lambda task, value, **kw: calls.append(task) or real(task, value, **kw))
    with demo_db.engine.connect() as conn:
        unit = get_unit(conn)
        builder.build_document(conn, unit, 2023)
        outline = builder.template_source(unit, "三段式").replace("一、", "一、（本单位措辞）", 1)
        own = builder.build_document(conn, replace(unit, settings={**unit.settings, "templates": {"三段式": outline}}),
                                     2023)
        assert calls == []
        jinja = "# 一、（旧版写法）工作开展情况\n{{ parts.org }}\n"
        old = builder.build_document(conn, replace(unit, settings={**unit.settings, "templates": {"三段式": jinja}}),
                                     2023)
    assert calls == ["render-template"]
    assert any("本单位措辞" in p.text for p in own.paragraphs)
    assert any("旧版写法" in p.text for p in old.paragraphs)


# 3. The history proves itself ----------------------------------------------------------------------------------------

def _rechain(path: Path) -> None:
    """What an attacker with a SQLite tool does after editing: recompute every hash so the chain is whole again."""
    con = sqlite3.connect(path)
    prev = audit_chain.GENESIS
    for row in con.execute("SELECT id, at, actor, unit_id, ledger, record_id, action, changes, state FROM audit_log "
                           "ORDER BY id").fetchall():
        entry_id, at, *rest = row
        digest = audit_chain.entry_hash(prev, dt.datetime.fromisoformat(at), *rest)
        con.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, entry_id))
        prev = digest
    con.commit()
    con.close()


def _sql(path: Path, *statements: str) -> None:
    con = sqlite3.connect(path)
    for sql in statements:
        con.execute(sql)
    con.commit()
    con.close()


@pytest.fixture
def history(tmp_path, data_dir) -> Path:
    path = tmp_path / "demo.sqlite3"
    assert run_cli("--db", str(path), "demo", env={"FAZHI_DATA_DIR": str(data_dir)}).returncode == 0
    proc = run_cli("--db", str(path), "audit", "verify", env={"FAZHI_DATA_DIR": str(data_dir)})
    assert proc.returncode == 0 and "第" in proc.stdout, proc.stderr
    return path


TAMPERING = {
    "an entry edited and the chain recomputed": (
        lambda p: (_sql(p, "UPDATE audit_log SET actor = '别人' WHERE id = 3"), _rechain(p)), "改写过"),
    "the tail deleted": (lambda p: _sql(p, "DELETE FROM audit_log WHERE id > (SELECT max(id) - 5 FROM audit_log)"),
                         "删除过"),
    "the whole history deleted": (lambda p: _sql(p, "DELETE FROM audit_log"), "删除过"),
    "entries reordered": (lambda p: (_sql(p, "UPDATE audit_log SET id = -1 WHERE id = 4",
                                        "UPDATE audit_log SET id = 4 WHERE id = 5",
                                        "UPDATE audit_log SET id = 5 WHERE id = -1"), _rechain(p)), "改写过"),
    "a record changed directly": (lambda p: _sql(p, "UPDATE meeting SET attendees = 999 WHERE rowid = 1"),
                                  "在程序之外被改动过"),
    "a record added directly": (lambda p: _sql(p, "INSERT INTO meeting (id, unit_id, year, date, kind, title, "
                                                  "created_at, created_by, updated_at, updated_by, deleted) SELECT "
                                                  "'00000000-0000-4000-8000-000000000001', unit_id, 2023, '2023-05-01',"
                                                  " kind, '凭空多出的会议', created_at, 'x', updated_at, 'x', 0 FROM "
                                                  "meeting LIMIT 1"), "直接写入"),
    "a record deleted directly": (lambda p: _sql(p, "DELETE FROM dispute WHERE rowid = 1"), "被删除了"),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_audit_verify_names_each_kind_of_tampering(case, history, data_dir):
    tamper, expected = TAMPERING[case]
    tamper(history)
    proc = run_cli("--db", str(history), "audit", "verify", env={"FAZHI_DATA_DIR": str(data_dir)})
    assert proc.returncode == 1 and expected in proc.stderr, proc.stderr


def test_the_anchor_follows_the_programs_own_writes_and_restores(history, tmp_path, data_dir):
    env = {"FAZHI_DATA_DIR": str(data_dir)}
    book = tmp_path / "导出.xlsx"
    assert run_cli("--db", str(history), "export", str(book), env=env).returncode == 0
    fresh = tmp_path / "other.sqlite3"
    assert run_cli("--db", str(fresh), "import", str(book), env=env).returncode == 0
    assert run_cli("--db", str(fresh), "audit", "verify", env=env).returncode == 0
    backup = tmp_path / "备份.sqlite3"
    assert run_cli("--db", str(history), "backup", "--out", str(backup), env=env).returncode == 0
    assert run_cli("--db", str(history), "init", "--unit", "乙镇", "--county", "某县", "--addressee", "县法治办",
                   "--issuer", "乙镇", "--villages", "东村", env=env).returncode == 0
    assert run_cli("--db", str(history), "restore", str(backup), "--other-unit", env=env).returncode == 0
    assert run_cli("--db", str(history), "audit", "verify", env=env).returncode == 0  # restored history is the history


# 4. Smaller points --------------------------------------------------------------------------------------------------

def _roster_book(path: Path, id_number: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "法治人才名册"
    ws.append(["登记年度", "姓名", "所在村", "类别", "身份证号"])
    ws.append([2023, "张三", "东村", "法律明白人", id_number])
    wb.save(path)
    return path


def test_an_id_number_with_a_superscript_digit_is_a_cell_problem(target, tmp_path, data_dir):
    proc, _ = run_limited("--db", str(target), "import", str(_roster_book(tmp_path / "r.xlsx", "11010519491231002²")),
                          data_dir=data_dir)
    assert proc.returncode == 1 and "身份证号" in proc.stderr and "第2行" in proc.stderr, proc.stderr


def test_full_width_digits_typed_with_an_input_method_are_digits(target, tmp_path, data_dir):
    proc, _ = run_limited("--db", str(target), "import", str(_roster_book(tmp_path / "r.xlsx", "１１０１０５１９４９１２３１００２Ｘ")),
                          data_dir=data_dir)
    assert proc.returncode == 0, proc.stderr


def test_formula_cells_are_named_with_the_value_imported_or_refused_without_one(target, tmp_path, data_dir):
    rows = ('<row r="1">' + _cell("A1", "日期") + _cell("B1", "会议类型") + _cell("C1", "会议名称/议题")
            + _cell("D1", "参会人数") + "</row>"
            + '<row r="2">' + _cell("A2", "2023-03-01") + _cell("B2", "其他") + _cell("C2", "会")
            + '<c r="D2"><f>SUM(10,20)</f><v>30</v></c></row>')
    proc, _ = run_limited("--db", str(target), "import", str(write_xlsx(tmp_path / "f.xlsx", rows)), data_dir=data_dir)
    assert proc.returncode == 0 and "第2行「参会人数」是公式" in proc.stderr and "30" in proc.stderr, proc.stderr
    stale = rows.replace("<v>30</v>", "")
    proc, _ = run_limited("--db", str(target), "import", str(write_xlsx(tmp_path / "g.xlsx", stale)), data_dir=data_dir)
    assert proc.returncode == 1 and "没有保存计算结果" in proc.stderr, proc.stderr


def test_report_drafts_are_bounded(db, unit):
    with db.engine.begin() as conn, pytest.raises(ValidationError, match="过长"):
        reports_text.save_report_text(conn, unit, 2023, {"doc_date": "2024-01-05",
                                                         "sections": {"org": "很长的文字" * 2000}}, "测试员")
    with db.engine.begin() as conn, pytest.raises(ValidationError, match="最多"):
        reports_text.save_report_text(conn, unit, 2023, {"doc_date": "2024-01-05",
                                                         "problems": [f"问题{n}" for n in range(100)]}, "测试员")


def test_audit_log_and_history_never_print_a_full_id_number(svc, db, tmp_path, data_dir):
    full = "11010519491231002X"
    rid = svc.create("legal_talent", {"year": 2023, "name": "张三", "village": "东村", "category": "法律明白人",
                                      "id_number": full}).id
    svc.update("legal_talent", rid, {"id_number": "110105198001010016"})
    proc = run_cli("--db", str(db.path), "audit", "log", "--record", rid, env={"FAZHI_DATA_DIR": str(data_dir)})
    assert proc.returncode == 0 and "1101" in proc.stdout
    assert full not in proc.stdout and "110105198001010016" not in proc.stdout


# The guard's look at cell positions, made in one pass over each piece (#38): what it refuses and what it measures --

_NO_POSITION = "缺少位置信息"
_ODD_POSITION = "无法识别的单元格位置"


@pytest.mark.parametrize(("rows_xml", "says"), [
    ('<row r="2"><c t="inlineStr"><is><t>x</t></is></c></row>', _NO_POSITION),
    ('<row r="2"><c/></row>', _NO_POSITION),
    ('<row><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>', _NO_POSITION),
    # a position written on some other element does not stand in for the cell's own
    ('<row r="2"><c t="inlineStr"><is><t>x</t></is></c><foo r="B2"/></row>', _NO_POSITION),
    ('<row r="2"><c r=""/></row>', f"{_ODD_POSITION}「」"),
    ('<row r="2"><c r="A2,B3"/></row>', f"{_ODD_POSITION}「A2,B3」"),
    ('<row r="2"><c r="A 2"/></row>', f"{_ODD_POSITION}「A 2」"),
    ('<row r="2"><c r="ABCD2"/></row>', f"{_ODD_POSITION}「ABCD2」"),
    ('<row r="2"><c r="A12345678"/></row>', f"{_ODD_POSITION}「A12345678」"),
])
def test_cells_without_a_plain_position_are_refused(rows_xml, says, tmp_path):
    from fazhi_desktop.exchange import guard

    book = write_xlsx(tmp_path / "odd.xlsx", header_row() + rows_xml)
    with pytest.raises(UserError, match=says):
        guard.inspect(book, lambda name: True)


def test_the_guard_measures_the_last_row_and_column_in_use(tmp_path):
    from fazhi_desktop.exchange import guard

    rows = header_row() + "".join(f'<row r="{r}">' + _cell(f"B{r}", "x") + "</row>" for r in range(2, 40))
    rows += '<row r="123"><c r="AB123" t="inlineStr"><is><t>x</t></is></c><c r="c7"/></row>'
    (shape,) = guard.inspect(write_xlsx(tmp_path / "wide.xlsx", rows), lambda name: True)
    assert (shape.rows, shape.columns) == (123, 28)  # AB is the 28th column; lower-case letters count as upper
