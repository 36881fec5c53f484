"""database identity

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "database_info",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_database_info")),
    )
    # The program may have chosen the identity already (it names the before-upgrade backup with it).
    chosen = context.config.attributes.get("database_id") or str(uuid.uuid4())
    op.bulk_insert(table, [{"key": "database_id", "value": chosen}])


def downgrade() -> None:
    op.drop_table("database_info")
