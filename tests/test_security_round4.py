"""Security round 4 (#33): what is built so far — personal numbers are no oracle (H2), merging a package is a
管理员's (H1), and commands that copy or rotate data ask for the password (M7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from clikit import add_accounts, run_cli
from openpyxl import load_workbook

from fazhi_desktop.domain.errors import AccessDenied
from fazhi_desktop.exchange.plan import plan_import
from fazhi_desktop.exchange.writer import export_workbook
from fazhi_desktop.services import accounts
from fazhi_desktop.services.actor import act_as

STORED = "11010519491231002X"
ADMIN_PW, CLERK_PW, VIEWER_PW = "admin-2024a", "clerk-2024b", "viewer-2024c"

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def roster(db, unit, svc, tmp_path):
    """One person with an ID number, the three accounts, and the 录入员's own (masked) export of the year."""
    rid = svc.create("legal_talent", {"year": 2023, "name": "张三", "village": "东村", "category": "法律明白人",
                                      "id_number": STORED}).id
    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", ADMIN_PW, "x")
        accounts.add(conn, "李四", "录入员", CLERK_PW, "张主任")
        accounts.add(conn, "王五", "查看", VIEWER_PW, "张主任")
    act_as("李四")
    book = tmp_path / "export.xlsx"
    export_workbook(db.engine, unit, book, 2023, actor="李四")
    yield rid, book
    act_as(None)


def _plan_with(db, book, tmp_path, typed: str):
    wb = load_workbook(book)
    ws = wb["法治人才名册"]
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(1, c).value.startswith("身份证号"))
    assert ws.cell(2, column).value == "110105********002X"  # the export shows the one mask
    ws.cell(2, column).value = typed
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    plan = next(p for p in plan_import(db.engine, path).plans if p.ledger.key == "legal_talent")
    return len(plan.updates), plan.unchanged


def test_h2_only_the_exact_mask_keeps_the_stored_number(db, roster, tmp_path):
    assert _plan_with(db, roster[1], tmp_path, "110105********002X") == (0, 1)  # the export re-imported: unchanged
    # a pattern of stars that shows a hidden digit is not the mask: refused alike whether the digit is right or not
    right = "1101051***********"[:17] + "X"
    wrong = "1101052***********"[:17] + "X"
    assert _plan_with(db, roster[1], tmp_path, right) == _plan_with(db, roster[1], tmp_path, wrong)


def test_h2_a_full_number_typed_by_a_clerk_gets_the_same_answer_whether_it_matches_or_not(db, roster, tmp_path):
    matching = _plan_with(db, roster[1], tmp_path, STORED)
    other = _plan_with(db, roster[1], tmp_path, "110105194912310038")
    assert matching == other == (1, 0)
    act_as("张主任")  # a 管理员 may see the number anyway: the plan says what really changes
    assert _plan_with(db, roster[1], tmp_path, STORED) == (0, 1)


def test_h1_a_viewer_or_clerk_cannot_merge_a_package(db, unit, svc, tmp_path):
    from fazhi_desktop.exchange.package_read import merge_package
    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.storage.database import open_database

    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    package = tmp_path / "pkg.zip"
    write_package(db.engine, unit, 2023, package)
    county = open_database(tmp_path / "county.sqlite3")
    try:
        with county.engine.begin() as conn:
            accounts.add(conn, "县管理员", "管理员", ADMIN_PW, "x")
            accounts.add(conn, "县录入员", "录入员", CLERK_PW, "县管理员")
            accounts.add(conn, "县查看", "查看", VIEWER_PW, "县管理员")
        assert merge_package(county.engine, package, "县管理员").created == 1
        # the township sends a correction: only a 管理员 merges it (the unit is there already, nothing else asks)
        svc.create("meeting", {"date": "2023-06-01", "kind": "法治建设专题会议", "title": "二季度专题会"})
        write_package(db.engine, unit, 2023, package)
        for who in ("县查看", "县录入员"):
            with pytest.raises(AccessDenied):
                merge_package(county.engine, package, who)
        assert merge_package(county.engine, package, "县管理员").created == 1
    finally:
        county.dispose()


def _cli(db, *args, stdin=""):
    return run_cli("--db", str(db), *args, stdin=stdin)


def test_m7_backup_and_county_tables_ask_for_the_password(tmp_path, data_dir):
    db = tmp_path / "d.sqlite3"
    assert _cli(db, "demo").returncode == 0
    add_accounts(db, ("张主任", ADMIN_PW), ("王五", "查看", VIEWER_PW))
    backups = data_dir / "backups"
    before = sorted(backups.glob("*.sqlite3")) if backups.exists() else []
    # a rotating backup: a wrong password, and a 查看 account, rotate nothing
    wrong = _cli(db, "--user", "张主任", "backup", stdin="guess-12345\n")
    assert wrong.returncode == 1 and "密码" in wrong.stderr
    viewer = _cli(db, "--user", "王五", "backup", stdin=f"{VIEWER_PW}\n")
    assert viewer.returncode == 1 and "查看" in viewer.stderr
    assert (sorted(backups.glob("*.sqlite3")) if backups.exists() else []) == before
    assert _cli(db, "--user", "张主任", "backup", stdin=f"{ADMIN_PW}\n").returncode == 0
    # the county tables name parties: an export, after the password; the deadline is a setting
    out = tmp_path / "county.xlsx"
    no_password = _cli(db, "--user", "张主任", "county-tables", "--year", "2023", "--out", str(out))
    assert no_password.returncode == 1 and not out.exists()
    viewer = _cli(db, "--user", "王五", "county-tables", "--year", "2023", "--out", str(out), "--deadline", "03-15",
                  stdin=f"{VIEWER_PW}\n")
    assert viewer.returncode == 1 and not out.exists()
    made = _cli(db, "--user", "张主任", "county-tables", "--year", "2023", "--out", str(out), "--deadline", "03-15",
                stdin=f"{ADMIN_PW}\n")
    assert made.returncode == 0, made.stderr
    assert out.exists()


def test_m2_parallel_guesses_get_five_tries_in_all(db, unit):
    import threading

    import sqlalchemy as sa

    from fazhi_desktop.domain.errors import LoginError
    from fazhi_desktop.storage.schema import audit_log

    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", ADMIN_PW, "x")
    answers: list[str] = []
    start = threading.Barrier(12)

    def guess(i: int) -> None:
        start.wait()
        try:
            accounts.login(db.engine, "张主任", f"guess-{i:05d}")
        except LoginError as exc:
            answers.append(str(exc))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    with db.engine.connect() as conn:
        checked = conn.execute(sa.select(sa.func.count()).select_from(audit_log)
                               .where(audit_log.c.action == "login-failed")).scalar()
    assert len(answers) == 12
    assert checked == 5, f"{checked} guesses were checked before the lock"
    assert sum("已锁定" in a for a in answers) == 12 - 4  # the fifth locks it; the rest find it locked
    with pytest.raises(LoginError, match="已锁定"):
        accounts.login(db.engine, "张主任", ADMIN_PW)


def test_h5_an_outline_is_refused_by_its_size_before_it_is_parsed_and_compiles_in_one_pass(db, unit):
    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.reports.content.builder import unit_template
    from fazhi_desktop.reports.content.outline import MAX_OUTLINE_CHARS, compile_outline

    figure = "{法治建设专题会议}"
    crowded = "# 一、主要工作\n" + "共" + "、".join([figure] * ((MAX_OUTLINE_CHARS - 200) // (len(figure) + 1))) + "。\n"
    assert len(crowded) <= MAX_OUTLINE_CHARS
    compiled = compile_outline(crowded)  # thousands of placeholders on one line: each brace checked once
    assert compiled.count("s[") > 2000
    with pytest.raises(UserError, match="模板太长"):
        compile_outline(crowded * 5)
    # a unit's stored outline (say, from a restored backup) is refused the same way, by name, with what to do
    with pytest.raises(UserError, match="恢复默认模板"):
        unit_template("三段式", crowded * 5)


def test_h4_a_package_whose_attachment_name_a_restore_would_refuse_is_refused_and_accepted_ones_restore(
        tmp_path, data_dir):
    import hashlib
    import json
    import zipfile

    from countykit import dump, township

    from fazhi_desktop.exchange import package_format as pf
    from fazhi_desktop.exchange.package_read import PackageError, merge_package
    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.services import attachments, safety
    from fazhi_desktop.services.units import get_unit
    from fazhi_desktop.storage.database import open_database

    db = township(tmp_path, "太白镇", ["东村", "西村"], 1)
    with db.engine.connect() as conn:
        unit = get_unit(conn, "太白镇")
    import sqlalchemy as sa

    from fazhi_desktop.storage.schema import ledger_table

    with db.engine.connect() as conn:
        record = conn.execute(sa.select(ledger_table("meeting").c.id)).scalar()
    # a file of this PC whose own name holds a control character is stored under a name a restore accepts
    odd = tmp_path / "会议\x01照片.jpg"
    odd.write_bytes(b"\xff\xd8\xff" + b"photo" * 1000)
    attachments.add(db.engine, unit.id, "meeting", record, odd, "文书")
    pkg = write_package(db.engine, unit, 2023, tmp_path / "pkg.zip").path
    db.dispose()

    def forged_name(src, dst):
        """The attachment's name given a control character, every checksum recomputed."""
        parts = {}
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
            names = zin.namelist()
            for name in names:
                data = zin.read(name)
                if name == pf.ATTACHMENTS:
                    lines = [json.loads(line) for line in data.decode().splitlines() if line]
                    for item in lines:
                        item["name"] = "会议\x07照片.jpg"
                    data = "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in lines).encode()
                if name not in (pf.MANIFEST, pf.SIGNATURE):
                    parts[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                    zout.writestr(name, data)
            manifest = json.loads(zin.read(pf.MANIFEST))
            manifest.pop("signer", None)  # unsigned, as an older program wrote it: the name check below it
            zout.writestr(pf.MANIFEST, json.dumps({**manifest, "parts": {**manifest["parts"], **parts}}))
        return dst

    county = open_database(tmp_path / "county.sqlite3")
    try:
        before = dump(county.engine)
        with pytest.raises(PackageError, match="文件名"):
            merge_package(county.engine, forged_name(pkg, tmp_path / "forged.zip"), "县法治办")
        assert dump(county.engine) == before
        assert merge_package(county.engine, pkg, "县法治办").attachments == 1
        # accepted means restorable: the county's backup after the package restores
        backup = safety.backup_now(county, "manual")
    finally:
        county.dispose()
    restored = tmp_path / "restored.sqlite3"
    restored.write_bytes((tmp_path / "county.sqlite3").read_bytes())
    result = safety.restore(restored, backup, "县法治办")
    assert result is not None


def test_m3_restoring_an_older_backup_keeps_the_accounts(tmp_path, data_dir):
    """An older backup made before the accounts existed: restored, anyone would have been 管理员."""
    db = tmp_path / "d.sqlite3"
    assert _cli(db, "demo").returncode == 0
    assert _cli(db, "backup").returncode == 0  # no accounts yet
    old = next((data_dir / "backups").glob("*manual*.sqlite3"))
    add_accounts(db, ("张主任", ADMIN_PW))
    restored = _cli(db, "--user", "张主任", "restore", str(old), stdin=f"{ADMIN_PW}\n")
    assert restored.returncode == 0, restored.stderr
    # still asks for the password, and the history still proves itself
    refused = _cli(db, "--user", "随便谁", "stats", "--year", "2023", stdin="anything-123\n")
    assert refused.returncode == 1
    verified = _cli(db, "--user", "张主任", "audit", "verify", stdin=f"{ADMIN_PW}\n")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    # a 管理员 may take the backup's accounts on purpose
    taken = _cli(db, "--user", "张主任", "restore", str(old), "--accounts-from-backup", stdin=f"{ADMIN_PW}\n")
    assert taken.returncode == 0, taken.stderr
    assert _cli(db, "stats", "--year", "2023").returncode == 0  # the backup had none


def _repacked(src, dst, change):
    """A copy of a package with parts changed by ``change(name, data) -> data`` and every checksum recomputed."""
    import hashlib
    import json
    import zipfile

    from fazhi_desktop.exchange import package_format as pf

    parts = {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        manifest = json.loads(zin.read(pf.MANIFEST))
        manifest.pop("signer", None)  # unsigned, as an older program wrote it: the checks below the signature's
        for name in zin.namelist():
            if name in (pf.MANIFEST, pf.SIGNATURE):
                continue
            data = change(name, zin.read(name))
            parts[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            zout.writestr(name, data)
        zout.writestr(pf.MANIFEST, json.dumps({**manifest, "parts": {**manifest["parts"], **parts}}))
    return dst


def _package_with_a_photo(tmp_path, seed: bytes):
    """A township's 2023 package with one meeting photo (its bytes made from ``seed``)."""
    import hashlib

    import sqlalchemy as sa
    from countykit import township

    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.services import attachments
    from fazhi_desktop.services.units import get_unit
    from fazhi_desktop.storage.schema import ledger_table

    db = township(tmp_path, "太白镇", ["东村", "西村"], 1)
    with db.engine.connect() as conn:
        unit = get_unit(conn, "太白镇")
        record = conn.execute(sa.select(ledger_table("meeting").c.id)).scalar()
    photo = tmp_path / "照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + hashlib.sha256(seed).digest() * 4000)
    attachments.add(db.engine, unit.id, "meeting", record, photo, "文书")
    pkg = write_package(db.engine, unit, 2023, tmp_path / "pkg.zip").path
    db.dispose()
    return pkg


def _store_files(county):
    from fazhi_desktop.storage import blobstore

    root = blobstore.database_store(county.database_id).root
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_h7_a_refused_package_leaves_no_file_and_a_bomb_is_refused_by_its_ratio(tmp_path, data_dir):
    import hashlib
    import json

    from countykit import dump

    from fazhi_desktop.exchange import package_format as pf
    from fazhi_desktop.exchange.package_read import PackageError, merge_package
    from fazhi_desktop.storage.database import open_database

    pkg = _package_with_a_photo(tmp_path, b"seed")
    county = open_database(tmp_path / "county.sqlite3")
    try:
        before = dump(county.engine)
        # refused after its photo was stored (a record breaks the ledger's rules): the photo does not stay
        spoiled = _repacked(pkg, tmp_path / "spoiled.zip", lambda n, d: d.replace("邻里关系".encode(), "不存在的类别".encode(), 1)
                            if n.endswith("dispute.jsonl") else d)
        with pytest.raises(PackageError):
            merge_package(county.engine, spoiled, "县法治办")
        assert dump(county.engine) == before and _store_files(county) == []
        # a bomb: 50 MB of zeros listed as a photo, a few dozen KB in the zip
        zeros = b"\0" * (50 * 1024**2)
        digest = hashlib.sha256(zeros).hexdigest()

        def bomb(name, data):
            if name == pf.ATTACHMENTS:
                items = [json.loads(line) for line in data.decode().splitlines() if line]
                items.append({**items[0], "id": "00000000-0000-4000-8000-000000000001", "sha256": digest,
                              "size": len(zeros), "name": "空白.jpg"})
                return "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items).encode()
            return data
        bombed = _repacked(pkg, tmp_path / "bomb.zip", bomb)
        import zipfile

        with zipfile.ZipFile(bombed, "a", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"files/{digest}", zeros)
        manifest = json.loads(zipfile.ZipFile(bombed).read(pf.MANIFEST))
        manifest["parts"][f"files/{digest}"] = {"sha256": digest, "size": len(zeros)}
        final = tmp_path / "bomb-final.zip"
        with zipfile.ZipFile(bombed) as zin, zipfile.ZipFile(final, "w", zipfile.ZIP_DEFLATED) as zout:
            for name in zin.namelist():
                zout.writestr(name, json.dumps(manifest) if name == pf.MANIFEST else zin.read(name))
        assert final.stat().st_size < 1024**2
        with pytest.raises(PackageError, match="压缩比"):
            merge_package(county.engine, final, "县法治办")
        assert dump(county.engine) == before and _store_files(county) == []
        assert merge_package(county.engine, pkg, "县法治办").attachments == 1
        assert len(_store_files(county)) == 1
    finally:
        county.dispose()


def test_h6_h8_hostile_photos_and_pdfs_cost_their_own_page_never_the_binder(svc, db, unit, tmp_path, monkeypatch):
    import pdfplumber
    from PIL import EpsImagePlugin
    from reportlab.pdfgen.canvas import Canvas

    from fazhi_desktop.reports.render import fonts_for
    from fazhi_desktop.reports.render.binder_pdf import PDF_PAGES, ROLES, gather, write_binder
    from fazhi_desktop.services import attachments

    opened_as_eps = []
    monkeypatch.setattr(EpsImagePlugin.EpsImageFile, "_open", lambda self: opened_as_eps.append(1))
    meeting = svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "一季度专题会"}).id
    eps = tmp_path / "照片1.jpg"  # PostScript named as a photo: Pillow would hand it to Ghostscript
    eps.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\nnewpath 0 0 moveto showpage\n%%EOF\n")
    damaged = tmp_path / "照片2.png"  # a PNG cut short after its header
    damaged.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x02\x00\x00\x00"
                        + b"\x00" * 140)
    giant = tmp_path / "大幅面.pdf"  # one page of 14,400 pt (5 m) square: rendered as it is, gigabytes
    c = Canvas(str(giant), pagesize=(14400, 14400))
    c.drawString(100, 100, "x")
    c.showPage()
    c.save()
    long_pdf = tmp_path / "长文件.pdf"
    c = Canvas(str(long_pdf))
    for i in range(PDF_PAGES + 40):
        c.drawString(100, 700, f"page {i + 1}")
        c.showPage()
    c.save()
    for path in (eps, damaged, giant, long_pdf):
        attachments.add(db.engine, unit.id, "meeting", meeting, path, "文书")
    with db.engine.connect() as conn:
        binder = gather(conn, unit, 2023)
    out = write_binder(binder, fonts_for(roles=ROLES), tmp_path / "binder.pdf")
    with pdfplumber.open(out) as pdf:
        pages = [(p.extract_text() or "") for p in pdf.pages]
        sizes = {(round(p.width), round(p.height)) for p in pdf.pages}
    assert opened_as_eps == []  # no decoder picked by content
    assert sum("无法读取" in p for p in pages) == 2  # the PostScript and the damaged PNG, each on its own page
    assert any("大幅面.pdf（第 1 页，共 1 页）" in p for p in pages)
    printed = [p for p in pages if "长文件.pdf（第" in p]
    assert len(printed) == PDF_PAGES and "其余 40 页见电子台账" in printed[-1]
    assert len(pages) == binder.total_pages and sizes == {(595, 842), (842, 595)}  # A4 (the 目录 landscape), whatever the attachments


def test_m1_no_time_in_a_package_is_later_than_the_package_itself(db, unit, svc, tmp_path):
    import json
    import re

    from countykit import dump

    from fazhi_desktop.exchange import package_format as pf
    from fazhi_desktop.exchange.package_read import PackageError, merge_package
    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.storage.database import open_database

    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    pkg = write_package(db.engine, unit, 2023, tmp_path / "pkg.zip").path

    def dated_2099(name, data):  # a record saved "in 2099": newer-save-wins would never let the county's copy change
        if name.endswith("meeting.jsonl"):
            return re.sub(rb'"updated_at": ?"\d{4}', b'"updated_at": "2099', data)
        return data

    def package_2099(src, dst):
        import zipfile

        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
            for name in zin.namelist():
                data = zin.read(name)
                if name == pf.MANIFEST:
                    manifest = json.loads(data)
                    manifest["created_at"] = "2099-01-01T00:00:00"
                    data = json.dumps(manifest).encode()
                zout.writestr(name, data)
        return dst

    county = open_database(tmp_path / "county.sqlite3")
    try:
        before = dump(county.engine)
        with pytest.raises(PackageError, match="晚于数据包的生成时间"):
            merge_package(county.engine, _repacked(pkg, tmp_path / "record-2099.zip", dated_2099), "县法治办")
        with pytest.raises(PackageError, match="晚于本机时间"):
            merge_package(county.engine, package_2099(pkg, tmp_path / "package-2099.zip"), "县法治办")
        assert dump(county.engine) == before
        assert merge_package(county.engine, pkg, "县法治办").created == 1
    finally:
        county.dispose()


def test_m8_a_packages_own_choices_are_in_the_county_history_and_checked(db, unit, svc, tmp_path):
    import json

    from fazhi_desktop.exchange import package_format as pf
    from fazhi_desktop.exchange.package_read import PackageError, merge_package
    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.services import audit
    from fazhi_desktop.services.units import add_local_choice
    from fazhi_desktop.storage.database import open_database

    with db.engine.begin() as conn:
        add_local_choice(conn, unit, "dispute", "category", "林权纠纷", "测试员")
    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "专题会"})
    pkg = write_package(db.engine, unit, 2023, tmp_path / "pkg.zip").path

    def control_character(name, data):
        if name == pf.UNIT:
            doc = json.loads(data)
            doc["local_choices"] = {"dispute.category": ["林权\x1b纠纷"]}
            return json.dumps(doc, ensure_ascii=False).encode()
        return data

    county = open_database(tmp_path / "county.sqlite3")
    try:
        with pytest.raises(PackageError, match="自定义选项"):
            merge_package(county.engine, _repacked(pkg, tmp_path / "bad.zip", control_character), "县法治办")
        merge_package(county.engine, pkg, "县法治办")
        with county.engine.connect() as conn:
            assert audit.verify_problem(conn) is None  # the choices came with a history line
    finally:
        county.dispose()


def test_m5_verify_says_plainly_when_this_pc_has_no_anchor(tmp_path, data_dir):
    import shutil

    db = tmp_path / "d.sqlite3"
    assert _cli(db, "demo").returncode == 0
    here = _cli(db, "audit", "verify")
    assert here.returncode == 0 and "与本机记录的最后一条相符" in here.stdout
    shutil.rmtree(data_dir)  # another PC, or the data folder cleared: nothing of this PC's own to compare with
    elsewhere = _cli(db, "audit", "verify")
    assert elsewhere.returncode == 0 and "与本机记录" not in elsewhere.stdout and "无法证明" in elsewhere.stdout


@pytest.mark.parametrize(("column", "change"), [
    ("角色", "UPDATE accounts SET role = '超级管理员'"),
    ("密码", "UPDATE accounts SET password_hash = 'abc'"),
    ("锁定到", "UPDATE accounts SET locked_until = '9999-12-31 00:00:00', failures = 5"),
    ("账户名", "UPDATE accounts SET name = '张' || char(7) || '主任'"),
    ("没有一个可用的管理员", "UPDATE accounts SET disabled = 1"),
])
def test_m4_a_backup_whose_accounts_would_lock_everyone_out_is_refused(tmp_path, data_dir, column, change):
    """Restored on a PC without accounts (a new PC, say), the backup's accounts become the accounts: one value the
    program could not have written locked everyone out for good. Refused, naming it, with nothing changed."""
    import hashlib
    import shutil
    import sqlite3

    source = tmp_path / "src.sqlite3"
    assert _cli(source, "demo").returncode == 0
    add_accounts(source, ("张主任", ADMIN_PW))
    assert _cli(source, "--user", "张主任", "backup", "--out", str(tmp_path), stdin=f"{ADMIN_PW}\n").returncode == 0
    (good,) = tmp_path.glob("*-备份-*.sqlite3")
    bad = tmp_path / "改过的备份.sqlite3"
    shutil.copy(good, bad)
    with sqlite3.connect(bad) as conn:
        conn.execute(change)
    conn.close()
    target = tmp_path / "new-pc.sqlite3"
    assert _cli(target, "demo").returncode == 0
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    refused = _cli(target, "restore", str(bad), "--other-unit")
    assert refused.returncode == 1 and "accounts" in refused.stderr and column in refused.stderr, refused.stderr
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    restored = _cli(target, "restore", str(good), "--other-unit")  # the untouched backup restores, and its 管理员 logs in
    assert restored.returncode == 0, restored.stderr
    assert _cli(target, "--user", "张主任", "stats", "--year", "2023", stdin=f"{ADMIN_PW}\n").returncode == 0


def test_m4_a_county_backup_with_a_malformed_receipt_is_refused(db, unit, svc, tmp_path):
    import sqlite3

    from fazhi_desktop.domain.errors import UserError
    from fazhi_desktop.storage.restore import inspect_backup

    copy = tmp_path / "county.sqlite3"
    with sqlite3.connect(db.path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    with sqlite3.connect(copy) as conn:
        conn.execute("INSERT INTO package_receipts VALUES ('r1', ?, 2023, '2024-03-01 10:00:00', '县', "
                     "'2024-03-01 09:00:00', 'not-a-digest', '0.1.0', '0008', '{}', 0, 0, 0, 0)", (unit.id,))
    with pytest.raises(UserError, match="package_receipts.*校验值"):
        inspect_backup(copy)


@pytest.mark.parametrize(("rows", "characters", "says"), [
    (700, 30_000, "超过任何一栏能存的 20000 字"),  # 16 KB: the program's own process used to hold 1.4 GB
    (1_500, 16_000, "文字过多"),  # every cell fits a field, 240 million characters in all
])
def test_m9_a_small_workbook_cannot_fill_the_programs_memory(tmp_path, rows, characters, says):
    """Refused in the boxed reader; the program's own process never holds what it would expand to."""
    import subprocess
    import sys

    from hostile_files import one_shared_string_everywhere

    book = one_shared_string_everywhere(tmp_path / "小文件.xlsx", rows, characters)
    assert book.stat().st_size < 40_000
    # VmHWM, the high-water mark of this process's own memory: ru_maxrss would carry the size of the pytest worker
    # that forked it (the kernel keeps it across exec).
    code = ("import re, sys\nfrom pathlib import Path\nfrom fazhi_desktop.domain.errors import UserError\n"
            "from fazhi_desktop.exchange.plan import open_workbook\n"
            "try:\n    open_workbook(sys.argv[1])\n    print('READ')\nexcept UserError as exc:\n    print('REFUSED', exc)\n"
            "kb = int(re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text())[1])\n"
            "print('MB', kb // 1024)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(book)], capture_output=True, text=True, timeout=300)
    assert "REFUSED" in proc.stdout and says in proc.stdout, proc.stdout + proc.stderr
    megabytes = int(proc.stdout.split("MB")[-1])
    assert megabytes < 200, proc.stdout


def test_m9_the_program_refuses_an_answer_larger_than_its_budget_unread(tmp_path):
    from fazhi_desktop.runtime import child

    book = tmp_path / "x.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "会议台账"
    wb.active.append(["会" * 1000] * 20)
    wb.save(book)
    with pytest.raises(child.ChildFailed) as refused:
        child.run("read-workbook", {"path": str(book), "sheets": ["会议台账"]}, seconds=60, memory_mb=1024,
                  max_answer_bytes=10_000)
    assert refused.value.reason == "refused" and "内容过多" in refused.value.detail


def _synthetic_package(tmp_path, records: int):
    import sys

    sys.path.insert(0, str(ROOT))
    from bench.run import synthetic
    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.services.units import create_unit
    from fazhi_desktop.storage.database import open_database

    db = open_database(tmp_path / "town.sqlite3")
    with db.engine.begin() as conn:
        unit = create_unit(conn, {"name": "甲镇", "county": "合水县", "issuers": ["中共甲镇委员会"],
                                  "villages": ["东村", "西村", "南村"]}, "测试")
    synthetic(db.engine, unit, records, years=(2023,), seed=3)
    path = write_package(db.engine, unit, 2023, tmp_path / "甲镇.zip").path
    db.dispose()
    return path


def test_h3_a_package_is_read_as_streams_in_batches(tmp_path, data_dir):
    """Each part used to be held whole (and every part at once), then a whole ledger's rows and history: a package's
    records now cost a batch, not their number (5,000 records: 16.6 MB before, under 8 MB now; 50,000: 162 -> 6.8 MB)."""
    import tracemalloc

    from fazhi_desktop.exchange.package_read import merge_package
    from fazhi_desktop.storage.database import open_database

    pkg = _synthetic_package(tmp_path, 5000)
    county = open_database(tmp_path / "county.sqlite3")
    try:
        tracemalloc.start()
        merged = merge_package(county.engine, pkg, "县法治办")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        county.dispose()
    assert merged.created > 4900
    assert peak < 8e6, f"{peak / 1e6:.1f} MB"


def test_h3_the_budget_refuses_before_reading_and_a_part_changed_while_merging_is_caught(tmp_path, data_dir,
                                                                                         monkeypatch):
    import hashlib
    import zipfile

    from fazhi_desktop.exchange import package_format as pf
    from fazhi_desktop.exchange import package_read
    from fazhi_desktop.exchange.package_read import PackageError, merge_package
    from fazhi_desktop.storage.database import open_database

    pkg = _synthetic_package(tmp_path, 300)
    county_path = tmp_path / "county.sqlite3"
    county = open_database(county_path)
    county.dispose()
    before = hashlib.sha256(county_path.read_bytes()).hexdigest()
    with monkeypatch.context() as m:
        m.setattr(pf, "MAX_JSON_TOTAL_BYTES", 10_000)
        county = open_database(county_path)
        with pytest.raises(PackageError, match="不像一个单位一年的数据"):
            merge_package(county.engine, pkg, "县法治办")
        county.dispose()
    # A part that changes between the check before the merge and the merge's own reading (the package file is the
    # clerk's, on a USB stick): the lines are checked again as they are read.
    changed = tmp_path / "changed.zip"
    with zipfile.ZipFile(pkg) as zin, zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "records/dispute.jsonl":
                data = b" " + data  # still JSON, no longer the bytes the manifest vouches for
            zout.writestr(info.filename, data)
    monkeypatch.setattr(package_read._Package, "verify", lambda self, name: None)
    county = open_database(county_path)
    with pytest.raises(PackageError, match="校验值不符"):
        merge_package(county.engine, changed, "县法治办")
    county.dispose()
    assert hashlib.sha256(county_path.read_bytes()).hexdigest() == before


def test_h3_running_out_of_memory_is_a_refusal_not_an_internal_error(tmp_path, data_dir, monkeypatch):
    from fazhi_desktop.exchange import package_read
    from fazhi_desktop.exchange.package_read import PackageError, merge_package
    from fazhi_desktop.storage.database import open_database

    pkg = _synthetic_package(tmp_path, 50)

    def exhausted(*args, **kwargs):
        raise MemoryError

    county = open_database(tmp_path / "county.sqlite3")
    try:
        with monkeypatch.context() as m:
            m.setattr(package_read.json, "loads", exhausted)  # the json module's own: the manifest is the first
            with pytest.raises(PackageError, match="本机内存不足"):
                merge_package(county.engine, pkg, "县法治办")
    finally:
        county.dispose()


def test_low_a_damaged_compressed_part_is_refused_and_the_rest_of_the_batch_merges(tmp_path, data_dir):
    """One package damaged on its way (a USB stick) among several chosen together: it is refused with a message;
    the others merge (it used to be 「程序内部错误」, and the batch stopped there)."""
    import shutil
    import struct
    import zipfile

    from fazhi_desktop.exchange.package_read import merge_many
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.storage.database import open_database

    good = _synthetic_package(tmp_path, 300)
    damaged = tmp_path / "损坏.zip"
    shutil.copy(good, damaged)
    with zipfile.ZipFile(damaged) as z:
        info = max((i for i in z.infolist() if i.filename.startswith("records/")), key=lambda i: i.compress_size)
    data = bytearray(damaged.read_bytes())
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    start = info.header_offset + 30 + name_len + extra_len
    for k in range(start + info.compress_size // 2, start + info.compress_size // 2 + 8):
        data[k] ^= 0x5A
    damaged.write_bytes(bytes(data))
    county = open_database(tmp_path / "county.sqlite3")
    try:
        batch = merge_many(Context(county, None, "县法治办"), [damaged, good]).value
    finally:
        county.dispose()
    assert len(batch.refused) == 1 and "损坏" in batch.refused[0], batch.refused
    assert len(batch.merged) == 1 and batch.merged[0].created > 250


def test_low_a_backup_claiming_an_older_revision_than_its_tables_is_refused_with_a_message(tmp_path, data_dir):
    """Its upgrade fails on the restored copy: a message, the live file untouched (it was 「程序内部错误」)."""
    import hashlib
    import sqlite3

    db = tmp_path / "d.sqlite3"
    assert _cli(db, "demo").returncode == 0
    assert _cli(db, "backup", "--out", str(tmp_path)).returncode == 0
    (copy,) = tmp_path.glob("*-备份-*.sqlite3")
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0005'")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    refused = _cli(db, "restore", str(copy))
    assert refused.returncode == 1 and "结构版本不符" in refused.stderr, refused.stderr
    assert "程序内部错误" not in refused.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert _cli(db, "check").returncode == 0


def test_low_what_a_killed_binder_run_left_beside_its_output_goes_at_the_next_run(tmp_path, data_dir):
    import os
    import time

    db = tmp_path / "d.sqlite3"
    assert _cli(db, "demo").returncode == 0
    out = tmp_path / "汇编.pdf"
    stale = tmp_path / ".汇编.pdf.k1ll3d.part"  # as tempfile.mkstemp names them, left by a killed run
    stale.write_bytes(b"%PDF-1.4 half a binder")
    an_hour_ago = time.time() - 3700
    os.utime(stale, (an_hour_ago, an_hour_ago))
    running = tmp_path / ".汇编.pdf.running.part"  # another run writing the same file right now
    running.write_bytes(b"%PDF-1.4 being written")
    other = tmp_path / ".其他.pdf.old.part"  # another output's: not this one's to take
    other.write_bytes(b"x")
    os.utime(other, (an_hour_ago, an_hour_ago))
    made = _cli(db, "binder", "--year", "2023", "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert out.is_file() and not stale.exists() and running.exists() and other.exists()


KILLED_MERGE = """
import os, sys
from pathlib import Path
from fazhi_desktop.exchange import package_read
from fazhi_desktop.storage import blobstore
from fazhi_desktop.storage.database import open_database

def killed(*args, **kwargs):
    os._exit(9)

if sys.argv[3] == "before-commit":  # the photos were written, no record yet
    package_read._merge_records = killed
else:  # the records are committed, the photos not yet moved into the store
    blobstore.Staging.publish = killed
county = open_database(Path(sys.argv[1]))
package_read.merge_package(county.engine, Path(sys.argv[2]), "县法治办")
"""


@pytest.mark.parametrize("when", ["before-commit", "after-commit"])
def test_h7_what_a_killed_merge_left_is_settled_at_the_next_start(tmp_path, data_dir, when):
    """A merge killed between writing a package's photos and committing its records leaves nothing in the store,
    and the next start (holding the lock, as the window and every writing command do) removes the staged photos; one
    killed after its commit leaves the photos staged, and the next start moves them in under their records."""
    import os
    import subprocess
    import sys

    import sqlalchemy as sa

    from fazhi_desktop.services import attachments, opening
    from fazhi_desktop.storage import blobstore
    from fazhi_desktop.storage.database import open_database

    pkg = _package_with_a_photo(tmp_path, b"killed")
    county_path = tmp_path / "county.sqlite3"
    open_database(county_path).dispose()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.run([sys.executable, "-c", KILLED_MERGE, str(county_path), str(pkg), when], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 9, run.stderr
    county = open_database(county_path)
    store = blobstore.database_store(county.database_id)
    county.dispose()
    assert _store_files_in(store) == []  # nothing reached the store itself
    assert len(list(store.root.glob("staging-*/*"))) == 1  # the photo waits beside it

    opened = opening.open_for(str(county_path), write=True, actor="县法治办")
    try:
        assert not list(store.root.glob("staging-*"))
        with opened.db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT sha256, name FROM attachments")).all()
            if when == "before-commit":
                assert rows == [] and _store_files_in(store) == []
            else:
                assert len(rows) == 1 and len(_store_files_in(store)) == 1
                stored = attachments.path_for(conn, rows[0].sha256, rows[0].name)
                assert blobstore.digest_file(stored) == rows[0].sha256
    finally:
        opened.close()


def test_h7_a_packages_photos_reach_the_store_only_after_its_records_are_committed(tmp_path, data_dir, monkeypatch):
    """Refused means nothing written: while the records are checked (the moment a refusal comes), the package's
    files are in a staging folder, not in the county's store."""
    from fazhi_desktop.exchange import package_read
    from fazhi_desktop.storage import blobstore
    from fazhi_desktop.storage.database import open_database

    pkg = _package_with_a_photo(tmp_path, b"staged")
    county = open_database(tmp_path / "county.sqlite3")
    store = blobstore.database_store(county.database_id)
    seen: list[tuple[list[str], int]] = []
    real = package_read._merge_records

    def watched(*args, **kwargs):
        seen.append((_store_files_in(store), len(list(store.root.glob("staging-*/*")))))
        return real(*args, **kwargs)

    monkeypatch.setattr(package_read, "_merge_records", watched)
    try:
        assert package_read.merge_package(county.engine, pkg, "县法治办").attachments == 1
        assert seen == [([], 1)]
        assert len(_store_files_in(store)) == 1 and not list(store.root.glob("staging-*"))
    finally:
        county.dispose()


def _store_files_in(store) -> list[str]:
    """The files in the store itself (not an intent file, not what waits in a staging folder)."""
    return sorted(p.name for p in store.root.rglob("*") if p.is_file() and not p.name.startswith("pending-")
                  and not p.parent.name.startswith("staging-"))


TYPED_ID = "620102199001011234"


def test_low_an_id_typed_into_free_text_is_masked_in_every_output_and_survives_a_round_trip(db, unit, svc, tmp_path):
    """A clerk writes a party's ID number into 简要情况: export, statistics workbook, binder, package and the history
    show it by the one mask; the export brought back unchanged keeps the stored text; a 管理员's full export shows it."""
    import json
    import zipfile

    from pypdf import PdfReader

    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.reports.render.binder_pdf import make_binder
    from fazhi_desktop.reports.render.xlsx import write_statistics_workbook
    from fazhi_desktop.services import audit
    from fazhi_desktop.services.context import Context

    summary = f"张三（身份证号{TYPED_ID}）与邻居因排水沟发生纠纷"
    rid = svc.create("dispute", {"date": "2023-05-06", "source": "排查发现", "village": unit.villages[0],
                                 "category": "邻里关系", "parties": "张三与李四", "summary": summary, "risk": "绿",
                                 "status": "调解成功", "closed_on": "2023-05-20"}).id
    masked = "620102********1234"

    def cells(path):
        wb = load_workbook(path, read_only=True)
        return " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c is not None)

    export = tmp_path / "导出.xlsx"
    export_workbook(db.engine, unit, export, 2023)
    tables = write_statistics_workbook(db.engine, unit, 2023, tmp_path / "统计表.xlsx")
    make_binder(Context(db, unit, "测试员"), 2023, tmp_path / "汇编.pdf", ["dispute"])
    pkg = write_package(db.engine, unit, 2023, tmp_path / "包.zip").path
    with zipfile.ZipFile(pkg) as zf:
        packed = zf.read("records/dispute.jsonl").decode()
    with db.engine.connect() as conn:
        history = json.dumps([audit.masked_changes(e) for e in audit.history(conn, rid)], ensure_ascii=False)
    printed = "".join(p.extract_text() for p in PdfReader(tmp_path / "汇编.pdf").pages).replace("\n", "")
    for name, text in {"export": cells(export), "tables": cells(tables), "package": packed, "history": history,
                       "binder": printed}.items():
        assert TYPED_ID not in text, name
        assert masked in text, name
    # the clerk's own export brought back as it is: nothing changes, the full number stays stored
    plan = next(p for p in plan_import(db.engine, export).plans if p.ledger.key == "dispute")
    assert plan.updates == [] and plan.unchanged == 1
    assert svc.get("dispute", rid)["summary"] == summary
    full = tmp_path / "完整.xlsx"
    export_workbook(db.engine, unit, full, 2023, full_ids=True)
    assert TYPED_ID in cells(full)
