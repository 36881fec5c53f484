"""County scale (#19): township packages merged into a county database in one step, idempotently, with each
township's figures its own and a 合计 that is their sum; hostile packages refused with nothing written.

The county database is SQLite here and a real PostgreSQL server in CI (``county_engine``: ``pg`` needs the
``external`` level)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from countykit import dump, packages, township
from openpyxl import load_workbook

from fazhi_desktop.exchange import package_format as pf
from fazhi_desktop.exchange.package_read import PackageError, merge_package, packages_in
from fazhi_desktop.exchange.package_write import write_package
from fazhi_desktop.services import county, stats
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.services.units import get_unit, list_units
from fazhi_desktop.storage.database import open_database


@pytest.fixture
def made(tmp_path, demo_db) -> list[Path]:
    return packages(tmp_path, demo_db)


def _merge_all(county_db, paths) -> list:
    return [merge_package(county_db.engine, p, "县法治办") for p in paths]


def test_three_townships_merge_in_one_step_and_again_changes_nothing(county_db, made, tmp_path, demo_db):
    folder = made[0].parent
    results = _merge_all(county_db, packages_in([str(folder)]))  # the folder: every package in it
    assert sorted(r.unit for r in results) == ["太白镇", "肖咀镇", "蒿咀铺乡"] and all(r.new_unit for r in results)
    before = dump(county_db.engine)
    again = _merge_all(county_db, made)
    assert all(r.created == r.updated == 0 and not r.receipt for r in again)
    assert dump(county_db.engine) == before
    # each township's figures at the county are the township's own
    with county_db.engine.connect() as conn, demo_db.engine.connect() as lite:
        demo_unit = get_unit(lite)
        ref = dt.date(2024, 3, 20)  # the demo's 成文日期, merged with its draft
        assert stats.compute(conn, get_unit(conn, "肖咀镇"), 2023, ref) == stats.compute(lite, demo_unit, 2023, ref)
        for name in ("太白镇", "蒿咀铺乡"):
            own = open_database(tmp_path / f"{name}.sqlite3")
            with own.engine.connect() as mine:
                assert stats.compute(conn, get_unit(conn, name), 2023) == stats.compute(mine, get_unit(mine, name), 2023)
            own.dispose()
        view = county.view(conn, 2023, today=dt.date(2024, 4, 2), deadline=(3, 15))
    # the 合计 is the sum of the townships, column by column
    rows, total = view.summary[:-1], view.summary[-1]
    counts = [c for c in range(1, len(total)) if c not in view.rate_columns]  # rates come from summed counts
    assert total[0] == "合计" and [sum(r[c] for r in rows) for c in counts] == [total[c] for c in counts]
    assert [r[0] for r in rows] == sorted(["太白镇", "肖咀镇", "蒿咀铺乡"])
    # 报送情况: received today (after the deadline), none published by 4月1日
    assert all("逾期报送（截止3月15日）" in s.late and "4月1日前未公开" in s.late for s in view.submissions)
    assert {s.unit: s.findings_open for s in view.submissions}["肖咀镇"] == 2
    # 完整性 and 风险与整改: 太白镇's two red disputes under 调处中 and every township's overdue 整改 item
    assert view.completeness["蒿咀铺乡"]["行政执法台账"] == 0 and view.completeness["肖咀镇"]["会议台账"] > 0
    red = [r for r in view.risks if r[1] == "红色风险矛盾纠纷未化解"]
    assert [r[0] for r in red] == ["太白镇", "太白镇"]
    assert {r[0] for r in view.risks if r[1] == "整改逾期未销号"} >= {"太白镇", "蒿咀铺乡"}


def test_newer_edits_win_and_deletions_travel(county_db, tmp_path):
    db = township(tmp_path, "太白镇", ["东村", "西村"], 3)
    with db.engine.connect() as conn:
        unit = get_unit(conn, "太白镇")
    first = write_package(db.engine, unit, 2023, tmp_path / "first.zip").path
    merge_package(county_db.engine, first, "县法治办")
    svc = RecordService(db.engine, unit, "文书")
    disputes = sorted(svc_rows(db, "dispute"), key=lambda r: r["parties"])
    svc.update("dispute", disputes[0]["id"], {"summary": "宅基地边界（已重新丈量）"})
    svc.delete("dispute", disputes[1]["id"])
    second = write_package(db.engine, unit, 2023, tmp_path / "second.zip").path
    merged = merge_package(county_db.engine, second, "县法治办")
    assert merged.updated == 2 and merged.created == 0
    with county_db.engine.connect() as conn:
        here = {r["id"]: r for r in svc_rows(county_db, "dispute")}
    assert here[disputes[0]["id"]]["summary"] == "宅基地边界（已重新丈量）"
    assert here[disputes[1]["id"]]["deleted"] is True
    # the older package, arriving late, changes nothing back
    before = dump(county_db.engine)
    old = merge_package(county_db.engine, first, "县法治办")
    assert old.updated == 0 and dump(county_db.engine) == before
    db.dispose()


def svc_rows(db, key):
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import ledger_table

    with db.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(ledger_table(key))).mappings()]


def _rewrite(src: Path, dst: Path, change) -> Path:
    """A copy of a package with one part changed by ``change(name, data) -> data`` (the manifest left as it was);
    a part ``change`` answers None for is left out."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)
    return dst


def _manifest(src: Path, dst: Path, **changes) -> Path:
    """The manifest edited, and unsigned (as an older program wrote it): what the checks below the signature see."""
    def edit(name, data):
        if name == pf.SIGNATURE:
            return None
        if name != pf.MANIFEST:
            return data
        manifest = {**json.loads(data), **changes}
        manifest.pop("signer", None)
        return json.dumps(manifest).encode()
    return _rewrite(src, dst, edit)


def _edited_record(src: Path, dst: Path) -> Path:
    return _rewrite(src, dst, lambda n, d: d.replace("当事人0".encode(), "当事人9".encode())
                    if n.endswith("dispute.jsonl") else d)


def _truncated(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    return dst


def _foreign_zip(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(dst, "w") as zf:
        zf.writestr("readme.txt", "hello")
    return dst


def _added(name: str):
    def add(src: Path, dst: Path) -> Path:
        shutil.copy(src, dst)
        with zipfile.ZipFile(dst, "a") as zf:
            zf.writestr(name, "x")
        return dst
    return add


def _invalid_value(src: Path, dst: Path) -> Path:
    """A record whose value breaks the ledger's rules, with the manifest's checksums recomputed to match."""
    import hashlib

    parts = {}

    def edit(name, data):
        if name.endswith("dispute.jsonl"):
            data = data.replace("邻里关系".encode(), "不存在的类别".encode(), 1)
        if name != pf.MANIFEST:
            parts[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        return data
    _rewrite(src, dst, edit)
    tmp = dst.with_name("bad-manifest.zip")
    _manifest(dst, tmp, parts=parts)
    tmp.replace(dst)
    return dst


HOSTILE = {
    "a record edited after export": _edited_record,
    "truncated": _truncated,
    "not a package (another zip)": _foreign_zip,
    "newer schema": lambda src, dst: _manifest(src, dst, schema_revision="9999"),
    "a path for a part name": _added("../../evil.txt"),
    "an attachment the manifest does not list": _added("files/" + "0" * 64),
    "a value the ledger refuses": _invalid_value,
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_package_is_refused_with_nothing_written(case, county_db, tmp_path):
    db = township(tmp_path, "太白镇", ["东村", "西村"], 2)
    with db.engine.connect() as conn:
        unit = get_unit(conn, "太白镇")
    good = write_package(db.engine, unit, 2023, tmp_path / "good.zip").path
    db.dispose()
    bad = HOSTILE[case](good, tmp_path / "bad.zip")
    before = dump(county_db.engine)
    with pytest.raises(PackageError) as err:
        merge_package(county_db.engine, bad, "县法治办")
    assert "未导入" in str(err.value) and "bad.zip" in str(err.value)
    assert dump(county_db.engine) == before
    with county_db.engine.connect() as conn:
        assert list_units(conn) == []


def test_a_record_id_of_another_unit_refuses_the_package(county_db, tmp_path):
    """A package that reuses another township's record ids (a copied database) cannot take those records over."""
    db = township(tmp_path, "太白镇", ["东村", "西村"], 2)
    with db.engine.connect() as conn:
        unit = get_unit(conn, "太白镇")
    merge_package(county_db.engine, write_package(db.engine, unit, 2023, tmp_path / "a.zip").path, "县法治办")
    # the same records under another unit name and id: as if 太白镇's file were copied and renamed
    import sqlite3

    db.dispose()
    con = sqlite3.connect(tmp_path / "太白镇.sqlite3")
    con.execute("PRAGMA foreign_keys=OFF")
    fake_id = "00000000-0000-4000-8000-000000000001"
    con.execute("UPDATE units SET id = ?, name = '假冒镇'", (fake_id,))
    for table in ("meeting", "study", "dispute", "rectification"):
        con.execute(f"UPDATE {table} SET unit_id = ?", (fake_id,))  # noqa: S608
    con.commit()
    con.close()
    db = open_database(tmp_path / "太白镇.sqlite3")
    with db.engine.connect() as conn:
        fake = get_unit(conn, "假冒镇")
    pkg = write_package(db.engine, fake, 2023, tmp_path / "b.zip").path
    before = dump(county_db.engine)
    with pytest.raises(PackageError, match="另一单位的记录相同"):
        merge_package(county_db.engine, pkg, "县法治办")
    assert dump(county_db.engine) == before
    db.dispose()


def test_the_county_workbook_holds_four_printable_sheets(county_db, made, tmp_path):
    from fazhi_desktop.reports.render.county_xlsx import write_county_workbook

    _merge_all(county_db, made)
    with county_db.engine.connect() as conn:
        view = county.view(conn, 2023, today=dt.date(2024, 3, 1), deadline=(3, 15))
    out = write_county_workbook(view, tmp_path / "county.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总表", "报送情况", "完整性", "风险与整改"]
    summary = [r for r in wb["汇总表"].iter_rows(min_row=4, values_only=True) if r[0]]
    assert summary[-1][0] == "合计" and summary[-1][1] == sum(r[1] for r in summary[:-1])
    empty = [r for r in wb["完整性"].iter_rows(min_row=4, values_only=True) if r[0] == "蒿咀铺乡"][0]
    assert "无" in empty
    for ws in wb:
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows


def test_package_and_county_commands(tmp_path, data_dir):
    from clikit import run_cli

    env = {"FAZHI_DATA_DIR": str(data_dir)}
    town, county_file = tmp_path / "town.sqlite3", tmp_path / "county.sqlite3"
    assert run_cli("--db", str(town), "demo", env=env).returncode == 0
    pkg = tmp_path / "肖咀镇2023.zip"
    proc = run_cli("--db", str(town), "package", "export", "--year", "2023", "--out", str(pkg), "--with-report",
                   env=env)
    assert proc.returncode == 0 and "已生成肖咀镇2023年数据包" in proc.stdout, proc.stderr
    with zipfile.ZipFile(pkg) as zf:
        assert pf.REPORT_PDF in zf.namelist() and zf.read(pf.REPORT_PDF).startswith(b"%PDF")
    proc = run_cli("--db", str(county_file), "package", "import", str(pkg), env=env)
    assert proc.returncode == 0 and "新增" in proc.stdout, proc.stderr
    def stored() -> str:
        county = open_database(county_file)
        try:
            return dump(county.engine)
        finally:
            county.dispose()

    before = stored()
    again = run_cli("--db", str(county_file), "package", "import", str(pkg), env=env)
    assert again.returncode == 0 and "已导入过，内容没有变化，未重复导入" in again.stdout  # #38: known by its checksum
    assert stored() == before
    other = run_cli("--db", str(county_file), "--unit", "太白镇", "package", "import", str(pkg), env=env)
    assert other.returncode == 1 and "不是指定的「太白镇」" in other.stderr
    out = tmp_path / "county.xlsx"
    proc = run_cli("--db", str(county_file), "county-tables", "--year", "2023", "--out", str(out), "--deadline",
                   "03-15", env=env)
    assert proc.returncode == 0 and out.exists(), proc.stderr
    received = [r for r in load_workbook(out)["报送情况"].iter_rows(min_row=4, values_only=True) if r[0]][0]
    assert received[1] == "逾期" and received[5] == "已附" and "截止3月15日" in received[-1]


@pytest.mark.external
def test_the_county_workbook_opens_and_prints_in_libreoffice(county_db, made, tmp_path):
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    from pypdf import PdfReader

    from fazhi_desktop.reports.render.county_xlsx import write_county_workbook

    _merge_all(county_db, made)
    with county_db.engine.connect() as conn:
        out = write_county_workbook(county.view(conn, 2023), tmp_path / "county.xlsx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], check=True, capture_output=True, timeout=180)
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "county.pdf").pages)
    assert "主要指标汇总表" in text and "合计" in text and "蒿咀铺乡" in text and "风险与整改" in text
    # #36: the 汇总表 prints one page wide (it needed two, three columns spilling over)
    book = load_workbook(out)
    for name in book.sheetnames[1:]:
        del book[name]
    book.save(tmp_path / "summary.xlsx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "summary.xlsx")], check=True, capture_output=True,
                   timeout=180)
    assert len(PdfReader(tmp_path / "summary.pdf").pages) == 1


def test_two_clerks_on_one_database_get_a_conflict_not_a_lost_save(county_db):
    """Optimistic locking on both backends (the shared server is the case it is for)."""
    from test_county_locking import conflict_between_two_sessions

    from fazhi_desktop.services.units import create_unit

    with county_db.engine.begin() as conn:
        unit = create_unit(conn, {"name": "县法治办", "county": "合水县", "issuers": ["合水县法治办"],
                                  "villages": ["城关"]}, "管理员")
    conflict_between_two_sessions(county_db.engine, unit)


def test_attachments_travel_with_their_records_and_a_forged_one_is_refused(county_db, tmp_path):
    import hashlib

    import sqlalchemy as sa

    from fazhi_desktop.services import attachments
    from fazhi_desktop.storage.schema import attachments as attachment_rows

    db = township(tmp_path, "太白镇", ["东村", "西村"], 1)
    with db.engine.connect() as conn:
        unit = get_unit(conn, "太白镇")
    record = svc_rows(db, "meeting")[0]["id"]
    photo = tmp_path / "会议照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + b"photo" * 1000)
    attachments.add(db.engine, unit.id, "meeting", record, photo, "文书", {"material": "照片", "photographer": "王摄影"})
    pkg = write_package(db.engine, unit, 2023, tmp_path / "with-photo.zip").path
    db.dispose()
    # forged: the photo's bytes changed, every checksum in the manifest recomputed — but the name is its sha256
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    parts = {}

    def forge(name, data):
        if name == f"files/{digest}":
            data = b"\xff\xd8\xff" + b"other" * 1000
        if name not in (pf.MANIFEST, pf.SIGNATURE):
            parts[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        return data
    forged = _rewrite(pkg, tmp_path / "forged-step.zip", forge)
    forged = _manifest(forged, tmp_path / "forged.zip", parts=parts)
    before = dump(county_db.engine)
    with pytest.raises(PackageError, match="校验值不符"):
        merge_package(county_db.engine, forged, "县法治办")
    assert dump(county_db.engine) == before
    merged = merge_package(county_db.engine, pkg, "县法治办")
    assert merged.attachments == 1
    with county_db.engine.connect() as conn:
        row = conn.execute(sa.select(attachment_rows)).mappings().one()
        assert row["record_id"] == record and row["name"] == "会议照片.jpg"
        assert (row["material"], row["photographer"], row["background"]) == ("照片", "王摄影", None)  # #37: it travels
        stored = attachments.path_for(conn, row["sha256"], row["name"])
    assert stored.read_bytes() == photo.read_bytes()
    assert merge_package(county_db.engine, pkg, "县法治办").attachments == 0  # not twice
