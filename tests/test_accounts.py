"""Accounts, roles and personal information (#21): roles enforced in the service layer, passwords never in clear,
lockout, one masking rule in every output, a history line for each reveal and export, the 公开版 check, minors."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zipfile

import pytest
import sqlalchemy as sa

from fazhi_desktop.domain.errors import AccessDenied, LoginError, UserError
from fazhi_desktop.domain.idcard import check_digit, mask_idcard, mask_phone
from fazhi_desktop.services import accounts, privacy
from fazhi_desktop.services.records import RecordService
from fazhi_desktop.storage.schema import audit_log

ADMIN_PW, CLERK_PW, VIEWER_PW = "admin-2024a", "clerk-2024b", "viewer-2024c"


def _id(body17: str) -> str:
    return body17 + check_digit(body17)


CHILD_ID = _id("62102420150601123")  # born 2015-06-01: 8 years old in 2023
ADULT_ID = _id("62102419800101456")
PHONE = "13912345678"


@pytest.fixture
def staffed(db, unit):
    """The unit with three accounts: 管理员 张主任, 录入员 李四, 查看 王五."""
    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", ADMIN_PW, "本机用户")
        accounts.add(conn, "李四", "录入员", CLERK_PW, "张主任")
        accounts.add(conn, "王五", "查看", VIEWER_PW, "张主任")
    return db


def _talent(**extra):
    return {"year": 2023, "name": "赵小花", "village": "东村", "category": "学法带头人", "phone": PHONE,
            "id_number": ADULT_ID, **extra}


def test_mask_rule():
    assert mask_idcard("11010519491231002X") == "110105********002X"
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("0934-5500000") == "093*-***0000"


def test_without_accounts_everyone_may_do_everything(db, unit, svc):
    rid = svc.create("legal_talent", _talent()).id
    assert privacy.reveal(db.engine, unit, "anyone", "legal_talent", rid, "id_number") == ADULT_ID


def test_each_roles_allowed_and_forbidden_actions(staffed, unit, tmp_path):
    from fazhi_desktop.exchange.writer import export_workbook
    from fazhi_desktop.services import reports_text
    from fazhi_desktop.services.units import update_settings

    engine = staffed.engine
    admin, clerk, viewer, stranger = (RecordService(engine, unit, n) for n in ("张主任", "李四", "王五", "路人"))
    rid = clerk.create("legal_talent", _talent()).id  # a 录入员 enters and edits
    clerk.update("legal_talent", rid, {"trainings": 2})
    for who in (viewer, stranger):  # 查看 and a name that is no account write nothing
        with pytest.raises(AccessDenied):
            who.create("legal_talent", _talent(name="钱七"))
        with pytest.raises(AccessDenied):
            who.update("legal_talent", rid, {"trainings": 3})
        with pytest.raises(AccessDenied):
            who.delete("legal_talent", rid)
    clerk.delete("legal_talent", rid)
    with pytest.raises(AccessDenied, match="录入员"):
        clerk.purge("legal_talent", rid)  # 彻底删除: a 管理员 only
    admin.purge("legal_talent", rid)
    with engine.begin() as conn, pytest.raises(AccessDenied):
        update_settings(conn, unit, {"h3_bold": True}, "李四")
    with engine.begin() as conn, pytest.raises(AccessDenied):
        reports_text.save_report_text(conn, unit, 2023, {"doc_date": dt.date(2024, 3, 1)}, "王五")
    rid = clerk.create("legal_talent", _talent()).id
    export_workbook(engine, unit, tmp_path / "masked.xlsx", actor="李四")  # masked: a 录入员 may
    with pytest.raises(AccessDenied, match="管理员"):
        export_workbook(engine, unit, tmp_path / "full.xlsx", full_ids=True, actor="李四")
    with pytest.raises(AccessDenied):
        export_workbook(engine, unit, tmp_path / "v.xlsx", actor="王五")
    with pytest.raises(AccessDenied):
        privacy.reveal(engine, unit, "李四", "legal_talent", rid, "id_number")
    assert privacy.reveal(engine, unit, "张主任", "legal_talent", rid, "id_number") == ADULT_ID
    with engine.begin() as conn, pytest.raises(AccessDenied):
        accounts.add(conn, "赵六", "管理员", "another-1a", "李四")  # only a 管理员 adds accounts
    with engine.begin() as conn, pytest.raises(AccessDenied):
        accounts.disable(conn, "王五", "李四")
    with engine.begin() as conn:
        accounts.disable(conn, "李四", "张主任")
    with pytest.raises(AccessDenied, match="不是本数据库的有效账户"):
        clerk.update("legal_talent", rid, {"trainings": 4})  # a disabled account writes nothing
    with pytest.raises(LoginError, match="已停用"):
        accounts.login(engine, "李四", CLERK_PW)
    assert not (tmp_path / "full.xlsx").exists() and not (tmp_path / "v.xlsx").exists()


def test_the_first_account_is_an_admin_and_the_last_admin_stays(db):
    with db.engine.begin() as conn, pytest.raises(UserError, match="第一个账户必须是管理员"):
        accounts.add(conn, "李四", "录入员", CLERK_PW, "x")
    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", ADMIN_PW, "x")
    with db.engine.begin() as conn, pytest.raises(UserError, match="唯一"):
        accounts.disable(conn, "张主任", "张主任")
    with db.engine.begin() as conn, pytest.raises(UserError, match="至少8位"):
        accounts.add(conn, "赵六", "查看", "short1", "张主任")


def test_no_clear_password_in_the_database_or_the_log(staffed, tmp_path, data_dir):
    from fazhi_desktop.logs import setup_logging

    setup_logging()
    accounts.login(staffed.engine, "李四", CLERK_PW)
    with pytest.raises(LoginError):
        accounts.login(staffed.engine, "李四", "wrong-guess-1")
    accounts.change_password(staffed.engine, "王五", VIEWER_PW, "viewer-new-9z")
    staffed.dispose()
    files = [tmp_path / n for n in os.listdir(tmp_path) if n.startswith("test.sqlite3")]
    files += [p for p in data_dir.rglob("*") if p.is_file()]
    blob = b"".join(p.read_bytes() for p in files)
    for secret in (ADMIN_PW, CLERK_PW, VIEWER_PW, "viewer-new-9z", "wrong-guess-1"):
        assert secret.encode() not in blob, secret
    assert b"$argon2id$" in blob  # stored as Argon2id hashes


def test_lockout_after_five_wrong_passwords(staffed):
    engine, now = staffed.engine, [dt.datetime(2024, 3, 1, 9, 0)]
    for left in (4, 3, 2, 1):
        with pytest.raises(LoginError, match=f"再输错{left}次"):
            accounts.login(engine, "李四", "nope-0000a", now=lambda: now[0])
    with pytest.raises(LoginError, match="已锁定15分钟"):
        accounts.login(engine, "李四", "nope-0000a", now=lambda: now[0])
    now[0] += dt.timedelta(minutes=14)
    with pytest.raises(LoginError, match="已锁定"):  # even the right password, while locked
        accounts.login(engine, "李四", CLERK_PW, now=lambda: now[0])
    now[0] += dt.timedelta(minutes=2)
    assert accounts.login(engine, "李四", CLERK_PW, now=lambda: now[0]).role == "录入员"
    with staffed.engine.connect() as conn:
        actions = [a for (a,) in conn.execute(sa.select(audit_log.c.action).where(audit_log.c.ledger == "account"))]
    assert actions.count("login-failed") == 5 and "login" in actions


def test_an_account_forged_outside_the_program_shows_in_verify(staffed):
    from fazhi_desktop.services import audit

    with staffed.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE accounts SET role = '管理员' WHERE name = '王五'")
        problems = audit.state_problems(conn)
    assert any("账户「王五」" in p for p in problems), problems


def _full_numbers(text: str, numbers: list[str]) -> list[str]:
    return [n for n in numbers if n in text]


def test_no_full_number_in_any_output_a_clerk_makes(tmp_path, data_dir):
    """The demo plus a child party, a penalty case's ID and phones, every output a 录入员 can make, searched."""
    from docx import Document as open_docx
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.exchange.writer import export_workbook
    from fazhi_desktop.logs import setup_logging
    from fazhi_desktop.reports.render import write_report
    from fazhi_desktop.reports.render.binder_pdf import make_binder
    from fazhi_desktop.reports.render.xlsx import write_statistics_workbook
    from fazhi_desktop.services.context import Context
    from fazhi_desktop.services.demo import load_demo
    from fazhi_desktop.storage.database import open_database
    from fazhi_desktop.storage.schema import ledger_table

    setup_logging()
    db = open_database(tmp_path / "d.sqlite3")
    unit = load_demo(db.engine)
    with db.engine.begin() as conn:
        accounts.add(conn, "张主任", "管理员", ADMIN_PW, "x")
        accounts.add(conn, "李四", "录入员", CLERK_PW, "张主任")
    clerk = RecordService(db.engine, unit, "李四")
    clerk.create("dispute", {"date": "2023-10-09", "source": "排查发现", "village": unit.villages[0],
                             "category": "邻里关系", "parties": "甲某与乙某", "party_id": CHILD_ID,
                             "summary": "放学路上打闹", "risk": "绿", "status": "调处中"})
    for n in range(3):  # the demo's rosters carry no phone numbers
        clerk.create("legal_talent", _talent(name=f"孙{n}花", village=unit.villages[n], phone=f"1391234{n:04d}",
                                             id_number=None))
    with db.engine.connect() as conn:
        t = ledger_table("legal_talent")
        ids = [v for (v,) in conn.execute(sa.select(t.c.id_number).where(t.c.id_number.is_not(None)))]
        phones = [v for (v,) in conn.execute(sa.select(t.c.phone).where(t.c.phone.is_not(None)))]
    full = [*ids, CHILD_ID, *phones]
    assert len(ids) > 10 and len(phones) == 3
    ctx = Context(db, unit, "李四")
    export_workbook(db.engine, unit, tmp_path / "export.xlsx", actor="李四")
    write_statistics_workbook(db.engine, unit, 2023, tmp_path / "tables.xlsx", full_rosters=True, actor="李四")
    write_report(db.engine, unit, 2023, tmp_path / "r.pdf")
    write_report(db.engine, unit, 2023, tmp_path / "r.docx")
    make_binder(ctx, 2023, tmp_path / "binder.pdf")
    write_package(db.engine, unit, 2023, tmp_path / "p.zip", actor="李四")
    texts = {}
    for name in ("export.xlsx", "tables.xlsx"):
        wb = load_workbook(tmp_path / name, read_only=True)
        texts[name] = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)
    for name in ("r.pdf", "binder.pdf"):
        texts[name] = " ".join(page.extract_text() or "" for page in PdfReader(tmp_path / name).pages)
    texts["r.docx"] = " ".join(p.text for p in open_docx(tmp_path / "r.docx").paragraphs)
    with zipfile.ZipFile(tmp_path / "p.zip") as zf:
        texts["p.zip"] = " ".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    texts["logs"] = " ".join(p.read_text("utf-8", "replace") for p in data_dir.rglob("*.log*") if p.is_file())
    assert mask_idcard(ids[0]) in texts["export.xlsx"] + texts["tables.xlsx"]  # the numbers are there, masked
    assert mask_phone(phones[0]) in texts["export.xlsx"]
    for name, text in texts.items():
        digits = re.sub(r"\s+", "", text)
        assert not _full_numbers(digits, full), name
    # the exports left history lines: who, what, how many rows, which file
    with db.engine.connect() as conn:
        lines = [json.loads(c) | {"actor": a} for a, c in conn.execute(
            sa.select(audit_log.c.actor, audit_log.c.changes).where(audit_log.c.action == "export"))]
    files = {line["文件"][1] for line in lines}
    assert {"export.xlsx", "tables.xlsx", "binder.pdf", "p.zip"} <= files
    assert all(line["actor"] == "李四" and line["记录数"][1] > 0 for line in lines)
    db.dispose()


def test_a_reveal_leaves_a_history_line(staffed, unit):
    rid = RecordService(staffed.engine, unit, "李四").create("legal_talent", _talent()).id
    assert privacy.reveal(staffed.engine, unit, "张主任", "legal_talent", rid, "phone") == PHONE
    with staffed.engine.connect() as conn:
        row = conn.execute(sa.select(audit_log).where(audit_log.c.action == "reveal")).mappings().one()
    assert row["actor"] == "张主任"
    assert json.loads(row["changes"]) == {"台账": [None, "法治人才名册"], "记录": [None, rid], "字段": [None, "联系电话"]}


def test_a_masked_number_saved_unchanged_keeps_the_stored_one(staffed, unit):
    clerk = RecordService(staffed.engine, unit, "李四")
    rid = clerk.create("legal_talent", _talent()).id
    clerk.update("legal_talent", rid, {"id_number": mask_idcard(ADULT_ID), "phone": mask_phone(PHONE), "trainings": 1})
    stored = clerk.get("legal_talent", rid)
    assert stored["id_number"] == ADULT_ID and stored["phone"] == PHONE and stored["trainings"] == 1


def test_minors_are_flagged_in_disputes_and_cases(svc, unit):
    saved = svc.create("dispute", {"date": "2023-10-09", "source": "排查发现", "village": unit.villages[0],
                                   "category": "邻里关系", "parties": "甲某与乙某", "party_id": CHILD_ID,
                                   "summary": "打闹", "risk": "绿", "status": "调处中"})
    assert any("未成年人（8岁" in w.message for w in saved.warnings)
    case = {"date": "2023-10-09", "domain": "市场监管", "party": "甲某", "party_id": CHILD_ID, "facts": "无照经营",
            "method": "行政处罚"}
    assert any("依法不予行政处罚" in w.message for w in svc.create("enforcement", case).warnings)
    adult = svc.create("enforcement", case | {"party_id": ADULT_ID})
    assert not any("未满十四周岁" in w.message for w in adult.warnings)


def test_the_public_version_finds_a_partys_name_and_refuses_until_handled(tmp_path):
    from fazhi_desktop.reports import publication
    from fazhi_desktop.reports.render import write_report
    from fazhi_desktop.services import reports_text
    from fazhi_desktop.services.demo import load_demo
    from fazhi_desktop.services.units import update_settings
    from fazhi_desktop.storage.database import open_database

    db = open_database(tmp_path / "d.sqlite3")
    unit = load_demo(db.engine)
    write_report(db.engine, unit, 2023, tmp_path / "clean.pdf", public=True)  # the demo's text names nobody
    with db.engine.connect() as conn:
        party = conn.execute(sa.text("SELECT party FROM enforcement WHERE method = '行政处罚'")).scalar()
        draft = reports_text.load_report_text(conn, unit, 2023)
    problems = [*draft["problems"], f"个别案件当事人{party}多次违规，执法力度仍需加强，联系电话13900001111"]
    with db.engine.begin() as conn:
        reports_text.save_report_text(conn, unit, 2023, {"problems": problems}, "测试员")
    with pytest.raises(UserError) as refused:
        write_report(db.engine, unit, 2023, tmp_path / "public.pdf", public=True)
    # the name is found; the phone number no longer reaches the text at all: every report prints it masked (#34)
    assert f"当事人或村民姓名「{party}」" in str(refused.value) and "13900001111" not in str(refused.value)
    assert not (tmp_path / "public.pdf").exists()
    with db.engine.begin() as conn:  # a configured sensitive word is found too
        unit = update_settings(conn, unit, {"sensitive_words": ["执法力度"]}, "测试员")
    with pytest.raises(UserError, match="敏感词「执法力度」"):
        write_report(db.engine, unit, 2023, tmp_path / "public.pdf", public=True)
    with db.engine.begin() as conn:
        unit = publication.accept(conn, unit, 2023, ["执法力度"], "测试员")
    problems[-1] = problems[-1].replace(party, "某某")  # changed in the text
    with db.engine.begin() as conn:
        reports_text.save_report_text(conn, unit, 2023, {"problems": problems}, "测试员")
    write_report(db.engine, unit, 2023, tmp_path / "public.pdf", public=True)
    assert (tmp_path / "public.pdf").exists()
    db.dispose()


def _cli(db, *args, stdin=""):
    from clikit import run_cli

    return run_cli("--db", str(db), *args, stdin=stdin)


def test_cli_accounts_and_passwords(tmp_path):
    db = tmp_path / "d.sqlite3"
    assert _cli(db, "demo").returncode == 0
    made = _cli(db, "--user", "张主任", "user", "add", "张主任", "--role", "管理员", stdin=f"{ADMIN_PW}\n{ADMIN_PW}\n")
    assert made.returncode == 0 and "已建立账户「张主任」" in made.stdout
    differs = _cli(db, "--user", "张主任", "user", "add", "李四", "--role", "录入员",
                   stdin=f"{ADMIN_PW}\n{CLERK_PW}\nother-1234\n")
    assert differs.returncode == 1 and "两次输入的密码不一致" in differs.stderr
    made = _cli(db, "--user", "张主任", "user", "add", "李四", "--role", "录入员",
                stdin=f"{ADMIN_PW}\n{CLERK_PW}\n{CLERK_PW}\n")
    assert made.returncode == 0
    listed = _cli(db, "--user", "李四", "user", "list", stdin=f"{CLERK_PW}\n")
    assert "张主任\t管理员\t在用" in listed.stdout and "李四\t录入员\t在用" in listed.stdout
    assert _cli(db, "stats", "--year", "2023").returncode == 1  # accounts exist: the OS user is asked, has none
    wrong = _cli(db, "--user", "李四", "stats", "--year", "2023", stdin="bad-password1\n")
    assert wrong.returncode == 1 and "账户名或密码不正确" in wrong.stderr
    full = _cli(db, "--user", "李四", "export", str(tmp_path / "x.xlsx"), "--full-ids", stdin=f"{CLERK_PW}\n")
    assert full.returncode == 1 and "管理员" in full.stderr and not (tmp_path / "x.xlsx").exists()
    ok = _cli(db, "--user", "李四", "stats", "--year", "2023", stdin=f"{CLERK_PW}\n")
    assert ok.returncode == 0 and "Traceback" not in ok.stderr
    off = _cli(db, "--user", "张主任", "user", "disable", "李四", stdin=f"{ADMIN_PW}\n")
    assert off.returncode == 0
    assert "已停用" in _cli(db, "--user", "李四", "stats", "--year", "2023", stdin=f"{CLERK_PW}\n").stderr


def test_only_an_admin_restores_a_backup(staffed, unit):
    from fazhi_desktop.services import safety

    backup = safety.backup_now(staffed)
    with pytest.raises(AccessDenied, match="录入员"):
        safety.restore(staffed.path, backup, "李四")
    staffed.dispose()
    assert safety.restore(staffed.path, backup, "张主任").safety is not None


def test_a_copy_of_the_database_is_an_admins_and_is_logged(staffed, unit, tmp_path):
    from fazhi_desktop.services import safety

    (tmp_path / "usb").mkdir()
    with pytest.raises(AccessDenied, match="录入员"):  # it holds every full ID number
        safety.copy_to(staffed, tmp_path / "usb", "李四")
    assert not list((tmp_path / "usb").iterdir())
    path = safety.copy_to(staffed, tmp_path / "usb", "张主任")
    with staffed.engine.connect() as conn:
        line = conn.execute(sa.select(audit_log).where(audit_log.c.action == "export")).mappings().one()
    assert line["actor"] == "张主任" and json.loads(line["changes"])["文件"] == [None, path.name]


def test_cli_restore_asks_for_an_admin_and_counts_failures(tmp_path, data_dir):
    db = tmp_path / "d.sqlite3"
    assert _cli(db, "demo").returncode == 0
    from clikit import add_accounts

    add_accounts(db, ("张主任", ADMIN_PW), ("李四", "录入员", CLERK_PW))
    made = _cli(db, "--user", "张主任", "backup", stdin=f"{ADMIN_PW}\n")
    assert made.returncode == 0, made.stderr
    backup = next((data_dir / "backups").glob("*.sqlite3"))
    refused = _cli(db, "--user", "李四", "restore", str(backup), stdin=f"{CLERK_PW}\n")
    assert refused.returncode == 1 and "录入员" in refused.stderr
    wrong = _cli(db, "--user", "张主任", "restore", str(backup), stdin="guess-12345\n")
    assert wrong.returncode == 1 and "再输错4次" in wrong.stderr  # counted: no way round the lockout
    ok = _cli(db, "--user", "张主任", "restore", str(backup), stdin=f"{ADMIN_PW}\n")
    assert ok.returncode == 0, ok.stderr


def test_the_office_phone_shown_masked_in_settings_is_kept_and_travels_in_full(db, unit, tmp_path):
    from fazhi_desktop.exchange.package_write import write_package
    from fazhi_desktop.services.units import update_unit

    with db.engine.begin() as conn:
        unit = update_unit(conn, unit, {"phone": "0934-5500000"}, "测试员")
        unit = update_unit(conn, unit, {"phone": mask_phone("0934-5500000"), "contact": "王"}, "测试员")
    assert unit.phone == "0934-5500000" and unit.contact == "王"
    write_package(db.engine, unit, 2023, tmp_path / "p.zip")
    with zipfile.ZipFile(tmp_path / "p.zip") as zf:
        assert "0934-5500000" in zf.read("unit.json").decode("utf-8")
