"""accounts and roles; the ID number of a dispute's or case's party (minors are flagged from it)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

An empty accounts table (none by default: a one-person PC works as before). The new ID columns are nullable, so no
stored record's state changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARTY_ID = {"dispute": "当事人身份证号", "enforcement": "当事人身份证号"}


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False, comment="连续输错密码次数"),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
    )
    for table, label in PARTY_ID.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("party_id", sa.String(18), nullable=True, comment=label))


def downgrade() -> None:
    for table in PARTY_ID:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("party_id")
    op.drop_table("accounts")
