"""record states in the history

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Each history entry about a record carries the record's state (a hash of its stored row), so ``audit verify`` shows
a row changed outside the program. Existing records get one ``baseline`` entry each, carrying their state now.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from fazhi_desktop.storage import audit_chain

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("state", sa.String(length=64), nullable=True, comment=None))
    audit_chain.baseline(op.get_bind(), "程序升级")


def downgrade() -> None:
    op.execute(f"DELETE FROM audit_log WHERE action = '{audit_chain.BASELINE}'")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("state")
