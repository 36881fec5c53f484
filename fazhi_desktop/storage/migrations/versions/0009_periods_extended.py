"""per-case extensions and suspended days of statutory periods; the date the report was sent to the county

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06

A 行政处罚 case's approved extension and the days that do not count (听证, 鉴定, 公告), a 合法性审查's own extension,
and the report's 报送日期 (#35). All nullable: no stored state changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "enforcement": (("extended_days", sa.Integer(), "批准延长（日）"), ("suspended_days", sa.Integer(), "不计入期限（日）")),
    "counsel_service": (("extension_days", sa.Integer(), "延长审查期限（工作日）"),),
    "report_texts": (("submitted_on", sa.Date(), "报送日期"),),
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, type_, label in columns:
                batch.add_column(sa.Column(name, type_, nullable=True, comment=label))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, _type, _label in columns:
                batch.drop_column(name)
