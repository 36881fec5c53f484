"""The redesign step (issue #22): the bugs its patterns caused, each shown fixed, and the claim that a new field of an
existing kind needs its declaration and a migration only."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from clikit import run_cli

from fazhi_desktop.domain.unit import UNIT_FIELDS
from fazhi_desktop.domain.validation import validate_fields
from fazhi_desktop.reports import readiness
from fazhi_desktop.services import stats
from fazhi_desktop.services.units import update_unit
from fazhi_desktop.storage import migrate

ROOT = Path(__file__).resolve().parents[1]


# A1. One list rule -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["东村、西村、南村", "东村，西村，南村", "东村,西村,南村", "东村\n西村\n南村", "东村；西村；南村"])
def test_a_list_typed_the_way_its_help_says_is_that_many_names(typed):
    villages = next(f for f in UNIT_FIELDS if f.key == "villages")
    assert "顿号" in villages.hint
    clean, problems = validate_fields(UNIT_FIELDS, {"name": "甲镇", "county": "某县", "addressee": "县法治办",
                                                    "issuers": "中共甲镇委员会、甲镇人民政府", "villages": typed})
    assert not [p for p in problems if not p.warning]
    assert clean["villages"] == ["东村", "西村", "南村"]
    assert clean["issuers"] == ["中共甲镇委员会", "甲镇人民政府"]


def test_the_command_line_and_settings_split_lists_by_the_same_rule(tmp_path, db, unit):
    path = tmp_path / "a.sqlite3"
    proc = run_cli("--db", str(path), "init", "--unit", "甲镇", "--county", "某县", "--addressee", "县法治办",
                   "--issuer", "中共甲镇委员会、甲镇人民政府", "--villages", "东村、西村、南村")
    assert proc.returncode == 0 and "村(社区) 3 个" in proc.stdout, proc.stdout + proc.stderr
    with db.engine.begin() as conn:
        changed = update_unit(conn, unit, {"villages": "东村、西村、南村、北村"}, "测试员")
    assert changed.villages == ["东村", "西村", "南村", "北村"]


# A2. One "in force" rule for the counsel ---------------------------------------------------------------------------

def test_a_contract_that_ran_into_the_year_counts_everywhere(svc, db, unit, tmp_path):
    from pdfplumber import open as open_pdf

    from fazhi_desktop.reports.render import write_report
    from fazhi_desktop.reports.render.xlsx import write_statistics_workbook

    svc.create("counsel", {"name": "王律师", "firm": "县金桥律师事务所", "signed_on": "2022-01-01",
                           "service_from": "2022-01-01", "service_to": "2023-06-30"})
    svc.create("meeting", {"date": "2023-03-01", "kind": "法治建设专题会议", "title": "会"})
    with db.engine.connect() as conn:
        assert stats.compute(conn, unit, 2023)["counsel.count"] == 1
        assert not [f for f in readiness.check(conn, unit, 2023) if f.ledger == "counsel"]
    pdf = write_report(db.engine, unit, 2023, tmp_path / "r.pdf").path
    with open_pdf(pdf) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages).replace(" ", "").replace("\n", "")
    assert "县金桥律师事务所" in text and "尚未聘请" not in text
    import openpyxl

    book = openpyxl.load_workbook(write_statistics_workbook(db.engine, unit, 2023, tmp_path / "t.xlsx"))
    cells = [c.value for row in book["法律顾问台账"].iter_rows() for c in row]
    assert "王律师" in cells


# A5. A new migration is always reached ------------------------------------------------------------------------------

def test_a_new_revision_file_becomes_the_head_without_any_constant(tmp_path):
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy)
    assert migrate.head_from_files(copy) == migrate.HEAD
    (copy / "versions" / "0099_something_new.py").write_text('revision = "0099"\n', encoding="utf-8")
    assert migrate.head_from_files(copy) == "0099"


def test_revision_files_form_one_chain_named_by_their_revisions():
    script = migrate.script_directory()
    revisions = {rev.revision: rev for rev in script.walk_revisions()}
    for path in (migrate.MIGRATIONS_DIR / "versions").glob("[0-9]*.py"):
        assert path.name[:4] in revisions, path.name
    chain, rev = [], script.get_current_head()
    while rev:
        chain.append(rev)
        rev = revisions[rev].down_revision
    assert sorted(chain) == sorted(revisions) and chain[0] == migrate.HEAD


# A new field of an existing kind: the declaration and a migration only ------------------------------------------

NEW_FIELD = textwrap.dedent('''
    import sys
    from fazhi_desktop.domain import fields, ledgers

    # The one change a developer makes: a field in the declaration (the migration is generated below).
    extra = fields.Field("venue", "会议地点", fields.FieldType.TEXT)
    meeting = ledgers.MEETING
    ledgers.MEETING = fields.Ledger(**{**{k: getattr(meeting, k) for k in ("key", "name", "year_from", "title_field",
                                      "rules", "group", "in_force", "activity", "period", "evidence", "retention",
                                      "one_piece", "file_title", "materials")},
                                      "fields": (*meeting.fields[:-1], extra, meeting.fields[-1])})
    ledgers.LEDGERS = tuple(ledgers.MEETING if lg.key == "meeting" else lg for lg in ledgers.LEDGERS)
    ledgers._BY_KEY["meeting"] = ledgers.MEETING

    import sqlalchemy as sa
    from alembic.autogenerate import produce_migrations
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from alembic.operations.ops import ModifyTableOps

    from fazhi_desktop.storage.database import open_database
    from fazhi_desktop.storage.schema import metadata

    db = open_database(sys.argv[1])  # at today's head: the new column is not there yet
    with db.engine.begin() as conn:
        script = produce_migrations(MigrationContext.configure(conn), metadata)
        ops = [op for group in script.upgrade_ops.ops if isinstance(group, ModifyTableOps) for op in group.ops]
        # a short text: its pinyin sort key and that key's index come with it (domain.sort_keys)
        made = [(group.table_name, op.column.name if hasattr(op, "column") else op.index_name)
                for group in script.upgrade_ops.ops for op in group.ops]
        assert made == [("meeting", "venue"), ("meeting", "venue__pinyin"), ("meeting", "ix_meeting_venue__pinyin")], made
        operations = Operations(MigrationContext.configure(conn))
        for op in ops:
            operations.invoke(op)

    # Everything else picks the field up from the declaration.
    from fazhi_desktop.exchange.apply import run_import
    from fazhi_desktop.exchange.writer import export_workbook, write_template
    from fazhi_desktop.reports.render.xlsx import write_statistics_workbook
    from fazhi_desktop.services import listing
    from fazhi_desktop.services.records import RecordService
    from fazhi_desktop.services.units import create_unit
    import openpyxl

    with db.engine.begin() as conn:
        unit = create_unit(conn, {"name": "甲镇", "county": "某县", "addressee": "县法治办", "issuers": ["甲镇"],
                                  "villages": ["东村"]}, "测试员")
    svc = RecordService(db.engine, unit, "测试员")
    rid = svc.create("meeting", {"date": "2023-03-01", "kind": "其他", "title": "会", "venue": "镇会议室"}).id
    assert svc.get("meeting", rid)["venue"] == "镇会议室"
    with db.engine.connect() as conn:
        found = listing.page(conn, unit, listing.ListQuery("meeting", search="会议室"), 0, 10)
    assert [r["id"] for r in found] == [rid]
    out = sys.argv[2]
    export_workbook(db.engine, unit, out + "/e.xlsx")
    book = openpyxl.load_workbook(out + "/e.xlsx")
    assert "会议地点" in [c.value for c in book["会议台账"][1]]
    write_template(out + "/t.xlsx", unit)
    assert "会议地点" in [c.value for c in openpyxl.load_workbook(out + "/t.xlsx")["会议台账"][1]]
    tables = openpyxl.load_workbook(write_statistics_workbook(db.engine, unit, 2023, out + "/s.xlsx"))
    assert "镇会议室" in [c.value for row in tables["会议台账"].iter_rows() for c in row]
    svc.update("meeting", rid, {"venue": "村委会"})
    report = run_import(db.engine, out + "/e.xlsx", actor="测试员")
    assert (report.created, report.updated) == (0, 1) and svc.get("meeting", rid)["venue"] == "镇会议室"

    import os
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from fazhi_desktop.gui.ledger.form import RecordForm
    form = RecordForm(ledgers.MEETING.fields, unit, "meeting")
    assert form.editors["venue"].widget.metaObject().className() == "QLineEdit"
    print("venue everywhere")
''')


def test_a_new_field_of_an_existing_kind_needs_only_its_declaration_and_a_migration(tmp_path, data_dir):
    db = tmp_path / "f.sqlite3"
    proc = subprocess.run([sys.executable, "-c", NEW_FIELD, str(db), str(tmp_path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=180, env={**__import__("os").environ, "FAZHI_DATA_DIR": str(data_dir)})
    assert proc.returncode == 0 and "venue everywhere" in proc.stdout, proc.stderr[-3000:]
