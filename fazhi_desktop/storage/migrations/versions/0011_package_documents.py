"""the report a township submitted with its package, kept at the county

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

A new table; nothing stored before changes (#36).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "package_documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("receipt_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False, comment="报告或公开版"),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False, comment="PDF"),
        sa.ForeignKeyConstraint(["receipt_id"], ["package_receipts.id"],
                                name=op.f("fk_package_documents_receipt_id_package_receipts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_documents")),
    )
    with op.batch_alter_table("package_documents") as batch:
        batch.create_index(batch.f("ix_package_documents_receipt_id"), ["receipt_id"], unique=False)


def downgrade() -> None:
    op.drop_table("package_documents")
