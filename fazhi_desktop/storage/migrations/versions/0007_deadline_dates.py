"""the dates 待办 derives its deadlines from

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03

When a complaint or an application for review was served and answered, when a penalty case was filed, when a
legality review was completed, and how complex a dispute is (its time limit). All nullable: no stored state changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "review_litigation": (("served_on", sa.Date(), "收到副本日期"), ("answered_on", sa.Date(), "答辩/答复日期")),
    "enforcement": (("filed_on", sa.Date(), "立案日期"),),
    "counsel_service": (("completed_on", sa.Date(), "审查完成日期"),),
    "dispute": (("complexity", sa.String(200), "难易程度"),),
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
