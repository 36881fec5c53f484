"""pinyin sort keys for the short text fields lists sort by

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

The short text fields (names, places, titles, numbers) of each ledger whose year's list holds that year's records
get a stored pinyin sort key (domain.sort_keys) and an index on (unit_id, deleted, year, key): a list
sorted by one of them reads its first page in order from the index instead of computing a key for every record of
the year (#38). Existing records get theirs here. The keys are derived, not part of a record's state in the history
(storage.audit_chain.DERIVED), so no history entry changes. The field lists are written out here: a migration is a
snapshot of its revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYED = {
    "meeting": ("title", "place", "host", "recorder"),
    "document": ("title", "doc_no"),
    "leading_group": ("name", "post", "employer"),
    "study": ("occasion", "place", "speaker"),
    "law_report": ("person", "post", "village", "audience", "evaluation"),
    "publicity": ("place", "organizer"),
    "counsel_service": ("title", "department", "handler"),
    "enforcement": ("case_no", "party", "officers"),
    "dispute": ("village", "parties", "leader", "mediator"),
    "rectification": ("batch", "department", "person"),
    "legal_service": ("station", "client", "matter", "provider", "result"),
    "review_litigation": ("case_no", "applicant", "act", "head_name"),
    "disclosure": ("applicant", "content"),
}


def upgrade() -> None:
    from fazhi_desktop.storage import derived

    for ledger, fields in KEYED.items():
        for key in fields:
            op.add_column(ledger, sa.Column(f"{key}__pinyin", sa.LargeBinary(), nullable=True, comment="拼音排序键"))
        derived.refresh(op.get_bind(), ledger)  # before the indexes: they are built once, not row by row
        for key in fields:
            op.create_index(f"ix_{ledger}_{key}__pinyin", ledger, ["unit_id", "deleted", "year", f"{key}__pinyin"])


def downgrade() -> None:
    for ledger, fields in KEYED.items():
        for key in fields:
            op.drop_index(f"ix_{ledger}_{key}__pinyin", table_name=ledger)
        with op.batch_alter_table(ledger) as batch:
            for key in fields:
                batch.drop_column(f"{key}__pinyin")
