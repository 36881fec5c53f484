"""the statutory periods 待办 did not know: 政府信息公开 依申请 as a ledger; 简易程序 复议; 行政处罚 听证 and 送达;
行政强制 催告 and 申请法院强制执行; 信访 受理 and 办结

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

All new columns are nullable and the new ledger starts empty: no stored state changes (#35).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "review_litigation": (("simple", sa.Boolean(), "简易程序"),),
    "enforcement": (("hearing_told_on", sa.Date(), "告知听证权利日期"), ("served_on", sa.Date(), "决定书送达日期"),
                    ("urged_on", sa.Date(), "催告书送达日期"), ("appeal_expires_on", sa.Date(), "复议诉讼期限届满日期"),
                    ("court_applied_on", sa.Date(), "申请法院强制执行日期")),
    "dispute": (("petition_accepted_on", sa.Date(), "信访受理日期"),
                ("petition_extended_days", sa.Integer(), "信访延长办理（日）")),
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, type_, label in columns:
                batch.add_column(sa.Column(name, type_, nullable=True, comment=label))
    op.create_table(
        "disclosure",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("unit_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True, comment="所属年度"),
        sa.Column("date", sa.Date(), nullable=True, comment="收到申请日期"),
        sa.Column("applicant", sa.String(length=200), nullable=True, comment="申请人"),
        sa.Column("form", sa.String(length=200), nullable=True, comment="申请方式"),
        sa.Column("content", sa.String(length=200), nullable=True, comment="申请公开的信息"),
        sa.Column("correction_told_on", sa.Date(), nullable=True, comment="告知补正日期"),
        sa.Column("corrected_on", sa.Date(), nullable=True, comment="收到补正日期"),
        sa.Column("consulted_on", sa.Date(), nullable=True, comment="征求第三方意见日期"),
        sa.Column("consult_days", sa.Integer(), nullable=True, comment="征求意见用时（工作日）"),
        sa.Column("extended_days", sa.Integer(), nullable=True, comment="延长答复（工作日）"),
        sa.Column("answered_on", sa.Date(), nullable=True, comment="答复日期"),
        sa.Column("result", sa.String(length=200), nullable=True, comment="答复结果"),
        sa.Column("appeal", sa.String(length=200), nullable=True, comment="复议诉讼"),
        sa.Column("appeal_result", sa.String(length=200), nullable=True, comment="复议诉讼结果"),
        sa.Column("remarks", sa.Text(), nullable=True, comment="备注"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=True, comment="修改次数"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_disclosure_unit_id_units"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure")),
        comment="政府信息公开申请台账",
    )
    with op.batch_alter_table("disclosure") as batch:
        batch.create_index("ix_disclosure_unit_year", ["unit_id", "deleted", "year"], unique=False)


def downgrade() -> None:
    op.drop_table("disclosure")
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, _type, _label in columns:
                batch.drop_column(name)
