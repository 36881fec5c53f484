"""a content fingerprint on every record, and statistics indexes that cover what they count

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

Each ledger table gets ``fingerprint`` (a digest of the record's declared values, domain.fingerprint) with an index on
(unit_id, deleted, fingerprint): an import finds the records equal to its rows by it, at a cost that does not grow with the
records stored. Existing records get theirs here. The column is derived, not part of a record's state in the history
(storage.audit_chain.row_state leaves it out), so no history entry changes.

Each (unit_id, deleted, year) index is rebuilt with the date its list is ordered by and the columns the statistics
count after them (#38). The column
lists are written out here: a migration is a snapshot of its revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGERS = ("meeting", "document", "leading_group", "facility", "study", "law_report", "publicity", "legal_talent",
           "counsel", "counsel_service", "enforcement", "dispute", "rectification", "legal_service",
           "review_litigation", "disclosure")
# after unit_id, deleted, year: the date the list orders by, then the columns the statistics count
AFTER_YEAR = {
    "meeting": ("date", "kind", "issues_resolved"),
    "document": ("date",),
    "facility": ("built_on", "kind", "in_use"),
    "study": ("date", "form", "participants"),
    "law_report": ("identity",),
    "publicity": ("date", "kind", "target", "topics", "audience", "materials", "banners", "boards"),
    "legal_talent": ("category", "left_year"),
    "counsel": ("signed_on", "service_from", "service_to"),
    "counsel_service": ("date", "kind", "adopted"),
    "enforcement": ("date", "method", "recorded", "publicized", "major", "legal_review"),
    "dispute": ("date", "status", "category", "risk"),
    "rectification": ("assigned_on", "status", "deadline"),
    "legal_service": ("date", "kind"),
    "review_litigation": ("date", "kind", "head_appeared"),
    "disclosure": ("date", "answered_on", "appeal", "appeal_result", "corrected_on", "consult_days", "extended_days"),
}


def upgrade() -> None:
    from fazhi_desktop.storage import derived

    for key in LEDGERS:
        op.add_column(key, sa.Column("fingerprint", sa.String(length=32), nullable=True, comment="内容摘要"))
        derived.refresh(op.get_bind(), key)  # before the indexes: they are built once, not row by row
        op.create_index(f"ix_{key}_fingerprint", key, ["unit_id", "deleted", "fingerprint"])
        op.drop_index(f"ix_{key}_unit_year", table_name=key)
        op.create_index(f"ix_{key}_unit_year", key, ["unit_id", "deleted", "year", *AFTER_YEAR.get(key, ())])


def downgrade() -> None:
    for key in LEDGERS:
        op.drop_index(f"ix_{key}_unit_year", table_name=key)
        op.create_index(f"ix_{key}_unit_year", key, ["unit_id", "deleted", "year"])
        op.drop_index(f"ix_{key}_fingerprint", table_name=key)
        with op.batch_alter_table(key) as batch:
            batch.drop_column("fingerprint")
