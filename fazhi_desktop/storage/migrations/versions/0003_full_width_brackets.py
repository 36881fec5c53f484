"""full-width brackets in a stored choice

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

The enforcement method 不予处罚(免罚清单) is written with full-width brackets (GB/T 15834), as every label is now.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD, NEW = "不予处罚(免罚清单)", "不予处罚（免罚清单）"


def upgrade() -> None:
    op.execute(f"UPDATE enforcement SET method = '{NEW}' WHERE method = '{OLD}'")


def downgrade() -> None:
    op.execute(f"UPDATE enforcement SET method = '{OLD}' WHERE method = '{NEW}'")
