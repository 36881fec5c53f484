"""A ledger tab: list (paged from SQL), form (editors by field kind), attachments, history."""
