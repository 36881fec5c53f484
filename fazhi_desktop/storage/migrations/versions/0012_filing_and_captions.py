"""the binder as an archivist files it: a meeting's and a study's 地点, and what an attachment is (材料名称) and, for a
photo, who took it and its 背景

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

All new columns are nullable: no stored state changes (#37).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "meeting": (("place", sa.String(length=200), "地点"),),
    "study": (("place", sa.String(length=200), "地点"),),
    "attachments": (("material", sa.String(length=40), None), ("photographer", sa.String(length=64), None),
                    ("background", sa.String(length=200), None)),
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
