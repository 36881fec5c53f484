"""Database tables, derived from the ledger declarations.

Each ledger becomes one table whose columns are its declared fields plus the columns every record carries (UUID, unit,
report year, audit stamps, soft-delete flag). A ledger field therefore lives in exactly one place — its declaration —
plus an Alembic migration.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator

from fazhi_desktop.domain.fields import Field
from fazhi_desktop.domain.fingerprint import COLUMN as FINGERPRINT
from fazhi_desktop.domain.fingerprint import LENGTH as FINGERPRINT_LENGTH
from fazhi_desktop.domain.indicators import COUNTED
from fazhi_desktop.domain.ledgers import LEDGERS
from fazhi_desktop.domain.sort_keys import column as sort_key_column
from fazhi_desktop.domain.sort_keys import keyed_fields
from fazhi_desktop.domain.unit import REPORT_TEXT_FIELDS, UNIT_FIELDS

# Named constraints from the very first revision, so SQLite batch migrations can find them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class Money(TypeDecorator):
    """Money as integer fen: exact on every backend, no float rounding, no Decimal warnings on SQLite."""

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else int((Decimal(value) * 100).to_integral_value())

    def process_result_value(self, value, dialect):
        return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


_COLUMN_TYPES = {"text": lambda: sa.String(200), "longtext": sa.Text, "date": sa.Date, "int": sa.Integer,
                 "money": Money, "bool": sa.Boolean, "json": sa.JSON, "idcard": lambda: sa.String(18)}


def column_type(f: Field) -> sa.types.TypeEngine:
    """The column a field's kind is stored in (domain.kinds: ``storage``)."""
    return _COLUMN_TYPES[f.kind.storage]()


def field_columns(fields: tuple[Field, ...]) -> list[sa.Column]:
    return [sa.Column(f.key, column_type(f), nullable=True, comment=f.label) for f in fields]


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    ]


units = sa.Table(
    "units",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    *field_columns(UNIT_FIELDS),
    sa.Column("local_choices", sa.JSON(), nullable=True, comment="用户添加的可选值"),
    sa.Column("settings", sa.JSON(), nullable=True, comment="单位的其他设置"),
    *_stamps(),
    sa.UniqueConstraint("name"),
)

report_texts = sa.Table(
    "report_texts",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit_id", sa.String(36), sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    sa.Column("year", sa.Integer(), nullable=False),
    *field_columns(REPORT_TEXT_FIELDS),
    *_stamps(),
    sa.UniqueConstraint("unit_id", "year"),
)

RECORD_COLUMNS = ("id", "unit_id", "year", "created_at", "created_by", "updated_at", "updated_by", "deleted", "deleted_at",
                  "version", FINGERPRINT)


def year_index_columns(ledger) -> tuple[str, ...]:
    """The columns of a ledger's (unit, deleted, year) index, in order."""
    first = ("unit_id", "deleted", "year", *((ledger.year_from,) if ledger.year_from != "year" else ()))
    return first + tuple(key for key in COUNTED.get(ledger.key, ()) if key not in first)


def sort_index_columns(field_key: str) -> tuple[str, ...]:
    """The columns of the index a year's list sorted by ``field_key`` reads in order (domain.sort_keys): the key after
    the unit and year. Ties (one village, blanks) are put in entry order by a sort of their own rows: the entry
    time in every entry of these indexes made a database of a million records a third larger."""
    return ("unit_id", "deleted", "year", sort_key_column(field_key))


def _ledger_table(ledger) -> sa.Table:
    # Rosters declare their 年度 as the field ``year``; every other ledger gets ``year`` derived from its main date.
    year = [] if ledger.has("year") else [sa.Column("year", sa.Integer(), nullable=True, comment="所属年度")]
    table = sa.Table(
        ledger.key,
        metadata,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("unit_id", sa.String(36), sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
        *year,
        *field_columns(ledger.fields),
        *_stamps(),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        # Saves of the record so far (NULL: none since it was created): two clerks on one server database who
        # save the same record do not overwrite each other silently (RecordService.update).
        sa.Column("version", sa.Integer(), nullable=True, comment="修改次数"),
        # A digest of the declared values (domain.fingerprint): an import finds the records equal to its rows by it
        sa.Column(FINGERPRINT, sa.String(FINGERPRINT_LENGTH), nullable=True, comment="内容摘要"),
        # Pinyin sort keys of the short text fields (domain.sort_keys), derived like the fingerprint
        *(sa.Column(sort_key_column(f.key), sa.LargeBinary(), nullable=True, comment="拼音排序键")
          for f in keyed_fields(ledger)),
        comment=ledger.name,
    )
    # Statistics and lists always filter by unit, year and the deleted flag. Then the date a list is ordered by
    # (newest first: its first page reads 200 rows, not the year's), and the columns the statistics count
    # (domain.indicators.COUNTED): the index covers their statements, which never read the table's rows.
    sa.Index(f"ix_{ledger.key}_unit_year", *(table.c[key] for key in year_index_columns(ledger)))
    # The deleted flag too: with two equal columns before it, SQLite's planner (no statistics) takes this index for
    # an import's lookup, not the one above (which read every live record: 15 s at a million records)
    sa.Index(f"ix_{ledger.key}_fingerprint", table.c.unit_id, table.c.deleted, table.c[FINGERPRINT])
    for f in keyed_fields(ledger):
        sa.Index(f"ix_{ledger.key}_{sort_key_column(f.key)}", *(table.c[key] for key in sort_index_columns(f.key)))
    return table


ledger_tables: dict[str, sa.Table] = {ledger.key: _ledger_table(ledger) for ledger in LEDGERS}

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(), nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("unit_id", sa.String(36), nullable=True),
    sa.Column("ledger", sa.String(40), nullable=False),
    sa.Column("record_id", sa.String(36), nullable=False, index=True),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("changes", sa.Text(), nullable=False, comment="JSON: 字段 → [旧值, 新值]"),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    # The record's state after the change (storage.audit_chain): a row changed outside the program shows.
    sa.Column("state", sa.String(64), nullable=True),
)

# Facts about the database itself: its identity (a UUID, so backups and attachments follow the database, not the
# name of its file).
database_info = sa.Table(
    "database_info",
    metadata,
    sa.Column("key", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text(), nullable=False),
)

attachments = sa.Table(
    "attachments",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit_id", sa.String(36), sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    sa.Column("ledger", sa.String(40), nullable=False),
    sa.Column("record_id", sa.String(36), nullable=False, index=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.BigInteger(), nullable=False),
    sa.Column("added_at", sa.DateTime(), nullable=False),
    sa.Column("added_by", sa.String(64), nullable=False),
    # what the clerk said of it: the document it is (调解协议书: domain.fields.Material), and for a photo its
    # 摄影者 and 背景 (DA/T 50), printed in the 台账汇编's caption
    sa.Column("material", sa.String(40), nullable=True),
    sa.Column("photographer", sa.String(64), nullable=True),
    sa.Column("background", sa.String(200), nullable=True),
)


# At a county: each data package merged from a township (services.packages), what it said about itself.
package_receipts = sa.Table(
    "package_receipts",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("unit_id", sa.String(36), sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
    sa.Column("year", sa.Integer(), nullable=False),
    sa.Column("received_at", sa.DateTime(), nullable=False),
    sa.Column("received_by", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False, comment="数据包生成时间"),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("program_version", sa.String(20), nullable=False),
    sa.Column("schema_revision", sa.String(20), nullable=False),
    sa.Column("counts", sa.JSON(), nullable=False, comment="各台账记录数"),
    sa.Column("findings_open", sa.Integer(), nullable=False, comment="报告体检未处理事项"),
    sa.Column("has_report", sa.Boolean(), nullable=False),
    sa.Column("created", sa.Integer(), nullable=False),
    sa.Column("updated", sa.Integer(), nullable=False),
)


DOCUMENT_KINDS = ("报告", "公开版")  # package_documents.kind: the report as sent, its 公开版
# At a county: the report a township submitted with its package, kept as it came (#36) — in the database, so that
# every backup and restore carries it. ``kind``: 报告 (as sent) or 公开版.
package_documents = sa.Table(
    "package_documents",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("receipt_id", sa.String(36), sa.ForeignKey("package_receipts.id", ondelete="CASCADE"), nullable=False,
              index=True),
    sa.Column("kind", sa.String(10), nullable=False, comment="报告或公开版"),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.BigInteger(), nullable=False),
    sa.Column("data", sa.LargeBinary(), nullable=False, comment="PDF"),
)


def ledger_table(key: str) -> sa.Table:
    return ledger_tables[key]


# Accounts (none by default: a one-person PC works without them). Once one exists every front end asks who is
# working; the role decides what the service layer lets them do (domain.roles). Passwords are Argon2id hashes.
accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("disabled", sa.Boolean(), nullable=False, default=False),
    sa.Column("failures", sa.Integer(), nullable=False, default=0, comment="连续输错密码次数"),
    sa.Column("locked_until", sa.DateTime(), nullable=True),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("password_changed_at", sa.DateTime(), nullable=False),
)
