"""The ledger declarations are the one source of truth: tables and migrations must agree with them."""

from __future__ import annotations

import ast
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from fazhi_desktop.domain import sort_keys
from fazhi_desktop.domain.fields import FieldType
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS, UNIT_FIELDS
from fazhi_desktop.storage.schema import RECORD_COLUMNS, ledger_tables, metadata, report_texts, units

PACKAGE = Path(__file__).resolve().parents[1] / "fazhi_desktop"


def test_spec_ledger_keys_are_all_declared():
    """The spec's fifteen ledgers, and 政府信息公开 依申请 that #35 adds (the spec is silent on it)."""
    assert {lg.key for lg in LEDGERS} == {
        "meeting", "document", "leading_group", "facility", "study", "law_report", "publicity", "legal_talent",
        "counsel", "counsel_service", "enforcement", "dispute", "rectification", "legal_service", "review_litigation",
        "disclosure",
    }


def test_every_declared_field_has_a_column_and_every_column_a_declaration():
    for ledger in LEDGERS:
        table = ledger_tables[ledger.key]
        declared = {f.key for f in ledger.fields}
        columns = set(table.c.keys())
        assert declared <= columns, ledger.key
        keys = {sort_keys.column(f.key) for f in sort_keys.keyed_fields(ledger)}  # each derived from its field
        assert columns - declared <= {*RECORD_COLUMNS, *keys}, (ledger.key, columns - declared - set(RECORD_COLUMNS))
        for f in ledger.fields:
            assert table.c[f.key].comment == f.label
    assert {f.key for f in UNIT_FIELDS} <= set(units.c.keys())
    assert {f.key for f in REPORT_TEXT_FIELDS} <= set(report_texts.c.keys())


def test_labels_unique_and_choices_declared():
    for ledger in LEDGERS:
        labels = [f.label for f in ledger.fields]
        assert len(labels) == len(set(labels)), ledger.key
        for f in ledger.fields:
            if f.type in (FieldType.CHOICE, FieldType.MULTICHOICE):
                assert f.choices, f"{ledger.key}.{f.key} has no choices"
                assert all("|" not in c for c in f.choices)


def test_migrations_produce_exactly_the_declared_schema(db):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], f"the migrations and the declarations differ; write a migration: {diff}"


def test_indexes_for_statistics_lead_with_unit_deleted_year(db):
    inspector = sa.inspect(db.engine)
    for ledger in LEDGERS:
        cols = [ix["column_names"][:3] for ix in inspector.get_indexes(ledger.key)]
        assert ["unit_id", "deleted", "year"] in cols, ledger.key


def test_a_lists_first_page_is_read_in_the_order_of_its_index(db, unit):
    """A ledger list opens newest first; its index carries the date after the year, so the first page reads its 200
    rows instead of sorting the whole year (0.12 s → 0.002 s at a million records, #38)."""
    from plankit import plan as plan_of
    from plankit import statements

    from fazhi_desktop.services import listing

    checked = set()
    for ledger in LEDGERS:
        def first_page(key=ledger.key):
            with db.engine.connect() as conn:
                listing.page(conn, unit, listing.ListQuery(key, year=2023), 0, 200)

        _none, ran = statements(db.engine, first_page, lambda statement: "LIMIT" in statement)
        (statement, parameters), = ran
        plan = plan_of(db.engine, statement, parameters)
        if ledger.in_force or ledger.period is not None:
            continue  # rosters and contracts: the records in force by then, whatever their year
        if ledger.year_from == "year":
            # a roster of one year (its 年度 the year itself): no index orders it by entry time, and any index on
            # unit, deleted and year finds it (a sort key's as well as its own)
            assert any(step.startswith(f"SEARCH {ledger.key} USING INDEX ix_{ledger.key}_")
                       and "(unit_id=? AND deleted=? AND year=?)" in step for step in plan), (ledger.key, plan)
            continue
        assert any(f"ix_{ledger.key}_unit_year" in step for step in plan), (ledger.key, plan)
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, (ledger.key, plan)
        checked.add(ledger.key)
    assert {"dispute", "publicity", "meeting", "enforcement"} <= checked


def test_no_module_outside_gui_imports_qt():
    """Domain, storage, services and reports stay Qt-free; only the CLI may reach into the GUI package."""
    qt_users, gui_users = [], []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if parts[0] == "gui":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                qt_users.append("/".join(parts))
            if any(n.startswith("fazhi_desktop.gui") for n in names) and parts[0] != "cli":
                gui_users.append("/".join(parts))
    assert qt_users == []
    assert gui_users == []


def test_labels_use_full_width_brackets():
    """GB/T 15834: Chinese text takes full-width brackets — every label, choice and indicator a user sees."""
    from fazhi_desktop.domain.indicators import INDICATORS
    from fazhi_desktop.domain.ledgers import LEDGERS
    from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS, UNIT_FIELDS

    texts = [lg.name for lg in LEDGERS] + [f.label for lg in LEDGERS for f in lg.fields]
    texts += [c for lg in LEDGERS for f in lg.fields for c in f.choices]
    texts += [f.label for f in (*UNIT_FIELDS, *REPORT_TEXT_FIELDS)] + [i.label for i in INDICATORS]
    assert [t for t in texts if "(" in t or ")" in t] == []
