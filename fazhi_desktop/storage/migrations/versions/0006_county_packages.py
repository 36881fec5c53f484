"""county packages: receipts, record versions, a report's review and publication

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

A county database keeps a receipt for every township data package it merged; every ledger record counts its saves
(optimistic locking on a shared server); a report draft records when it was reviewed and published. All new columns
are nullable, so no stored record's state (the history's proof) changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The ledger tables as they are at this revision (a later ledger gets its version column with its own table).
LEDGER_TABLES = ("meeting", "document", "leading_group", "facility", "study", "law_report", "publicity",
                 "legal_talent", "counsel", "counsel_service", "enforcement", "dispute", "rectification",
                 "legal_service", "review_litigation")
DRAFT_COLUMNS = (("reviewed_on", sa.Date(), "审议会议日期"), ("published_on", sa.Date(), "公开日期"),
                 ("published_url", sa.String(200), "公开网址"))


def upgrade() -> None:
    for table in LEDGER_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), nullable=True, comment="修改次数"))
    with op.batch_alter_table("report_texts") as batch:
        for name, type_, label in DRAFT_COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True, comment=label))
    op.create_table(
        "package_receipts",
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


def downgrade() -> None:
    op.drop_table("package_receipts")
    with op.batch_alter_table("report_texts") as batch:
        for name, _type, _label in DRAFT_COLUMNS:
            batch.drop_column(name)
    for table in LEDGER_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
