"""the unit's own opening wording of its report

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

A unit keeps the wording of its report's first two paragraphs (the 依据 line and the general statement) once, for
every year; the program's default is used only while they are empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("basis_wording", "报告开头（依据）"), ("opening_wording", "报告开头（总述）"))


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        for name, label in COLUMNS:
            batch.add_column(sa.Column(name, sa.Text(), nullable=True, comment=label))


def downgrade() -> None:
    with op.batch_alter_table("units") as batch:
        for name, _label in COLUMNS:
            batch.drop_column(name)
